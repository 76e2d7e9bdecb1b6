import { Injectable } from '@nestjs/common';
import iconv from 'iconv-lite';
import { isUtf8 } from 'node:buffer';
import { AppError } from '../../common/errors/app-errors';
import { ReferenceService } from '../reference/reference.service';
import { DirectoryService, UpsertOptions, UpsertOutcome } from './directory.service';
import { CsvHeader, readCsvRecords, readFacilitatorRecord, readHeader } from './facilitator-csv.policy';

export type RowOutcome = UpsertOutcome | 'rejected';

export interface ImportedRow {
  /** Line of the file where the record starts (the header is line 1). */
  line: number;
  email: string | null;
  outcome: RowOutcome;
  reasons: string[];
}

export interface ImportReport {
  rows: ImportedRow[];
  counts: Record<RowOutcome, number>;
  /** How the file was read: UTF-8, or Windows-1252 (what French Excel writes as « CSV (séparateur : point-virgule) »). */
  encoding: 'utf-8' | 'windows-1252';
  /** Headers of the file's columns that are not imported (« Téléphone »), as typed. */
  ignoredColumns: string[];
}

/** The file as a whole cannot be imported: empty, or a header without the expected columns. */
export class ImportFileError extends Error {}

/**
 * Imports facilitators from CSV, upserting by e-mail, one transaction per row: a bad row is
 * reported with its reasons and never stops the others.
 */
@Injectable()
export class FacilitatorImportService {
  constructor(
    private readonly directory: DirectoryService,
    private readonly reference: ReferenceService,
  ) {}

  /** onProgress is called with 0 done before the first record, then after each one; `write`: how each row is written. */
  async importCsv(
    content: Buffer,
    onProgress: (done: number, total: number) => void = () => undefined,
    write: UpsertOptions = {},
  ): Promise<ImportReport> {
    const { header, records, unreadable, encoding } = this.parseFile(content);
    const rows: ImportedRow[] = [...unreadable];
    const firstLineOf = new Map<string, number>();
    onProgress(0, records.length);
    for (const [index, { fields, line }] of records.entries()) {
      // Spreadsheets export blank rows as a line of separators: nothing to import, nothing to report.
      if (fields.some((field) => field !== '')) rows.push(await this.importRecord(fields, line, header, firstLineOf, write));
      onProgress(index + 1, records.length);
    }
    rows.sort((a, b) => a.line - b.line);
    const counts: Record<RowOutcome, number> = { created: 0, updated: 0, unchanged: 0, rejected: 0 };
    for (const row of rows) counts[row.outcome] += 1;
    return { rows, counts, encoding, ignoredColumns: header.ignored };
  }

  private async importRecord(
    fields: string[],
    line: number,
    header: CsvHeader,
    firstLineOf: Map<string, number>,
    write: UpsertOptions,
  ): Promise<ImportedRow> {
    const reading = readFacilitatorRecord(fields, header, this.reference.allSegments());
    if (!reading.ok) return { line, email: reading.email, outcome: 'rejected', reasons: reading.reasons };
    const earlier = firstLineOf.get(reading.email);
    if (earlier !== undefined) {
      return {
        line,
        email: reading.email,
        outcome: 'rejected',
        reasons: [`Adresse déjà présente ligne ${earlier} : une seule ligne par facilitateur.`],
      };
    }
    firstLineOf.set(reading.email, line);
    try {
      return { line, email: reading.email, outcome: await this.directory.upsertByEmail(reading.facilitator, write), reasons: [] };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const reasons = error.errors.length ? error.errors.map((e) => e.message) : [error.message];
      return { line, email: reading.email, outcome: 'rejected', reasons };
    }
  }

  private parseFile(content: Buffer) {
    // Bytes that are not UTF-8 are read as Windows-1252, the encoding of French Excel's plain « CSV » (é as one byte).
    const encoding = isUtf8(content) ? 'utf-8' : 'windows-1252';
    // iconv-lite: Node 20's TextDecoder reads « windows-1252 » as Latin-1 (’ « » € would become control characters).
    const text = encoding === 'utf-8' ? content.toString('utf8') : iconv.decode(content, 'win1252');
    const [first, ...rest] = readCsvRecords(text);
    if (!first) throw new ImportFileError('Le fichier est vide : la première ligne doit nommer les colonnes.');
    if (!first.fields) throw new ImportFileError(`En-tête illisible (ligne ${first.line}) : ${first.problem}`);
    const reading = readHeader(first.fields);
    if (!reading.ok) throw new ImportFileError(reading.problem);
    return {
      header: reading.header,
      records: rest.flatMap(({ line, fields }) => (fields ? [{ fields, line }] : [])),
      unreadable: rest.flatMap((record): ImportedRow[] =>
        record.fields ? [] : [{ line: record.line, email: null, outcome: 'rejected', reasons: [`Ligne illisible : ${record.problem}`] }],
      ),
      encoding,
    } as const;
  }
}
