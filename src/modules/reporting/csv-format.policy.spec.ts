import { CSV_BOM, csvCell, csvFileName, csvLine, csvSeparator } from './csv-format.policy';

describe('csv-format.policy', () => {
  it.each([
    ['plain text', 'Fournitures', ';', 'Fournitures'],
    ['empty for null', null, ';', ''],
    ['empty for undefined', undefined, ';', ''],
    ['number as is', 120000, ';', '120000'],
    ['negative number is a number, not a formula', -5, ';', '-5'],
    ['boolean in French', true, ';', 'Oui'],
    ['separator quoted', 'a;b', ';', '"a;b"'],
    ['comma left alone with ;', 'a,b', ';', 'a,b'],
    ['comma quoted with ,', 'a,b', ',', '"a,b"'],
    ['quotes doubled', 'le "bon" choix', ';', '"le ""bon"" choix"'],
    ['line breaks quoted', 'ligne 1\nligne 2', ';', '"ligne 1\nligne 2"'],
    ['CRLF quoted', 'a\r\nb', ';', '"a\r\nb"'],
    ['= formula guarded', '=HYPERLINK("http://x")', ';', '"\'=HYPERLINK(""http://x"")"'],
    ['+ guarded', '+33 4 76', ';', "'+33 4 76"],
    ['- guarded', '-1+1', ';', "'-1+1"],
    ['@ guarded', '@SUM(A1)', ';', "'@SUM(A1)"],
    ['tab guarded', '\tcmd', ';', "'\tcmd"],
    ['CR guarded and quoted', '\rcmd', ';', '"\'\rcmd"'],
    ['= inside text untouched', 'a=b', ';', 'a=b'],
    ['accents kept', 'Île-de-France — été', ';', 'Île-de-France — été'],
    ['decimal comma with ;', 2.5, ';', '2,5'],
    ['decimal point with , (the comma separates)', 2.5, ',', '2.5'],
    ['negative decimal', -0.5, ';', '-0,5'],
    // A label's own comma never reads as a second value, whatever the separator.
    ['labels joined by |', ['Carbone', 'Insertion, handicap'], ';', 'Carbone | Insertion, handicap'],
    ['labels joined by |, quoted for commas', ['Carbone', 'Insertion, handicap'], ',', '"Carbone | Insertion, handicap"'],
    ['no label, empty cell', [], ';', ''],
    ['joined labels guarded', ['=1+1', 'Carbone'], ';', "'=1+1 | Carbone"],
  ])('%s', (_label, value, separator, expected) => {
    expect(csvCell(value as never, separator as ';' | ',')).toBe(expected);
  });

  it('ends each record with CRLF', () => {
    expect(csvLine(['a', null, 'b;c', 3], ';')).toBe('a;;"b;c";3\r\n');
    expect(csvLine(['a', 'b;c'], ',')).toBe('a,b;c\r\n');
  });

  it.each([
    [{}, ';'],
    [{ separateur: 'virgule' }, ','],
    [{ separateur: 'point-virgule' }, ';'],
    [{ separateur: ['virgule'] }, ';'],
  ])('separator for %j is %s', (query, expected) => {
    expect(csvSeparator(query)).toBe(expected);
  });

  it('names the file after the day in Paris', () => {
    expect(csvFileName('demandes', new Date('2026-11-22T10:00:00Z'))).toBe('demandes-2026-11-22.csv');
    // 23:30 UTC on 31 December is already the next year in Paris.
    expect(csvFileName('evaluations', new Date('2026-12-31T23:30:00Z'))).toBe('evaluations-2027-01-01.csv');
  });

  it('starts with the UTF-8 byte order mark', () => {
    expect(Buffer.from(CSV_BOM, 'utf8')).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });
});
