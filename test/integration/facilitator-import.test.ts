import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { facilitatorsImport } from '../../src/cli/facilitators-import.command';
import { captureIo } from '../support/cli';
import { insertStaff } from '../support/staff';
import { TestApp, useTestApp } from '../support/test-app';

const HEADER = 'email;first_name;last_name;kind;network;departements;capacity;segments;coordinator';
/** A spreadsheet export: BOM, semicolons, CRLF, quotes, a blank line, good and bad rows mixed. */
const ROWS = [
  /* 2 */ 'claire.dupont@example.org;Claire;Dupont;environmental;aura-ee;38 73;10;catering furniture;no',
  /* 3 */ 'Yann.Le-Goff@Example.org;Yann;Le Goff;social_clause;reseco;35 44;6;;non',
  /* 4 */ 'coordination.ge@example.org;Alice;"Martin; coordination";social_clause;grand-est;;5;;oui',
  /* 5 */ 'nina.roux@example.org;Nina;Roux;environmental;reseco;;8;;',
  /* 6 */ 'paul.atlantis@example.org;Paul;Durand;environmental;atlantis;;10;;no',
  /* 7 */ 'pas-une-adresse;Léa;Petit;environmental;aura-ee;;10;;no',
  /* 8 */ 'marc.blanc@example.org;Marc;Blanc;environmental;aura-ee;38 999;10;;no',
  /* 9 */ 'sophie.noir@example.org;Sophie;Noir;environmental;aura-ee;38 35;10;;no',
  /* 10 */ 'jean.vert@example.org;Jean;Vert;environmental;aura-ee;;10;;yes',
  /* 11 */ 'luc.gris@example.org;Luc;Gris;environmental;aura-ee;;abc;;no',
  /* 12 */ '',
  /* 13 */ 'CLAIRE.DUPONT@example.org;Claire;Dupont;environmental;aura-ee;38;10;;no',
];
const REJECTED_LINES = [
  '  ligne 6 — paul.atlantis@example.org — Réseau inconnu : « atlantis ». Codes possibles : 3ar, apure, arbe, arnia, aura-ee, grand-est, maximilien, national, ran-coper, res-occ, reseco, reunion.',
  '  ligne 7 — pas-une-adresse — Indiquez une adresse électronique valide, par exemple nom@exemple.fr.',
  '  ligne 8 — marc.blanc@example.org — Département inconnu : 999. Utilisez les codes INSEE (01, 2A, 971…).',
  '  ligne 9 — sophie.noir@example.org — Ce département n’est pas sur le territoire du réseau « AURA-EE / RREDD » : 35 (RESECO).',
  '  ligne 10 — jean.vert@example.org — Seuls les facilitateurs de clauses sociales peuvent être coordinateurs régionaux : un conseiller environnemental couvre déjà son réseau.',
  '  ligne 11 — luc.gris@example.org — La capacité est un nombre entier de 0 à 200 (demandes ouvertes à la fois).',
  '  ligne 13 — claire.dupont@example.org — Adresse déjà présente ligne 2 : une seule ligne par facilitateur.',
];

