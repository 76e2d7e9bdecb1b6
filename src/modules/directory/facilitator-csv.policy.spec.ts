import 'reflect-metadata';
import { CSV_COLUMNS, CsvHeader, detectDelimiter, readFacilitatorRecord, readHeader } from './facilitator-csv.policy';

const header = (readHeader([...CSV_COLUMNS]) as { ok: true; header: CsvHeader }).header;

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

describe('readHeader', () => {
  it.each([
    ['the columns in order', [...CSV_COLUMNS], 9],
    ['another order', [...CSV_COLUMNS].reverse(), 9],
    [
      'capitals, accents and spaces',
      [' EMAIL ', 'First_Name', 'last_name', 'kind', 'network', 'Départements', 'capacity', 'segments', 'coordinator'],
      9,
    ],
    ['empty columns at the end', [...CSV_COLUMNS, '', ''], 9],
  ])('accepts %s', (_label, fields, width) => {
    const reading = readHeader(fields);
    expect(reading.ok && reading.header.width).toBe(width);
    expect(reading.ok && fields[reading.header.positions.network].trim()).toBe('network');
  });

  it.each([
    ['a missing column', CSV_COLUMNS.filter((c) => c !== 'capacity'), /colonnes manquantes : capacity/],
    ['an unknown column', [...CSV_COLUMNS, 'phone'], /colonnes inconnues : phone/],
    ['a repeated column', [...CSV_COLUMNS, 'email'], /colonnes en double : email/],
    ['an empty column in the middle', ['email', '', ...CSV_COLUMNS.slice(1)], /colonnes inconnues : \(vide\)/],
    ['a data row instead of a header', row(), /colonnes manquantes : email, first_name/],
  ])('refuses %s', (_label, fields, problem) => {
    const reading = readHeader(fields);
    expect(reading.ok).toBe(false);
    expect(!reading.ok && reading.problem).toMatch(problem);
    expect(!reading.ok && reading.problem).toContain(
      'Colonnes attendues : email,first_name,last_name,kind,network,departements,capacity,segments,coordinator',
    );
  });
});

describe('readFacilitatorRecord', () => {
  it('reads a valid row, with the e-mail lower-cased and codes split on spaces', () => {
    expect(readFacilitatorRecord(row(), header)).toEqual({
      ok: true,
      email: 'claire.dupont@example.org',
      facilitator: {
        email: 'claire.dupont@example.org',
        firstName: 'Claire',
        lastName: 'Dupont',
        kind: 'environmental',
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
    ['coordinator yes', { kind: 'social_clause', coordinator: 'yes' }, { isCoordinator: true }],
    ['coordinator oui', { kind: 'social_clause', coordinator: 'Oui' }, { isCoordinator: true }],
    ['coordinator non', { coordinator: 'non' }, { isCoordinator: false }],
    ['coordinator left empty', { coordinator: '' }, { isCoordinator: false }],
    ['capacity 0', { capacity: '0' }, { capacity: 0 }],
    ['capacity 200', { capacity: '200' }, { capacity: 200 }],
    ['social clause', { kind: 'social_clause' }, { kind: 'social_clause' }],
  ])('accepts %s', (_label, change, expected) => {
    const reading = readFacilitatorRecord(row(change), header);
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
      'several problems at once',
      { email: '', capacity: 'abc', coordinator: 'x' },
      [
        'Indiquez l’adresse électronique.',
        'La capacité est un nombre entier de 0 à 200 (demandes ouvertes à la fois).',
        'Colonne coordinator : « x » ; répondez yes ou no (oui ou non).',
      ],
    ],
  ])('refuses %s', (_label, change, reasons) => {
    const reading = readFacilitatorRecord(row(change), header);
    expect(reading).toEqual({ ok: false, email: change.email === '' ? null : expect.any(String), reasons });
  });

  it.each([
    ['too few fields', row().slice(0, 8), 'La ligne a 8 colonnes au lieu de 9.'],
    ['extra fields with values', [...row(), 'surplus'], 'La ligne a 10 colonnes au lieu de 9.'],
  ])('refuses a row with %s, keeping its e-mail for the report', (_label, fields, reason) => {
    expect(readFacilitatorRecord(fields, header)).toEqual({ ok: false, email: 'claire.dupont@example.org', reasons: [reason] });
  });

  it('accepts extra empty fields, as spreadsheets add them', () => {
    expect(readFacilitatorRecord([...row(), '', ''], header).ok).toBe(true);
  });
});
