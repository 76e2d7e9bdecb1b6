import { Environment } from 'nunjucks';
import { Clock } from '../../src/common/clock';
import { addFrenchFilters } from '../../src/common/french-format';
import { workingEndOf } from '../../src/common/working-days.policy';
import { replyWindowEnd } from '../../src/modules/requests/reply-window.policy';
import { helpItemOf } from '../../src/modules/requests/request-message.types';
import { MailService } from '../../src/modules/mail/mail.service';
import { RoutingService } from '../../src/modules/routing/routing.service';
import { mailsTo, sentMailFile, staffWrites, submittedAndTaken, TrackedTestRequest } from '../support/conversation';
import { insertFacilitator } from '../support/facilitators';
import { bearerFor, insertStaff, StaffClient } from '../support/staff';
import { sampleExe, samplePdf } from '../support/sample-files';
import { TestApp, useTestApp, validRequestBody } from '../support/test-app';

const FORM_TOKEN = 'A'.repeat(43);
const DAY_MS = 86_400_000;

describe('the buyer acts from the tracking link (pages and API)', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app));

  const page = (r: TrackedTestRequest, token = r.token) => fetch(`${t.url}/suivi/${r.reference}?t=${encodeURIComponent(token)}`);
  const postForm = (r: TrackedTestRequest, action: string, fields: Record<string, string>) =>
    fetch(`${t.url}/suivi/${r.reference}/${action}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: new URLSearchParams(fields).toString(),
    });
  const api = (r: TrackedTestRequest, action: string, body: unknown = {}, token = r.token, headers: Record<string, string> = {}) =>
    fetch(`${t.url}/api/v1/requests/${r.reference}/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tracking-token': token, ...headers },
      body: JSON.stringify(body),
    });
  const state = async (r: TrackedTestRequest) =>
    (await t.dataSource.query(`SELECT status, close_reason FROM requests WHERE id = $1`, [r.id]))[0];
  const buyerEvents = async (r: TrackedTestRequest) =>
    t.dataSource.query(
      `SELECT type, from_status, to_status, is_public FROM request_events WHERE request_id = $1 AND actor_type = 'buyer' ORDER BY id`,
      [r.id],
    );

  /** Answered, then closed as answered: the assignment ended and the facilitator's place freed, as a closure leaves them. */
  async function answeredThenClosed(n: number): Promise<TrackedTestRequest> {
    const request = await submittedAndTaken(t, n);
    await staffWrites(t, request, 'answer', 'Réponse.');
    await t.dataSource.query(`UPDATE requests SET status = 'closed', close_reason = 'answered', closed_at = now() WHERE id = $1`, [
      request.id,
    ]);
    await t.dataSource.query(`UPDATE request_assignments SET ended_at = now(), end_reason = 'finished' WHERE request_id = $1`, [
      request.id,
    ]);
    await t.dataSource.query(`UPDATE facilitators SET open_count = 0 WHERE id = $1`, [request.facilitatorId]);
    return request;
  }

  it('tells the buyer what comes next and by when, while a deadline runs (page and API)', async () => {
    const request = await submittedAndTaken(t, 1, { firstName: 'Inès' });
    const nextStep = async () =>
      (await (await fetch(`${t.url}/api/v1/requests/${request.reference}`, { headers: { 'x-tracking-token': request.token } })).json())
        .nextStep;
    await t.dataSource.query(`UPDATE request_assignments SET answer_due_at = '2027-01-15T10:00:00Z' WHERE request_id = $1`, [request.id]);
    expect(await (await page(request)).text()).toContain(
      '<strong>Prochaine étape :</strong>\n    Inès prépare sa réponse écrite, attendue d’ici le 15 janvier 2027.',
    );
    expect(await nextStep()).toEqual({ kind: 'answer', expectedBy: '2027-01-15T10:00:00.000Z', late: false });
    // Due at Monday 00:00 (days counted over a weekend): the API says Friday evening, as the page does.
    await t.dataSource.query(`UPDATE request_assignments SET answer_due_at = '2026-12-20T23:00:00Z' WHERE request_id = $1`, [request.id]);
    expect(await (await page(request)).text()).toContain('attendue d’ici le 18 décembre 2026.');
    expect(await nextStep()).toEqual({ kind: 'answer', expectedBy: '2026-12-18T23:00:00.000Z', late: false });
    await t.dataSource.query(`UPDATE request_assignments SET answer_due_at = '2027-01-15T10:00:00Z' WHERE request_id = $1`, [request.id]);
    // Past its deadline: said so, not a past date read as a promise.
    await t.dataSource.query(`UPDATE request_assignments SET answer_due_at = now() - interval '1 day' WHERE request_id = $1`, [request.id]);
    expect((await nextStep()).late).toBe(true);
    expect(await (await page(request)).text()).toContain(
      'Ce délai est dépassé : l’animation du réseau en est prévenue et veille à ce que la réponse vous parvienne.',
    );
    await t.dataSource.query(`UPDATE request_assignments SET answer_due_at = '2027-01-15T10:00:00Z' WHERE request_id = $1`, [request.id]);
    // What the buyer gave beside the question, as they wrote it, the French way.
    const html = await (await page(request)).text();
    expect(html).toContain('<th scope="row">Montant estimé</th><td>120\u202f000 € HT</td>');
    expect(html).toContain(`<th scope="row">Réponse nécessaire d’ici le</th><td>1er mars ${new Date().getUTCFullYear() + 1}</td>`);

    await t.dataSource.query(`UPDATE requests SET status = 'assigned' WHERE id = $1`, [request.id]);
    await t.dataSource.query(
      `UPDATE request_assignments SET taken_at = NULL, take_charge_due_at = '2027-01-12T10:00:00Z' WHERE request_id = $1`,
      [request.id],
    );
    expect(await (await page(request)).text()).toContain('la prise en charge de votre demande par Inès, prévue d’ici le 12 janvier 2027.');
    expect(await nextStep()).toEqual({ kind: 'take_charge', expectedBy: '2027-01-12T10:00:00.000Z', late: false });

    // In the network's pool: no date can be promised, but what happens next is said.
    await t.dataSource.query(`UPDATE requests SET status = 'unassigned' WHERE id = $1`, [request.id]);
    await t.dataSource.query(`UPDATE request_assignments SET ended_at = now(), end_reason = 'absence' WHERE request_id = $1`, [request.id]);
    const pooled = await (await page(request)).text();
    expect(pooled).toContain('l’attribution de votre demande à un facilitateur. Aucun n’est disponible pour le moment');
    // No promise that a place freeing up will do it: when nobody covers the territory, the network's animation must act.
    expect(pooled).toContain('l’animation du réseau en est informée et la confiera à un facilitateur dès que possible.');
    expect(pooled).not.toContain('place se libère');
    expect(pooled).toContain('Vous recevrez un courriel quand un facilitateur l’aura prise en charge.');
    expect(await nextStep()).toEqual({ kind: 'assignment', expectedBy: null, late: false });
    await t.dataSource.query(`UPDATE request_assignments SET ended_at = NULL, end_reason = NULL WHERE request_id = $1`, [request.id]);

    // The hand is the buyer's: nothing to wait for.
    await t.dataSource.query(`UPDATE requests SET status = 'in_progress' WHERE id = $1`, [request.id]);
    await staffWrites(t, request, 'clarification_question', 'Quel est le montant du lot 2 ?');
    expect(await (await page(request)).text()).not.toContain('Prochaine étape');
    expect(await nextStep()).toBeNull();
  });

  it('shows the question, refuses an empty precision with the error summary, then takes it once (form sent twice)', async () => {
    const request = await submittedAndTaken(t, 1, { email: 'claude@example.org', firstName: 'Claude' });
    await staffWrites(t, request, 'clarification_question', 'Quel est le **montant** estimé du lot 2 ?');
    let html = await (await page(request)).text();
    expect(html).toContain('Le facilitateur vous demande une précision');
    expect(html).toContain('<strong>montant</strong>');
    // Its address carries the token: opened again (a reload after errors, a bookmark), it leads back to the page.
    expect(html).toContain(`action="/suivi/${request.reference}/precision?t=${encodeURIComponent(request.token)}"`);
    const reopened = await fetch(`${t.url}/suivi/${request.reference}/precision?t=${request.token}`, { redirect: 'manual' });
    expect([reopened.status, reopened.headers.get('location')]).toEqual([303, `/suivi/${request.reference}?t=${request.token}`]);
    expect((await fetch(`${t.url}/suivi/${request.reference}/precision`, { redirect: 'manual' })).status).toBe(404);
    // Until when, as the e-mail says: the end of the reply window counted from the question.
    const tracked = await (
      await fetch(`${t.url}/api/v1/requests/${request.reference}`, { headers: { 'x-tracking-token': request.token } })
    ).json();
    const [{ askedAt }] = await t.dataSource.query(
      `SELECT created_at AS "askedAt" FROM request_events WHERE request_id = $1 AND to_status = 'awaiting_buyer'`,
      [request.id],
    );
    // Written as the page writes it: a window ending at Monday 00:00 ends on the Friday evening.
    expect(tracked.actions.clarifyUntil).toBe(
      workingEndOf(replyWindowEnd(askedAt, '38', t.config.REPLY_WINDOW_WORKING_DAYS), '38').toISOString(),
    );
    const until = addFrenchFilters(new Environment()).renderString('{{ at | frDeadline("38") }}', { at: tracked.actions.clarifyUntil });
    expect(html).toContain(`<p id="delai-precision">Répondez d’ici le ${until} : sans réponse, la demande sera clôturée.</p>`);

    const empty = await postForm(request, 'precision', { t: request.token, formToken: FORM_TOKEN, message: '  ' });
    expect(empty.status).toBe(400);
    html = await empty.text();
    expect(html).toContain('id="resume-erreurs"');
    // Named as the form's label names it.
    expect(html).toContain('1 erreur empêche l’envoi de votre précision');
    expect(html).toContain('Écrivez votre précision.');
    expect(await state(request)).toEqual({ status: 'awaiting_buyer', close_reason: null });

    for (let i = 0; i < 2; i++) {
      const sent = await postForm(request, 'precision', { t: request.token, formToken: FORM_TOKEN, message: 'Environ 80 000 € HT.' });
      expect(sent.status).toBe(303);
      expect(sent.headers.get('location')).toBe(
        `/suivi/${request.reference}?t=${encodeURIComponent(request.token)}&fait=precision#confirmation-action`,
      );
    }
    // The page it leads back to confirms what was done; a key it does not know shows nothing.
    const confirmed = await fetch(`${t.url}/suivi/${request.reference}?t=${encodeURIComponent(request.token)}&fait=precision`);
    expect(await confirmed.text()).toContain('<p>Votre précision est envoyée : le traitement de votre demande reprend.</p>');
    const unknown = await fetch(`${t.url}/suivi/${request.reference}?t=${encodeURIComponent(request.token)}&fait=constructor`);
    expect(await unknown.text()).not.toContain('id="confirmation-action"');
    expect(await state(request)).toEqual({ status: 'in_progress', close_reason: null });
    expect(
      await t.dataSource.query(`SELECT kind, author_type, body FROM request_messages WHERE request_id = $1 AND author_type = 'buyer'`, [
        request.id,
      ]),
    ).toEqual([{ kind: 'buyer_clarification', author_type: 'buyer', body: 'Environ 80 000 € HT.' }]);
    expect(await buyerEvents(request)).toEqual([
      { type: 'submitted', from_status: null, to_status: 'submitted', is_public: true },
      { type: 'buyer_clarified', from_status: 'awaiting_buyer', to_status: 'in_progress', is_public: true },
    ]);
    const [mail] = await mailsTo(t, 'facilitator-buyer-message');
    expect(mail.recipient).toBe('claude@example.org');
    expect(mail.text_body).toContain('Environ 80 000 € HT.');
    expect(mail.text_body).toContain(`${t.config.PUBLIC_URL}/espace/demandes/${request.reference}`);
    // The facilitator learns the answer deadline the wait moved, as their assignment now keeps it.
    const [{ dueAt }] = await t.dataSource.query(
      `SELECT answer_due_at AS "dueAt" FROM request_assignments WHERE request_id = $1 AND ended_at IS NULL`,
      [request.id],
    );
    const by = addFrenchFilters(new Environment()).renderString('{{ at | frDeadline("38") }}', { at: dueAt });
    expect(mail.text_body).toContain(
      `Le délai de réponse reprend, allongé du temps d’attente de la précision : votre réponse est attendue d’ici le ${by}.`,
    );
    expect(mail.html_body).toContain(`votre réponse est attendue d’ici le <strong>${by}</strong>.`);
    expect(await mailsTo(t, 'facilitator-buyer-message')).toHaveLength(1);
    const after = await (await page(request)).text();
    expect(after).toContain('Votre précision a été transmise');
    // Their own message, signed « Vous », not « de l’acheteur ».
    expect(after).toContain('Vous — Précision</h3>');
  });

  it('API: a precision when none is asked is a 409; a missing or too long text a 400 with the field', async () => {
    const request = await submittedAndTaken(t, 2);
    let response = await api(request, 'clarification', { message: 'Bonjour' });
    expect(response.status).toBe(409);
    expect((await response.json()).message).toMatch(/pas possible pour une demande « En cours de traitement »/);
    await staffWrites(t, request, 'clarification_question', 'Précisez le lot.');
    response = await api(request, 'clarification', { message: 'x'.repeat(5001) });
    expect(response.status).toBe(400);
    expect((await response.json()).errors).toEqual([
      { field: 'message', message: 'Votre précision doit faire au plus 5\u202f000 caractères (il en fait 5\u202f001).' },
    ]);
    response = await api(request, 'clarification', {});
    expect(response.status).toBe(400);
    response = await api(request, 'clarification', { message: 'Le lot 2 seulement.' });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.status).toBe('in_progress');
    expect(body.conversation.map((m: { kind: string; fromBuyer: boolean }) => [m.kind, m.fromBuyer])).toEqual([
      ['clarification_question', false],
      ['buyer_clarification', true],
    ]);
  });

  it('answers exactly what OpenAPI documents, field by field, down to the answer’s help items and files', async () => {
    const request = await submittedAndTaken(t, 4);
    await staffWrites(
      t,
      request,
      'answer',
      'Voici la réponse.',
      [helpItemOf('regulation', { legalReferenceCode: 'ccp-l2111-1' })],
      [{ name: 'Guide.pdf', content: samplePdf() }],
    );
    const document = await (await fetch(`${t.url}/api/docs-json`)).json();
    const schemas = document.components.schemas;
    const documented = (name: string) => Object.keys(schemas[name].properties).sort();
    const tracked = await (
      await fetch(`${t.url}/api/v1/requests/${request.reference}`, { headers: { 'x-tracking-token': request.token } })
    ).json();
    expect(document.paths['/api/v1/requests/{reference}'].get.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/TrackedRequestDto',
    });
    expect(Object.keys(tracked).sort()).toEqual(documented('TrackedRequestDto'));
    expect(Object.keys(tracked.actions).sort()).toEqual(documented('BuyerActionsDto'));
    expect(Object.keys(tracked.history[0]).sort()).toEqual(documented('TrackedEventDto'));
    expect(Object.keys(tracked.facilitator).sort()).toEqual(documented('TrackedFacilitatorDto'));
    const [answer] = tracked.conversation;
    expect(Object.keys(answer).sort()).toEqual(documented('TrackedMessageDto'));
    for (const item of answer.items) expect(Object.keys(item).sort()).toEqual(documented('TrackedHelpItemDto'));
    expect(Object.keys(answer.items[0].legalReference).sort()).toEqual(documented('TrackedLegalReferenceDto'));
    expect(Object.keys(answer.items[1].file).sort()).toEqual(documented('TrackedFileDto'));
    // Every buyer action answers the same documented body.
    const replied = document.paths['/api/v1/requests/{reference}/replies'].post.responses['200'];
    expect(replied.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/TrackedRequestDto' });
  });

  it('replies to the answer within the window (reopens), and no longer after it', async () => {
    const clock = t.app.get(Clock);
    const request = await submittedAndTaken(t, 3);
    // Before any answer, no word on an answer's scope.
    expect(await (await page(request)).text()).not.toContain('id="portee-du-conseil"');
    const [fileId] = await staffWrites(
      t,
      request,
      'answer',
      'Voici la réponse.',
      [helpItemOf('regulation', { legalReferenceCode: 'ccp-l2111-1' })],
      [{ name: 'Guide.pdf', content: samplePdf() }],
    );
    const api1 = await (
      await fetch(`${t.url}/api/v1/requests/${request.reference}`, { headers: { 'x-tracking-token': request.token } })
    ).json();
    expect(api1.actions).toEqual(
      expect.objectContaining({ reply: true, resolve: true, clarify: false, withdraw: false, replyUntil: expect.any(String) }),
    );
    const items = api1.conversation[0].items;
    expect(items[0]).toEqual(
      expect.objectContaining({
        typeLabel: 'Rappel réglementaire',
        legalReference: { label: expect.any(String), url: expect.stringMatching(/^https:\/\//) },
      }),
    );
    expect(items[1].file.downloadPath).toBe(`/suivi/${request.reference}/pieces-jointes/${fileId}`);
    // The answer is the news, said at the top of the page with a link down to it (the first message here).
    expect(api1.latestAnswer).toEqual({ position: 1, announcement: 'La réponse de Dominique est arrivée', news: true });
    const announced = await (await page(request)).text();
    expect(announced).toContain('<h2 class="fr-alert__title">La réponse de Dominique est arrivée</h2>');
    expect(/id="message-1">[\s\S]*?(<h3[^>]*>)/.exec(announced)![1]).toBe('<h3 class="fr-card__title" id="reponse">');

    // The first answer's deadline, long past by the time the buyer replies (the answer came late, or weeks ago).
    await t.dataSource.query(
      `UPDATE request_assignments SET taken_at = now() - interval '30 days', answer_due_at = now() - interval '5 days'
        WHERE request_id = $1 AND ended_at IS NULL`,
      [request.id],
    );
    const response = await api(request, 'replies', { message: 'Merci, et pour le lot 3 ?' });
    expect(response.status).toBe(200);
    expect(await state(request)).toEqual({ status: 'in_progress', close_reason: null });
    // Replied to, the answer is no longer news; it keeps its anchor.
    const replied = await (await page(request)).text();
    expect(replied).not.toContain('id="reponse-arrivee"');
    expect(replied).toContain('<h3 class="fr-card__title" id="reponse">');
    const [told] = await mailsTo(t, 'facilitator-buyer-message');
    expect(told.subject).toContain('rouverte');
    // A new answer is owed from now: not late at once, and the facilitator reads by when.
    const [{ due }] = await t.dataSource.query(
      `SELECT answer_due_at > now() + interval '5 days' AS due FROM request_assignments WHERE request_id = $1 AND ended_at IS NULL`,
      [request.id],
    );
    expect(due).toBe(true);
    expect(told.text_body).toContain('Une nouvelle réponse est attendue d’ici le');
    // The facilitator's page and API read that deadline too, not one recomputed from the first taking in charge.
    const bearer = await bearerFor(t, { role: 'facilitator', facilitatorId: request.facilitatorId, networks: ['aura-ee'] });
    const staffView = await (
      await fetch(`${t.url}/api/v1/staff/requests/${request.reference}`, { headers: { authorization: bearer } })
    ).json();
    expect(staffView.deadlines.late).toBe(false);
    expect(new Date(staffView.deadlines.answerDueAt).getTime()).toBeGreaterThan(Date.now() + 5 * DAY_MS);

    // Answered again, then the window passes.
    await staffWrites(t, request, 'answer', 'Pour le lot 3, même chose.');
    clock.travel(20 * DAY_MS);
    try {
      const html = await (await page(request)).text();
      expect(html).not.toContain('formulaire-reponse');
      expect(html).toContain('Le délai pour répondre est dépassé');
      const late = await postForm(request, 'reponse', { t: request.token, formToken: FORM_TOKEN, message: 'Encore une question' });
      expect(late.status).toBe(409);
      // The request's page again, with why: not a dead end.
      const lateHtml = await late.text();
      expect(lateHtml).toContain('<h2 class="fr-alert__title">Action impossible</h2><p>Le délai pour répondre est dépassé');
      expect(lateHtml).toContain(`<h1>Demande <span class="gv-reference">${request.reference}</span></h1>`);
      expect((await api(request, 'replies', { message: 'Encore une question' })).status).toBe(409);
      expect(await state(request)).toEqual({ status: 'answered', close_reason: null });
    } finally {
      clock.travel(-20 * DAY_MS);
    }
  });

  it('a reply to a request closed after its answer, within the window, reopens it with the facilitator’s place taken again', async () => {
    const request = await answeredThenClosed(4);
    // Closed already: the page says a reply reopens it, not that it will close.
    const closedPage = (await (await page(request)).text()).replace(/\s+/g, ' ');
    expect(closedPage).toContain(
      'La demande est clôturée. Une question sur la réponse ? Vous pouvez encore répondre au facilitateur jusqu’au',
    );
    expect(closedPage).not.toContain('elle sera clôturée à cette date');
    expect((await postForm(request, 'reponse', { t: request.token, formToken: FORM_TOKEN, message: 'Une dernière chose.' })).status).toBe(
      303,
    );
    expect(await state(request)).toEqual({ status: 'in_progress', close_reason: null });
    const [{ open_count }] = await t.dataSource.query(`SELECT open_count FROM facilitators WHERE id = $1`, [request.facilitatorId]);
    expect(open_count).toBe(1);
    // Taken in charge again at once, with a new answer deadline ahead.
    const current = await t.dataSource.query(
      `SELECT facilitator_id, taken_at IS NOT NULL AS taken, answer_due_at > now() AS due
         FROM request_assignments WHERE request_id = $1 AND ended_at IS NULL`,
      [request.id],
    );
    expect(current).toEqual([{ facilitator_id: request.facilitatorId, taken: true, due: true }]);
    expect((await mailsTo(t, 'facilitator-buyer-message')).at(-1)!.text_body).toContain('Une nouvelle réponse est attendue d’ici le');
  });

  it('a reply after closure, once its facilitator has left the directory, goes to routing: another facilitator gets it', async () => {
    const request = await answeredThenClosed(6);
    await t.dataSource.query(`UPDATE facilitators SET active = false WHERE id = $1`, [request.facilitatorId]);
    const successor = await insertFacilitator(t.dataSource, { email: 'successeur@example.org' });

    expect((await api(request, 'replies', { message: 'Une dernière chose.' })).status).toBe(200);
    expect(await state(request)).toEqual({ status: 'assigned', close_reason: null });
    expect((await buyerEvents(request)).at(-1)).toEqual({
      type: 'buyer_replied',
      from_status: 'closed',
      to_status: 'submitted',
      is_public: true,
    });
    // The staff's history says why it went to routing, not back to the one who answered.
    expect(
      await t.dataSource.query(`SELECT reason FROM request_events WHERE request_id = $1 AND type = 'buyer_replied'`, [request.id]),
    ).toEqual([{ reason: 'Le facilitateur qui la suivait n’est pas disponible (parti ou absent) : attribution de nouveau' }]);
    const current = await t.dataSource.query(
      `SELECT facilitator_id, taken_at IS NULL AS waiting FROM request_assignments WHERE request_id = $1 AND ended_at IS NULL`,
      [request.id],
    );
    expect(current).toEqual([{ facilitator_id: successor, waiting: true }]);
    const [{ open_count }] = await t.dataSource.query(`SELECT open_count FROM facilitators WHERE id = $1`, [request.facilitatorId]);
    expect(open_count).toBe(0);
    // Nothing to the one who left; the new facilitator hears of it as of any request routed to them.
    expect(await mailsTo(t, 'facilitator-buyer-message')).toEqual([]);
    expect(
      (
        await t.dataSource.query(`SELECT recipient FROM mail_messages WHERE request_id = $1 AND recipient = 'successeur@example.org'`, [
          request.id,
        ])
      ).length,
    ).toBe(1);
    const html = await (await page(request)).text();
    expect(html).toContain('Votre réponse a été transmise : demande rouverte');
    expect(html).toContain('Confiée à un facilitateur');
  });

  it('a reply to the answer, once its facilitator has left (account deactivated), goes to routing as after closure', async () => {
    const request = await submittedAndTaken(t, 36, { email: 'partie@example.org' });
    await staffWrites(t, request, 'answer', 'Réponse.');
    // Deactivated with « Ne plus lui confier de demandes »: the account and the record.
    await t.dataSource.query(`UPDATE staff_users SET active = false WHERE facilitator_id = $1`, [request.facilitatorId]);
    await t.dataSource.query(`UPDATE facilitators SET active = false WHERE id = $1`, [request.facilitatorId]);
    const successor = await insertFacilitator(t.dataSource, { email: 'successeur-reponse@example.org' });

    expect((await api(request, 'replies', { message: 'Une question sur votre réponse.' })).status).toBe(200);
    expect(await state(request)).toEqual({ status: 'assigned', close_reason: null });
    expect((await buyerEvents(request)).at(-1)).toEqual({
      type: 'buyer_replied',
      from_status: 'answered',
      to_status: 'submitted',
      is_public: true,
    });
    expect(
      await t.dataSource.query(`SELECT reason FROM request_events WHERE request_id = $1 AND type = 'buyer_replied'`, [request.id]),
    ).toEqual([{ reason: 'Le facilitateur qui la suivait n’est pas disponible (parti ou absent) : attribution de nouveau' }]);
    // The one who left lets it go, as a departure, their place freed; the successor has it to take in charge.
    expect(
      await t.dataSource.query(
        `SELECT facilitator_id, end_reason, taken_at IS NULL AS waiting FROM request_assignments WHERE request_id = $1 ORDER BY assigned_at`,
        [request.id],
      ),
    ).toEqual([
      { facilitator_id: request.facilitatorId, end_reason: 'departed', waiting: false },
      { facilitator_id: successor, end_reason: null, waiting: true },
    ]);
    const [{ open_count }] = await t.dataSource.query(`SELECT open_count FROM facilitators WHERE id = $1`, [request.facilitatorId]);
    expect(open_count).toBe(0);
    // Nothing to the departed mailbox; the successor hears of it as of any request routed to them.
    expect(await mailsTo(t, 'facilitator-buyer-message')).toEqual([]);
    expect(
      await t.dataSource.query(`SELECT recipient FROM mail_messages WHERE request_id = $1 AND template = 'facilitator-assignment'`, [
        request.id,
      ]),
    ).toEqual([{ recipient: 'successeur-reponse@example.org' }]);
  });

  it('a reply to the answer while nobody can take it over waits in the pool, its animators told', async () => {
    const request = await submittedAndTaken(t, 37);
    await staffWrites(t, request, 'answer', 'Réponse.');
    await t.dataSource.query(`UPDATE facilitators SET active = false WHERE id = $1`, [request.facilitatorId]);

    expect((await api(request, 'replies', { message: 'Une question sur votre réponse.' })).status).toBe(200);
    expect(await state(request)).toEqual({ status: 'unassigned', close_reason: null });
    // Only a record out of routing, no account deactivated: said as such.
    expect(
      await t.dataSource.query(`SELECT end_reason FROM request_assignments WHERE request_id = $1 AND facilitator_id = $2`, [
        request.id,
        request.facilitatorId,
      ]),
    ).toEqual([{ end_reason: 'inactive' }]);
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox_events
        WHERE job_name = 'routing.pool-alert' AND payload->>'networkCode' = (SELECT network_code FROM requests WHERE id = $1)`,
      [request.id],
    );
    expect(n).toBeGreaterThan(0);
    expect(await mailsTo(t, 'facilitator-buyer-message')).toEqual([]);
  });

  it('a reply to the answer of a facilitator absent from tomorrow on never goes back to them, though routing sees them here today', async () => {
    const request = await submittedAndTaken(t, 38);
    await staffWrites(t, request, 'answer', 'Réponse.');
    await t.dataSource.query(
      `INSERT INTO facilitator_absences (id, facilitator_id, starts_on, ends_on) VALUES (gen_random_uuid(), $1, current_date + 1, current_date + 40)`,
      [request.facilitatorId],
    );

    expect((await api(request, 'replies', { message: 'Une question sur votre réponse.' })).status).toBe(200);
    // Nobody else covers it: the pool, not a fresh assignment to the one about to leave.
    expect(await state(request)).toEqual({ status: 'unassigned', close_reason: null });
    expect(
      await t.dataSource.query(`SELECT count(*)::int AS n FROM request_assignments WHERE request_id = $1 AND end_reason IS NULL`, [
        request.id,
      ]),
    ).toEqual([{ n: 0 }]);
  });

  it('closes on the buyer’s word that the answer resolved their question: as answered, surveys planned, facilitator told', async () => {
    const request = await submittedAndTaken(t, 7, { email: 'alix@example.org' });
    expect(await (await page(request)).text()).not.toContain('question-resolue');
    await staffWrites(t, request, 'answer', 'Voici la réponse.');
    const html = await (await page(request)).text();
    expect(html).toContain('id="question-resolue"');
    expect(html).toContain('Ma question est résolue</button>');

    const response = await postForm(request, 'resolue', { t: request.token });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/suivi/${request.reference}?t=${encodeURIComponent(request.token)}&fait=resolue`);
    expect(await state(request)).toEqual({ status: 'closed', close_reason: 'answered' });
    expect((await buyerEvents(request)).at(-1)).toEqual({
      type: 'buyer_resolved',
      from_status: 'answered',
      to_status: 'closed',
      is_public: true,
    });
    const [{ open_count }] = await t.dataSource.query(`SELECT open_count FROM facilitators WHERE id = $1`, [request.facilitatorId]);
    expect(open_count).toBe(0);
    expect(await t.dataSource.query(`SELECT wave FROM surveys WHERE request_id = $1 ORDER BY wave`, [request.id])).toEqual([
      { wave: 'impact' },
      { wave: 'satisfaction' },
    ]);
    const [mail] = await mailsTo(t, 'facilitator-buyer-message');
    expect(mail).toEqual(
      expect.objectContaining({
        recipient: 'alix@example.org',
        subject: `Demande ${request.reference} « Fournitures de bureau et loi AGEC 7 » : l’acheteur indique que sa question est résolue`,
      }),
    );
    const closed = await (await page(request)).text();
    expect(closed).toContain('Vous avez indiqué que votre question est résolue : demande clôturée');
    expect(closed).not.toContain('question-resolue');

    // Sent twice: nothing more. Through the API once closed: the first closure stands, a 200 with the request.
    expect((await postForm(request, 'resolue', { t: request.token })).status).toBe(303);
    const again = await api(request, 'resolution');
    expect(again.status).toBe(200);
    expect((await again.json()).status).toBe('closed');
    expect(await mailsTo(t, 'facilitator-buyer-message')).toHaveLength(1);
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM surveys WHERE request_id = $1`, [request.id])).toEqual([{ n: 2 }]);
  });

  it('API: « resolved » only once answered (409 before), and the actions say when it is offered', async () => {
    const request = await submittedAndTaken(t, 8);
    const early = await api(request, 'resolution');
    expect(early.status).toBe(409);
    expect(await state(request)).toEqual({ status: 'in_progress', close_reason: null });
    await staffWrites(t, request, 'answer', 'Voici la réponse.');
    const tracked = await (
      await fetch(`${t.url}/api/v1/requests/${request.reference}`, { headers: { 'x-tracking-token': request.token } })
    ).json();
    expect(tracked.actions).toEqual(expect.objectContaining({ resolve: true, reply: true }));
    const done = await api(request, 'resolution');
    expect(done.status).toBe(200);
    expect(await done.json()).toEqual(expect.objectContaining({ status: 'closed', closeReasonLabel: 'Réponse apportée' }));
  });

  it('withdraws after a confirmation page: closed as withdrawn, the facilitator told and their place freed', async () => {
    const request = await submittedAndTaken(t, 5, { email: 'dominique@example.org' });
    const confirmation = await fetch(`${t.url}/suivi/${request.reference}/retrait?t=${encodeURIComponent(request.token)}`);
    expect(confirmation.status).toBe(200);
    const confirmationHtml = await confirmation.text();
    expect(confirmationHtml).toContain('Oui, retirer ma demande');
    expect(confirmationHtml).toContain('Pourquoi la retirez-vous ? (facultatif)');
    expect(confirmationHtml).toContain('Le facilitateur en est informé et ne la traitera plus.');
    const response = await postForm(request, 'retrait', { t: request.token, formToken: FORM_TOKEN, reason: 'too_slow' });
    expect(response.status).toBe(303);
    expect(await state(request)).toEqual({ status: 'closed', close_reason: 'withdrawn' });
    const [{ open_count }] = await t.dataSource.query(`SELECT open_count FROM facilitators WHERE id = $1`, [request.facilitatorId]);
    expect(open_count).toBe(0);
    expect(await t.dataSource.query(`SELECT end_reason FROM request_assignments WHERE request_id = $1`, [request.id])).toEqual([
      { end_reason: 'finished' },
    ]);
    const [mail] = await mailsTo(t, 'facilitator-buyer-message');
    expect(mail).toEqual(
      expect.objectContaining({
        recipient: 'dominique@example.org',
        subject: `Demande ${request.reference} « Fournitures de bureau et loi AGEC 5 » retirée par l’acheteur`,
      }),
    );
    // The buyer's reason reaches the facilitator, and the history (for the network's review).
    expect(mail.text_body).toContain('Raison indiquée : La réponse tarde trop pour mon calendrier.');
    expect(
      await t.dataSource.query(`SELECT reason FROM request_events WHERE request_id = $1 AND type = 'withdrawn'`, [request.id]),
    ).toEqual([{ reason: 'too_slow' }]);
    expect(await t.dataSource.query(`SELECT job_name FROM outbox_events WHERE job_name = 'routing.drain-pool'`)).toEqual([
      { job_name: 'routing.drain-pool' },
    ]);
    // Sent again: nothing more; the page no longer offers it, and the confirmation page refuses.
    expect((await postForm(request, 'retrait', { t: request.token, formToken: FORM_TOKEN })).status).toBe(303);
    expect(await mailsTo(t, 'facilitator-buyer-message')).toHaveLength(1);
    const html = await (await page(request)).text();
    expect(html).toContain('Retirée à votre demande');
    expect(html).not.toContain('lien-retrait');
    expect(html).toContain('Votre demande a été suivie par <strong>');
    expect(html).toContain('Aucun échange avec le guichet.');
    // Withdrawn before its facilitator took it in charge: it had been given to them, not followed.
    const untaken = await submittedAndTaken(t, 6);
    await t.dataSource.query(`UPDATE request_assignments SET taken_at = NULL WHERE request_id = $1`, [untaken.id]);
    await t.dataSource.query(`UPDATE requests SET status = 'assigned' WHERE id = $1`, [untaken.id]);
    expect(await (await page(untaken)).text()).toContain('Votre demande est confiée à <strong>');
    // Waiting in the pool, it has no facilitator to tell: the page promises none.
    const pooled = await submittedAndTaken(t, 60);
    await t.dataSource.query(`UPDATE requests SET status = 'unassigned', assigned_facilitator_id = NULL WHERE id = $1`, [pooled.id]);
    const pooledHtml = await (await fetch(`${t.url}/suivi/${pooled.reference}/retrait?t=${encodeURIComponent(pooled.token)}`)).text();
    expect(pooledHtml).toContain('Votre demande sera clôturée. Elle ne sera pas traitée.');
    expect(pooledHtml).not.toContain('Le facilitateur en est informé');
    expect(pooledHtml).not.toContain('transmise au facilitateur');
    // Through the API, a reason is one of the list's, or none.
    const api = (body: unknown) =>
      fetch(`${t.url}/api/v1/requests/${untaken.reference}/withdrawal`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-tracking-token': untaken.token },
        body: JSON.stringify(body),
      });
    const unknownReason = await api({ reason: 'bored' });
    expect(unknownReason.status).toBe(400);
    expect((await unknownReason.json()).errors).toEqual([{ field: 'reason', message: 'Choisissez une raison de la liste, ou aucune.' }]);
    expect((await postForm(untaken, 'retrait', { t: untaken.token, formToken: FORM_TOKEN })).status).toBe(303);
    expect(await (await page(untaken)).text()).toContain('Votre demande avait été confiée à <strong>');
    // A reference typed in lower case opens the same page.
    expect((await fetch(`${t.url}/suivi/${request.reference.toLowerCase()}?t=${encodeURIComponent(request.token)}`)).status).toBe(200);
    const again = await fetch(`${t.url}/suivi/${request.reference}/retrait?t=${encodeURIComponent(request.token)}`);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('id="action-impossible"');
  });

  it('offers « Je l’ai envoyée en double » among the reasons to withdraw, on the page and through the API', async () => {
    const request = await submittedAndTaken(t, 61, { email: 'dominique@example.org' });
    const confirmation = await (await fetch(`${t.url}/suivi/${request.reference}/retrait?t=${encodeURIComponent(request.token)}`)).text();
    expect(confirmation).toMatch(/value="sent_twice"[^>]*>[\s\S]*?Je l’ai envoyée en double/);
    const response = await api(request, 'withdrawal', { reason: 'sent_twice' });
    expect(response.status).toBe(200);
    expect(await state(request)).toEqual({ status: 'closed', close_reason: 'withdrawn' });
    expect(
      await t.dataSource.query(`SELECT reason FROM request_events WHERE request_id = $1 AND type = 'withdrawn'`, [request.id]),
    ).toEqual([{ reason: 'sent_twice' }]);
    const [mail] = await mailsTo(t, 'facilitator-buyer-message');
    expect(mail.text_body).toContain('Raison indiquée : Je l’ai envoyée en double.');
  });

  it('an information added to a request in the pool, which nobody holds, reaches its network’s animators, or its contact address without any', async () => {
    await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'], email: 'animatrice@example.org' });
    await insertStaff(t.dataSource, { role: 'animator', networks: ['reseco'], email: 'ailleurs@example.org' });
    // No facilitator covers Isère: routing leaves it in the network's pool.
    const submitted = await (
      await fetch(`${t.url}/api/v1/requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(validRequestBody(81)),
      })
    ).json();
    const [{ id }] = await t.dataSource.query(`SELECT id FROM requests WHERE reference = $1`, [submitted.reference]);
    await t.app.get(RoutingService).route(id);
    const pooled = { id, reference: submitted.reference, token: new URL(submitted.trackingUrl).searchParams.get('t')!, facilitatorId: '' };
    expect(await state(pooled)).toEqual({ status: 'unassigned', close_reason: null });
    /** The message as written to its file, delivered by the test (no worker here). */
    const sent = async (recipient: string) => {
      const [mail] = await t.dataSource.query(
        `SELECT id FROM mail_messages WHERE template = 'facilitator-buyer-message' AND recipient = $1`,
        [recipient],
      );
      await t.app.get(MailService).deliver(mail.id);
      return sentMailFile(t, 'facilitator-buyer-message', recipient);
    };

    expect((await api(pooled, 'information', { message: 'Le lot 2 <b> : 45 000 € HT.' })).status).toBe(200);
    const told = await sent('animatrice@example.org');
    expect(told).toMatch(new RegExp(`Subject: Demande ${pooled.reference} « [^»]+ » : l’acheteur a ajouté une information`));
    expect(told).toContain('Bonjour,');
    expect(told).toContain('Le lot 2 <b> : 45 000 € HT.');
    expect(told).toContain('Le lot 2 &lt;b&gt; : 45 000 € HT.');
    expect(told).toContain('Elle attend dans la réserve du réseau : aucun facilitateur ne l’a en charge.');
    expect(told).toContain(`${t.config.PUBLIC_URL}/espace/demandes/${pooled.reference}`);
    expect((await mailsTo(t, 'facilitator-buyer-message')).map((m) => m.recipient)).toEqual(['animatrice@example.org']);

    // No animator signed up any more: the network's contact address, told how to act.
    await t.dataSource.query(`UPDATE staff_users SET active = false WHERE email = 'animatrice@example.org'`);
    expect((await api(pooled, 'information', { message: 'Et le lot 3 : 10 000 € HT.' })).status).toBe(200);
    const contact = await sent('contact@auvergnerhonealpes-ee.fr');
    expect(contact).toContain('Et le lot 3 : 10 000 € HT.');
    expect(contact).toContain('envoyé à l’adresse de contact du réseau, qui n’a pas encore d’animateur inscrit');
    // No account to act with: not told to hand it over from the workspace.
    expect(contact).toContain('Celui qui la recevra lira cette information avec la demande.');
    expect(contact).not.toContain('confier vous-même');
    expect(told).toContain('vous pouvez aussi la confier vous-même depuis l’espace');
  });

  it('takes a forgotten detail before the answer (form sent twice: once), tells the facilitator, keeps the status; no longer once a precision is asked', async () => {
    const request = await submittedAndTaken(t, 7, { email: 'dominique@example.org' });
    let html = await (await page(request)).text();
    expect(html).toContain('Ajouter une information');
    expect(html).toContain(`action="/suivi/${request.reference}/information?t=`);

    const empty = await postForm(request, 'information', { t: request.token, formToken: FORM_TOKEN, message: ' ' });
    expect(empty.status).toBe(400);
    const emptyHtml = await empty.text();
    expect(emptyHtml).toContain('1 erreur empêche l’envoi de votre information');
    expect(emptyHtml).toContain('Écrivez votre information.');
    const detail = 'Le lot 2 comprend aussi <b>les serviettes</b> : 40 000 € HT.';
    for (let i = 0; i < 2; i++) {
      const sent = await postForm(request, 'information', { t: request.token, formToken: FORM_TOKEN, message: detail });
      expect(sent.status).toBe(303);
    }
    // « Retour » gives the page a new token: the same text again within minutes is still the one sent.
    const resent = await postForm(request, 'information', { t: request.token, formToken: 'B'.repeat(43), message: detail });
    expect(resent.status).toBe(303);
    // « Retour », then the text edited under the first token: not lost, the form gives it back with a new token.
    const edited = await postForm(request, 'information', { t: request.token, formToken: FORM_TOKEN, message: 'Le lot 2 : 45 000 € HT.' });
    expect(edited.status).toBe(400);
    const editedHtml = await edited.text();
    expect(editedHtml).toContain('Ce formulaire a déjà servi à envoyer un autre texte, que vous retrouvez dans les échanges.');
    expect(editedHtml).toContain('Le lot 2 : 45 000 € HT.</textarea>');
    expect(editedHtml).toMatch(/name="formToken" value="[A-Za-z0-9_-]{43}"/);
    expect(editedHtml).not.toContain(`name="formToken" value="${FORM_TOKEN}"`);
    expect(await state(request)).toEqual({ status: 'in_progress', close_reason: null });
    expect(
      await t.dataSource.query(`SELECT kind, body FROM request_messages WHERE request_id = $1 AND author_type = 'buyer'`, [request.id]),
    ).toEqual([{ kind: 'buyer_information', body: detail }]);
    expect((await buyerEvents(request)).filter((e: { type: string }) => e.type !== 'submitted')).toEqual([
      { type: 'buyer_added_information', from_status: 'in_progress', to_status: 'in_progress', is_public: true },
    ]);
    const [mail] = await mailsTo(t, 'facilitator-buyer-message');
    expect(mail.recipient).toBe('dominique@example.org');
    expect(mail.subject).toBe(`Demande ${request.reference} « Fournitures de bureau et loi AGEC 7 » : l’acheteur a ajouté une information`);
    expect(mail.text_body).toContain(detail);
    html = await (await page(request)).text();
    expect(html).toContain('Vous avez ajouté une information');
    expect(html).toContain('Le lot 2 comprend aussi &lt;b&gt;les serviettes&lt;/b&gt;');

    // Through the API too, then refused once a precision is asked (the precision form takes over).
    expect((await api(request, 'information', { message: 'Et le lot 3 : 10 000 € HT.' })).status).toBe(200);
    await staffWrites(t, request, 'clarification_question', 'Quel volume ?');
    const refused = await api(request, 'information', { message: 'Encore une chose.' });
    expect(refused.status).toBe(409);
    html = await (await page(request)).text();
    expect(html).not.toContain(`action="/suivi/${request.reference}/information?`);
    expect(await mailsTo(t, 'facilitator-buyer-message')).toHaveLength(2);
  });

  it('takes files with a precision (multipart form): stored with it once, named to the facilitator, downloadable by both; a refused file writes nothing', async () => {
    const request = await submittedAndTaken(t, 8, { email: 'dominique@example.org' });
    await staffWrites(t, request, 'clarification_question', 'Pouvez-vous joindre votre CCTP ?');
    const html = await (await page(request)).text();
    expect(html).toContain('enctype="multipart/form-data"');
    expect(html).toContain('Documents utiles au facilitateur (facultatif)');
    // As the page's form sends it: the token in its address too, read before the files are.
    const send = (message: string, files: Array<{ name: string; content: Buffer }>, token = request.token) => {
      const form = new FormData();
      for (const [name, value] of Object.entries({ t: token, formToken: FORM_TOKEN, message })) form.append(name, value);
      for (const file of files) form.append('fichiers', new Blob([new Uint8Array(file.content)], { type: 'application/pdf' }), file.name);
      return fetch(`${t.url}/suivi/${request.reference}/precision?t=${encodeURIComponent(token)}`, {
        method: 'POST',
        redirect: 'manual',
        body: form,
        headers: { accept: 'text/html' },
      });
    };
    const stored = () =>
      t.dataSource.query(
        `SELECT a.id, a.file_name, a.uploaded_by_type, m.kind FROM attachments a JOIN request_messages m ON m.id = a.message_id
          WHERE a.request_id = $1`,
        [request.id],
      );

    // Without the link's token, nothing is read: the page's 404.
    const stranger = await send('Voici notre CCTP.', [{ name: 'CCTP.pdf', content: Buffer.alloc(10 * 1024 * 1024) }], 'x'.repeat(43));
    expect(stranger.status).toBe(404);
    // A program renamed .pdf: the form again with the text as typed and the file named; nothing written.
    const program = await send('Voici notre CCTP.', [{ name: 'CCTP.pdf', content: sampleExe() }]);
    expect(program.status).toBe(415);
    const programHtml = await program.text();
    expect(programHtml).toContain('« CCTP.pdf »');
    expect(programHtml).toContain('Voici notre CCTP.</textarea>');
    // The summary leads to the file chooser itself, which says which types it takes.
    expect(programHtml).toContain('<a href="#f-fichiers">');
    expect(programHtml).toContain('fr-upload-group--error');
    expect(programHtml).toMatch(/<input class="fr-upload" type="file" id="f-fichiers" name="fichiers" multiple accept="\.pdf,[^"]*\.docx/);
    // Marked invalid, as text fields in error are (RGAA 11.10).
    expect(programHtml).toContain('aria-invalid="true" aria-describedby="f-fichiers-error"');
    const big = await send('Voici notre CCTP.', [{ name: 'CCTP.pdf', content: Buffer.alloc(10 * 1024 * 1024 + 1) }]);
    expect(big.status).toBe(413);
    const bigHtml = await big.text();
    expect(bigHtml).toContain('Le fichier « CCTP.pdf » dépasse la taille maximale de 10 Mo.');
    expect(bigHtml).toContain('Voici notre CCTP.</textarea>');
    // The text missing beside a good file: the file is asked for again (a browser does not keep it).
    const noText = await send(' ', [{ name: 'CCTP.pdf', content: samplePdf() }]);
    expect(noText.status).toBe(400);
    expect(await noText.text()).toContain('Choisissez de nouveau votre fichier (CCTP.pdf)');
    expect(await stored()).toEqual([]);
    expect(await state(request)).toEqual({ status: 'awaiting_buyer', close_reason: null });

    for (let i = 0; i < 2; i++) expect((await send('Voici notre CCTP.', [{ name: 'CCTP.pdf', content: samplePdf() }])).status).toBe(303);
    const files = await stored();
    expect(files).toEqual([{ id: expect.any(String), file_name: 'CCTP.pdf', uploaded_by_type: 'buyer', kind: 'buyer_clarification' }]);
    expect(await state(request)).toEqual({ status: 'in_progress', close_reason: null });
    const mails = await mailsTo(t, 'facilitator-buyer-message');
    expect(mails).toHaveLength(1);
    expect(mails[0].text_body).toContain('Fichier joint, à télécharger depuis votre espace : CCTP.pdf.');

    // The buyer finds it under their precision; the facilitator on the request's page.
    const path = `/suivi/${request.reference}/pieces-jointes/${files[0].id}`;
    expect(await (await page(request)).text()).toContain(`href="${path}?t=${encodeURIComponent(request.token)}"`);
    const mine = await fetch(`${t.url}${path}?t=${encodeURIComponent(request.token)}`);
    expect(mine.status).toBe(200);
    expect(Buffer.from(await mine.arrayBuffer())).toEqual(samplePdf());
    const facilitator = await insertStaff(t.dataSource, {
      role: 'facilitator',
      facilitatorId: request.facilitatorId,
      networks: ['aura-ee'],
    });
    const client = new StaffClient(t.url);
    expect((await client.signIn(facilitator.email)).status).toBe(303);
    expect(await (await client.get(`/espace/demandes/${request.reference}`)).text()).toContain('CCTP.pdf</a> (PDF');
    const theirs = await client.get(`/espace/demandes/${request.reference}/pieces-jointes/${files[0].id}`);
    expect(theirs.status).toBe(200);
    expect(Buffer.from(await theirs.arrayBuffer())).toEqual(samplePdf());
  });

  it('API: an information with files as multipart (the same checks), text alone as JSON; any other body is a 415', async () => {
    const request = await submittedAndTaken(t, 9);
    const multipart = (files: Array<{ name: string; content: Buffer }>) => {
      const form = new FormData();
      form.append('message', 'Notre CCTP actuel, pour comparer.');
      for (const file of files) form.append('fichiers', new Blob([new Uint8Array(file.content)]), file.name);
      return fetch(`${t.url}/api/v1/requests/${request.reference}/information`, {
        method: 'POST',
        headers: { 'x-tracking-token': request.token, 'idempotency-key': 'cctp-envoi-1' },
        body: form,
      });
    };
    const program = await multipart([{ name: 'cctp.pdf', content: sampleExe() }]);
    expect(program.status).toBe(415);
    expect((await program.json()).errors).toEqual([{ field: 'fichiers', message: expect.stringContaining('« cctp.pdf »') }]);
    const sent = await multipart([{ name: 'cctp.pdf', content: samplePdf() }]);
    expect(sent.status).toBe(200);
    const [message] = (await sent.json()).conversation.filter((m: { fromBuyer: boolean }) => m.fromBuyer);
    expect(message.files).toEqual([expect.objectContaining({ fileName: 'cctp.pdf', mediaType: 'application/pdf' })]);
    expect((await multipart([{ name: 'cctp.pdf', content: samplePdf() }])).status).toBe(200);
    const [{ files }] = await t.dataSource.query(`SELECT count(*)::int AS files FROM attachments WHERE request_id = $1`, [request.id]);
    expect(files).toBe(1);
    const text = await fetch(`${t.url}/api/v1/requests/${request.reference}/information`, {
      method: 'POST',
      headers: { 'x-tracking-token': request.token, 'content-type': 'text/plain' },
      body: 'message=x',
    });
    expect(text.status).toBe(415);
  });

  it('takes at most five added informations an hour (each e-mails the facilitator): the sixth waits, said on the form and by the API', async () => {
    const request = await submittedAndTaken(t, 8, { email: 'sacha@example.org' });
    for (let i = 1; i <= 5; i++) expect((await api(request, 'information', { message: `Détail numéro ${i} du lot.` })).status).toBe(200);
    const limited = await api(request, 'information', { message: 'Détail numéro 6 du lot.' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(3000);
    const message =
      'Vous avez déjà ajouté 5 informations dans l’heure, que le guichet a reçues : pour en ajouter une autre, attendez 60 minutes, ou regroupez-les.';
    expect((await limited.json()).errors).toEqual([{ field: 'message', message }]);
    const form = await postForm(request, 'information', { t: request.token, formToken: 'jeton-du-formulaire-6', message: 'Détail 6.' });
    expect(form.status).toBe(429);
    const html = await form.text();
    expect(html).toContain(message);
    expect(html).toContain('Détail 6.');
    expect(await mailsTo(t, 'facilitator-buyer-message')).toHaveLength(5);
    // An hour on, one more goes.
    await t.dataSource.query(`UPDATE request_messages SET created_at = created_at - interval '61 minutes' WHERE request_id = $1`, [
      request.id,
    ]);
    expect((await api(request, 'information', { message: 'Détail numéro 6 du lot.' })).status).toBe(200);
  });

  it('API: a message sent again under its Idempotency-Key is stored, recorded and e-mailed once; another text under it is a 422', async () => {
    const request = await submittedAndTaken(t, 9, { email: 'camille.f@example.org' });
    const detail = 'Le lot 2 comprend aussi les serviettes.';
    const keyed = (message: string, key: string) => api(request, 'information', { message }, request.token, { 'idempotency-key': key });
    for (let i = 0; i < 3; i++) {
      const sent = await keyed(detail, 'info-2026-0001');
      expect(sent.status).toBe(200);
      // The retries say they found the message stored, as the intake's replays do.
      expect(sent.headers.get('idempotent-replayed')).toBe(i === 0 ? null : 'true');
      expect((await sent.json()).conversation).toHaveLength(1);
    }
    const reused = await keyed('Un tout autre texte.', 'info-2026-0001');
    expect(reused.status).toBe(422);
    expect(await reused.json()).toEqual(
      expect.objectContaining({
        code: 'idempotency_key_reused',
        errors: [{ field: 'Idempotency-Key', message: 'Clé déjà utilisée avec un contenu différent.' }],
      }),
    );
    const badKey = await keyed(detail, 'court');
    expect(badKey.status).toBe(400);
    expect((await badKey.json()).errors).toEqual([
      { field: 'Idempotency-Key', message: 'La clé d’idempotence fait de 8 à 200 caractères visibles, sans espace.' },
    ]);
    // Another key is another message, as is a call without one.
    expect((await keyed(detail, 'info-2026-0002')).status).toBe(200);
    expect(
      await t.dataSource.query(`SELECT body FROM request_messages WHERE request_id = $1 AND author_type = 'buyer'`, [request.id]),
    ).toEqual([{ body: detail }, { body: detail }]);
    expect((await buyerEvents(request)).filter((e: { type: string }) => e.type === 'buyer_added_information')).toHaveLength(2);
    expect(await mailsTo(t, 'facilitator-buyer-message')).toHaveLength(2);

    // A withdrawal's reason is one of the list's codes: free text is refused, and nothing is closed.
    const withReason = await api(request, 'withdrawal', { reason: 'Plus besoin' });
    expect(withReason.status).toBe(400);
    expect((await withReason.json()).errors).toEqual([{ field: 'reason', message: 'Choisissez une raison de la liste, ou aucune.' }]);
    expect(await state(request)).toEqual({ status: 'in_progress', close_reason: null });
    expect((await api(request, 'withdrawal')).status).toBe(200);
  });

  it('answers the same 404 to a wrong token on every route, page and API, and changes nothing', async () => {
    const request = await submittedAndTaken(t, 6);
    await staffWrites(t, request, 'clarification_question', 'Une question ?');
    const wrong = 'x'.repeat(43);
    const pages = [
      () => page(request, wrong),
      () => fetch(`${t.url}/suivi/${request.reference}/retrait?t=${wrong}`),
      () => postForm(request, 'precision', { t: wrong, message: 'Bonjour' }),
      () => postForm(request, 'reponse', { t: wrong, message: 'Bonjour' }),
      () => postForm(request, 'information', { t: wrong, message: 'Bonjour' }),
      () => postForm(request, 'retrait', { t: wrong }),
      () => postForm(request, 'resolue', { t: wrong }),
      () => postForm(request, 'precision', { message: 'Bonjour' }),
      () =>
        fetch(`${t.url}/suivi/GV-1999-000000/precision`, {
          method: 'POST',
          body: new URLSearchParams({ t: request.token, message: 'Bonjour' }),
        }),
    ];
    for (const call of pages) {
      const response = await call();
      expect(response.status).toBe(404);
      const html = await response.text();
      expect(html).toContain('Page introuvable');
      expect(html).toContain('href="/suivi">Retrouver mes demandes</a>');
    }
    // Each with the body it takes, or one it would refuse (a field it does not take, a text body): the token comes first.
    const bodies = {
      clarification: { message: 'Bonjour' },
      replies: { message: 'Bonjour' },
      information: { message: 'Bonjour' },
      withdrawal: {},
      resolution: {},
    };
    for (const [action, body] of Object.entries(bodies)) {
      for (const sent of [
        api(request, action, body, wrong),
        api(request, action, { ...body, unknownField: 1 }, wrong),
        fetch(`${t.url}/api/v1/requests/${request.reference}/${action}`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain', 'x-tracking-token': wrong },
          body: 'Bonjour',
        }),
      ]) {
        const response = await sent;
        expect(response.status).toBe(404);
        expect((await response.json()).code).toBe('not_found');
      }
    }
    expect(await state(request)).toEqual({ status: 'awaiting_buyer', close_reason: null });
  });
});
