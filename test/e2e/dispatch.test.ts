import { LinkedRequest, trackingLinkOf } from '../../src/modules/requests/tracking-url';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { StaffAuthService } from '../../src/modules/accounts/staff-auth.service';
import { RoutingService } from '../../src/modules/routing/routing.service';
import { sentMailFile } from '../support/conversation';
import { insertFacilitator } from '../support/facilitators';
import { bearerFor, csrfIn, hiddenField, insertStaff, pageFormOf, StaffClient } from '../support/staff';
import { BuyerNotificationsService } from '../../src/modules/buyer-notifications/buyer-notifications.service';
import { bodyOf, submitRequest, TestApp, useTestApp, validRequestBody, waitFor } from '../support/test-app';

const QUESTION =
  'Nous voulons aussi intégrer une clause d’insertion dans le marché de nettoyage des locaux : comment fixer le nombre d’heures réservées ?';

describe('dispatch: transfer, split, reassign, pool, load (worker running)', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app), {}, { api: true, worker: true });

  const row = async (sql: string, params: unknown[] = []) => (await t.dataSource.query(sql, params))[0];
  const requestRow = (reference: string) =>
    row(`SELECT id, status, kind, assigned_facilitator_id AS "holder" FROM requests WHERE reference = $1`, [reference]);
  const openCount = async (id: string) => (await row(`SELECT open_count AS n FROM facilitators WHERE id = $1`, [id])).n as number;

  const submit = (n: number, overrides: Record<string, unknown> = {}): Promise<string> => submitRequest(t, n, overrides);

  async function routedTo(reference: string, facilitatorId: string | null): Promise<void> {
    await waitFor(
      async () => {
        const r = await requestRow(reference);
        return r.holder === facilitatorId && (facilitatorId ? r.status === 'assigned' : r.status === 'unassigned');
      },
      10_000,
      `${reference} routée`,
    );
  }

  const tokenOf = async (staffId: string) => `Bearer ${await t.app.get(StaffAuthService).createApiToken(staffId, 'tests')}`;

  async function signedIn(seed: Parameters<typeof insertStaff>[1]): Promise<StaffClient & { staffId: string }> {
    const { id, email } = await insertStaff(t.dataSource, seed);
    const client = new StaffClient(t.url);
    expect((await client.signIn(email)).status).toBe(303);
    return Object.assign(client, { staffId: id });
  }

  /**
   * « Oui, la lui confier quand même » on the page that asked it: the form as sent back, confirmed for whom it names
   * (or as a `button` of an older page did).
   */
  const confirmedBeyondCapacity = (
    staff: StaffClient,
    path: string,
    askedHtml: string,
    facilitatorId: string,
    reason: string,
    button = hiddenField(askedHtml, 'beyondCapacity'),
  ) =>
    staff.post(path, {
      _csrf: csrfIn(askedHtml),
      formToken: hiddenField(askedHtml, 'formToken'),
      seenState: hiddenField(askedHtml, 'seenState'),
      facilitatorId,
      reason,
      beyondCapacity: button,
    });

  /** A confirmation that no longer holds: asked again with `question` and a button confirming `button`, nothing written. */
  async function askedAgain(confirmation: Promise<Response>, reference: string, question: string, button: string): Promise<string> {
    const again = await confirmation;
    expect(again.status).toBe(409);
    const html = await again.text();
    expect(html).toContain(question);
    expect(hiddenField(html, 'beyondCapacity')).toBe(button);
    expect(await requestRow(reference)).toMatchObject({ status: 'unassigned', holder: null });
    return html;
  }

  /** The reassign body's `name` property, as the API's document describes it. */
  const reassignProperty = async (name: string) =>
    (await bodyOf(fetch(`${t.url}/api/docs-json`))).paths['/api/v1/staff/requests/{ref}/reassign'].post.requestBody.content[
      'application/json'
    ].schema.properties[name];

  const api = (path: string, authorization: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${t.url}/api/v1/staff${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('transfers to the other kind: the holder lets go, the worker routes it to a social-clause facilitator, and back by the API', async () => {
    const green = await insertFacilitator(t.dataSource, { network: 'aura-ee', email: 'vert@example.org' });
    const social = await insertFacilitator(t.dataSource, { kind: 'social_clause', network: 'aura-ee', departments: ['38'] });
    const reference = await submit(1);
    await routedTo(reference, green);
    const holder = await signedIn({ role: 'facilitator', facilitatorId: green });

    const page = await holder.get(`/espace/demandes/${reference}/transfert`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Transférer vers « Clauses sociales »');
    // The network's animator is offered both moves too; a colleague of the holder, neither.
    const animatorPage = await (
      await (await signedIn({ role: 'animator', networks: ['aura-ee'] })).get(`/espace/demandes/${reference}`)
    ).text();
    expect(animatorPage).toContain(`href="/espace/demandes/${reference}/transfert">Transférer</a>`);
    expect(animatorPage).toContain(`href="/espace/demandes/${reference}/scission">Scinder</a>`);
    const colleague = await insertFacilitator(t.dataSource, { network: 'aura-ee', email: 'collegue@example.org', active: false });
    const colleaguePage = await (
      await (await signedIn({ role: 'facilitator', facilitatorId: colleague })).get(`/espace/demandes/${reference}`)
    ).text();
    expect(colleaguePage).not.toContain('/transfert"');
    const missing = await holder.submit(`/espace/demandes/${reference}/transfert`, `/espace/demandes/${reference}/transfert`, {
      reason: ' ',
    });
    expect(missing.status).toBe(400);
    const missingHtml = await missing.text();
    expect(missingHtml).toContain('Indiquez le motif');
    expect(missingHtml).toContain('1 erreur empêche l’envoi du transfert');

    const done = await holder.submit(`/espace/demandes/${reference}/transfert`, `/espace/demandes/${reference}/transfert`, {
      reason: 'Question de clause d’insertion',
    });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/espace?fait=transfert');
    await routedTo(reference, social);
    const { id } = await requestRow(reference);
    expect((await requestRow(reference)).kind).toBe('social_clause');
    expect(await openCount(green)).toBe(0);
    expect(await openCount(social)).toBe(1);
    const ended = await row(`SELECT end_reason FROM request_assignments WHERE request_id = $1 AND facilitator_id = $2`, [id, green]);
    expect(ended.end_reason).toBe('transferred');
    const history = await row(`SELECT reason, from_status, to_status FROM request_events WHERE request_id = $1 AND type = 'transferred'`, [
      id,
    ]);
    expect(history).toMatchObject({ from_status: 'assigned', to_status: 'submitted' });
    expect(history.reason).toContain('Question de clause d’insertion');
    // The receiver's e-mail says where the request comes from, and why.
    expect(await sentMailFile(t, 'facilitator-assignment', `facilitateur-${social}@example.org`)).toContain(
      'Elle vient de l’autre domaine du guichet. Transférée de « Considérations environnementales » vers « Clauses sociales » par',
    );
    // The former holder no longer sees it.
    expect((await holder.get(`/espace/demandes/${reference}/transfert`)).status).toBe(404);

    const animator = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    expect((await api(`/requests/${reference}/transfer`, animator, {})).status).toBe(400);
    const back = await api(`/requests/${reference}/transfer`, animator, { reason: 'Finalement environnemental' });
    expect(back.status).toBe(200);
    expect(await back.json()).toEqual({ reference, kind: 'environmental', status: 'submitted' });
    await routedTo(reference, green);
    expect(await openCount(social)).toBe(0);
  });

  it('back from the other kind, a request goes to another facilitator than the one it was transferred away from, when there is one', async () => {
    const green = await insertFacilitator(t.dataSource, { network: 'aura-ee', email: 'vert@example.org', segments: ['office_supplies'] });
    const other = await insertFacilitator(t.dataSource, { network: 'aura-ee', email: 'autre@example.org' });
    const social = await insertFacilitator(t.dataSource, { kind: 'social_clause', network: 'aura-ee', departments: ['38'] });
    const reference = await submit(2);
    await routedTo(reference, green);
    const holder = await bearerFor(t, { role: 'facilitator', facilitatorId: green });
    expect((await api(`/requests/${reference}/transfer`, holder, { reason: 'Clause d’insertion' })).status).toBe(200);
    await routedTo(reference, social);
    const animator = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    expect((await api(`/requests/${reference}/transfer`, animator, { reason: 'Finalement environnemental' })).status).toBe(200);
    // Green's expertise would have won: they let it go to the other kind, it goes to their colleague.
    await routedTo(reference, other);
  });

  it('never gives a private company’s question to the environmental desk: no transfer there, no split topic of that kind', async () => {
    const social = await insertFacilitator(t.dataSource, { kind: 'social_clause', network: 'aura-ee', departments: ['38'] });
    await insertFacilitator(t.dataSource, { network: 'aura-ee' });
    const company = {
      ...(validRequestBody(8).buyer as object),
      organisationName: 'Nettoyage Dauphiné SARL',
      organisationType: 'private_not_subject',
    };
    delete (company as { siret?: string }).siret;
    const reference = await submit(8, { kind: 'social_clause', segment: 'cleaning', buyer: company });
    await routedTo(reference, social);
    const holder = await signedIn({ role: 'facilitator', facilitatorId: social });

    const page = await (await holder.get(`/espace/demandes/${reference}`)).text();
    expect(page).not.toContain('/transfert"');
    expect(page).toContain(`href="/espace/demandes/${reference}/scission">Scinder</a>`);
    // Its transfer page says so at once, with no form; a form posted anyway is refused with the reason shown.
    const transferPage = await (await holder.get(`/espace/demandes/${reference}/transfert`)).text();
    expect(transferPage).toContain('<h2 class="fr-alert__title">Transfert impossible</h2>');
    expect(transferPage).not.toContain('name="reason"');
    const posted = await holder.post(`/espace/demandes/${reference}/transfert`, { _csrf: csrfIn(transferPage), reason: 'Réemploi' });
    expect(posted.status).toBe(409);
    expect(await posted.text()).toContain('le guichet environnemental ne peut pas traiter sa question');
    const animator = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    const transfer = await api(`/requests/${reference}/transfer`, animator, { reason: 'Question de réemploi' });
    expect(transfer.status).toBe(409);
    expect((await transfer.json()).errors).toEqual([
      { field: 'reason', message: expect.stringContaining('le guichet environnemental ne peut pas traiter sa question') },
    ]);

    const topic = (kind: string) => ({
      subject: 'Produits de nettoyage écolabellisés',
      question:
        'Pour le même marché de nettoyage, comment exiger des produits écolabellisés et vérifier les fiches techniques des candidats sans écarter les petites entreprises locales ?',
      kind,
      segment: 'cleaning',
    });
    const split = await api(`/requests/${reference}/split`, animator, { topics: [topic('environmental')] });
    expect(split.status).toBe(400);
    expect((await split.json()).errors).toEqual([
      {
        field: 'topics.0.kind',
        message: expect.stringMatching(/^Nouvelle demande 1 : L’acheteur est une entreprise privée non soumise .* ce sujet\. Indiquez-lui/),
      },
    ]);
    expect(await requestRow(reference)).toMatchObject({ kind: 'social_clause', status: 'assigned' });
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM requests`);
    expect(n).toBe(1);
    expect((await api(`/requests/${reference}/split`, animator, { topics: [topic('social_clause')] })).status).toBe(200);
  });

  it('a split may refocus the original’s subject on its first topic; each new topic starts as the request’s kind and segment', async () => {
    const green = await insertFacilitator(t.dataSource, { network: 'aura-ee' });
    const reference = await submit(12);
    await routedTo(reference, green);
    const holder = await signedIn({ role: 'facilitator', facilitatorId: green });
    const path = `/espace/demandes/${reference}/scission`;
    const form = await (await holder.get(path)).text();
    expect(form).toContain('value="Fournitures de bureau et loi AGEC 12"');
    expect(form).toMatch(/<option value="environmental" selected>/);
    expect(form).toMatch(/<option value="office_supplies" selected>/);
    // The question it divides is on the page, open.
    const [{ question }] = await t.dataSource.query(`SELECT question FROM requests WHERE reference = $1`, [reference]);
    expect(form).toContain('<details class="fr-mt-2w" open>');
    expect(form).toContain(`id="question-acheteur">${question.replace(/'/g, '&#39;')}</p>`);

    const short = await holder.submit(path, path, { subject: 'AGEC', 'topics.0.subject': 'Papier recyclé', 'topics.0.question': QUESTION });
    expect(short.status).toBe(400);
    expect(await short.text()).toContain('Objet de cette demande : donnez un objet d’une ligne, de 5 à 150 caractères.');
    const done = await holder.submit(path, path, {
      subject: 'Fournitures de bureau : réemploi (loi AGEC)',
      'topics.0.subject': 'Papier recyclé pour les imprimantes',
      'topics.0.question': QUESTION,
      'topics.0.kind': 'environmental',
      'topics.0.segment': 'office_supplies',
      // Prefilled slots left without subject nor question create nothing.
      'topics.1.kind': 'environmental',
      'topics.1.segment': 'office_supplies',
    });
    expect(done.status).toBe(303);
    const original = await row(`SELECT id, subject FROM requests WHERE reference = $1`, [reference]);
    expect(original.subject).toBe('Fournitures de bureau : réemploi (loi AGEC)');
    const event = await row(`SELECT reason FROM request_events WHERE request_id = $1 AND type = 'split'`, [original.id]);
    expect(event.reason).toMatch(
      /^Scindée en GV-\d{4}-\d{6} ; objet recentré : « Fournitures de bureau : réemploi \(loi AGEC\) » \(était « Fournitures de bureau et loi AGEC 12 »\)$/,
    );
  });

  it('splits: new requests routed on their own, one buyer e-mail whose links open each request', async () => {
    const green = await insertFacilitator(t.dataSource, { network: 'aura-ee' });
    const social = await insertFacilitator(t.dataSource, { kind: 'social_clause', network: 'aura-ee', departments: ['38'] });
    const reference = await submit(2);
    await routedTo(reference, green);
    const holder = await signedIn({ role: 'facilitator', facilitatorId: green });
    const path = `/espace/demandes/${reference}/scission`;

    const page = await holder.get(path);
    expect(page.status).toBe(200);
    const invalid = await holder.submit(path, path, {
      'topics.0.subject': 'Nettoyage',
      'topics.0.question': 'Trop court',
      'topics.0.kind': 'x',
    });
    expect(invalid.status).toBe(400);
    const html = await invalid.text();
    expect(html).toContain('Nouvelle demande 1 : choisissez le type de question.');
    expect(html).toContain('empêchent l’envoi de la scission');
    expect(html).toContain('value="Nettoyage"');

    // Sent twice (a double click, a resend after Back): the form's one-time token makes it one split.
    const form = await (await holder.get(path)).text();
    const formToken = /name="formToken" value="([^"]+)"/.exec(form)![1];
    for (let i = 0; i < 2; i++) {
      const done = await holder.post(path, {
        _csrf: csrfIn(form),
        formToken,
        'topics.0.subject': 'Clause d’insertion pour le nettoyage',
        'topics.0.question': QUESTION,
        'topics.0.kind': 'social_clause',
        'topics.0.segment': 'office_supplies',
        'topics.2.subject': 'Papier recyclé pour les imprimantes',
        'topics.2.question': QUESTION.replace('clause d’insertion', 'exigence de papier recyclé'),
        'topics.2.kind': 'environmental',
        'topics.2.segment': 'office_supplies',
      });
      expect(done.status).toBe(303);
    }
    const original = await requestRow(reference);
    expect(original).toMatchObject({ status: 'assigned', holder: green });
    const created: Array<LinkedRequest & { kind: string }> = await t.dataSource.query(
      `SELECT r.id, r.reference, r.kind, r.tracking_token_sealed AS "trackingTokenSealed"
         FROM requests r JOIN request_events e ON e.request_id = r.id AND e.type = 'split_from' ORDER BY r.reference`,
    );
    expect(created.map((c) => c.kind).sort()).toEqual(['environmental', 'social_clause']);
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM request_events WHERE type = 'split'`)).toEqual([{ n: 1 }]);
    for (const c of created) await routedTo(c.reference, c.kind === 'social_clause' ? social : green);
    const splitEvent = await row(`SELECT reason FROM request_events WHERE request_id = $1 AND type = 'split'`, [original.id]);
    expect(splitEvent.reason).toBe(`Scindée en ${created.map((c) => c.reference).join(', ')}`);
    // The history on the original's page links to each new request.
    const originalPage = await (await holder.get(`/espace/demandes/${reference}`)).text();
    for (const c of created) expect(originalPage).toContain(`<a href="/espace/demandes/${c.reference}">${c.reference}</a>`);

    const mails = await waitFor(async () => {
      const rows = await t.dataSource.query(`SELECT id, recipient, status FROM mail_messages WHERE template = 'buyer-split'`);
      return rows.length === 1 && rows[0].status === 'sent' && rows;
    });
    expect(mails[0].recipient).toBe('camille.martin+2@example.fr');
    // That e-mail is the buyer's only news of the split: no « du nouveau » for the original, no « transmise » for the new ones.
    const notifications = t.app.get(BuyerNotificationsService);
    for (const request of [original, ...created]) await notifications.notify(request.id);
    const news = await t.dataSource.query(`SELECT subject FROM mail_messages WHERE recipient = $1 AND template = 'buyer-update'`, [
      'camille.martin+2@example.fr',
    ]);
    expect(news).toEqual([]);
    const eml = (await readFile(resolve(t.config.MAIL_DIR, `${mails[0].id}.eml`), 'utf8')).replace(/=\r?\n/g, '').replace(/=3D/g, '=');
    for (const c of created) {
      const link = new RegExp(`(http://[^\\s"<]+/suivi/${c.reference}\\?t=[^\\s"<]+)`).exec(eml)![1];
      const tracking = await fetch(link);
      expect(tracking.status).toBe(200);
      const page = await tracking.text();
      expect(page).toContain(c.reference);
      // The buyer reads where it comes from, and that the facilitator wrote its question.
      expect(page).toContain('Votre question, telle que le facilitateur l’a reprise');
      expect(page).toContain(`Elle faisait partie de votre demande ${reference} : le guichet traite une question par demande`);
      expect(page).toContain(`Demande créée à partir de votre demande ${reference}, pour traiter cette question à part`);
      // The token kept for later e-mails (news, reminders, « Retrouver mes demandes ») opens to the same link.
      expect(trackingLinkOf(t.config, c)).toBe(link);
    }

    const admin = await bearerFor(t, { role: 'admin' });
    const splitByApi = () =>
      api(
        `/requests/${reference}/split`,
        admin,
        { topics: [{ subject: 'Restauration et EGAlim', question: QUESTION, kind: 'environmental', segment: 'office_supplies' }] },
        { 'idempotency-key': 'split-egalim-0001' },
      );
    const byApi = await splitByApi();
    expect(byApi.status).toBe(200);
    const result = await byApi.json();
    expect(result.created).toHaveLength(1);
    // The same key again: the request it made, no other.
    expect(await (await splitByApi()).json()).toEqual(result);
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM request_events WHERE type = 'split_from'`)).toEqual([{ n: 3 }]);
    expect(result.created[0]).toMatchObject({ kind: 'environmental', subject: 'Restauration et EGAlim' });
    const document = await bodyOf(fetch(`${t.url}/api/docs-json`));
    expect(document.paths['/api/v1/staff/requests/{ref}/split'].post.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/SplitResultDto',
    });
    expect(Object.keys(result).sort()).toEqual(Object.keys(document.components.schemas.SplitResultDto.properties).sort());
    expect(Object.keys(result.created[0]).sort()).toEqual(Object.keys(document.components.schemas.SplitCreatedDto.properties).sort());
    const refused = await bodyOf(api(`/requests/${reference}/split`, admin, { topics: [] }));
    expect(refused.errors[0].field).toBe('topics.0.subject');
  });

  it('reassigns to a chosen facilitator (refusing full and absent ones), or back to automatic routing', async () => {
    const holderId = await insertFacilitator(t.dataSource, {
      network: 'aura-ee',
      firstName: 'Alix',
      capacity: 5,
      email: 'alix@example.org',
    });
    const reference = await submit(3);
    await routedTo(reference, holderId);
    const full = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Bérénice', capacity: 0 });
    const absent = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Camille' });
    await t.dataSource.query(
      `INSERT INTO facilitator_absences (id, facilitator_id, starts_on, ends_on) VALUES (gen_random_uuid(), $1, current_date - 1, current_date + 7)`,
      [absent],
    );
    const free = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Dominique', email: 'dominique@example.org' });
    await insertFacilitator(t.dataSource, { kind: 'social_clause', network: 'aura-ee', departments: ['38'], firstName: 'Socialclause' });
    const animator = await signedIn({ role: 'animator', networks: ['aura-ee'] });
    const path = `/espace/demandes/${reference}/reaffectation`;

    const page = await (await animator.get(path)).text();
    // The one holding it is no choice of its own.
    expect(page).not.toContain(`value="${holderId}"`);
    expect(page).toContain('sauf celui qui la tient');
    for (const name of [
      'Alix',
      'Bérénice',
      'Camille',
      'Dominique',
      'Capacité atteinte : à confirmer',
      'Absent aujourd’hui',
      'Remettre en attribution automatique',
    ]) {
      expect(page).toContain(name);
    }
    expect(page).not.toContain('Socialclause');
    const refused = await animator.submit(path, path, { facilitatorId: absent, reason: 'Rééquilibrage' });
    expect(refused.status).toBe(409);
    const refusedHtml = await refused.text();
    // A refusal of the facilitator's state, said once above the form (not again beside the list), the reason kept.
    expect(refusedHtml.split('est absent aujourd’hui').length - 1).toBe(1);
    expect(refusedHtml).toContain('<h2 class="fr-alert__title">Action impossible</h2>');
    expect(refusedHtml).toContain('>Rééquilibrage</textarea>');
    // Full, the form asks first (the next test confirms).
    const asked = await animator.submit(path, path, { facilitatorId: full, reason: 'Rééquilibrage' });
    expect(asked.status).toBe(409);
    expect(await asked.text()).toContain('Bérénice Test n’a aucune demande pour une capacité de 0. La lui confier quand même ?');
    expect(await openCount(full)).toBe(0);
    // An id the directory does not know (a page left open while the facilitator was removed): a field error.
    const unknown = await animator.submit(path, path, { facilitatorId: '00000000-0000-4000-8000-000000000000', reason: 'Rééquilibrage' });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('Ce facilitateur n’est pas dans l’annuaire : choisissez-en un de la liste.');
    // Another network's facilitator is answered the same: the animator learns nothing of other directories.
    const elsewhere = await insertFacilitator(t.dataSource, { network: '3ar', firstName: 'Eden' });
    const foreign = await animator.submit(path, path, { facilitatorId: elsewhere, reason: 'Rééquilibrage' });
    expect(foreign.status).toBe(400);
    expect(await foreign.text()).toContain('Ce facilitateur n’est pas dans l’annuaire : choisissez-en un de la liste.');
    expect(await requestRow(reference)).toMatchObject({ status: 'assigned', holder: holderId });

    const done = await animator.submit(path, path, { facilitatorId: free, reason: 'Rééquilibrage de la charge' });
    expect(done.status).toBe(303);
    expect(await requestRow(reference)).toMatchObject({ status: 'assigned', holder: free });
    expect([await openCount(holderId), await openCount(free)]).toEqual([0, 1]);
    const { id } = await requestRow(reference);
    const history = await row(`SELECT reason FROM request_events WHERE request_id = $1 AND type = 'reassigned'`, [id]);
    expect(history.reason).toMatch(/Confiée à Dominique par Sam Essai, retirée à Alix : Rééquilibrage de la charge/);
    const mails = await t.dataSource.query(
      `SELECT template, recipient FROM mail_messages WHERE request_id = $1 AND template IN ('assignment-withdrawn', 'facilitator-assignment') ORDER BY created_at`,
      [id],
    );
    expect(mails).toContainEqual({ template: 'assignment-withdrawn', recipient: 'alix@example.org' });
    // Told it was withdrawn, not where it went: the network may equally have put it back to routing.
    expect(await sentMailFile(t, 'assignment-withdrawn', 'alix@example.org')).toContain('L’animation du réseau vous a retiré la demande');
    expect(mails).toContainEqual({ template: 'facilitator-assignment', recipient: 'dominique@example.org' });
    // The new holder reads who gave it to them, why, and that a colleague had begun it.
    // The request page names who held it in turn, and its history to whom each assignment gave it.
    const held = (await (await animator.get(`/espace/demandes/${reference}`)).text()).replace(/\s+/g, ' ');
    expect(held).toContain('Facilitateurs successifs');
    expect(held).toContain('<td>Attribuée à Alix Test</td>');
    expect(held).toContain('<td>Réaffectée à Dominique Test</td>');
    expect(held).toMatch(/<td>Alix Test<\/td>.*?<td>Réaffectée par le réseau<\/td>/);
    expect(held).toMatch(/<td>Dominique Test<\/td>.*?<td>en cours<\/td>/);
    const toDominique = await sentMailFile(t, 'facilitator-assignment', 'dominique@example.org');
    expect(toDominique).toContain('Sam Essai vous la confie : « Rééquilibrage de la charge ».');
    expect(toDominique).not.toContain('Un collègue l’avait déjà commencée'); // routed to Alix, never taken in charge

    const token = await bearerFor(t, { role: 'admin' });
    const rerouted = await api(`/requests/${reference}/reassign`, token, { reason: 'Laisser le routage choisir' });
    expect(rerouted.status).toBe(200);
    const body = await rerouted.json();
    // Taken from Alix by the animator, then from Dominique: routing gives it back to neither (the others cannot take it).
    expect(body).toMatchObject({ status: 'unassigned', facilitatorId: null });
    expect(await requestRow(reference)).toMatchObject({ status: 'unassigned', holder: null });
    expect([await openCount(holderId), await openCount(free)]).toEqual([0, 0]);
    // Staff may still give it back to Alix by name: the page says she had it, the choice is taken.
    expect(await (await animator.get(path)).text()).toContain('L’a déjà eue (déclinée, délai passé ou retirée)');
    const chosenAgain = await api(`/requests/${reference}/reassign`, token, { facilitatorId: holderId, reason: 'Alix a de la place' });
    expect(chosenAgain.status).toBe(200);
    expect(await requestRow(reference)).toMatchObject({ status: 'assigned', holder: holderId });
    const detail = await (await api(`/requests/${reference}`, token)).json();
    const given = detail.history.filter((e: { assigneeName: string | null }) => e.assigneeName !== null);
    expect(given.map((e: { type: string; assigneeName: string }) => [e.type, e.assigneeName])).toEqual([
      ['assigned', 'Alix Test'],
      ['reassigned', 'Dominique Test'],
      ['reassigned', 'Alix Test'],
    ]);
  });

  /** Bérénice holding request `n`, at her capacity of 1; the next three wait in the pool; the network's animator signed in. */
  async function bereniceFull(n: number) {
    const berenice = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Bérénice', capacity: 1 });
    await routedTo(await submit(n), berenice);
    const waiting = [await submit(n + 1), await submit(n + 2), await submit(n + 3)];
    for (const reference of waiting) await routedTo(reference, null);
    return { berenice, waiting, animator: await signedIn({ role: 'animator', networks: ['aura-ee'] }) };
  }

  it('gives a request to a facilitator at capacity once staff confirm, past it; the pool drain gives them nothing more', async () => {
    const { berenice, waiting, animator } = await bereniceFull(21);
    const [given, next, last] = waiting;
    const path = `/espace/demandes/${given}/reaffectation`;
    const question = 'Bérénice Test a déjà 1 demande pour une capacité de 1. La lui confier quand même ?';
    const nothingWritten = async (reference: string, open: number) => {
      expect(await requestRow(reference)).toMatchObject({ status: 'unassigned', holder: null });
      expect(await openCount(berenice)).toBe(open);
      const { id } = await requestRow(reference);
      expect(await row(`SELECT count(*)::int AS n FROM request_events WHERE request_id = $1 AND type = 'reassigned'`, [id])).toEqual({
        n: 0,
      });
      expect(
        await row(`SELECT count(*)::int AS n FROM mail_messages WHERE request_id = $1 AND template = 'facilitator-assignment'`, [id]),
      ).toEqual({
        n: 0,
      });
    };

    // Full is no longer a dead end: the page says she may be given it, once confirmed.
    const form = await (await animator.get(path)).text();
    expect(form).toContain('Capacité atteinte : à confirmer');
    expect(form).toContain('confiez-la ci-dessous à l’un de ceux qui sont à pleine capacité (il vous sera demandé de confirmer)');
    const asked = await animator.submit(path, path, { facilitatorId: berenice, reason: 'Escaladée : Bérénice connaît cet acheteur' });
    expect(asked.status).toBe(409);
    const askedHtml = await asked.text();
    // Asked once, above the form; the choice and the reason kept; not an « Action impossible ».
    expect(askedHtml.split(question).length - 1).toBe(1);
    expect(askedHtml).not.toContain('Action impossible');
    expect(askedHtml).toContain(`value="${berenice}" checked`);
    expect(askedHtml).toContain('>Escaladée : Bérénice connaît cet acheteur</textarea>');
    expect(askedHtml).toContain(
      `<button class="fr-btn" type="submit" name="beyondCapacity" value="${berenice}:1:1">Oui, la lui confier quand même</button>`,
    );
    await nothingWritten(given, 1);
    // The confirming button pressed with automatic routing ticked since: neither is done, the form says why.
    const mixed = await confirmedBeyondCapacity(animator, path, askedHtml, 'auto', 'Escaladée : Bérénice connaît cet acheteur');
    expect(mixed.status).toBe(400);
    const mixedHtml = await mixed.text();
    expect(mixedHtml).toContain('Vous avez coché un autre choix que celui à confirmer');
    await nothingWritten(given, 1);

    const confirmed = await confirmedBeyondCapacity(
      animator,
      path,
      mixedHtml,
      berenice,
      'Escaladée : Bérénice connaît cet acheteur',
      `${berenice}:1:1`,
    );
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe(`/espace/demandes/${given}?fait=attribution`);
    expect(await requestRow(given)).toMatchObject({ status: 'assigned', holder: berenice });
    expect(await openCount(berenice)).toBe(2);
    const { id } = await requestRow(given);
    const history = await row(`SELECT reason FROM request_events WHERE request_id = $1 AND type = 'reassigned'`, [id]);
    expect(history.reason).toBe('Confiée à Bérénice au-delà de sa capacité par Sam Essai : Escaladée : Bérénice connaît cet acheteur');
    // Her e-mail is any staff assignment's.
    expect(await sentMailFile(t, 'facilitator-assignment', `facilitateur-${berenice}@example.org`, 2)).toContain(
      'Sam Essai vous la confie : « Escaladée : Bérénice connaît cet acheteur ».',
    );

    // Past capacity, she gets nothing from the pool, nor may she take from it herself.
    expect(await t.app.get(RoutingService).drainPool('aura-ee')).toBe(0);
    await nothingWritten(next, 2);
    const herself = await signedIn({ role: 'facilitator', facilitatorId: berenice });
    const taken = await api(`/requests/${next}/take-from-pool`, await tokenOf(herself.staffId), {});
    expect(taken.status).toBe(409);
    expect((await taken.json()).message).toContain('vous avez atteint votre capacité');
    const loads = (await (await animator.get('/espace/facilitateurs')).text()).replace(/\s+/g, ' ');
    expect(loads).toMatch(
      /Bérénice Test.*?2<span class="fr-sr-only">[^<]*<\/span><\/a> \/ 1 <p class="fr-badge fr-badge--warning fr-badge--sm">au-delà de sa capacité<\/p>/,
    );

    // The API: asked by a field error, nothing written; given with beyondCapacity: true.
    const token = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    const unconfirmed = await api(`/requests/${next}/reassign`, token, { facilitatorId: berenice, reason: 'Escaladée' });
    expect(unconfirmed.status).toBe(409);
    const twice = 'Bérénice Test a déjà 2 demandes pour une capacité de 1. La lui confier quand même ?';
    expect(await unconfirmed.json()).toMatchObject({
      code: 'conflict',
      message: twice,
      errors: [{ field: 'beyondCapacity', message: twice }],
    });
    await nothingWritten(next, 2);
    const unreadable = await api(`/requests/${next}/reassign`, token, {
      facilitatorId: berenice,
      reason: 'Escaladée',
      beyondCapacity: 'oui',
    });
    expect(unreadable.status).toBe(400);
    expect((await unreadable.json()).errors).toEqual([
      { field: 'beyondCapacity', message: 'Cochez la case ou laissez-la vide (dans l’API : true ou false).' },
    ]);
    const byApi = await api(`/requests/${next}/reassign`, token, { facilitatorId: berenice, reason: 'Escaladée', beyondCapacity: true });
    expect(byApi.status).toBe(200);
    expect(await byApi.json()).toEqual({ reference: next, status: 'assigned', facilitatorId: berenice });
    expect(await openCount(berenice)).toBe(3);
    // Absent, a confirmation changes nothing: refused as before.
    const away = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Camille', capacity: 0 });
    await t.dataSource.query(
      `INSERT INTO facilitator_absences (id, facilitator_id, starts_on, ends_on) VALUES (gen_random_uuid(), $1, current_date - 1, current_date + 7)`,
      [away],
    );
    const absent = await api(`/requests/${last}/reassign`, token, { facilitatorId: away, reason: 'Escaladée', beyondCapacity: true });
    expect(absent.status).toBe(409);
    expect((await absent.json()).message).toBe('Ce facilitateur est absent aujourd’hui : choisissez-en un autre.');
    expect(await requestRow(last)).toMatchObject({ status: 'unassigned', holder: null });
    expect(await reassignProperty('beyondCapacity')).toMatchObject({ type: 'boolean', default: false });
  });

  it('asks again when the facilitator confirmed for was given more meanwhile, on the page and by the API', async () => {
    const { berenice, waiting, animator } = await bereniceFull(31);
    const [given, meanwhile, later] = waiting;
    const path = `/espace/demandes/${given}/reaffectation`;
    const reason = 'Escaladée : Bérénice connaît cet acheteur';
    const confirm = (html: string) => confirmedBeyondCapacity(animator, path, html, berenice, reason);

    const asked = await animator.submit(path, path, { facilitatorId: berenice, reason });
    expect(asked.status).toBe(409);
    const askedHtml = await asked.text();
    expect(askedHtml).toContain('Bérénice Test a déjà 1 demande pour une capacité de 1. La lui confier quand même ?');
    expect(hiddenField(askedHtml, 'beyondCapacity')).toBe(`${berenice}:1:1`);
    // Meanwhile another animator gives her one more, by the API, confirming at the load they read.
    const token = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    const confirmedByApi = (reference: string, confirmedOpenCount: unknown) =>
      api(`/requests/${reference}/reassign`, token, {
        facilitatorId: berenice,
        reason: 'Urgente',
        beyondCapacity: true,
        confirmedOpenCount,
      });
    const byColleague = await confirmedByApi(meanwhile, 1);
    expect(byColleague.status).toBe(200);
    expect(await openCount(berenice)).toBe(2);

    // Confirmed at 1 of 1, not at 2 of 1: asked again with her load now, nothing written.
    const againHtml = await askedAgain(
      confirm(askedHtml),
      given,
      'Bérénice Test a déjà 2 demandes pour une capacité de 1. La lui confier quand même ?',
      `${berenice}:2:1`,
    );
    expect(await openCount(berenice)).toBe(2);
    const confirmed = await confirm(againHtml);
    expect(confirmed.status).toBe(303);
    expect(await requestRow(given)).toMatchObject({ status: 'assigned', holder: berenice });
    expect(await openCount(berenice)).toBe(3);

    // The API likewise: a confirmation at 2 does not stand at 3; a count it cannot read is a field error.
    const stale = await confirmedByApi(later, 2);
    expect(stale.status).toBe(409);
    const question = 'Bérénice Test a déjà 3 demandes pour une capacité de 1. La lui confier quand même ?';
    expect(await stale.json()).toMatchObject({ code: 'conflict', errors: [{ field: 'beyondCapacity', message: question }] });
    const unreadable = await confirmedByApi(later, '3');
    expect(unreadable.status).toBe(400);
    expect((await unreadable.json()).errors).toEqual([
      {
        field: 'confirmedOpenCount',
        message: 'Le nombre de demandes ouvertes du facilitateur lors de la confirmation : un entier, 0 ou plus.',
      },
    ]);
    expect(await requestRow(later)).toMatchObject({ status: 'unassigned', holder: null });
    expect(await reassignProperty('confirmedOpenCount')).toMatchObject({ type: 'integer', minimum: 0 });
  });

  it('asks again when the capacity confirmed against was lowered meanwhile, or the page’s button did not say it', async () => {
    const { berenice, waiting, animator } = await bereniceFull(41);
    const [given, byApi] = waiting;
    const path = `/espace/demandes/${given}/reaffectation`;
    const reason = 'Escaladée : Bérénice connaît cet acheteur';
    const confirm = (html: string, button?: string) => confirmedBeyondCapacity(animator, path, html, berenice, reason, button);
    const asked = await animator.submit(path, path, { facilitatorId: berenice, reason });
    const askedHtml = await asked.text();
    expect(hiddenField(askedHtml, 'beyondCapacity')).toBe(`${berenice}:1:1`);

    // A page opened before the button said the capacity: asked again, with it.
    const oldButtonHtml = await askedAgain(
      confirm(askedHtml, `${berenice}:1`),
      given,
      'Bérénice Test a déjà 1 demande pour une capacité de 1. La lui confier quand même ?',
      `${berenice}:1:1`,
    );

    // Meanwhile an administrator lowers her capacity to 0: at the same load, one past it, not the none accepted.
    const admin = await bearerFor(t, { role: 'admin' });
    const lowered = await fetch(`${t.url}/api/v1/facilitators/${berenice}`, {
      method: 'PATCH',
      headers: { authorization: admin, 'content-type': 'application/json' },
      body: JSON.stringify({ capacity: 0 }),
    });
    expect(lowered.status).toBe(200);
    const againHtml = await askedAgain(
      confirm(oldButtonHtml),
      given,
      'Bérénice Test a déjà 1 demande pour une capacité de 0. La lui confier quand même ?',
      `${berenice}:1:0`,
    );
    expect(await openCount(berenice)).toBe(1);
    const confirmed = await confirm(againHtml);
    expect(confirmed.status).toBe(303);
    expect(await requestRow(given)).toMatchObject({ status: 'assigned', holder: berenice });

    // The API likewise with confirmedCapacity: 2 for 1 read, 2 for 0 now, asked again; without it, the load alone holds.
    const token = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    const confirmedByApi = (load: Record<string, unknown>) =>
      api(`/requests/${byApi}/reassign`, token, { facilitatorId: berenice, reason: 'Urgente', beyondCapacity: true, ...load });
    const stale = await confirmedByApi({ confirmedOpenCount: 2, confirmedCapacity: 1 });
    expect(stale.status).toBe(409);
    const question = 'Bérénice Test a déjà 2 demandes pour une capacité de 0. La lui confier quand même ?';
    expect(await stale.json()).toMatchObject({ code: 'conflict', errors: [{ field: 'beyondCapacity', message: question }] });
    const alone = await confirmedByApi({ confirmedCapacity: 0 });
    expect(alone.status).toBe(400);
    expect((await alone.json()).errors).toEqual([
      {
        field: 'confirmedCapacity',
        message: 'La capacité lue en confirmant va avec le nombre de demandes ouvertes lu en même temps (confirmedOpenCount).',
      },
    ]);
    expect(await requestRow(byApi)).toMatchObject({ status: 'unassigned', holder: null });
    const loadOnly = await confirmedByApi({ confirmedOpenCount: 2 });
    expect(loadOnly.status).toBe(200);
    expect(await openCount(berenice)).toBe(3);
    expect(await reassignProperty('confirmedCapacity')).toMatchObject({ type: 'integer', minimum: 0 });
  });

  it('sends a request rerouted from its only eligible facilitator to the network’s pool, not back to them', async () => {
    const only = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Eden' });
    const reference = await submit(4);
    await routedTo(reference, only);
    const animator = await signedIn({ role: 'animator', networks: ['aura-ee'] });
    const path = `/espace/demandes/${reference}/reaffectation`;

    const done = await animator.submit(path, path, { facilitatorId: 'auto', reason: 'Eden part en formation' });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`/espace/demandes/${reference}?fait=mise-en-reserve`);
    expect(await (await animator.get(done.headers.get('location')!)).text()).toContain('la demande attend dans la réserve du réseau');
    expect(await requestRow(reference)).toMatchObject({ status: 'unassigned', holder: null });
    expect(await openCount(only)).toBe(0);

    const { id } = await requestRow(reference);
    const ended = await row(`SELECT end_reason FROM request_assignments WHERE request_id = $1 AND facilitator_id = $2`, [id, only]);
    expect(ended.end_reason).toBe('withdrawn');

    // Draining the pool (scheduled as Eden's place freed) and routing again both pass over Eden; staff may still choose Eden.
    await t.app.get(RoutingService).drainPool('aura-ee');
    expect(await requestRow(reference)).toMatchObject({ status: 'unassigned', holder: null });
    // In the pool: nobody holds it, the page says so, and Eden is marked as having let it go.
    const requestPage = await (await animator.get(`/espace/demandes/${reference}`)).text();
    expect(requestPage).toContain('>Confier à un facilitateur</a>');
    const poolForm = await (await animator.get(path)).text();
    expect(poolForm).toContain('L’a déjà eue (déclinée, délai passé ou retirée) : l’attribution automatique ne la lui rend pas');
    expect(poolForm).toContain('Le routage choisit le facilitateur disponible le mieux placé. Sans facilitateur disponible');
    const token = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    // Announced to the animators meanwhile: sent from the pool to routing and back, it is not announced again.
    await t.dataSource.query(`UPDATE requests SET pool_alerted_at = now() WHERE id = $1`, [id]);
    const rerouted = await api(`/requests/${reference}/reassign`, token, { reason: 'Toujours personne' });
    expect(rerouted.status).toBe(200);
    expect(await rerouted.json()).toMatchObject({ status: 'unassigned', facilitatorId: null });
    expect(await row(`SELECT pool_alerted_at IS NOT NULL AS announced FROM requests WHERE id = $1`, [id])).toEqual({ announced: true });
    // Given from the pool by the page's form: given, not « réaffectée » from someone.
    const chosen = await animator.post(path, {
      ...(await pageFormOf(animator, path, path)),
      facilitatorId: only,
      reason: 'Eden est revenu',
    });
    expect(chosen.status).toBe(303);
    expect(chosen.headers.get('location')).toBe(`/espace/demandes/${reference}?fait=attribution`);
    expect(await (await animator.get(chosen.headers.get('location')!)).text()).toContain(
      'La demande est confiée : son facilitateur en est prévenu par courriel.',
    );
    expect(await requestRow(reference)).toMatchObject({ status: 'assigned', holder: only });
  });

  it('refuses a take from the pool to the facilitator it was taken from: routing leaves them out, so does the pool', async () => {
    const only = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Eden' });
    const reference = await submit(7);
    await routedTo(reference, only);
    const animatorToken = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    expect((await api(`/requests/${reference}/reassign`, animatorToken, { reason: 'Eden part en formation' })).status).toBe(200);
    await routedTo(reference, null);

    const eden = await signedIn({ role: 'facilitator', facilitatorId: only });
    const said =
      'elle vous a déjà été confiée et ne l’est plus (déclinée, son délai passé, ou retirée par l’animation du réseau) ; votre animateur peut vous la confier de nouveau.';
    const page = await (await eden.get(`/espace/demandes/${reference}`)).text();
    expect(page).not.toContain('Prendre cette demande de la réserve');
    expect(page).toContain(`Vous ne pouvez pas prendre cette demande de la réserve : ${said}`);
    const refused = await api(`/requests/${reference}/take-from-pool`, await tokenOf(eden.staffId), {});
    expect(refused.status).toBe(409);
    expect((await refused.json()).message).toBe(`Vous ne pouvez pas prendre cette demande : ${said}`);
    expect(await requestRow(reference)).toMatchObject({ status: 'unassigned', holder: null });
    // Their animator may give it back to them.
    const given = await api(`/requests/${reference}/reassign`, animatorToken, { facilitatorId: only, reason: 'Eden est revenu' });
    expect(given.status).toBe(200);
    expect(await requestRow(reference)).toMatchObject({ status: 'assigned', holder: only });
  });

  it('says what to do when nobody of the network can receive a request of the pool', async () => {
    const reference = await submit(5, { kind: 'social_clause' });
    await routedTo(reference, null);
    const animator = await signedIn({ role: 'animator', networks: ['aura-ee'] });
    const page = await (await animator.get(`/espace/demandes/${reference}/reaffectation`)).text();
    // Nobody holds it: it is given, not reassigned.
    expect(page).toContain(`<h1>Confier la demande ${reference} à un facilitateur</h1>`);
    expect(page).toContain('>Confier</button>');
    expect(page).toContain('Aucun facilitateur ne peut la recevoir');
    expect(page).toContain('ne traite ce type de question (Clauses sociales) sur le territoire de la demande');
    expect(page).toContain(`href="/espace/demandes/${reference}/transfert">transférez-la</a>`);
    expect(page).not.toContain('id="personne-de-libre"');

    // Someone covers the territory, but is away today: the page says it waits, and how not to.
    const away = await insertFacilitator(t.dataSource, { kind: 'social_clause', network: 'aura-ee', departments: ['38'] });
    await t.dataSource.query(
      `INSERT INTO facilitator_absences (id, facilitator_id, starts_on, ends_on) VALUES (gen_random_uuid(), $1, current_date - 1, current_date + 30)`,
      [away],
    );
    const waiting = await (await animator.get(`/espace/demandes/${reference}/reaffectation`)).text();
    expect(waiting).not.toContain('id="aucun-facilitateur"');
    expect(waiting).toContain('Personne n’est libre aujourd’hui sur ce territoire');
    expect(waiting).toContain('elle partira d’elle-même au premier qui se libère');

    // The one away had it before and let its deadline pass: routing will not give it back, the page must not promise it.
    await t.dataSource.query(
      `INSERT INTO request_assignments (id, request_id, facilitator_id, assigned_at, take_charge_due_at, ended_at, end_reason)
       SELECT gen_random_uuid(), id, $2, now() - interval '5 days', now() - interval '3 days', now() - interval '3 days', 'deadline_missed'
         FROM requests WHERE reference = $1`,
      [reference, away],
    );
    const stuck = await (await animator.get(`/espace/demandes/${reference}/reaffectation`)).text();
    expect(stuck).toContain('Personne n’est libre aujourd’hui sur ce territoire');
    expect(stuck).not.toContain('elle partira d’elle-même');
    expect(stuck).toContain('Tous l’ont déjà eue (déclinée, délai passé ou retirée) : l’attribution automatique ne la leur rendra pas');
  });

  it('says of a request still held that it stays with its holder until given, and what routing would do instead', async () => {
    const eden = await insertFacilitator(t.dataSource, {
      kind: 'social_clause',
      network: 'aura-ee',
      departments: ['38'],
      firstName: 'Eden',
    });
    const reference = await submit(6, { kind: 'social_clause' });
    await routedTo(reference, eden);
    const animator = await signedIn({ role: 'animator', networks: ['aura-ee'] });
    const path = `/espace/demandes/${reference}/reaffectation`;
    // The request page's link and the page it leads to say the same verb.
    expect(await (await animator.get(`/espace/demandes/${reference}`)).text()).toContain('>Confier à un autre facilitateur</a>');
    const alone = await (await animator.get(path)).text();
    expect(alone).toContain(`<h1>Confier la demande ${reference} à un autre facilitateur</h1>`);
    expect(alone).toContain('>Confier</button>');
    expect(alone).not.toContain('Réaffecter');
    expect(alone).toContain('Aucun autre facilitateur ne peut la recevoir');
    expect(alone).toContain(
      'Elle reste à Eden Test tant que vous ne la confiez pas à un autre facilitateur ; remise en attribution automatique, elle irait dans la réserve du réseau et y resterait.',
    );
    expect(alone).not.toContain('l’attribution automatique la laisserait dans la réserve');

    // Another covers the territory, away today: the request is not in the pool, it does not « leave by itself ».
    const away = await insertFacilitator(t.dataSource, {
      kind: 'social_clause',
      network: 'aura-ee',
      departments: ['38'],
      firstName: 'Fanny',
    });
    await t.dataSource.query(
      `INSERT INTO facilitator_absences (id, facilitator_id, starts_on, ends_on) VALUES (gen_random_uuid(), $1, current_date - 1, current_date + 30)`,
      [away],
    );
    const waiting = await (await animator.get(path)).text();
    expect(waiting).toContain('Personne n’est libre aujourd’hui sur ce territoire');
    expect(waiting).toContain(
      'Les autres facilitateurs qui peuvent la recevoir sont absents ou à pleine capacité. Elle reste à Eden Test tant que vous ne la confiez pas à un autre facilitateur ; remise en attribution automatique, elle irait dans la réserve du réseau, d’où elle partirait d’elle-même au premier qui se libère (fin d’absence, place libérée). Pour qu’un autre la prenne :',
    );
    expect(waiting).not.toContain('Dans la réserve, elle partira d’elle-même');

    // Back but full: given past her capacity once confirmed, the page says so with the same verb.
    await t.dataSource.query(`DELETE FROM facilitator_absences WHERE facilitator_id = $1`, [away]);
    await t.dataSource.query(`UPDATE facilitators SET capacity = 0 WHERE id = $1`, [away]);
    const asked = await animator.submit(path, path, { facilitatorId: away, reason: 'Fanny connaît cet acheteur' });
    expect(asked.status).toBe(409);
    const askedHtml = await asked.text();
    expect(askedHtml).toContain('>Confier au facilitateur coché</button>');
    const given = await confirmedBeyondCapacity(animator, path, askedHtml, away, 'Fanny connaît cet acheteur');
    expect(given.status).toBe(303);
    expect(given.headers.get('location')).toBe(`/espace/demandes/${reference}?fait=reaffectation`);
    expect(await (await animator.get(given.headers.get('location')!)).text()).toContain(
      'La demande est confiée à un autre facilitateur : il en est prévenu par courriel, comme celui qui la tenait.',
    );
    expect(await requestRow(reference)).toMatchObject({ status: 'assigned', holder: away });
  });

  it('never exceeds a chosen facilitator’s capacity when reassignments race', async () => {
    const first = await insertFacilitator(t.dataSource, { network: 'aura-ee', capacity: 10 });
    const references = [];
    for (let i = 0; i < 6; i++) references.push(await submit(10 + i));
    for (const reference of references) await routedTo(reference, first);
    const target = await insertFacilitator(t.dataSource, { network: 'aura-ee', capacity: 2 });
    const token = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    const statuses = await Promise.all(
      references.map(
        async (reference) => (await api(`/requests/${reference}/reassign`, token, { facilitatorId: target, reason: 'Course' })).status,
      ),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(2);
    expect(statuses.filter((s) => s === 409)).toHaveLength(4);
    expect(await openCount(target)).toBe(2);
    expect(await openCount(first)).toBe(4);
  });

  it('lets a facilitator take a request from their network’s pool, within capacity', async () => {
    const reference = await submit(4);
    await routedTo(reference, null);
    // A social-clause facilitator of the network sees the environmental request, told why it is not theirs to take.
    const other = await signedIn({
      role: 'facilitator',
      facilitatorId: await insertFacilitator(t.dataSource, { network: 'aura-ee', kind: 'social_clause', departments: ['38'] }),
    });
    const otherPage = await (await other.get(`/espace/demandes/${reference}`)).text();
    expect(otherPage).not.toContain('Prendre cette demande de la réserve');
    expect(otherPage).toContain(
      'Vous ne pouvez pas prendre cette demande de la réserve : elle relève de l’autre type de demande (environnement ou clause sociale) que celui que vous traitez.',
    );
    const refused = await api(`/requests/${reference}/take-from-pool`, await tokenOf(other.staffId), {});
    expect(refused.status).toBe(409);
    expect((await refused.json()).message).toBe(
      'Vous ne pouvez pas prendre cette demande : elle relève de l’autre type de demande (environnement ou clause sociale) que celui que vous traitez.',
    );
    const taker = await insertFacilitator(t.dataSource, { network: 'aura-ee', capacity: 1 });
    const client = await signedIn({ role: 'facilitator', facilitatorId: taker });
    const page = await client.get('/espace/compte');
    const csrf = (await page.text()).match(/name="_csrf" value="([^"]+)"/)![1];
    const taken = await client.post(`/espace/demandes/${reference}/prise-en-reserve`, { _csrf: csrf });
    expect(taken.status).toBe(303);
    expect(taken.headers.get('location')).toBe(`/espace/demandes/${reference}?fait=reserve`);
    expect(await requestRow(reference)).toMatchObject({ status: 'assigned', holder: taker });
    expect(await openCount(taker)).toBe(1);

    const second = await submit(5);
    await routedTo(second, null);
    const token = await tokenOf(client.staffId);
    const full = await api(`/requests/${second}/take-from-pool`, token, {});
    expect(full.status).toBe(409);
    expect((await full.json()).message).toBe(
      'Vous ne pouvez pas prendre cette demande : vous avez atteint votre capacité ; clôturez ou confiez une demande pour libérer une place.',
    );
    await t.dataSource.query(`UPDATE facilitators SET capacity = 2 WHERE id = $1`, [taker]);
    expect((await api(`/requests/${second}/take-from-pool`, token, {})).status).toBe(200);
    expect(await openCount(taker)).toBe(2);
  });

  it('shows animators their networks’ facilitators and load', async () => {
    const mine = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Ophélie', capacity: 4 });
    await insertFacilitator(t.dataSource, { network: 'reseco', firstName: 'Étrangère' });
    const reference = await submit(6);
    await routedTo(reference, mine);
    await t.dataSource.query(`UPDATE request_assignments SET take_charge_due_at = now() - interval '1 day'`);
    // Taken in charge, its answer overdue: late too, as the queue marks it.
    const answering = await submit(7);
    await routedTo(answering, mine);
    await t.dataSource.query(
      `UPDATE request_assignments SET taken_at = now() - interval '12 days', answer_due_at = now() - interval '1 hour'
        WHERE request_id = (SELECT id FROM requests WHERE reference = $1)`,
      [answering],
    );
    await t.dataSource.query(`UPDATE requests SET status = 'in_progress' WHERE reference = $1`, [answering]);
    // An absence to come (2030: whatever today is), shown beside « présent » so a reassignment can be planned.
    await t.dataSource.query(
      `INSERT INTO facilitator_absences (id, facilitator_id, starts_on, ends_on) VALUES (gen_random_uuid(), $1, '2030-03-04', '2030-03-08')`,
      [mine],
    );
    const animator = await signedIn({ role: 'animator', networks: ['aura-ee'] });
    const page = await animator.get('/espace/facilitateurs');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Ophélie');
    // The open count leads to the queue of that facilitator's requests.
    expect(html).toContain(
      `<a href="/espace?facilitator=${mine}">2<span class="fr-sr-only"> demandes ouvertes d’Ophélie Test</span></a> / 4`,
    );
    expect(html).toContain(`<a href="/espace?facilitator=${mine}&amp;late=1" class="fr-badge fr-badge--error fr-badge--sm">2 en retard`);
    expect(html).toContain('présent<br><span class="fr-text--sm">absent du 4 mars 2030 au 8 mars 2030</span>');
    // In the directory, given requests, but no account yet: said on the row and above the table, with the way out.
    expect(html).toContain('<p class="fr-badge fr-badge--warning fr-badge--sm">sans compte</p>');
    expect(html).toMatch(/href="\/espace\/comptes\?email=[^"]+">Inviter<span class="fr-sr-only"> Ophélie Test<\/span>/);
    expect(html).toContain('1 facilitateur recevant des demandes ne peut pas encore se connecter à l’espace');
    expect(html).not.toContain('Étrangère');
    // One network: no choice to make. An admin sees every network, and may list one.
    expect(html).not.toContain('id="f-reseau"');
    const admin = await signedIn({ role: 'admin' });
    const everyone = await (await admin.get('/espace/facilitateurs')).text();
    expect(everyone).toContain('Facilitateurs de tous les réseaux');
    expect(everyone).toContain('Étrangère');
    const reseco = await (await admin.get('/espace/facilitateurs?reseau=reseco')).text();
    expect(reseco).toContain('Étrangère');
    expect(reseco).not.toContain('Ophélie');
    expect(reseco).toContain('<option value="reseco" selected>');
    const unknown = await admin.get('/espace/facilitateurs?reseau=atlantide');
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('Choisissez un réseau de la liste.');

    const token = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    const loads = await bodyOf(api('/facilitators/load', token));
    const filtered = await api('/facilitators/load?network=reseco', token);
    expect(filtered.status).toBe(400); // no such filter: never read as applied
    expect((await bodyOf(filtered)).errors).toEqual([{ field: 'network', message: 'Paramètre inconnu ; cette adresse n’en prend aucun.' }]);
    expect(loads).toHaveLength(1);
    expect(loads[0]).toMatchObject({ id: mine, openCount: 2, capacity: 4, lateCount: 2, absentToday: false, kind: 'environmental' });
    expect(loads[0].absence).toEqual({ startsOn: '2030-03-04', endsOn: '2030-03-08' });
    const schemas = (await bodyOf(fetch(`${t.url}/api/docs-json`))).components.schemas;
    expect(Object.keys(loads[0]).sort()).toEqual(Object.keys(schemas.FacilitatorLoadDto.properties).sort());
    expect(loads[0].account).toBe('none');
    const facilitator = await signedIn({ role: 'facilitator', facilitatorId: mine });
    expect((await facilitator.get('/espace/facilitateurs')).status).toBe(404);
    expect((await bodyOf(api('/facilitators/load', token)))[0].account).toBe('active');
    const withAccess = await (await animator.get('/espace/facilitateurs')).text();
    expect(withAccess).not.toContain('sans compte');
    expect(withAccess).not.toContain('id="sans-acces"');
  });

  it('invites in one click every facilitator of the network given requests without an account (after a CSV import)', async () => {
    const imported = await Promise.all(
      ['Inès', 'Jules'].map((firstName, i) =>
        insertFacilitator(t.dataSource, { network: 'aura-ee', firstName, email: `importe-${i}@example.org` }),
      ),
    );
    // Not given requests, or in another network: left alone. An address already the network's animator's: that account
    // takes the record; an admin's: named, with why.
    await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Retiré', active: false });
    await insertFacilitator(t.dataSource, { network: 'reseco', firstName: 'Étrangère' });
    const double = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'], email: 'double@example.org' });
    await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Double', email: 'double@example.org' });
    await insertStaff(t.dataSource, { role: 'admin', email: 'patron@example.org' });
    await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Patron', email: 'patron@example.org' });
    const animator = await signedIn({ role: 'animator', networks: ['aura-ee'] });
    const page = await (await animator.get('/espace/facilitateurs')).text();
    expect(page).toContain('Inviter les 4 facilitateurs jamais invités</button>');

    const done = await animator.submit('/espace/facilitateurs', '/espace/facilitateurs/invitations', {});
    expect(done.status).toBe(200);
    const html = (await done.text()).replace(/\s+/g, ' ');
    expect(html).toContain('2 invitations envoyées : Inès Test, Jules Test.');
    expect(html).toContain('Rattaché à son compte d’animateur, sans invitation : Double Test.');
    expect(html).toContain('Patron Test — Un compte existe déjà pour cette adresse.');
    const [{ facilitator_id: linked }] = await t.dataSource.query(`SELECT facilitator_id FROM staff_users WHERE id = $1`, [double.id]);
    expect(linked).not.toBeNull();
    const accounts = await t.dataSource.query(
      `SELECT u.facilitator_id, u.password_hash IS NULL AS pending FROM staff_users u WHERE u.facilitator_id = ANY($1) ORDER BY u.email`,
      [imported],
    );
    expect(accounts).toEqual(imported.map((id) => ({ facilitator_id: id, pending: true })));
    const mails: Array<{ recipient: string }> = await t.dataSource.query(
      `SELECT recipient FROM mail_messages WHERE template = 'staff-invitation' ORDER BY recipient`,
    );
    expect(mails.map((m) => m.recipient)).toEqual(['importe-0@example.org', 'importe-1@example.org']);
    // Sent again, it invites nobody twice: those invited wait for « Renvoyer l’invitation ».
    const again = (await (await animator.submit('/espace/facilitateurs', '/espace/facilitateurs/invitations', {})).text()).replace(
      /\s+/g,
      ' ',
    );
    expect(again).toContain('Aucune invitation envoyée.');
    const facilitator = await signedIn({
      role: 'facilitator',
      facilitatorId: await insertFacilitator(t.dataSource, { network: 'aura-ee' }),
    });
    expect((await facilitator.submit('/espace', '/espace/facilitateurs/invitations', {})).status).toBe(404);
  });

  it('answers 404 to foreign-network staff and wrong roles on every route, and refuses forms without the CSRF token', async () => {
    const green = await insertFacilitator(t.dataSource, { network: 'aura-ee' });
    const reference = await submit(7);
    await routedTo(reference, green);
    const colleague = await insertFacilitator(t.dataSource, { network: 'aura-ee' });
    const foreignFacilitator = await insertFacilitator(t.dataSource, { network: 'reseco' });

    const outsiders = [
      await signedIn({ role: 'animator', networks: ['reseco'] }),
      await signedIn({ role: 'facilitator', facilitatorId: foreignFacilitator }),
      await signedIn({ role: 'facilitator', facilitatorId: colleague }),
    ];
    const tokens = await Promise.all(outsiders.map((client) => tokenOf(client.staffId)));
    const pages = ['transfert', 'scission', 'reaffectation'].map((p) => `/espace/demandes/${reference}/${p}`);
    for (const client of outsiders) {
      const csrf = (await (await client.get('/espace/compte')).text()).match(/name="_csrf" value="([^"]+)"/)![1];
      for (const path of pages) {
        expect([path, (await client.get(path)).status]).toEqual([path, 404]);
        expect([path, (await client.post(path, { _csrf: csrf, reason: 'x', facilitatorId: colleague })).status]).toEqual([path, 404]);
      }
      expect((await client.post(`/espace/demandes/${reference}/prise-en-reserve`, { _csrf: csrf })).status).toBe(404);
    }
    // The holder may transfer and split, not reassign.
    const holder = await signedIn({ role: 'facilitator', facilitatorId: green });
    expect((await holder.get(`/espace/demandes/${reference}/reaffectation`)).status).toBe(404);
    expect((await holder.get(`/espace/demandes/${reference}/transfert`)).status).toBe(200);

    // Each action with the fields it takes (a field it does not take is a 400, whatever the request).
    const bodies = {
      transfer: { reason: 'x' },
      split: { topics: [] },
      reassign: { reason: 'x', facilitatorId: colleague },
      'take-from-pool': {},
    };
    for (const token of tokens) {
      for (const [action, body] of Object.entries(bodies)) {
        const response = await api(`/requests/${reference}/${action}`, token, body);
        expect([action, response.status]).toEqual([action, 404]);
      }
    }
    const holderToken = await tokenOf(holder.staffId);
    expect((await api(`/requests/${reference}/reassign`, holderToken, { reason: 'x', facilitatorId: colleague })).status).toBe(404);
    expect((await api('/facilitators/load', holderToken)).status).toBe(404);
    expect((await api(`/requests/GV-2000-000001/transfer`, tokens[0], { reason: 'x' })).status).toBe(404);

    const animator = await signedIn({ role: 'animator', networks: ['aura-ee'] });
    for (const path of pages) {
      const forged = await animator.post(path, { reason: 'Sans jeton', facilitatorId: colleague, 'topics.0.subject': 'Sujet forgé' });
      expect([path, forged.status]).toEqual([path, 400]);
    }
    expect(await requestRow(reference)).toMatchObject({ status: 'assigned', holder: green, kind: 'environmental' });
    expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM requests`))[0].n).toBe(1);
  });
});
