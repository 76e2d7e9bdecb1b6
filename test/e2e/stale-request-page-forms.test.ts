import { insertFacilitator } from '../support/facilitators';
import { submittedAndTaken } from '../support/conversation';
import { csrfIn, hiddenField, pageFormOf, signedInAccount, signedInStaff, StaffSeed } from '../support/staff';
import { submitRequest, TestApp, useTestApp, waitFor } from '../support/test-app';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';

/**
 * The request page's own forms (take from the pool, take charge, decline, précision, answer, note) and « Mes brouillons
 * laissés », sent from a page opened before a colleague or an animator acted on the same request.
 */
describe('request page forms sent after someone else acted on the request (worker running)', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app), {}, { api: true, worker: true });

  const page = (reference: string) => `/espace/demandes/${reference}`;
  const requestRow = async (reference: string) =>
    (
      await t.dataSource.query(`SELECT id, status, kind, assigned_facilitator_id AS holder FROM requests WHERE reference = $1`, [reference])
    )[0];

  /** Staff signed in on their own client, named as the refusals name them. */
  const named = async (seed: StaffSeed, firstName: string, lastName: string) =>
    (await signedInAccount(t, seed, { firstName, lastName })).client;

  /** Annie gives the request to Dominique from the reassignment page. */
  async function annieGivesToDominique(reference: string) {
    const annie = await named({ role: 'animator', networks: ['aura-ee'] }, 'Annie', 'Roux');
    const dominique = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Dominique' });
    const path = `${page(reference)}/reaffectation`;
    const reassigned = await annie.post(path, {
      ...(await pageFormOf(annie, path, path)),
      facilitatorId: dominique,
      reason: 'Rééquilibrage',
    });
    expect(reassigned.status).toBe(303);
    return { annie, dominique };
  }

  const GIVEN_TO_A_COLLEAGUE =
    'Entre-temps, Annie Roux a confié cette demande à un autre facilitateur : rien n’a été enregistré. Elle ne vous est plus confiée.';

  it('tells a facilitator who lost the race for a pool request that another took it, not a « Page introuvable »', async () => {
    const reference = await submitRequest(t, 1);
    await waitFor(async () => (await requestRow(reference)).status === 'unassigned', 10_000, 'mise en réserve');
    const alexId = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Alex' });
    const claudeId = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Claude' });
    const alex = await signedInStaff(t, { role: 'facilitator', facilitatorId: alexId, networks: ['aura-ee'] });
    const claude = await named({ role: 'facilitator', facilitatorId: claudeId, networks: ['aura-ee'] }, 'Claude', 'Test');
    const action = `${page(reference)}/prise-en-reserve`;
    const alexForm = await pageFormOf(alex, page(reference), action);
    expect(alexForm.seenState).toBe('unassigned:environmental::0');

    expect((await claude.post(action, await pageFormOf(claude, page(reference), action))).status).toBe(303);
    const lost = await alex.post(action, alexForm);
    expect(lost.status).toBe(409);
    const html = await lost.text();
    expect(html).toContain('Action impossible');
    // Who holds it now is not theirs to know.
    expect(html).toContain(
      'Entre-temps, un autre facilitateur a pris cette demande dans la réserve : rien n’a été enregistré. Elle n’est plus dans la réserve du réseau.',
    );
    expect(html).not.toContain('Claude');
    expect(await requestRow(reference)).toMatchObject({ status: 'assigned', holder: claudeId });
  });

  it('tells the holder whose take-charge comes after a reassignment who gave it away, and never « pendant que vous écriviez »', async () => {
    const request = await submittedAndTaken(t, 2, { firstName: 'Alex' });
    await t.dataSource.query(`UPDATE requests SET status = 'assigned' WHERE id = $1`, [request.id]);
    await t.dataSource.query(`UPDATE request_assignments SET taken_at = NULL WHERE request_id = $1`, [request.id]);
    const alex = await signedInStaff(t, { role: 'facilitator', facilitatorId: request.facilitatorId, networks: ['aura-ee'] });
    const takeCharge = `${page(request.reference)}/prise-en-charge`;
    const decline = `${page(request.reference)}/declin`;
    const takeForm = await pageFormOf(alex, page(request.reference), takeCharge);
    const declineForm = await pageFormOf(alex, page(request.reference), decline);
    expect(takeForm.seenState).toBe(`assigned:environmental:${request.facilitatorId}:1`);
    const { dominique } = await annieGivesToDominique(request.reference);

    for (const [path, form] of [
      [takeCharge, takeForm],
      [decline, { ...declineForm, reason: 'not_my_expertise' }],
    ] as const) {
      const refused = await alex.post(path, form);
      expect([path, refused.status]).toEqual([path, 409]);
      const html = await refused.text();
      expect(html).toContain(GIVEN_TO_A_COLLEAGUE);
      expect(html).not.toContain('Dominique');
    }
    // A page from before the form said what it read: refused all the same, in words for a click, not for a text.
    const { seenState: _none, ...oldForm } = takeForm;
    // A new form token: the refused sending's is freed only once its page is sent.
    const unchecked = await alex.post(takeCharge, { ...oldForm, formToken: 'x'.repeat(43) });
    expect(unchecked.status).toBe(409);
    const said = await unchecked.text();
    expect(said).toContain('Cette demande ne vous est plus confiée');
    expect(said).not.toContain('pendant que vous écriviez');
    expect(await requestRow(request.reference)).toMatchObject({ status: 'assigned', holder: dominique });
  });

  it('tells the writer of an answer or a question on a request given away meanwhile who did it, on a page that keeps their text', async () => {
    const request = await submittedAndTaken(t, 3, { firstName: 'Alex' });
    const { client: alex, id: alexAccount } = await signedInAccount(t, {
      role: 'facilitator',
      facilitatorId: request.facilitatorId,
      networks: ['aura-ee'],
    });
    const html = await (await alex.get(page(request.reference))).text();
    const answerForm = html.slice(html.indexOf('id="formulaire-reponse"'));
    const clarifyForm = await pageFormOf(alex, page(request.reference), `${page(request.reference)}/precision`);
    // Saved as they typed, while the request was theirs.
    await t.dataSource.query(
      `INSERT INTO answer_drafts (request_id, staff_user_id, body, items, saved_at) VALUES ($1, $2, 'Début de ma réponse', '[]', now())`,
      [request.id, alexAccount],
    );
    await annieGivesToDominique(request.reference);

    const form = new FormData();
    form.append('_csrf', csrfIn(html));
    form.append('formToken', hiddenField(answerForm, 'formToken'));
    form.append('complement', 'false');
    form.append('buyerMessageSeen', '');
    form.append('seenState', hiddenField(answerForm, 'seenState'));
    form.append('body', 'Début de ma réponse, et tout ce que j’ai écrit depuis.');
    const answered = await alex.postMultipart(`${page(request.reference)}/reponse`, form);
    expect(answered.status).toBe(409);
    const refusal = await answered.text();
    expect(refusal).toContain(GIVEN_TO_A_COLLEAGUE);
    // Focused and read first; the title names the request, among other tabs.
    expect(refusal).toMatch(
      /<div class="fr-alert fr-alert--error[^"]*" role="alert" id="action-impossible" tabindex="-1" data-focus-on-load>/,
    );
    expect(refusal).toMatch(new RegExp(`<title>[^<]*Action impossible — demande ${request.reference}[^<]*</title>`));
    // Their draft is a link away; what they typed since is only here.
    expect(refusal).toContain(`href="/espace/brouillons#brouillon-${request.reference}"`);
    expect(refusal).toContain('copiez-le maintenant : ce texte n’est gardé nulle part');
    expect(refusal).toContain('Début de ma réponse, et tout ce que j’ai écrit depuis.');

    const asked = await alex.post(`${page(request.reference)}/precision`, { ...clarifyForm, body: 'Quel est le montant du marché ?' });
    expect(asked.status).toBe(409);
    const askedHtml = await asked.text();
    expect(askedHtml).toContain(GIVEN_TO_A_COLLEAGUE);
    expect(askedHtml).toContain('Quel est le montant du marché ?');
    expect(await t.dataSource.query(`SELECT 1 FROM request_messages WHERE request_id = $1`, [request.id])).toEqual([]);
  });

  it('gives back a note typed on a request transferred away meanwhile, with why, rather than a « Page introuvable »', async () => {
    const alexId = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Alex' });
    const reference = await submitRequest(t, 4);
    await waitFor(async () => (await requestRow(reference)).holder === alexId, 10_000, 'routée à Alex');
    const claude = await insertFacilitator(t.dataSource, { kind: 'social_clause', network: 'aura-ee', departments: ['38'] });
    const alex = await signedInStaff(t, { role: 'facilitator', facilitatorId: alexId, networks: ['aura-ee'] });
    const notes = `${page(reference)}/notes`;
    const noteForm = await pageFormOf(alex, page(reference), notes);
    const oldNoteForm = await pageFormOf(alex, page(reference), notes);
    const annie = await named({ role: 'animator', networks: ['aura-ee'] }, 'Annie', 'Roux');
    const transfer = `${page(reference)}/transfert`;
    expect((await annie.post(transfer, { ...(await pageFormOf(annie, transfer, transfer)), reason: 'Clause d’insertion' })).status).toBe(
      303,
    );
    await waitFor(async () => (await requestRow(reference)).holder === claude, 10_000, 'routée à Claude');

    const refused = await alex.post(notes, { ...noteForm, body: 'Appelé l’acheteur ce matin.' });
    expect(refused.status).toBe(409);
    const html = await refused.text();
    expect(html).toContain('Action impossible');
    expect(html).toContain(
      'Entre-temps, Annie Roux a transféré cette demande vers « Clauses sociales » : rien n’a été enregistré. Elle ne vous est plus confiée.',
    );
    expect(html).toContain('Appelé l’acheteur ce matin.');
    // A page from before the form said what it read: why, all the same, and the text.
    const { seenState: _none, ...withoutState } = oldNoteForm;
    const old = await alex.post(notes, { ...withoutState, body: 'Rappelé l’acheteur.' });
    expect(old.status).toBe(409);
    const oldHtml = await old.text();
    expect(oldHtml).toContain('votre note n’a pas été enregistrée');
    expect(oldHtml).toContain('Rappelé l’acheteur.');
    expect(
      await t.dataSource.query(`SELECT 1 FROM request_messages WHERE request_id = (SELECT id FROM requests WHERE reference = $1)`, [
        reference,
      ]),
    ).toEqual([]);
    // Nothing typed, or never theirs: still « introuvable ».
    expect((await alex.post(notes, { ...withoutState, formToken: 'y'.repeat(43), body: ' ' })).status).toBe(404);
    const stranger = await signedInStaff(t, {
      role: 'facilitator',
      facilitatorId: await insertFacilitator(t.dataSource, { network: 'aura-ee' }),
      networks: ['aura-ee'],
    });
    const strangerPage = await (await stranger.get('/espace')).text();
    expect((await stranger.post(notes, { _csrf: csrfIn(strangerPage), body: 'Une note.' })).status).toBe(404);
  });

  it('says a left draft deleted from another tab was already deleted, rather than « introuvable »', async () => {
    const request = await submittedAndTaken(t, 5);
    const { client: holder, id: account } = await signedInAccount(t, {
      role: 'facilitator',
      facilitatorId: request.facilitatorId,
      networks: ['aura-ee'],
    });
    await t.dataSource.query(
      `INSERT INTO answer_drafts (request_id, staff_user_id, body, items, saved_at) VALUES ($1, $2, 'Laissé', '[]', now())`,
      [request.id, account],
    );
    const colleague = await insertFacilitator(t.dataSource, { network: 'aura-ee' });
    await t.dataSource.query(`UPDATE requests SET assigned_facilitator_id = $2 WHERE id = $1`, [request.id, colleague]);
    const LEFT = '/espace/brouillons';
    const action = `${LEFT}/${request.reference}/suppression`;
    const tab = async () => {
      const html = await (await holder.get(LEFT)).text();
      const form = html.slice(html.indexOf(`id="brouillon-${request.reference}"`));
      return { _csrf: csrfIn(html), formToken: hiddenField(form, 'formToken') };
    };
    const [first, second] = [await tab(), await tab()];
    expect(first.formToken).not.toBe(second.formToken);
    expect((await holder.post(action, first)).headers.get('location')).toBe(`${LEFT}?fait=suppression`);
    const again = await holder.post(action, second);
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe(`${LEFT}?fait=deja-supprime`);
    expect(await (await holder.get(again.headers.get('location')!)).text()).toContain('Ce brouillon était déjà supprimé');
  });

  it('says a take-charge or a take from the pool sent from a page too old (its seen state blank or unreadable) was not done, and why', async () => {
    const TOO_OLD =
      'Votre page était trop ancienne : rien n’a été enregistré. La voici rechargée ci-dessous : recommencez si c’est toujours utile.';
    const pooled = await submitRequest(t, 7);
    await waitFor(async () => (await requestRow(pooled)).status === 'unassigned', 10_000, 'mise en réserve');
    const request = await submittedAndTaken(t, 8, { firstName: 'Alex' });
    await t.dataSource.query(`UPDATE requests SET status = 'assigned' WHERE id = $1`, [request.id]);
    await t.dataSource.query(`UPDATE request_assignments SET taken_at = NULL WHERE request_id = $1`, [request.id]);
    const alex = await signedInStaff(t, { role: 'facilitator', facilitatorId: request.facilitatorId, networks: ['aura-ee'] });

    for (const [reference, action, holdings] of [
      [pooled, 'prise-en-reserve', 0],
      [request.reference, 'prise-en-charge', 1],
    ] as const) {
      const path = `${page(reference)}/${action}`;
      const before = await requestRow(reference);
      for (const seenState of ['', 'ouverte:environmental:']) {
        const refused = await alex.post(path, { ...(await pageFormOf(alex, page(reference), path)), seenState });
        expect([path, seenState, refused.status]).toEqual([path, seenState, 400]);
        const html = await refused.text();
        expect(html).toContain('<h2 class="fr-alert__title">Action impossible</h2>');
        expect(html).toContain(TOO_OLD);
        expect(html).not.toContain('seenState de sa consultation');
        // The page below is the request as it is now, its forms with the state it shows.
        expect(hiddenField(html.slice(html.indexOf(`action="${path}"`)), 'seenState')).toBe(
          `${before.status}:environmental:${before.holder ?? ''}:${holdings}`,
        );
      }
      expect(await requestRow(reference)).toEqual(before);
    }
  });

  /** How the app read the request's access scope (by its reference, or by its id) while `work` ran. */
  async function scopeReads(work: () => Promise<Response>): Promise<string[]> {
    const reads: string[] = [];
    const original = PostgresQueryRunner.prototype.query;
    const spy = jest.spyOn(PostgresQueryRunner.prototype, 'query').mockImplementation(function (this: PostgresQueryRunner, ...args) {
      const by = /FROM requests WHERE (reference|id) = \$1/.exec(args[0])?.[1];
      if (by) reads.push(by);
      return original.apply(this, args);
    });
    try {
      expect((await work()).status).toBeLessThan(400);
    } finally {
      spy.mockRestore();
    }
    return reads;
  }

  it('reads the request once, not again on the page nor under its lock, for its holder’s question and draft', async () => {
    const request = await submittedAndTaken(t, 9);
    const alex = await signedInStaff(t, { role: 'facilitator', facilitatorId: request.facilitatorId, networks: ['aura-ee'] });
    const path = `${page(request.reference)}/precision`;
    const asked = await pageFormOf(alex, page(request.reference), path);
    expect(await scopeReads(() => alex.post(path, { ...asked, body: 'Quel est le montant du marché ?' }))).toEqual(['reference']);

    const html = await (await alex.get(page(request.reference))).text();
    const answerForm = html.slice(html.indexOf('id="formulaire-reponse"'));
    const form = new FormData();
    form.append('_csrf', csrfIn(html));
    form.append('formToken', hiddenField(answerForm, 'formToken'));
    form.append('seenState', hiddenField(answerForm, 'seenState'));
    form.append('brouillon', '1');
    form.append('body', 'Début de ma réponse');
    expect(await scopeReads(() => alex.postMultipart(`${page(request.reference)}/reponse`, form))).toEqual(['reference']);
  });

  it('tells the animator a transferred request goes back to routing, not that it is assigned again', async () => {
    const request = await submittedAndTaken(t, 6);
    const annie = await named({ role: 'animator', networks: ['aura-ee'] }, 'Annie', 'Roux');
    const transfer = `${page(request.reference)}/transfert`;
    const done = await annie.post(transfer, { ...(await pageFormOf(annie, transfer, transfer)), reason: 'Clause d’insertion' });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`${page(request.reference)}?fait=transfert`);
    const html = await (await annie.get(done.headers.get('location')!)).text();
    expect(html).toContain('elle repart en attribution selon son nouveau type');
    expect(html).not.toContain('de nouveau attribuée');
  });
});
