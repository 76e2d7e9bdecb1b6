import { emailProblem, normalizeEmail, passwordProblems, safeReturnPath, staffEmailProblem } from './credentials.policy';

describe('passwordProblems', () => {
  it.each([
    [undefined, 'Saisissez un mot de passe.'],
    ['', 'Saisissez un mot de passe.'],
    ['court-11car', 'Le mot de passe doit compter au moins 12 caractères.'],
    ['x'.repeat(201), 'Le mot de passe doit compter au plus 200 caractères.'],
    ['Claire.Dupont@example.org', 'Le mot de passe ne doit pas être votre adresse électronique.'],
    [
      'aaaaaaaaaaaa',
      'Ce mot de passe est trop facile à deviner. Les caractères répétés comme « aaa » sont faciles à deviner. Ajoutez des mots moins courants. Évitez les mots et les caractères répétés.',
    ],
    [
      'azertyuiop12',
      'Ce mot de passe est trop facile à deviner. Les lignes droites de touches de votre clavier sont faciles à deviner. Ajoutez des mots moins courants. Utilisez des motifs de clavier plus longs et changez de sens de frappe plusieurs fois.',
    ],
    ['motdepasse123', 'Ce mot de passe est trop facile à deviner. Ajoutez des mots moins courants.'],
    [
      'claire123456',
      'Ce mot de passe est trop facile à deviner. Le mot de passe ne doit pas comporter de données personnelles ou liées au site. Ajoutez des mots moins courants.',
    ],
  ])('refuses %j', (password, message) => {
    expect(passwordProblems(password, 'claire.dupont@example.org')).toEqual([{ field: 'password', message }]);
  });

  it.each(['douze-car-ok', 'une phrase de passe assez longue', 'éàü€ rivière 😀'])('accepts %j', (password) => {
    expect(passwordProblems(password, 'claire.dupont@example.org')).toEqual([]);
  });

  it('names the field it was given', () => {
    expect(passwordProblems('', 'a@b.fr', 'newPassword')[0].field).toBe('newPassword');
  });
});

describe('safeReturnPath', () => {
  it.each([
    ['/espace/demandes?statut=late', '/espace/demandes?statut=late'],
    ['/', '/'],
    [undefined, '/espace'],
    ['', '/espace'],
    ['espace', '/espace'],
    ['//evil.example/x', '/espace'],
    ['/\\evil.example', '/espace'],
    ['https://evil.example/', '/espace'],
    ['/espace\r\nSet-Cookie: x=1', '/espace'],
    [['/a', '/b'], '/espace'],
  ])('%j → %j', (value, expected) => {
    expect(safeReturnPath(value)).toBe(expected);
  });
});

describe('normalizeEmail', () => {
  it('trims and lower-cases; anything else is empty', () => {
    expect(normalizeEmail('  Claire.Dupont@Example.ORG ')).toBe('claire.dupont@example.org');
    expect(normalizeEmail(42)).toBe('');
  });
});

describe('emailProblem', () => {
  const invalid = 'Indiquez une adresse électronique valide, par exemple nom@exemple.fr.';
  it.each([
    ['an address', 'camille.martin@example.fr', null],
    ['no domain', 'camille.martin@', invalid],
    ['empty', '', invalid],
    ['a quoted local part', '"<script>"@example.org', invalid],
    ['a quoted local part with a comma', '"a,b@evil.example"@example.org', invalid],
    ['over 254 characters', `${'a'.repeat(64)}@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(60)}.fr`, invalid],
  ])('%s', (_label, email, expected) => {
    expect(emailProblem(email)).toBe(expected);
  });
});

describe('staffEmailProblem', () => {
  it.each([
    ['an address', 'helene.dupre@example.fr', null],
    ['not an address', 'helene.dupre@', 'Indiquez une adresse électronique valide, par exemple nom@exemple.fr.'],
    // A buyer may have one (emailProblem takes it); a staff account or directory record may not.
    [
      'accents before the @',
      'hélène.dupré@example.fr',
      'Adresse électronique sans lettre accentuée avant le @, par exemple helene.dupre@exemple.fr.',
    ],
  ])('%s', (_label, email, expected) => {
    expect(staffEmailProblem(email)).toBe(expected);
  });
  it('lets a buyer keep the accents the staff rule refuses', () => {
    expect(emailProblem('hélène.dupré@example.fr')).toBeNull();
  });
});
