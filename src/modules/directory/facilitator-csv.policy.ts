import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CsvError, parse } from 'csv-parse/sync';
import { flattenValidationErrors } from '../../common/validation';
import { CreateFacilitatorDto } from './dto/facilitator.dto';
import type { RequestKind } from '../requests/request.types';
import type { NewFacilitator } from './facilitator.policy';

/**
 * One line of the facilitators CSV file, already split into fields, read into a facilitator or into
 * the reasons it cannot be. Field rules are the API's own (CreateFacilitatorDto); the rules that need
 * reference data (network, départements, segments, coordinator) apply when the row is saved.
 */

export const CSV_COLUMNS = [
  'email',
  'first_name',
  'last_name',
  'kind',
  'network',
  'departements',
  'capacity',
  'segments',
  'coordinator',
  'organisation',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** Columns a file may leave out: older files have no structure, and their import leaves each record's as it is. */
export const OPTIONAL_COLUMNS: readonly CsvColumn[] = ['organisation'];

/** The French header of each column, as French Excel users name them (shown when a column is missing, and on the import page). */
export const FRENCH_NAMES: Record<CsvColumn, string> = {
  email: 'E-mail',
  first_name: 'Prénom',
  last_name: 'Nom',
  kind: 'Type',
  network: 'Réseau',
  departements: 'Départements',
  capacity: 'Capacité',
  segments: 'Segments',
  coordinator: 'Coordinateur',
  organisation: 'Structure',
};

/** Every header read as each column, simplified (see simplified()). */
const HEADER_NAMES: Record<CsvColumn, readonly string[]> = {
  email: ['email', 'e mail', 'mail', 'courriel', 'adresse electronique', 'adresse e mail', 'adresse mail'],
  first_name: ['first name', 'firstname', 'prenom'],
  last_name: ['last name', 'lastname', 'nom', 'nom de famille'],
  kind: ['kind', 'type', 'domaine'],
  network: ['network', 'reseau'],
  departements: ['departements', 'departement', 'departments', 'department'],
  capacity: ['capacity', 'capacite'],
  segments: ['segments', 'segment', 'segments d achat'],
  coordinator: ['coordinator', 'coordinateur', 'coordinatrice', 'coordination'],
  organisation: ['organisation', 'organization', 'structure', 'structure employeuse', 'organisme', 'employeur'],
};

/** Where each column sits in a record, its header as typed (for messages), and how many fields a record has. */
export interface CsvHeader {
  /** -1 for an optional column the file leaves out. */
  positions: Record<CsvColumn, number>;
  labels: Record<CsvColumn, string>;
  width: number;
  /** Headers of the columns not imported (a « Téléphone » kept in the spreadsheet), as typed. */
  ignored: string[];
}

export type HeaderReading = { ok: true; header: CsvHeader } | { ok: false; problem: string };

export type RecordReading =
  { ok: true; email: string; facilitator: NewFacilitator } | { ok: false; email: string | null; reasons: string[] };

/** A record of the file from the line where it starts (the header is line 1): its fields, or why they cannot be read. */
export type CsvRecord = { line: number; fields: string[] } | { line: number; fields: null; problem: string };

/** A purchase segment, recognised by its code or its French name. */
export interface SegmentChoice {
  code: string;
  label: string;
}

const YES = new Set(['yes', 'oui']);
const NO = new Set(['no', 'non', '']);

/** Kinds as people write them in French beside the codes; keys simplified. */
const KINDS: Record<string, RequestKind> = {
  environmental: 'environmental',
  environnement: 'environmental',
  environnemental: 'environmental',
  environnementale: 'environmental',
  'social clause': 'social_clause',
  'clause sociale': 'social_clause',
  'clauses sociales': 'social_clause',
};

/** Why a record cannot be read, after « Ligne illisible : » or « En-tête illisible : ». */
export const MISPLACED_QUOTES =
  'guillemets mal placés. Un champ entre guillemets se referme juste avant le séparateur suivant, et un guillemet dans un texte s’écrit "".';

/** Spreadsheets in France export with ";", others with ","; the header line tells which. */
export function detectDelimiter(headerLine: string): ',' | ';' {
  const count = (character: string) => headerLine.split(character).length - 1;
  return count(';') > count(',') ? ';' : ',';
}

/**
 * The file's records, each with the line where it starts. A record ends at the first line end outside quotes,
 * counted here rather than by csv-parse: a misplaced quote then spoils its own line only, where csv-parse alone
 * would read every following line into one field and name a line past the end of the file.
 */
export function readCsvRecords(text: string): CsvRecord[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const delimiter = detectDelimiter(lines.find((line) => line.trim() !== '') ?? '');
  const records: CsvRecord[] = [];
  let start = 0;
  while (start < lines.length) {
    if (lines[start].trim() === '') {
      start++;
      continue;
    }
    const end = closingLine(lines, start);
    const fields = end === null ? null : recordFields(lines.slice(start, end + 1).join('\n'), delimiter);
    records.push(fields ? { line: start + 1, fields } : { line: start + 1, fields: null, problem: MISPLACED_QUOTES });
    // The quote that spoils a line may have swallowed the next ones: they are read again on their own.
    start = fields && end !== null ? end + 1 : start + 1;
  }
  return records;
}

/** The line where a record started at `start` ends: the first one after which its quotes balance; null if never. */
function closingLine(lines: readonly string[], start: number): number | null {
  let open = false;
  for (let index = start; index < lines.length; index++) {
    // An escaped quote ("") counts twice: only an opening or a closing quote changes the balance.
    if ((lines[index].split('"').length - 1) % 2 === 1) open = !open;
    if (!open) return index;
  }
  return null;
}

/** Strict quotes (no relax_quotes): a stray quote is refused with its line, not guessed at. */
function recordFields(record: string, delimiter: string): string[] | null {
  try {
    return (parse(record, { delimiter, trim: true, relax_column_count: true }) as string[][])[0] ?? null;
  } catch (error) {
    if (error instanceof CsvError) return null;
    throw error;
  }
}

/** The report's line naming the file's columns the import leaves out (« Colonne ignorée : Téléphone. »), or null: CLI and page alike. */
export function ignoredColumnsText(ignored: readonly string[]): string | null {
  if (!ignored.length) return null;
  return `${ignored.length > 1 ? 'Colonnes ignorées' : 'Colonne ignorée'} : ${ignored.join(', ')}.`;
}

/**
 * Every column once, in any order, under its English key or its French name (accents, case, spaces and dashes
 * ignored: « E-mail », « Départements »); other columns are ignored and listed.
 */
export function readHeader(fields: string[]): HeaderReading {
  const typed = fields.map((field) => field.trim());
  // Spreadsheets often add empty columns at the end.
  let width = typed.length;
  while (width > 0 && typed[width - 1] === '') width--;
  const columns = typed.slice(0, width).map((name) => CSV_COLUMNS.find((column) => HEADER_NAMES[column].includes(simplified(name))));
  const ignored = typed.slice(0, width).flatMap((name, index) => (columns[index] ? [] : [name || `colonne ${index + 1} sans titre`]));
  const repeated = CSV_COLUMNS.filter((column) => columns.filter((c) => c === column).length > 1);
  const missing = CSV_COLUMNS.filter((column) => !columns.includes(column) && !OPTIONAL_COLUMNS.includes(column));
  const problems = [
    missing.length ? `colonnes manquantes : ${missing.map((column) => `${column} (ou ${FRENCH_NAMES[column]})`).join(', ')}` : '',
    // A column missing and another not recognised: most likely a misspelt name.
    missing.length && ignored.length ? `colonnes non reconnues : ${ignored.join(', ')}` : '',
    repeated.length
      ? `colonnes en double : ${repeated.map((column) => typed.filter((_name, index) => columns[index] === column).join(' et ')).join(', ')}`
      : '',
  ].filter(Boolean);
  if (problems.length) {
    const required = CSV_COLUMNS.filter((column) => !OPTIONAL_COLUMNS.includes(column));
    return {
      ok: false,
      problem: `En-tête invalide (${problems.join(' ; ')}). Colonnes attendues : ${required.join(',')} (ou ${required.map((column) => FRENCH_NAMES[column]).join(', ')}), séparées par « , » ou « ; » ; facultative : ${OPTIONAL_COLUMNS.map((column) => `${column} (ou ${FRENCH_NAMES[column]})`).join(', ')}.`,
    };
  }
  const positions = Object.fromEntries(CSV_COLUMNS.map((column) => [column, columns.indexOf(column)])) as Record<CsvColumn, number>;
  return {
    ok: true,
    header: {
      positions,
      labels: Object.fromEntries(CSV_COLUMNS.map((column) => [column, typed[positions[column]] ?? FRENCH_NAMES[column]])) as Record<
        CsvColumn,
        string
      >,
      width,
      ignored,
    },
  };
}

export function readFacilitatorRecord(fields: string[], header: CsvHeader, segments: readonly SegmentChoice[]): RecordReading {
  const value = (column: CsvColumn) => (fields[header.positions[column]] ?? '').trim();
  const email = value('email').toLowerCase() || null;
  if (fields.length < header.width || fields.slice(header.width).some((field) => field.trim() !== '')) {
    return { ok: false, email, reasons: [`La ligne a ${fields.length} colonnes au lieu de ${header.width}.`] };
  }
  const reasons: string[] = [];
  // A line break typed in a cell (Alt+Entrée) would be stored in the name, or spoil the address.
  const broken = (['email', 'first_name', 'last_name', 'organisation'] as const).filter((column) => /[\r\n]/.test(value(column)));
  for (const column of broken) {
    const parts = value(column)
      .split(/\s*[\r\n]+\s*/)
      .map((part) => `« ${part} »`);
    reasons.push(
      `Colonne ${header.labels[column]} : le texte tient sur plusieurs lignes (${parts.join(' puis ')}) ; écrivez-le sur une seule ligne.`,
    );
  }
  const coordinator = value('coordinator').toLowerCase();
  if (!YES.has(coordinator) && !NO.has(coordinator)) {
    reasons.push(`Colonne ${header.labels.coordinator} : « ${value('coordinator')} » ; répondez yes ou no (oui ou non).`);
  }
  const segmentReading = readSegments(value('segments'), segments);
  if (segmentReading.unknown.length) {
    const which = segmentReading.unknown.map((text) => `« ${text} »`).join(', ');
    reasons.push(
      `Colonne ${header.labels.segments} : ${segmentReading.unknown.length > 1 ? 'segments d’achat inconnus' : 'segment d’achat inconnu'} ${which}. Indiquez des codes ou des noms de la liste, séparés par « , » : ${segments.map((segment) => `${segment.code} (${segment.label})`).join(', ')}.`,
    );
  }
  const capacity = value('capacity');
  const kind = value('kind');
  const plain = {
    email: email ?? undefined,
    firstName: value('first_name') || undefined,
    lastName: value('last_name') || undefined,
    // Codes as people type them in a spreadsheet: « RESECO », « Environmental », « clauses sociales », « 2a ».
    kind: KINDS[simplified(kind)] ?? (kind.toLowerCase() || undefined),
    // Left out of the file: unchanged; an empty cell: none (the network).
    organisation: header.positions.organisation < 0 ? undefined : value('organisation') || null,
    networkCode: value('network').toLowerCase() || undefined,
    departmentCodes: departmentCodes(value('departements')),
    segments: segmentReading.codes,
    // A non-integer is passed on as text, so the API's own message about capacity applies.
    capacity: /^[+-]?\d+$/.test(capacity) ? Number(capacity) : capacity || undefined,
    isCoordinator: YES.has(coordinator),
  };
  const dto = plainToInstance(CreateFacilitatorDto, plain);
  const brokenFields: string[] = broken.map((column) => FIELDS[column]);
  const fieldErrors = flattenValidationErrors(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true }));
  // A broken field's own message says it all: its shape errors would only follow from the line break.
  reasons.unshift(...fieldErrors.filter((e) => !brokenFields.includes(e.field)).map((e) => e.message));
  // email is null only when a reason says so already; the test narrows its type.
  if (reasons.length || email === null) return { ok: false, email, reasons };
  return {
    ok: true,
    email,
    facilitator: {
      email,
      firstName: dto.firstName,
      lastName: dto.lastName,
      kind: dto.kind,
      organisation: plain.organisation,
      networkCode: dto.networkCode,
      departmentCodes: plain.departmentCodes,
      segments: plain.segments,
      capacity: dto.capacity,
      isCoordinator: plain.isCoordinator,
    },
  };
}

