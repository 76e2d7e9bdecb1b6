import { Clock } from '../../src/common/clock';
import { isWorkingDay, latestWorkingDayAt, takeChargeDueAt } from '../../src/common/working-days.policy';
import { OverdueAnswersService } from '../../src/modules/routing/overdue-answers.service';
import { RoutingProcessor } from '../../src/modules/routing/routing.processor';
import { RoutingService } from '../../src/modules/routing/routing.service';
import { RoutingRepository } from '../../src/modules/routing/routing.repository';
import { RoutingSweepService } from '../../src/modules/routing/routing-sweep.service';
import { answerReminderAt, takeChargeReminderAt } from '../../src/modules/routing/reminders.policy';
import { frenchFilters, sentMailFile } from '../support/conversation';
import { insertFacilitator } from '../support/facilitators';
import { parisAt, saturdayNight, timeMachine } from '../support/surveys';
import { bearerFor, insertStaff } from '../support/staff';
import { bodyOf, TestApp, useTestApp, validRequestBody, waitFor } from '../support/test-app';

const DAY = 24 * 3600 * 1000;

describe('routing worker', () => {
  let t!: TestApp;
  // Pool digests every second, so that the test sees them.
  useTestApp((app) => (t = app), { POOL_ALERT_DIGEST_SECONDS: '1' }, { api: true, worker: true });
  // Pool and escalation digests go in office hours: a test that expects one now first moves there (toOfficeHours).
  const time = timeMachine(() => t);
  afterEach(() => time.back());

  async function submit(
    n: number,
    overrides: Record<string, unknown> = {},
  ): Promise<{ id: string; reference: string; trackingUrl: string }> {
    const created = await bodyOf(
      fetch(`${t.url}/api/v1/requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(validRequestBody(n, overrides)),
      }),
    );
    const [row] = await t.dataSource.query(`SELECT id FROM requests WHERE reference = $1`, [created.reference]);
    return { ...created, id: row.id };
  }

  const stateOf = async (requestId: string) =>
    (
      await t.dataSource.query(
        `SELECT r.status, r.assigned_facilitator_id AS "facilitatorId", r.deadline_misses AS misses FROM requests r WHERE r.id = $1`,
        [requestId],
      )
    )[0];
  const settled = (requestId: string, status: string) =>
    waitFor(async () => (await stateOf(requestId)).status === status && stateOf(requestId), 15_000, `demande ${status}`);
  const mailsTo = async (recipient: string, template: string) =>
    Number(
      (await t.dataSource.query(`SELECT count(*) AS n FROM mail_messages WHERE recipient = $1 AND template = $2`, [recipient, template]))[0]
        .n,
    );
  /** A staff API action on a request (take-charge, clarification, reassign…), as the staff member `token` is a bearer of. */
  const staffPost = (token: string, reference: string, action: string, body: unknown = {}) =>
    fetch(`${t.url}/api/v1/staff/requests/${reference}/${action}`, {
      method: 'POST',
      headers: { authorization: token, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('assigns a request to the facilitator of its kind and territory, tells them, and shows them to the buyer', async () => {
    await insertFacilitator(t.dataSource, { network: 'reseco', email: 'bretagne@example.org' });
    const isere = await insertFacilitator(t.dataSource, { network: 'aura-ee', email: 'isere@example.org', firstName: 'Aurélie' });
    await insertFacilitator(t.dataSource, { kind: 'social_clause', network: 'aura-ee', departments: ['38'], email: 'social@example.org' });
    const request = await submit(1);
    const state = await settled(request.id, 'assigned');
    expect(state.facilitatorId).toBe(isere);
    await waitFor(async () => (await mailsTo('isere@example.org', 'facilitator-assignment')) === 1, 10_000, 'courriel au facilitateur');
    // Its take-charge timer names the assignment alone: all its processor reads.
    const [assignment] = await t.dataSource.query(`SELECT id FROM request_assignments WHERE request_id = $1`, [request.id]);
    expect(await t.dataSource.query(`SELECT payload FROM outbox_events WHERE job_name = 'routing.deadline'`)).toEqual([
      { payload: { assignmentId: assignment.id } },
    ]);

    const token = new URL(request.trackingUrl).searchParams.get('t')!;
    const tracked = await bodyOf(fetch(`${t.url}/api/v1/requests/${request.reference}`, { headers: { 'x-tracking-token': token } }));
    expect(tracked.status).toBe('assigned');
    expect(tracked.facilitator).toEqual({
      firstName: 'Aurélie',
      network: 'AURA-EE / RREDD',
      kind: 'environmental',
      organisation: null,
      affiliation: 'du réseau AURA-EE / RREDD',
      tookCharge: false,
    });
    expect(tracked.history.map((h: { type: string }) => h.type)).toEqual(['submitted', 'assigned']);
  });

  it('prefers segment expertise, then the lighter load', async () => {
    await insertFacilitator(t.dataSource, { email: 'light@example.org', capacity: 10 });
    const expert = await insertFacilitator(t.dataSource, { email: 'expert@example.org', capacity: 10, segments: ['catering'] });
    const request = await submit(2, { segment: 'catering' });
    expect((await settled(request.id, 'assigned')).facilitatorId).toBe(expert);
  });

  it('routes a social-clause request to the département facilitator, and to the région coordinator when none is free', async () => {
    const local = await insertFacilitator(t.dataSource, { kind: 'social_clause', network: 'aura-ee', departments: ['38'], capacity: 1 });
    const coordinator = await insertFacilitator(t.dataSource, { kind: 'social_clause', network: 'aura-ee', coordinator: true });
    await insertFacilitator(t.dataSource, { kind: 'social_clause', network: 'reseco', coordinator: true });
    const first = await submit(3, { kind: 'social_clause' });
    expect((await settled(first.id, 'assigned')).facilitatorId).toBe(local);
    // A territorial facilitator is not presented to the buyer as one of the environmental network's.
    const page = await (await fetch(first.trackingUrl)).text();
    expect(page).toMatch(/<strong>[^<]+<\/strong>, qui anime les clauses sociales sur votre territoire\./);
    expect(page).not.toContain('du réseau');
    const second = await submit(4, { kind: 'social_clause' });
    expect((await settled(second.id, 'assigned')).facilitatorId).toBe(coordinator);
    // The coordinator's e-mail says why a département not theirs comes to them; the local facilitator's does not.
    expect(await sentMailFile(t, 'facilitator-assignment', `facilitateur-${coordinator}@example.org`)).toContain(
      'Elle vous revient comme coordinateur régional : les facilitateurs de clauses sociales du département sont tous à pleine capacité.',
    );
    expect(await sentMailFile(t, 'facilitator-assignment', `facilitateur-${local}@example.org`)).not.toContain('coordinateur régional');
  });

  it('presents a social-clause facilitator by the structure that employs them, when their record names one', async () => {
    await insertFacilitator(t.dataSource, {
      kind: 'social_clause',
      network: 'aura-ee',
      departments: ['38'],
      firstName: 'Camille',
      organisation: 'Maison de l’emploi de Carcassonne',
    });
    const request = await submit(70, { kind: 'social_clause' });
    await settled(request.id, 'assigned');
    const page = await (await fetch(request.trackingUrl)).text();
    expect(page).toContain('<strong>Camille</strong>, de la Maison de l’emploi de Carcassonne.</p>');
    expect(page).not.toContain('qui anime les clauses sociales');
    expect(page).not.toContain('du réseau AURA-EE');
  });

  it('a coordinator listing départements is the fallback of their région only; one listing none, of the whole network', async () => {
    // RESECO spans Bretagne, Pays de la Loire and Centre-Val de Loire; this coordinator covers Bretagne.
    const breton = await insertFacilitator(t.dataSource, {
      kind: 'social_clause',
      network: 'reseco',
      coordinator: true,
      departments: ['22', '29', '35', '56'],
    });
    const fromCher = await submit(40, { kind: 'social_clause', departmentCode: '18' });
    await settled(fromCher.id, 'unassigned');
    const fromMorbihan = await submit(41, { kind: 'social_clause', departmentCode: '56' });
    expect((await settled(fromMorbihan.id, 'assigned')).facilitatorId).toBe(breton);
    const wholeNetwork = await insertFacilitator(t.dataSource, { kind: 'social_clause', network: 'reseco', coordinator: true });
    const fromLoirEtCher = await submit(42, { kind: 'social_clause', departmentCode: '41' });
    expect((await settled(fromLoirEtCher.id, 'assigned')).facilitatorId).toBe(wholeNetwork);
  });

  it('puts a request nobody can take in the network pool, alerts the network, and drains the pool when capacity frees', async () => {
    time.toOfficeHours();
    const only = await insertFacilitator(t.dataSource, { email: 'seul@example.org', capacity: 1 });
    const first = await submit(5);
    await settled(first.id, 'assigned');
    const second = await submit(6);
    await settled(second.id, 'unassigned');
    await waitFor(async () => (await mailsTo('contact@auvergnerhonealpes-ee.fr', 'network-pool-alert')) === 1, 10_000, 'alerte au réseau');
    // Its reader has no account: told how to get one, the links ask for it.
    expect(await sentMailFile(t, 'network-pool-alert', 'contact@auvergnerhonealpes-ee.fr')).toContain(
      'envoyé à l’adresse de contact du réseau, qui n’a pas encore d’animateur inscrit : pour agir depuis l’espace du guichet vert (confier une demande, ajouter un facilitateur), demandez un compte d’animateur',
    );

    // The first is declined by its facilitator: capacity frees, the pool drains by itself, oldest first.
    const [assignment] = await t.dataSource.query(`SELECT id FROM request_assignments WHERE request_id = $1`, [first.id]);
    // Nobody else can take it: it goes back to the pool (what decline answers), the freed place drains the second one.
    expect(await t.app.get(RoutingService).decline(first.id, assignment.id, 'unavailable')).toBe('unassigned');
    expect((await settled(second.id, 'assigned')).facilitatorId).toBe(only);
    // The decliner is not offered the first request again: it waits in the pool.
    expect((await stateOf(first.id)).status).toBe('unassigned');
  });

  it('announces the pool to the network’s animators in one digest per period, without the contact address once animators exist', async () => {
    time.toOfficeHours();
    await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'], email: 'animatrice@example.org' });
    await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'], email: 'parti@example.org', active: false });
    await insertStaff(t.dataSource, { role: 'animator', networks: ['reseco'], email: 'ailleurs@example.org' });
    // Invited, not signed up yet: the address may be a typo, and the digest names requests.
    await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'], email: 'invitee@example.org', password: null });
    const [first, second] = [await submit(7), await submit(8)];
    await waitFor(
      async () => (await t.dataSource.query(`SELECT count(*)::int AS n FROM requests WHERE pool_alerted_at IS NOT NULL`))[0].n === 2,
      10_000,
      'demandes annoncées',
    );
    // Bodies may already be delivered and purged: the subject says how many requests each digest lists.
    const all: Array<{ recipient: string; subject: string }> = await t.dataSource.query(
      `SELECT recipient, subject FROM mail_messages WHERE template = 'network-pool-alert'`,
    );
    expect(new Set(all.map((d) => d.recipient))).toEqual(new Set(['animatrice@example.org']));
    expect(await sentMailFile(t, 'network-pool-alert', 'animatrice@example.org', all.length)).not.toContain('adresse de contact du réseau');
    // Each request announced exactly once, in a digest of its period (both in one message when they share it).
    const listed = all.map((d) => (d.subject.startsWith('Demande ') ? 1 : Number.parseInt(d.subject, 10)));
    expect(listed.reduce((a, b) => a + b, 0)).toBe(2);
    for (const d of all.filter((m) => m.subject.startsWith('Demande '))) {
      expect([first.reference, second.reference].some((reference) => d.subject.includes(reference))).toBe(true);
    }

    // A repeated job announces nothing more.
    await t.app.get(RoutingService).poolAlert('aura-ee');
    expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM mail_messages WHERE template = 'network-pool-alert'`))[0].n).toBe(
      all.length,
    );
  });

  it('re-routes a declined request to someone else', async () => {
    const a = await insertFacilitator(t.dataSource, { email: 'a@example.org', segments: ['office_supplies'] });
    const b = await insertFacilitator(t.dataSource, { email: 'b@example.org' });
    const request = await submit(7);
    expect((await settled(request.id, 'assigned')).facilitatorId).toBe(a);
    const [assignment] = await t.dataSource.query(`SELECT id FROM request_assignments WHERE request_id = $1`, [request.id]);
    await t.app.get(RoutingService).decline(request.id, assignment.id, 'not_my_expertise');
    expect((await stateOf(request.id)).facilitatorId).toBe(b);
    const history = await t.dataSource.query(`SELECT type FROM request_events WHERE request_id = $1 ORDER BY id`, [request.id]);
    expect(history.map((h: { type: string }) => h.type)).toEqual(['submitted', 'assigned', 'declined', 'assigned']);
  });

  it('re-routes when the take-charge deadline passes, tells both, and escalates to the animators after the second miss', async () => {
    await insertFacilitator(t.dataSource, { email: 'premier@example.org', segments: ['office_supplies'] });
    await insertFacilitator(t.dataSource, { email: 'second@example.org' });
    await insertFacilitator(t.dataSource, { email: 'troisieme@example.org' });
    const request = await submit(8);
    await settled(request.id, 'assigned');
    const sweep = t.app.get(RoutingSweepService);

    time.forward(5 * DAY); // beyond 2 working days, whatever today is
    await sweep.run();
    let state = await stateOf(request.id);
    expect(state.misses).toBe(1);
    await waitFor(async () => (await mailsTo('premier@example.org', 'assignment-withdrawn')) === 1, 10_000, 'retrait annoncé');
    // The two others tie on every ranking key but their ids: either may come first.
    const offered = async () =>
      (await mailsTo('second@example.org', 'facilitator-assignment')) + (await mailsTo('troisieme@example.org', 'facilitator-assignment'));
    expect(await offered()).toBe(1);

    time.forward(5 * DAY);
    time.toOfficeHours();
    await sweep.run();
    state = await stateOf(request.id);
    expect(state).toMatchObject({ status: 'assigned', misses: 2 });
    expect(await mailsTo('second@example.org', 'facilitator-assignment')).toBe(1);
    expect(await mailsTo('troisieme@example.org', 'facilitator-assignment')).toBe(1);
    // Told in the network's escalation digest, at the end of its period: where it went, and who let it pass.
    const escalation = await sentMailFile(t, 'network-escalation', 'contact@auvergnerhonealpes-ee.fr');
    expect(escalation).toContain('Maintenant confiée à ');
    expect(escalation).toMatch(/Délai dépassé 2 fois, laissé passer par \S+ Test, puis \S+ Test/);
    expect(escalation).toContain('demandez un compte d’animateur');
    expect(await mailsTo('contact@auvergnerhonealpes-ee.fr', 'network-escalation')).toBe(1);
    // Each of the next two read how often its deadline had already passed.
    const toNext = await Promise.all(
      ['second@example.org', 'troisieme@example.org'].map((to) => sentMailFile(t, 'facilitator-assignment', to)),
    );
    const said = toNext.map(
      (mail) => /Son délai de prise en charge est déjà passé (une|2) fois(, et l’animation du réseau en est prévenue)? :/.exec(mail)?.[0],
    );
    expect(said.sort()).toEqual([
      'Son délai de prise en charge est déjà passé 2 fois, et l’animation du réseau en est prévenue :',
      'Son délai de prise en charge est déjà passé une fois :',
    ]);
  });

  it('the sweep sends an escalation digest whose job was lost', async () => {
    time.toOfficeHours();
    await insertFacilitator(t.dataSource, { email: 'unique@example.org' });
    const request = await submit(9);
    await settled(request.id, 'assigned');
    // Recorded by a deadline's transaction whose digest job Redis lost: nothing but the row says it is to tell.
    await t.dataSource.query(
      `INSERT INTO request_escalations (id, request_id, misses, escalated_at) VALUES (gen_random_uuid(), $1, 2, now() - interval '1 hour')`,
      [request.id],
    );
    await t.app.get(RoutingSweepService).run();
    expect(await mailsTo('contact@auvergnerhonealpes-ee.fr', 'network-escalation')).toBe(1);
    expect(await t.dataSource.query(`SELECT subject FROM mail_messages WHERE template = 'network-escalation'`)).toEqual([
      { subject: `Demande ${request.reference} « Fournitures de bureau et loi AGEC 9 » : délai de prise en charge dépassé 2 fois` },
    ]);
    expect(await sentMailFile(t, 'network-escalation', 'contact@auvergnerhonealpes-ee.fr')).toContain(
      'Maintenant confiée à Dominique Test',
    );
    await t.app.get(RoutingSweepService).run();
    expect(await mailsTo('contact@auvergnerhonealpes-ee.fr', 'network-escalation')).toBe(1);
  });

  it.each([
    ['on Monday at 09:00, by its job', true, false],
    ['on the Tuesday after a holiday Monday at 09:00, by the sweep when its job was lost', false, true],
  ])(
    'holds the pool digest due on Saturday at 03:00, and sends one digest of all the weekend gathered %s, once',
    async (_, mondayWorked, jobLost) => {
      const { saturday, opening } = saturdayNight(t.app.get(Clock).now(), mondayWorked);
      const routing = t.app.get(RoutingService);
      const sweep = t.app.get(RoutingSweepService);
      const digests = async (): Promise<Array<{ subject: string; context: { requests: Array<{ reference: string }> } }>> =>
        t.dataSource.query(`SELECT subject, context FROM mail_messages WHERE template = 'network-pool-alert'`);
      time.forward(saturday.getTime() - t.app.get(Clock).now().getTime());
      // Nobody in the network: one request falls into its pool on Saturday at 03:00, another on Sunday evening.
      const first = await submit(81);
      await settled(first.id, 'unassigned');
      time.forward(40 * 3600_000);
      const second = await submit(82);
      await settled(second.id, 'unassigned');
      // One digest job for the whole weekend, due at the opening.
      expect(await t.dataSource.query(`SELECT DISTINCT job_id FROM outbox_events WHERE job_name = 'routing.pool-alert'`)).toEqual([
        { job_id: `pool-alert-aura-ee-${opening.getTime()}` },
      ]);
      // Neither a job delivered early nor the sweep sends it meanwhile.
      await routing.poolAlert('aura-ee');
      await sweep.run();
      expect(await digests()).toEqual([]);

      time.past(opening);
      if (jobLost) {
        // Lost with Redis: the sweep finds both still unannounced once the job would have gone.
        time.forward(60_000);
        await sweep.run();
      } else {
        await routing.poolAlert('aura-ee');
      }
      const [digest, ...more] = await digests();
      expect(more).toEqual([]);
      expect(digest.subject).toBe('2 demandes en attente : aucun facilitateur disponible');
      expect(digest.context.requests.map((r) => r.reference)).toEqual([first.reference, second.reference]);
      // The job, or the sweep, coming after it sends nothing more.
      await routing.poolAlert('aura-ee');
      await sweep.run();
      expect(await digests()).toHaveLength(1);
    },
  );

  it('sends the weekend’s pool digest from a job run a few seconds before the opening it was planned for', async () => {
    const { saturday, opening } = saturdayNight(t.app.get(Clock).now(), true);
    time.forward(saturday.getTime() - t.app.get(Clock).now().getTime());
    const request = await submit(84);
    await settled(request.id, 'unassigned');
    const jobs = await t.dataSource.query(`SELECT DISTINCT payload FROM outbox_events WHERE job_name = 'routing.pool-alert'`);
    expect(jobs).toEqual([{ payload: { networkCode: 'aura-ee', at: opening.getTime() } }]);

    // The queue's host a few seconds ahead of this one's: the job runs before 09:00 here.
    time.forward(opening.getTime() - 10_000 - t.app.get(Clock).now().getTime());
    const alert = t.app.get(RoutingProcessor).handlers()['routing.pool-alert']!;
    // A job queued by an earlier version, which does not say when it was planned for, leaves it to the sweep.
    await alert({ networkCode: 'aura-ee' });
    expect(await mailsTo('contact@auvergnerhonealpes-ee.fr', 'network-pool-alert')).toBe(0);
    await alert(jobs[0].payload);
    expect(await mailsTo('contact@auvergnerhonealpes-ee.fr', 'network-pool-alert')).toBe(1);
  });

  it('sends the pool digest due on a Tuesday at 10:00 at once', async () => {
    const now = t.app.get(Clock).now();
    let days = 7;
    while (parisAt(now, days, 12).getUTCDay() !== 2 || !isWorkingDay(parisAt(now, days, 12), '75')) days++;
    time.forward(parisAt(now, days, 10).getTime() - now.getTime());
    const request = await submit(83);
    await settled(request.id, 'unassigned');
    // Its job, due at the end of the period, sends it.
    await waitFor(async () => (await mailsTo('contact@auvergnerhonealpes-ee.fr', 'network-pool-alert')) === 1, 10_000, 'alerte au réseau');
    expect(await t.dataSource.query(`SELECT subject FROM mail_messages WHERE template = 'network-pool-alert'`)).toEqual([
      { subject: `Demande ${request.reference} « Fournitures de bureau et loi AGEC 83 » en attente : aucun facilitateur disponible` },
    ]);
  });

  /**
   * Past the take-charge deadline of whoever holds it now, in office hours (the pool digest goes then): the sweep moves
   * it on; the app's clock stays there for `run`.
   */
  async function pastDeadline(run: () => Promise<void>): Promise<void> {
    time.forward(5 * DAY); // beyond 2 working days, whatever today is
    time.toOfficeHours();
    try {
      await t.app.get(RoutingSweepService).run();
      await run();
    } finally {
      time.back();
    }
  }

  it('never gives a request back by itself to the facilitator an animator took it from, even when the next one lets its deadline pass', async () => {
    const sacha = await insertFacilitator(t.dataSource, { email: 'sacha@example.org', firstName: 'Sacha', segments: ['office_supplies'] });
    const dominique = await insertFacilitator(t.dataSource, { email: 'dominique@example.org' });
    const request = await submit(30);
    expect((await settled(request.id, 'assigned')).facilitatorId).toBe(sacha);
    const animator = await bearerFor(t, { role: 'animator', networks: ['aura-ee'], email: 'animatrice@example.org' });
    const moved = await bodyOf(staffPost(animator, request.reference, 'reassign', { facilitatorId: dominique, reason: 'surchargée' }));
    expect(moved).toMatchObject({ facilitatorId: dominique });

    await pastDeadline(async () => {
      // Sacha is the only other one: the request waits in the pool rather than undo the animator's move.
      expect(await stateOf(request.id)).toMatchObject({ status: 'unassigned', facilitatorId: null, misses: 1 });
      expect(await mailsTo('sacha@example.org', 'facilitator-assignment')).toBe(1);
      // The animators' digest says who had it and how it left them.
      expect(await sentMailFile(t, 'network-pool-alert', 'animatrice@example.org')).toContain(
        'Déjà eue par Sacha Test (retirée par l’animation, confiée à un autre facilitateur) ; Dominique Test (délai de prise en charge passé)',
      );
    });
  });

  it('names in the pool digest who declined each request and why, escaped in its HTML part', async () => {
    const sacha = await insertFacilitator(t.dataSource, {
      email: 'sacha@example.org',
      firstName: 'Sacha',
      lastName: 'Martin <Équipe & co>',
      segments: ['office_supplies'],
    });
    await insertFacilitator(t.dataSource, { email: 'dominique@example.org', lastName: 'Roux' });
    const request = await submit(31);
    expect((await settled(request.id, 'assigned')).facilitatorId).toBe(sacha);
    const [assignment] = await t.dataSource.query(`SELECT id FROM request_assignments WHERE request_id = $1`, [request.id]);
    expect(await t.app.get(RoutingService).decline(request.id, assignment.id, 'not_my_territory')).toBe('assigned');

    await pastDeadline(async () => {
      expect((await stateOf(request.id)).status).toBe('unassigned');
      const digest = await sentMailFile(t, 'network-pool-alert', 'contact@auvergnerhonealpes-ee.fr');
      const who = (name: string) =>
        `Déjà eue par ${name} (déclinée : hors de son territoire) ; Dominique Roux (délai de prise en charge passé)`;
      expect(digest).toContain(`\n  ${who('Sacha Martin <Équipe & co>')}\n`);
      expect(digest).toContain(`<br>${who('Sacha Martin &lt;Équipe &amp; co&gt;')}<br>Pourquoi elle attend`);
    });
  });

  it('reminds the facilitator one working day before the take-charge deadline, once, and not once taken in charge', async () => {
    await insertFacilitator(t.dataSource, { email: 'oublieuse@example.org', firstName: 'Oriane' });
    const [forgotten, taken] = [await submit(11), await submit(12)];
    await settled(forgotten.id, 'assigned');
    await settled(taken.id, 'assigned');
    const reminderAt = async (requestId: string) =>
      (await t.dataSource.query(`SELECT take_charge_reminder_at AS at FROM request_assignments WHERE request_id = $1`, [requestId]))[0].at;
    const [assignment] = await t.dataSource.query(
      `SELECT assigned_at AS "assignedAt", take_charge_reminder_at AS "reminderAt", take_charge_due_at AS "dueAt" FROM request_assignments WHERE request_id = $1`,
      [forgotten.id],
    );
    expect(assignment.dueAt).toEqual(takeChargeDueAt(assignment.assignedAt, 2, '38'));
    expect(assignment.reminderAt).toEqual(takeChargeReminderAt(assignment.assignedAt, 2, '38'));
    expect(assignment.reminderAt.getTime()).toBeLessThan(assignment.dueAt.getTime());
    await t.dataSource.query(`UPDATE request_assignments SET taken_at = now() WHERE request_id = $1`, [taken.id]);
    await t.dataSource.query(`UPDATE requests SET status = 'in_progress' WHERE id = $1`, [taken.id]);
    const sweep = t.app.get(RoutingSweepService);
    const reminders = () => mailsTo('oublieuse@example.org', 'take-charge-reminder');

    await sweep.run();
    expect(await reminders()).toBe(0);
    // The moment comes: between the reminder and the deadline.
    await t.dataSource.query(`UPDATE request_assignments SET take_charge_reminder_at = now() - interval '1 minute'`);
    const [due] = await t.dataSource.query(
      `SELECT request_id AS "requestId", id AS "assignmentId", facilitator_id AS "facilitatorId" FROM request_assignments WHERE request_id = $1`,
      [forgotten.id],
    );
    // The sweep and a second worker's call at once, then another pass: one reminder, the request's own.
    await Promise.all([sweep.run(), t.app.get(RoutingService).remind([{ ...due, reminder: 'take_charge' }])]);
    await sweep.run();
    expect(await reminders()).toBe(1);
    const mail = await sentMailFile(t, 'take-charge-reminder', 'oublieuse@example.org');
    expect(mail).toContain(
      `Subject: Rappel : la demande ${forgotten.reference} « Fournitures de bureau et loi AGEC 11 » attend votre prise en charge`,
    );
    expect(mail).toContain('Bonjour Oriane,');
    expect(mail).toContain('(heure de Paris), ou déclinez-la si vous ne pouvez pas la traiter');
    // The buyer's own date (validRequestBody's), in the text and the HTML.
    const neededBy = `1er mars ${new Date().getUTCFullYear() + 1}`;
    expect(mail).toContain(`L’acheteur a besoin de la réponse d’ici le ${neededBy}.`);
    expect(mail).toContain(`L’acheteur a besoin de la réponse d’ici le <strong>${neededBy}</strong>.`);
    expect(mail).toContain(`/espace/demandes/${forgotten.reference}`);
    expect(await reminderAt(forgotten.id)).toBeNull();
    expect((await stateOf(forgotten.id)).status).toBe('assigned');
  });

  it('lists no reminder whose deadline passed while the sweep was stopped: it would come too late and crowd out those due', async () => {
    const facilitatorId = await insertFacilitator(t.dataSource, { email: 'arretee@example.org' });
    const [untaken, taken] = [await submit(14), await submit(15)];
    await settled(untaken.id, 'assigned');
    await settled(taken.id, 'assigned');
    const token = await bearerFor(t, { role: 'facilitator', facilitatorId, networks: ['aura-ee'] });
    expect((await staffPost(token, taken.reference, 'take-charge')).status).toBe(200);
    // Both reminders were due two days ago and both deadlines passed yesterday: the sweep did not run meanwhile.
    await t.dataSource.query(
      `UPDATE request_assignments SET take_charge_reminder_at = now() - interval '2 days', take_charge_due_at = now() - interval '1 day'
        WHERE request_id = $1`,
      [untaken.id],
    );
    await t.dataSource.query(
      `UPDATE request_assignments SET answer_reminder_at = now() - interval '2 days', answer_due_at = now() - interval '1 day'
        WHERE request_id = $1`,
      [taken.id],
    );
    const repository = t.app.get(RoutingRepository);
    const now = new Date();
    expect((await repository.dueTakeChargeReminders(now, 10)).map((d) => d.requestId)).not.toContain(untaken.id);
    expect((await repository.dueAnswerReminders(now, 10)).map((d) => d.requestId)).not.toContain(taken.id);
    // Due, with their deadlines still ahead: listed (and so the assignments above were still there to list).
    await t.dataSource.query(`UPDATE request_assignments SET take_charge_due_at = now() + interval '1 day' WHERE request_id = $1`, [
      untaken.id,
    ]);
    await t.dataSource.query(`UPDATE request_assignments SET answer_due_at = now() + interval '1 day' WHERE request_id = $1`, [taken.id]);
    expect((await repository.dueTakeChargeReminders(now, 10)).map((d) => d.requestId)).toContain(untaken.id);
    expect((await repository.dueAnswerReminders(now, 10)).map((d) => d.requestId)).toContain(taken.id);
  });

  it('reminds the facilitator one working day before the answer is due, once, and again after a pause moved the deadline', async () => {
    const facilitatorId = await insertFacilitator(t.dataSource, { email: 'lente@example.org', firstName: 'Lou' });
    const request = await submit(13, { neededBy: undefined });
    await settled(request.id, 'assigned');
    const token = await bearerFor(t, { role: 'facilitator', facilitatorId, networks: ['aura-ee'] });
    expect((await staffPost(token, request.reference, 'take-charge')).status).toBe(200);
    const assignment = async () =>
      (
        await t.dataSource.query(
          `SELECT taken_at AS "takenAt", answer_due_at AS "dueAt", answer_reminder_at AS "reminderAt" FROM request_assignments WHERE request_id = $1`,
          [request.id],
        )
      )[0];
    const taken = await assignment();
    expect(taken.reminderAt).toEqual(answerReminderAt(taken.takenAt, [], '38', 10, taken.takenAt));
    expect(taken.reminderAt.getTime()).toBeLessThan(taken.dueAt.getTime());
    const reminders = () => mailsTo('lente@example.org', 'answer-reminder');
    const sweep = t.app.get(RoutingSweepService);

    await t.dataSource.query(`UPDATE request_assignments SET answer_reminder_at = now() - interval '1 minute' WHERE request_id = $1`, [
      request.id,
    ]);
    await sweep.run();
    await sweep.run();
    expect(await reminders()).toBe(1);
    const mail = await sentMailFile(t, 'answer-reminder', 'lente@example.org');
    expect(mail).toContain('Bonjour Lou,');
    expect(mail).toContain(`La réponse à la demande ${request.reference}`);
    expect(mail).toContain('le délai est suspendu pendant son attente');
    // No date given by the buyer: nothing said of one.
    expect(mail).not.toContain('besoin de la réponse');
    expect((await assignment()).reminderAt).toBeNull();

    // A precision asked, then given: the deadline moves, and a reminder is due again before it.
    expect((await staffPost(token, request.reference, 'clarification', { body: 'Quel est le montant du lot 2 ?' })).status).toBe(200);
    const buyerToken = new URL(request.trackingUrl).searchParams.get('t')!;
    const given = await fetch(`${t.url}/api/v1/requests/${request.reference}/clarification`, {
      method: 'POST',
      headers: { 'x-tracking-token': buyerToken, 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'Environ 80 000 € HT.' }),
    });
    expect(given.status).toBe(200);
    const moved = await assignment();
    expect(moved.reminderAt.getTime()).toBeGreaterThan(Date.now());
    expect(moved.reminderAt.getTime()).toBeLessThan(moved.dueAt.getTime());
  });

  it('reminds a facilitator of the deadlines falling due together in one e-mail listing them, once', async () => {
    const facilitatorId = await insertFacilitator(t.dataSource, { email: 'debordee@example.org', firstName: 'Dana' });
    const [first, second, taken] = [
      await submit(71),
      await submit(72, { subject: 'Papier <recyclé> & encre', neededBy: undefined }),
      await submit(73),
    ];
    for (const request of [first, second, taken]) await settled(request.id, 'assigned');
    const token = await bearerFor(t, { role: 'facilitator', facilitatorId, networks: ['aura-ee'] });
    expect((await staffPost(token, taken.reference, 'take-charge')).status).toBe(200);
    // Two reminders to take in charge and one to answer, due by the same sweep.
    await t.dataSource.query(
      `UPDATE request_assignments SET take_charge_reminder_at = CASE WHEN taken_at IS NULL THEN now() - interval '1 minute' END,
                                      answer_reminder_at = CASE WHEN taken_at IS NOT NULL THEN now() - interval '1 minute' END`,
    );
    const repository = t.app.get(RoutingRepository);
    const now = t.app.get(Clock).now();
    const due = [...(await repository.dueTakeChargeReminders(now, 10)), ...(await repository.dueAnswerReminders(now, 10))];
    expect(due).toHaveLength(3);
    // The sweep and a second worker at once, then another pass: one e-mail.
    await Promise.all([t.app.get(RoutingSweepService).run(), t.app.get(RoutingService).remind(due)]);
    await t.app.get(RoutingSweepService).run();
    expect(await mailsTo('debordee@example.org', 'facilitator-reminders')).toBe(1);
    expect(await mailsTo('debordee@example.org', 'take-charge-reminder')).toBe(0);
    expect(await mailsTo('debordee@example.org', 'answer-reminder')).toBe(0);
    expect(
      await t.dataSource.query(
        `SELECT id FROM request_assignments WHERE take_charge_reminder_at IS NOT NULL OR answer_reminder_at IS NOT NULL`,
      ),
    ).toEqual([]);

    const mail = await sentMailFile(t, 'facilitator-reminders', 'debordee@example.org');
    expect(mail).toContain('Subject: Rappel : 3 de vos demandes arrivent à échéance');
    expect(mail).toContain('Bonjour Dana,');
    const neededBy = `1er mars ${new Date().getUTCFullYear() + 1}`;
    // Soonest deadline first, each with what is due, by when, and its link.
    const lines = [
      `- ${first.reference} « Fournitures de bureau et loi AGEC 71 » — à prendre en charge ou décliner avant le `,
      `(heure de Paris) ; l’acheteur a besoin de la réponse d’ici le ${neededBy}\n  ${t.config.PUBLIC_URL}/espace/demandes/${first.reference}\n`,
      `- ${second.reference} « Papier <recyclé> & encre » — à prendre en charge ou décliner avant le `,
      `- ${taken.reference} « Fournitures de bureau et loi AGEC 73 » — réponse attendue avant le `,
    ];
    const at = lines.map((line) => mail.indexOf(line));
    expect(at.every((index, i) => index >= 0 && (i === 0 || index > at[i - 1]))).toBe(true);
    expect(mail).toContain('« Papier &lt;recyclé&gt; &amp; encre » — à prendre en charge ou décliner avant le <strong>');
    expect(mail).toContain('sera attribuée de nouveau');
    expect(mail).toContain('le délai de réponse est suspendu pendant son attente');
  });

  /** Assignments not taken in charge whose take-charge deadline has passed, as the sweep finds them now. */
  const overdueNow = () => t.app.get(RoutingRepository).overdueAssignments(t.app.get(Clock).now(), 50);

  it('withdraws the requests of a facilitator whose deadlines pass in one sweep in one e-mail listing them, once', async () => {
    const absorbed = await insertFacilitator(t.dataSource, { email: 'absorbee@example.org', firstName: 'Alix' });
    const [first, second, third] = [await submit(81), await submit(82, { subject: 'Papier <recyclé> & encre' }), await submit(83)];
    for (const request of [first, second, third]) await settled(request.id, 'assigned');
    // Room for two: the third waits in the pool.
    const next = await insertFacilitator(t.dataSource, { email: 'relais@example.org', capacity: 2 });
    const clock = t.app.get(Clock);
    clock.travel(5 * DAY); // beyond 2 working days, whatever today is
    try {
      const overdue = await overdueNow();
      expect(overdue).toHaveLength(3);
      // The sweep and a second worker at once, then another pass and the deadlines' own timers: one e-mail.
      await Promise.all([t.app.get(RoutingSweepService).run(), t.app.get(RoutingService).deadlinesReached(overdue)]);
      await t.app.get(RoutingSweepService).run();
      for (const { assignmentId } of overdue) await t.app.get(RoutingService).deadlineReached(assignmentId);
    } finally {
      clock.travel(-5 * DAY);
    }
    expect(await mailsTo('absorbee@example.org', 'facilitator-withdrawals')).toBe(1);
    expect(await mailsTo('absorbee@example.org', 'assignment-withdrawn')).toBe(0);
    // Each routed on as one alone is: its miss counted, to the next facilitator while they have room, then the pool.
    expect(await Promise.all([first, second, third].map((r) => stateOf(r.id)))).toEqual([
      { status: 'assigned', facilitatorId: next, misses: 1 },
      { status: 'assigned', facilitatorId: next, misses: 1 },
      { status: 'unassigned', facilitatorId: null, misses: 1 },
    ]);
    expect(await mailsTo('relais@example.org', 'facilitator-assignment')).toBe(2);
    // Each withdrawal frees its place (a walk-through saw three withdrawn free one: « 6 / 6 complet » holding 1).
    const load = await t.dataSource.query(`SELECT id, open_count AS n FROM facilitators WHERE id = ANY($1::uuid[]) ORDER BY email`, [
      [absorbed, next],
    ]);
    expect(load).toEqual([
      { id: absorbed, n: 0 },
      { id: next, n: 2 },
    ]);
    const missed = await t.dataSource.query(`SELECT count(*)::int AS n FROM request_events WHERE type = 'deadline_missed'`);
    expect(missed).toEqual([{ n: 3 }]);

    const mail = await sentMailFile(t, 'facilitator-withdrawals', 'absorbee@example.org');
    expect(mail).toContain('Subject: 3 demandes vous sont retirées : leur délai de prise en charge est passé');
    expect(mail).toContain('Bonjour Alix,');
    // Oldest first, each with where it is now, the new holder unnamed as in the e-mail of one alone.
    const lines = [
      `- ${first.reference} « Fournitures de bureau et loi AGEC 81 » — confiée à un autre facilitateur\n`,
      `- ${second.reference} « Papier <recyclé> & encre » — confiée à un autre facilitateur\n`,
      `- ${third.reference} « Fournitures de bureau et loi AGEC 83 » — en attente dans la réserve du réseau : aucun autre facilitateur ne peut la prendre pour l’instant\n`,
    ];
    const at = lines.map((line) => mail.indexOf(line));
    expect(at.every((index, i) => index >= 0 && (i === 0 || index > at[i - 1]))).toBe(true);
    expect(mail).not.toContain('Dominique');
    expect(mail).toContain('« Papier &lt;recyclé&gt; &amp; encre » — confiée à un autre facilitateur');
    expect(mail).toContain(`depuis votre espace (connexion demandée) : ${t.config.PUBLIC_URL}/espace\n`);
    expect(mail).toContain(`<a href="${t.config.PUBLIC_URL}/espace">`);
  });

  it('withdraws for each facilitator in their own e-mail when deadlines fall due together, one alone in its usual one', async () => {
    const alone = await insertFacilitator(t.dataSource, { email: 'seule@example.org' });
    const single = await submit(84);
    await settled(single.id, 'assigned');
    await t.dataSource.query(`UPDATE facilitators SET active = false WHERE id = $1`, [alone]);
    await insertFacilitator(t.dataSource, { email: 'deux@example.org' });
    const pair = [await submit(85), await submit(86)];
    for (const request of pair) await settled(request.id, 'assigned');
    await t.dataSource.query(`UPDATE facilitators SET active = true WHERE id = $1`, [alone]);
    await insertFacilitator(t.dataSource, { email: 'suivante@example.org' });
    const clock = t.app.get(Clock);
    clock.travel(5 * DAY);
    try {
      // Each deadline's timer fires at the same moment, as a weekend's do at the office's opening.
      const overdue = await overdueNow();
      expect(overdue).toHaveLength(3);
      await Promise.all(overdue.map(({ assignmentId }) => t.app.get(RoutingService).deadlineReached(assignmentId)));
      await t.app.get(RoutingSweepService).run();
    } finally {
      clock.travel(-5 * DAY);
    }
    expect(await mailsTo('deux@example.org', 'facilitator-withdrawals')).toBe(1);
    expect(await mailsTo('deux@example.org', 'assignment-withdrawn')).toBe(0);
    expect(await mailsTo('seule@example.org', 'facilitator-withdrawals')).toBe(0);
    expect(await mailsTo('seule@example.org', 'assignment-withdrawn')).toBe(1);
    expect(await sentMailFile(t, 'facilitator-withdrawals', 'deux@example.org')).toContain(
      'Subject: 2 demandes vous sont retirées : leur délai de prise en charge est passé',
    );
    const aloneMail = await sentMailFile(t, 'assignment-withdrawn', 'seule@example.org');
    expect(aloneMail).toContain(`Subject: Demande ${single.reference} « Fournitures de bureau et loi AGEC 84 » : elle vous est retirée`);
    expect(aloneMail).toContain('n’a pas été prise en charge dans le délai prévu : elle vous est retirée pour être attribuée de nouveau.');
    for (const request of [single, ...pair]) expect(await stateOf(request.id)).toMatchObject({ status: 'assigned', misses: 1 });
  });

  it('gives a request assigned on a weekend until the office opens, and reminds in office hours: not at midnight', async () => {
    await insertFacilitator(t.dataSource, { email: 'samedi@example.org' });
    const time = timeMachine(() => t);
    // Saturday 12 December 2026, 11:00 in Paris: counted from Monday 00:00, two working days end on Wednesday at 00:00.
    time.forward(Date.parse('2026-12-12T10:00:00Z') - t.app.get(Clock).now().getTime());
    try {
      const request = await submit(74);
      await settled(request.id, 'assigned');
      const [assignment] = await t.dataSource.query(
        `SELECT take_charge_due_at AS "dueAt", take_charge_reminder_at AS "reminderAt" FROM request_assignments WHERE request_id = $1`,
        [request.id],
      );
      // Wednesday 16 at 09:00 in Paris, reminded on Tuesday 15 at 09:00.
      expect(assignment.dueAt.toISOString()).toBe('2026-12-16T08:00:00.000Z');
      expect(assignment.reminderAt.toISOString()).toBe('2026-12-15T08:00:00.000Z');
      const deadline = frenchFilters.renderString("{{ at | frDeadline('38') }}", { at: assignment.dueAt });
      expect(deadline).toMatch(/16 décembre 2026 à 09:00 \(heure de Paris\)$/);
      expect(await sentMailFile(t, 'facilitator-assignment', 'samedi@example.org')).toContain(`Prenez-la en charge avant le ${deadline}.`);
    } finally {
      time.back();
    }
  });

  it('tells the network’s animators and the facilitator of answers overdue, in one digest per working day, each once per deadline', async () => {
    // Its catch-ups of a run missed at 08:00 go in office hours only: there, whatever the hour the test runs.
    time.toOfficeHours();
    await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'], email: 'animation@example.org' });
    await insertStaff(t.dataSource, { role: 'animator', networks: ['reseco'], email: 'ailleurs@example.org' });
    const facilitatorId = await insertFacilitator(t.dataSource, { email: 'tardive@example.org', firstName: 'Tess', lastName: 'Lenoir' });
    const token = await bearerFor(t, { role: 'facilitator', facilitatorId, networks: ['aura-ee'] });
    const [late, later, latest] = [await submit(14), await submit(15), await submit(16)];
    for (const request of [late, later, latest]) {
      await settled(request.id, 'assigned');
      expect((await staffPost(token, request.reference, 'take-charge')).status).toBe(200);
    }
    const clock = t.app.get(Clock);
    const digestHour = (at: Date) => latestWorkingDayAt(at, 8, '75');
    const setDue = (request: { id: string }, dueAt: Date) =>
      t.dataSource.query(`UPDATE request_assignments SET answer_due_at = $2 WHERE request_id = $1 AND ended_at IS NULL`, [
        request.id,
        dueAt,
      ]);
    const digests = async (): Promise<string[]> =>
      (
        await t.dataSource.query(
          `SELECT subject FROM mail_messages WHERE template = 'network-overdue-answers' AND recipient = 'animation@example.org' ORDER BY created_at`,
        )
      ).map((m: { subject: string }) => m.subject);
    const told = async (request: { id: string }) =>
      (
        await t.dataSource.query(`SELECT answer_overdue_announced_at AS "at" FROM request_assignments WHERE request_id = $1`, [request.id])
      )[0].at;

    // Due before this morning's digest hour: told now, once, whatever the number of sweeps running at once.
    const cutoff = digestHour(clock.now());
    await setDue(late, new Date(cutoff.getTime() - 60_000));
    // Due after it (and already past): waits for the next working day's digest.
    await setDue(later, new Date((cutoff.getTime() + clock.now().getTime()) / 2));
    const sweep = t.app.get(RoutingSweepService);
    const overdue = t.app.get(OverdueAnswersService);
    await Promise.all([sweep.run(), overdue.announceAll(), overdue.announceAll()]);
    await sweep.run();
    expect(await digests()).toEqual([`Demande ${late.reference} « Fournitures de bureau et loi AGEC 14 » : réponse en retard`]);
    const mail = await sentMailFile(t, 'network-overdue-answers', 'animation@example.org');
    expect(mail).toContain('Une réponse écrite du réseau AURA-EE / RREDD a dépassé son délai');
    expect(mail).toContain('suivie par Tess Lenoir');
    expect(mail).toContain(`/espace/demandes/${late.reference}`);
    expect(mail).toContain('/espace?late=1');
    // Staff's verb for giving a request to someone else is « confier », as on the page it leads to.
    expect(mail).toContain('prenez des nouvelles du facilitateur ou confiez la demande à un autre.');
    expect(mail).toContain('Vous pouvez prendre des nouvelles du facilitateur ou confier la demande à un autre facilitateur depuis');
    expect(mail).not.toMatch(/réaffect/i);
    expect(await mailsTo('ailleurs@example.org', 'network-overdue-answers')).toBe(0);
    // The facilitator hears of it the same morning, in a message of their own.
    const ownDigests = async (): Promise<string[]> =>
      (
        await t.dataSource.query(
          `SELECT subject FROM mail_messages WHERE template = 'facilitator-overdue-answers' AND recipient = 'tardive@example.org' ORDER BY created_at`,
        )
      ).map((m: { subject: string }) => m.subject);
    expect(await ownDigests()).toEqual([
      `Demande ${late.reference} « Fournitures de bureau et loi AGEC 14 » : votre réponse est en retard`,
    ]);
    const own = await sentMailFile(t, 'facilitator-overdue-answers', 'tardive@example.org');
    expect(own).toContain('Bonjour Tess,');
    expect(own).toContain(`/espace/demandes/${late.reference}`);
    expect(own).toContain('dites-le à l’animateur de votre réseau, qui la confiera à un autre facilitateur.');
    expect(own).not.toMatch(/réaffect/i);
    expect(await told(later)).toBeNull();
    expect(await told(latest)).toBeNull();

    // The next working day's digest names the one due since, and the other one now past, in one message.
    let next = cutoff;
    for (let days = 1; next <= cutoff; days++) next = digestHour(new Date(cutoff.getTime() + days * DAY));
    const travelled = next.getTime() + 60_000 - clock.now().getTime();
    clock.travel(travelled);
    try {
      await setDue(latest, new Date(next.getTime() - 3_600_000));
      await overdue.announceAll();
      await overdue.announceAll();
    } finally {
      clock.travel(-travelled);
    }
    expect(await digests()).toEqual([
      `Demande ${late.reference} « Fournitures de bureau et loi AGEC 14 » : réponse en retard`,
      '2 réponses en retard dans le réseau AURA-EE / RREDD',
    ]);
    expect(await ownDigests()).toEqual([
      `Demande ${late.reference} « Fournitures de bureau et loi AGEC 14 » : votre réponse est en retard`,
      '2 de vos réponses sont en retard',
    ]);
    expect(await told(later)).not.toBeNull();
    expect(await told(latest)).not.toBeNull();

    // A precision asked, then given: the deadline moves, and a miss of the new one will be told again.
    expect((await staffPost(token, late.reference, 'clarification', { body: 'Quel est le montant du lot 2 ?' })).status).toBe(200);
    const given = await fetch(`${t.url}/api/v1/requests/${late.reference}/clarification`, {
      method: 'POST',
      headers: { 'x-tracking-token': new URL(late.trackingUrl).searchParams.get('t')!, 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'Environ 80 000 € HT.' }),
    });
    expect(given.status).toBe(200);
    expect(await told(late)).toBeNull();
  });

  /**
   * The pooled request in charge of a new facilitator of `network` (inactive: routing leaves them alone), its answer due
   * at `dueAt`.
   */
  async function heldInCharge(request: { id: string }, network: string, dueAt: Date): Promise<void> {
    await settled(request.id, 'unassigned');
    const facilitatorId = await insertFacilitator(t.dataSource, { network, active: false });
    await t.dataSource.query(
      `INSERT INTO request_assignments (id, request_id, facilitator_id, assigned_at, take_charge_due_at, taken_at, answer_due_at)
       VALUES (gen_random_uuid(), $1, $2, now(), now(), now(), $3)`,
      [request.id, facilitatorId, dueAt],
    );
    await t.dataSource.query(`UPDATE requests SET status = 'in_progress', assigned_facilitator_id = $2 WHERE id = $1`, [
      request.id,
      facilitatorId,
    ]);
  }

  it.each([
    ['at 08:00, before the opening: the day’s run goes', 8, 1],
    ['at 10:00, in office hours: it goes at once', 10, 1],
    ['at 22:00, closed: it waits for the next working day’s 08:00 run', 22, 0],
  ])('catches up an overdue-answers digest its 08:00 run missed %s', async (_, hour, toldThen) => {
    await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'], email: 'animation@example.org' });
    const workingDay = time.toOfficeHours();
    const request = await submit(23);
    // Overdue since 07:00 on a working day, before its 08:00 run: the worker was down from then until `hour`.
    await heldInCharge(request, 'aura-ee', parisAt(workingDay, 0, 7));
    const clock = t.app.get(Clock);
    time.forward(parisAt(workingDay, 0, hour).getTime() - clock.now().getTime());
    const overdue = t.app.get(OverdueAnswersService);
    await overdue.announceAll();
    expect(await mailsTo('animation@example.org', 'network-overdue-answers')).toBe(toldThen);

    // The next working day's run tells what is left, once.
    let days = 1;
    while (!isWorkingDay(parisAt(workingDay, days, 12), '75')) days++;
    time.past(parisAt(workingDay, days, 8));
    await overdue.announceAll();
    expect(await mailsTo('animation@example.org', 'network-overdue-answers')).toBe(1);
  });

  it('tells La Réunion’s network at 08:00 there, three hours before Paris’s networks hear of theirs', async () => {
    await insertStaff(t.dataSource, { role: 'animator', networks: ['reunion'], email: 'reunion@example.org' });
    await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'], email: 'animation@example.org' });
    const [overseas, metropolitan] = [await submit(20, { departmentCode: '974' }), await submit(21)];
    for (const [request, network] of [
      [overseas, 'reunion'],
      [metropolitan, 'aura-ee'],
    ] as const) {
      await heldInCharge(request, network, new Date('2027-01-13T03:00:00Z'));
    }
    // Wednesday 13 January 2027, 10:00 in La Réunion, 07:00 in Paris: both answers overdue since 07:00 there (04:00 Paris).
    const clock = t.app.get(Clock);
    const travelled = Date.parse('2027-01-13T06:00:00Z') - clock.now().getTime();
    clock.travel(travelled);
    try {
      await t.app.get(OverdueAnswersService).announceAll();
    } finally {
      clock.travel(-travelled);
    }
    expect(await mailsTo('reunion@example.org', 'network-overdue-answers')).toBe(1);
    expect(await mailsTo('animation@example.org', 'network-overdue-answers')).toBe(0);
    const [{ context }] = await t.dataSource.query(`SELECT context FROM mail_messages WHERE recipient = 'reunion@example.org'`);
    expect(context.requests).toEqual([expect.objectContaining({ reference: overseas.reference, departmentCode: '974' })]);
  });

  it('counts absences on the facilitator’s network’s day: past midnight in La Réunion, still the evening before in Paris', async () => {
    const reunionAway = await insertFacilitator(t.dataSource, {
      network: 'reunion',
      email: 'absente@example.re',
      segments: ['office_supplies'],
    });
    const reunionPresent = await insertFacilitator(t.dataSource, { network: 'reunion', email: 'presente@example.re' });
    const parisAway = await insertFacilitator(t.dataSource, { email: 'absente-demain@example.org', segments: ['office_supplies'] });
    const parisPresent = await insertFacilitator(t.dataSource, { email: 'presente@example.org' });
    for (const facilitatorId of [reunionAway, parisAway]) {
      await t.dataSource.query(
        `INSERT INTO facilitator_absences (id, facilitator_id, starts_on, ends_on) VALUES (gen_random_uuid(), $1, '2026-12-08', '2026-12-08')`,
        [facilitatorId],
      );
    }
    // Monday 7 December 2026, 19:30 UTC: 23:30 in La Réunion, the absence not begun there.
    const time = timeMachine(() => t);
    time.forward(Date.parse('2026-12-07T19:30:00Z') - t.app.get(Clock).now().getTime());
    try {
      const held = await submit(59, { departmentCode: '974' });
      expect(await settled(held.id, 'assigned')).toMatchObject({ facilitatorId: reunionAway });

      // 21:30 UTC: 01:30 on the 8th in La Réunion, 22:30 on the 7th in Paris.
      time.forward(2 * 3600_000);
      const [overseas, metropolitan] = [await submit(60, { departmentCode: '974' }), await submit(61)];
      expect(await settled(overseas.id, 'assigned')).toMatchObject({ facilitatorId: reunionPresent });
      expect(await settled(metropolitan.id, 'assigned')).toMatchObject({ facilitatorId: parisAway });
      // The sweep moves what the absent one has not taken in charge; the one absent tomorrow in Paris keeps theirs.
      await t.app.get(RoutingSweepService).run();
      expect(await stateOf(held.id)).toMatchObject({ status: 'assigned', facilitatorId: reunionPresent });
      expect(await stateOf(metropolitan.id)).toMatchObject({ status: 'assigned', facilitatorId: parisAway });

      const admin = await bearerFor(t, { role: 'admin' });
      const absentToday = async (path: string) =>
        Object.fromEntries(
          (await bodyOf(fetch(`${t.url}/api/v1/${path}`, { headers: { authorization: admin } }))).map(
            (f: { id: string; absentToday: boolean }) => [f.id, f.absentToday],
          ),
        );
      const expected = { [reunionAway]: true, [reunionPresent]: false, [parisAway]: false, [parisPresent]: false };
      // The directory, and the load page animators reassign from.
      expect(await absentToday('facilitators')).toMatchObject(expected);
      expect(await absentToday('staff/facilitators/load')).toMatchObject(expected);

      // The form's « already over » is the same day: the 7th is past in La Réunion, still today in Paris.
      const declare = (facilitatorId: string) =>
        fetch(`${t.url}/api/v1/facilitators/${facilitatorId}/absences`, {
          method: 'POST',
          headers: { authorization: admin, 'content-type': 'application/json' },
          body: JSON.stringify({ startsOn: '2026-12-07', endsOn: '2026-12-07' }),
        });
      expect((await declare(reunionPresent)).status).toBe(400);
      expect((await declare(parisPresent)).status).toBe(201);
    } finally {
      time.back();
    }
  });

  it('re-routes the requests of a facilitator whose absence starts, but not those already taken in charge', async () => {
    const leaving = await insertFacilitator(t.dataSource, { email: 'part@example.org', segments: ['office_supplies'] });
    const staying = await insertFacilitator(t.dataSource, { email: 'reste@example.org' });
    const taken = await submit(9);
    const untaken = await submit(10);
    await settled(taken.id, 'assigned');
    await settled(untaken.id, 'assigned');
    const routing = t.app.get(RoutingService);
    const [takenAssignment] = await t.dataSource.query(`SELECT id FROM request_assignments WHERE request_id = $1`, [taken.id]);
    expect(await routing.takeCharge(taken.id, takenAssignment.id)).toBe(true);

    await t.dataSource.query(
      `INSERT INTO facilitator_absences (id, facilitator_id, starts_on, ends_on) VALUES (gen_random_uuid(), $1, current_date - 1, current_date + 7)`,
      [leaving],
    );
    await routing.facilitatorChanged(leaving);
    expect(await stateOf(untaken.id)).toMatchObject({ status: 'assigned', facilitatorId: staying });
    expect(await stateOf(taken.id)).toMatchObject({ status: 'in_progress', facilitatorId: leaving });
    // Told of the one taken from them, not of the one they keep.
    const withdrawn = await t.dataSource.query(
      `SELECT request_id AS "requestId", context->>'why' AS why FROM mail_messages WHERE template = 'assignment-withdrawn' AND recipient = 'part@example.org'`,
    );
    expect(withdrawn).toEqual([{ requestId: untaken.id, why: 'unavailable' }]);
  });
});
