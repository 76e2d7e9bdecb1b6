import 'reflect-metadata';
import segmentsSeed from '../reference/seed/segments.json';
import {
  CSV_COLUMNS,
  CsvHeader,
  detectDelimiter,
  MISPLACED_QUOTES,
  readCsvRecords,
  readFacilitatorRecord,
  readHeader,
} from './facilitator-csv.policy';

const headerOf = (fields: string[]) => (readHeader(fields) as { ok: true; header: CsvHeader }).header;
const header = headerOf([...CSV_COLUMNS]);
const SEGMENTS = segmentsSeed.map(({ code, label }) => ({ code, label }));
const read = (fields: string[], withHeader = header) => readFacilitatorRecord(fields, withHeader, SEGMENTS);

/** A valid row, column by column, to vary one field at a time. */
const VALID = {
  email: 'Claire.Dupont@Example.org',
  first_name: 'Claire',
  last_name: 'Dupont',
  kind: 'environmental',
  network: 'aura-ee',
  departements: '38 73',
  capacity: '10',
  segments: 'catering',
  coordinator: 'no',
  organisation: '',
};
const row = (change: Partial<typeof VALID> = {}) => CSV_COLUMNS.map((column) => ({ ...VALID, ...change })[column]);

describe('detectDelimiter', () => {
  it.each([
    ['commas', 'email,first_name,last_name,kind,network,departements,capacity,segments,coordinator', ','],
    ['semicolons', 'email;first_name;last_name;kind;network;departements;capacity;segments;coordinator', ';'],
    [
      'semicolons with a comma in a quoted name',
      'email;"first,name";last_name;kind;network;departements;capacity;segments;coordinator',
      ';',
    ],
    ['a single column', 'email', ','],
  ])('%s', (_label, line, delimiter) => {
    expect(detectDelimiter(line)).toBe(delimiter);
  });
});

describe('readCsvRecords', () => {
  const unreadable = (line: number) => ({ line, fields: null, problem: MISPLACED_QUOTES });
  it.each<[string, string, unknown[]]>([
    ['an empty file', '', []],
    [
      'LF line ends, blank lines skipped',
      'h;x\na;b\n\nc;d\n',
      [
        { line: 1, fields: ['h', 'x'] },
        { line: 2, fields: ['a', 'b'] },
        { line: 4, fields: ['c', 'd'] },
      ],
    ],
    [
      'CRLF line ends and a BOM',
      '\uFEFFh;x\r\na;b\r\n',
      [
        { line: 1, fields: ['h', 'x'] },
        { line: 2, fields: ['a', 'b'] },
      ],
    ],
    [
      'old Mac line ends (CR)',
      'h;x\ra;b\r',
      [
        { line: 1, fields: ['h', 'x'] },
        { line: 2, fields: ['a', 'b'] },
      ],
    ],
    [
      'commas, a quoted field holding a semicolon, spaces around fields',
      'h,x\n a , "b;c" \n',
      [
        { line: 1, fields: ['h', 'x'] },
        { line: 2, fields: ['a', 'b;c'] },
      ],
    ],
    [
      'a cell over two lines (CRLF): the record starts on its first, the next on its own line',
      'h;x\r\na;"b\r\nc"\r\nd;e\r\n',
      [
        { line: 1, fields: ['h', 'x'] },
        { line: 2, fields: ['a', 'b\nc'] },
        { line: 4, fields: ['d', 'e'] },
      ],
    ],
    [
      'escaped quotes',
      'h;x\na;"B ""C"""\n',
      [
        { line: 1, fields: ['h', 'x'] },
        { line: 2, fields: ['a', 'B "C"'] },
      ],
    ],
    [
      'a line of separators',
      'h;x\n;\n',
      [
        { line: 1, fields: ['h', 'x'] },
        { line: 2, fields: ['', ''] },
      ],
    ],
    [
      'a quote never closed: its line alone is unreadable, the following ones are read',
      'h;x\nx;"B""C;d\ne;f\n',
      [{ line: 1, fields: ['h', 'x'] }, unreadable(2), { line: 3, fields: ['e', 'f'] }],
    ],
    [
      'a quote never closed on the last line',
      'h;x\na;b\nc;"d',
      [{ line: 1, fields: ['h', 'x'] }, { line: 2, fields: ['a', 'b'] }, unreadable(3)],
    ],
    [
      'a quote never closed before a cell over two lines',
      'h;x\na;"b""c\nd;e\nf;"g\nh"\ni;j',
      [
        { line: 1, fields: ['h', 'x'] },
        unreadable(2),
        { line: 3, fields: ['d', 'e'] },
        { line: 4, fields: ['f', 'g\nh'] },
        { line: 6, fields: ['i', 'j'] },
      ],
    ],
    [
      'a quote inside an unquoted field',
      'h;x\na;B"C\nd;e\n',
      [{ line: 1, fields: ['h', 'x'] }, unreadable(2), { line: 3, fields: ['d', 'e'] }],
    ],
    ['text after a closing quote', 'h;x\na;"b"c\nd;e\n', [{ line: 1, fields: ['h', 'x'] }, unreadable(2), { line: 3, fields: ['d', 'e'] }]],
  ])('%s', (_label, text, records) => {
    expect(readCsvRecords(text)).toEqual(records);
  });
});

