import { submittedAndTaken, TrackedTestRequest } from '../support/conversation';
import { bearerFor, csrfIn, insertStaff, StaffClient } from '../support/staff';
import { insertCompletedSurvey } from '../support/survey-seeds';
import { closedAsAnswered } from '../support/surveys';
import { TestApp, useTestApp } from '../support/test-app';

describe('erasure on the buyer’s request', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app));

  const page = (reference: string) => `/espace/demandes/${reference}`;
  const tracking = (request: TrackedTestRequest) =>
    fetch(`${t.url}/api/v1/requests/${request.reference}`, { headers: { 'X-Tracking-Token': request.token } });
  async function signedIn(seed: Parameters<typeof insertStaff>[1]): Promise<{ client: StaffClient; id: string }> {
    const client = new StaffClient(t.url);
    const { id, email } = await insertStaff(t.dataSource, seed);
    await client.signIn(email);
    return { client, id };
  }
  const erase = async (client: StaffClient, reference: string, form: Record<string, string>) => {
    const csrf = csrfIn(await (await client.get(page(reference))).text());
    return client.post(`${page(reference)}/effacement`, { _csrf: csrf, ...form });
  };

  it('lets the network’s animator erase a closed request’s personal data at once, after a confirmation', async () => {
    const request = await closedAsAnswered(t, 1);
    const { client, id } = await signedIn({ role: 'animator', networks: ['aura-ee'] });
    expect(await (await client.get(page(request.reference))).text()).toContain('Effacer les données personnelles');

    const unconfirmed = await erase(client, request.reference, {});
    expect(unconfirmed.status).toBe(400);
    expect(await unconfirmed.text()).toContain('Cochez la case pour confirmer : l’effacement est définitif.');
    expect((await tracking(request)).status).toBe(200);

    const done = await erase(client, request.reference, { confirm: '1' });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`${page(request.reference)}?fait=effacement`);
    const after = await (await client.get(`${page(request.reference)}?fait=effacement`)).text();
    expect(after).toContain('Les données personnelles de l’acheteur sont effacées.');
    expect(after).toContain('Données personnelles effacées le');
    expect(after).toContain('À la demande de l’acheteur');
    expect(after).not.toContain('mailto:');
    const [row] = await t.dataSource.query(`SELECT buyer_email, question, anonymised_at FROM requests WHERE id = $1`, [request.id]);
    expect(row.buyer_email).toBe('');
    expect(row.question).toBe('');
    expect(row.anonymised_at).not.toBeNull();
    expect(
      await t.dataSource.query(
        `SELECT actor_type, actor_id, reason FROM request_events WHERE request_id = $1 AND type = 'personal_data_erased'`,
        [request.id],
      ),
    ).toEqual([{ actor_type: 'staff', actor_id: id, reason: 'buyer_request' }]);
    expect((await tracking(request)).status).toBe(410);
    // Lists and the evaluation say the data are gone, rather than showing blanks.
    const closedList = await (await client.get('/espace?status=closed')).text();
    expect(closedList).toContain(request.reference);
    expect(closedList).toContain('données personnelles effacées');
    // An evaluation answered before the erasure stands in for the scheduled one.
    await t.dataSource.query(`DELETE FROM surveys WHERE request_id = $1`, [request.id]);
    const evaluationId = await insertCompletedSurvey(t.dataSource, request.id);
    const evaluation = await (await client.get(`/espace/evaluations/${evaluationId}`)).text();
    expect(evaluation).toContain('données personnelles effacées le');
    expect(evaluation).toContain('La question a été effacée avec les données personnelles de l’acheteur.');

    // Once is enough: a second form posted from an old page is told, nothing is written again.
    const again = await client.post(`${page(request.reference)}/effacement`, { _csrf: csrfIn(after), confirm: '1' });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('Les données personnelles de cette demande sont déjà effacées.');
  });

  it('is refused while the request is open, and does not exist for the facilitator or another network', async () => {
    const open = await submittedAndTaken(t, 2);
    const admin = await bearerFor(t, { role: 'admin' });
    const call = (reference: string, authorization: string, body: unknown) =>
      fetch(`${t.url}/api/v1/staff/requests/${reference}/erase-personal-data`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const refused = await call(open.reference, admin, { confirm: true });
    expect(refused.status).toBe(409);
    const refusal = 'Clôturez d’abord la demande : ses données personnelles servent encore à y répondre.';
    // Named as every refused move is, beside the action.
    expect(await refused.json()).toMatchObject({ message: refusal, errors: [{ field: 'action', message: refusal }] });
    expect((await tracking(open)).status).toBe(200);

    const closed = await closedAsAnswered(t, 3);
    // The facilitator who answered and closed it, with the account closeAs gave them.
    const holder = new StaffClient(t.url);
    const [{ email }] = await t.dataSource.query(`SELECT email FROM staff_users WHERE facilitator_id = $1`, [closed.facilitatorId]);
    await holder.signIn(email);
    const holderPage = await holder.get(page(closed.reference));
    expect(holderPage.status).toBe(200);
    const holderHtml = await holderPage.text();
    expect(holderHtml).toContain('Voici la réponse.');
    expect(holderHtml).not.toContain('Effacer les données personnelles');
    expect((await erase(holder, closed.reference, { confirm: '1' })).status).toBe(404);
    const elsewhere = await bearerFor(t, { role: 'animator', networks: ['reseco'] });
    expect((await call(closed.reference, elsewhere, { confirm: true })).status).toBe(404);
    expect((await tracking(closed)).status).toBe(200);

    const missingConfirmation = await call(closed.reference, admin, {});
    expect(missingConfirmation.status).toBe(400);
    expect((await missingConfirmation.json()).errors).toEqual([
      { field: 'confirm', message: 'Cochez la case pour confirmer : l’effacement est définitif.' },
    ]);
    const erased = await call(closed.reference, admin, { confirm: true });
    expect(erased.status).toBe(200);
    expect(await erased.json()).toMatchObject({ reference: closed.reference, status: 'closed' });
    expect((await tracking(closed)).status).toBe(410);
  });

  it('takes no more notes, on the request or on its evaluation: no sweep would ever reach a person’s words written then', async () => {
    const request = await closedAsAnswered(t, 4);
    // An answered evaluation in place of the one the closure scheduled.
    await t.dataSource.query(`DELETE FROM surveys WHERE request_id = $1`, [request.id]);
    const evaluationId = await insertCompletedSurvey(t.dataSource, request.id);
    const { client } = await signedIn({ role: 'animator', networks: ['aura-ee'] });
    expect(await (await client.get(page(request.reference))).text()).toContain('Ajouter une note interne');
    const staleCsrf = csrfIn(await (await client.get(page(request.reference))).text());
    expect((await erase(client, request.reference, { confirm: '1' })).status).toBe(303);

    const html = await (await client.get(page(request.reference))).text();
    expect(html).not.toContain('Ajouter une note interne');
    const refusal = 'Les données de cette demande sont effacées : aucune note ne peut plus y être ajoutée.';
    const fromOldPage = await client.post(`${page(request.reference)}/notes`, { _csrf: staleCsrf, body: 'Mme Zorglub a rappelé.' });
    expect(fromOldPage.status).toBe(409);
    expect(await fromOldPage.text()).toContain(refusal);
    const animator = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    const post = (path: string, body: unknown) =>
      fetch(`${t.url}/api/v1/staff/${path}`, {
        method: 'POST',
        headers: { authorization: animator, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const byApi = await post(`requests/${request.reference}/notes`, { body: 'zorglub@example.org' });
    expect(byApi.status).toBe(409);
    expect(await byApi.json()).toMatchObject({ message: refusal });
    expect(
      await t.dataSource.query(`SELECT id FROM request_messages WHERE request_id = $1 AND kind = 'internal_note'`, [request.id]),
    ).toEqual([]);

    const evaluationPage = await (await client.get(`/espace/evaluations/${evaluationId}`)).text();
    expect(evaluationPage).toContain('Les données de cette demande sont effacées : la revue s’enregistre sans note.');
    expect(evaluationPage).not.toContain('name="note"');
    const withNote = await post(`evaluations/${evaluationId}/review`, { note: 'Mme Zorglub très contente' });
    expect(withNote.status).toBe(400);
    expect((await withNote.json()).errors).toEqual([
      { field: 'note', message: 'Les données de cette demande sont effacées : la revue s’enregistre sans note.' },
    ]);
    expect((await post(`evaluations/${evaluationId}/review`, {})).status).toBe(200);
    expect(
      await t.dataSource.query(`SELECT review_note, reviewed_at IS NOT NULL AS reviewed FROM surveys WHERE id = $1`, [evaluationId]),
    ).toEqual([{ review_note: null, reviewed: true }]);
  });
});
