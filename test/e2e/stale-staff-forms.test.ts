import { insertFacilitator } from '../support/facilitators';
import { sentMailFile, staffWrites, submittedAndTaken } from '../support/conversation';
import { bearerFor, csrfIn, hiddenField, pageFormOf, signedInAccount, signedInStaff, StaffClient, StaffSeed } from '../support/staff';
import { bodyOf, routingSettled, submitRequest, TestApp, useTestApp, waitFor } from '../support/test-app';

const occurrences = (html: string, text: string) => html.split(text).length - 1;

/** A 409 `changed_meanwhile` to one who no longer sees the request: the latest change in `message`, no state now. */
async function toldOutOfSight(refused: Response, message: string) {
  expect(refused.status).toBe(409);
  const error = await refused.json();
  expect(error).toMatchObject({ code: 'changed_meanwhile', message });
  expect(error.seenState).toBeUndefined();
  return error;
}

describe('staff forms opened before a colleague changed the request: close, transfer, reassign (worker running)', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app), {}, { api: true, worker: true });

  const requestRow = async (reference: string) =>
    (
      await t.dataSource.query(
        `SELECT id, status, kind, close_reason AS "closeReason", assigned_facilitator_id AS holder FROM requests WHERE reference = $1`,
        [reference],
      )
    )[0];

  /** An animator of the request's network, signed in, named as the refusals will name them. */
  async function animator(firstName: string, lastName: string): Promise<StaffClient> {
    return (await signedInAccount(t, { role: 'animator', networks: ['aura-ee'] }, { firstName, lastName })).client;
  }

  it('refuses a closure decided on a page opened before the answer, and no longer offers « Retirée par l’acheteur » once answered', async () => {
    const request = await submittedAndTaken(t, 1, { firstName: 'Alex' });
    const page = `/espace/demandes/${request.reference}`;
    const sacha = await animator('Sacha', 'Martin');
    const stale = await pageFormOf(sacha, page, `${page}/cloture`);
    expect(stale.seenState).toBe(`in_progress:environmental:${request.facilitatorId}:1`);
    expect(await (await sacha.get(page)).text()).toContain('value="withdrawn"');

    await staffWrites(t, request, 'answer', 'Voici notre réponse.');
    // A field's error first (a duplicate says which request goes on): the form comes back still checked against what it read.
    const incomplete = await sacha.post(`${page}/cloture`, { ...stale, reason: 'duplicate' });
    expect(incomplete.status).toBe(400);
    const incompleteHtml = await incomplete.text();
    const sentBack = incompleteHtml.slice(incompleteHtml.indexOf(`action="${page}/cloture"`));
    expect(hiddenField(sentBack, 'seenState')).toBe(stale.seenState);
    const refused = await sacha.post(`${page}/cloture`, {
      _csrf: csrfIn(incompleteHtml),
      formToken: hiddenField(sentBack, 'formToken'),
      seenState: hiddenField(sentBack, 'seenState'),
      reason: 'withdrawn',
      message: 'Il nous a écrit qu’il renonce.',
    });
    expect(refused.status).toBe(409);
    const html = await refused.text();
    expect(html).toContain('Entre-temps, Alex Test a envoyé la réponse à l’acheteur : rien n’a été enregistré.');
    expect(html).toContain('Elle est maintenant « Réponse envoyée » (et non plus « En cours de traitement »)');
    // Said once, with what was typed given back, on the fresh page whose form offers the closure again.
    expect(occurrences(html, 'Entre-temps')).toBe(1);
    expect(html).toContain('Relisez-la ci-dessous, puis recommencez si c’est toujours utile.');
    expect(html).toContain('Il nous a écrit qu’il renonce.');
    expect(hiddenField(html.slice(html.indexOf('/cloture"')), 'seenState')).toBe(`answered:environmental:${request.facilitatorId}:1`);
    expect(await requestRow(request.reference)).toMatchObject({ status: 'answered', closeReason: null });

    // Answered, a withdrawal is no longer staff's to record (the buyer says it is resolved, or lets it close).
    expect(html).not.toContain('value="withdrawn"');
    const fresh = await pageFormOf(sacha, page, `${page}/cloture`);
    const withdrawn = await sacha.post(`${page}/cloture`, { ...fresh, reason: 'withdrawn' });
    expect(withdrawn.status).toBe(409);
    expect(await withdrawn.text()).toContain(
      'Une demande « Réponse envoyée » ne peut pas être clôturée avec le motif « Retirée par l’acheteur »',
    );
    expect(await requestRow(request.reference)).toMatchObject({ status: 'answered', closeReason: null });
    const closedNow = await sacha.post(`${page}/cloture`, { ...(await pageFormOf(sacha, page, `${page}/cloture`)), reason: 'answered' });
    expect(closedNow.status).toBe(303);
    expect(await requestRow(request.reference)).toMatchObject({ status: 'closed', closeReason: 'answered' });
  });

  it('lets API clients send the state they read with a closure: checked when sent, not when absent', async () => {
    const request = await submittedAndTaken(t, 2);
    const token = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    const api = (path: string, body?: unknown) =>
      fetch(`${t.url}/api/v1/staff/requests/${request.reference}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: token, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const { seenState } = await bodyOf(api(''));
    expect(seenState).toBe(`in_progress:environmental:${request.facilitatorId}:1`);
    await staffWrites(t, request, 'answer', 'Voici notre réponse.');
    const stale = await api('/close', { reason: 'duplicate', message: 'Voir GV-2026-000001', seenState });
    expect(stale.status).toBe(409);
    const refusal = await stale.json();
    expect(refusal.message).toContain('Entre-temps, Dominique Test a envoyé la réponse à l’acheteur');
    // No page under it: nothing « ci-dessous » to re-read.
    expect(refusal.message).not.toContain('ci-dessous');
    // Its own code (not an « action impossible »), and the state now, to retry knowingly.
    expect(refusal).toMatchObject({ code: 'changed_meanwhile', seenState: `answered:environmental:${request.facilitatorId}:1` });
    expect(refusal.seenState).toBe((await bodyOf(api(''))).seenState);
    const malformed = await api('/close', { reason: 'duplicate', message: 'Voir GV-2026-000001', seenState: 'ouverte' });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).errors).toEqual([{ field: 'seenState', message: expect.stringContaining('seenState') }]);
    // Empty or null is a client that lost what it read, not one that asks for no check: refused, nothing closed.
    for (const lost of ['', null]) {
      const refused = await api('/close', { reason: 'duplicate', message: 'Voir GV-2026-000001', seenState: lost });
      expect([lost, refused.status]).toEqual([lost, 400]);
      expect((await refused.json()).errors).toEqual([{ field: 'seenState', message: expect.stringContaining('omettez ce champ') }]);
    }
    expect((await requestRow(request.reference)).status).toBe('answered');
    // Sent again with the state now, it goes through; as it does without any.
    expect((await api('/close', { reason: 'answered', seenState: refusal.seenState })).status).toBe(200);
    expect((await requestRow(request.reference)).closeReason).toBe('answered');
    const other = await submittedAndTaken(t, 7);
    const unchecked = await fetch(`${t.url}/api/v1/staff/requests/${other.reference}/close`, {
      method: 'POST',
      headers: { authorization: token, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'duplicate', message: 'Voir GV-2026-000001' }),
    });
    expect(unchecked.status).toBe(200);
    // The OpenAPI document says the field exists, is optional and not nullable, and what its 409 says.
    const document = await bodyOf(fetch(`${t.url}/api/docs-json`));
    const paths = document.paths as Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>>;
    for (const action of ['{ref}/transfer', '{ref}/reassign', '{reference}/close', '{reference}/take-charge', '{ref}/take-from-pool']) {
      const operation = paths[`/api/v1/staff/requests/${action}`].post;
      // Inline, or a DTO's schema named by reference.
      const body = JSON.stringify(operation.requestBody ?? null);
      const named = /#\/components\/schemas\/(\w+)/.exec(body)?.[1];
      const schema = named ? JSON.stringify(document.components.schemas[named]) : body;
      expect([action, schema]).toEqual([action, expect.stringContaining('seenState')]);
      expect([action, JSON.stringify(operation.responses['409'])]).toEqual([action, expect.stringContaining('changed_meanwhile')]);
    }
    const closeBody = document.components.schemas.CloseBodyDto;
    expect(JSON.stringify(closeBody)).toContain('seenState');
    expect(closeBody.required).not.toContain('seenState');
    expect(JSON.stringify(closeBody)).not.toContain('nullable');
    const errorBody = document.components.schemas.ErrorResponseDto;
    expect(errorBody.properties.code.enum).toContain('changed_meanwhile');
    expect(Object.keys(errorBody.properties)).toEqual(expect.arrayContaining(Object.keys(refusal)));
  });

  async function heldByAlex(n: number) {
    const alex = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Alex', email: 'alex@example.org' });
    const reference = await submitRequest(t, n);
    await waitFor(async () => (await requestRow(reference)).holder === alex, 10_000, 'routée à Alex');
    const dominique = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Dominique', email: 'dominique@example.org' });
    const claude = await insertFacilitator(t.dataSource, {
      kind: 'social_clause',
      network: 'aura-ee',
      departments: ['38'],
      firstName: 'Claude',
    });
    return { reference, alex, dominique, claude };
  }

  it('refuses a reassignment from a page opened before a colleague’s transfer, saying so once; the holder hears of the transfer', async () => {
    const { reference, alex, dominique, claude } = await heldByAlex(3);
    const reassignPath = `/espace/demandes/${reference}/reaffectation`;
    const transferPath = `/espace/demandes/${reference}/transfert`;
    const annie = await animator('Annie', 'Roux');
    const bea = await animator('Béa', 'Klein');
    const staleReassign = await pageFormOf(annie, reassignPath, reassignPath);
    expect(staleReassign.seenState).toBe(`assigned:environmental:${alex}:1`);

    const transferred = await bea.post(transferPath, {
      ...(await pageFormOf(bea, transferPath, transferPath)),
      reason: 'Clause d’insertion',
    });
    expect(transferred.status).toBe(303);
    // Taken from Alex by someone else: told by the same e-mail as a reassignment, with the reason.
    const toAlex = await sentMailFile(t, 'assignment-withdrawn', 'alex@example.org');
    expect(toAlex).toContain('L’animation du réseau vous a retiré la demande');
    expect(toAlex).toContain('elle la transfère au domaine « Clauses sociales » du guichet, dont un facilitateur la reprendra.');
    expect(toAlex).toContain('Clause d’insertion');

    await waitFor(async () => (await requestRow(reference)).holder === claude, 10_000, 'routée à Claude');
    const refused = await annie.post(reassignPath, { ...staleReassign, facilitatorId: dominique, reason: 'Rééquilibrage de la charge' });
    expect(refused.status).toBe(409);
    const html = await refused.text();
    // Routing placed it meanwhile: said after the transfer that caused it.
    const said =
      'Entre-temps, Béa Klein a transféré cette demande vers « Clauses sociales », puis l’attribution automatique l’a confiée à Claude Test : rien n’a été enregistré.';
    expect(html).toContain(said);
    expect(occurrences(html, 'Entre-temps')).toBe(1);
    expect(html).toContain('Rééquilibrage de la charge');
    // The fresh page: its current state, and a new seen state to do it again from.
    expect(html).toContain('Type : Clauses sociales');
    expect(hiddenField(html, 'seenState')).not.toBe(staleReassign.seenState);
    // Dominique was given nothing, told nothing.
    expect(await t.dataSource.query(`SELECT 1 FROM mail_messages WHERE recipient = 'dominique@example.org'`)).toEqual([]);
    expect((await requestRow(reference)).holder).not.toBe(dominique);
  });

  it('refuses a transfer from a page opened before the request went to a colleague and back: held again is not as it was seen', async () => {
    const { reference, alex, dominique } = await heldByAlex(27);
    const transferPath = `/espace/demandes/${reference}/transfert`;
    const bea = await animator('Béa', 'Klein');
    const staleTransfer = await pageFormOf(bea, transferPath, transferPath);
    const annie = await namedToken({ role: 'animator', networks: ['aura-ee'] }, 'Annie', 'Roux');
    for (const facilitatorId of [dominique, alex]) {
      expect((await apiOn(reference)(annie, '/reassign', { facilitatorId, reason: 'Rééquilibrage' })).status).toBe(200);
    }
    const refused = await bea.post(transferPath, { ...staleTransfer, reason: 'Clause d’insertion' });
    expect(refused.status).toBe(409);
    const html = await refused.text();
    expect(html).toContain(
      'Entre-temps, Annie Roux a confié cette demande à Alex Test : rien n’a été enregistré. Elle est maintenant de nouveau confiée à Alex Test.',
    );
    expect(html).toContain('Clause d’insertion');
    expect(hiddenField(html, 'seenState')).toBe(`assigned:environmental:${alex}:3`);
    expect(await requestRow(reference)).toMatchObject({ kind: 'environmental', holder: alex });
  });

  it('shows a refusal on the reassignment form once, even from a form that says nothing of what it saw', async () => {
    const { reference, dominique } = await heldByAlex(4);
    const reassignPath = `/espace/demandes/${reference}/reaffectation`;
    const annie = await animator('Annie', 'Roux');
    const { seenState: _seen, ...oldForm } = await pageFormOf(annie, reassignPath, reassignPath);
    await t.dataSource.query(`UPDATE requests SET kind = 'social_clause' WHERE reference = $1`, [reference]);
    const refused = await annie.post(reassignPath, { ...oldForm, facilitatorId: dominique, reason: 'Rééquilibrage' });
    expect(refused.status).toBe(409);
    const html = await refused.text();
    expect(occurrences(html, 'Ce facilitateur ne traite pas ce type de demande.')).toBe(1);
  });

  it('refuses a transfer from a page opened before a colleague’s reassignment, which it would have wiped', async () => {
    const { reference, alex, dominique } = await heldByAlex(5);
    const reassignPath = `/espace/demandes/${reference}/reaffectation`;
    const transferPath = `/espace/demandes/${reference}/transfert`;
    const annie = await animator('Annie', 'Roux');
    const bea = await animator('Béa', 'Klein');
    const staleTransfer = await pageFormOf(bea, transferPath, transferPath);
    expect(staleTransfer.seenState).toBe(`assigned:environmental:${alex}:1`);

    const reassigned = await annie.post(reassignPath, {
      ...(await pageFormOf(annie, reassignPath, reassignPath)),
      facilitatorId: dominique,
      reason: 'Rééquilibrage',
    });
    expect(reassigned.status).toBe(303);
    // Sent first with no reason: the form comes back (400) still checked against what it read, lest the next send
    // wipe the reassignment after all.
    const noReason = await bea.post(transferPath, { ...staleTransfer, reason: '' });
    expect(noReason.status).toBe(400);
    const again = await noReason.text();
    expect(hiddenField(again, 'seenState')).toBe(staleTransfer.seenState);
    const refused = await bea.post(transferPath, {
      _csrf: csrfIn(again),
      formToken: hiddenField(again, 'formToken'),
      seenState: hiddenField(again, 'seenState'),
      reason: 'Clause d’insertion',
    });
    expect(refused.status).toBe(409);
    const html = await refused.text();
    expect(html).toContain('Entre-temps, Annie Roux a confié cette demande à Dominique Test : rien n’a été enregistré.');
    expect(html).toContain('confiée à Dominique Test (et non plus à Alex Test)');
    expect(occurrences(html, 'Entre-temps')).toBe(1);
    expect(html).toContain('Facilitateur : Dominique Test');
    expect(html).toContain('Clause d’insertion');
    expect(await requestRow(reference)).toMatchObject({ kind: 'environmental', holder: dominique });
    // Done again from the fresh page, it goes through.
    expect(
      (await bea.post(transferPath, { _csrf: csrfIn(html), seenState: hiddenField(html, 'seenState'), reason: 'Clause d’insertion' }))
        .status,
    ).toBe(303);
    expect((await requestRow(reference)).kind).toBe('social_clause');
    expect(await sentMailFile(t, 'assignment-withdrawn', 'dominique@example.org')).toContain(
      'elle la transfère au domaine « Clauses sociales »',
    );
  });
  /** A bearer token for staff named as the refusals will name them. */
  async function namedToken(seed: StaffSeed, firstName: string, lastName: string): Promise<string> {
    const email = `${firstName.toLowerCase()}.${lastName.toLowerCase()}@example.org`;
    const token = await bearerFor(t, { ...seed, email });
    await t.dataSource.query(`UPDATE staff_users SET first_name = $2, last_name = $3 WHERE email = $1`, [email, firstName, lastName]);
    return token;
  }

  /** The staff API on one request: a GET without a body, a POST with JSON. */
  const apiOn =
    (reference: string) =>
    (token: string, path: string, body?: unknown): Promise<Response> =>
      fetch(`${t.url}/api/v1/staff/requests/${reference}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: token, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });

  it('tells the facilitator who held a request when they read it that it was given to a colleague since (409), and nobody else', async () => {
    const request = await submittedAndTaken(t, 8, { firstName: 'Alex' });
    const api = apiOn(request.reference);
    const alex = await bearerFor(t, { role: 'facilitator', facilitatorId: request.facilitatorId, networks: ['aura-ee'] });
    const annie = await namedToken({ role: 'animator', networks: ['aura-ee'] }, 'Annie', 'Roux');
    const dominique = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Dominique', email: 'dominique@example.org' });
    const { seenState } = await bodyOf(api(alex, ''));
    expect((await api(annie, '/reassign', { facilitatorId: dominique, reason: 'Rééquilibrage' })).status).toBe(200);

    for (const [path, body] of [
      ['/close', { reason: 'duplicate', message: 'Voir GV-2026-000001', seenState }],
      ['/transfer', { reason: 'Clause d’insertion', seenState }],
    ] as const) {
      const refused = await api(alex, path, body);
      expect([path, refused.status]).toEqual([path, 409]);
      const error = await refused.json();
      // Who took it from them, not where it is now: no state to send back (it would meet a 404), no new holder.
      expect(error).toEqual({
        statusCode: 409,
        code: 'changed_meanwhile',
        message:
          'Entre-temps, Annie Roux a confié cette demande à un autre facilitateur : rien n’a été enregistré. Elle ne vous est plus confiée.',
        errors: [expect.objectContaining({ field: 'action' })],
      });
    }
    // Saying nothing of what they saw, they learn nothing: it is no longer theirs to see.
    expect((await api(alex, '/close', { reason: 'duplicate', message: 'Voir GV-2026-000001' })).status).toBe(404);
    // Nor does anyone who never held it, whatever state they send: Alex's, their own as its holder, the pool's.
    const claude = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Claude' });
    const claudeToken = await bearerFor(t, { role: 'facilitator', facilitatorId: claude, networks: ['aura-ee'] });
    for (const forged of [seenState, `in_progress:environmental:${claude}`, 'unassigned:environmental:']) {
      const refused = await api(claudeToken, '/close', { reason: 'duplicate', message: 'Voir GV-2026-000001', seenState: forged });
      expect([forged, refused.status]).toEqual([forged, 404]);
      expect(JSON.stringify(await refused.json())).not.toContain('Dominique');
    }
    expect(await requestRow(request.reference)).toMatchObject({ status: 'assigned', holder: dominique, closeReason: null });
  });

  it('tells it on the error page to the holder whose close or transfer form was opened before a colleague was given the request', async () => {
    const request = await submittedAndTaken(t, 9, { firstName: 'Alex' });
    const page = `/espace/demandes/${request.reference}`;
    const transferPath = `${page}/transfert`;
    const alex = await signedInStaff(t, { role: 'facilitator', facilitatorId: request.facilitatorId, networks: ['aura-ee'] });
    const closeForm = await pageFormOf(alex, page, `${page}/cloture`);
    const transferForm = await pageFormOf(alex, transferPath, transferPath);
    const annie = await namedToken({ role: 'animator', networks: ['aura-ee'] }, 'Annie', 'Roux');
    const dominique = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Dominique', email: 'dominique@example.org' });
    expect((await apiOn(request.reference)(annie, '/reassign', { facilitatorId: dominique, reason: 'Rééquilibrage' })).status).toBe(200);

    for (const [path, form, typed] of [
      [
        `${page}/cloture`,
        { ...closeForm, reason: 'duplicate', message: 'Elle se poursuit sous GV-2026-000001.' },
        'Elle se poursuit sous GV-2026-000001.',
      ],
      [transferPath, { ...transferForm, reason: 'Une clause d’insertion, plutôt.' }, 'Une clause d’insertion, plutôt.'],
    ] as const) {
      const refused = await alex.post(path, form);
      expect([path, refused.status]).toEqual([path, 409]);
      const html = await refused.text();
      expect(html).toContain('Action impossible');
      expect(html).toContain('Entre-temps, Annie Roux a confié cette demande à un autre facilitateur : rien n’a été enregistré.');
      expect(html).not.toContain('Dominique');
      // What they typed, to copy; no request below to re-read.
      expect(html).toContain(typed);
      expect(html).not.toContain('ci-dessous');
    }
    expect(await requestRow(request.reference)).toMatchObject({ kind: 'environmental', holder: dominique, closeReason: null });
  });

  /** How many sessions of the test database wait for a lock. */
  const lockWaits = async () =>
    (await t.dataSource.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).length;

  /**
   * Both sent while the request's row is held: `before` queues for its lock first, then `after`, which read the request
   * as it was before `before` changed it; their answers once the row is let go.
   */
  async function queuedForTheLock(reference: string, before: () => Promise<Response>, after: () => Promise<Response>) {
    const { id } = await requestRow(reference);
    // The answers awaited once the transaction committed (wrapped: returned bare, the transaction would await them).
    const pending = await t.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT 1 FROM requests WHERE id = $1 FOR UPDATE`, [id]);
      const first = before();
      await waitFor(async () => (await lockWaits()) > 0, 10_000, 'premier envoi en attente du verrou');
      const second = after();
      await waitFor(async () => (await lockWaits()) > 1, 10_000, 'second envoi en attente du verrou');
      return { first, second };
    });
    return { before: await pending.first, after: await pending.second };
  }

  /** A request held by Alex, read by them through the API (its seen state), and an animator to give it to a colleague. */
  async function heldByAlexWhoRead(n: number) {
    const held = await heldByAlex(n);
    const api = apiOn(held.reference);
    const alexToken = await bearerFor(t, { role: 'facilitator', facilitatorId: held.alex, networks: ['aura-ee'] });
    const annie = await namedToken({ role: 'animator', networks: ['aura-ee'] }, 'Annie', 'Roux');
    const { seenState } = await bodyOf(api(alexToken, ''));
    return { ...held, api, alexToken, annie, seenState: seenState as string };
  }

  /** Alex's take-charge refused as to one who no longer holds it: Annie's move, not whom she gave it to, no state now. */
  async function toldGivenToAColleague(refused: Response) {
    const error = await toldOutOfSight(
      refused,
      'Entre-temps, Annie Roux a confié cette demande à un autre facilitateur : rien n’a été enregistré. Elle ne vous est plus confiée.',
    );
    expect(JSON.stringify(error)).not.toContain('Dominique');
  }

  /** Alex's `path` sent with `body`, read before Annie gives the request to Dominique and queued behind her for its lock. */
  async function sentWhileGivenToAColleague(held: Awaited<ReturnType<typeof heldByAlexWhoRead>>, path: string, body: object) {
    const { before: reassigned, after } = await queuedForTheLock(
      held.reference,
      () => held.api(held.annie, '/reassign', { facilitatorId: held.dominique, reason: 'Rééquilibrage' }),
      () => held.api(held.alexToken, path, body),
    );
    expect(reassigned.status).toBe(200);
    return after;
  }

  it('takes a seen state with a take-charge: refused with what changed when the request went to a colleague meanwhile', async () => {
    const { reference, dominique, api, alexToken, annie, seenState } = await heldByAlexWhoRead(10);
    expect((await api(annie, '/reassign', { facilitatorId: dominique, reason: 'Rééquilibrage' })).status).toBe(200);
    await toldGivenToAColleague(await api(alexToken, '/take-charge', { seenState }));
    // Without it, the holder's own refusal, as before.
    const unchecked = await api(alexToken, '/take-charge', {});
    expect(unchecked.status).toBe(409);
    expect((await unchecked.json()).code).toBe('conflict');
    const dominiqueToken = await bearerFor(t, { role: 'facilitator', facilitatorId: dominique, networks: ['aura-ee'] });
    expect((await api(dominiqueToken, '/take-charge', { seenState: 'assigned:environmental:' })).status).toBe(409);
    expect((await api(dominiqueToken, '/take-charge', { seenState: `assigned:environmental:${dominique}` })).status).toBe(200);
    expect(await requestRow(reference)).toMatchObject({ status: 'in_progress', holder: dominique });
  });

  it('checks a take-charge’s seen state under the lock it takes the request with: a change committed while it waited refuses it', async () => {
    const { reference, alex } = await heldByAlex(17);
    const alexToken = await bearerFor(t, { role: 'facilitator', facilitatorId: alex, networks: ['aura-ee'] });
    const { seenState } = await bodyOf(apiOn(reference)(alexToken, ''));
    const { id } = await requestRow(reference);
    // The answer awaited once the transaction committed (wrapped: returned bare, the transaction would await it).
    const { pending } = await t.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT 1 FROM requests WHERE id = $1 FOR UPDATE`, [id]);
      const pending = apiOn(reference)(alexToken, '/take-charge', { seenState });
      await waitFor(async () => (await lockWaits()) > 0, 10_000, 'prise en charge en attente du verrou');
      // A colleague's move, committed after the take-charge read the request and before it locked it.
      await manager.query(`UPDATE requests SET kind = 'social_clause' WHERE id = $1`, [id]);
      return { pending };
    });
    const taken = await pending;
    expect(taken.status).toBe(409);
    expect(await taken.json()).toMatchObject({ code: 'changed_meanwhile', seenState: `assigned:social_clause:${alex}:1` });
    expect(await requestRow(reference)).toMatchObject({ status: 'assigned', holder: alex });
  });

  it('tells a take-charge that waited for the lock while the request went to a colleague only what one who no longer holds it may know', async () => {
    const held = await heldByAlexWhoRead(18);
    const { reference, dominique } = held;
    await toldGivenToAColleague(await sentWhileGivenToAColleague(held, '/take-charge', { seenState: held.seenState }));
    expect(await requestRow(reference)).toMatchObject({ status: 'assigned', holder: dominique });
  });

  it('tells a former holder whose take-charge waited for the lock that it is no longer theirs, when the state they send says no more', async () => {
    const held = await heldByAlexWhoRead(19);
    const { reference, alex, dominique } = held;
    // Not the state the reassignment left (another kind): the out-of-sight rule tells nothing, the holder's refusal does.
    const taken = await sentWhileGivenToAColleague(held, '/take-charge', { seenState: `assigned:social_clause:${alex}` });
    expect(taken.status).toBe(409);
    const error = await taken.json();
    expect(error).toMatchObject({ code: 'conflict', message: expect.stringContaining('Cette demande ne vous est plus confiée') });
    expect(JSON.stringify(error)).not.toContain('Dominique');
    expect(await requestRow(reference)).toMatchObject({ status: 'assigned', holder: dominique });
  });

  it('tells a close that waited for the lock while the request went to a colleague only who took it from them', async () => {
    const held = await heldByAlexWhoRead(20);
    const { reference, dominique } = held;
    const closed = sentWhileGivenToAColleague(held, '/close', {
      reason: 'duplicate',
      message: 'Voir GV-2026-000001',
      seenState: held.seenState,
    });
    await toldGivenToAColleague(await closed);
    expect(await requestRow(reference)).toMatchObject({ status: 'assigned', holder: dominique, closeReason: null });
  });

  it.each([
    ['/close', { reason: 'duplicate', message: 'Voir GV-2026-000001' }, 23],
    ['/notes', { body: 'Appeler l’acheteur lundi.' }, 24],
    ['/transfer', { reason: 'Clause d’insertion' }, 27],
    [
      '/split',
      {
        topics: [
          {
            subject: 'Clause d’insertion du lot 2',
            question: 'Quelle part d’heures d’insertion prévoir pour le lot 2, et comment la contrôler pendant l’exécution ?',
            kind: 'environmental',
            segment: 'office_supplies',
          },
        ],
      },
      28,
    ],
  ])(
    'refuses %s sent without a seen state that waited for the lock while the request went to a colleague: no longer theirs, nothing written',
    async (path, body, n) => {
      const held = await heldByAlexWhoRead(n);
      const { reference, dominique } = held;
      const requestsCount = async () => (await t.dataSource.query(`SELECT count(*)::int AS n FROM requests`))[0].n as number;
      const requestsBefore = await requestsCount();
      const refused = await sentWhileGivenToAColleague(held, path, body);
      expect(refused.status).toBe(409);
      const error = await refused.json();
      expect(error).toMatchObject({ code: 'conflict', message: expect.stringContaining('Cette demande ne vous est plus confiée') });
      expect(JSON.stringify(error)).not.toContain('Dominique');
      expect(await requestRow(reference)).toMatchObject({
        kind: 'environmental',
        status: 'assigned',
        holder: dominique,
        closeReason: null,
      });
      expect(await requestsCount()).toBe(requestsBefore);
      const { id } = await requestRow(reference);
      const notes = await t.dataSource.query(`SELECT 1 FROM request_messages WHERE request_id = $1 AND kind = 'internal_note'`, [id]);
      expect(notes).toHaveLength(0);
    },
  );

  it('refuses a transfer that waited for the lock while the request went to a colleague, even sent with the state it then finds', async () => {
    const held = await heldByAlexWhoRead(22);
    const { reference, dominique } = held;
    // The state under the lock matches, but it is no longer Alex's to act on: refused all the same, not carried out.
    const transferred = await sentWhileGivenToAColleague(held, '/transfer', {
      reason: 'Clause d’insertion',
      seenState: `assigned:environmental:${dominique}`,
    });
    expect(transferred.status).toBe(409);
    const said = await transferred.text();
    expect(said).toContain('Cette demande ne vous est plus confiée');
    expect(said).not.toMatch(/Dominique|Entre-temps/);
    expect(await requestRow(reference)).toMatchObject({ kind: 'environmental', status: 'assigned', holder: dominique });
  });

  it('takes a seen state with a take from the pool: one who saw it there is told it was taken, not by whom (they hold it now); anyone else learns nothing', async () => {
    const reference = await submitRequest(t, 11);
    await waitFor(async () => (await requestRow(reference)).status === 'unassigned', 10_000, 'mise en réserve');
    const api = apiOn(reference);
    const alex = await bearerFor(t, {
      role: 'facilitator',
      facilitatorId: await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Alex' }),
      networks: ['aura-ee'],
    });
    const claude = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Claude' });
    const claudeToken = await namedToken({ role: 'facilitator', facilitatorId: claude, networks: ['aura-ee'] }, 'Claude', 'Test');
    const { seenState } = await bodyOf(api(alex, ''));
    expect(seenState).toBe('unassigned:environmental::0');
    expect((await api(claudeToken, '/take-from-pool', { seenState })).status).toBe(200);

    await toldOutOfSight(
      await api(alex, '/take-from-pool', { seenState }),
      'Entre-temps, un autre facilitateur a pris cette demande dans la réserve : rien n’a été enregistré. Elle n’est plus dans la réserve du réseau.',
    );
    expect((await api(alex, '/take-from-pool', {})).status).toBe(404);
    // Another network's facilitator never saw it in their pool.
    const elsewhere = await bearerFor(t, {
      role: 'facilitator',
      facilitatorId: await insertFacilitator(t.dataSource, { network: 'reseco' }),
      networks: ['reseco'],
    });
    expect((await api(elsewhere, '/take-from-pool', { seenState })).status).toBe(404);
    expect(await requestRow(reference)).toMatchObject({ status: 'assigned', holder: claude });
  });

  /** A request of aura-ee's pool (nobody to route it to), and a facilitator of that network who sees it there. */
  async function pooledAndSeen(n: number) {
    const reference = await submitRequest(t, n);
    await waitFor(async () => (await requestRow(reference)).status === 'unassigned', 10_000, 'mise en réserve');
    const alex = await bearerFor(t, {
      role: 'facilitator',
      facilitatorId: await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Alex' }),
      networks: ['aura-ee'],
    });
    const { seenState } = await bodyOf(apiOn(reference)(alex, ''));
    expect(seenState).toBe('unassigned:environmental::0');
    const claude = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Claude' });
    const claudeToken = await namedToken({ role: 'facilitator', facilitatorId: claude, networks: ['aura-ee'] }, 'Claude', 'Test');
    return { reference, alex, seenState, claude, claudeToken };
  }

  it('answers a take from the pool sent twice by the one who took it (a double click, a retry) as done, even queued behind the first', async () => {
    const { reference, claude, claudeToken, seenState } = await pooledAndSeen(25);
    const { before: first, after: second } = await queuedForTheLock(
      reference,
      () => apiOn(reference)(claudeToken, '/take-from-pool', { seenState }),
      () => apiOn(reference)(claudeToken, '/take-from-pool', { seenState }),
    );
    const done = { reference, status: 'assigned', facilitatorId: claude };
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(await first.json()).toEqual(done);
    expect(await second.json()).toEqual(done);
    const again = await apiOn(reference)(claudeToken, '/take-from-pool', {});
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(done);
    // Taken in charge since: an old pool page is not told it just took it.
    expect((await apiOn(reference)(claudeToken, '/take-charge', {})).status).toBe(200);
    const late = await apiOn(reference)(claudeToken, '/take-from-pool', {});
    expect(late.status).toBe(409);
    expect((await late.json()).message).toBe('Cette demande vous est déjà confiée : elle n’est plus dans la réserve.');
    expect(await requestRow(reference)).toMatchObject({ status: 'in_progress', holder: claude });
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM request_assignments ra JOIN requests r ON r.id = ra.request_id WHERE r.reference = $1`,
      [reference],
    );
    expect(n).toBe(1);
  });

  it('refuses a close sent without a seen state that waited for the lock while the request was put back in the pool: its holder may no longer close it', async () => {
    const held = await heldByAlexWhoRead(26);
    const { id } = await requestRow(held.reference);
    // The answer awaited once the transaction committed (wrapped: returned bare, the transaction would await it).
    const { pending } = await t.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT 1 FROM requests WHERE id = $1 FOR UPDATE`, [id]);
      const pending = held.api(held.alexToken, '/close', { reason: 'duplicate', message: 'Voir GV-2026-000001' });
      await waitFor(async () => (await lockWaits()) > 0, 10_000, 'clôture en attente du verrou');
      // Put back in the network's pool, where Alex still sees it, while the close waited.
      await manager.query(`UPDATE request_assignments SET ended_at = now() WHERE request_id = $1 AND ended_at IS NULL`, [id]);
      await manager.query(`UPDATE requests SET status = 'unassigned', assigned_facilitator_id = NULL WHERE id = $1`, [id]);
      return { pending };
    });
    const closed = await pending;
    expect(closed.status).toBe(409);
    expect(await closed.json()).toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('Cette demande ne vous est plus confiée'),
    });
    expect(await requestRow(held.reference)).toMatchObject({ status: 'unassigned', holder: null, closeReason: null });
  });

  it('tells a take from the pool that waited for the lock while a colleague took the request only that it left the pool, not to whom', async () => {
    const { reference, alex, seenState, claude, claudeToken } = await pooledAndSeen(21);
    const { before: claudeTook, after: alexTook } = await queuedForTheLock(
      reference,
      () => apiOn(reference)(claudeToken, '/take-from-pool', { seenState }),
      () => apiOn(reference)(alex, '/take-from-pool', { seenState }),
    );
    expect(claudeTook.status).toBe(200);
    const error = await toldOutOfSight(
      alexTook,
      'Entre-temps, un autre facilitateur a pris cette demande dans la réserve : rien n’a été enregistré. Elle n’est plus dans la réserve du réseau.',
    );
    expect(JSON.stringify(error)).not.toContain('Claude');
    expect(await requestRow(reference)).toMatchObject({ status: 'assigned', holder: claude });
  });

  it('refuses a take from the pool read before the request left the pool and came back to it, unless its page is from before holdings were said', async () => {
    const { reference, alex, seenState, claude, claudeToken } = await pooledAndSeen(28);
    const api = apiOn(reference);
    expect((await api(claudeToken, '/take-from-pool', {})).status).toBe(200);
    // Claude alone in routing when declining: nobody else to give it to, back to the pool.
    await t.dataSource.query(`UPDATE facilitators SET active = false WHERE id <> $1`, [claude]);
    expect((await api(claudeToken, '/decline', { reason: 'not_my_expertise' })).status).toBe(200);
    await waitFor(async () => (await requestRow(reference)).status === 'unassigned', 10_000, 'remise en réserve');
    // The decline's pool drain first: run after Alex is back, it would give Alex the request (a CI failure).
    await routingSettled(t);
    await t.dataSource.query(`UPDATE facilitators SET active = true`);

    const refused = await api(alex, '/take-from-pool', { seenState });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({
      code: 'changed_meanwhile',
      message:
        'Entre-temps, Claude Test a décliné cette demande, puis elle est passée dans la réserve du réseau : rien n’a été enregistré. Elle est maintenant de nouveau sans facilitateur.',
      seenState: 'unassigned:environmental::1',
    });
    expect(await requestRow(reference)).toMatchObject({ status: 'unassigned', holder: null });
    // Three parts, from a page rendered before: checked as before (status, kind, holder), as open pages expect.
    expect((await api(alex, '/take-from-pool', { seenState: 'unassigned:environmental:' })).status).toBe(200);
  });

  /** Each of the actions that take a seen state, sent with `seenState` by `token`: 404, and not a word of the request. */
  async function learnsNothing(reference: string, token: string, seenState: string) {
    for (const [path, body] of [
      ['/close', { reason: 'duplicate', message: 'Voir GV-2026-000001', seenState }],
      ['/transfer', { reason: 'Clause d’insertion', seenState }],
      ['/take-from-pool', { seenState }],
      ['/take-charge', { seenState }],
    ] as const) {
      const refused = await apiOn(reference)(token, path, body);
      const said = await refused.text();
      // Take-charge tells a former holder only that it is no longer theirs (409 conflict), as before any seen state.
      const expected = path === '/take-charge' && said.includes('ne vous est plus confiée') ? 409 : 404;
      expect([seenState, path, refused.status]).toEqual([seenState, path, expected]);
      expect([seenState, path, said]).toEqual([seenState, path, expect.not.stringMatching(/Entre-temps|seenState|Claude|Dominique|Annie/)]);
    }
  }

  it('tells nothing to one who saw the request in the pool when it left it before its latest change', async () => {
    const { reference, alex, seenState, claude, claudeToken } = await pooledAndSeen(14);
    expect((await apiOn(reference)(claudeToken, '/take-from-pool', { seenState })).status).toBe(200);
    expect((await apiOn(reference)(claudeToken, '/take-charge', {})).status).toBe(200);
    // In the pool once, and every request of the network's was: the latest change is not its leaving it.
    await learnsNothing(reference, alex, seenState);
    expect(await requestRow(reference)).toMatchObject({ status: 'in_progress', holder: claude });
  });

  it('tells nothing of a request taken from the pool to a facilitator who joined the network after', async () => {
    const { reference, alex, seenState, claudeToken } = await pooledAndSeen(15);
    expect((await apiOn(reference)(claudeToken, '/take-from-pool', { seenState })).status).toBe(200);
    const eve = await bearerFor(t, {
      role: 'facilitator',
      facilitatorId: await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Ève' }),
      networks: ['aura-ee'],
    });
    await learnsNothing(reference, eve, seenState);
    // Who was there when it left is told.
    expect((await apiOn(reference)(alex, '/take-from-pool', { seenState })).status).toBe(409);
  });

  it('tells nothing to a former holder once the request changed hands again, nor to one whose holding ended long ago', async () => {
    const request = await submittedAndTaken(t, 16, { firstName: 'Alex' });
    const api = apiOn(request.reference);
    const alex = await bearerFor(t, { role: 'facilitator', facilitatorId: request.facilitatorId, networks: ['aura-ee'] });
    const { seenState } = await bodyOf(api(alex, ''));
    const annie = await namedToken({ role: 'animator', networks: ['aura-ee'] }, 'Annie', 'Roux');
    const dominique = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Dominique', email: 'dominique@example.org' });
    const claude = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Claude' });
    expect((await api(annie, '/reassign', { facilitatorId: dominique, reason: 'Rééquilibrage' })).status).toBe(200);
    // Right after, told (above); reassigned again, the change is no longer the one that took it from them.
    expect((await api(annie, '/reassign', { facilitatorId: claude, reason: 'Rééquilibrage' })).status).toBe(200);
    await learnsNothing(request.reference, alex, seenState);
    // Whatever state they claim from their holding.
    await learnsNothing(request.reference, alex, `answered:environmental:${request.facilitatorId}`);
    await learnsNothing(request.reference, alex, `assigned:environmental:${request.facilitatorId}`);

    // Dominique's holding ended by the latest change, but more done since: nothing either.
    const dominiqueToken = await bearerFor(t, { role: 'facilitator', facilitatorId: dominique, networks: ['aura-ee'] });
    const claudeToken = await bearerFor(t, { role: 'facilitator', facilitatorId: claude, networks: ['aura-ee'] });
    expect((await api(claudeToken, '/take-charge', {})).status).toBe(200);
    await learnsNothing(request.reference, dominiqueToken, `assigned:environmental:${dominique}`);
    expect(await requestRow(request.reference)).toMatchObject({ status: 'in_progress', holder: claude });
  });

  it('takes no other body than JSON with its own fields on the actions without one: take-charge, reopen, surveys, take from the pool', async () => {
    const { reference, alex } = await heldByAlex(12);
    const api = apiOn(reference);
    const alexToken = await bearerFor(t, { role: 'facilitator', facilitatorId: alex, networks: ['aura-ee'] });
    const admin = await bearerFor(t, { role: 'admin' });
    /** A body that is not JSON, and a field none of them takes: refused before anything is done. */
    const refusesStrayBodies = async (token: string, path: string, on = reference) => {
      const text = await fetch(`${t.url}/api/v1/staff/requests/${on}${path}`, {
        method: 'POST',
        headers: { authorization: token, 'content-type': 'text/plain' },
        body: 'oui',
      });
      expect([path, text.status]).toEqual([path, 415]);
      const stray = await apiOn(on)(token, path, { x: 1 });
      expect([path, stray.status]).toEqual([path, 400]);
      expect((await stray.json()).errors).toEqual([{ field: 'x', message: 'Champ inconnu : « x ».' }]);
    };
    const surveysRefused = async () => (await bodyOf(api(admin, ''))).surveysRefused;

    await refusesStrayBodies(alexToken, '/take-charge');
    expect((await requestRow(reference)).status).toBe('assigned');
    // No body at all, as before.
    const taken = await fetch(`${t.url}/api/v1/staff/requests/${reference}/take-charge`, {
      method: 'POST',
      headers: { authorization: alexToken },
    });
    expect(taken.status).toBe(200);
    expect((await requestRow(reference)).status).toBe('in_progress');

    await refusesStrayBodies(admin, '/refuse-surveys');
    expect(await surveysRefused()).toBe(false);
    expect((await api(admin, '/refuse-surveys', {})).status).toBe(200);
    expect(await surveysRefused()).toBe(true);
    await refusesStrayBodies(admin, '/accept-surveys');
    expect(await surveysRefused()).toBe(true);
    expect((await api(admin, '/accept-surveys', {})).status).toBe(200);
    expect(await surveysRefused()).toBe(false);

    expect((await api(admin, '/close', { reason: 'duplicate', message: 'Voir GV-2026-000001' })).status).toBe(200);
    await refusesStrayBodies(admin, '/reopen');
    expect((await requestRow(reference)).status).toBe('closed');
    expect((await api(admin, '/reopen', {})).status).toBe(200);
    expect((await requestRow(reference)).status).toBe('in_progress');

    const pooled = await submitRequest(t, 13);
    await t.dataSource.query(`UPDATE facilitators SET active = false`);
    await waitFor(async () => (await requestRow(pooled)).status === 'unassigned', 10_000, 'mise en réserve');
    await t.dataSource.query(`UPDATE facilitators SET active = true WHERE id = $1`, [alex]);
    await refusesStrayBodies(alexToken, '/take-from-pool', pooled);
    expect((await requestRow(pooled)).status).toBe('unassigned');
    expect((await apiOn(pooled)(alexToken, '/take-from-pool', {})).status).toBe(200);
    expect(await requestRow(pooled)).toMatchObject({ status: 'assigned', holder: alex });
  });
});
