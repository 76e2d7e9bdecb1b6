import { Clock } from '../../src/common/clock';
import { EscalationDigestService } from '../../src/modules/routing/escalation-digest.service';
import { RoutingRepository } from '../../src/modules/routing/routing.repository';
import { RoutingService } from '../../src/modules/routing/routing.service';
import { BuyerNotificationsService } from '../../src/modules/buyer-notifications/buyer-notifications.service';
import { RetentionService } from '../../src/modules/retention/retention.service';
import { insertFacilitator } from '../support/facilitators';
import { insertStaff } from '../support/staff';
import { closedAsAnswered, inOfficeHours, runDueSurveys, surveysOf } from '../support/surveys';
import { submitRequest, TestApp, useTestApp } from '../support/test-app';

/** The api alone: the test runs the surveys' sweep and the buyer's news itself, as the worker would. */
describe('after an erasure, nothing goes to the buyer', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app), {}, { api: true, worker: false });

  const mailsToNoOne = async () =>
    Number((await t.dataSource.query(`SELECT count(*)::int AS n FROM mail_messages WHERE recipient = ''`))[0].n);

  it('calls off the surveys not answered yet, and drops the news not sent yet', async () => {
    const request = await closedAsAnswered(t, 1);
    expect((await surveysOf(t, request.id)).map((s) => s.status)).toEqual(['scheduled', 'scheduled']);
    const admin = await insertStaff(t.dataSource, { role: 'admin' });
    await t.app.get(RetentionService).eraseOnRequest(request.id, admin.id);
    expect((await surveysOf(t, request.id)).map((s) => s.status)).toEqual(['cancelled', 'cancelled']);

    // The closure's news was still waiting for its debounce: it goes to no one.
    expect(await t.app.get(BuyerNotificationsService).notify(request.id)).toBe(false);
    // Due now: nothing to send.
    await t.dataSource.query(`UPDATE surveys SET due_at = now() - interval '1 minute' WHERE request_id = $1`, [request.id]);
    expect(await runDueSurveys(t)).toBe(0);
    expect(await mailsToNoOne()).toBe(0);
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM mail_messages WHERE template = 'survey'`)).toEqual([{ n: 0 }]);
  });

  it('a survey sent before its request was erased is called off at its next step; one that fails holds up none after it', async () => {
    const erased = await closedAsAnswered(t, 1);
    const broken = await closedAsAnswered(t, 2);
    const waiting = await closedAsAnswered(t, 3);
    // Sent, then erased by an earlier version that left it « sent » without its link: its reminder is due.
    await t.dataSource.query(
      `UPDATE surveys SET status = 'sent', sent_at = now() - interval '20 days', due_at = now() - interval '3 days', token_sealed = NULL
        WHERE request_id = $1 AND wave = 'satisfaction'`,
      [erased.id],
    );
    await t.dataSource.query(`UPDATE requests SET anonymised_at = now(), buyer_email = '', buyer_first_name = '' WHERE id = $1`, [
      erased.id,
    ]);
    // A survey whose step fails (its link unreadable), due before the one that waits behind it.
    await t.dataSource.query(
      `UPDATE surveys SET status = 'sent', sent_at = now() - interval '20 days', due_at = now() - interval '2 days', token_sealed = NULL
        WHERE request_id = $1 AND wave = 'satisfaction'`,
      [broken.id],
    );
    await t.dataSource.query(`UPDATE surveys SET due_at = now() - interval '1 day' WHERE request_id = $1 AND wave = 'satisfaction'`, [
      waiting.id,
    ]);

    await runDueSurveys(t);
    expect((await surveysOf(t, erased.id))[0].status).toBe('cancelled');
    expect((await surveysOf(t, waiting.id))[0].status).toBe('sent');
    expect((await surveysOf(t, broken.id))[0].status).toBe('sent');
    const failures = t.logs.filter((line) => line.includes('étape de questionnaire en échec'));
    expect(failures.map((line) => JSON.parse(line).surveyId)).toEqual([(await surveysOf(t, broken.id))[0].id]);
    expect(await mailsToNoOne()).toBe(0);
  });
});

/** The api alone: the digests wait unsent, as they would between their period's end and their delivery. */
describe('after an erasure, the staff digests naming the request keep none of its words', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app), {}, { api: true, worker: false });

  it('a digest not sent yet, or given up, names the erased request as anonymised and keeps the others as they were', async () => {
    const [erased, kept] = [await closedAsAnswered(t, 1), await closedAsAnswered(t, 2)];
    const subjectOf = async (id: string) => (await t.dataSource.query(`SELECT subject FROM requests WHERE id = $1`, [id]))[0].subject;
    const [erasedSubject, keptSubject] = [await subjectOf(erased.id), await subjectOf(kept.id)];
    await t.dataSource.query(
      `INSERT INTO request_escalations (id, request_id, misses, escalated_at) SELECT gen_random_uuid(), id, 2, now() FROM requests`,
    );
    await inOfficeHours(t, () => t.app.get(EscalationDigestService).announce('aura-ee'));
    // The pool digest of the same requests, given back with a note, and given up: its context stays, to be sent again.
    await t.dataSource.query(
      `INSERT INTO mail_messages (id, request_id, template, recipient, subject, context, status)
       SELECT gen_random_uuid(), NULL, 'network-pool-alert', recipient, '2 nouvelles demandes en attente',
              jsonb_set(context, '{requests}', (SELECT jsonb_agg(e || '{"givenBack": {"by": "Alix", "note": "Le maire de Lyon rappelle"}}')
                                                  FROM jsonb_array_elements(context->'requests') e)), 'abandoned'
         FROM mail_messages WHERE template = 'network-escalation'`,
    );
    const admin = await insertStaff(t.dataSource, { role: 'admin' });
    await t.app.get(RetentionService).eraseOnRequest(erased.id, admin.id);

    const digests: Array<{ template: string; requests: Array<Record<string, unknown>> }> = await t.dataSource.query(
      `SELECT template, context->'requests' AS requests FROM mail_messages WHERE request_id IS NULL ORDER BY template`,
    );
    expect(digests.map((d) => d.template)).toEqual(['network-escalation', 'network-pool-alert']);
    for (const { requests } of digests) {
      expect(JSON.stringify(requests)).not.toContain(erasedSubject);
      expect(requests.find((r) => r.reference === erased.reference)).toMatchObject({ subject: 'Demande anonymisée' });
      expect(requests.find((r) => r.reference === erased.reference)).not.toHaveProperty('givenBack');
      expect(requests.find((r) => r.reference === kept.reference)).toMatchObject({ subject: keptSubject });
    }
    expect(digests[1].requests.find((r) => r.reference === kept.reference)).toHaveProperty('givenBack.note', 'Le maire de Lyon rappelle');
  });

  it('a facilitator’s e-mail listing the requests their deadlines took from them names the erased one as anonymised', async () => {
    await insertFacilitator(t.dataSource, { email: 'lente@example.org' });
    const references = [await submitRequest(t, 1), await submitRequest(t, 2)];
    const ids: string[] = (
      await t.dataSource.query(`SELECT id FROM requests WHERE reference = ANY($1) ORDER BY created_at`, [references])
    ).map((r: { id: string }) => r.id);
    const routing = t.app.get(RoutingService);
    await routing.routeAll(ids);
    await t.dataSource.query(`UPDATE request_assignments SET take_charge_due_at = now() - interval '1 minute'`);
    await routing.deadlinesReached(await t.app.get(RoutingRepository).overdueAssignments(t.app.get(Clock).now(), 10));
    // Nobody else to take them: in the pool, where one is closed and then erased before the e-mail goes.
    await t.dataSource.query(`UPDATE requests SET status = 'closed', closed_at = now() WHERE id = $1`, [ids[0]]);
    const admin = await insertStaff(t.dataSource, { role: 'admin' });
    await t.app.get(RetentionService).eraseOnRequest(ids[0], admin.id);

    const [digest] = await t.dataSource.query(
      `SELECT subject, context->'requests' AS requests FROM mail_messages WHERE template = 'facilitator-withdrawals'`,
    );
    expect(digest.requests).toEqual([
      { reference: references[0], subject: 'Demande anonymisée', reassigned: false },
      { reference: references[1], subject: 'Fournitures de bureau et loi AGEC 2', reassigned: false },
    ]);
  });
});