const FRENCH_HEADER = ['E-mail', 'Prénom', 'Nom', 'Type', 'Réseau', 'Départements', 'Capacité', 'Segments', 'Coordinateur', 'Structure'];

describe('readHeader', () => {
  it.each<[string, string[], number, string[]]>([
    ['the columns in order', [...CSV_COLUMNS], 10, []],
    ['another order', [...CSV_COLUMNS].reverse(), 10, []],
    [
      'capitals, accents and spaces',
      [' EMAIL ', 'First_Name', 'last_name', 'kind', 'network', 'Départements', 'capacity', 'segments', 'coordinator'],
      9,
      [],
    ],
    ['empty columns at the end', [...CSV_COLUMNS, '', ''], 10, []],
    ['French Excel’s names', FRENCH_HEADER, 10, []],
    ['without the optional structure', FRENCH_HEADER.slice(0, 9), 9, []],
    [
      'other French names',
      [
        'Adresse électronique',
        'prénom',
        'Nom de famille',
        'Domaine',
        'RÉSEAU',
        'Département',
        'Capacite',
        'Segments d’achat',
        'Coordinatrice',
      ],
      9,
      [],
    ],
    ['« Courriel »', ['Courriel', ...CSV_COLUMNS.slice(1)], 10, []],
    ['an unknown column, ignored', [...CSV_COLUMNS, 'Téléphone'], 11, ['Téléphone']],
    ['an untitled column in the middle, ignored', ['email', '', ...CSV_COLUMNS.slice(1)], 11, ['colonne 2 sans titre']],
  ])('accepts %s', (_label, fields, width, ignored) => {
    const reading = readHeader(fields);
    expect(reading.ok && reading.header.width).toBe(width);
    expect(reading.ok && reading.header.ignored).toEqual(ignored);
    expect(reading.ok && fields[reading.header.positions.network]).toBe(fields.find((name) => /network|r[ée]seau/i.test(name)));
  });

  it('keeps each column’s header as typed, for the messages', () => {
    expect(headerOf(FRENCH_HEADER).labels).toEqual(Object.fromEntries(CSV_COLUMNS.map((column, index) => [column, FRENCH_HEADER[index]])));
  });

  it.each([
    ['a missing column', CSV_COLUMNS.filter((c) => c !== 'capacity'), /\(colonnes manquantes : capacity \(ou Capacité\)\)/],
    [
      'a misspelt column',
      [...FRENCH_HEADER.slice(0, 6), 'Capacitée', ...FRENCH_HEADER.slice(7)],
      /\(colonnes manquantes : capacity \(ou Capacité\) ; colonnes non reconnues : Capacitée\)/,
    ],
    ['a repeated column', [...CSV_COLUMNS, 'email'], /\(colonnes en double : email et email\)/],
    ['a column under both its names', [...CSV_COLUMNS, 'Nom'], /\(colonnes en double : last_name et Nom\)/],
    ['a data row instead of a header', row(), /colonnes manquantes : email \(ou E-mail\), first_name \(ou Prénom\)/],
  ])('refuses %s', (_label, fields, problem) => {
    const reading = readHeader(fields);
    expect(reading.ok).toBe(false);
    expect(!reading.ok && reading.problem).toMatch(problem);
    expect(!reading.ok && reading.problem).toContain(
      'Colonnes attendues : email,first_name,last_name,kind,network,departements,capacity,segments,coordinator (ou E-mail, Prénom, Nom, Type, Réseau, Départements, Capacité, Segments, Coordinateur), séparées par « , » ou « ; » ; facultative : organisation (ou Structure).',
    );
  });
});

const SEGMENT_CHOICES =
  'Indiquez des codes ou des noms de la liste, séparés par « , » : office_supplies (Fournitures de bureau), furniture (Mobilier), catering (Restauration collective), construction (Travaux et bâtiment), it_equipment (Matériel informatique), vehicles (Véhicules), electricity (Électricité), cleaning (Nettoyage), workwear (Vêtements de travail), green_spaces (Espaces verts), waste (Gestion des déchets), intellectual_services (Prestations intellectuelles), training (Formation), events (Événementiel), other (Autre).';

