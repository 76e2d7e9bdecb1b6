/**
 * CSV as French spreadsheet software opens it cleanly (pure): UTF-8 with a byte order mark, `;` between
 * cells unless asked for commas, RFC 4180 quoting and line ends, and no cell a spreadsheet would run as a formula.
 */
export const CSV_BOM = '\uFEFF';

export type CsvSeparator = ';' | ',';

/** A multi-valued cell (several labels): its values, joined by CSV_LIST_SEPARATOR. */
export type CsvValue = string | number | boolean | readonly string[] | null | undefined;

/**
 * Between the values of a multi-valued cell, in every export: a label may hold a comma (« Insertion, handicap »), and
 * a `;` would read as the file's own separator to the eye; « | » is seen at once, needs no quoting, and Excel's
 * « Convertir » splits on it.
 */
export const CSV_LIST_SEPARATOR = ' | ';

/** The parameter of every export that chooses its separator. */
export const CSV_SEPARATOR_PARAMETER = 'separateur';

/** `?separateur=virgule` asks for commas; anything else keeps the French default. */
export function csvSeparator(query: Record<string, unknown>): CsvSeparator {
  return query[CSV_SEPARATOR_PARAMETER] === 'virgule' ? ',' : ';';
}

/** Text a spreadsheet would read as a formula (or a cell that starts with a control character) is prefixed with '. */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: CsvValue, separator: CsvSeparator): string {
  if (value === null || value === undefined) return '';
  let text = cellText(value, separator);
  if (typeof value !== 'number' && FORMULA_START.test(text)) text = `'${text}`;
  return text.includes(separator) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function cellText(value: Exclude<CsvValue, null | undefined>, separator: CsvSeparator): string {
  if (typeof value === 'boolean') return value ? 'Oui' : 'Non';
  if (typeof value === 'number') return decimal(value, separator);
  return typeof value === 'string' ? value : value.join(CSV_LIST_SEPARATOR);
}

/**
 * A number as the file's spreadsheet reads it: a decimal comma in a `;` file (French Excel would take « 2.5 » for a
 * date or text), a point in a `,` file (the comma is then the separator, and the software reading it English).
 */
function decimal(value: number, separator: CsvSeparator): string {
  return separator === ';' ? String(value).replace('.', ',') : String(value);
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