describe('npm run cli -- facilitators:import', () => {
  let t!: TestApp;
  let dir: string;
  const writeCsv = async (name: string, content: string | Buffer) => {
    const file = join(dir, name);
    await writeFile(file, content);
    return file;
  };
  const importFile = async (file: string) => {
    const io = captureIo();
    const code = await facilitatorsImport(t.app, [file], io);
    return { code, out: io.out(), err: io.err() };
  };
  const facilitators = () =>
    t.dataSource.query(
      `SELECT f.email, f.first_name, f.last_name, f.kind, f.network_code, f.capacity, f.is_coordinator, f.active, f.segments, f.updated_at,
              ARRAY(SELECT department_code::text FROM facilitator_departments d WHERE d.facilitator_id = f.id ORDER BY 1) AS departments
         FROM facilitators f ORDER BY f.email`,
    );
  const changeEvents = async () =>
    Number((await t.dataSource.query(`SELECT count(*) AS n FROM outbox_events WHERE job_name = 'routing.facilitator-changed'`))[0].n);

  useTestApp((app) => (t = app));
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gv-import-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('imports the good rows, reports each bad one with its reason, and changes nothing on a second run', async () => {
    const file = await writeCsv('facilitateurs.csv', `\uFEFF${[HEADER, ...ROWS].join('\r\n')}\r\n`);

    const first = await importFile(file);
    // The valid rows are in; the code tells a script that some were not.
    expect(first.code).toBe(1);
    expect(first.err).toBe('');
    expect(first.out).toBe(
      [
        `Import des facilitateurs : ${file}`,
        'Lignes rejetées :',
        ...REJECTED_LINES,
        'Résumé : créés 4, mis à jour 0, inchangés 0, rejetés 7.',
        '',
      ].join('\n'),
    );
    const stored = await facilitators();
    expect(stored).toEqual([
      expect.objectContaining({
        email: 'claire.dupont@example.org',
        kind: 'environmental',
        network_code: 'aura-ee',
        departments: ['38', '73'],
        segments: ['catering', 'furniture'],
        capacity: 10,
        is_coordinator: false,
        active: true,
      }),
      expect.objectContaining({
        email: 'coordination.ge@example.org',
        last_name: 'Martin; coordination',
        kind: 'social_clause',
        network_code: 'grand-est',
        departments: [],
        is_coordinator: true,
      }),
      expect.objectContaining({
        email: 'nina.roux@example.org',
        network_code: 'reseco',
        departments: [],
        segments: [],
        capacity: 8,
        is_coordinator: false,
      }),
      expect.objectContaining({
        email: 'yann.le-goff@example.org',
        last_name: 'Le Goff',
        kind: 'social_clause',
        departments: ['35', '44'],
        is_coordinator: false,
      }),
    ]);
    expect(await changeEvents()).toBe(4);

    const second = await importFile(file);
    expect(second.code).toBe(1);
    expect(second.out).toContain(REJECTED_LINES.join('\n'));
    expect(second.out).toContain(
      'Résumé : créés 0, mis à jour 0, inchangés 4, rejetés 7.\nAucun changement : l’annuaire était déjà à jour pour toutes les lignes valides.\n',
    );
    expect(await facilitators()).toEqual(stored);
    expect(await changeEvents()).toBe(4);
  });

  it('updates what changed, keeps a deactivation the file does not mention, and emits one routing event per changed facilitator', async () => {
    const header = HEADER.replace(/;/g, ',');
    const file = await writeCsv(
      'v1.csv',
      `${header}\nclaire.dupont@example.org,Claire,Dupont,environmental,aura-ee,38,10,,no\nnina.roux@example.org,Nina,Roux,environmental,reseco,,8,,no\n`,
    );
    expect((await importFile(file)).out).toContain('Résumé : créés 2, mis à jour 0, inchangés 0, rejetés 0.');
    await t.dataSource.query(`UPDATE facilitators SET active = false WHERE email = 'nina.roux@example.org'`);

    await writeFile(
      file,
      `${header}\nclaire.dupont@example.org,Claire,Dupont,environmental,aura-ee,38 73,4,,no\nnina.roux@example.org,Nina,Roux,environmental,reseco,,8,,no\n`,
    );
    const run = await importFile(file);
    expect(run.out).toContain('Résumé : créés 0, mis à jour 1, inchangés 1, rejetés 0.');
    expect(run.out).not.toContain('Aucun changement');
    expect(await facilitators()).toEqual([
      expect.objectContaining({ email: 'claire.dupont@example.org', departments: ['38', '73'], capacity: 4 }),
      expect.objectContaining({ email: 'nina.roux@example.org', active: false }),
    ]);
    expect(await changeEvents()).toBe(3);
  });

  it('rejects a line at the address of an account that could not hold its record; an animator of its network takes theirs', async () => {
    await insertStaff(t.dataSource, { role: 'admin', email: 'demo.admin@example.org' });
    await insertStaff(t.dataSource, { role: 'animator', networks: ['apure'], email: 'anim.apure@example.org' });
    const answering = await insertStaff(t.dataSource, { role: 'animator', networks: ['3ar'], email: 'anim.3ar@example.org' });
    const file = await writeCsv(
      'comptes.csv',
      [
        HEADER,
        'demo.admin@example.org;Camille;Admin;environmental;3ar;;10;;no',
        'anim.apure@example.org;Noé;Apure;environmental;3ar;;10;;no',
        'anim.3ar@example.org;Sam;Essai;environmental;3ar;;10;;no',
        '',
      ].join('\n'),
    );
    const run = await importFile(file);
    expect(run.code).toBe(1);
    const refusal =
      'Cette adresse est celle d’un compte de l’espace qui ne peut pas tenir cette fiche : un administrateur, ou un compte d’un autre réseau que « 3AR — Association Aquitaine des Achats publics Responsables », n’ouvrirait pas les demandes qu’elle reçoit. Indiquez l’adresse de la personne qui les traitera.';
    expect(run.out).toContain(`  ligne 2 — demo.admin@example.org — ${refusal}\n  ligne 3 — anim.apure@example.org — ${refusal}\n`);
    expect(run.out).toContain('Résumé : créés 1, mis à jour 0, inchangés 0, rejetés 2.');
    expect((await facilitators()).map((row: { email: string }) => row.email)).toEqual(['anim.3ar@example.org']);
    expect(
      await t.dataSource.query(`SELECT f.email FROM staff_users u JOIN facilitators f ON f.id = u.facilitator_id WHERE u.id = $1`, [
        answering.id,
      ]),
    ).toEqual([{ email: 'anim.3ar@example.org' }]);
  });

  it.each<[string, string | Buffer, RegExp]>([
    [
      'a header with a missing column',
      'email;first_name;last_name;kind;network;departements;segments;coordinator\n',
      /En-tête invalide \(colonnes manquantes : capacity \(ou Capacité\)\)/,
    ],
    ['an empty file', '', /Le fichier est vide/],
  ])('exits with code 2 on %s, writing nothing', async (_label, content, message) => {
    const run = await importFile(await writeCsv('mauvais.csv', content));
    expect(run.code).toBe(2);
    expect(run.err).toMatch(message);
    expect(run.out).toBe('');
    expect(await facilitators()).toEqual([]);
  });

  it('reads French Excel’s plain « CSV » (Windows-1252) and codes typed in capitals', async () => {
    // é is one byte (0xE9), the apostrophe ’ too (0x92): no UTF-8 reader takes them.
    const excel = Buffer.from(
      `${HEADER}\r\nhelene.dupre@example.org;H\xe9l\xe8ne;Dupr\xe9 d\x92Aubign\xe9;Environmental;AURA-EE;38 73;10;CATERING;Non\r\n`,
      'latin1',
    );
    const run = await importFile(await writeCsv('excel.csv', excel));
    expect(run.code).toBe(0);
    expect(run.out).toContain('Fichier lu en Windows-1252 (le « CSV » d’Excel), faute d’être en UTF-8.');
    expect(run.out).toContain('Résumé : créés 1, mis à jour 0, inchangés 0, rejetés 0.');
    expect(await facilitators()).toEqual([
      expect.objectContaining({
        email: 'helene.dupre@example.org',
        first_name: 'Hélène',
        last_name: 'Dupré d’Aubigné',
        kind: 'environmental',
        network_code: 'aura-ee',
        segments: ['catering'],
        departments: ['38', '73'],
      }),
    ]);
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])(
    'names the line of a misplaced quote and imports the rows after it; a cell over two lines keeps the next lines’ numbers (%s)',
    async (_label, eol) => {
      const lines = [
        HEADER,
        /* 2 */ 'paul.dupont@example.org;Paul;"Dupont',
        /* 3 */ 'second";social_clause;reseco;22;2;;non',
        /* 4 */ 'claire.dupont@example.org;Claire;Dupont;environmental;aura-ee;"38',
        /* 5 */ '73";10;;no',
        /* 6 */ 'pas-une-adresse;X;Y;social_clause;reseco;22;2;;non',
        /* 7 */ 'x@example.org;A;"B""C;social_clause;reseco;22;2;;non',
        /* 8 */ 'apres@example.org;Anne;Après;social_clause;reseco;22;2;;non',
        /* 9 */ 'Yann.Le-Goff@Example.org;Yann;Le Goff;social_clause;reseco;35 56;3;;non',
      ];
      const run = await importFile(await writeCsv('guillemets.csv', `${lines.join(eol)}${eol}`));
      expect(run.code).toBe(1);
      expect(run.out).toBe(
        [
          `Import des facilitateurs : ${join(dir, 'guillemets.csv')}`,
          'Lignes rejetées :',
          '  ligne 2 — paul.dupont@example.org — Colonne last_name : le texte tient sur plusieurs lignes (« Dupont » puis « second ») ; écrivez-le sur une seule ligne.',
          '  ligne 6 — pas-une-adresse — Indiquez une adresse électronique valide, par exemple nom@exemple.fr.',
          '  ligne 7 — — — Ligne illisible : guillemets mal placés. Un champ entre guillemets se referme juste avant le séparateur suivant, et un guillemet dans un texte s’écrit "".',
          'Résumé : créés 3, mis à jour 0, inchangés 0, rejetés 3.',
          '',
        ].join('\n'),
      );
      expect(await facilitators()).toEqual([
        expect.objectContaining({ email: 'apres@example.org', last_name: 'Après', departments: ['22'] }),
        expect.objectContaining({ email: 'claire.dupont@example.org', departments: ['38', '73'] }),
        expect.objectContaining({ email: 'yann.le-goff@example.org', departments: ['35', '56'] }),
      ]);
    },
  );

  it('reads what French Excel makes of a sheet: French headers, an extra column, codes as people type them', async () => {
    const excel = Buffer.from(
      [
        'E-mail;Pr\xe9nom;Nom;Type;R\xe9seau;D\xe9partements;Capacit\xe9;Segments;Coordinateur;T\xe9l\xe9phone',
        'helene.lefevre@example.org;H\xe9l\xe8ne;Lef\xe8vre;clauses sociales;reseco;"35, 56";3;;non;02 99 00 00 00',
        'francoise.coeur@example.org;Fran\xe7oise;C\x9cur;Clause sociale;reseco;"35;56";3;Restauration collective;non;',
        'zoe.ain@example.org;Zo\xe9;Ain;environnement;aura-ee;1 7;5;Mobilier, it_equipment;non;04 00 00 00 00',
      ].join('\r\n') + '\r\n',
      'latin1',
    );
    const run = await importFile(await writeCsv('excel-fr.csv', excel));
    expect(run.code).toBe(0);
    expect(run.out).toContain('Fichier lu en Windows-1252 (le « CSV » d’Excel), faute d’être en UTF-8.\nColonne ignorée : Téléphone.\n');
    expect(run.out).toContain('Résumé : créés 3, mis à jour 0, inchangés 0, rejetés 0.');
    expect(await facilitators()).toEqual([
      expect.objectContaining({
        email: 'francoise.coeur@example.org',
        last_name: 'Cœur',
        kind: 'social_clause',
        departments: ['35', '56'],
        segments: ['catering'],
      }),
      expect.objectContaining({
        email: 'helene.lefevre@example.org',
        first_name: 'Hélène',
        kind: 'social_clause',
        departments: ['35', '56'],
      }),
      expect.objectContaining({
        email: 'zoe.ain@example.org',
        kind: 'environmental',
        departments: ['01', '07'],
        segments: ['furniture', 'it_equipment'],
      }),
    ]);
  });

  it('reads the structure under « Structure », leaves it as it is in a file without the column, and clears it from an empty cell', async () => {
    const structures = async () =>
      (await t.dataSource.query(`SELECT email, organisation FROM facilitators ORDER BY email`)) as Array<{
        email: string;
        organisation: string | null;
      }>;
    const french = 'E-mail;Prénom;Nom;Type;Réseau;Départements;Capacité;Segments;Coordinateur;Structure';
    const file = await writeCsv(
      'structures.csv',
      `${french}\ncamille.roux@example.org;Camille;Roux;clauses sociales;res-occ;11;5;;non; Maison de l’emploi de Carcassonne \n` +
        `nina.roux@example.org;Nina;Roux;environmental;reseco;;8;;non;\n` +
        `paul.long@example.org;Paul;Long;clauses sociales;res-occ;11;5;;non;${'x'.repeat(151)}\n`,
    );
    const run = await importFile(file);
    expect(run.out).toContain('Résumé : créés 2, mis à jour 0, inchangés 0, rejetés 1.');
    expect(run.out).toContain('ligne 4 — paul.long@example.org — Le nom de la structure ne doit pas dépasser 150 caractères.');
    expect(await structures()).toEqual([
      { email: 'camille.roux@example.org', organisation: 'Maison de l’emploi de Carcassonne' },
      { email: 'nina.roux@example.org', organisation: null },
    ]);

    await writeFile(file, `${HEADER}\ncamille.roux@example.org;Camille;Roux;social_clause;res-occ;11;5;;no\n`);
    expect((await importFile(file)).out).toContain('Résumé : créés 0, mis à jour 0, inchangés 1, rejetés 0.');
    expect((await structures())[0].organisation).toBe('Maison de l’emploi de Carcassonne');

    await writeFile(file, `${HEADER};organisation\ncamille.roux@example.org;Camille;Roux;social_clause;res-occ;11;5;;no;\n`);
    expect((await importFile(file)).out).toContain('Résumé : créés 0, mis à jour 1, inchangés 0, rejetés 0.');
    expect((await structures())[0].organisation).toBeNull();
  });

  it('exits with code 2 when the file cannot be read', async () => {
    const run = await importFile(join(dir, 'absent.csv'));
    expect(run).toEqual({ code: 2, out: '', err: `Fichier illisible : ${join(dir, 'absent.csv')} (fichier introuvable).\n` });
  });

  it('runs as a command: npm run cli -- facilitators:import docs/facilitators.example.csv', async () => {
    // Its one bad row (shown on purpose) makes the exit code 1.
    const failure = await promisify(execFile)(
      'npm',
      ['run', '--silent', 'cli', '--', 'facilitators:import', 'docs/facilitators.example.csv'],
      {
        cwd: join(__dirname, '..', '..'),
        env: process.env,
      },
    ).then(
      () => null,
      (error: { code: number; stdout: string }) => error,
    );
    expect(failure?.code).toBe(1);
    const stdout = failure!.stdout;
    expect(stdout).toContain('ligne 6 — pas-une-adresse — Indiquez une adresse électronique valide');
    expect(stdout).toContain('Résumé : créés 4, mis à jour 0, inchangés 0, rejetés 1.');
    expect((await facilitators()).map((f: { email: string }) => f.email)).toEqual([
      'clauses.rhone-ain@example.org',
      'conseil.bretagne@example.org',
      'conseil.isere@example.org',
      'coordination.occitanie@example.org',
    ]);
  }, 120_000);
});
