/**
 * A request taken in charge that moves to another facilitator (transfer to the other kind, reassignment by the
 * network) tells its buyer: one public event with a reason written for them, one debounced e-mail, no staff names.
 * A precision asked stays awaited through a reassignment: the buyer gives it to the new facilitator.
 */
import { mailsTo, sentMailFile, trackingLinkIn } from '../support/conversation';
import { insertFacilitator } from '../support/facilitators';
import { RoutingService } from '../../src/modules/routing/routing.service';
import { bearerFor, insertStaff, StaffClient } from '../support/staff';
import { inOfficeHours } from '../support/surveys';
import { submitRequest, TestApp, useTestApp, waitFor } from '../support/test-app';

describe('the buyer is told when their request changes hands', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app), { BUYER_MAIL_DEBOUNCE_SECONDS: '1' }, { api: true, worker: true });

  const post = (path: string, authorization: string, body: unknown = {}) =>
    fetch(`${t.url}/api/v1/staff/requests/${path}`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const holderOf = async (reference: string) =>
    (await t.dataSource.query(`SELECT assigned_facilitator_id AS id, status FROM requests WHERE reference = $1`, [reference]))[0];

  /** A request routed to Alix (aura-ee), who has an account and takes it in charge through the API. */
  async function takenByAlix(n: number) {
    const alix = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Alix', capacity: 1 });
    const reference = await submitRequest(t, n);
    await waitFor(async () => (await holderOf(reference)).id === alix, 10_000, 'attribuée à Alix');
    const token = await bearerFor(t, { role: 'facilitator', facilitatorId: alix, networks: ['aura-ee'] });
    expect((await post(`${reference}/take-charge`, token)).status).toBe(200);
    const buyer = `camille.martin+${n}@example.fr`;
    // The buyer first hears who took it in charge, by first name and network, as the tracking page names them.
    const taken = await sentMailFile(t, 'buyer-update', buyer);
    expect(taken).toContain('Alix, du réseau AURA-EE / RREDD, a pris votre demande en charge');
    return { reference, alix, token, buyer };
  }

  async function expectOneMailTelling(buyer: string, reference: string, reason: string, heading = 'Demande transmise'): Promise<void> {
    const mail = await sentMailFile(t, 'buyer-update', buyer, 2);
    expect(mail).toContain(reason);
    expect(mail).toContain(heading);
    // Staff names and the staff's own motive stay inside.
    for (const hidden of ['Alix', 'Sam', 'Essai', 'motif interne']) expect(mail).not.toContain(hidden);
    const tracking = await (await fetch(trackingLinkIn(mail, reference))).text();
    expect(tracking).toContain(heading === 'Demande transmise' ? 'Transmise à un autre facilitateur' : heading);
    // Routing it again is no news of its own: still one e-mail about it a moment later.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await mailsTo(t, 'buyer-update')).toHaveLength(2);
  }

  it('tells of a transfer to the other kind, once', async () => {
    const social = await insertFacilitator(t.dataSource, { kind: 'social_clause', network: 'aura-ee', departments: ['38'] });
    const { reference, token, buyer } = await takenByAlix(1);
    const moved = await post(`${reference}/transfer`, token, { reason: 'motif interne : clause d’insertion' });
    expect(moved.status).toBe(200);
    await waitFor(async () => (await holderOf(reference)).id === social, 10_000, 'attribuée au facilitateur de clauses sociales');
    const events = await t.dataSource.query(
      `SELECT e.type, e.is_public AS "isPublic", e.reason FROM request_events e JOIN requests r ON r.id = e.request_id
        WHERE r.reference = $1 AND e.type IN ('transferred', 'handed_over') ORDER BY e.type DESC`,
      [reference],
    );
    expect(events).toEqual([
      { type: 'transferred', isPublic: false, reason: expect.stringContaining('motif interne') },
      { type: 'handed_over', isPublic: true, reason: expect.stringContaining('« Clauses sociales »') },
    ]);
    await expectOneMailTelling(buyer, reference, 'elle est transmise à un facilitateur de ce domaine');
  });

  it('tells of a reassignment by the network to a chosen facilitator, once', async () => {
    const { reference, buyer } = await takenByAlix(2);
    const dominique = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Dominique' });
    const animator = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    const moved = await post(`${reference}/reassign`, animator, { facilitatorId: dominique, reason: 'motif interne : congés.' });
    expect(moved.status).toBe(200);
    expect(await holderOf(reference)).toEqual({ id: dominique, status: 'assigned' });
    // Dominique hears who gave it, why, and that it had been begun: the conversation is to read first.
    const [{ email }] = await t.dataSource.query(`SELECT email FROM facilitators WHERE id = $1`, [dominique]);
    const given = await sentMailFile(t, 'facilitator-assignment', email);
    // The reason's own full stop ends the sentence: none is added after the quotation.
    expect(given).toContain('Sam Essai vous la confie : « motif interne : congés. » Un collègue');
    expect(given).not.toContain('congés. ».');
    expect(given).toContain('Un collègue l’avait déjà commencée');
    await expectOneMailTelling(buyer, reference, 'confiée à un autre facilitateur du réseau');
    // In the staff history, what the buyer was told follows the change without repeating its statuses.
    const admin = new StaffClient(t.url);
    expect((await admin.signIn((await insertStaff(t.dataSource, { role: 'admin' })).email)).status).toBe(303);
    const history = await (await admin.get(`/espace/demandes/${reference}`)).text();
    expect(history).toMatch(/<td>[^—<][^<]*<\/td>\s*<td>[^—<][^<]*<\/td>\s*<td>Réaffectée/);
    expect(history).toMatch(/<td>—<\/td>\s*<td>—<\/td>\s*<td>Acheteur informé du changement de facilitateur/);
  });

  it('tells of a give-back no other facilitator could take yet: it waits for one, said as such', async () => {
    const { reference, token, buyer } = await takenByAlix(3);
    const given = await post(`${reference}/decline`, token, { reason: 'unavailable', note: 'motif interne : arrêt maladie.' });
    expect(given.status).toBe(200);
    expect(await holderOf(reference)).toEqual({ id: null, status: 'unassigned' });
    await expectOneMailTelling(
      buyer,
      reference,
      'attend qu’un autre facilitateur du réseau se libère',
      'En attente d’un autre facilitateur',
    );
    const [mail] = (await mailsTo(t, 'buyer-update')).filter((m) => m.recipient === buyer).slice(-1);
    expect(mail.subject).toBe(
      `Votre demande ${reference} « Fournitures de bureau et loi AGEC 3 » : en attente d’un autre facilitateur — Guichet vert`,
    );
    // The network's pool digest says who gave it back, and why.
    await inOfficeHours(t, () => t.app.get(RoutingService).poolAlert('aura-ee'));
    const [digest] = await mailsTo(t, 'network-pool-alert');
    expect(digest.text_body).toContain(`${reference} «`);
    expect(digest.text_body).toContain('Rendue par Alix : « Indisponible : motif interne : arrêt maladie. »');
  });

  /** What the buyer reads in their request's history, through the tracking JSON (its link from their e-mail). */
  async function historyRead(reference: string, buyer: string): Promise<string[]> {
    const link = trackingLinkIn(await sentMailFile(t, 'request-acknowledgement', buyer), reference);
    const body = await (
      await fetch(`${t.url}/api/v1/requests/${reference}`, { headers: { 'x-tracking-token': new URL(link).searchParams.get('t')! } })
    ).json();
    return body.history.map((line: { label: string }) => line.label);
  }

  it('a reassignment after the taking in charge is one line of the buyer’s history; before it, one more « Confiée » as a new routing', async () => {
    const animator = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    // Not yet taken in charge: the buyer heard of no one by name, no hand-over is told; the new holder reads as a routing.
    const first = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Alix', capacity: 1 });
    const untaken = await submitRequest(t, 9);
    await waitFor(async () => (await holderOf(untaken)).id === first, 10_000, 'attribuée à Alix');
    const dominique = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Dominique' });
    expect((await post(`${untaken}/reassign`, animator, { facilitatorId: dominique, reason: 'motif interne' })).status).toBe(200);
    expect(await historyRead(untaken, 'camille.martin+9@example.fr')).toEqual([
      'Demande reçue',
      'Confiée à un facilitateur',
      'Confiée à un facilitateur',
    ]);

    // Taken in charge by Alix, then given by the network to Dominique: the buyer reads that it changed hands, once.
    const taken = await takenByAlix(6);
    expect((await post(`${taken.reference}/reassign`, animator, { facilitatorId: dominique, reason: 'motif interne' })).status).toBe(200);
    const received = ['Demande reçue', 'Confiée à un facilitateur', 'Prise en charge par le facilitateur'];
    expect(await historyRead(taken.reference, taken.buyer)).toEqual([...received, 'Transmise à un autre facilitateur']);

    // Let routing choose: the same single line.
    const rerouted = await takenByAlix(7);
    expect((await post(`${rerouted.reference}/reassign`, animator, { reason: 'motif interne' })).status).toBe(200);
    expect((await holderOf(rerouted.reference)).status).toBe('assigned');
    expect(await historyRead(rerouted.reference, rerouted.buyer)).toEqual([...received, 'Transmise à un autre facilitateur']);

    // Given back by Alix, nobody else active: one line says it waits for another facilitator.
    const givenBack = await takenByAlix(8);
    await t.dataSource.query(`UPDATE facilitators SET active = false WHERE id <> $1`, [givenBack.alix]);
    expect((await post(`${givenBack.reference}/decline`, givenBack.token, { reason: 'unavailable', note: 'motif interne' })).status).toBe(
      200,
    );
    expect(await holderOf(givenBack.reference)).toEqual({ id: null, status: 'unassigned' });
    expect(await historyRead(givenBack.reference, givenBack.buyer)).toEqual([...received, 'En attente d’un autre facilitateur']);
  });

  /** Alix asks the buyer a precision; the buyer's e-mail about it gives the tracking link. */
  async function precisionAskedByAlix(n: number) {
    const taken = await takenByAlix(n);
    const asked = await post(`${taken.reference}/clarification`, taken.token, { body: 'Quel est le montant du lot 2 ?' });
    expect(asked.status).toBe(200);
    const link = trackingLinkIn(await sentMailFile(t, 'buyer-update', taken.buyer, 2), taken.reference);
    return { ...taken, link, tracking: new URL(link).searchParams.get('t')! };
  }

  const tracked = async (reference: string, token: string) =>
    (await fetch(`${t.url}/api/v1/requests/${reference}`, { headers: { 'x-tracking-token': token } })).json();

  it('keeps a precision asked awaited through a reassignment: the buyer gives it on the tracking page, the new facilitator gets it', async () => {
    const { reference, alix, buyer, link, tracking } = await precisionAskedByAlix(4);
    const before = (await tracked(reference, tracking)).actions.clarifyUntil;
    expect(before).not.toBeNull();
    // Its take-charge deadline passed twice before Alix took it: nothing the mail should hurry Dominique about now.
    await t.dataSource.query(`UPDATE requests SET deadline_misses = 2 WHERE reference = $1`, [reference]);
    const dominique = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Dominique' });
    const animator = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    const moved = await post(`${reference}/reassign`, animator, { facilitatorId: dominique, reason: 'motif interne : congés.' });
    expect(moved.status).toBe(200);
    expect((await moved.json()).status).toBe('awaiting_buyer');
    expect(await holderOf(reference)).toEqual({ id: dominique, status: 'awaiting_buyer' });

    // Dominique has it in charge, awaiting the buyer: nothing to take in charge, no take-charge deadline.
    const [{ email }] = await t.dataSource.query(`SELECT email FROM facilitators WHERE id = $1`, [dominique]);
    const given = await sentMailFile(t, 'facilitator-assignment', email);
    expect(given).toContain('Elle attend la précision demandée à l’acheteur');
    expect(given).not.toContain('Prenez-la en charge');
    expect(given).not.toContain('délai de prise en charge est déjà passé');
    // The day it closes without the precision: the buyer's window, opened when Alix asked.
    expect(given).toMatch(/sans précision d’ici le \d+ \S+ \d{4} à \d\d:\d\d \(heure de Paris\), la demande se clôturera d’elle-même/);
    // Alix reads why it was taken from them, as the animator typed it.
    const [{ email: alixEmail }] = await t.dataSource.query(`SELECT email FROM facilitators WHERE id = $1`, [alix]);
    expect(await sentMailFile(t, 'assignment-withdrawn', alixEmail)).toContain(
      'elle la confie à un autre facilitateur ou la remet en attribution. Son motif : « motif interne : congés. »',
    );
    expect(given).not.toContain('à prendre en charge ou décliner');
    // The buyer is told it changed hands and that the precision is still awaited, by the same date.
    const told = await sentMailFile(t, 'buyer-update', buyer, 3);
    expect(told).toContain('La précision qui vous a été demandée reste attendue');
    expect(told).toContain('Statut actuel : En attente de votre précision.');
    for (const hidden of ['Alix', 'Dominique', 'motif interne']) expect(told).not.toContain(hidden);
    const page = await (await fetch(link)).text();
    expect(page).toContain(`action="/suivi/${reference}/precision?t=${encodeURIComponent(tracking)}"`);
    expect(page).toContain('Transmise à un autre facilitateur');
    const after = await tracked(reference, tracking);
    expect([after.status, after.actions.clarify, after.actions.clarifyUntil]).toEqual(['awaiting_buyer', true, before]);

    const sent = await fetch(`${t.url}/suivi/${reference}/precision`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: new URLSearchParams({ t: tracking, formToken: 'B'.repeat(43), message: 'Environ 80 000 € HT.' }).toString(),
    });
    expect(sent.status).toBe(303);
    expect(await holderOf(reference)).toEqual({ id: dominique, status: 'in_progress' });
    // The precision reaches Dominique, with the time to answer counted from it; Alix hears nothing more of it.
    const precision = await sentMailFile(t, 'facilitator-buyer-message', email);
    expect(precision).toContain('Environ 80 000');
    const [{ answerDueAt }] = await t.dataSource.query(
      `SELECT answer_due_at AS "answerDueAt" FROM request_assignments WHERE facilitator_id = $1 AND ended_at IS NULL`,
      [dominique],
    );
    expect(answerDueAt).not.toBeNull();
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM mail_messages m JOIN facilitators f ON f.email = m.recipient
        WHERE f.id = $1 AND m.template = 'facilitator-buyer-message'`,
      [alix],
    );
    expect(n).toBe(0);
    const shown = await (
      await fetch(`${t.url}/api/v1/staff/requests/${reference}`, {
        headers: { authorization: await bearerFor(t, { role: 'facilitator', facilitatorId: dominique, networks: ['aura-ee'] }) },
      })
    ).json();
    expect(shown.request.status).toBe('in_progress');
    expect(shown.messages.map((m: { body: string }) => m.body)).toEqual(
      expect.arrayContaining(['Quel est le montant du lot 2 ?', 'Environ 80 000 € HT.']),
    );
    expect(shown.actions).toEqual(expect.objectContaining({ answer: true, clarify: true, takeCharge: false }));
  });

  it('reroutes a request awaiting a precision to the best free facilitator, still awaiting; refuses when nobody is free', async () => {
    const { reference, alix, buyer, tracking } = await precisionAskedByAlix(5);
    const animator = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    // Alix aside (held it), nobody else of the territory: the pool would leave the question with no one.
    const refused = await post(`${reference}/reassign`, animator, { reason: 'motif interne : départ.' });
    expect(refused.status).toBe(409);
    const { message } = await refused.json();
    expect(message).toContain('elle attend la précision de l’acheteur');
    expect(message).toContain('Aucun autre facilitateur ne couvre ce département pour les considérations environnementales');
    expect(await holderOf(reference)).toEqual({ id: alix, status: 'awaiting_buyer' });

    const camille = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Camille' });
    const moved = await post(`${reference}/reassign`, animator, { reason: 'motif interne : départ.' });
    expect(moved.status).toBe(200);
    expect(await holderOf(reference)).toEqual({ id: camille, status: 'awaiting_buyer' });
    // Routing chose Camille, not the animator: their e-mail says so.
    const [{ email }] = await t.dataSource.query(`SELECT email FROM facilitators WHERE id = $1`, [camille]);
    const given = await sentMailFile(t, 'facilitator-assignment', email);
    expect(given).toContain(
      'Sam Essai l’a rendue à l’attribution automatique, qui vous l’a confiée. Son motif : « motif interne : départ. »',
    );
    expect(given).not.toContain('vous la confie');
    expect((await tracked(reference, tracking)).actions.clarify).toBe(true);
    expect(await sentMailFile(t, 'buyer-update', buyer, 3)).toContain('La précision qui vous a été demandée reste attendue');
  });

  it('refuses to reroute a request awaiting a precision when the only colleague had it taken from them, saying so; staff pages read the staff’s status', async () => {
    // Bastien had it first; the network rerouted it to Alix, who took it in charge and asked the buyer a precision.
    const bastien = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Bastien' });
    const reference = await submitRequest(t, 10);
    await waitFor(async () => (await holderOf(reference)).id === bastien, 10_000, 'attribuée à Bastien');
    const alix = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Alix' });
    const animator = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    expect((await post(`${reference}/reassign`, animator, { reason: 'motif interne : rééquilibrage.' })).status).toBe(200);
    expect((await holderOf(reference)).id).toBe(alix);
    const token = await bearerFor(t, { role: 'facilitator', facilitatorId: alix, networks: ['aura-ee'] });
    expect((await post(`${reference}/take-charge`, token)).status).toBe(200);
    expect((await post(`${reference}/clarification`, token, { body: 'Quel est le montant du lot 2 ?' })).status).toBe(200);

    const refused = await post(`${reference}/reassign`, animator, { reason: 'motif interne : départ.' });
    expect(refused.status).toBe(409);
    const { message } = await refused.json();
    expect(message).toContain('l’ont tous déjà eue et laissée');
    expect(message).toContain('elle attend la précision de l’acheteur');
    expect(message).not.toContain('absents ou à pleine capacité');
    expect(await holderOf(reference)).toEqual({ id: alix, status: 'awaiting_buyer' });

    // The reassignment and transfer pages are staff pages: the status as staff read it, not the buyer's « votre précision ».
    const staff = new StaffClient(t.url);
    expect((await staff.signIn((await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] })).email)).status).toBe(303);
    for (const page of ['reaffectation', 'transfert']) {
      const html = await (await staff.get(`/espace/demandes/${reference}/${page}`)).text();
      expect(html).toContain('Statut : En attente de l’acheteur');
      expect(html).not.toContain('votre précision');
    }
  });

  it('a transfer while a precision is awaited: the form warns it will no longer be awaited, and the buyer’s page no longer asks for it', async () => {
    const social = await insertFacilitator(t.dataSource, { kind: 'social_clause', network: 'aura-ee', departments: ['38'] });
    const { reference, alix, link, tracking } = await precisionAskedByAlix(11);
    const holder = new StaffClient(t.url);
    const [{ email }] = await t.dataSource.query(`SELECT email FROM staff_users WHERE facilitator_id = $1`, [alix]);
    expect((await holder.signIn(email)).status).toBe(303);
    const path = `/espace/demandes/${reference}/transfert`;
    expect(await (await holder.get(path)).text()).toContain('La précision demandée à l’acheteur ne sera plus attendue');
    expect((await holder.submit(path, path, { reason: 'motif interne : clause d’insertion' })).status).toBe(303);
    await waitFor(async () => (await holderOf(reference)).id === social, 10_000, 'attribuée au facilitateur de clauses sociales');

    // The question stays in the exchange, said no longer asked; no form to give it, no alert asking for it.
    const page = await (await fetch(link)).text();
    expect(page).toContain('Alix, du réseau AURA-EE / RREDD — Demande de précision (plus attendue)</h3>');
    expect(page).toContain('Quel est le montant du lot 2 ?');
    expect(page).not.toContain('id="precision-attendue"');
    expect(page).not.toContain('/precision?t=');
    const after = await tracked(reference, tracking);
    expect(after.actions.clarify).toBe(false);
    expect(after.conversation.map((m: { kindLabel: string }) => m.kindLabel)).toEqual(['Demande de précision (plus attendue)']);
  });
});

describe('the buyer’s e-mail names who wrote, when the request changed hands before it left', () => {
  let t!: TestApp;
  // Long enough for a message and the reassignment that follows it to fall in one e-mail.
  useTestApp((app) => (t = app), { BUYER_MAIL_DEBOUNCE_SECONDS: '3' }, { api: true, worker: true });

  const post = (path: string, authorization: string, body: unknown = {}) =>
    fetch(`${t.url}/api/v1/${path}`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  /** A request Alix took in charge (its first e-mail to the buyer sent), and Dominique, to whom the network may give it. */
  async function takenByAlix(n: number) {
    const alix = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Alix' });
    const reference = await submitRequest(t, n);
    await waitFor(
      async () =>
        (await t.dataSource.query(`SELECT 1 FROM requests WHERE reference = $1 AND assigned_facilitator_id = $2`, [reference, alix]))
          .length,
      10_000,
      'attribuée à Alix',
    );
    const token = await bearerFor(t, { role: 'facilitator', facilitatorId: alix, networks: ['aura-ee'] });
    expect((await post(`staff/requests/${reference}/take-charge`, token)).status).toBe(200);
    const buyer = `camille.martin+${n}@example.fr`;
    await sentMailFile(t, 'buyer-update', buyer);
    const dominique = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Dominique' });
    const animator = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    const reassign = () => post(`staff/requests/${reference}/reassign`, animator, { facilitatorId: dominique, reason: 'motif interne' });
    return { reference, token, buyer, reassign };
  }

  it('a precision Alix asked, then the request given to Dominique: the one e-mail says Alix asks it', async () => {
    const { reference, token, buyer, reassign } = await takenByAlix(1);
    expect((await post(`staff/requests/${reference}/clarification`, token, { body: 'Quel est le montant du lot 2 ?' })).status).toBe(200);
    expect((await reassign()).status).toBe(200);
    const mail = await sentMailFile(t, 'buyer-update', buyer, 2);
    expect(mail).toContain('Alix vous demande une précision');
    expect(mail).toContain('Demande transmise');
    // The preview line names the news in the subject's words and ends with the date to answer by, the status said already.
    expect(mail).toMatch(
      /: une précision vous est demandée, demande transmise à un autre facilitateur\. Répondez d’ici le \d+ \S+ \d{4} à \d\d:\d\d \(heure de Paris\)\./,
    );
    expect(mail).not.toContain('Dominique');
  });

  it('an answer Alix wrote, replied to, then the request given to Dominique: the one e-mail gives Alix’s answer', async () => {
    const { reference, token, buyer, reassign } = await takenByAlix(2);
    const link = trackingLinkIn(await sentMailFile(t, 'request-acknowledgement', buyer), reference);
    expect((await post(`staff/requests/${reference}/answer`, token, { body: 'Voici la réponse.' })).status).toBe(200);
    const replied = await fetch(`${t.url}/api/v1/requests/${reference}/replies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tracking-token': new URL(link).searchParams.get('t')! },
      body: JSON.stringify({ message: 'Et pour le lot 3 ?' }),
    });
    expect(replied.status).toBe(200);
    expect((await reassign()).status).toBe(200);
    const mail = await sentMailFile(t, 'buyer-update', buyer, 2);
    expect(mail).toContain('La réponse d’Alix');
    expect(mail).toContain('Demande transmise');
    expect(mail).not.toContain('Dominique');
  });
});
