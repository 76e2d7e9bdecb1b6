/**
 * A request taken in charge that moves to another facilitator (transfer to the other kind, reassignment by the
 * network) tells its buyer: one public event with a reason written for them, one debounced e-mail, no staff names.
 */
import { mailsTo, sentMailFile, trackingLinkIn } from '../support/conversation';
import { insertFacilitator } from '../support/facilitators';
import { RoutingService } from '../../src/modules/routing/routing.service';
import { bearerFor, insertStaff, StaffClient } from '../support/staff';
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
    expect(mail.subject).toBe(`Votre demande ${reference} : en attente d’un autre facilitateur — Guichet vert`);
    // The network's pool digest says who gave it back, and why.
    await t.app.get(RoutingService).poolAlert('aura-ee');
    const [digest] = await mailsTo(t, 'network-pool-alert');
    expect(digest.text_body).toContain(`${reference} «`);
    expect(digest.text_body).toContain('Rendue par Alix : « Indisponible : motif interne : arrêt maladie. »');
  });
});
