import { detectFileType } from '../attachments/file-type.policy';

/**
 * Whether an uploaded file can be read as the facilitators' CSV, judged on its content (the name and the type
 * the browser claims say little: Windows sends CSV as an Excel type). The header and rows are the import's to judge.
 */

const SAVE_AS_CSV =
  'dans votre tableur, choisissez « Enregistrer sous » puis le type « CSV UTF-8 » ou « CSV (séparateur : point-virgule) », et choisissez ce fichier-là.';

/** Why the file is not one to read as CSV; null: read it. */
export function csvFileProblem(content: Buffer): string | null {
  const detected = detectFileType(content);
  // A workbook or a document saved as such: the most likely slip, named so the person knows what to do.
  if (detected.ok) return `Ce fichier (${detected.label}) n’est pas un fichier CSV : ${SAVE_AS_CSV}`;
  // Text in UTF-8 or Windows-1252 has no zero byte; UTF-16 (Excel's « Texte Unicode »), archives and programs do.
  if (content.includes(0)) return `Ce fichier n’est pas un fichier CSV en UTF-8 ou Windows-1252 : ${SAVE_AS_CSV}`;
  return null;
}
