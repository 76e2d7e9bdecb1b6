import { StaffActionKeysRepository } from '../../src/modules/accounts/staff-action-keys.repository';
import { StaffAuthService } from '../../src/modules/accounts/staff-auth.service';
import { BuyerNotificationsService } from '../../src/modules/buyer-notifications/buyer-notifications.service';
import { insertFacilitator } from '../support/facilitators';
import { sha256 } from '../../src/common/tokens';
import { samplePdf } from '../support/sample-files';
import { bearerFor, csrfIn, insertStaff, STAFF_PASSWORD, StaffClient } from '../support/staff';
import { submitRequest, TestApp, useTestApp, waitFor } from '../support/test-app';
import { assignedToSignedIn } from '../support/workspace';

/** A staff action sent again — a proxy's retry, a double click, a second tab — acts once and answers as the first did. */
describe('staff actions sent twice', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app), {}, { api: true, worker: true });

  const row = async (sql: string, params: unknown[] = []) => (await t.dataSource.query(sql, params))[0];
  const count = async (sql: string, params: unknown[]) => (await row(`SELECT count(*)::int AS n FROM ${sql}`, params)).n as number;
  const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];

  /** A request taken in charge by a facilitator signed in on the page, with an API token too. */
  async function inProgress() {
    const { reference, trackingUrl, client, staff } = await assignedToSignedIn(t);
    const page = `/espace/demandes/${reference}`;
    expect((await client.submit(page, `${page}/prise-en-charge`, {})).status).toBe(303);
    const token = `Bearer ${await t.app.get(StaffAuthService).createApiToken(staff.id, 'tests')}`;
    const { id } = await row(`SELECT id FROM requests WHERE reference = $1`, [reference]);
    return {
      id: id as string,
      reference: reference as string,
      page,
      client,
      token,
      trackingToken: new URL(trackingUrl).searchParams.get('t')!,
    };
  }

  /** The answer form's hidden fields, as the page gives them. */
  function answerFields(html: string): Record<string, string> {
    const form = html.slice(html.indexOf('/reponse" enctype="multipart/form-data"'));
    return {
      _csrf: csrfIn(html),
      formToken: hidden(form, 'formToken')!,
      complement: hidden(form, 'complement')!,
      buyerMessageSeen: hidden(form, 'buyerMessageSeen')!,
    };
  }

  function postAnswer(client: StaffClient, reference: string, fields: Record<string, string>) {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    return fetch(`${t.url}/espace/demandes/${reference}/reponse`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
      headers: { cookie: client.jar.header() },
    });
  }

  const answers = (id: string) => count(`request_messages WHERE request_id = $1 AND kind = 'answer'`, [id]);
  const events = (id: string, type: string) => count(`request_events WHERE request_id = $1 AND type = $2`, [id, type]);

  it('sends an answer posted twice at once, then once more, once: each sending is told « réponse envoyée »', async () => {
    const { id, reference, page, client } = await inProgress();
    const fields: Record<string, string> = {
      ...answerFields(await (await client.get(page)).text()),
      body: 'Voici la réponse, une seule fois.',
    };
    const together = await Promise.all([postAnswer(client, reference, fields), postAnswer(client, reference, fields)]);
    const again = await postAnswer(client, reference, fields);
    for (const sent of [...together, again]) {
      expect(sent.status).toBe(303);
      expect(sent.headers.get('location')).toBe(`${page}?fait=reponse`);
    }
    expect(await answers(id)).toBe(1);
    expect(await events(id, 'answered')).toBe(1);
    expect(await events(id, 'answer_completed')).toBe(0);
    // The form says it is a first answer: sent from it again under another token, it would be refused, not completed.
    expect(fields.complement).toBe('false');
    // The buyer's tracking page reads one answer, no complement.
    expect(await count(`request_events WHERE request_id = $1 AND is_public AND type LIKE 'answer%'`, [id])).toBe(1);
  });

  it('refuses the same answer form sent again with words added (Back after sending), giving them back', async () => {
    const { id, reference, page, client } = await inProgress();
    const fields = answerFields(await (await client.get(page)).text());
    expect((await postAnswer(client, reference, { ...fields, body: 'Voici la réponse.' })).status).toBe(303);
    const more = await postAnswer(client, reference, { ...fields, body: 'Voici la réponse.\n\nEt un paragraphe oublié.' });
    expect(more.status).toBe(409);
    const html = await more.text();
    expect(html).toContain('Ce formulaire a déjà été envoyé, avec un autre texte');
    expect(html).toContain('Et un paragraphe oublié.');
    expect(await answers(id)).toBe(1);
  });

  it('sends an API answer repeated with its Idempotency-Key once, each repeat answered as the first', async () => {
    const { id, reference, token } = await inProgress();
    const post = () =>
      fetch(`${t.url}/api/v1/staff/requests/${reference}/answer`, {
        method: 'POST',
        headers: { authorization: token, 'content-type': 'application/json', 'idempotency-key': 'reponse-unique-0001' },
        body: JSON.stringify({ body: 'Réponse par l’API.' }),
      });
    const responses = [...(await Promise.all([post(), post()])), await post()];
    const bodies = await Promise.all(responses.map((r) => r.json()));
    for (const [i, response] of responses.entries()) {
      expect(response.status).toBe(200);
      expect(bodies[i]).toEqual(bodies[0]);
    }
    expect(bodies[0]).toMatchObject({ status: 'answered' });
    expect(await answers(id)).toBe(1);
    expect(await events(id, 'answer_completed')).toBe(0);
  });

  it('answers an API answer with files (multipart) repeated with its Idempotency-Key as the first, saying it is a replay', async () => {
    const { id, reference, token } = await inProgress();
    const post = (body = 'Réponse avec son guide joint.') => {
      const form = new FormData();
      form.append('body', body);
      form.append('items[0][type]', 'guide');
      form.append('items[0][title]', 'Guide des achats durables');
      form.append('items[0][attachmentId]', 'guide.pdf');
      form.append('fichiers', new Blob([new Uint8Array(samplePdf())], { type: 'application/pdf' }), 'guide.pdf');
      return fetch(`${t.url}/api/v1/staff/requests/${reference}/answer`, {
        method: 'POST',
        headers: { authorization: token, 'idempotency-key': 'reponse-fichiers-0001' },
        body: form,
      });
    };
    const first = await post();
    expect([first.status, first.headers.get('idempotent-replayed')]).toEqual([200, null]);
    const firstBody = await first.json();
    expect(firstBody).toMatchObject({ status: 'answered' });
    const again = await post();
    expect([again.status, again.headers.get('idempotent-replayed')]).toEqual([200, 'true']);
    expect(await again.json()).toEqual(firstBody);
    expect(await answers(id)).toBe(1);
    expect(await count(`attachments WHERE request_id = $1`, [id])).toBe(1);
    // The same key with another text is another sending: refused as on every staff write, nothing sent.
    const other = await post('Une autre réponse.');
    expect([other.status, (await other.json()).code]).toEqual([422, 'idempotency_key_reused']);
    expect(await answers(id)).toBe(1);
  });

  it('refuses a first answer from a page left open once the answer went from another tab: nothing sent as a complement', async () => {
    const { id, reference, page, client } = await inProgress();
    const firstTab = answerFields(await (await client.get(page)).text());
    const secondTab = answerFields(await (await client.get(page)).text());
    expect((await postAnswer(client, reference, { ...firstTab, body: 'Réponse du premier onglet.' })).status).toBe(303);
    const stale = await postAnswer(client, reference, { ...secondTab, body: 'Réponse du second onglet.' });
    expect(stale.status).toBe(409);
    const html = await stale.text();
    expect(html).toContain('La réponse a déjà été envoyée');
    expect(html).toContain('Réponse du second onglet.');
    expect(await answers(id)).toBe(1);
    expect(await events(id, 'answer_completed')).toBe(0);
  });

  it('sends no first answer when the buyer wrote meanwhile: their message shown, the text kept, sent once read', async () => {
    const { id, reference, page, client, trackingToken } = await inProgress();
    const opened = answerFields(await (await client.get(page)).text());
    const added = await fetch(`${t.url}/api/v1/requests/${reference}/information`, {
      method: 'POST',
      headers: { 'x-tracking-token': trackingToken, 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'Précision : le marché compte deux lots.' }),
    });
    expect(added.status).toBe(200);
    const refused = await postAnswer(client, reference, { ...opened, body: 'Ma réponse écrite avant sa précision.' });
    expect(refused.status).toBe(409);
    const html = await refused.text();
    expect(html).toContain('L’acheteur a écrit entre-temps : votre réponse n’est pas envoyée. Lisez son nouveau message, puis');
    expect(html).toContain('Précision : le marché compte deux lots.');
    // Their message is below, among the exchanges: the notice links to it, and the page's jumps lead there.
    const [{ id: messageId }] = await t.dataSource.query(
      `SELECT id FROM request_messages WHERE request_id = $1 AND author_type = 'buyer' ORDER BY created_at DESC LIMIT 1`,
      [id],
    );
    expect(html).toMatch(
      new RegExp(`<p id="nouveau-message-acheteur"><a href="#message-${messageId}">Lire le nouveau message de l’acheteur, du `),
    );
    expect(html).toMatch(new RegExp(`id="message-${messageId}" tabindex="-1">[\\s\\S]*Précision : le marché compte deux lots\\.`));
    expect(html.indexOf('id="resume-erreurs"')).toBeLessThan(html.indexOf(`id="message-${messageId}"`));
    expect(html).toContain('<a class="fr-link fr-link--sm" href="#titre-echanges">Échanges</a>');
    expect(html).toContain('Ma réponse écrite avant sa précision.');
    expect(await answers(id)).toBe(0);
    // Sent from the page as it came back (which knows the buyer's message now): it goes.
    const read = answerFields(html);
    expect(read.buyerMessageSeen).not.toBe(opened.buyerMessageSeen);
    const sent = await postAnswer(client, reference, { ...read, body: 'Ma réponse, sa précision lue.' });
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe(`${page}?fait=reponse`);
    expect(await answers(id)).toBe(1);
  });

  /** The subjects of the buyer's e-mails on the request that bring the answer or a complement, once the debounce job ran. */
  async function answerMails(id: string): Promise<string[]> {
    await t.app.get(BuyerNotificationsService).notify(id);
    const mails: Array<{ subject: string }> = await t.dataSource.query(
      `SELECT subject FROM mail_messages WHERE request_id = $1 AND template = 'buyer-update'`,
      [id],
    );
    return mails.map((mail) => mail.subject).filter((subject) => subject.includes('réponse du facilitateur'));
  }

  /** A staff API write on the request, as `authorization` (a bearer), with its Idempotency-Key if given. */
  function staffApi(reference: string, action: string, authorization: string, body: unknown, key?: string) {
    return fetch(`${t.url}/api/v1/staff/requests/${reference}/${action}`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
      body: JSON.stringify(body),
    });
  }

  /** The network's animator gives the request to a colleague of its holder (answered, the buyer replies first). */
  async function givenToColleague({ id, reference, trackingToken }: { id: string; reference: string; trackingToken: string }) {
    const [{ network_code: network, status }] = await t.dataSource.query(`SELECT network_code, status FROM requests WHERE id = $1`, [id]);
    if (status === 'answered') {
      const replied = await fetch(`${t.url}/api/v1/requests/${reference}/replies`, {
        method: 'POST',
        headers: { 'x-tracking-token': trackingToken, 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'Merci, une dernière question sur les lots.' }),
      });
      expect(replied.status).toBe(200);
    }
    const colleague = await insertFacilitator(t.dataSource, { network, firstName: 'Eden', capacity: 5 });
    const animator = await bearerFor(t, { role: 'animator', networks: [network] });
    expect((await staffApi(reference, 'reassign', animator, { facilitatorId: colleague, reason: 'Rééquilibrage' })).status).toBe(200);
    return animator;
  }

  it('tells an answer form sent again after the request was closed that the answer went: nothing refused, nothing sent twice', async () => {
    const { id, reference, page, client } = await inProgress();
    const fields = { ...answerFields(await (await client.get(page)).text()), body: 'La réponse, avant la clôture.' };
    expect((await postAnswer(client, reference, fields)).status).toBe(303);
    expect((await client.submit(page, `${page}/cloture`, { reason: 'answered' })).status).toBe(303);
    const again = await postAnswer(client, reference, fields);
    expect([again.status, again.headers.get('location')]).toEqual([303, `${page}?fait=reponse`]);
    expect(await answers(id)).toBe(1);
    expect(await events(id, 'answer_completed')).toBe(0);
    expect(await answerMails(id)).toEqual([expect.not.stringContaining('complément')]);
  });

  it('tells an answer form sent again once the network gave the request to a colleague that the answer went', async () => {
    const request = await inProgress();
    const { id, reference, page, client } = request;
    const fields = { ...answerFields(await (await client.get(page)).text()), body: 'La réponse, partie une fois.' };
    expect((await postAnswer(client, reference, fields)).status).toBe(303);
    await givenToColleague(request);
    const again = await postAnswer(client, reference, fields);
    expect([again.status, again.headers.get('location')]).toEqual([303, `${page}?fait=reponse`]);
    // The request is no longer theirs to see: the page that says so says their answer went too.
    const shown = await client.get(again.headers.get('location')!);
    expect(shown.status).toBe(404);
    const html = await shown.text();
    expect(html).toContain('Votre réponse est envoyée à l’acheteur.');
    expect(html).toContain('Cette demande ne vous est plus confiée.');
    expect(html).not.toContain('rien n’a été enregistré');
    expect(await answers(id)).toBe(1);
    expect(await answerMails(id)).toEqual([expect.not.stringContaining('complément')]);
  });

  it('answers an API answer repeated after the request was closed or given to a colleague as the first, saying it is a replay', async () => {
    for (const move of ['close', 'reassign'] as const) {
      const request = await inProgress();
      const post = () => staffApi(request.reference, 'answer', request.token, { body: `Réponse, puis ${move}.` }, `reponse-puis-${move}`);
      const first = await post();
      expect(first.status).toBe(200);
      const firstBody = await first.json();
      if (move === 'close') expect((await staffApi(request.reference, 'close', request.token, { reason: 'answered' })).status).toBe(200);
      else await givenToColleague(request);
      const again = await post();
      expect([again.status, again.headers.get('idempotent-replayed')]).toEqual([200, 'true']);
      expect(await again.json()).toEqual(firstBody);
      expect(await answers(request.id)).toBe(1);
      expect(await answerMails(request.id)).toEqual([expect.not.stringContaining('complément')]);
    }
  });

  it('tells an API answer retried once its key is forgotten (a day on) and the request closed that it went, sending nothing', async () => {
    const { id, reference, token } = await inProgress();
    const post = () => staffApi(reference, 'answer', token, { body: 'Réponse envoyée la veille.' }, 'reponse-le-lendemain');
    expect((await post()).status).toBe(200);
    expect((await staffApi(reference, 'close', token, { reason: 'answered' })).status).toBe(200);
    // The sweeps forget the keys' outcomes after a day; the answer, named by its key, stays known.
    await t.app.get(StaffActionKeysRepository).purgeOlderThan(0);
    const again = await post();
    expect([again.status, await again.json()]).toEqual([200, { reference, status: 'closed', closeReason: 'answered' }]);
    expect(await answers(id)).toBe(1);
    expect(await events(id, 'answer_completed')).toBe(0);
  });

  it('answers the question and note forms sent again after the request was closed or taken from their writer as the first time', async () => {
    const closed = await inProgress();
    const html = await (await closed.client.get(closed.page)).text();
    const question = { _csrf: csrfIn(html), formToken: hidden(html.slice(html.indexOf('/precision"')), 'formToken')!, body: 'Combien ?' };
    expect((await closed.client.post(`${closed.page}/precision`, question)).status).toBe(303);
    expect((await closed.client.submit(closed.page, `${closed.page}/cloture`, { reason: 'redirected' })).status).toBe(303);
    const askedAgain = await closed.client.post(`${closed.page}/precision`, question);
    expect([askedAgain.status, askedAgain.headers.get('location')]).toEqual([303, `${closed.page}?fait=precision`]);
    expect(await events(closed.id, 'clarification_requested')).toBe(1);

    const taken = await inProgress();
    const page = await (await taken.client.get(taken.page)).text();
    const note = {
      _csrf: csrfIn(page),
      formToken: hidden(page.slice(page.indexOf('/notes"')), 'formToken')!,
      body: 'Note avant le départ.',
    };
    expect((await taken.client.post(`${taken.page}/notes`, note)).status).toBe(303);
    await givenToColleague(taken);
    const notedAgain = await taken.client.post(`${taken.page}/notes`, note);
    expect([notedAgain.status, notedAgain.headers.get('location')]).toEqual([303, `${taken.page}?fait=note`]);
    expect(await count(`request_messages WHERE request_id = $1 AND kind = 'internal_note'`, [taken.id])).toBe(1);
  });

  it('puts a request back to automatic routing once when the form is sent twice, at once or one after the other', async () => {
    await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Eden' });
    const reference = await submitRequest(t, 4);
    await waitFor(async () => (await row(`SELECT status FROM requests WHERE reference = $1`, [reference])).status === 'assigned');
    const { email } = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] });
    const animator = new StaffClient(t.url);
    expect((await animator.signIn(email)).status).toBe(303);
    const path = `/espace/demandes/${reference}/reaffectation`;
    const form = await (await animator.get(path)).text();
    const fields = { _csrf: csrfIn(form), formToken: hidden(form, 'formToken')!, facilitatorId: 'auto', reason: 'Eden part en formation' };
    const sent = [...(await Promise.all([animator.post(path, fields), animator.post(path, fields)])), await animator.post(path, fields)];
    // Whoever routing chose, or the pool: every sending is told what the first did.
    const first = sent[0].headers.get('location');
    expect(first).toMatch(new RegExp(`^/espace/demandes/${reference}\\?fait=`));
    for (const response of sent) {
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(first);
    }
    const { id } = await row(`SELECT id FROM requests WHERE reference = $1`, [reference]);
    expect(await events(id, 'rerouted')).toBe(1);
    expect(await events(id, 'unassigned')).toBeLessThanOrEqual(1);
  });

  it('refuses a note sent again from a copy of its page with other text, and gives that text back, named as on its form', async () => {
    const { reference, page, client } = await inProgress();
    const html = await (await client.get(page)).text();
    const noteForm = html.slice(html.indexOf('/notes"'));
    const fields = { _csrf: csrfIn(html), formToken: hidden(noteForm, 'formToken')! };
    expect((await client.post(`${page}/notes`, { ...fields, body: 'Première note.' })).status).toBe(303);
    const again = await client.post(`${page}/notes`, { ...fields, body: 'Seconde note, écrite dans un onglet dupliqué.' });
    expect(again.status).toBe(409);
    const refused = await again.text();
    expect(refused).toContain('ce que vous venez d’envoyer n’est pas enregistré');
    expect(refused).toContain('Seconde note, écrite dans un onglet dupliqué.');
    // The page and its tab say what happened, and to which request (RGAA 8.6); the text is labelled as its field was.
    expect(refused).toContain(`<h1>Formulaire déjà envoyé — ${reference}</h1>`);
    expect(refused).toContain(`<title>Formulaire déjà envoyé — ${reference} — Guichet vert</title>`);
    expect(refused).toContain('<label class="fr-label" for="texte-saisi-1">Note (jamais montrée à l’acheteur)</label>');
    // Back to the form itself, not the top of the request's page.
    expect(refused).toContain(`href="${page}#titre-note">Revenir au formulaire`);
  });

  it('keeps no password in the clear or under a plain hash in the repeat keys (a new API token’s form)', async () => {
    const { client } = await inProgress();
    const html = await (await client.get('/espace/compte')).text();
    const form = html.slice(html.indexOf('action="/espace/compte/jetons"'));
    const fields = { _csrf: csrfIn(html), formToken: hidden(form, 'formToken')!, label: 'Tableur', password: STAFF_PASSWORD };
    expect((await client.post('/espace/compte/jetons', fields)).status).toBeLessThan(400);
    const [{ fingerprint }] = await t.dataSource.query(`SELECT fingerprint FROM staff_action_keys ORDER BY created_at DESC LIMIT 1`);
    expect(fingerprint.equals(sha256(JSON.stringify({ label: 'Tableur', password: STAFF_PASSWORD })))).toBe(false);
  });

  it('takes over a claim its sending left without outcome two minutes ago (a process that died), never a live one', async () => {
    const keys = t.app.get(StaffActionKeysRepository);
    const [live, dead] = [Buffer.from('live-key'), Buffer.from('dead-key')];
    const fingerprint = Buffer.from('same content');
    expect(await keys.reserve(live, fingerprint)).not.toBeNull();
    expect(await keys.reserve(live, fingerprint)).toBeNull();
    expect(await keys.reserve(dead, fingerprint)).not.toBeNull();
    await t.dataSource.query(`UPDATE staff_action_keys SET created_at = now() - interval '3 minutes' WHERE key_hash = $1`, [dead]);
    const retry = await keys.reserve(dead, fingerprint);
    expect(retry).not.toBeNull();
    // A finished sending keeps its outcome however old: a repeat is answered by it.
    await keys.complete(dead, retry!, { status: 303, redirect: '/espace' });
    await t.dataSource.query(`UPDATE staff_action_keys SET created_at = now() - interval '3 minutes' WHERE key_hash = $1`, [dead]);
    expect(await keys.reserve(dead, fingerprint)).toBeNull();
  });

  it('leaves the claim of a retry that took over alone when the slow first sending ends: its release or outcome counts no more', async () => {
    const keys = t.app.get(StaffActionKeysRepository);
    const key = Buffer.from('slow-key');
    const fingerprint = Buffer.from('same content');
    const claimOf = async () => (await row(`SELECT claim, outcome FROM staff_action_keys WHERE key_hash = $1`, [key])) ?? null;
    const slow = (await keys.reserve(key, fingerprint))!;
    // Still waiting for a lock two minutes on: a retry takes the key over.
    await t.dataSource.query(`UPDATE staff_action_keys SET created_at = now() - interval '3 minutes' WHERE key_hash = $1`, [key]);
    const retry = (await keys.reserve(key, fingerprint))!;
    expect(retry).not.toBeNull();
    expect(retry).not.toBe(slow);

    // The first one fails: the retry's claim stays, a third sending still waits for it.
    await keys.release(key, slow);
    expect(await claimOf()).toEqual({ claim: retry, outcome: null });
    expect(await keys.reserve(key, fingerprint)).toBeNull();
    // Or it ends well: its outcome does not stand for the retry's.
    await keys.complete(key, slow, { status: 303, redirect: '/espace?fait=premier' });
    expect(await claimOf()).toEqual({ claim: retry, outcome: null });

    await keys.complete(key, retry, { status: 303, redirect: '/espace?fait=relance' });
    expect(await claimOf()).toEqual({ claim: retry, outcome: { status: 303, redirect: '/espace?fait=relance' } });
    await keys.release(key, slow);
    expect((await keys.find(key))?.outcome).toEqual({ status: 303, redirect: '/espace?fait=relance' });
  });
});