/** The API's field of each column whose line breaks are refused. */
const FIELDS = { email: 'email', first_name: 'firstName', last_name: 'lastName', organisation: 'organisation' } as const;

/**
 * Codes separated by spaces, « , » or « ; »; none means the whole network. A single digit is a code whose leading
 * zero the spreadsheet dropped (« 1 » for 01): no département has a one-digit code.
 */
function departmentCodes(text: string): string[] {
  return text
    .toUpperCase()
    .split(/[\s,;]+/)
    .filter(Boolean)
    .map((code) => (/^\d$/.test(code) ? `0${code}` : code));
}

/**
 * Codes or French names separated by spaces, « , » or « ; »; none means no particular expertise. A name may hold
 * spaces (« Restauration collective »): the longest run of words that names a segment is taken first.
 */
function readSegments(text: string, segments: readonly SegmentChoice[]): { codes: string[]; unknown: string[] } {
  const byName = new Map(
    segments.flatMap((segment) => [[simplified(segment.code), segment.code] as const, [simplified(segment.label), segment.code] as const]),
  );
  const codes: string[] = [];
  const unknown: string[] = [];
  for (const part of text.split(/[,;]/)) {
    const words = part.split(/\s+/).filter(Boolean);
    let notFound: string[] = [];
    for (let start = 0; start < words.length;) {
      let length = words.length - start;
      while (length > 0 && !byName.has(simplified(words.slice(start, start + length).join(' ')))) length--;
      if (length === 0) {
        notFound.push(words[start++]);
        continue;
      }
      if (notFound.length) unknown.push(notFound.join(' '));
      notFound = [];
      codes.push(byName.get(simplified(words.slice(start, start + length).join(' ')))!);
      start += length;
    }
    if (notFound.length) unknown.push(notFound.join(' '));
  }
  return { codes, unknown };
}

/** A header or a name as compared: without accents, case, nor the spaces, dashes and apostrophes people vary. */
function simplified(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[\s_\-’'.]+/g, ' ')
    .trim();
}
