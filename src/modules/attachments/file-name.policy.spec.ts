import { displayFileName, filesNotSentNotice } from './file-name.policy';

describe('displayFileName', () => {
  it.each([
    ['Guide achats durables.pdf', 'pdf', 'Guide achats durables.pdf'],
    ['CCTP lot 2 — clauses.DOCX', 'docx', 'CCTP lot 2 — clauses.DOCX'],
    ['photo.jpeg', 'jpg', 'photo.jpeg'],
    ['photo.JPG', 'jpg', 'photo.JPG'],
    ['C:\\Users\\marie\\Documents\\note.odt', 'odt', 'note.odt'],
    ['../../etc/passwd', 'pdf', 'passwd.pdf'],
    ['image.pdf', 'png', 'image.pdf.png'],
    ['rapport\u202Efdp.exe', 'pdf', 'rapportfdp.exe.pdf'],
    ['ligne\r\nContent-Type: text.pdf', 'pdf', 'ligne Content-Type: text.pdf'],
    ['   ', 'pdf', 'piece-jointe.pdf'],
    ['.pdf', 'pdf', 'piece-jointe.pdf'],
    ['.htaccess', 'pdf', 'htaccess.pdf'],
    ['x'.repeat(300) + '.pdf', 'pdf', 'x'.repeat(146) + '.pdf'],
  ])('%j as %s → %j', (given, extension, expected) => {
    expect(displayFileName(given, extension)).toBe(expected);
  });
});

describe('filesNotSentNotice', () => {
  it.each<[string[], string | null]>([
    [[], null],
    [['CCTP.pdf'], 'Le fichier « CCTP.pdf » n’a pas été envoyé : joignez-le de nouveau.'],
    [['a.pdf', 'b.odt'], 'Les fichiers « a.pdf » et « b.odt » n’ont pas été envoyés : joignez-les de nouveau.'],
    [['a.pdf', 'b.odt', 'c.png'], 'Les fichiers « a.pdf », « b.odt » et « c.png » n’ont pas été envoyés : joignez-les de nouveau.'],
  ])('%j → %j', (names, notice) => {
    expect(filesNotSentNotice(names)).toBe(notice);
  });
});
