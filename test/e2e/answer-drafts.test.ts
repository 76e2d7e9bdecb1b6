import { insertFacilitator } from '../support/facilitators';
import { samplePdf } from '../support/sample-files';
import { StaffAuthService } from '../../src/modules/accounts/staff-auth.service';
import { mailsTo, submittedAndTaken } from '../support/conversation';
import { bearerFor, csrfIn, insertStaff, StaffClient } from '../support/staff';
import { plansOf } from '../support/query-plans';
import { TestApp, useTestApp } from '../support/test-app';

/**
 * Answer drafts: the holder saves what they are writing (text and help items, no files), finds it on coming back,
 * discards it; sending the answer, closing the request or erasing its data deletes it; nobody else reads it.
 */
describe('answer drafts', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app));

  const page = (reference: string) => `/espace/demandes/${reference}`;
  const drafts = (requestId: string) =>
    t.dataSource.query(
      `SELECT d.body, d.items, u.facilitator_id AS "facilitatorId" FROM answer_drafts d JOIN staff_users u ON u.id = d.staff_user_id
        WHERE d.request_id = $1 ORDER BY d.saved_at`,
      [requestId],
    );
  async function signedIn(seed: Parameters<typeof insertStaff>[1], firstName?: string): Promise<{ client: StaffClient; id: string }> {
    const { id, email } = await insertStaff(t.dataSource, seed);
    if (firstName) await t.dataSource.query(`UPDATE staff_users SET first_name = $2, last_name = 'Martin' WHERE id = $1`, [id, firstName]);
    const client = new StaffClient(t.url);
    expect((await client.signIn(email)).status).toBe(303);
    return { client, id };
  }
  async function holderOf(n: number) {
    const request = await submittedAndTaken(t, n);
    const [{ network }] = await t.dataSource.query(`SELECT network_code AS network FROM requests WHERE id = $1`, [request.id]);
    const holder = await signedIn({ role: 'facilitator', facilitatorId: request.facilitatorId, networks: [network] }, 'Camille');
    return { request, network: network as string, holder: holder.client, holderId: holder.id };
  }
  /** The answer form as the page posts it (multipart), with `extra` buttons' names and a file when given. */
  async function postAnswerForm(
    client: StaffClient,
    reference: string,
    fields: Record<string, string>,
    options: { fileName?: string; json?: boolean; tokensFrom?: string } = {},
  ): Promise<Response> {
    const html = await (await client.get(options.tokensFrom ?? page(reference))).text();
    const form = new FormData();
    form.append('_csrf', csrfIn(html));
    form.append('formToken', answerToken(html) ?? '');
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    if (options.fileName) form.append('fichiers', new Blob([new Uint8Array(samplePdf())], { type: 'application/pdf' }), options.fileName);
    return fetch(`${t.url}${page(reference)}/reponse`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
      headers: { cookie: client.jar.header(), ...(options.json ? { accept: 'application/json' } : {}) },
    });
  }
  /** The answer form's one-time token (the page's other forms have theirs). */
  const answerToken = (html: string) => html.slice(html.indexOf('id="formulaire-reponse"')).match(/name="formToken" value="([^"]+)"/)?.[1];
  const LEFT = '/espace/brouillons';
  /** The e-mails telling this request's first facilitator it is taken from them, as sent. */
  async function withdrawnMailsOf(facilitatorId: string) {
    const [{ email }] = await t.dataSource.query(`SELECT email FROM facilitators WHERE id = $1`, [facilitatorId]);
    return (await mailsTo(t, 'assignment-withdrawn')).filter((mail) => mail.recipient === email);
  }
  /** Whether the workspace's navigation offers « Mes brouillons laissés » on this client's pages. */
  const offersLeftDrafts = async (client: StaffClient) => (await (await client.get('/espace')).text()).includes(`href="${LEFT}"`);
  const draftFields = {
    brouillon: '1',
    body: 'Bonjour,\nvoici un début de réponse.',
    'items[0][type]': 'guide',
    'items[0][title]': 'Guide AGEC',
    'items[1][type]': '',
  };

  it('saves the text and help items (never the files), brings them back on the page, and discards them', async () => {
    const { request, holder } = await holderOf(1);
    const saved = await postAnswerForm(holder, request.reference, draftFields, { fileName: 'CCTP.pdf' });
    // Post/redirect/get: the request's page at the draft's notice, which a reload does not send again.
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`${page(request.reference)}?fait=brouillon-sans-fichiers#brouillon`);
    const html = (await (await holder.get(`${page(request.reference)}?fait=brouillon-sans-fichiers`)).text()).replace(/\r\n/g, '\n');
    expect(html).toContain(`<title>Brouillon enregistré — Demande ${request.reference} — Guichet vert</title>`);
    expect(html.replace(/\s+/g, ' ')).toMatch(
      /role="status" tabindex="-1" id="brouillon"> <p><span id="brouillon-date">Brouillon enregistré le \d{1,2}(er)? \S+ \d{4} à \d{1,2} h \d{2}<\/span><span data-draft-state="restored"> : votre réponse ci-dessous le reprend<\/span>\. <\/p>/,
    );
    expect(html).toContain(
      '<p id="brouillon-fichiers">Les fichiers que vous aviez choisis ne sont pas dans le brouillon : joignez-les de nouveau au moment d’envoyer la réponse.</p>',
    );
    expect(html).toContain('>Bonjour,\nvoici un début de réponse.</textarea>');
    expect(html).toMatch(/id="formulaire-reponse"[^>]*data-draft-current/);
    // Without files chosen, the notice says they are never kept.
    const plain = await postAnswerForm(holder, request.reference, draftFields);
    expect(plain.headers.get('location')).toBe(`${page(request.reference)}?fait=brouillon#brouillon`);
    expect(await (await holder.get(`${page(request.reference)}?fait=brouillon`)).text()).toContain(
      'Les fichiers ne sont pas gardés dans le brouillon',
    );
    expect(await drafts(request.id)).toEqual([
      {
        body: 'Bonjour,\nvoici un début de réponse.',
        items: [{ type: 'guide', title: 'Guide AGEC' }],
        facilitatorId: request.facilitatorId,
      },
    ]);
    // Nothing sent, no file stored.
    expect(await t.dataSource.query(`SELECT 1 FROM request_messages WHERE request_id = $1`, [request.id])).toEqual([]);
    expect(await t.dataSource.query(`SELECT 1 FROM attachments WHERE request_id = $1`, [request.id])).toEqual([]);

    // Coming back the next day: the form starts from the draft, with a way to discard it.
    const later = (await (await holder.get(page(request.reference))).text()).replace(/\r\n/g, '\n');
    expect(later).toContain('>Bonjour,\nvoici un début de réponse.</textarea>');
    expect(later).toContain('value="Guide AGEC"');
    expect(later.replace(/<\/?span[^>]*>/g, '')).toMatch(
      /Brouillon enregistré le .+ à \d{1,2} h \d{2} : votre réponse ci-dessous le reprend\./,
    );
    expect(later).toContain('Supprimer le brouillon');

    // The script's autosave: same POST, JSON back, with the time as the page says it, on the request's clock (La Réunion's
    // here, not the browser's nor Paris's).
    await t.dataSource.query(`UPDATE requests SET department_code = '974' WHERE id = $1`, [request.id]);
    const auto = await postAnswerForm(holder, request.reference, { ...draftFields, body: 'Texte enregistré tout seul' }, { json: true });
    expect(auto.status).toBe(200);
    const autosaved = await auto.json();
    const savedAt = new Date(autosaved.savedAt);
    expect(savedAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
    const reunion = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Indian/Reunion', hour: 'numeric', minute: '2-digit' }).formatToParts(
      savedAt,
    );
    const part = (type: string) => reunion.find((p) => p.type === type)!.value;
    expect(autosaved.time).toBe(`${Number(part('hour'))} h ${part('minute')}`);
    expect(autosaved.day).toMatch(/^\d{1,2}(er)? \S+ \d{4}$/);
    expect((await drafts(request.id))[0].body).toBe('Texte enregistré tout seul');

    const discarded = await holder.submit(page(request.reference), `${page(request.reference)}/brouillon/suppression`, {});
    expect(discarded.status).toBe(303);
    expect(discarded.headers.get('location')).toBe(`${page(request.reference)}?fait=brouillon-supprime`);
    expect(await drafts(request.id)).toEqual([]);
    const after = await (await holder.get(`${page(request.reference)}?fait=brouillon-supprime`)).text();
    expect(after).toContain('Le brouillon de votre réponse est supprimé.');
    expect(after).not.toContain('Texte enregistré tout seul');
    expect(after).not.toContain('id="brouillon"');
  });

  it('says after a template that the form below is not the draft saved, and ties the templates’ hint to their buttons', async () => {
    const { request, network, holder } = await holderOf(8);
    const [{ id }] = await t.dataSource.query(
      `INSERT INTO answer_templates (id, network_code, title, body) VALUES (gen_random_uuid(), $1, 'Loi AGEC', 'Le réemploi est obligatoire.') RETURNING id`,
      [network],
    );
    await postAnswerForm(holder, request.reference, draftFields);
    const taken = await postAnswerForm(holder, request.reference, { modele: id, body: 'Bonjour,\nvoici un début de réponse.' });
    expect(taken.status).toBe(200);
    const html = (await taken.text()).replace(/\s+/g, ' ');
    expect(html).toMatch(
      /<span id="brouillon-date">Brouillon enregistré le [^<]+<\/span><span data-draft-state="template">, sans le modèle : votre réponse ci-dessous n’est pas encore enregistrée<\/span>\./,
    );
    expect(html).not.toContain('le reprend');
    expect(html).not.toMatch(/id="formulaire-reponse"[^>]*data-draft-current/);
    // Each template button is described by the hint saying what a press does.
    expect(html).toContain(
      '<p class="fr-hint-text fr-mt-1w" id="modeles-reponse-aide">Le texte du modèle s’ajoute à la suite de ce que vous avez écrit',
    );
    expect(html).toMatch(new RegExp(`name="modele" value="${id}"[^>]*aria-describedby="modeles-reponse-aide"`));
  });

  it('gives back what was typed, not the draft, when a sending is refused, and leaves the leave-page guard on', async () => {
    const { request, holder } = await holderOf(3);
    expect((await postAnswerForm(holder, request.reference, draftFields)).status).toBe(303);
    const long = await postAnswerForm(holder, request.reference, { body: `Une réponse bien trop longue. ${'a'.repeat(10_001)}` });
    expect(long.status).toBe(400);
    const html = await long.text();
    expect(html).toContain('Une réponse bien trop longue.');
    expect(html).not.toContain('votre réponse ci-dessous le reprend');
    expect(html).not.toMatch(/id="formulaire-reponse"[^>]*data-draft-current/);
  });

  it('refuses a draft longer than the answer may be, and keeps nothing when nothing is typed', async () => {
    const { request, holder } = await holderOf(2);
    const long = await postAnswerForm(holder, request.reference, { brouillon: '1', body: 'a'.repeat(10_001) });
    expect(long.status).toBe(400);
    expect(await long.text()).toContain('Le brouillon ne doit pas dépasser 10\u202f000 caractères, comme la réponse.');
    expect(await drafts(request.id)).toEqual([]);

    await postAnswerForm(holder, request.reference, draftFields);
    const emptied = await postAnswerForm(holder, request.reference, { brouillon: '1', body: '  ', 'items[0][type]': '' });
    expect(emptied.headers.get('location')).toBe(`${page(request.reference)}?fait=brouillon-vide#brouillon`);
    const after = await (await holder.get(`${page(request.reference)}?fait=brouillon-vide`)).text();
    expect(after).toContain(`<title>Aucun brouillon gardé — Demande ${request.reference} — Guichet vert</title>`);
    expect(after).toContain('role="status" tabindex="-1" id="brouillon"><p>Rien n’est écrit : aucun brouillon n’est gardé.</p>');
    expect(await drafts(request.id)).toEqual([]);
  });

  it('is deleted with the answer sent, and an autosave overtaken by the sending does not bring it back', async () => {
    const { request, holder } = await holderOf(3);
    await postAnswerForm(holder, request.reference, draftFields);
    expect(await drafts(request.id)).toHaveLength(1);
    const html = await (await holder.get(page(request.reference))).text();
    const formToken = answerToken(html)!;
    const send = async (extra: Record<string, string>, accept = 'application/json') => {
      const form = new FormData();
      form.append('_csrf', csrfIn(html));
      form.append('formToken', formToken);
      form.append('complement', 'false');
      form.append('buyerMessageSeen', '');
      form.append('body', 'Voici ma réponse complète.');
      for (const [name, value] of Object.entries(extra)) form.append(name, value);
      return fetch(`${t.url}${page(request.reference)}/reponse`, {
        method: 'POST',
        body: form,
        redirect: 'manual',
        headers: { cookie: holder.jar.header(), accept },
      });
    };
    expect((await send({})).status).toBe(303);
    expect(await drafts(request.id)).toEqual([]);
    // The script's save of the same form, arriving after the answer went: nothing to keep.
    const late = await send({ brouillon: '1' });
    expect(late.status).toBe(200);
    expect(await late.json()).toEqual({ savedAt: null, alreadySent: true });
    expect(await drafts(request.id)).toEqual([]);
    // The button, on the page come back to after sending: told the answer went, not that nothing was written.
    const button = await send({ brouillon: '1' }, 'text/html');
    expect(button.status).toBe(303);
    expect(button.headers.get('location')).toBe(`${page(request.reference)}?fait=reponse`);
    expect(await drafts(request.id)).toEqual([]);
  });

  it('is the writer’s alone: a colleague taking over starts blank, and staff see only who has a draft and when', async () => {
    const { request, network, holder } = await holderOf(4);
    await postAnswerForm(holder, request.reference, { ...draftFields, body: 'Texte confidentiel de Camille' });

    // The network's animator: told a draft is in progress, by whom and when, never what it says; may not save one.
    const animator = await signedIn({ role: 'animator', networks: [network] });
    const seen = await (await animator.client.get(page(request.reference))).text();
    expect(seen).toMatch(/Brouillon de réponse en cours de Camille Martin, enregistré le .+ à \d{1,2} h \d{2}/);
    expect(seen).not.toContain('Texte confidentiel de Camille');
    expect((await postAnswerForm(animator.client, request.reference, draftFields)).status).toBe(404);
    expect((await animator.client.submit(page(request.reference), `${page(request.reference)}/brouillon/suppression`, {})).status).toBe(
      404,
    );
    // Another network's facilitator: the request does not exist for them.
    const strangerFacilitator = await insertFacilitator(t.dataSource, { network: 'reseco' });
    const stranger = await signedIn({ role: 'facilitator', facilitatorId: strangerFacilitator, networks: ['reseco'] });
    // Their page of it is a 404 too: the session's token is taken from their queue.
    expect((await postAnswerForm(stranger.client, request.reference, draftFields, { tokensFrom: '/espace' })).status).toBe(404);

    // Given to a colleague: their page starts blank, says Camille had a draft, and their own draft is their own.
    const colleagueId = await insertFacilitator(t.dataSource, {});
    await t.dataSource.query(`UPDATE request_assignments SET facilitator_id = $2 WHERE request_id = $1`, [request.id, colleagueId]);
    await t.dataSource.query(`UPDATE requests SET assigned_facilitator_id = $2 WHERE id = $1`, [request.id, colleagueId]);
    const colleague = await signedIn({ role: 'facilitator', facilitatorId: colleagueId, networks: [network] }, 'Dominique');
    const theirs = (await (await colleague.client.get(page(request.reference))).text()).replace(/\r\n/g, '\n');
    expect(theirs).not.toContain('Texte confidentiel de Camille');
    expect(theirs).not.toContain('value="Guide AGEC"');
    expect(theirs).toMatch(/Brouillon de réponse laissé inachevé par Camille Martin, qui ne suit plus la demande/);
    expect(theirs).not.toContain('en cours de Camille Martin');
    expect(theirs).not.toContain('id="brouillon"');
    await postAnswerForm(colleague.client, request.reference, { brouillon: '1', body: 'Ma propre réponse' });
    expect((await drafts(request.id)).map((d: { body: string }) => d.body)).toEqual(['Texte confidentiel de Camille', 'Ma propre réponse']);
    // The former holder may no longer save onto it.
    expect((await postAnswerForm(holder, request.reference, draftFields, { tokensFrom: '/espace' })).status).toBe(404);
    expect(await drafts(request.id)).toHaveLength(2);
  });

  it('taken from its writer: they still read and copy it (never send it), and the next holder is told it was left unfinished', async () => {
    const { request, network, holder } = await holderOf(7);
    await postAnswerForm(holder, request.reference, { ...draftFields, body: 'Texte de Camille, à ne pas perdre' });
    const animator = await bearerFor(t, { role: 'animator', networks: [network] });
    const reassign = (body: Record<string, string>) =>
      fetch(`${t.url}/api/v1/staff/requests/${request.reference}/reassign`, {
        method: 'POST',
        headers: { authorization: animator, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    // Nobody else of the network can take it: put back to routing by the animator, it waits in the network's pool.
    await t.dataSource.query(`UPDATE facilitators SET active = false WHERE network_code = $1 AND id <> $2`, [
      network,
      request.facilitatorId,
    ]);
    const pooled = await reassign({ reason: 'Camille est absente' });
    expect(pooled.status).toBe(200);
    expect((await pooled.json()).status).toBe('unassigned');

    // Camille sees her network's pool, so this request: her draft is there to read and copy, not an answer form to send it.
    const hers = (await (await holder.get(page(request.reference))).text()).replace(/\r\n/g, '\n');
    expect(hers).toContain('Votre brouillon de réponse, enregistré le ');
    expect(hers).toContain('Cette demande ne vous est plus confiée : ce brouillon ne peut plus être envoyé.');
    expect(hers).toContain(
      '<textarea class="fr-input" id="mon-brouillon-texte" rows="8" readonly>Texte de Camille, à ne pas perdre</textarea>',
    );
    expect(hers).toContain('<li>Guide ou document : Guide AGEC</li>');
    expect(hers).not.toContain('id="formulaire-reponse"');
    // Listed among her left drafts too, with its page a link away while she still sees it; and the e-mail said so.
    expect((await (await holder.get(LEFT)).text()).replace(/\s+/g, ' ')).toContain(
      `Cette demande vous est encore visible : <a href="/espace/demandes/${request.reference}">sa page</a> montre aussi ce brouillon.`,
    );
    const [told] = await withdrawnMailsOf(request.facilitatorId);
    expect(told.text_body).toContain(`reste lisible, pour en copier le texte, dans « Mes brouillons laissés » : ${t.url}${LEFT}`);
    expect(told.html_body).toContain(`<a href="${t.url}${LEFT}">${t.url}${LEFT}</a>`);
    const sent = await postAnswerForm(holder, request.reference, { body: 'Texte de Camille, à ne pas perdre' });
    expect(sent.status).toBe(409);
    expect(await t.dataSource.query(`SELECT 1 FROM request_messages WHERE request_id = $1 AND kind = 'answer'`, [request.id])).toEqual([]);

    // Given by the animator to a colleague: they and the network read that Camille left it unfinished, never what it says.
    const colleagueId = await insertFacilitator(t.dataSource, { network });
    expect((await reassign({ facilitatorId: colleagueId, reason: 'Reprise' })).status).toBe(200);
    const colleague = await signedIn({ role: 'facilitator', facilitatorId: colleagueId, networks: [network] }, 'Dominique');
    const watcher = await signedIn({ role: 'animator', networks: [network] });
    for (const client of [colleague.client, watcher.client]) {
      const seen = await (await client.get(page(request.reference))).text();
      expect(seen).toMatch(
        /Brouillon de réponse laissé inachevé par Camille Martin, qui ne suit plus la demande, enregistré le .+ à \d{1,2} h \d{2} : personne ne l’écrit plus/,
      );
      expect(seen).not.toContain('Brouillon de réponse en cours');
      expect(seen).not.toContain('Texte de Camille');
      expect(seen).not.toContain('id="mon-brouillon-laisse"');
    }
    expect(await drafts(request.id)).toEqual([expect.objectContaining({ body: 'Texte de Camille, à ne pas perdre' })]);
  });

  it('taken to a colleague: its writer, who no longer sees the request, reads and copies their draft in « Mes brouillons laissés », and nothing else', async () => {
    const { request, network, holder, holderId } = await holderOf(9);
    // A buyer named apart from the staff (the page names its signed-in reader): their name must not show.
    await t.dataSource.query(`UPDATE requests SET buyer_first_name = 'Apolline', buyer_last_name = 'Vasseur' WHERE id = $1`, [request.id]);
    await postAnswerForm(holder, request.reference, { ...draftFields, body: 'Texte de Camille, parti ailleurs' });
    // Still hers: on the request's page, not among the left ones, and no link in the navigation.
    expect(await offersLeftDrafts(holder)).toBe(false);
    expect(await (await holder.get(LEFT)).text()).toContain('Aucun brouillon laissé');

    const animator = await bearerFor(t, { role: 'animator', networks: [network] });
    const colleagueId = await insertFacilitator(t.dataSource, { network });
    const reassigned = await fetch(`${t.url}/api/v1/staff/requests/${request.reference}/reassign`, {
      method: 'POST',
      headers: { authorization: animator, 'content-type': 'application/json' },
      body: JSON.stringify({ facilitatorId: colleagueId, reason: 'Motif connu du seul réseau' }),
    });
    expect(reassigned.status).toBe(200);
    const colleague = await signedIn({ role: 'facilitator', facilitatorId: colleagueId, networks: [network] }, 'Dominique');
    await colleague.client.submit(page(request.reference), `${page(request.reference)}/notes`, { body: 'Note écrite après son départ' });
    expect((await holder.get(page(request.reference))).status).toBe(404);

    // The e-mail telling her it is taken says where her draft stays.
    const [told] = await withdrawnMailsOf(request.facilitatorId);
    expect(told.text_body).toContain(
      `Votre brouillon de réponse à cette demande reste lisible, pour en copier le texte, dans « Mes brouillons laissés » : ${t.url}${LEFT}`,
    );

    expect(await offersLeftDrafts(holder)).toBe(true);
    const listed = (await (await holder.get(LEFT)).text()).replace(/\r\n/g, '\n');
    const [{ subject, buyerName, organisation, buyerEmail }] = await t.dataSource.query(
      `SELECT subject, buyer_first_name || ' ' || buyer_last_name AS "buyerName", organisation_name AS organisation, buyer_email AS "buyerEmail" FROM requests WHERE id = $1`,
      [request.id],
    );
    expect(listed).toContain('<h1>Mes brouillons laissés</h1>');
    expect(listed).toContain('<a class="fr-nav__link" aria-current="page" href="/espace/brouillons">Mes brouillons laissés</a>');
    // Its subject as the request's now (a split since may have rewritten it): said so.
    expect(listed).toContain(`>Demande ${request.reference}</h2>\n  <p>Objet actuel de la demande : « ${subject} »</p>`);
    expect(listed).toMatch(/Enregistré le \d{1,2}(er)? \S+ \d{4} à \d{1,2} h \d{2}\./);
    expect(listed).toContain('<label class="fr-label" for="brouillon-1-texte">Texte du brouillon<span class="fr-sr-only"> de la demande');
    expect(listed).toContain(
      '<textarea class="fr-input" id="brouillon-1-texte" rows="8" readonly>Texte de Camille, parti ailleurs</textarea>',
    );
    expect(listed).toContain('<li>Guide ou document : Guide AGEC</li>');
    expect(listed).toContain('Supprimer ce brouillon');
    // Nothing of the request's life she did not see, nor of its buyer beyond the subject she had read.
    for (const unseen of [buyerName, organisation, buyerEmail, 'Note écrite après son départ', 'Motif connu du seul réseau', 'Dominique'])
      expect(listed).not.toContain(unseen);
    expect(listed).not.toContain(`href="/espace/demandes/${request.reference}"`);

    // The same for her scripts; nobody else's draft is theirs to list or delete.
    const hersByApi = `Bearer ${await t.app.get(StaffAuthService).createApiToken(holderId, 'tests')}`;
    const api = (authorization: string, method = 'GET', reference = '') =>
      fetch(`${t.url}/api/v1/staff/left-answer-drafts${reference && `/${reference}`}`, { method, headers: { authorization } });
    expect(await (await api(hersByApi)).json()).toEqual([
      {
        reference: request.reference,
        subject,
        body: 'Texte de Camille, parti ailleurs',
        items: [{ type: 'guide', title: 'Guide AGEC' }],
        savedAt: expect.any(String),
        stillSeen: false,
      },
    ]);
    const colleagueByApi = `Bearer ${await t.app.get(StaffAuthService).createApiToken(colleague.id, 'tests')}`;
    expect(await (await api(colleagueByApi)).json()).toEqual([]);
    expect((await api(colleagueByApi, 'DELETE', request.reference)).status).toBe(404);
    expect(await (await colleague.client.get(LEFT)).text()).not.toContain('Texte de Camille');
    expect((await colleague.client.submit(LEFT, `${LEFT}/${request.reference}/suppression`, {})).status).toBe(404);
    expect(await drafts(request.id)).toHaveLength(1);

    // Deleted by her: told so, and the navigation no longer names an empty page.
    const deleted = await holder.submit(LEFT, `${LEFT}/${request.reference}/suppression`, {});
    expect(deleted.status).toBe(303);
    expect(deleted.headers.get('location')).toBe(`${LEFT}?fait=suppression`);
    const after = await (await holder.get(`${LEFT}?fait=suppression`)).text();
    expect(after).toContain('role="status"><p>Le brouillon est supprimé.</p>');
    expect(after).toContain('Aucun brouillon laissé');
    expect(await drafts(request.id)).toEqual([]);
    expect(await offersLeftDrafts(holder)).toBe(false);
    expect((await api(hersByApi, 'DELETE', request.reference)).status).toBe(404);
    const document = await (await fetch(`${t.url}/api/docs-json`)).json();
    expect(Object.keys(document.paths['/api/v1/staff/left-answer-drafts'])).toEqual(['get']);
    expect(Object.keys(document.paths['/api/v1/staff/left-answer-drafts/{reference}'])).toEqual(['delete']);
  });

  it('keeps a left draft on a request whose data were erased out of « Mes brouillons laissés », and says nothing of a draft to the one who had none', async () => {
    const { request, network, holder, holderId } = await holderOf(10);
    // One that outlived the erasure, whatever the path (the erasure deletes them with the rest).
    const colleagueId = await insertFacilitator(t.dataSource, { network });
    await t.dataSource.query(`UPDATE requests SET assigned_facilitator_id = $2, anonymised_at = now() WHERE id = $1`, [
      request.id,
      colleagueId,
    ]);
    await t.dataSource.query(
      `INSERT INTO answer_drafts (request_id, staff_user_id, body, items, saved_at) VALUES ($1, $2, 'Sur une demande effacée', '[]', now())`,
      [request.id, holderId],
    );
    expect(await offersLeftDrafts(holder)).toBe(false);
    expect(await (await holder.get(LEFT)).text()).not.toContain('Sur une demande effacée');
    expect((await holder.submit(LEFT, `${LEFT}/${request.reference}/suppression`, {})).status).toBe(404);

    // Reassigned without a draft: the e-mail says nothing of one.
    const other = await holderOf(11);
    const animator = await bearerFor(t, { role: 'animator', networks: [other.network] });
    const otherColleague = await insertFacilitator(t.dataSource, { network: other.network });
    await fetch(`${t.url}/api/v1/staff/requests/${other.request.reference}/reassign`, {
      method: 'POST',
      headers: { authorization: animator, 'content-type': 'application/json' },
      body: JSON.stringify({ facilitatorId: otherColleague, reason: 'Reprise' }),
    });
    const [told] = await withdrawnMailsOf(other.request.facilitatorId);
    expect(told.text_body).not.toContain('brouillon');
  });

  it('goes with the request’s closure, and with the erasure of its personal data', async () => {
    const { request, network, holder } = await holderOf(5);
    await postAnswerForm(holder, request.reference, draftFields);
    const closed = await holder.submit(page(request.reference), `${page(request.reference)}/cloture`, {
      reason: 'redirected',
      message: 'Voyez la CCI.',
    });
    expect(closed.status).toBe(303);
    expect(await drafts(request.id)).toEqual([]);

    // One left behind by any path: the erasure takes it with the rest.
    const [{ id: staffId }] = await t.dataSource.query(`SELECT id FROM staff_users WHERE facilitator_id = $1`, [request.facilitatorId]);
    await t.dataSource.query(
      `INSERT INTO answer_drafts (request_id, staff_user_id, body, items, saved_at) VALUES ($1, $2, 'Oublié', '[]', now())`,
      [request.id, staffId],
    );
    const animator = await signedIn({ role: 'animator', networks: [network] });
    const erased = await animator.client.submit(page(request.reference), `${page(request.reference)}/effacement`, { confirm: '1' });
    expect(erased.status).toBe(303);
    expect(await drafts(request.id)).toEqual([]);
  });

  it('is read, saved and discarded by the API, for the holder alone', async () => {
    const request = await submittedAndTaken(t, 6);
    const [{ network }] = await t.dataSource.query(`SELECT network_code AS network FROM requests WHERE id = $1`, [request.id]);
    const holder = await bearerFor(t, { role: 'facilitator', facilitatorId: request.facilitatorId, networks: [network] });
    const animator = await bearerFor(t, { role: 'animator', networks: [network] });
    const url = `${t.url}/api/v1/staff/requests/${request.reference}/answer-draft`;
    const call = (authorization: string, method = 'GET', body?: unknown) =>
      fetch(url, {
        method,
        headers: { authorization, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });

    expect(await (await call(holder)).json()).toEqual({ body: '', items: [], savedAt: null });
    const put = await call(holder, 'PUT', { body: 'Début de réponse', items: [{ type: 'referral', referralTarget: 'other' }] });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ body: 'Début de réponse', items: [{ type: 'referral', referralTarget: 'other' }] });
    expect((await (await call(holder)).json()).body).toBe('Début de réponse');
    expect((await call(animator)).status).toBe(404);
    expect((await call(animator, 'PUT', { body: 'Pris' })).status).toBe(404);
    expect((await call(animator, 'DELETE')).status).toBe(404);
    expect(await drafts(request.id)).toHaveLength(1);
    expect((await call(holder, 'DELETE')).status).toBe(204);
    expect(await drafts(request.id)).toEqual([]);

    const document = await (await fetch(`${t.url}/api/docs-json`)).json();
    expect(Object.keys(document.paths['/api/v1/staff/requests/{reference}/answer-draft']).sort()).toEqual(['delete', 'get', 'put']);
  });
  it('deletes a draft, kept or left, only with no body: a field sent is 400, a body of another format 415, nothing deleted', async () => {
    const { request, network, holderId } = await holderOf(12);
    const other = await holderOf(13);
    const insertDraft = (requestId: string) =>
      t.dataSource.query(
        `INSERT INTO answer_drafts (request_id, staff_user_id, body, items, saved_at) VALUES ($1, $2, 'Gardé', '[]', now())`,
        [requestId, holderId],
      );
    await insertDraft(request.id);
    // Left on a request given to a colleague: hers in « Mes brouillons laissés ».
    const colleagueId = await insertFacilitator(t.dataSource, { network });
    await t.dataSource.query(`UPDATE requests SET assigned_facilitator_id = $2 WHERE id = $1`, [other.request.id, colleagueId]);
    await insertDraft(other.request.id);
    const hers = `Bearer ${await t.app.get(StaffAuthService).createApiToken(holderId, 'tests')}`;
    const urls = [
      `${t.url}/api/v1/staff/requests/${request.reference}/answer-draft`,
      `${t.url}/api/v1/staff/left-answer-drafts/${other.request.reference}`,
    ];
    for (const url of urls) {
      const withField = await fetch(url, {
        method: 'DELETE',
        headers: { authorization: hers, 'content-type': 'application/json' },
        body: JSON.stringify({ reason: 'en trop' }),
      });
      expect(withField.status).toBe(400);
      expect((await withField.json()).errors).toEqual([expect.objectContaining({ field: 'reason' })]);
      const asText = await fetch(url, { method: 'DELETE', headers: { authorization: hers, 'content-type': 'text/plain' }, body: 'tout' });
      expect(asText.status).toBe(415);
    }
    expect(await drafts(request.id)).toHaveLength(1);
    expect(await drafts(other.request.id)).toHaveLength(1);
    // An empty JSON object, or no body at all: deleted.
    const emptied = await fetch(urls[0], {
      method: 'DELETE',
      headers: { authorization: hers, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(emptied.status).toBe(204);
    expect((await fetch(urls[1], { method: 'DELETE', headers: { authorization: hers } })).status).toBe(204);
    expect(await drafts(request.id)).toEqual([]);
    expect(await drafts(other.request.id)).toEqual([]);
  });

  it('deletes a left draft sent twice (a double click, a resend) once: each sending is told it is deleted, not « introuvable »', async () => {
    const { request, network, holder, holderId } = await holderOf(15);
    await t.dataSource.query(
      `INSERT INTO answer_drafts (request_id, staff_user_id, body, items, saved_at) VALUES ($1, $2, 'Laissé', '[]', now())`,
      [request.id, holderId],
    );
    const colleagueId = await insertFacilitator(t.dataSource, { network });
    await t.dataSource.query(`UPDATE requests SET assigned_facilitator_id = $2 WHERE id = $1`, [request.id, colleagueId]);
    const html = await (await holder.get(LEFT)).text();
    const form = html.slice(html.indexOf(`id="brouillon-${request.reference}"`));
    const fields = { _csrf: csrfIn(html), formToken: form.match(/name="formToken" value="([^"]+)"/)?.[1] ?? '' };
    const action = `${LEFT}/${request.reference}/suppression`;
    for (const sent of [await holder.post(action, fields), await holder.post(action, fields)]) {
      expect(sent.status).toBe(303);
      expect(sent.headers.get('location')).toBe(`${LEFT}?fait=suppression`);
    }
    expect(await drafts(request.id)).toEqual([]);
  });

  it('asks whether one left drafts only on a facilitator’s pages, by an index: never on an animator’s page nor a script’s call', async () => {
    const { request, network, holder, holderId } = await holderOf(14);
    await postAnswerForm(holder, request.reference, draftFields);
    const hers = `Bearer ${await t.app.get(StaffAuthService).createApiToken(holderId, 'tests')}`;
    const animator = await signedIn({ role: 'animator', networks: [network] });
    /** The reads of answer_drafts that `work` makes PostgreSQL do, each by the index it takes (or the scan). */
    const draftReads = async (work: () => Promise<Response>) => {
      let response!: Response;
      const plans = await plansOf(t.dataSource, async () => (response = await work()));
      expect(response.status).toBe(200);
      return plans.flatMap((plan) =>
        plan.filter((node) => node['Relation Name'] === 'answer_drafts').map((node) => node['Index Name'] ?? node['Node Type']),
      );
    };
    expect(await draftReads(() => holder.get('/espace'))).toEqual(['answer_drafts_staff_user_idx']);
    expect(await draftReads(() => animator.client.get('/espace'))).toEqual([]);
    expect(await draftReads(() => fetch(`${t.url}/api/v1/staff/requests`, { headers: { authorization: hers } }))).toEqual([]);
  });
});
