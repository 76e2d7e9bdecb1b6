/**
 * CSV as French spreadsheet software opens it cleanly (pure): UTF-8 with a byte order mark, `;` between
 * cells unless asked for commas, RFC 4180 quoting and line ends, and no cell a spreadsheet would run as a formula.
 */
export const CSV_BOM = '\uFEFF';

export type CsvSeparator = ';' | ',';

export type CsvValue = string | number | boolean | null | undefined;

/** `?separateur=virgule` asks for commas; anything else keeps the French default. */
export function csvSeparator(query: Record<string, unknown>): CsvSeparator {
  return query.separateur === 'virgule' ? ',' : ';';
}

/** Text a spreadsheet would read as a formula (or a cell that starts with a control character) is prefixed with '. */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: CsvValue, separator: CsvSeparator): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'boolean' ? (value ? 'Oui' : 'Non') : String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return text.includes(separator) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, CRLF-terminated as RFC 4180 asks. */
export function csvLine(values: readonly CsvValue[], separator: CsvSeparator): string {
  return `${values.map((value) => csvCell(value, separator)).join(separator)}\r\n`;
}

/** `demandes-2026-11-22.csv`: the day of the export, in Paris. */
export function csvFileName(prefix: string, now: Date): string {
  const day = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris' }).format(now);
  return `${prefix}-${day}.csv`;
}
