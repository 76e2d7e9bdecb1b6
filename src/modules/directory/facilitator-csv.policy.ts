import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { flattenValidationErrors } from '../../common/validation';
import { CreateFacilitatorDto } from './dto/facilitator.dto';
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
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** Where each column sits in a record, and how many fields a record has. */
export interface CsvHeader {
  positions: Record<CsvColumn, number>;
  width: number;
}

export type HeaderReading = { ok: true; header: CsvHeader } | { ok: false; problem: string };

export type RecordReading =
  { ok: true; email: string; facilitator: NewFacilitator } | { ok: false; email: string | null; reasons: string[] };

const YES = new Set(['yes', 'oui']);
const NO = new Set(['no', 'non', '']);

/** Spreadsheets in France export with ";", others with ","; the header line tells which. */
export function detectDelimiter(headerLine: string): ',' | ';' {
  const count = (character: string) => headerLine.split(character).length - 1;
  return count(';') > count(',') ? ';' : ',';
}

/** Every column once, in any order; accents and case are ignored ("Départements" reads as "departements"). */
export function readHeader(fields: string[]): HeaderReading {
  const names = fields.map((field) =>
    field
      .normalize('NFD')
      .replace(/\p{Diacritic}/gu, '')
      .trim()
      .toLowerCase(),
  );
  // Spreadsheets often add empty columns at the end.
  let width = names.length;
  while (width > 0 && names[width - 1] === '') width--;
  const unknown = names.slice(0, width).filter((name) => !(CSV_COLUMNS as readonly string[]).includes(name));
  const repeated = CSV_COLUMNS.filter((column) => names.filter((name) => name === column).length > 1);
  const missing = CSV_COLUMNS.filter((column) => !names.includes(column));
  const problems = [
    missing.length ? `colonnes manquantes : ${missing.join(', ')}` : '',
    unknown.length ? `colonnes inconnues : ${unknown.map((name) => name || '(vide)').join(', ')}` : '',
    repeated.length ? `colonnes en double : ${repeated.join(', ')}` : '',
  ].filter(Boolean);
  if (problems.length) {
    return {
      ok: false,
      problem: `En-tête invalide (${problems.join(' ; ')}). Colonnes attendues : ${CSV_COLUMNS.join(',')}, séparées par « , » ou « ; ».`,
    };
  }
  return {
    ok: true,
    header: {
      positions: Object.fromEntries(CSV_COLUMNS.map((column) => [column, names.indexOf(column)])) as Record<CsvColumn, number>,
      width,
    },
  };
}

export function readFacilitatorRecord(fields: string[], header: CsvHeader): RecordReading {
  const value = (column: CsvColumn) => (fields[header.positions[column]] ?? '').trim();
  const email = value('email').toLowerCase() || null;
  if (fields.length < header.width || fields.slice(header.width).some((field) => field.trim() !== '')) {
    return { ok: false, email, reasons: [`La ligne a ${fields.length} colonnes au lieu de ${header.width}.`] };
  }
  const reasons: string[] = [];
  const coordinator = value('coordinator').toLowerCase();
  if (!YES.has(coordinator) && !NO.has(coordinator)) {
    reasons.push(`Colonne coordinator : « ${value('coordinator')} » ; répondez yes ou no (oui ou non).`);
  }
  const capacity = value('capacity');
  const plain = {
    email: email ?? undefined,
    firstName: value('first_name') || undefined,
    lastName: value('last_name') || undefined,
    // Codes as people type them in a spreadsheet: « RESECO », « Environmental », « 2a ».
    kind: value('kind').toLowerCase() || undefined,
    networkCode: value('network').toLowerCase() || undefined,
    departmentCodes: codes(value('departements').toUpperCase()),
    segments: codes(value('segments').toLowerCase()),
    // A non-integer is passed on as text, so the API's own message about capacity applies.
    capacity: /^[+-]?\d+$/.test(capacity) ? Number(capacity) : capacity || undefined,
    isCoordinator: YES.has(coordinator),
  };
  const dto = plainToInstance(CreateFacilitatorDto, plain);
  reasons.unshift(...flattenValidationErrors(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true })).map((e) => e.message));
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
      networkCode: dto.networkCode,
      departmentCodes: plain.departmentCodes,
      segments: plain.segments,
      capacity: dto.capacity,
      isCoordinator: plain.isCoordinator,
    },
  };
}

/** Space-separated codes; none means the whole network (départements) or no particular expertise (segments). */
function codes(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}
