import { insertFacilitator } from '../support/facilitators';
import { sentMailFile, staffWrites, submittedAndTaken } from '../support/conversation';
import { bearerFor, csrfIn, insertStaff, StaffClient } from '../support/staff';
import { bodyOf, submitRequest, TestApp, useTestApp, waitFor } from '../support/test-app';

/** A form's hidden field, as the page gives it. */
function hidden(html: string, name: string): string {
  const value = html.match(new RegExp(`name="${name}" value="([^"]*)"`))?.[1];
  if (value === undefined) throw new Error(`no ${name} field in the page`);
  return value;
}

const occurrences = (html: string, text: string) => html.split(text).length - 1;

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
    const { id, email } = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] });
    await t.dataSource.query(`UPDATE staff_users SET first_name = $2, last_name = $3 WHERE id = $1`, [id, firstName, lastName]);
    const client = new StaffClient(t.url);
    expect((await client.signIn(email)).status).toBe(303);
    return client;
  }

  /** The fields of the page's form posting to `action` (CSRF token, form token, seen state), as the browser sends them back. */
  async function formOf(client: StaffClient, page: string, action: string): Promise<Record<string, string>> {
    const html = await (await client.get(page)).text();
    const form = html.slice(html.indexOf(`action="${action}"`));
    return { _csrf: csrfIn(html), formToken: hidden(form, 'formToken'), seenState: hidden(form, 'seenState') };
  }

  it('refuses a closure decided on a page opened before the answer, and no longer offers « Retirée par l’acheteur » once answered', async () => {
    const request = await submittedAndTaken(t, 1, { firstName: 'Alex' });
    const page = `/espace/demandes/${request.reference}`;
    const sacha = await animator('Sacha', 'Martin');
    const stale = await formOf(sacha, page, `${page}/cloture`);
    expect(stale.seenState).toBe(`in_progress:environmental:${request.facilitatorId}`);
    expect(await (await sacha.get(page)).text()).toContain('value="withdrawn"');

    await staffWrites(t, request, 'answer', 'Voici notre réponse.');
    // A field's error first (a duplicate says which request goes on): the form comes back still checked against what it read.
    const incomplete = await sacha.post(`${page}/cloture`, { ...stale, reason: 'duplicate' });
    expect(incomplete.status).toBe(400);
    const incompleteHtml = await incomplete.text();
    const sentBack = incompleteHtml.slice(incompleteHtml.indexOf(`action="${page}/cloture"`));
    expect(hidden(sentBack, 'seenState')).toBe(stale.seenState);
    const refused = await sacha.post(`${page}/cloture`, {
      _csrf: csrfIn(incompleteHtml),
      formToken: hidden(sentBack, 'formToken'),
      seenState: hidden(sentBack, 'seenState'),
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
    expect(hidden(html.slice(html.indexOf('/cloture"')), 'seenState')).toBe(`answered:environmental:${request.facilitatorId}`);
    expect(await requestRow(request.reference)).toMatchObject({ status: 'answered', closeReason: null });

    // Answered, a withdrawal is no longer staff's to record (the buyer says it is resolved, or lets it close).
    expect(html).not.toContain('value="withdrawn"');
    const fresh = await formOf(sacha, page, `${page}/cloture`);
    const withdrawn = await sacha.post(`${page}/cloture`, { ...fresh, reason: 'withdrawn' });
    expect(withdrawn.status).toBe(409);
    expect(await withdrawn.text()).toContain(
      'Une demande « Réponse envoyée » ne peut pas être clôturée avec le motif « Retirée par l’acheteur »',
    );
    expect(await requestRow(request.reference)).toMatchObject({ status: 'answered', closeReason: null });
    const closedNow = await sacha.post(`${page}/cloture`, { ...(await formOf(sacha, page, `${page}/cloture`)), reason: 'answered' });
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
    expect(seenState).toBe(`in_progress:environmental:${request.facilitatorId}`);
    await staffWrites(t, request, 'answer', 'Voici notre réponse.');
    const stale = await api('/close', { reason: 'duplicate', message: 'Voir GV-2026-000001', seenState });
    expect(stale.status).toBe(409);
    const { message } = await stale.json();
    expect(message).toContain('Entre-temps, Dominique Test a envoyé la réponse à l’acheteur');
    // No page under it: nothing « ci-dessous » to re-read.
    expect(message).not.toContain('ci-dessous');
    const malformed = await api('/close', { reason: 'duplicate', message: 'Voir GV-2026-000001', seenState: 'ouverte' });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).errors).toEqual([{ field: 'seenState', message: expect.stringContaining('seenState') }]);
    expect((await api('/close', { reason: 'duplicate', message: 'Voir GV-2026-000001' })).status).toBe(200);
    // The OpenAPI document says the field exists and is optional.
    const document = await bodyOf(fetch(`${t.url}/api/docs-json`));
    const paths = document.paths as Record<string, Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>>;
    expect(JSON.stringify(paths['/api/v1/staff/requests/{ref}/transfer'].post.requestBody)).toContain('seenState');
    expect(JSON.stringify(paths['/api/v1/staff/requests/{ref}/reassign'].post.requestBody)).toContain('seenState');
    expect(JSON.stringify(document.components.schemas.CloseBodyDto)).toContain('seenState');
    expect(document.components.schemas.CloseBodyDto.required).not.toContain('seenState');
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
    const staleReassign = await formOf(annie, reassignPath, reassignPath);
    expect(staleReassign.seenState).toBe(`assigned:environmental:${alex}`);

    const transferred = await bea.post(transferPath, { ...(await formOf(bea, transferPath, transferPath)), reason: 'Clause d’insertion' });
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
    expect(hidden(html, 'seenState')).not.toBe(staleReassign.seenState);
    // Dominique was given nothing, told nothing.
    expect(await t.dataSource.query(`SELECT 1 FROM mail_messages WHERE recipient = 'dominique@example.org'`)).toEqual([]);
    expect((await requestRow(reference)).holder).not.toBe(dominique);
  });

  it('shows a refusal on the reassignment form once, even from a form that says nothing of what it saw', async () => {
    const { reference, dominique } = await heldByAlex(4);
    const reassignPath = `/espace/demandes/${reference}/reaffectation`;
    const annie = await animator('Annie', 'Roux');
    const { seenState: _seen, ...oldForm } = await formOf(annie, reassignPath, reassignPath);
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
    const staleTransfer = await formOf(bea, transferPath, transferPath);
    expect(staleTransfer.seenState).toBe(`assigned:environmental:${alex}`);

    const reassigned = await annie.post(reassignPath, {
      ...(await formOf(annie, reassignPath, reassignPath)),
      facilitatorId: dominique,
      reason: 'Rééquilibrage',
    });
    expect(reassigned.status).toBe(303);
    // Sent first with no reason: the form comes back (400) still checked against what it read, lest the next send
    // wipe the reassignment after all.
    const noReason = await bea.post(transferPath, { ...staleTransfer, reason: '' });
    expect(noReason.status).toBe(400);
    const again = await noReason.text();
    expect(hidden(again, 'seenState')).toBe(staleTransfer.seenState);
    const refused = await bea.post(transferPath, {
      _csrf: csrfIn(again),
      formToken: hidden(again, 'formToken'),
      seenState: hidden(again, 'seenState'),
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
      (await bea.post(transferPath, { _csrf: csrfIn(html), seenState: hidden(html, 'seenState'), reason: 'Clause d’insertion' })).status,
    ).toBe(303);
    expect((await requestRow(reference)).kind).toBe('social_clause');
    expect(await sentMailFile(t, 'assignment-withdrawn', 'dominique@example.org')).toContain(
      'elle la transfère au domaine « Clauses sociales »',
    );
  });
});
