import { sampleExe, samplePdf, samplePng, sampleXlsx } from '../../../test/support/sample-files';
import { csvFileProblem } from './facilitator-csv-file.policy';

const HEADER = 'email;first_name;last_name;kind;network;departements;capacity;segments;coordinator\r\n';

describe('csvFileProblem', () => {
  it.each<[string, Buffer]>([
    ['UTF-8 with a BOM', Buffer.from(`\uFEFF${HEADER}claire@example.org;Claire;Dupré;environmental;aura-ee;38;10;;non\r\n`)],
    [
      'Windows-1252 (é as one byte)',
      Buffer.from(`${HEADER}claire@example.org;Claire;Dupr\xe9;environmental;aura-ee;38;10;;non\r\n`, 'latin1'),
    ],
    // Empty, or a header only: read, so that the import says what the file lacks.
    ['an empty file', Buffer.alloc(0)],
    ['a header alone', Buffer.from(HEADER)],
  ])('reads %s', (_label, content) => {
    expect(csvFileProblem(content)).toBeNull();
  });

  it.each<[string, Buffer, RegExp]>([
    [
      'an Excel workbook',
      sampleXlsx(),
      /^Ce fichier \(classeur Excel \(XLSX\)\) n’est pas un fichier CSV : dans votre tableur, choisissez « Enregistrer sous »/,
    ],
    ['a PDF', samplePdf(), /^Ce fichier \(PDF\) n’est pas un fichier CSV/],
    ['an image', samplePng(), /^Ce fichier \(image PNG\) n’est pas un fichier CSV/],
    [
      'UTF-16 text (Excel’s « Texte Unicode »)',
      Buffer.from(`\uFEFF${HEADER}`, 'utf16le'),
      /^Ce fichier n’est pas un fichier CSV en UTF-8 ou Windows-1252/,
    ],
    ['a program', sampleExe(), /^Ce fichier n’est pas un fichier CSV en UTF-8 ou Windows-1252/],
  ])('refuses %s', (_label, content, message) => {
    expect(csvFileProblem(content)).toMatch(message);
  });
});