describe('readFacilitatorRecord', () => {
  it('reads a valid row, with the e-mail lower-cased and codes split on spaces', () => {
    expect(read(row())).toEqual({
      ok: true,
      email: 'claire.dupont@example.org',
      facilitator: {
        email: 'claire.dupont@example.org',
        firstName: 'Claire',
        lastName: 'Dupont',
        kind: 'environmental',
        organisation: null,
        networkCode: 'aura-ee',
        departmentCodes: ['38', '73'],
        segments: ['catering'],
        capacity: 10,
        isCoordinator: false,
      },
    });
  });

  it.each<[string, Partial<typeof VALID>, Record<string, unknown>]>([
    ['empty départements (the whole network)', { departements: '' }, { departmentCodes: [] }],
    [
      'several spaces between codes',
      { departements: ' 38   73 ', segments: 'catering  furniture' },
      { departmentCodes: ['38', '73'], segments: ['catering', 'furniture'] },
    ],
    ['no segment', { segments: '' }, { segments: [] }],
    ['a structure, trimmed', { organisation: ' PLIE du Grand Narbonne ' }, { organisation: 'PLIE du Grand Narbonne' }],
    ['an empty structure: none (the network)', { organisation: '' }, { organisation: null }],
    ['coordinator yes', { kind: 'social_clause', coordinator: 'yes' }, { isCoordinator: true }],
    ['coordinator oui', { kind: 'social_clause', coordinator: 'Oui' }, { isCoordinator: true }],
    ['coordinator non', { coordinator: 'non' }, { isCoordinator: false }],
    ['coordinator left empty', { coordinator: '' }, { isCoordinator: false }],
    ['capacity 0', { capacity: '0' }, { capacity: 0 }],
    ['capacity 200', { capacity: '200' }, { capacity: 200 }],
    ['social clause', { kind: 'social_clause' }, { kind: 'social_clause' }],
    ['départements separated by commas', { departements: '38, 73' }, { departmentCodes: ['38', '73'] }],
    ['départements separated by semicolons', { departements: '38;73' }, { departmentCodes: ['38', '73'] }],
    ['départements separated by line breaks', { departements: '38\n73' }, { departmentCodes: ['38', '73'] }],
    ['codes whose leading zero Excel dropped', { departements: '1 7' }, { departmentCodes: ['01', '07'] }],
    ['dropped zeros among other codes', { departements: '1,38 ; 7' }, { departmentCodes: ['01', '38', '07'] }],
    ['a Corsican code in lower case', { departements: '2a' }, { departmentCodes: ['2A'] }],
    ['kind « clauses sociales »', { kind: 'clauses sociales' }, { kind: 'social_clause' }],
    ['kind « Clause sociale »', { kind: 'Clause sociale' }, { kind: 'social_clause' }],
    ['kind « environnement »', { kind: 'environnement' }, { kind: 'environmental' }],
    ['kind « Environnemental »', { kind: 'Environnemental' }, { kind: 'environmental' }],
    ['kind « environnementale »', { kind: 'environnementale' }, { kind: 'environmental' }],
    ['a segment by its French name', { segments: 'Restauration collective' }, { segments: ['catering'] }],
    [
      'segment names in any case, without accents',
      { segments: 'restauration COLLECTIVE, electricite' },
      { segments: ['catering', 'electricity'] },
    ],
    ['segment names one after the other', { segments: 'Fournitures de bureau Mobilier' }, { segments: ['office_supplies', 'furniture'] }],
    [
      'codes and names mixed',
      { segments: 'catering; Vêtements de travail it_equipment' },
      { segments: ['catering', 'workwear', 'it_equipment'] },
    ],
  ])('accepts %s', (_label, change, expected) => {
    const reading = read(row(change));
    expect(reading).toEqual({ ok: true, email: 'claire.dupont@example.org', facilitator: expect.objectContaining(expected) });
  });

  it.each<[string, Partial<typeof VALID>, string[]]>([
    ['a bad e-mail', { email: 'claire.dupont' }, ['Indiquez une adresse électronique valide, par exemple nom@exemple.fr.']],
    [
      'accents before the @',
      { email: 'hélène.dupré@example.org' },
      ['Indiquez une adresse électronique valide, par exemple nom@exemple.fr.'],
    ],
    ['no first name', { first_name: '' }, ['Indiquez le prénom.']],
    ['no last name', { last_name: '' }, ['Indiquez le nom.']],
    [
      'an unknown kind',
      { kind: 'green' },
      ['Type inconnu : environmental (conseiller environnemental) ou social_clause (clauses sociales).'],
    ],
    ['no network', { network: '' }, ['Indiquez le code du réseau.']],
    ['a capacity in letters', { capacity: 'abc' }, ['La capacité est un nombre entier de 0 à 200 (demandes ouvertes à la fois).']],
    ['a decimal capacity', { capacity: '2.5' }, ['La capacité est un nombre entier de 0 à 200 (demandes ouvertes à la fois).']],
    ['a negative capacity', { capacity: '-1' }, ['La capacité est un nombre entier de 0 à 200 (demandes ouvertes à la fois).']],
    ['a capacity over 200', { capacity: '201' }, ['La capacité est un nombre entier de 0 à 200 (demandes ouvertes à la fois).']],
    ['no capacity', { capacity: '' }, ['Indiquez la capacité.']],
    [
      'a coordinator neither yes nor no',
      { coordinator: 'peut-être' },
      ['Colonne coordinator : « peut-être » ; répondez yes ou no (oui ou non).'],
    ],
    [
      'an unknown segment',
      { segments: 'Restauration colective' },
      [`Colonne segments : segment d’achat inconnu « Restauration colective ». ${SEGMENT_CHOICES}`],
    ],
    [
      'unknown segments among known ones',
      { segments: 'catering cleanning, Mobilier, vert' },
      [`Colonne segments : segments d’achat inconnus « cleanning », « vert ». ${SEGMENT_CHOICES}`],
    ],
    [
      'a last name over two lines',
      { last_name: 'Dupont\nsecond' },
      ['Colonne last_name : le texte tient sur plusieurs lignes (« Dupont » puis « second ») ; écrivez-le sur une seule ligne.'],
    ],
    [
      'a first name over two lines',
      { first_name: 'Claire\r\nMarie' },
      ['Colonne first_name : le texte tient sur plusieurs lignes (« Claire » puis « Marie ») ; écrivez-le sur une seule ligne.'],
    ],
    [
      'an e-mail over two lines, without the invalid-address message that follows from it',
      { email: 'claire.dupont@\nexample.org' },
      ['Colonne email : le texte tient sur plusieurs lignes (« claire.dupont@ » puis « example.org ») ; écrivez-le sur une seule ligne.'],
    ],
    [
      'a structure over two lines',
      { organisation: 'Maison de l’emploi\nde Carcassonne' },
      [
        'Colonne organisation : le texte tient sur plusieurs lignes (« Maison de l’emploi » puis « de Carcassonne ») ; écrivez-le sur une seule ligne.',
      ],
    ],
    ['a structure too long', { organisation: 'x'.repeat(151) }, ['Le nom de la structure ne doit pas dépasser 150 caractères.']],
    [
      'several problems at once',
      { email: '', capacity: 'abc', coordinator: 'x' },
      [
        'Indiquez l’adresse électronique.',
        'La capacité est un nombre entier de 0 à 200 (demandes ouvertes à la fois).',
        'Colonne coordinator : « x » ; répondez yes ou no (oui ou non).',
      ],
    ],
  ])('refuses %s', (_label, change, reasons) => {
    const reading = read(row(change));
    expect(reading).toEqual({ ok: false, email: change.email === '' ? null : expect.any(String), reasons });
  });

  it.each([
    ['too few fields', row().slice(0, 8), 'La ligne a 8 colonnes au lieu de 10.'],
    ['extra fields with values', [...row(), 'surplus'], 'La ligne a 11 colonnes au lieu de 10.'],
  ])('refuses a row with %s, keeping its e-mail for the report', (_label, fields, reason) => {
    expect(read(fields)).toEqual({ ok: false, email: 'claire.dupont@example.org', reasons: [reason] });
  });

  it('accepts extra empty fields, as spreadsheets add them', () => {
    expect(read([...row(), '', '']).ok).toBe(true);
  });

  it('names the columns in messages as the header has them, and ignores the columns it does not know', () => {
    const french = headerOf([...FRENCH_HEADER, 'Téléphone']);
    const fields = [...row({ coordinator: 'peut-être', last_name: 'Dupont\nsecond' }), '02 99 00 00 00'];
    expect(read(fields, french)).toEqual({
      ok: false,
      email: 'claire.dupont@example.org',
      reasons: [
        'Colonne Nom : le texte tient sur plusieurs lignes (« Dupont » puis « second ») ; écrivez-le sur une seule ligne.',
        'Colonne Coordinateur : « peut-être » ; répondez yes ou no (oui ou non).',
      ],
    });
    expect(read([...row(), '02 99 00 00 00'], french).ok).toBe(true);
  });

  it('reads a file without the structure column as leaving each record’s structure unchanged', () => {
    const withoutStructure = headerOf(FRENCH_HEADER.slice(0, 9));
    const reading = read(row().slice(0, 9), withoutStructure);
    expect(reading.ok && reading.facilitator).toMatchObject({ email: 'claire.dupont@example.org', organisation: undefined });
  });

  it('reads « Structure » in the French header', () => {
    const french = headerOf(FRENCH_HEADER);
    expect(read(row({ organisation: 'Département de l’Aude' }), french)).toMatchObject({
      ok: true,
      facilitator: { organisation: 'Département de l’Aude' },
    });
  });
});
