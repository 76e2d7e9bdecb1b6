import { sampleXlsx } from '../support/sample-files';
import { insertFacilitator } from '../support/facilitators';
import { csrfIn, insertStaff, signedInStaff, StaffClient } from '../support/staff';
import { TestApp, useTestApp } from '../support/test-app';

const IMPORT = '/espace/facilitateurs/import';
const HEADER = 'email;first_name;last_name;kind;network;departements;capacity;segments;coordinator';

describe('facilitators CSV import page: check, then import (animators of their networks, admins)', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app));

  /** The form as a browser sends it: the page's CSRF token first, the file, then the button pressed. */
  async function send(client: StaffClient, action: 'verifier' | 'importer', file: { name: string; content: string | Buffer } | null) {
    const form = new FormData();
    form.append('_csrf', csrfIn(await (await client.get(IMPORT)).text()));
    if (file) form.append('fichiers', new Blob([new Uint8Array(Buffer.from(file.content))], { type: 'text/csv' }), file.name);
    form.append('action', action);
    const response = await fetch(`${t.url}${IMPORT}`, {
      method: 'POST',
      headers: { cookie: client.jar.header() },
      body: form,
      redirect: 'manual',
    });
    return { status: response.status, html: await response.text() };
  }

  const directory = () =>
    t.dataSource.query(`SELECT email, network_code AS network, capacity, active FROM facilitators ORDER BY email`) as Promise<
      Array<{ email: string; network: string; capacity: number; active: boolean }>
    >;
  const count = async (sql: string) => Number((await t.dataSource.query(sql))[0].n);
  const changeEvents = () => count(`SELECT count(*) AS n FROM outbox_events WHERE job_name = 'routing.facilitator-changed'`);
  const journal = () =>
    t.dataSource.query(`SELECT actor_name AS "actorName", action, network_codes AS "networks", summary FROM audit_events ORDER BY id`);

  const rows = (html: string) =>
    [
      ...html.matchAll(/<tr>\s*<td>(\d+)<\/td>\s*<td>([^<]*)<\/td>\s*<td><p class="fr-badge[^"]*">([^<]*)<\/p><\/td>\s*<td>([^<]*)<\/td>/g),
    ].map(([, line, email, outcome, reason]) => `${line} ${email} ${outcome} ${reason}`);

  it('checks a file without writing anything, then imports it: created, updated, unchanged, and each rejected row with its reason', async () => {
    await insertFacilitator(t.dataSource, {
      email: 'existante@example.org',
      network: 'aura-ee',
      capacity: 4,
      firstName: 'Eva',
      lastName: 'Existe',
    });
    await insertFacilitator(t.dataSource, {
      email: 'pareille@example.org',
      network: 'aura-ee',
      capacity: 10,
      firstName: 'Paul',
      lastName: 'Pareil',
    });
    await insertFacilitator(t.dataSource, { email: 'bretonne@example.org', network: 'reseco', capacity: 3 });
    const { email: animatorEmail } = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] });
    const animator = new StaffClient(t.url);
    expect((await animator.signIn(animatorEmail)).status).toBe(303);

    const list = await (await animator.get('/espace/facilitateurs')).text();
    expect(list).toContain(`href="${IMPORT}">Importer des facilitateurs (CSV)</a>`);
    const page = await animator.get(IMPORT);
    expect(page.status).toBe(200);
    const pageHtml = await page.text();
    expect(pageHtml).toContain('<h1>Importer des facilitateurs (CSV)</h1>');
    expect(pageHtml).toContain('enctype="multipart/form-data"');
    expect(pageHtml).toContain('Le fichier est importé ligne par ligne');
    expect(pageHtml).toContain('Windows-1252');
    // The columns as French Excel users name them, which the import reads as well.
    expect(pageHtml).toContain('<code>departements</code> ou « Départements »');
    expect(pageHtml).toContain('<code>first_name</code> ou « Prénom »');
    expect(pageHtml).toContain('Vous importez dans votre réseau seulement');
    expect(pageHtml).toContain('<code>aura-ee</code>');
    expect(pageHtml).not.toContain('<code>reseco</code>');

    const csv = [
      HEADER,
      /* 2 */ 'nouvelle@example.org;Nina;Nouvelle;environmental;aura-ee;38 73;8;catering;non',
      /* 3 */ 'existante@example.org;Eva;Existe;environmental;aura-ee;;6;;non',
      /* 4 */ 'pareille@example.org;Paul;Pareil;environmental;aura-ee;;10;;non',
      /* 5 */ 'capacite@example.org;Cap;Acité;environmental;aura-ee;;beaucoup;;non',
      /* 6 */ 'ailleurs@example.org;Ali;Ailleurs;environmental;reseco;;5;;non',
      /* 7 */ 'bretonne@example.org;Bree;Tonne;environmental;aura-ee;;5;;non',
    ].join('\r\n');
    const file = { name: 'annuaire.csv', content: `\uFEFF${csv}\r\n` };
    const before = await directory();
    const eventsBefore = await changeEvents();

    const checked = await send(animator, 'verifier', file);
    expect(checked.status).toBe(200);
    expect(checked.html).toContain('Vérification du fichier « annuaire.csv »');
    expect(checked.html).toContain(
      'Rien n’est encore écrit : voici ce que l’import ferait. 1 fiche à créer, 1 fiche à mettre à jour, 1 fiche inchangée, 3 lignes rejetées.',
    );
    const expectedRows = (created: string, updated: string) => [
      `2 nouvelle@example.org ${created} —`,
      `3 existante@example.org ${updated} —`,
      '4 pareille@example.org inchangée —',
      '5 capacite@example.org rejetée La capacité est un nombre entier de 0 à 200 (demandes ouvertes à la fois).',
      // Another network's row, and another network's record at an address of the file: not the animator's to write.
      '6 ailleurs@example.org rejetée Réseau « reseco » : vous n’animez pas ce réseau.',
      '7 bretonne@example.org rejetée Un facilitateur utilise déjà cette adresse électronique.',
    ];
    expect(rows(checked.html)).toEqual(expectedRows('à créer', 'à mettre à jour'));
    expect(checked.html).toContain('Pour importer, choisissez de nouveau le fichier ci-dessous');
    // Nothing written: records, routing's announcements, journal.
    expect(await directory()).toEqual(before);
    expect(await changeEvents()).toBe(eventsBefore);
    expect(await journal()).toEqual([]);

    const imported = await send(animator, 'importer', file);
    expect(imported.status).toBe(200);
    expect(imported.html).toContain('Import du fichier « annuaire.csv »');
    expect(imported.html).toContain('Import terminé. 1 fiche créée, 1 fiche mise à jour, 1 fiche inchangée, 3 lignes rejetées.');
    expect(rows(imported.html)).toEqual(expectedRows('créée', 'mise à jour'));
    expect(imported.html).toContain('<a class="fr-btn" href="/espace/facilitateurs">Voir la liste des facilitateurs</a>');
    expect(imported.html).not.toContain('enctype="multipart/form-data"');
    expect(await directory()).toEqual([
      { email: 'bretonne@example.org', network: 'reseco', capacity: 3, active: true },
      { email: 'existante@example.org', network: 'aura-ee', capacity: 6, active: true },
      { email: 'nouvelle@example.org', network: 'aura-ee', capacity: 8, active: true },
      { email: 'pareille@example.org', network: 'aura-ee', capacity: 10, active: true },
    ]);
    expect(await changeEvents()).toBe(eventsBefore + 2);
    expect(await journal()).toEqual([
      {
        actorName: `Sam Essai (${animatorEmail})`,
        action: 'facilitator_created',
        networks: ['aura-ee'],
        summary: 'Fiche de facilitateur créée par import CSV : Nina Nouvelle (nouvelle@example.org)',
      },
      {
        actorName: `Sam Essai (${animatorEmail})`,
        action: 'facilitator_updated',
        networks: ['aura-ee'],
        summary: 'Fiche d’Eva Existe (existante@example.org) modifiée par import CSV : capacité : 6 (avant : 4)',
      },
    ]);

    // The same file again: every valid row is as its record already is.
    const again = await send(animator, 'importer', file);
    expect(again.html).toContain('0 fiche créée, 0 fiche mise à jour, 3 fiches inchangées, 3 lignes rejetées.');
  });

  it('gives a model file that its own check takes, and lets an admin import into any network', async () => {
    const animator = await signedInStaff(t, { role: 'animator', networks: ['reseco'] });
    const model = await animator.get(`${IMPORT}/modele.csv`);
    expect(model.status).toBe(200);
    expect(model.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(model.headers.get('content-disposition')).toBe('attachment; filename="facilitateurs-modele.csv"');
    const content = Buffer.from(await model.arrayBuffer());
    const lines = content.toString('utf8').split('\r\n');
    // The model names the optional structure too, empty for a conseiller of the network itself.
    expect(lines[0]).toBe(`\uFEFF${HEADER};organisation`);
    expect(lines[1]).toMatch(/^camille\.martin@exemple\.fr;Camille;Martin;environmental;reseco;\d\d;10;[a-z_]+;non;$/);
    expect(lines.slice(2)).toEqual(['']);
    const modelChecked = (await send(animator, 'verifier', { name: 'modele.csv', content })).html;
    expect(modelChecked).toContain('1 fiche à créer, 0 fiche à mettre à jour, 0 fiche inchangée, 0 ligne rejetée.');
    expect(modelChecked).not.toContain('ignorée');

    const admin = await signedInStaff(t, { role: 'admin' });
    const adminPage = await (await admin.get(IMPORT)).text();
    expect(adminPage).toContain('<code>reseco</code>');
    expect(adminPage).toContain('<code>organisation</code> ou « Structure »');
    expect(adminPage).not.toContain('importez dans');
    // A column the import does not know is left out, and both reports say so, as the CLI does.
    const twoNetworks = {
      name: 'deux-reseaux.csv',
      content: [
        `${HEADER};Téléphone`,
        'a@example.org;A;A;environmental;reseco;;5;;no;04 00 00 00 01',
        'b@example.org;B;B;social_clause;aura-ee;38;5;;no;04 00 00 00 02',
      ].join('\n'),
    };
    expect((await send(admin, 'verifier', twoNetworks)).html).toContain('<p>Colonne ignorée : Téléphone.</p>');
    const imported = await send(admin, 'importer', twoNetworks);
    expect(imported.html).toContain('<p>Colonne ignorée : Téléphone.</p>');
    expect(imported.html).toContain('2 fiches créées, 0 fiche mise à jour, 0 fiche inchangée, 0 ligne rejetée.');
    expect((await directory()).map((f) => `${f.email} ${f.network}`)).toEqual(['a@example.org reseco', 'b@example.org aura-ee']);
  });

  it('says in the error summary, with a 400, what is wrong with the file itself: none, not a CSV, too large, a wrong header', async () => {
    const animator = await signedInStaff(t, { role: 'animator', networks: ['aura-ee'] });
    const cases: Array<[{ name: string; content: string | Buffer } | null, string]> = [
      [null, 'Choisissez le fichier CSV des facilitateurs.'],
      [
        { name: 'annuaire.xlsx', content: sampleXlsx() },
        'Ce fichier (classeur Excel (XLSX)) n’est pas un fichier CSV : dans votre tableur, choisissez « Enregistrer sous »',
      ],
      [
        { name: 'enorme.csv', content: `${HEADER}\n${'x'.repeat(1024 * 1024)}` },
        'Le fichier « enorme.csv » dépasse la taille maximale de 1 Mo.',
      ],
      [{ name: 'vide.csv', content: '' }, 'Le fichier est vide : la première ligne doit nommer les colonnes.'],
      [{ name: 'entete.csv', content: 'email;telephone\nx@example.org;0102030405' }, 'En-tête invalide (colonnes manquantes : first_name'],
    ];
    for (const [file, message] of cases) {
      for (const action of ['verifier', 'importer'] as const) {
        const { status, html } = await send(animator, action, file);
        expect({ file: file?.name, action, status }).toEqual({ file: file?.name, action, status: 400 });
        expect(html).toContain('1 erreur empêche l’envoi du fichier');
        expect(html).toMatch(new RegExp(`<li><a href="#f-fichiers">${message.replace(/[()]/g, '\\$&')}`));
        expect(html).toContain('aria-describedby="f-fichiers-error"');
      }
    }
    expect(await directory()).toEqual([]);
  });

  it('is not there for a facilitator of the staff, and refuses a form without its CSRF token', async () => {
    const facilitatorId = await insertFacilitator(t.dataSource, { network: 'aura-ee' });
    const facilitator = await signedInStaff(t, { role: 'facilitator', facilitatorId, networks: ['aura-ee'] });
    expect((await facilitator.get(IMPORT)).status).toBe(404);
    expect((await facilitator.get(`${IMPORT}/modele.csv`)).status).toBe(404);
    const form = new FormData();
    form.append('fichiers', new Blob([`${HEADER}\nz@example.org;Z;Z;environmental;aura-ee;;5;;no`]), 'a.csv');
    form.append('action', 'importer');
    const post = (client: StaffClient) =>
      fetch(`${t.url}${IMPORT}`, { method: 'POST', headers: { cookie: client.jar.header() }, body: form, redirect: 'manual' });
    expect((await post(facilitator)).status).toBe(404);

    const animator = await signedInStaff(t, { role: 'animator', networks: ['aura-ee'] });
    const forged = await post(animator);
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('Le formulaire a expiré.');
    expect((await directory()).map((f) => f.email)).not.toContain('z@example.org');
  });
});
