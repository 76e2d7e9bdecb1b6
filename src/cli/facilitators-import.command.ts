import { SingleBar } from 'cli-progress';
import { readFile } from 'node:fs/promises';
import { FacilitatorImportService, ImportFileError, ImportReport } from '../modules/directory/facilitator-import.service';
import { ignoredColumnsText } from '../modules/directory/facilitator-csv.policy';
import type { CliCommand } from './cli-context';

const READ_ERRORS: Record<string, string> = {
  ENOENT: 'fichier introuvable',
  EACCES: 'lecture non autorisée',
  EISDIR: 'c’est un dossier',
};

/**
 * `facilitators:import <file.csv>`: imports every valid row; exit code 0 when none was rejected, 1 when some were
 * (a script or a scheduler notices), 2 when the file cannot be read or its header is wrong.
 */
export const facilitatorsImport: CliCommand = async (context, [file], io) => {
  let content: Buffer;
  try {
    content = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    io.stderr.write(`Fichier illisible : ${file} (${READ_ERRORS[code] ?? code}).\n`);
    return 2;
  }
  // A bar on a pipe or in a log file would only be noise.
  const bar = io.stderr.isTTY
    ? new SingleBar({ stream: io.stderr, format: 'Import {bar} {value}/{total} lignes', hideCursor: true })
    : null;
  let report: ImportReport;
  try {
    report = await context
      .get(FacilitatorImportService)
      .importCsv(content, (done, total) => (done === 0 ? bar?.start(total, 0) : bar?.update(done)));
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error;
    io.stderr.write(`${file} : ${error.message}\n`);
    return 2;
  } finally {
    bar?.stop();
  }
  io.stdout.write(formatImportReport(file, report));
  return report.counts.rejected ? 1 : 0;
};

export function formatImportReport(file: string, report: ImportReport): string {
  const { created, updated, unchanged, rejected } = report.counts;
  const lines = [`Import des facilitateurs : ${file}`];
  if (report.encoding === 'windows-1252') lines.push('Fichier lu en Windows-1252 (le « CSV » d’Excel), faute d’être en UTF-8.');
  const ignored = ignoredColumnsText(report.ignoredColumns);
  if (ignored) lines.push(ignored);
  const rejectedRows = report.rows.filter((row) => row.outcome === 'rejected');
  if (rejectedRows.length) {
    lines.push('Lignes rejetées :');
    for (const row of rejectedRows) lines.push(`  ligne ${row.line} — ${row.email ?? '—'} — ${row.reasons.join(' ')}`);
  }
  lines.push(`Résumé : créés ${created}, mis à jour ${updated}, inchangés ${unchanged}, rejetés ${rejected}.`);
  if (created + updated === 0) lines.push('Aucun changement : l’annuaire était déjà à jour pour toutes les lignes valides.');
  return `${lines.join('\n')}\n`;
}
