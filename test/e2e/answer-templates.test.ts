import { submittedAndTaken } from '../support/conversation';
import { insertFacilitator } from '../support/facilitators';
import { samplePdf } from '../support/sample-files';
import { bearerFor, csrfIn, insertStaff, StaffClient, type StaffSeed, signedInStaff } from '../support/staff';
import { TestApp, useTestApp } from '../support/test-app';
import { AuditService } from '../../src/modules/audit/audit.service';

const XSS = '<script>alert(1)</script>';

/** Networks' answer templates: kept by their animators, offered to the facilitator answering one of its requests. */
describe('answer templates', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app));

  const signedIn = (seed: StaffSeed) => signedInStaff(t, seed);
  const templates = () =>
    t.dataSource.query(
      `SELECT id, network_code AS "networkCode", title, body, kind, updated_by_id IS NOT NULL AS signed FROM answer_templates`,
    );
  const insertTemplate = async (networkCode: string, title: string, body: string, kind: string | null = null): Promise<string> =>
    (
      await t.dataSource.query(
        `INSERT INTO answer_templates (id, network_code, title, body, kind) VALUES (gen_random_uuid(), $1, $2, $3, $4) RETURNING id`,
        [networkCode, title, body, kind],
      )
    )[0].id;

  /** A call to the templates' API at `path` (after /answer-templates), as `authorization`, with `body` as JSON if any. */
  const templatesApi = (method: string, path: string, authorization: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${t.url}/api/v1/staff/answer-templates${path}`, {
      method,
      headers: { authorization, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  /** The answer form of the request `page` sent by `client`, as its browser would (multipart, no redirect followed). */
  const sendAnswerForm = (client: StaffClient, page: string, form: FormData) =>
    fetch(`${t.url}${page}/reponse`, { method: 'POST', body: form, redirect: 'manual', headers: { cookie: client.jar.header() } });

  /** A PATCH of the template `id` through the API, as `authorization`. */
  const patchTemplate = (authorization: string, id: string, body: unknown, headers: Record<string, string> = {}) =>
    templatesApi('PATCH', `/${id}`, authorization, body, headers);

  /**
   * `send`'s response when a colleague's `sql` is done but not yet committed as it starts: its write waits on the
   * colleague's row lock, then the colleague commits.
   */
  const meanwhile = async (sql: string, params: unknown[], send: () => Promise<Response>): Promise<Response> => {
    const colleague = t.dataSource.createQueryRunner();
    await colleague.connect();
    await colleague.startTransaction();
    try {
      await colleague.query(sql, params);
      const sent = send();
      for (let waited = 0; waited < 100; waited++) {
        const [{ waiting }] = await t.dataSource.query(
          `SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%answer_templates%'`,
        );
        if (waiting) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await colleague.commitTransaction();
      return await sent;
    } finally {
      await colleague.release();
    }
  };

  /** An animator of aura-ee named as the refusals and the journal name them, signed in. */
  const claudeSignedIn = async () => {
    const { id, email } = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] });
    await t.dataSource.query(`UPDATE staff_users SET first_name = 'Claude', last_name = 'Animateur' WHERE id = $1`, [id]);
    const client = new StaffClient(t.url);
    await client.signIn(email);
    return { client, email };
  };

  it('an animator creates, lists, changes and deletes their network’s templates; bad input is refused by field, nothing written', async () => {
    const animator = await signedIn({ role: 'animator', networks: ['aura-ee'] });
    expect(await (await animator.get('/espace/modeles')).text()).toContain('Aucun modèle pour l’instant.');

    const refused = await animator.submit('/espace/modeles', '/espace/modeles', {
      networkCode: 'reseco',
      title: 'x'.repeat(121),
      body: ' ',
    });
    expect(refused.status).toBe(400);
    const errors = await refused.text();
    for (const message of [
      'Choisissez le réseau du modèle.',
      'Le titre tient sur une ligne de 120 caractères au plus.',
      'Écrivez le texte du modèle.',
    ])
      expect(errors).toContain(message);
    expect(await templates()).toEqual([]);

    const created = await animator.submit('/espace/modeles', '/espace/modeles', {
      networkCode: 'aura-ee',
      title: `Loi AGEC ${XSS}`,
      body: 'Les taux minimaux de réemploi\r\nsont fixés par décret.',
      kind: 'environmental',
    });
    expect(created.status).toBe(303);
    expect(created.headers.get('location')).toBe('/espace/modeles?fait=creation');
    const [template] = await templates();
    expect(template).toMatchObject({
      networkCode: 'aura-ee',
      body: 'Les taux minimaux de réemploi\nsont fixés par décret.',
      kind: 'environmental',
      signed: true,
    });
    const listed = await (await animator.get('/espace/modeles?fait=creation')).text();
    expect(listed).toContain('<td>Considérations environnementales</td>');
    expect(listed).toContain('Le modèle est enregistré');
    expect(listed).toContain(`href="/espace/modeles/${template.id}">Loi AGEC &lt;script&gt;`);
    expect(listed).not.toContain(XSS);

    const editPath = `/espace/modeles/${template.id}`;
    expect(await (await animator.get(editPath)).text()).toContain('sont fixés par décret.</textarea>');
    const blank = await animator.submit(editPath, editPath, { networkCode: 'aura-ee', title: '', body: 'Nouveau texte' });
    expect(blank.status).toBe(400);
    const blankHtml = await blank.text();
    expect(blankHtml).toContain('Donnez un titre au modèle.');
    // Right under the page's <h1>, the summary's heading stays an <h2>.
    expect(blankHtml).toContain('<h2 class="fr-alert__title">1 erreur empêche l’envoi du modèle</h2>');
    const changed = await animator.submit(editPath, editPath, {
      networkCode: 'aura-ee',
      title: 'Loi AGEC : réemploi',
      body: 'Nouveau texte',
    });
    expect(changed.status).toBe(303);
    expect(changed.headers.get('location')).toBe('/espace/modeles?fait=modification');
    expect(await templates()).toEqual([expect.objectContaining({ title: 'Loi AGEC : réemploi', body: 'Nouveau texte' })]);

    // « Supprimer » asks first: a deletion cannot be undone.
    expect(await (await animator.get('/espace/modeles')).text()).toContain(`href="/espace/modeles/${template.id}/suppression">Supprimer`);
    const confirmation = await (await animator.get(`${editPath}/suppression`)).text();
    expect(confirmation).toContain('<h1>Supprimer le modèle « Loi AGEC : réemploi » ?</h1>');
    expect(confirmation).toContain('Oui, supprimer le modèle');
    expect(await templates()).toHaveLength(1);
    const deleted = await animator.submit(`${editPath}/suppression`, `${editPath}/suppression`, {});
    expect(deleted.headers.get('location')).toBe('/espace/modeles?fait=suppression');
    expect(await templates()).toEqual([]);
  });

  /** The edit page's hidden fields, as a browser keeps them while the page stays open. */
  const openedForm = (html: string) => ({ _csrf: csrfIn(html), version: html.match(/name="version" value="(\d+)"/)![1] });

  it('two animators at once: a save made from a page opened before a colleague’s is refused with who changed it, the text given back', async () => {
    const id = await insertTemplate('aura-ee', 'Loi AGEC', 'Texte de départ', 'environmental');
    const { client: claude } = await claudeSignedIn();
    const berenice = await signedIn({ role: 'animator', networks: ['aura-ee'] });
    const path = `/espace/modeles/${id}`;
    // Bérénice's page is open, then Claude changes the title.
    const opened = openedForm(await (await berenice.get(path)).text());
    expect(opened.version).toBe('1');
    expect(
      await claude.submit(path, path, {
        networkCode: 'aura-ee',
        title: 'Loi AGEC : réemploi',
        body: 'Texte de départ',
        kind: 'environmental',
      }),
    ).toMatchObject({ status: 303 });

    const typed = 'Texte de départ,\ncomplété par Bérénice.';
    const stale = await berenice.post(path, { ...opened, networkCode: 'aura-ee', title: 'Loi AGEC', body: typed, kind: 'environmental' });
    expect(stale.status).toBe(409);
    const html = (await stale.text()).replace(/\r\n/g, '\n');
    expect(html).toMatch(/<title>Erreur — /);
    expect(html).toMatch(
      /<p>Claude Animateur a modifié ce modèle le \d{1,2}(er)? \S+ \d{4} à \d{2}:\d{2}, depuis que vous l’avez ouvert : vos modifications ne sont pas enregistrées\./,
    );
    // The template as it is now, and what she typed, to merge.
    expect(html).toContain('<h1>Modèle « Loi AGEC : réemploi »</h1>');
    expect(html).toContain('>Texte de départ</blockquote>');
    expect(html).toContain(`>${typed}</textarea>`);
    expect(html).toContain('name="version" value="2"');
    expect(await templates()).toEqual([expect.objectContaining({ title: 'Loi AGEC : réemploi', body: 'Texte de départ' })]);

    // Sent again from that page, knowing Claude's title: both changes kept.
    const merged = await berenice.post(path, {
      ...openedForm(html),
      networkCode: 'aura-ee',
      title: 'Loi AGEC : réemploi',
      body: typed,
      kind: 'environmental',
    });
    expect(merged.status).toBe(303);
    expect(await templates()).toEqual([expect.objectContaining({ title: 'Loi AGEC : réemploi', body: typed })]);
  });

  it('a template deleted while being edited: the save says so and gives the text back in a form that creates it again', async () => {
    const id = await insertTemplate('aura-ee', 'Loi AGEC', 'Texte de départ');
    const berenice = await signedIn({ role: 'animator', networks: ['aura-ee'] });
    const { client: claude } = await claudeSignedIn();
    const path = `/espace/modeles/${id}`;
    const opened = openedForm(await (await berenice.get(path)).text());
    expect((await claude.submit(`${path}/suppression`, `${path}/suppression`, {})).status).toBe(303);

    const typed = 'Texte de départ,\nrevu par Bérénice.';
    const late = await berenice.post(path, { ...opened, networkCode: 'aura-ee', title: 'Loi AGEC : réemploi', body: typed, kind: '' });
    expect(late.status).toBe(409);
    const html = (await late.text()).replace(/\r\n/g, '\n');
    expect(html).toMatch(
      /Ce modèle a été supprimé par Claude Animateur le \d{1,2}(er)? \S+ \d{4} à \d{2}:\d{2} pendant que vous le modifiiez : vos modifications ne sont pas enregistrées\./,
    );
    expect(html).toContain('<form method="post" action="/espace/modeles" novalidate>');
    expect(html).toContain('value="Loi AGEC : réemploi"');
    expect(html).toContain(`>${typed}</textarea>`);
    expect(html).toContain('Recréer le modèle');

    const recreated = await berenice.post('/espace/modeles', {
      _csrf: csrfIn(html),
      networkCode: 'aura-ee',
      title: 'Loi AGEC : réemploi',
      body: typed,
      kind: '',
    });
    expect(recreated.headers.get('location')).toBe('/espace/modeles?fait=creation');
    expect(await templates()).toEqual([expect.objectContaining({ title: 'Loi AGEC : réemploi', body: typed })]);
  });

  it('a template moved meanwhile: the network it is in now is shown; moved out of the person’s networks, said so, nothing to recreate', async () => {
    const id = await insertTemplate('aura-ee', 'Loi AGEC', 'Texte de départ');
    const admin = await signedIn({ role: 'admin' });
    const berenice = await signedIn({ role: 'animator', networks: ['aura-ee', 'reseco'] });
    const path = `/espace/modeles/${id}`;
    const fields = { networkCode: 'aura-ee', title: 'Loi AGEC', body: 'Texte de Bérénice', kind: '' };
    const opened = openedForm(await (await berenice.get(path)).text());
    expect((await admin.submit(path, path, { ...fields, networkCode: 'reseco', body: 'Texte de départ' })).status).toBe(303);

    const stale = await berenice.post(path, { ...opened, ...fields });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain('<dt class="fr-text--bold">Réseau</dt><dd class="fr-mb-1w">RESECO</dd>');

    // Moved again, to a network she does not see: not « supprimé », and no form that would make a twin of it.
    expect((await admin.submit(path, path, { ...fields, networkCode: 'maximilien', body: 'Texte de départ' })).status).toBe(303);
    const away = await berenice.post(path, { ...opened, ...fields });
    expect(away.status).toBe(409);
    const html = (await away.text()).replace(/\r\n/g, '\n');
    expect(html).toContain('il n’est plus dans vos réseaux, vos modifications ne sont pas enregistrées.');
    expect(html).toContain('>Texte de Bérénice</blockquote>');
    expect(html).not.toContain('supprimé');
    expect(html).not.toContain('Recréer le modèle');
    expect(html).not.toContain('<form method="post" action="/espace/modeles"');
    // An address that is no template stays « introuvable », version sent or not.
    expect((await berenice.post('/espace/modeles/pas-un-modele', { ...opened, ...fields })).status).toBe(404);
    expect(await templates()).toEqual([expect.objectContaining({ networkCode: 'maximilien', body: 'Texte de départ' })]);
  });

  it('a tampered hidden version is taken as stale: the template as it is now, a version to save over, nothing written', async () => {
    const id = await insertTemplate('aura-ee', 'Loi AGEC', 'Texte de départ');
    const animator = await signedIn({ role: 'animator', networks: ['aura-ee'] });
    const path = `/espace/modeles/${id}`;
    const opened = openedForm(await (await animator.get(path)).text());
    const fields = { networkCode: 'aura-ee', title: 'Loi AGEC', body: 'Texte revu', kind: '' };
    for (const version of ['0', 'trois']) {
      const tampered = await animator.post(path, { ...opened, ...fields, version });
      expect(tampered.status).toBe(409);
      const html = await tampered.text();
      expect(html).toContain('name="version" value="1"');
      expect(html).toContain('>Texte de départ</blockquote>');
      expect(html).not.toContain('La version du modèle est un nombre entier');
    }
    expect(await templates()).toEqual([expect.objectContaining({ body: 'Texte de départ' })]);
    expect((await animator.post(path, { ...opened, ...fields })).status).toBe(303);
  });

  it('API: a change sent with the version read (If-Match or `version`) is refused once a colleague changed it; none sent, it applies', async () => {
    const animator = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    const id = await insertTemplate('aura-ee', 'Loi AGEC', 'Texte de départ');
    const call = (method: string, authorization: string, body?: unknown, headers: Record<string, string> = {}) =>
      templatesApi(method, `/${id}`, authorization, body, headers);

    const read = await call('GET', animator);
    expect(read.headers.get('etag')).toBe('"1"');
    expect(await read.json()).toMatchObject({ version: 1 });
    const changed = await call('PATCH', animator, { title: 'Loi AGEC : réemploi' }, { 'if-match': '"1"' });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).toBe('"2"');
    expect(await changed.json()).toMatchObject({ title: 'Loi AGEC : réemploi', version: 2 });

    // A colleague's client still holding version 1, by field (409) or by If-Match (412): nothing written, told why.
    const stale = await call('PATCH', animator, { body: 'Autre texte', version: 1 });
    expect(stale.status).toBe(409);
    expect((await stale.json()).errors).toEqual([
      {
        field: 'version',
        message: expect.stringContaining('Ce modèle a été modifié par Sam Essai depuis que vous l’avez ouvert (il en est à sa version 2)'),
      },
    ]);
    // If-Match compares strongly (RFC 9110): a weak tag never matches, a list matches by any of its tags.
    for (const ifMatch of ['"1"', 'W/"2"', '"1", W/"2"']) {
      const refused = await call('PATCH', animator, { body: 'Autre texte' }, { 'if-match': ifMatch });
      expect(refused.status).toBe(412);
      expect((await refused.json()).errors).toEqual([
        { field: 'If-Match', message: expect.stringContaining('L’en-tête If-Match ne désigne pas la version actuelle de ce modèle ("2"') },
      ]);
    }
    expect(await templates()).toEqual([expect.objectContaining({ title: 'Loi AGEC : réemploi', body: 'Texte de départ' })]);
    // An If-Match that is no ETag, or an ETag without its quotes, is named as the header it is, said how to write it.
    for (const ifMatch of ['deux', '2']) {
      const unreadable = await call('PATCH', animator, { body: 'Autre texte' }, { 'if-match': ifMatch });
      expect(unreadable.status).toBe(400);
      expect((await unreadable.json()).errors).toEqual([
        {
          field: 'If-Match',
          message:
            'L’en-tête If-Match donne l’ETag reçu tel quel, entre guillemets droits (par exemple "5"), ou plusieurs séparés par des virgules.',
        },
      ]);
    }
    const listed = await call('PATCH', animator, { body: 'Texte de la liste' }, { 'if-match': '"1", "2"' });
    expect(listed.status).toBe(200);
    expect(await listed.json()).toMatchObject({ body: 'Texte de la liste', version: 3 });

    // A client that sends no version changes it as before.
    expect(await (await call('PATCH', animator, { body: 'Autre texte' })).json()).toMatchObject({ body: 'Autre texte', version: 4 });
  });

  it('API: If-Match is checked before `version` (RFC 9110 §13.1.1), for a change as for a deletion; naming two versions, nothing done (412)', async () => {
    const animator = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    const id = await insertTemplate('aura-ee', 'Loi AGEC', 'Texte de départ');
    const call = (method: string, body?: unknown, headers: Record<string, string> = {}) =>
      templatesApi(method, `/${id}`, animator, body, headers);
    expect((await call('PATCH', { title: 'Loi AGEC : réemploi' })).headers.get('etag')).toBe('"2"');

    // A stale If-Match with the current version in the body: the header's precondition failed, nothing written.
    const stale = await call('PATCH', { body: 'Écrit par-dessus', version: 2 }, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    expect((await stale.json()).errors).toEqual([
      { field: 'If-Match', message: expect.stringContaining('L’en-tête If-Match ne désigne pas la version actuelle de ce modèle ("2"') },
    ]);
    // A current If-Match with a stale version it does not list: the two disagree, the precondition the client set fails.
    const contradicting = await call('PATCH', { body: 'Écrit par-dessus', version: 1 }, { 'if-match': '"2"' });
    expect(contradicting.status).toBe(412);
    expect((await contradicting.json()).errors).toEqual([
      {
        field: 'If-Match',
        message:
          'L’en-tête If-Match désigne la version actuelle de ce modèle ("2"), le champ version une autre : vos modifications ne sont pas enregistrées. Envoyez l’un ou l’autre, ou les deux pour la même version.',
      },
    ]);
    // The header lists the current version and the stale one the body names: the header passes, the version is stale (409).
    expect((await call('PATCH', { body: 'Écrit par-dessus', version: 1 }, { 'if-match': '"1", "2"' })).status).toBe(409);
    // Any version by If-Match (« * »): the body's version decides.
    expect((await call('PATCH', { body: 'Écrit par-dessus', version: 1 }, { 'if-match': '*' })).status).toBe(409);
    // A deletion reads them the same way.
    expect((await call('DELETE', { version: 2 }, { 'if-match': '"1"' })).status).toBe(412);
    expect((await call('DELETE', undefined, { 'if-match': '"1"' })).status).toBe(412);
    const deletion = await fetch(`${t.url}/api/v1/staff/answer-templates/${id}?version=1`, {
      method: 'DELETE',
      headers: { authorization: animator, 'if-match': '"2"' },
    });
    expect(deletion.status).toBe(412);
    expect((await call('DELETE', undefined, { 'if-match': '5' })).status).toBe(400);
    expect(await templates()).toEqual([expect.objectContaining({ title: 'Loi AGEC : réemploi', body: 'Texte de départ' })]);

    // Both naming the current version: written.
    const agreed = await call('PATCH', { body: 'Texte revu', version: 2 }, { 'if-match': '"2"' });
    expect(agreed.status).toBe(200);
    expect(agreed.headers.get('etag')).toBe('"3"');
    expect((await call('DELETE', { version: 3 }, { 'if-match': '"3"' })).status).toBe(204);
    expect(await templates()).toEqual([]);

    // Documented: which is checked first, and what a contradiction gives.
    const document = await (await fetch(`${t.url}/api/docs-json`)).json();
    for (const method of ['patch', 'delete']) {
      const operation = document.paths['/api/v1/staff/answer-templates/{id}'][method];
      const ifMatch = operation.parameters.find((p: { name: string }) => p.name === 'If-Match');
      expect(ifMatch.description).toContain('Vérifié avant le champ `version`');
      expect(operation.responses['412'].description).toContain('l’en-tête et le champ `version` désignent deux versions différentes');
    }
  });

  it('API: a change that changes nothing writes nothing: same version and ETag, no journal line', async () => {
    const animator = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    const id = await insertTemplate('aura-ee', 'Loi AGEC', 'Texte de départ', 'environmental');
    const patch = (body: unknown, headers: Record<string, string> = {}) => patchTemplate(animator, id, body, headers);
    const versionNow = async () => (await t.dataSource.query(`SELECT version FROM answer_templates WHERE id = $1`, [id]))[0].version;

    for (const [body, headers] of [
      [{}, {}],
      [{ title: 'Loi AGEC', kind: 'environmental' }, { 'if-match': '"1"' }],
      [{ body: 'Texte de départ', version: 1 }, {}],
    ] as const) {
      const same = await patch(body, headers);
      expect(same.status).toBe(200);
      expect(same.headers.get('etag')).toBe('"1"');
      expect(await same.json()).toMatchObject({ title: 'Loi AGEC', version: 1 });
    }
    expect(await versionNow()).toBe(1);
    // The conditions still hold for it: a stale If-Match is refused, even for nothing.
    expect((await patch({}, { 'if-match': '"7"' })).status).toBe(412);
    // Nor does a page saved as it was.
    const page = await signedIn({ role: 'animator', networks: ['aura-ee'] });
    const path = `/espace/modeles/${id}`;
    const fields = { networkCode: 'aura-ee', title: 'Loi AGEC', body: 'Texte de départ', kind: 'environmental' };
    const unchanged = await page.submit(path, path, fields);
    expect(unchanged.status).toBe(303);
    // Said so, not « modifié ».
    expect(unchanged.headers.get('location')).toBe('/espace/modeles?fait=sans-changement');
    const told = await (await page.get(unchanged.headers.get('location')!)).text();
    expect(told).toContain('role="status"><p>Rien n’a changé : le modèle est tel qu’il était.</p>');
    expect(told).not.toContain('Le modèle est modifié.');
    expect(await versionNow()).toBe(1);
    expect(await t.dataSource.query(`SELECT summary FROM audit_events`)).toEqual([]);

    // A real change still is one, and its line.
    expect((await patch({ body: 'Texte revu' })).headers.get('etag')).toBe('"2"');
    expect(await t.dataSource.query(`SELECT summary FROM audit_events`)).toEqual([
      { summary: expect.stringMatching(/^Modèle de réponse modifié : « Loi AGEC » \(.+\) — texte$/) },
    ]);
  });

  it('API: a change sent with no version does not write back the fields it did not send over a colleague’s change made meanwhile', async () => {
    const animator = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    const id = await insertTemplate('aura-ee', 'Loi AGEC', 'Texte de départ');
    // A colleague's title change, still uncommitted while the PATCH reads the template, then committed before it writes.
    const patched = await meanwhile(
      `UPDATE answer_templates SET title = 'Titre du collègue', version = version + 1 WHERE id = $1`,
      [id],
      () => patchTemplate(animator, id, { body: 'Autre texte' }),
    );
    expect(patched.status).toBe(409);
    expect(await templates()).toEqual([expect.objectContaining({ title: 'Titre du collègue', body: 'Texte de départ' })]);
  });

  it('API: a change whose If-Match lists a colleague’s version made meanwhile changes only the fields it sends, over that version', async () => {
    const animator = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    const id = await insertTemplate('aura-ee', 'Loi AGEC', 'Texte de départ');
    // The PATCH reads version 1; a colleague's text, making version 2, is committed before it writes; its If-Match lists both.
    const patched = await meanwhile(
      `UPDATE answer_templates SET body = 'Texte du collègue', version = version + 1 WHERE id = $1`,
      [id],
      () => patchTemplate(animator, id, { title: 'Loi AGEC : réemploi' }, { 'if-match': '"1", "2"' }),
    );
    expect(patched.status).toBe(200);
    expect(patched.headers.get('etag')).toBe('"3"');
    expect(await patched.json()).toMatchObject({ title: 'Loi AGEC : réemploi', body: 'Texte du collègue', version: 3 });
    expect(await templates()).toEqual([expect.objectContaining({ title: 'Loi AGEC : réemploi', body: 'Texte du collègue' })]);
  });

  it('API: a change or deletion of a template deleted before, or while it ran, is 404 as reading it is, as documented', async () => {
    const animator = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    const call = (method: string, id: string, body?: unknown) => templatesApi(method, `/${id}`, animator, body);
    const before = await insertTemplate('aura-ee', 'Loi AGEC', 'Texte');
    expect((await call('DELETE', before)).status).toBe(204);
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { body: 'Autre texte', version: 1 }],
      ['DELETE', undefined],
    ] as const)
      expect((await call(method, before, body)).status).toBe(404);

    // Deleted by a colleague while the PATCH waits for the template: 404 too, not « modifié ».
    const during = await insertTemplate('aura-ee', 'Clause', 'Texte');
    const patched = await meanwhile(`DELETE FROM answer_templates WHERE id = $1`, [during], () =>
      call('PATCH', during, { body: 'Autre texte' }),
    );
    expect(patched.status).toBe(404);

    const document = await (await fetch(`${t.url}/api/docs-json`)).json();
    const patch = document.paths['/api/v1/staff/answer-templates/{id}'].patch;
    expect(patch.responses['404'].description).toContain('supprimé');
    expect(patch.responses['409'].description).not.toContain('supprimé');
  });

  it('API: the ETag is sent with a template and declared where it is (GET, POST, PATCH), a POST replayed by its Idempotency-Key too', async () => {
    const animator = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    const create = () =>
      fetch(`${t.url}/api/v1/staff/answer-templates`, {
        method: 'POST',
        headers: { authorization: animator, 'content-type': 'application/json', 'idempotency-key': 'creation-agec-1' },
        body: JSON.stringify({ networkCode: 'aura-ee', title: 'Loi AGEC', body: 'Texte' }),
      });
    const first = await create();
    expect(first.status).toBe(201);
    expect(first.headers.get('etag')).toBe('"1"');
    const replayed = await create();
    expect(replayed.status).toBe(201);
    expect(await replayed.json()).toEqual(await first.json());
    expect(replayed.headers.get('etag')).toBe('"1"');
    expect(await templates()).toHaveLength(1);

    const document = await (await fetch(`${t.url}/api/docs-json`)).json();
    const paths = document.paths;
    for (const response of [
      paths['/api/v1/staff/answer-templates/{id}'].get.responses['200'],
      paths['/api/v1/staff/answer-templates'].post.responses['201'],
      paths['/api/v1/staff/answer-templates/{id}'].patch.responses['200'],
    ]) {
      expect(response.headers.ETag).toEqual({
        description: expect.stringContaining('If-Match'),
        schema: { type: 'string', example: '"3"' },
      });
    }
  });

  it('another network’s animator never sees nor touches them; a facilitator has no such pages (404)', async () => {
    const id = await insertTemplate('aura-ee', 'Loi AGEC', 'Texte');
    const foreign = await signedIn({ role: 'animator', networks: ['reseco'] });
    expect(await (await foreign.get('/espace/modeles')).text()).not.toContain(`/espace/modeles/${id}`);
    expect((await foreign.get(`/espace/modeles/${id}`)).status).toBe(404);
    expect(
      (await foreign.submit('/espace/modeles', `/espace/modeles/${id}`, { networkCode: 'reseco', title: 'Pris', body: 'Pris' })).status,
    ).toBe(404);
    expect((await foreign.submit('/espace/modeles', `/espace/modeles/${id}/suppression`, {})).status).toBe(404);
    expect(await templates()).toEqual([expect.objectContaining({ networkCode: 'aura-ee', title: 'Loi AGEC', body: 'Texte' })]);

    const admin = await signedIn({ role: 'admin' });
    expect(await (await admin.get('/espace/modeles')).text()).toContain(`/espace/modeles/${id}`);
    const facilitator = await signedIn({
      role: 'facilitator',
      facilitatorId: await insertFacilitator(t.dataSource),
      networks: ['aura-ee'],
    });
    expect((await facilitator.get('/espace/modeles')).status).toBe(404);
  });

  it('the facilitator answering a request starts from one of its network’s templates, never another network’s', async () => {
    const request = await submittedAndTaken(t, 1);
    const [{ network }] = await t.dataSource.query(`SELECT network_code AS network FROM requests WHERE id = $1`, [request.id]);
    const own = await insertTemplate(network, 'Loi AGEC : réemploi', `Bonjour,\nvoici les taux. ${XSS}`, 'environmental');
    const both = await insertTemplate(network, 'Accueil : ce que fait le guichet', 'Bonjour,');
    await insertTemplate(network, 'Clause d’insertion : repères', 'Heures d’insertion', 'social_clause');
    const other = await insertTemplate('reseco', 'Modèle d’un autre réseau', 'Ailleurs');
    const holder = await signedIn({ role: 'facilitator', facilitatorId: request.facilitatorId, networks: [network] });
    const page = `/espace/demandes/${request.reference}`;

    const plain = await (await holder.get(page)).text();
    // An environmental request: its kind's template first, then the one for both; never the other kind's.
    expect(plain).toContain('Partir d’un modèle de réponse du réseau (2)');
    // Buttons of the answer form (the text typed goes with the choice), no longer links that dropped it.
    expect(plain.indexOf(`name="modele" value="${own}"`)).toBeGreaterThan(-1);
    expect(plain.indexOf(`name="modele" value="${both}"`)).toBeGreaterThan(plain.indexOf(`name="modele" value="${own}"`));
    expect(plain).not.toContain('?modele=');
    expect(plain).not.toContain('Clause d’insertion : repères');
    expect(plain).not.toContain('Modèle d’un autre réseau');

    const started = await (await holder.get(`${page}?modele=${own}`)).text();
    expect(started).toContain(`Bonjour,\nvoici les taux. &lt;script&gt;alert(1)&lt;/script&gt;</textarea>`);
    expect(started).toContain('— repris ci-dessous');
    // Said where the answer begins: the page reloaded, nothing else tells that the text changed (RGAA 7.5).
    expect(started).toMatch(
      /role="status" id="modele-repris" tabindex="-1" data-focus-on-load><p>Le modèle « [^»]+ » est repris dans votre réponse ci-dessous : adaptez-le à la demande avant de l’envoyer\.<\/p>/,
    );
    expect(plain).not.toContain('id="modele-repris"');
    const elsewhere = await (await holder.get(`${page}?modele=${other}`)).text();
    expect(elsewhere).not.toContain('Ailleurs');
  });

  it('a template chosen while writing goes after the text typed, nothing sent, the help items kept and the files asked again', async () => {
    const request = await submittedAndTaken(t, 3);
    const [{ network }] = await t.dataSource.query(`SELECT network_code AS network FROM requests WHERE id = $1`, [request.id]);
    const template = await insertTemplate(network, 'Loi AGEC : réemploi', 'Les taux minimaux de réemploi\nsont fixés par décret.');
    const other = await insertTemplate('reseco', 'Modèle d’un autre réseau', 'Ailleurs');
    const holder = await signedIn({ role: 'facilitator', facilitatorId: request.facilitatorId, networks: [network] });
    const page = `/espace/demandes/${request.reference}`;
    const choose = async (modele: string, fields: Record<string, string>, fileName?: string) => {
      const form = new FormData();
      form.append('_csrf', csrfIn(await (await holder.get(page)).text()));
      for (const [name, value] of Object.entries(fields)) form.append(name, value);
      if (fileName) form.append('fichiers', new Blob([new Uint8Array(samplePdf())], { type: 'application/pdf' }), fileName);
      form.append('modele', modele);
      return sendAnswerForm(holder, page, form);
    };

    const typed = 'Bonjour,\nvoici ce que j’ai déjà écrit.';
    const chosen = await choose(template, { body: typed, 'items[0][type]': 'guide', 'items[0][title]': 'Guide AGEC' }, 'CCTP.pdf');
    expect(chosen.status).toBe(200);
    const html = (await chosen.text()).replace(/\r\n/g, '\n');
    expect(html).toContain(`>${typed}\n\nLes taux minimaux de réemploi\nsont fixés par décret.</textarea>`);
    expect(html).toContain(
      'id="modele-repris" tabindex="-1" data-focus-on-load><p>Le modèle « Loi AGEC : réemploi » est ajouté à la suite de votre texte ci-dessous : adaptez-le à la demande avant de l’envoyer.</p>',
    );
    expect(html).toContain('value="Guide AGEC"');
    expect(html).toContain('<p id="fichiers-non-envoyes">Le fichier « CCTP.pdf » n’a pas été envoyé : joignez-le de nouveau.</p>');
    expect(await t.dataSource.query(`SELECT 1 FROM request_messages WHERE request_id = $1`, [request.id])).toEqual([]);
    expect((await t.dataSource.query(`SELECT status FROM requests WHERE id = $1`, [request.id]))[0].status).toBe('in_progress');

    // Nothing typed yet: the template alone, as before. Another network's: the text typed comes back, nothing added.
    const alone = (await (await choose(template, { body: '' })).text()).replace(/\r\n/g, '\n');
    expect(alone).toContain('>Les taux minimaux de réemploi\nsont fixés par décret.</textarea>');
    expect(alone).toContain('est repris dans votre réponse ci-dessous');
    const elsewhere = (await (await choose(other, { body: typed })).text()).replace(/\r\n/g, '\n');
    expect(elsewhere).toContain(`>${typed}</textarea>`);
    expect(elsewhere).not.toContain('Ailleurs');

    // Sent back to the pool while they wrote: refused as the answer would be (409), what was typed given back.
    const csrf = csrfIn(await (await holder.get(page)).text());
    await t.dataSource.query(`UPDATE requests SET status = 'unassigned', assigned_facilitator_id = NULL WHERE id = $1`, [request.id]);
    const form = new FormData();
    form.append('_csrf', csrf);
    form.append('body', typed);
    form.append('fichiers', new Blob([new Uint8Array(samplePdf())], { type: 'application/pdf' }), 'CCTP.pdf');
    form.append('modele', template);
    const late = await sendAnswerForm(holder, page, form);
    expect(late.status).toBe(409);
    const lateHtml = (await late.text()).replace(/\r\n/g, '\n');
    expect(lateHtml).toContain('Cette demande ne vous est plus confiée');
    expect(lateHtml).toContain(`<blockquote id="texte-saisi" style="white-space: pre-line">${typed}</blockquote>`);
    expect(lateHtml).toContain('Le fichier « CCTP.pdf » n’a pas été envoyé : joignez-le de nouveau.');
  });

  it('a template deleted or moved away meanwhile is said gone (who deleted it, when), what was typed kept, nothing added; one never made is « n’existe plus » on the form, 404 by a link', async () => {
    const request = await submittedAndTaken(t, 4);
    const [{ network }] = await t.dataSource.query(`SELECT network_code AS network FROM requests WHERE id = $1`, [request.id]);
    const deleted = await insertTemplate(network, 'Loi AGEC : réemploi', 'Texte supprimé');
    const otherKind = await insertTemplate(network, 'Accueil : ce que fait le guichet', 'Texte réservé');
    const moved = await insertTemplate(network, 'Label : repères', 'Texte déplacé');
    await insertTemplate(network, 'Repères du réseau', 'Texte gardé');
    const holder = await signedIn({ role: 'facilitator', facilitatorId: request.facilitatorId, networks: [network] });
    const page = `/espace/demandes/${request.reference}`;
    // The holder's page, opened with the three buttons, before the network's animator (and an admin) change the templates.
    const opened = await (await holder.get(page)).text();
    for (const id of [deleted, otherKind, moved]) expect(opened).toContain(`name="modele" value="${id}"`);
    const animator = await bearerFor(t, { role: 'animator', networks: [network] });
    const admin = await bearerFor(t, { role: 'admin' });
    const call = async (authorization: string, method: string, id: string, body?: unknown) =>
      (await templatesApi(method, `/${id}`, authorization, body)).status;
    expect(await call(animator, 'DELETE', deleted)).toBe(204);
    expect(await call(animator, 'PATCH', otherKind, { kind: 'social_clause' })).toBe(200);
    expect(await call(admin, 'PATCH', moved, { networkCode: 'reseco' })).toBe(200);

    const typed = 'Bonjour,\nvoici ce que j’ai déjà écrit.';
    const choose = (modele: string) => {
      const form = new FormData();
      form.append('_csrf', csrfIn(opened));
      form.append('body', typed);
      form.append('items[0][type]', 'guide');
      form.append('items[0][title]', 'Guide AGEC');
      form.append('fichiers', new Blob([new Uint8Array(samplePdf())], { type: 'application/pdf' }), 'CCTP.pdf');
      form.append('modele', modele);
      return sendAnswerForm(holder, page, form);
    };
    const gone = await choose(deleted);
    expect(gone.status).toBe(409);
    const html = (await gone.text()).replace(/\r\n/g, '\n');
    // Said where the page opens, as an alert the page focuses on load; its title says something went wrong.
    expect(html).toContain(
      '<div class="fr-alert fr-alert--warning fr-alert--sm fr-mb-3w" role="alert" id="modele-introuvable" tabindex="-1" data-focus-on-load>\n',
    );
    // Who deleted it, from the network's journal.
    expect(html).toMatch(
      /<p>Le modèle choisi a été supprimé par Sam Essai le \d{1,2}(er)? \S+ \d{4} à \d{2}:\d{2}\. Rien n’est ajouté à votre réponse, gardée telle que vous l’aviez écrite ; choisissez un autre modèle si besoin\.<\/p>/,
    );
    expect(html).toMatch(/<title>Erreur — /);
    expect(html).toContain('<p id="fichiers-non-envoyes">Le fichier « CCTP.pdf » n’a pas été envoyé : joignez-le de nouveau.</p>');
    expect(html).toContain(`>${typed}</textarea>`);
    expect(html).toContain('value="Guide AGEC"');
    expect(html).not.toContain('Texte supprimé');
    expect(html).not.toContain('id="modele-repris"');
    expect(await t.dataSource.query(`SELECT 1 FROM request_messages WHERE request_id = $1`, [request.id])).toEqual([]);

    // Kept for the other kind of request: it still exists for the facilitator, who is told which one.
    const reserved = (await (await choose(otherKind)).text()).replace(/\r\n/g, '\n');
    expect(reserved).toContain(
      '<p>Le modèle « Accueil : ce que fait le guichet » est désormais réservé à d’autres demandes. Rien n’est ajouté',
    );
    expect(reserved).toContain(`>${typed}</textarea>`);
    expect(reserved).not.toContain('Texte réservé');
    // Moved to another network: it no longer exists for them, not even by its title.
    const elsewhere = await choose(moved);
    expect(elsewhere.status).toBe(409);
    const elsewhereHtml = await elsewhere.text();
    expect(elsewhereHtml).toContain('<p>Le modèle choisi n’est pas proposé pour cette demande : il appartient à un autre réseau.');
    expect(elsewhereHtml).not.toContain('Label : repères');
    // The same by the page's address.
    const linked = await holder.get(`${page}?modele=${deleted}`);
    expect(linked.status).toBe(409);
    expect(await linked.text()).toContain('a été supprimé par Sam Essai');
    // An id no template ever had, or whose deletion the journal no longer keeps, is not « supprimé »: there is no such
    // template. Chosen with the form, the text typed is still given back (409); by a link, with no text at stake, 404.
    for (const never of ['6f1c2b1e-0000-4000-8000-000000000000', 'pas-un-modele']) {
      const unknown = await choose(never);
      expect(unknown.status).toBe(409);
      const unknownHtml = (await unknown.text()).replace(/\r\n/g, '\n');
      expect(unknownHtml).toContain('<p>Ce modèle n’existe plus. Rien n’est ajouté à votre réponse, gardée telle que vous l’aviez écrite');
      expect(unknownHtml).toContain(`>${typed}</textarea>`);
      expect(unknownHtml).toContain('value="Guide AGEC"');
      expect(unknownHtml).toContain('<p id="fichiers-non-envoyes">Le fichier « CCTP.pdf » n’a pas été envoyé : joignez-le de nouveau.</p>');
      expect((await holder.get(`${page}?modele=${never}`)).status).toBe(404);
    }
    // Its deletion past the journal's keeping: the same as one never made.
    await t.dataSource.query(`UPDATE audit_events SET created_at = now() - interval '400 days' WHERE subject_id = $1`, [deleted]);
    expect(await t.app.get(AuditService).purgeExpired()).toBeGreaterThan(0);
    const forgotten = await choose(deleted);
    expect(forgotten.status).toBe(409);
    expect((await forgotten.text()).replace(/\r\n/g, '\n')).toContain(`>${typed}</textarea>`);
    expect((await holder.get(`${page}?modele=${deleted}`)).status).toBe(404);
    expect(await t.dataSource.query(`SELECT 1 FROM request_messages WHERE request_id = $1`, [request.id])).toEqual([]);
  });

  it('« supprimé par » names who deleted it without their address: by their account’s name now, or, the account gone, as the journal kept it', async () => {
    const request = await submittedAndTaken(t, 7);
    const [{ network }] = await t.dataSource.query(`SELECT network_code AS network FROM requests WHERE id = $1`, [request.id]);
    const id = await insertTemplate(network, 'Loi AGEC : réemploi', 'Texte supprimé');
    const holder = await signedIn({ role: 'facilitator', facilitatorId: request.facilitatorId, networks: [network] });
    const animator = await bearerFor(t, { role: 'animator', networks: [network] });
    const deleted = await fetch(`${t.url}/api/v1/staff/answer-templates/${id}`, { method: 'DELETE', headers: { authorization: animator } });
    expect(deleted.status).toBe(204);
    const [{ actorId, actorName }] = await t.dataSource.query(
      `SELECT actor_id AS "actorId", actor_name AS "actorName" FROM audit_events WHERE subject_id = $1`,
      [id],
    );
    // The journal, for admins and animators, keeps the address.
    expect(actorName).toMatch(/^Sam Essai \(animator-[0-9a-f]{8}@example\.org\)$/);
    const said = async () => {
      const html = await (await holder.get(`/espace/demandes/${request.reference}?modele=${id}`)).text();
      return html.match(/Le modèle choisi a été supprimé par (.*?) le \d/)?.[1];
    };
    expect(await said()).toBe('Sam Essai');
    // Renamed since, or deactivated: the account's name as it is.
    await t.dataSource.query(`UPDATE staff_users SET last_name = 'Essai-Martin', active = false WHERE id = $1`, [actorId]);
    expect(await said()).toBe('Sam Essai-Martin');
    // The account gone (the line's author set to null): the name the line kept, still without the address.
    await t.dataSource.query(`UPDATE audit_events SET actor_id = NULL WHERE subject_id = $1`, [id]);
    expect(await said()).toBe('Sam Essai');
  });

  it('a template moved to another network than the request’s, though still the facilitator’s own, is said of another network, not reserved to other requests', async () => {
    const request = await submittedAndTaken(t, 8);
    const [{ network }] = await t.dataSource.query(`SELECT network_code AS network FROM requests WHERE id = $1`, [request.id]);
    const otherNetwork = network === 'reseco' ? 'aura-ee' : 'reseco';
    const moved = await insertTemplate(network, 'Repères du réseau', 'Texte déplacé');
    const holder = await signedIn({ role: 'facilitator', facilitatorId: request.facilitatorId, networks: [network] });
    const page = `/espace/demandes/${request.reference}`;
    expect(await (await holder.get(page)).text()).toContain(`name="modele" value="${moved}"`);
    // The facilitator now belongs to another network (still holding the request), where an admin moves the template.
    await t.dataSource.query(`UPDATE facilitators SET network_code = $2 WHERE id = $1`, [request.facilitatorId, otherNetwork]);
    await t.dataSource.query(`UPDATE answer_templates SET network_code = $2 WHERE id = $1`, [moved, otherNetwork]);
    const chosen = await holder.get(`${page}?modele=${moved}`);
    expect(chosen.status).toBe(409);
    const html = await chosen.text();
    expect(html).toContain('<p>Le modèle choisi n’est pas proposé pour cette demande : il appartient à un autre réseau.');
    expect(html).not.toContain('réservé à d’autres demandes');
    expect(html).not.toContain('Texte déplacé');
  });

  it('an answer still holding a template’s passage to complete is refused by field, nothing sent; completed, it goes', async () => {
    const request = await submittedAndTaken(t, 2);
    const holder = await bearerFor(t, { role: 'facilitator', facilitatorId: request.facilitatorId, networks: ['aura-ee'] });
    const answer = (body: string) =>
      fetch(`${t.url}/api/v1/staff/requests/${request.reference}/answer`, {
        method: 'POST',
        headers: { authorization: holder, 'content-type': 'application/json' },
        body: JSON.stringify({ body }),
      });

    const refused = await answer('Bonjour,\nle taux applicable est de [À compléter : taux du décret] %.');
    expect(refused.status).toBe(400);
    expect((await refused.json()).errors).toEqual([
      {
        field: 'body',
        message:
          'Votre réponse contient encore « [À compléter : taux du décret] », un passage du modèle à remplacer : complétez-le ou retirez-le.',
      },
    ]);
    expect(await t.dataSource.query(`SELECT 1 FROM request_messages WHERE request_id = $1`, [request.id])).toEqual([]);
    expect((await t.dataSource.query(`SELECT status FROM requests WHERE id = $1`, [request.id]))[0].status).toBe('in_progress');

    expect((await answer('Bonjour,\nle taux applicable est de 20 %.')).status).toBe(200);
    expect((await t.dataSource.query(`SELECT status FROM requests WHERE id = $1`, [request.id]))[0].status).toBe('answered');
  });

  it('API: everyone reads their networks’ templates; animators create, change (only what is sent) and delete; bad input by field', async () => {
    const animator = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    const call = templatesApi;

    const refused = await call('POST', '', animator, { networkCode: 'reseco', title: 7, colour: 'vert' });
    expect(refused.status).toBe(400);
    expect((await refused.json()).errors).toEqual([
      { field: 'colour', message: 'Champ inconnu : « colour ».' },
      { field: 'title', message: 'Ce champ doit être un texte.' },
    ]);
    const outside = await call('POST', '', animator, { networkCode: 'reseco', title: 'Loi AGEC', body: 'Texte' });
    expect((await outside.json()).errors).toEqual([{ field: 'networkCode', message: 'Choisissez le réseau du modèle.' }]);
    expect(await templates()).toEqual([]);

    const created = await call('POST', '', animator, { networkCode: 'aura-ee', title: `Loi AGEC ${XSS}`, body: 'Réemploi\r\nminimal' });
    expect(created.status).toBe(201);
    const template = await created.json();
    const document = await (await fetch(`${t.url}/api/docs-json`)).json();
    expect(Object.keys(template).sort()).toEqual(Object.keys(document.components.schemas.AnswerTemplateDto.properties).sort());
    expect(template).toMatchObject({ networkCode: 'aura-ee', title: `Loi AGEC ${XSS}`, body: 'Réemploi\nminimal' });

    expect(template.kind).toBeNull();
    const changed = await call('PATCH', `/${template.id}`, animator, { body: 'Réemploi et réutilisation', kind: 'environmental' });
    expect(await changed.json()).toMatchObject({ title: `Loi AGEC ${XSS}`, body: 'Réemploi et réutilisation', kind: 'environmental' });
    const kept = await call('PATCH', `/${template.id}`, animator, { title: 'Loi AGEC' });
    expect(await kept.json()).toMatchObject({ title: 'Loi AGEC', kind: 'environmental' });
    expect(await (await call('PATCH', `/${template.id}`, animator, { kind: null })).json()).toMatchObject({ kind: null });
    const badKind = await call('PATCH', `/${template.id}`, animator, { kind: 'social' });
    expect(badKind.status).toBe(400);
    expect((await badKind.json()).errors).toEqual([
      { field: 'kind', message: 'Choisissez le type de demande : environnementale, clause sociale, ou les deux.' },
    ]);
    expect((await call('PATCH', `/${template.id}`, animator, { title: '' })).status).toBe(400);
    // null empties no text field (only the kind takes it): refused, not silently ignored.
    const nullTitle = await call('PATCH', `/${template.id}`, animator, { title: null, body: null });
    expect(nullTitle.status).toBe(400);
    expect((await nullTitle.json()).errors).toEqual([
      { field: 'title', message: 'Ce champ doit être un texte.' },
      { field: 'body', message: 'Ce champ doit être un texte.' },
    ]);

    // A facilitator of the network reads it, one of another network does not see it, and neither may change it.
    const reader = await bearerFor(t, { role: 'facilitator', facilitatorId: await insertFacilitator(t.dataSource), networks: ['aura-ee'] });
    const stranger = await bearerFor(t, {
      role: 'facilitator',
      facilitatorId: await insertFacilitator(t.dataSource, { network: 'reunion' }),
      networks: ['reunion'],
    });
    expect((await (await call('GET', '', reader)).json()).map((x: { id: string }) => x.id)).toEqual([template.id]);
    expect((await call('GET', `/${template.id}`, reader)).status).toBe(200);
    expect(await (await call('GET', '', stranger)).json()).toEqual([]);
    expect((await call('GET', `/${template.id}`, stranger)).status).toBe(404);
    expect((await call('DELETE', `/${template.id}`, reader)).status).toBe(404);

    expect((await call('DELETE', `/${template.id}`, animator)).status).toBe(204);
    expect(await templates()).toEqual([]);
    expect((await call('GET', `/${template.id}`, animator)).status).toBe(404);
  });

  it('a deletion confirmed from a page opened before a colleague’s change is refused, the template as it is now shown, to delete anyway or keep', async () => {
    const id = await insertTemplate('aura-ee', 'Loi AGEC', 'Texte de départ');
    const { client: claude } = await claudeSignedIn();
    const berenice = await signedIn({ role: 'animator', networks: ['aura-ee'] });
    const path = `/espace/modeles/${id}`;
    // Bérénice's confirmation is open, then Claude rewrites the template.
    const confirmation = await (await berenice.get(`${path}/suppression`)).text();
    const opened = openedForm(confirmation);
    expect(opened.version).toBe('1');
    const rewritten = { networkCode: 'aura-ee', title: 'Loi AGEC : réemploi', body: 'Texte réécrit par Claude', kind: '' };
    expect((await claude.submit(path, path, rewritten)).status).toBe(303);

    const stale = await berenice.post(`${path}/suppression`, opened);
    expect(stale.status).toBe(409);
    const html = (await stale.text()).replace(/\r\n/g, '\n');
    expect(html).toMatch(/<title>Erreur — /);
    expect(html).toContain('<h1>Supprimer le modèle « Loi AGEC : réemploi » ?</h1>');
    expect(html).toMatch(
      /<p>Claude Animateur a modifié ce modèle le \d{1,2}(er)? \S+ \d{4} à \d{2}:\d{2}, depuis que vous avez demandé sa suppression : il n’est pas supprimé\./,
    );
    expect(html).toContain('>Texte réécrit par Claude</blockquote>');
    expect(html).toContain(`<form method="post" action="/espace/modeles/${id}/suppression">`);
    expect(html).toContain('name="version" value="2"');
    expect(html).toContain('Supprimer quand même</button>');
    expect(html).toContain('<a class="fr-btn fr-btn--secondary" href="/espace/modeles">Garder le modèle</a>');
    expect(await templates()).toEqual([expect.objectContaining({ body: 'Texte réécrit par Claude' })]);
    // A tampered version is taken as stale too.
    expect((await berenice.post(`${path}/suppression`, { ...opened, version: 'deux' })).status).toBe(409);

    // « Supprimer quand même », knowing Claude's version: deleted.
    const anyway = await berenice.post(`${path}/suppression`, openedForm(html));
    expect(anyway.headers.get('location')).toBe('/espace/modeles?fait=suppression');
    expect(await templates()).toEqual([]);
  });

  it('a deletion confirmed after a colleague deleted the template, before or while it was sent, leads to the list saying who and when', async () => {
    const { client: claude } = await claudeSignedIn();
    const berenice = await signedIn({ role: 'animator', networks: ['aura-ee'] });
    const confirmBoth = async (id: string) => {
      const path = `/espace/modeles/${id}/suppression`;
      return { path, mine: openedForm(await (await berenice.get(path)).text()), theirs: openedForm(await (await claude.get(path)).text()) };
    };
    const before = await insertTemplate('aura-ee', 'Loi AGEC', 'Texte');
    const first = await confirmBoth(before);
    expect((await claude.post(first.path, first.theirs)).headers.get('location')).toBe('/espace/modeles?fait=suppression');
    const late = await berenice.post(first.path, first.mine);
    expect(late.status).toBe(303);
    expect(late.headers.get('location')).toBe(`/espace/modeles?deja-supprime=${before}`);
    const list = await (await berenice.get(late.headers.get('location')!)).text();
    expect(list).toMatch(
      /<div class="fr-alert fr-alert--info fr-alert--sm fr-mb-4w" role="status" id="modele-deja-supprime" tabindex="-1" data-focus-on-load><p>Ce modèle a déjà été supprimé par Claude Animateur le \d{1,2}(er)? \S+ \d{4} à \d{2}:\d{2}\.<\/p><\/div>/,
    );

    // Deleted while hers waited on its lock, with no journal line (as an operator's would be): it no longer exists.
    const during = await insertTemplate('aura-ee', 'Label', 'Texte');
    const second = await confirmBoth(during);
    const raced = await meanwhile(`DELETE FROM answer_templates WHERE id = $1`, [during], () => berenice.post(second.path, second.mine));
    expect(raced.headers.get('location')).toBe(`/espace/modeles?deja-supprime=${during}`);
    expect(await (await berenice.get(raced.headers.get('location')!)).text()).toContain(
      'id="modele-deja-supprime" tabindex="-1" data-focus-on-load><p>Ce modèle n’existe plus.</p>',
    );
    // Another network's template is not named by the list, nor is its deletion.
    const elsewhere = await insertTemplate('reseco', 'Hors réseau', 'Texte');
    const outsider = await bearerFor(t, { role: 'admin' });
    expect(
      (await fetch(`${t.url}/api/v1/staff/answer-templates/${elsewhere}`, { method: 'DELETE', headers: { authorization: outsider } }))
        .status,
    ).toBe(204);
    expect(await (await berenice.get(`/espace/modeles?deja-supprime=${elsewhere}`)).text()).toContain('<p>Ce modèle n’existe plus.</p>');
    // Moved to a network outside hers, before or while the deletion was sent: it still exists, and the list says where it went.
    const admin = await bearerFor(t, { role: 'admin' });
    const moveAway = (id: string) => patchTemplate(admin, id, { networkCode: 'maximilien' });
    const movedBefore = await insertTemplate('aura-ee', 'Déplacé avant', 'Texte');
    const third = await confirmBoth(movedBefore);
    expect((await moveAway(movedBefore)).status).toBe(200);
    const movedDuring = await insertTemplate('aura-ee', 'Déplacé pendant', 'Texte');
    const fourth = await confirmBoth(movedDuring);
    for (const sent of [
      await berenice.post(third.path, third.mine),
      await meanwhile(`UPDATE answer_templates SET network_code = 'maximilien' WHERE id = $1`, [movedDuring], () =>
        berenice.post(fourth.path, fourth.mine),
      ),
    ]) {
      expect(sent.headers.get('location')).toBe('/espace/modeles?deplace');
      const said = await (await berenice.get(sent.headers.get('location')!)).text();
      expect(said).toContain(
        'id="modele-deja-supprime" tabindex="-1" data-focus-on-load><p>Ce modèle a été déplacé hors de vos réseaux : il n’est pas supprimé.</p>',
      );
      expect(said).not.toContain('Ce modèle n’existe plus.');
    }
    expect(await t.dataSource.query(`SELECT title FROM answer_templates WHERE network_code = 'maximilien' ORDER BY title`)).toEqual([
      { title: 'Déplacé avant' },
      { title: 'Déplacé pendant' },
    ]);
    // Without the confirmation's version (no page sent it), or with no id, still « introuvable ».
    expect((await berenice.post(first.path, { _csrf: first.mine._csrf })).status).toBe(404);
    expect((await berenice.post('/espace/modeles/pas-un-modele/suppression', first.mine)).status).toBe(404);
  });

  it('a deletion or a save sent for a template the person no longer sees says what really happened to it, and nothing of one never theirs', async () => {
    const berenice = await signedIn({ role: 'animator', networks: ['aura-ee'] });
    const admin = await bearerFor(t, { role: 'admin' });
    // A version and a token as her confirmation and edit pages send them, from a template of hers.
    const own = await insertTemplate('aura-ee', 'Modèle à elle', 'Texte');
    const confirmation = openedForm(await (await berenice.get(`/espace/modeles/${own}/suppression`)).text());
    const edition = openedForm(await (await berenice.get(`/espace/modeles/${own}`)).text());
    const typed = { networkCode: 'aura-ee', title: 'Titre de Bérénice', body: 'Texte de Bérénice', kind: '' };
    const remove = (id: string) => berenice.post(`/espace/modeles/${id}/suppression`, confirmation);
    const save = async (id: string) => {
      const sent = await berenice.post(`/espace/modeles/${id}`, { ...edition, ...typed });
      expect(sent.status).toBe(409);
      return (await sent.text()).replace(/\r\n/g, '\n');
    };
    const listAfter = async (sent: Response) => (await berenice.get(sent.headers.get('location')!)).text();

    // Another network's template, never in hers: neither « déplacé » nor « supprimé », as for an id never made or no template's.
    const foreign = await insertTemplate('reseco', 'Modèle de RESECO', 'Texte de RESECO');
    const never = '6f1c2b1e-0000-4000-8000-000000000000';
    const facilitator = await insertFacilitator(t.dataSource, { network: 'aura-ee' });
    for (const id of [foreign, never, facilitator]) {
      const removal = await remove(id);
      expect(removal.headers.get('location')).toBe(`/espace/modeles?deja-supprime=${id}`);
      const list = await listAfter(removal);
      expect(list).toContain('id="modele-deja-supprime" tabindex="-1" data-focus-on-load><p>Ce modèle n’existe plus.</p>');
      expect(list).not.toContain('déplacé');
      expect(list).not.toContain('RESECO');
      const html = await save(id);
      expect(html).toContain('Ce modèle n’existe plus : vos modifications ne sont pas enregistrées.');
      expect(html).toContain('>Texte de Bérénice</textarea>');
      expect(html).toContain('Recréer le modèle</button>');
      for (const claim of ['supprimé', 'déplacé', 'hors de vos réseaux', 'Texte de RESECO']) expect(html).not.toContain(claim);
    }

    // Moved out of her network: « déplacé », it still exists.
    const moved = await insertTemplate('aura-ee', 'Déplacé', 'Texte');
    expect((await patchTemplate(admin, moved, { networkCode: 'maximilien' })).status).toBe(200);
    expect((await remove(moved)).headers.get('location')).toBe('/espace/modeles?deplace');
    expect(await save(moved)).toContain('il n’est plus dans vos réseaux, vos modifications ne sont pas enregistrées.');

    // Deleted in her network: who deleted it, and when.
    const deleted = await insertTemplate('aura-ee', 'Supprimé', 'Texte');
    expect((await templatesApi('DELETE', `/${deleted}`, admin)).status).toBe(204);
    expect(await listAfter(await remove(deleted))).toMatch(/<p>Ce modèle a déjà été supprimé par Sam Essai le \d/);
    expect(await save(deleted)).toMatch(/Ce modèle a été supprimé par Sam Essai le \d.* pendant que vous le modifiiez/);

    // Moved out, then deleted in a network not hers: no longer « déplacé », and who deleted it there is not hers to read.
    const movedThenDeleted = await insertTemplate('aura-ee', 'Déplacé puis supprimé', 'Texte');
    expect((await patchTemplate(admin, movedThenDeleted, { networkCode: 'maximilien' })).status).toBe(200);
    expect((await templatesApi('DELETE', `/${movedThenDeleted}`, admin)).status).toBe(204);
    const removal = await remove(movedThenDeleted);
    expect(removal.headers.get('location')).toBe(`/espace/modeles?deja-supprime=${movedThenDeleted}`);
    expect(await listAfter(removal)).toContain(
      'id="modele-deja-supprime" tabindex="-1" data-focus-on-load><p>Ce modèle n’existe plus.</p>',
    );
    expect(await save(movedThenDeleted)).toContain('Ce modèle n’existe plus : vos modifications ne sont pas enregistrées.');

    expect(await t.dataSource.query(`SELECT title FROM answer_templates ORDER BY title`)).toEqual([
      { title: 'Déplacé' },
      { title: 'Modèle de RESECO' },
      { title: 'Modèle à elle' },
    ]);
  });

  it('a template chosen on a request’s page from a network never the facilitator’s is not said to be another network’s', async () => {
    const request = await submittedAndTaken(t, 5);
    const [{ network }] = await t.dataSource.query(`SELECT network_code AS network FROM requests WHERE id = $1`, [request.id]);
    const foreign = await insertTemplate(network === 'reseco' ? 'aura-ee' : 'reseco', 'Modèle d’un autre réseau', 'Ailleurs');
    const holder = await signedIn({ role: 'facilitator', facilitatorId: request.facilitatorId, networks: [network] });
    const page = `/espace/demandes/${request.reference}`;
    const form = new FormData();
    form.append('_csrf', csrfIn(await (await holder.get(page)).text()));
    form.append('body', 'Bonjour,');
    form.append('modele', foreign);
    const chosen = await sendAnswerForm(holder, page, form);
    expect(chosen.status).toBe(409);
    const html = await chosen.text();
    expect(html).toContain('<p>Ce modèle n’existe plus. Rien n’est ajouté à votre réponse');
    expect(html).not.toContain('il appartient à un autre réseau');
    // By a link, with no text at stake: as one never made (404).
    expect((await holder.get(`${page}?modele=${foreign}`)).status).toBe(404);
  });

  it('API: a creation or a change takes a JSON body only (415), nothing written; documented', async () => {
    const animator = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    const id = await insertTemplate('aura-ee', 'Loi AGEC', 'Texte de départ');
    for (const [method, path] of [
      ['POST', ''],
      ['PATCH', `/${id}`],
    ] as const) {
      for (const contentType of ['text/plain', 'application/x-www-form-urlencoded']) {
        const refused = await fetch(`${t.url}/api/v1/staff/answer-templates${path}`, {
          method,
          headers: { authorization: animator, 'content-type': contentType },
          body: 'networkCode=aura-ee&title=Autre&body=Autre+texte',
        });
        expect(refused.status).toBe(415);
        expect((await refused.json()).code).toBe('unsupported_media_type');
      }
    }
    expect(await templates()).toEqual([expect.objectContaining({ title: 'Loi AGEC', body: 'Texte de départ' })]);
    expect((await t.dataSource.query(`SELECT version FROM answer_templates`))[0].version).toBe(1);
    // JSON, as before.
    expect((await patchTemplate(animator, id, { title: 'Loi AGEC : réemploi' })).status).toBe(200);

    const document = await (await fetch(`${t.url}/api/docs-json`)).json();
    for (const operation of [
      document.paths['/api/v1/staff/answer-templates'].post,
      document.paths['/api/v1/staff/answer-templates/{id}'].patch,
    ])
      expect(operation.responses['415'].description).toContain('application/json');
  });

  it('API: a deletion takes a JSON body with its own field only (415, 400); naming two versions, by field and address, it is refused on both', async () => {
    const animator = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    const id = await insertTemplate('aura-ee', 'Loi AGEC', 'Texte de départ');
    const send = (method: string, path: string, body: string, contentType = 'application/json') =>
      fetch(`${t.url}/api/v1/staff/answer-templates${path}`, {
        method,
        headers: { authorization: animator, 'content-type': contentType },
        body,
      });
    const asText = await send('DELETE', `/${id}`, 'version=1', 'text/plain');
    expect(asText.status).toBe(415);
    expect((await asText.json()).code).toBe('unsupported_media_type');
    const stray = await send('DELETE', `/${id}`, JSON.stringify({ version: 1, motif: 'doublon' }));
    expect(stray.status).toBe(400);
    expect((await stray.json()).errors).toEqual([expect.objectContaining({ field: 'motif' })]);

    const twoVersions = await send('DELETE', `/${id}?version=2`, JSON.stringify({ version: 1 }));
    expect(twoVersions.status).toBe(400);
    expect((await twoVersions.json()).errors).toEqual([
      {
        field: 'version',
        message:
          'Le champ version (1) et l’adresse (?version=2) désignent deux versions différentes : envoyez l’une ou l’autre, ou la même.',
      },
      {
        field: '?version',
        message:
          'L’adresse (?version=2) et le champ version (1) désignent deux versions différentes : envoyez l’une ou l’autre, ou la même.',
      },
    ]);
    expect(await templates()).toHaveLength(1);
    // The same version both ways: deleted.
    expect((await send('DELETE', `/${id}?version=1`, JSON.stringify({ version: 1 }))).status).toBe(204);
    expect(await templates()).toEqual([]);
  });

  it('API: a deletion takes the version as a change does (field, address or If-Match); stale, nothing deleted (409, 412)', async () => {
    const animator = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    const id = await insertTemplate('aura-ee', 'Loi AGEC', 'Texte de départ');
    const call = (method: string, query = '', body?: unknown, headers: Record<string, string> = {}) =>
      templatesApi(method, `/${id}${query}`, animator, body, headers);
    expect((await call('PATCH', '', { title: 'Loi AGEC : réemploi' })).headers.get('etag')).toBe('"2"');

    // A client still holding version 1: by field or address (409), by If-Match (412), told why; nothing deleted.
    for (const [query, body] of [
      ['', { version: 1 }],
      ['?version=1', undefined],
    ] as const) {
      const stale = await call('DELETE', query, body);
      expect(stale.status).toBe(409);
      expect((await stale.json()).errors).toEqual([
        {
          field: 'version',
          message:
            'Ce modèle a été modifié par Sam Essai depuis que vous l’avez ouvert (il en est à sa version 2) : il n’est pas supprimé. Relisez-le, puis supprimez-le de nouveau si besoin.',
        },
      ]);
    }
    for (const ifMatch of ['"1"', 'W/"2"']) {
      const refused = await call('DELETE', '', undefined, { 'if-match': ifMatch });
      expect(refused.status).toBe(412);
      expect((await refused.json()).errors).toEqual([
        { field: 'If-Match', message: expect.stringContaining('L’en-tête If-Match ne désigne pas la version actuelle de ce modèle ("2"') },
      ]);
    }
    // Unreadable, it is refused where it was said: the address or the field.
    for (const [query, body, field] of [
      ['?version=deux', undefined, '?version'],
      ['', { version: 'deux' }, 'version'],
    ] as const) {
      const unreadable = await call('DELETE', query, body);
      expect(unreadable.status).toBe(400);
      expect((await unreadable.json()).errors).toEqual([
        { field, message: 'La version du modèle est un nombre entier, celle que vous avez lue.' },
      ]);
    }
    expect(await templates()).toEqual([expect.objectContaining({ title: 'Loi AGEC : réemploi' })]);

    expect((await call('DELETE', '', undefined, { 'if-match': '"2"' })).status).toBe(204);
    expect(await templates()).toEqual([]);
    // Documented: the address's version, If-Match, and the refusals.
    const document = await (await fetch(`${t.url}/api/docs-json`)).json();
    const operation = document.paths['/api/v1/staff/answer-templates/{id}'].delete;
    expect(operation.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['If-Match', 'version']));
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['204', '400', '404', '409', '412']));
  });

  it('every creation, change and deletion is a line of the network’s journal (who, which template, when), never its text', async () => {
    const { client: claude, email } = await claudeSignedIn();
    const api = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    const fields = { networkCode: 'aura-ee', title: 'Loi AGEC', body: 'Texte confidentiel du modèle', kind: '' };
    expect((await claude.submit('/espace/modeles', '/espace/modeles', fields)).status).toBe(303);
    const [{ id }] = await templates();
    const path = `/espace/modeles/${id}`;
    expect((await claude.submit(path, path, { ...fields, title: 'Loi AGEC : réemploi', body: 'Autre texte confidentiel' })).status).toBe(
      303,
    );
    const deleted = await fetch(`${t.url}/api/v1/staff/answer-templates/${id}`, { method: 'DELETE', headers: { authorization: api } });
    expect(deleted.status).toBe(204);

    const lines = await t.dataSource.query(
      `SELECT actor_name AS "actorName", action, network_codes AS "networkCodes", summary, subject_id AS "subjectId" FROM audit_events ORDER BY id`,
    );
    expect(lines).toEqual([
      {
        actorName: `Claude Animateur (${email})`,
        action: 'template_created',
        networkCodes: ['aura-ee'],
        summary: 'Modèle de réponse créé : « Loi AGEC » (AURA-EE / RREDD)',
        subjectId: id,
      },
      {
        actorName: `Claude Animateur (${email})`,
        action: 'template_updated',
        networkCodes: ['aura-ee'],
        summary: 'Modèle de réponse modifié : « Loi AGEC : réemploi » (AURA-EE / RREDD) — titre, auparavant « Loi AGEC » ; texte',
        subjectId: id,
      },
      {
        actorName: expect.stringMatching(/^Sam Essai \(animator-[0-9a-f]{8}@example\.org\)$/),
        action: 'template_deleted',
        networkCodes: ['aura-ee'],
        summary: 'Modèle de réponse supprimé : « Loi AGEC : réemploi » (AURA-EE / RREDD)',
        subjectId: id,
      },
    ]);
    expect(JSON.stringify(lines)).not.toContain('confidentiel');

    // Read where the network's animators read its changes, and found by their kind; not by another network's.
    const journal = await (await claude.get('/espace/journal?quoi=modeles')).text();
    expect(journal).toContain('<td>Modèle de réponse supprimé : « Loi AGEC : réemploi » (AURA-EE / RREDD)</td>');
    expect(journal).toContain('<td>Modèle de réponse créé : « Loi AGEC » (AURA-EE / RREDD)</td>');
    expect(journal).toContain('Modèles de réponse (créés, modifiés, supprimés)</option>');
    expect(journal).not.toContain('confidentiel');
    const foreign = await signedIn({ role: 'animator', networks: ['reseco'] });
    expect(await (await foreign.get('/espace/journal')).text()).not.toContain('Loi AGEC');
  });
});
