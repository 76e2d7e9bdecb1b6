import { Clock } from '../../src/common/clock';
import { EscalationDigestService } from '../../src/modules/routing/escalation-digest.service';
import { RoutingService } from '../../src/modules/routing/routing.service';
import { RoutingRepository } from '../../src/modules/routing/routing.repository';
import { QueueService } from '../../src/queue/queue.service';
import { mailsTo } from '../support/conversation';
import { insertFacilitator } from '../support/facilitators';
import { insertStaff } from '../support/staff';
import { manualRelay } from '../support/outbox-relay';
import { saturdayNight, timeMachine } from '../support/surveys';
import { bodyOf, sessionsWaitingOnLocks, TestApp, useTestApp, validRequestBody, waitFor } from '../support/test-app';

/** The api alone: submissions wait as 'submitted' and the test calls routing itself, as one job would. */
describe('routing in batches', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app), {}, { api: true, worker: false });
  // The digests these tests ask for go in office hours only: a working day's morning, whatever the hour they run.
  const time = timeMachine(() => t);
  beforeEach(() => time.toOfficeHours());
  afterEach(() => time.back());

  async function submitMany(count: number, overrides: Record<string, unknown> = {}): Promise<string[]> {
    const ids: string[] = [];
    for (let n = 0; n < count; n++) {
      const created = await bodyOf(
        fetch(`${t.url}/api/v1/requests`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(validRequestBody(100 + n, overrides)),
        }),
      );
      ids.push((await t.dataSource.query(`SELECT id FROM requests WHERE reference = $1`, [created.reference]))[0].id);
    }
    return ids;
  }

  const statuses = async (ids: string[]) =>
    (
      await t.dataSource.query(
        `SELECT status, assigned_facilitator_id AS "facilitatorId" FROM requests WHERE id = ANY($1) ORDER BY created_at`,
        [ids],
      )
    ).map((r: { status: string; facilitatorId: string | null }) => r);

  it('a batch job routes the requests it lists oldest first, within capacity, with one history line and one e-mail each', async () => {
    const a = await insertFacilitator(t.dataSource, { email: 'a@example.org', capacity: 2 });
    const b = await insertFacilitator(t.dataSource, { email: 'b@example.org', capacity: 2 });
    const ids = await submitMany(6);
    const routing = t.app.get(RoutingService);

    // Listed youngest first: the older ones still get the places.
    await routing.routeAll([...ids].reverse());

    const after = await statuses(ids);
    // The four places go to the four oldest; the two youngest wait in the pool.
    expect(after.map((r: { status: string }) => r.status)).toEqual([
      'assigned',
      'assigned',
      'assigned',
      'assigned',
      'unassigned',
      'unassigned',
    ]);
    const perFacilitator = (id: string) => after.filter((r: { facilitatorId: string | null }) => r.facilitatorId === id).length;
    expect([perFacilitator(a), perFacilitator(b)]).toEqual([2, 2]);
    const loads = await t.dataSource.query(`SELECT open_count AS n FROM facilitators ORDER BY email`);
    expect(loads.map((r: { n: number }) => r.n)).toEqual([2, 2]);
    const events = await t.dataSource.query(
      `SELECT type, count(*)::int AS n FROM request_events WHERE request_id = ANY($1) GROUP BY type ORDER BY type`,
      [ids],
    );
    expect(events).toEqual([
      { type: 'assigned', n: 4 },
      { type: 'submitted', n: 6 },
      { type: 'unassigned', n: 2 },
    ]);
    const mails = await t.dataSource.query(
      `SELECT template, count(*)::int AS n FROM mail_messages WHERE template <> 'request-acknowledgement' GROUP BY template ORDER BY template`,
    );
    expect(mails).toEqual([{ template: 'facilitator-assignment', n: 4 }]);
    // The pool is announced by the digest job, in one message listing both.
    await routing.poolAlert('aura-ee');
    const [digest] = await mailsTo(t, 'network-pool-alert');
    expect(digest.recipient).toBe('contact@auvergnerhonealpes-ee.fr');
    const waiting = await t.dataSource.query(`SELECT reference FROM requests WHERE status = 'unassigned'`);
    for (const { reference } of waiting) expect(digest.text_body).toContain(reference);
    expect(digest.text_body).toContain('Elles seront attribuées automatiquement');
    // Never promised to the one routing will not offer them to again.
    expect(digest.text_body).toContain('jamais à un facilitateur qui les a déclinées, laissées sans suite ou se les est vu retirer');
    expect(digest.text_body).toContain('/espace?tab=pool');

    // The other jobs, when they come, change nothing.
    for (const id of ids) expect(await routing.route(id)).toBe('unchanged');
    expect(await statuses(ids)).toEqual(after);
    expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM request_assignments`))[0].n).toBe(4);
  });

  it('drains the pool in batches, oldest first, as far as the freed capacity goes', async () => {
    const ids = await submitMany(5);
    const routing = t.app.get(RoutingService);
    await routing.routeAll(ids);
    expect((await statuses(ids)).every((r: { status: string }) => r.status === 'unassigned')).toBe(true);
    await routing.poolAlert('aura-ee');

    await insertFacilitator(t.dataSource, { email: 'late@example.org', capacity: 3 });
    expect(await routing.drainPool('aura-ee')).toBe(3);
    expect((await statuses(ids)).map((r: { status: string }) => r.status)).toEqual([
      'assigned',
      'assigned',
      'assigned',
      'unassigned',
      'unassigned',
    ]);
    // Still waiting requests are not announced twice.
    await routing.poolAlert('aura-ee');
    expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM mail_messages WHERE template = 'network-pool-alert'`))[0].n).toBe(1);
  });

  it('withdraws the overdue requests of one facilitator fifty per transaction, one e-mail each', async () => {
    const held = await insertFacilitator(t.dataSource, { email: 'debordee@example.org', capacity: 60 });
    const ids = await submitMany(52);
    await t.app.get(RoutingService).routeAll(ids);
    expect(new Set((await statuses(ids)).map((r: { facilitatorId: string | null }) => r.facilitatorId))).toEqual(new Set([held]));

    time.forward(5 * 24 * 3600_000); // beyond 2 working days, whatever today is
    // As the sweep lists them after downtime: all at once.
    const overdue = await t.app.get(RoutingRepository).overdueAssignments(t.app.get(Clock).now(), 500);
    expect(overdue).toHaveLength(52);
    await t.app.get(RoutingService).deadlinesReached(overdue);
    const told = await t.dataSource.query(
      `SELECT subject FROM mail_messages WHERE recipient = 'debordee@example.org' AND template = 'facilitator-withdrawals' ORDER BY subject`,
    );
    expect(told.map((m: { subject: string }) => m.subject)).toEqual([
      '2 demandes vous sont retirées : leur délai de prise en charge est passé',
      '50 demandes vous sont retirées : leur délai de prise en charge est passé',
    ]);
    expect((await statuses(ids)).every((r: { status: string }) => r.status === 'unassigned')).toBe(true);
  });

  it('a digest counts every request it announces, lists the oldest hundred, and says how many wait in all', async () => {
    const ids = await submitMany(103);
    const routing = t.app.get(RoutingService);
    await routing.routeAll(ids);
    await routing.poolAlert('aura-ee');

    const [digest] = await mailsTo(t, 'network-pool-alert');
    expect(digest.subject).toBe('103 demandes en attente : aucun facilitateur disponible');
    expect(digest.text_body).toContain('103 demandes attendent dans la réserve');
    expect(digest.text_body).not.toContain('en tout');
    const references: Array<{ reference: string }> = await t.dataSource.query(
      `SELECT reference FROM requests WHERE id = ANY($1) ORDER BY created_at, id`,
      [ids],
    );
    for (const { reference } of references.slice(0, 100)) expect(digest.text_body).toContain(reference);
    for (const { reference } of references.slice(100)) expect(digest.text_body).not.toContain(reference);
    expect(digest.text_body).toContain('… et 3 autres, les plus récentes, à voir dans la réserve de votre espace.');
    expect(digest.html_body).toContain('… et 3 autres, les plus récentes, à voir dans <a href=');
    // Each thing to do where it is done: « Confier » from the pool, even past a capacity; the facilitators' page for people.
    expect(digest.text_body).toMatch(
      /confier vous-même une demande, depuis sa page dans la réserve de votre espace \(« Confier à un facilitateur »\), même à un facilitateur à pleine capacité après confirmation : \S+\/espace\?tab=pool ;/,
    );
    expect(digest.text_body).toMatch(/ajouter un facilitateur, depuis la page des facilitateurs : \S+\/espace\/facilitateurs$/m);
    expect(digest.text_body).not.toContain('augmenter une capacité');
    // All 103 are announced: the next digest speaks of newcomers only, and of the pool's total.
    const unannounced = await t.dataSource.query(`SELECT count(*)::int AS n FROM requests WHERE pool_alerted_at IS NULL`);
    expect(unannounced[0].n).toBe(0);

    const later = await submitMany(2);
    await routing.routeAll(later);
    await routing.poolAlert('aura-ee');
    const [, next] = await mailsTo(t, 'network-pool-alert');
    expect(next.subject).toBe('2 demandes en attente : aucun facilitateur disponible');
    expect(next.text_body).toContain('2 demandes de plus attendent dans la réserve du réseau');
    expect(next.text_body).toContain('La réserve en compte 105 en tout.');
    expect(next.text_body).not.toContain('autres, les plus récentes');
  });

  it('a request back in the pool is announced again, among the others, without calling them new', async () => {
    await insertFacilitator(t.dataSource, { email: 'seule@example.org', capacity: 1 });
    const [held, ...pooled] = await submitMany(3);
    const routing = t.app.get(RoutingService);
    await routing.routeAll([held, ...pooled]);
    await routing.poolAlert('aura-ee');
    // Declined by the only one: back in the pool, with a newcomer nobody covers; the two left waiting were told already.
    const [{ id: assignment }] = await t.dataSource.query(`SELECT id FROM request_assignments WHERE request_id = $1`, [held]);
    expect(await routing.decline(held, assignment, 'unavailable')).toBe('unassigned');
    const [newcomer] = await submitMany(1, { kind: 'social_clause' });
    await routing.routeAll([newcomer]);
    await routing.poolAlert('aura-ee');
    const [, next, ...more] = await mailsTo(t, 'network-pool-alert');
    expect(more).toEqual([]);
    expect(next.subject).toBe('2 demandes en attente : aucun facilitateur disponible');
    expect(next.text_body).toContain('2 demandes de plus attendent dans la réserve du réseau AURA-EE / RREDD');
    expect(next.text_body).toContain('La réserve en compte 4 en tout.');
    expect(next.text_body).not.toContain('nouvelle');
  });

  it('names the network, and narrows its link to it, for an animator of several networks only', async () => {
    await insertStaff(t.dataSource, { role: 'animator', email: 'une@example.org', networks: ['aura-ee'] });
    await insertStaff(t.dataSource, { role: 'animator', email: 'deux@example.org', networks: ['aura-ee', 'reseco'] });
    await t.app.get(RoutingService).routeAll(await submitMany(2));
    await t.app.get(RoutingService).poolAlert('aura-ee');
    const digests = await mailsTo(t, 'network-pool-alert');
    const to = (recipient: string) => digests.find((m) => m.recipient === recipient)!;
    expect(digests).toHaveLength(2);
    expect(to('une@example.org').subject).toBe('2 demandes en attente : aucun facilitateur disponible');
    expect(to('une@example.org').text_body).toMatch(/ : \S+\/espace\?tab=pool ;/);
    expect(to('deux@example.org').subject).toBe('2 demandes en attente dans le réseau AURA-EE / RREDD : aucun facilitateur disponible');
    expect(to('deux@example.org').text_body).toMatch(/ : \S+\/espace\?tab=pool&network=aura-ee ;/);
    expect(to('deux@example.org').html_body).toContain('/espace?tab=pool&amp;network=aura-ee"');
  });

  it('a request the escalation puts in the pool is told once, by the escalation; another path or a later return, by the digest', async () => {
    await insertFacilitator(t.dataSource, { email: 'lente@example.org' });
    const [late] = await submitMany(1);
    // No social-clause facilitator: this one falls into the pool at routing, the ordinary way.
    const [unplaced] = await submitMany(1, { kind: 'social_clause' });
    const routing = t.app.get(RoutingService);
    await routing.routeAll([late, unplaced]);
    const currentAssignment = async (requestId: string) =>
      (await t.dataSource.query(`SELECT id FROM request_assignments WHERE request_id = $1 AND ended_at IS NULL`, [requestId]))[0].id;
    const referenceOf = async (requestId: string) =>
      (await t.dataSource.query(`SELECT reference FROM requests WHERE id = $1`, [requestId]))[0].reference;

    // Its second missed deadline, and the facilitator who let it pass is the only one: it goes to the pool.
    await t.dataSource.query(`UPDATE requests SET deadline_misses = 1 WHERE id = $1`, [late]);
    await t.dataSource.query(`UPDATE request_assignments SET take_charge_due_at = now() - interval '1 minute' WHERE request_id = $1`, [
      late,
    ]);
    await routing.deadlineReached(await currentAssignment(late));
    expect(await statuses([late])).toEqual([{ status: 'unassigned', facilitatorId: null }]);

    // The pool digest, due first, leaves it to the escalation digest; that one, delivered again, says nothing more.
    await routing.poolAlert('aura-ee');
    await t.app.get(EscalationDigestService).announce('aura-ee');
    await t.app.get(EscalationDigestService).announce('aura-ee');
    const [escalation, ...otherEscalations] = await mailsTo(t, 'network-escalation');
    expect(otherEscalations).toEqual([]);
    expect(escalation.text_body).toContain('elle attend dans la réserve du réseau');

    // The pool digest announces the other one only; delivered again, nothing more.
    await routing.poolAlert('aura-ee');
    const lateReference = await referenceOf(late);
    expect((await mailsTo(t, 'network-pool-alert')).map((m) => m.subject)).toEqual([
      `Demande ${await referenceOf(unplaced)} « Fournitures de bureau et loi AGEC 100 » en attente : aucun facilitateur disponible`,
    ]);

    // Taken from the pool, then declined by the only one free: a new stay in the pool, announced.
    await insertFacilitator(t.dataSource, { email: 'relais@example.org' });
    expect(await routing.drainPool('aura-ee')).toBe(1);
    expect(await routing.decline(late, await currentAssignment(late), 'unavailable')).toBe('unassigned');
    await routing.poolAlert('aura-ee');
    const [, back, ...more] = await mailsTo(t, 'network-pool-alert');
    expect(more).toEqual([]);
    expect(back.subject).toBe(
      `Demande ${lateReference} « Fournitures de bureau et loi AGEC 100 » en attente : aucun facilitateur disponible`,
    );
    expect((await mailsTo(t, 'network-escalation')).length).toBe(1);
  });

  /** The request's take-charge deadline passes now, as the deadline job would find it. */
  async function missDeadline(requestId: string): Promise<void> {
    await t.dataSource.query(
      `UPDATE request_assignments SET take_charge_due_at = now() - interval '1 minute' WHERE request_id = $1 AND ended_at IS NULL`,
      [requestId],
    );
    const [{ id }] = await t.dataSource.query(`SELECT id FROM request_assignments WHERE request_id = $1 AND ended_at IS NULL`, [requestId]);
    await t.app.get(RoutingService).deadlineReached(id);
  }
  const referencesOf = async (ids: string[]) =>
    (await t.dataSource.query(`SELECT reference FROM requests WHERE id = ANY($1) ORDER BY created_at`, [ids])).map(
      (r: { reference: string }) => r.reference,
    );

  it('requests missing their deadline twice are told in one digest per animator, naming who let it pass; a replay sends nothing', async () => {
    const animators = ['anim-a@example.org', 'anim-b@example.org'];
    for (const email of animators) await insertStaff(t.dataSource, { role: 'animator', email, networks: ['aura-ee'] });
    // Three facilitators for three requests: each misses one, then another misses it too, the third has it now.
    for (const firstName of ['Alice', 'Bruno', 'Chloé']) {
      await insertFacilitator(t.dataSource, { firstName, lastName: 'Lente', email: `${firstName.toLowerCase()}@example.org` });
    }
    const ids = await submitMany(3);
    await t.app.get(RoutingService).routeAll(ids);
    for (const id of ids) await missDeadline(id);
    for (const id of ids) await missDeadline(id);

    // Kept in PostgreSQL, and one digest job for the network and period however many escalations.
    const kept = await t.dataSource.query(`SELECT misses, announced_at FROM request_escalations`);
    expect(kept).toEqual(ids.map(() => ({ misses: 2, announced_at: null })));
    const jobs = await t.dataSource.query(`SELECT DISTINCT job_id FROM outbox_events WHERE job_name = 'routing.escalation-digest'`);
    expect(jobs).toHaveLength(1);
    expect(jobs[0].job_id).toMatch(/^escalation-digest-aura-ee-\d+$/);
    expect(await mailsTo(t, 'network-escalation')).toEqual([]);

    // Two workers at once, then a replay: one message per animator.
    const digests = t.app.get(EscalationDigestService);
    await Promise.all([digests.announce('aura-ee'), digests.announce('aura-ee')]);
    await digests.announce('aura-ee');
    const sent = await mailsTo(t, 'network-escalation');
    expect(sent.map((m) => m.recipient).sort()).toEqual(animators);
    const [digest] = sent;
    expect(digest.subject).toMatch(/^3 demandes en retard de prise en charge dans le réseau (?!réseau)\S/i);
    for (const reference of await referencesOf(ids)) expect(digest.text_body).toContain(reference);
    const missedBy = await t.dataSource.query(
      `SELECT r.reference, array_agg(f.first_name || ' Lente' ORDER BY a.ended_at) AS names, (SELECT f2.first_name || ' Lente'
          FROM request_assignments a2 JOIN facilitators f2 ON f2.id = a2.facilitator_id WHERE a2.request_id = r.id AND a2.ended_at IS NULL) AS holder
         FROM requests r JOIN request_assignments a ON a.request_id = r.id AND a.end_reason = 'deadline_missed'
         JOIN facilitators f ON f.id = a.facilitator_id GROUP BY r.id`,
    );
    expect(missedBy).toHaveLength(3);
    for (const { reference, names, holder } of missedBy) {
      expect(names).toHaveLength(2);
      expect(digest.text_body).toMatch(
        new RegExp(
          `${reference} [^\\n]*\\n  Délai dépassé 2 fois, laissé passer par ${names.join(', puis ')}\\n  Maintenant confiée à ${holder}\\n`,
        ),
      );
    }
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM request_escalations WHERE announced_at IS NULL`)).toEqual([{ n: 0 }]);
  });

  it('one request escalated alone keeps its own subject', async () => {
    await insertStaff(t.dataSource, { role: 'animator', email: 'anim@example.org', networks: ['aura-ee'] });
    await insertFacilitator(t.dataSource, { firstName: 'Alice', lastName: 'Lente' });
    await insertFacilitator(t.dataSource, { firstName: 'Bruno', lastName: 'Lent' });
    const [id] = await submitMany(1);
    await t.app.get(RoutingService).routeAll([id]);
    await missDeadline(id);
    await missDeadline(id);
    await t.app.get(EscalationDigestService).announce('aura-ee');
    const [digest, ...more] = await mailsTo(t, 'network-escalation');
    expect(more).toEqual([]);
    const [reference] = await referencesOf([id]);
    expect(digest.subject).toBe(`Demande ${reference} « Fournitures de bureau et loi AGEC 100 » : délai de prise en charge dépassé 2 fois`);
    expect(digest.text_body).toContain('Une demande du réseau');
    expect(digest.text_body).toContain('elle attend dans la réserve du réseau');
  });

  it('holds the escalations of a weekend for Monday’s opening, then tells them in one digest, once', async () => {
    const { saturday, opening } = saturdayNight(t.app.get(Clock).now(), true);
    for (const firstName of ['Alice', 'Bruno', 'Chloé']) await insertFacilitator(t.dataSource, { firstName, lastName: 'Lente' });
    const digests = t.app.get(EscalationDigestService);
    time.forward(saturday.getTime() - t.app.get(Clock).now().getTime());
    const ids = await submitMany(2);
    await t.app.get(RoutingService).routeAll(ids);
    // One request misses its deadline a second time on Saturday at 03:00, the other on Sunday evening.
    await missDeadline(ids[0]);
    await missDeadline(ids[0]);
    time.forward(40 * 3600_000);
    await missDeadline(ids[1]);
    await missDeadline(ids[1]);
    expect(await t.dataSource.query(`SELECT DISTINCT job_id FROM outbox_events WHERE job_name = 'routing.escalation-digest'`)).toEqual([
      { job_id: `escalation-digest-aura-ee-${opening.getTime()}` },
    ]);
    await digests.announce('aura-ee');
    expect(await mailsTo(t, 'network-escalation')).toEqual([]);

    time.past(opening);
    await digests.announce('aura-ee');
    await digests.announce('aura-ee');
    const [digest, ...more] = await mailsTo(t, 'network-escalation');
    expect(more).toEqual([]);
    expect(digest.subject).toMatch(/^2 demandes en retard de prise en charge/);
    for (const reference of await referencesOf(ids)) expect(digest.text_body).toContain(reference);
  });

  it('a digest waiting on a request its holder is giving up meanwhile tells where the change left it, not who held it', async () => {
    await insertStaff(t.dataSource, { role: 'animator', email: 'anim@example.org', networks: ['aura-ee'] });
    for (const firstName of ['Alice', 'Bruno', 'Chloé']) await insertFacilitator(t.dataSource, { firstName, lastName: 'Lente' });
    const [id] = await submitMany(1);
    await t.app.get(RoutingService).routeAll([id]);
    await missDeadline(id);
    await missDeadline(id);
    expect((await statuses([id]))[0].status).toBe('assigned');

    // Its holder's decline holds the request while the digest starts; it goes to the pool, no one else left to take it.
    const decline = t.dataSource.createQueryRunner();
    await decline.connect();
    await decline.startTransaction();
    await decline.query(
      `UPDATE request_assignments SET ended_at = now(), end_reason = 'declined', decline_reason = 'unavailable'
                          WHERE request_id = $1 AND ended_at IS NULL`,
      [id],
    );
    await decline.query(`UPDATE requests SET status = 'unassigned', assigned_facilitator_id = NULL WHERE id = $1`, [id]);
    const announced = t.app.get(EscalationDigestService).announce('aura-ee');
    try {
      await waitFor(async () => (await sessionsWaitingOnLocks(t.dataSource)) > 0, 10_000, 'the digest waiting on the request');
    } finally {
      await decline.commitTransaction();
      await decline.release();
    }
    await announced;

    const [digest] = await mailsTo(t, 'network-escalation');
    expect(digest.text_body).not.toContain('Maintenant confiée à');
    expect(digest.text_body).toContain('elle attend dans la réserve du réseau');
  });

  it('the pool digest dates a request of La Réunion in its own time, and says so', async () => {
    const [id] = await submitMany(1, { departmentCode: '974' });
    const routing = t.app.get(RoutingService);
    await routing.routeAll([id]);
    await routing.poolAlert('reunion');
    const [{ created_at: createdAt }] = await t.dataSource.query(`SELECT created_at FROM requests WHERE id = $1`, [id]);
    const local = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Indian/Reunion', dateStyle: 'long', timeStyle: 'short' })
      .format(createdAt)
      .replace(/^1 /, '1er ');
    const [digest] = await mailsTo(t, 'network-pool-alert');
    expect(digest.text_body).toContain(`déposée le ${local} (heure de La Réunion)`);
  });

  it('a batch job routes the requests it lists that still wait, oldest first, and leaves pooled ones to the pool', async () => {
    await insertFacilitator(t.dataSource, { email: 'one@example.org', capacity: 1 });
    const ids = await submitMany(3);
    const routing = t.app.get(RoutingService);

    // listed out of order: the oldest still gets the one place
    await routing.routeAll([ids[2], ids[0], ids[1]]);
    expect((await statuses(ids)).map((r: { status: string }) => r.status)).toEqual(['assigned', 'unassigned', 'unassigned']);

    // a place frees up: the job delivered again does not route the pooled ones (draining the pool does)
    await t.dataSource.query(`UPDATE facilitators SET capacity = 3`);
    await routing.routeAll(ids);
    expect((await statuses(ids)).map((r: { status: string }) => r.status)).toEqual(['assigned', 'unassigned', 'unassigned']);
    expect(await routing.drainPool('aura-ee')).toBe(2);
  });

  it('the outbox relay publishes submissions that wait together as one routing job and one mail job listing them', async () => {
    const ids = await submitMany(3);
    const queues = t.app.get(QueueService);
    const relay = manualRelay(t);
    expect(await relay.drain()).toBe(6);

    const [routingJob, ...otherRoutingJobs] = await queues.queue('routing').getJobs(['waiting']);
    expect(otherRoutingJobs).toEqual([]);
    expect(routingJob.name).toBe('request.submitted-batch');
    expect([...routingJob.data.requestIds].sort()).toEqual([...ids].sort());
    const mailJobs = await queues.queue('mail').getJobs(['waiting']);
    expect(mailJobs.map((job) => [job.name, job.data.mailIds.length])).toEqual([['mail.send-batch', 3]]);

    // The jobs do the work of the six they replace.
    await t.app.get(RoutingService).routeAll(routingJob.data.requestIds);
    expect((await statuses(ids)).every((r: { status: string }) => r.status === 'unassigned')).toBe(true);
  });
});
