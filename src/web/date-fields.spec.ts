import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every template of the app, staff's and buyers' pages and e-mails alike. */
function templates(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return templates(path);
    return entry.name.endsWith('.njk') ? [path] : [];
  });
}

const SRC = join(__dirname, '..');

/**
 * A native date picker (`type="date"`) shows the date in the browser's own format and sends AAAA-MM-JJ: a hint naming a
 * format contradicts what a reader sees. The field's label and hint are on its line (a macro's call) or the line before.
 */
describe('date fields', () => {
  const fields = templates(SRC).flatMap((path) => {
    const lines = readFileSync(path, 'utf8').split('\n');
    return lines.flatMap((line, i) =>
      line.includes('type="date"') ? [[`${relative(SRC, path)}:${i + 1}`, `${lines[i - 1] ?? ''}\n${line}`] as const] : [],
    );
  });

  it('are found (the scan reads the templates)', () => {
    expect(fields.length).toBeGreaterThanOrEqual(5);
  });

  it.each(fields)('%s names no date format beside a native date picker', (_where, field) => {
    expect(field).not.toMatch(/JJ\/MM\/AAAA|AAAA-MM-JJ|Format attendu/);
  });
});
