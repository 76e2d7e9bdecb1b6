import { randomUUID } from 'node:crypto';
import { parisDay } from '../../src/common/clock';
import { lastFullQuarter } from '../../src/modules/reporting/indicators.policy';
import { insertFacilitator } from '../support/facilitators';
import { bearerFor, insertStaff, StaffClient } from '../support/staff';
import { bodyOf, TestApp, useTestApp } from '../support/test-app';

/**
 * The dashboard and its API on a small hand-counted dataset (requests written straight into the tables with
 * their stored milestones), and who may see which network.
 */
describe('indicators', () => {
  let t: TestApp;
  useTestApp((app) => (t = app));

  const PERIOD = 'from=2026-02-01&to=2026-02-28';
  let seq = 0;

  async function request(
    network: string,
    department: string,
    createdAt: string,
    fields: { status: string; kind?: string; segment?: string; take?: number; answer?: number; misses?: number },
  ): Promise<string> {
    const id = randomUUID();
    seq++;
    await t.dataSource.query(
      `INSERT INTO requests (id, reference, status, kind, buyer_first_name, buyer_last_name, buyer_email, organisation_name, organisation_type,
         department_code, network_code, segment_code, subject, question, purchase_stage, consented_at, tracking_token_hash, created_at,
         take_charge_working_days, answer_working_days, deadline_misses)
       VALUES ($1, $2, $3, $4, 'Camille', 'Martin', 'camille@example.org', 'Mairie', 'local_authority', $5, $6, $7, 'Sujet', 'Question',
         'sourcing', $8, '\\x00', $8, $9, $10, $11)`,
      [
        id,
        `GV-2026-9${String(seq).padStart(5, '0')}`,
        fields.status,
        fields.kind ?? 'environmental',
        department,
        network,
        fields.segment ?? 'catering',
        createdAt,
        fields.take ?? null,
        fields.answer ?? null,
        fields.misses ?? 0,
      ],
    );
    return id;
  }

  async function survey(requestId: string, wave: string, sentAt: string, answers: Record<string, unknown> | null): Promise<void> {
    await t.dataSource.query(
      `INSERT INTO surveys (id, request_id, wave, status, due_at, sent_at, completed_at, usefulness, contract_outcome,
         environmental_considerations, social_considerations)
       VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8, $9, $10)`,
      [
        randomUUID(),
        requestId,
        wave,
        answers ? 'completed' : 'sent',
        sentAt,
        answers ? sentAt : null,
        answers?.usefulness ?? null,
        answers?.contract ?? null,
        answers?.environmental ?? [],
        answers?.social ?? [],
      ],
    );
  }

  /** aura-ee: 5 requests in February, 2 in January (the previous 28 days); reseco: 3 in February. */
  async function seed(): Promise<{ facilitatorId: string }> {
    const feb = '2026-02-10T11:00:00+01:00';
    const r1 = await request('aura-ee', '69', feb, { status: 'closed', take: 0.5, answer: 3 });
    const r2 = await request('aura-ee', '69', feb, { status: 'closed', take: 1.5, answer: 4 });
    const r3 = await request('aura-ee', '38', feb, {
      status: 'in_progress',
      kind: 'social_clause',
      segment: 'furniture',
      take: 4,
      misses: 1,
    });
    const r4 = await request('aura-ee', '38', feb, { status: 'assigned', segment: 'furniture', misses: 1 });
    const r5 = await request('aura-ee', '69', feb, { status: 'unassigned', kind: 'social_clause' });
    const r6 = await request('aura-ee', '69', '2026-01-15T10:00:00+01:00', { status: 'closed', take: 2.5, answer: 6 });
    const r7 = await request('aura-ee', '69', '2026-01-20T10:00:00+01:00', { status: 'closed', take: 3.5, answer: 8 });
    for (let i = 0; i < 3; i++) await request('reseco', '35', feb, { status: 'closed', take: 9, answer: 12 });
    // Just outside both periods: counted nowhere.
    await request('aura-ee', '69', '2026-03-01T00:00:00+01:00', { status: 'closed', take: 1 });
    await request('aura-ee', '69', '2026-01-03T23:59:00+01:00', { status: 'closed', take: 1 });

    await survey(r1, 'satisfaction', '2026-02-15T10:00:00+01:00', { usefulness: 'yes' });
    await survey(r2, 'satisfaction', '2026-02-15T10:00:00+01:00', null);
    await survey(r6, 'impact', '2026-02-16T10:00:00+01:00', { contract: 'yes', environmental: ['environmental_clause'], social: ['none'] });
    await survey(r7, 'impact', '2026-02-16T10:00:00+01:00', { contract: 'yes', environmental: ['none'], social: ['social_clause'] });

    // Last full quarter: one facilitator declined 7 of their 20 assignments (35 %, past the 30 % threshold).
    const facilitatorId = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Alix' });
    const quarter = lastFullQuarter(parisDay(new Date()));
    const requests = [r1, r2, r3, r4, r5];
    for (let i = 0; i < 20; i++) {
      await t.dataSource.query(
        `INSERT INTO request_assignments (id, request_id, facilitator_id, assigned_at, take_charge_due_at, action_token_hash, ended_at, end_reason)
         VALUES ($1, $2, $3, $4::date + interval '20 days', $4::date + interval '22 days', '\\x00', $4::date + interval '21 days', $5)`,
        [randomUUID(), requests[i % 5], facilitatorId, quarter.from, i < 7 ? 'declined' : 'reassigned'],
      );
    }
    return { facilitatorId };
  }

  it('counts a network’s period beside the previous one, as computed by hand', async () => {
    const { facilitatorId } = await seed();
    const auth = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    const response = await fetch(`${t.url}/api/v1/staff/indicators?${PERIOD}`, { headers: { authorization: auth } });
    expect(response.status).toBe(200);
    const d = await bodyOf(response);

    expect(d.scope).toEqual({ network: 'aura-ee', label: 'AURA-EE / RREDD' });
    expect(d.period).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(d.previousPeriod).toEqual({ from: '2026-01-04', to: '2026-01-31' });
    expect(d.requests.total).toEqual({ current: 5, previous: 2, delta: 3, trend: 'up' });
    const byCode = (rows: Array<{ code: string; current: number; previous: number }>) =>
      Object.fromEntries(rows.filter((r) => r.current || r.previous).map((r) => [r.code, [r.current, r.previous]]));
    expect(byCode(d.requests.byStatus)).toEqual({ assigned: [1, 0], unassigned: [1, 0], in_progress: [1, 0], closed: [2, 2] });
    expect(byCode(d.requests.byKind)).toEqual({ environmental: [3, 2], social_clause: [2, 0] });
    expect(byCode(d.requests.bySegment)).toEqual({ catering: [3, 2], furniture: [2, 0] });
    expect(byCode(d.requests.byDepartment)).toEqual({ '38': [2, 0], '69': [3, 2] });
    expect(d.requests.byStatus.find((r: { code: string }) => r.code === 'in_progress').label).toBe('En cours de traitement');

    // Taken: 0.5, 1.5, 4 (median 1.5; 2 of 3 within 2 days, 3 of 3 within 5) against 2.5, 3.5 (median 3).
    expect(d.timings.takeChargeMedianDays).toEqual({ current: 1.5, previous: 3, delta: -1.5, trend: 'down' });
    expect(d.timings.answerMedianDays).toEqual({ current: 3.5, previous: 7, delta: -3.5, trend: 'down' });
    expect(d.timings.takenWithin2Days.current).toBeCloseTo(2 / 3, 10);
    expect(d.timings.takenWithin2Days.previous).toBe(0);
    expect(d.timings.takenWithin5Days).toMatchObject({ current: 1, previous: 1, trend: 'stable' });
    expect(d.timings.deadlineMisses).toMatchObject({ current: 2, previous: 0 });
    expect(d.timings.deadlineMissShare).toMatchObject({ current: 0.4, previous: 0 });

    const rates = Object.fromEntries(d.surveys.responseRates.map((w: { code: string; current: number }) => [w.code, w.current]));
    expect(rates).toEqual({ satisfaction: 0.5, impact: 1 });
    expect(d.surveys.answers.current).toBe(1);
    expect(d.surveys.usefulness.map((u: { code: string; current: number }) => [u.code, u.current])).toEqual([
      ['yes', 1],
      ['partly', 0],
      ['no', 0],
    ]);
    expect(d.surveys.contracts.current).toBe(2);
    expect(d.surveys.environmental).toMatchObject({ current: 0.5, target: 1, gap: -0.5 });
    expect(d.surveys.social).toMatchObject({ current: 0.5, target: 0.3 });
    expect(d.surveys.social.gap).toBeCloseTo(0.2, 10);

    expect(
      d.alerts.items.map((a: { subject: { type: string; id: string }; metric: string; hits: number; sample: number }) => [
        a.subject.type,
        a.subject.id,
        a.metric,
        a.hits,
        a.sample,
      ]),
    ).toEqual([
      ['network', 'aura-ee', 'declines', 7, 20],
      ['facilitator', facilitatorId, 'declines', 7, 20],
    ]);
    expect(d.alerts.items[1].subject.name).toBe('Alix Test (AURA-EE / RREDD)');
    expect(d.alerts.items[0].link).toBe('/espace/facilitateurs');
  });

  it('admins see every network at once, or any one; animators only theirs; facilitators none', async () => {
    await seed();
    const admin = await bearerFor(t, { role: 'admin' });
    const animator = await bearerFor(t, { role: 'animator', networks: ['reseco'] });
    const facilitator = await bearerFor(t, {
      role: 'facilitator',
      networks: ['aura-ee'],
      facilitatorId: await insertFacilitator(t.dataSource),
    });
    const get = (auth: string | null, query: string) =>
      fetch(`${t.url}/api/v1/staff/indicators?${query}`, { headers: auth ? { authorization: auth } : {} });

    const national = await bodyOf(get(admin, PERIOD));
    expect(national.scope.network).toBeNull();
    expect(national.requests.total.current).toBe(8);
    expect((await bodyOf(get(admin, `network=reseco&${PERIOD}`))).requests.total.current).toBe(3);
    expect((await bodyOf(get(admin, `network=all&${PERIOD}`))).requests.total.current).toBe(8);

    const own = await bodyOf(get(animator, PERIOD));
    expect(own.scope.network).toBe('reseco');
    expect(own.requests.total.current).toBe(3);
    expect(own.alerts.items).toEqual([]);
    for (const network of ['aura-ee', 'all', 'nowhere']) expect((await get(animator, `network=${network}&${PERIOD}`)).status).toBe(404);
    expect((await get(admin, `network=nowhere`)).status).toBe(404);
    expect((await get(facilitator, PERIOD)).status).toBe(404);
    expect((await get(null, PERIOD)).status).toBe(401);
  });

  it('refuses a wrong period field by field, and defaults to the last full quarter', async () => {
    const auth = await bearerFor(t, { role: 'admin' });
    const bad = await fetch(`${t.url}/api/v1/staff/indicators?from=2026-02-30&to=2026-01-01`, { headers: { authorization: auth } });
    expect(bad.status).toBe(400);
    expect((await bodyOf(bad)).errors.map((e: { field: string }) => e.field)).toEqual(['from']);
    const reversed = await fetch(`${t.url}/api/v1/staff/indicators?from=2026-03-01&to=2026-02-01`, { headers: { authorization: auth } });
    expect((await bodyOf(reversed)).errors).toEqual([{ field: 'to', message: 'La date de fin doit suivre la date de début.' }]);
    const standard = await bodyOf(fetch(`${t.url}/api/v1/staff/indicators`, { headers: { authorization: auth } }));
    expect(standard.period).toEqual(lastFullQuarter(parisDay(new Date())));
    expect(standard.requests.total).toEqual({ current: 0, previous: 0, delta: 0, trend: 'stable' });
    expect(standard.timings.takeChargeMedianDays).toEqual({ current: null, previous: null, delta: null, trend: null });
  });

  it('shows the dashboard page with charts, tables and alerts, linked from the workspace', async () => {
    await seed();
    const { email } = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] });
    const client = new StaffClient(t.url);
    await client.signIn(email);
    expect(await (await client.get('/espace')).text()).toContain('href="/espace/indicateurs"');

    const page = await client.get('/espace/indicateurs?du=2026-02-01&au=2026-02-28');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Indicateurs du guichet');
    expect(html).toMatch(/<svg class="gv-chart"[^>]*role="img"/);
    expect(html).toContain('Délai médian de prise en charge');
    expect(html).toMatch(/<td>1,5 j<\/td><td>3 j<\/td>/);
    expect(html).toContain('35 % de refus (7 sur 20 attributions');
    expect(html).toContain('50 points sous la cible');

    expect((await client.get('/espace/indicateurs?reseau=reseco')).status).toBe(404);
    const invalid = await client.get('/espace/indicateurs?du=2026-02-01&au=hier');
    expect(invalid.status).toBe(400);
    const errorPage = await invalid.text();
    expect(errorPage).toContain('1 erreur empêche');
    expect(errorPage).toContain('La date de fin doit être une date valide');
    expect(errorPage).not.toContain('Délai médian');

    const { email: facilitatorEmail } = await insertStaff(t.dataSource, {
      role: 'facilitator',
      networks: ['aura-ee'],
      facilitatorId: await insertFacilitator(t.dataSource),
    });
    const facilitator = new StaffClient(t.url);
    await facilitator.signIn(facilitatorEmail);
    expect((await facilitator.get('/espace/indicateurs')).status).toBe(404);
    expect(await (await facilitator.get('/espace')).text()).not.toContain('href="/espace/indicateurs"');
  });
});
