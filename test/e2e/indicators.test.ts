import { parisDay } from '../../src/common/clock';
import { lastFullQuarter, medianOf } from '../../src/modules/reporting/indicators.policy';
import { insertFacilitator } from '../support/facilitators';
import { seedIndicators, seedRequest, seedSurvey } from '../support/indicators';
import { bearerFor, insertStaff, StaffClient } from '../support/staff';
import { bodyOf, TestApp, useTestApp } from '../support/test-app';

/**
 * The dashboard and its API on a small hand-counted dataset (see test/support/indicators.ts), and who may see
 * which network.
 */
describe('indicators', () => {
  let t: TestApp;
  // Each test seeds anew: alerts are counted every time, not kept from the previous test.
  useTestApp((app) => (t = app), { INDICATORS_ALERTS_CACHE_SECONDS: '0' });

  const PERIOD = 'from=2026-02-01&to=2026-02-28';
  /** The dashboard page of February, as an animator of aura-ee reads it (`query`: more parameters). */
  const februaryPage = async (query = '') => {
    const { email } = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] });
    const client = new StaffClient(t.url);
    await client.signIn(email);
    return (await client.get(`/espace/indicateurs?${query}du=2026-02-01&au=2026-02-28`)).text();
  };
  it('answers exactly what OpenAPI documents, field by field, alerts included', async () => {
    await seedIndicators(t.dataSource);
    const auth = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    const d = await bodyOf(fetch(`${t.url}/api/v1/staff/indicators?${PERIOD}`, { headers: { authorization: auth } }));
    const document = await bodyOf(fetch(`${t.url}/api/docs-json`));
    const ok = document.paths['/api/v1/staff/indicators'].get.responses['200'];
    expect(ok.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/IndicatorsDashboardDto' });
    const documented = (name: string) => Object.keys(document.components.schemas[name].properties).sort();
    const keys = (value: object) => Object.keys(value).sort();
    expect(keys(d)).toEqual(documented('IndicatorsDashboardDto'));
    expect(keys(d.scope)).toEqual(documented('DashboardScopeDto'));
    expect(keys(d.requests)).toEqual(documented('DashboardRequestsDto'));
    expect(keys(d.requests.byStatus[0])).toEqual(documented('LabelledFigureDto'));
    expect(keys(d.timings)).toEqual(documented('DashboardTimingsDto'));
    expect(keys(d.surveys)).toEqual(documented('DashboardSurveysDto'));
    expect(keys(d.surveys.responseRates[0])).toEqual(documented('ResponseRateDto'));
    expect(keys(d.surveys.environmental)).toEqual(documented('TargetFigureDto'));
    expect(keys(d.alerts)).toEqual(documented('DashboardAlertsDto'));
    expect(d.alerts.items.length).toBeGreaterThan(0);
    for (const alert of d.alerts.items) {
      expect(keys(alert)).toEqual(documented('AlertDto'));
      expect(keys(alert.subject)).toEqual(documented('AlertSubjectDto'));
    }
  });

  it('exports the page’s figures as CSV, the API’s own, with the page’s filters and the exports’ conventions', async () => {
    await seedIndicators(t.dataSource);
    const auth = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    const d = await bodyOf(fetch(`${t.url}/api/v1/staff/indicators?${PERIOD}`, { headers: { authorization: auth } }));
    const { email } = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] });
    const client = new StaffClient(t.url);
    await client.signIn(email);
    const page = await (await client.get('/espace/indicateurs?du=2026-02-01&au=2026-02-28')).text();
    const link = /href="(\/espace\/export\/indicateurs\.csv[^"]*)"[^>]*>Exporter ces indicateurs \(CSV\)/.exec(page)![1];
    expect(link).toBe('/espace/export/indicateurs.csv?reseau=aura-ee&amp;du=2026-02-01&amp;au=2026-02-28');

    const response = await client.get(link.replace(/&amp;/g, '&'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="indicateurs-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = text
      .split('\r\n')
      .slice(0, -1)
      .map((line) => line.split(';'));
    expect(header.join(';')).toBe(
      'Périmètre;Du;Au;Rubrique;Indicateur;Unité;Valeur;Période précédente du;Période précédente au;Valeur de la période précédente;' +
        'Base (marchés);Base de la période précédente (marchés)',
    );
    const row = (label: string) => rows.find((r) => r[4] === label)!;
    const values = (label: string) => row(label).slice(5, 7).concat(row(label)[9]);
    expect(row('Demandes reçues').slice(0, 4)).toEqual([d.scope.label, '2026-02-01', '2026-02-28', 'Demandes']);
    expect(row('Demandes reçues').slice(7, 9)).toEqual([d.previousPeriod.from, d.previousPeriod.to]);
    // As the API (and the page, to one decimal): working days with a decimal comma, shares in %.
    const french = (value: number) => String(value).replace('.', ',');
    expect(values('Demandes reçues')).toEqual(['nombre', String(d.requests.total.current), String(d.requests.total.previous)]);
    expect(values('Délai médian de prise en charge')).toEqual([
      'jours ouvrés',
      french(d.timings.takeChargeMedianDays.current),
      french(d.timings.takeChargeMedianDays.previous),
    ]);
    expect(values('Délai médian de prise en charge')).toEqual(['jours ouvrés', '1,5', '3']);
    expect(values('Délai médian de réponse')).toEqual(['jours ouvrés', '3,5', '7']);
    expect(values('Prises en charge en 2 jours ouvrés ou moins')).toEqual(['%', '66,7', '0']);
    expect(page).toMatch(/<th scope="row">Prises en charge en 2 jours ouvrés ou moins<\/th>\s*<td>66,7 %<\/td>/);
    expect(values(`Premières réponses données dans leur délai (${d.timings.answerDeadlineDays} jours ouvrés)`)).toEqual([
      '%',
      french(d.timings.answeredOnTime.current * 100),
      french(d.timings.answeredOnTime.previous * 100),
    ]);
    expect(values('Demandes ayant dépassé un délai de prise en charge')).toEqual([
      'nombre',
      String(d.timings.deadlineMisses.current),
      String(d.timings.deadlineMisses.previous),
    ]);
    // Each breakdown line, as the API counts it.
    for (const [section, figures] of [
      ['Demandes par statut actuel', d.requests.byStatus],
      ['Demandes par segment d’achat', d.requests.bySegment],
      ['Demandes par département', d.requests.byDepartment],
    ] as const) {
      const lines = rows.filter((r) => r[3] === section).map((r) => [r[4], r[6], r[9]]);
      expect(lines).toEqual(
        figures.map((f: { label: string; current: number; previous: number }) => [f.label, String(f.current), String(f.previous)]),
      );
    }
    expect(values('Avec au moins une considération environnementale')).toEqual([
      '%',
      french(d.surveys.environmental.current * 100),
      d.surveys.environmental.previous === null ? '' : french(d.surveys.environmental.previous * 100),
    ]);
    // The contracts the share is computed on, last, as the page says « 1 marché sur 2 ».
    const environmentalRow = rows.find((r) => r[4] === 'Avec au moins une considération environnementale')!;
    expect(environmentalRow.slice(10)).toEqual([
      String(d.surveys.environmental.base.current),
      String(d.surveys.environmental.base.previous),
    ]);
    expect(d.surveys.environmental.base.current).toBeGreaterThan(0);
    expect(rows.find((r) => r[4] === 'Demandes reçues')!.slice(10)).toEqual(['', '']);
    // The requests' file carries the stored durations and misses: the dashboard's medians and shares, recomputed from it.
    const requests = (await (await client.get('/espace/export/demandes.csv?reseau=aura-ee&du=2026-02-01&au=2026-02-28')).text())
      .split('\r\n')
      .slice(0, -1)
      .map((line) => line.split(';'));
    const column = (name: string) => requests.slice(1).map((r) => r[requests[0].indexOf(name)]);
    const days = (name: string) =>
      column(name)
        .filter(Boolean)
        .map((value) => ({ days: Number(value.replace(',', '.')), n: 1 }));
    expect(requests).toHaveLength(1 + d.requests.total.current);
    expect(column('Délai de prise en charge (jours ouvrés)')).toContain('1,5');
    expect(medianOf(days('Délai de prise en charge (jours ouvrés)'))).toBe(d.timings.takeChargeMedianDays.current);
    expect(medianOf(days('Délai de première réponse (jours ouvrés)'))).toBe(d.timings.answerMedianDays.current);
    expect(column('Délai de prise en charge dépassé').filter((v) => v === 'Oui')).toHaveLength(d.timings.deadlineMisses.current);
    const judged = column('Réponse dans le délai').filter(Boolean);
    expect(judged.filter((v) => v === 'Oui').length / judged.length).toBe(d.timings.answeredOnTime.current);
    // The page's filters: another kind, another period; a network not theirs does not exist for them.
    const social = await client.get('/espace/export/indicateurs.csv?reseau=aura-ee&type=social_clause&du=2026-01-01&au=2026-01-31');
    const socialRows = (await social.text()).split('\r\n').map((line) => line.split(';'));
    expect(socialRows[1].slice(0, 3)).toEqual(['AURA-EE / RREDD — Clauses sociales', '2026-01-01', '2026-01-31']);
    expect(socialRows.some((r) => r[3] === 'Demandes par type')).toBe(false);
    expect((await client.get('/espace/export/indicateurs.csv?reseau=reseco')).status).toBe(404);
    const bad = await client.get('/espace/export/indicateurs.csv?du=2026-02-30');
    expect(bad.status).toBe(400);
  });

  it('counts the surveys their buyer declined among those sent; the response rate is unchanged', async () => {
    await seedIndicators(t.dataSource);
    // The unanswered satisfaction survey sent in February: its buyer followed « Ne plus recevoir de questionnaire ».
    const [, declined] = await t.dataSource.query(
      `UPDATE surveys SET status = 'declined' WHERE wave = 'satisfaction' AND completed_at IS NULL AND sent_at = '2026-02-15T10:00:00+01:00'`,
    );
    expect(declined).toBe(1);
    const auth = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    const d = await bodyOf(fetch(`${t.url}/api/v1/staff/indicators?${PERIOD}`, { headers: { authorization: auth } }));
    const [satisfaction, impact] = d.surveys.responseRates;
    expect(satisfaction).toMatchObject({ code: 'satisfaction', current: 0.5, sent: { current: 2 }, declined: { current: 1, previous: 0 } });
    expect(impact.declined).toMatchObject({ current: 0, previous: 0 });
    const html = await februaryPage();
    expect(html).toMatch(/<th scope="row">Refusés par l’acheteur — Satisfaction<\/th>\s*<td>1<\/td>/);
  });

  it('totals the insertion hours the contracts of the period provide for, as their impact surveys say', async () => {
    await seedIndicators(t.dataSource);
    // The social-clause contract signed in February: 400 hours; a contract not yet signed counts for none.
    await t.dataSource.query(
      `UPDATE surveys SET insertion_hours = 400, levers = '{insertion_clause}' WHERE wave = 'impact' AND social_considerations = '{social_clause}'`,
    );
    const auth = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    const d = await bodyOf(fetch(`${t.url}/api/v1/staff/indicators?${PERIOD}`, { headers: { authorization: auth } }));
    expect(d.surveys.insertionHours).toMatchObject({ current: 400, previous: 0 });
    const html = await februaryPage();
    expect(html).toMatch(/<th scope="row">Heures d’insertion prévues \(clauses d’insertion\)<\/th><td>400<\/td><td>0<\/td>/);
  });

  it('compares public contracts only with the PNAD, and shows no environmental share for the social clauses alone (page, CSV, API)', async () => {
    await seedIndicators(t.dataSource);
    // Social-clause requests' contracts: a company outside the code (not counted in the shares) and a public buyer.
    const company = await seedRequest(t.dataSource, 'aura-ee', '69', '2026-01-10T10:00:00+01:00', {
      status: 'closed',
      kind: 'social_clause',
    });
    await t.dataSource.query(`UPDATE requests SET organisation_type = 'private_not_subject' WHERE id = $1`, [company]);
    await seedSurvey(t.dataSource, company, 'impact', '2026-02-17T10:00:00+01:00', { contract: 'yes', social: ['none'] });
    const hospital = await seedRequest(t.dataSource, 'aura-ee', '69', '2026-01-11T10:00:00+01:00', {
      status: 'closed',
      kind: 'social_clause',
    });
    await seedSurvey(t.dataSource, hospital, 'impact', '2026-02-17T10:00:00+01:00', { contract: 'yes', social: ['social_clause'] });
    const auth = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    const get = (query: string) =>
      bodyOf(fetch(`${t.url}/api/v1/staff/indicators?${PERIOD}${query}`, { headers: { authorization: auth } }));

    const all = await get('');
    expect(all.surveys.contracts.current).toBe(4);
    // Environmental: 1 of the 2 environmental requests' contracts (the social-clause surveys do not ask it); social: 2 of the 3 public ones.
    expect(all.surveys.environmental).toMatchObject({ current: 0.5, target: 1 });
    expect(all.surveys.social.current).toBeCloseTo(2 / 3, 10);
    const social = await get('&kind=social_clause');
    expect(social.surveys.contracts.current).toBe(2);
    expect(social.surveys).not.toHaveProperty('environmental');
    // 1 public contract of 1: « 100 % », too few to say the target is met, and the base says so.
    expect(social.surveys.social).toMatchObject({
      current: 1,
      hits: { current: 1 },
      base: { current: 1 },
      target: 0.3,
      gap: null,
      verdict: 'too_few',
    });
    const environmental = await get('&kind=environmental');
    expect(environmental.surveys.environmental).toMatchObject({ current: 0.5 });
    expect(environmental.surveys.social).toMatchObject({ current: 0.5 });

    const html = await februaryPage('type=social_clause&');
    expect(html).not.toContain('Avec au moins une considération environnementale');
    expect(html).toContain('Avec au moins une considération sociale');
    expect(html).toContain('pas les contrats des entreprises privées qui n’y sont pas soumises');
    expect(await februaryPage()).toContain('Avec au moins une considération environnementale');
    const { email } = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] });
    const client = new StaffClient(t.url);
    await client.signIn(email);
    const csv = await (
      await client.get('/espace/export/indicateurs.csv?reseau=aura-ee&type=social_clause&du=2026-02-01&au=2026-02-28')
    ).text();
    expect(csv).not.toContain('environnementale');
    expect(csv).toContain('Cible du PNAD — au moins une considération sociale');
  });

  it('narrows the figures to one kind of question, page and API, the alerts staying whole', async () => {
    await seedIndicators(t.dataSource);
    const auth = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    const get = (query: string) => fetch(`${t.url}/api/v1/staff/indicators?${PERIOD}${query}`, { headers: { authorization: auth } });
    const all = await bodyOf(get(''));
    const social = await bodyOf(get('&kind=social_clause'));
    expect(social.scope).toEqual({ network: 'aura-ee', kind: 'social_clause', label: 'AURA-EE / RREDD — Clauses sociales' });
    // The seeded February: 3 environmental and 2 social-clause requests (see « counts a network’s period »).
    expect(all.requests.total.current).toBe(5);
    expect(social.requests.total.current).toBe(2);
    expect(social.requests.byKind.find((k: { code: string }) => k.code === 'environmental').current).toBe(0);
    expect(social.alerts).toEqual(all.alerts);
    const bad = await get('&kind=insertion');
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors).toEqual([{ field: 'kind', message: 'Valeurs possibles : environmental, social_clause.' }]);

    const html = await februaryPage('type=social_clause&');
    expect(html).toContain('<option value="social_clause" selected>');
    expect(html).toContain('AURA-EE / RREDD — Clauses sociales — demandes reçues du');
    // One kind shown: no breakdown by kind, and the insertion hours only where the social clauses count.
    expect(html).not.toContain('id="par-type"');
    expect(html).toContain('Heures d’insertion prévues');
    expect(await februaryPage('type=environmental&')).not.toContain('Heures d’insertion prévues');
    // The period shortcuts keep the kind chosen.
    expect(html).toMatch(/href="\/espace\/indicateurs\?reseau=aura-ee&amp;type=social_clause&amp;du=/);
  });

  it('reads a year so far against the same stretch of last year, not all that followed it', async () => {
    const previous = await seedRequest(t.dataSource, 'aura-ee', '69', '2025-01-02T10:00:00+01:00', { status: 'closed' });
    const between = await seedRequest(t.dataSource, 'aura-ee', '69', '2025-06-15T10:00:00+02:00', { status: 'closed' });
    await seedRequest(t.dataSource, 'aura-ee', '69', '2026-01-03T10:00:00+01:00', { status: 'assigned' });
    await seedSurvey(t.dataSource, previous, 'satisfaction', '2025-01-03T10:00:00+01:00', { usefulness: 'yes' });
    await seedSurvey(t.dataSource, between, 'satisfaction', '2025-06-20T10:00:00+02:00', { usefulness: 'no' });
    const auth = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    const d = await bodyOf(fetch(`${t.url}/api/v1/staff/indicators?from=2026-01-01&to=2026-01-04`, { headers: { authorization: auth } }));

    expect(d.previousPeriod).toEqual({ from: '2025-01-01', to: '2025-01-04' });
    expect(d.requests.total).toMatchObject({ current: 1, previous: 1 });
    const satisfaction = d.surveys.responseRates.find((rate: { code: string }) => rate.code === 'satisfaction');
    expect(satisfaction.sent).toMatchObject({ current: 0, previous: 1 });
  });

  it('counts a network’s period beside the previous one, as computed by hand', async () => {
    const { facilitatorId } = await seedIndicators(t.dataSource);
    const auth = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    const response = await fetch(`${t.url}/api/v1/staff/indicators?${PERIOD}`, { headers: { authorization: auth } });
    expect(response.status).toBe(200);
    const d = await bodyOf(response);

    expect(d.scope).toEqual({ network: 'aura-ee', kind: null, label: 'AURA-EE / RREDD' });
    expect(d.period).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(d.previousPeriod).toEqual({ from: '2026-01-01', to: '2026-01-31' });
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
    // First answers within their deadline: 1 of 2 against 2 of 2.
    expect(d.timings.answeredOnTime).toEqual({ current: 0.5, previous: 1, delta: -0.5, trend: 'down' });
    expect(d.timings.deadlineMisses).toMatchObject({ current: 2, previous: 0 });
    expect(d.timings.deadlineMissShare).toMatchObject({ current: 0.4, previous: 0 });

    const rates = Object.fromEntries(d.surveys.responseRates.map((w: { code: string; current: number }) => [w.code, w.current]));
    expect(rates).toEqual({ satisfaction: 0.5, impact: 1 });
    expect(d.surveys.responseRates[0].declined).toMatchObject({ current: 0, previous: 0 });
    expect(d.surveys.answers.current).toBe(1);
    expect(d.surveys.usefulness.map((u: { code: string; current: number }) => [u.code, u.current])).toEqual([
      ['yes', 1],
      ['partly', 0],
      ['no', 0],
    ]);
    expect(d.surveys.contracts.current).toBe(2);
    // Two contracts: too few to hold a share against its target (the gap's arithmetic is the policy's table test).
    expect(d.surveys.environmental).toMatchObject({ current: 0.5, target: 1, gap: null, verdict: 'too_few' });
    expect(d.surveys.social).toMatchObject({ current: 0.5, target: 0.3, gap: null, verdict: 'too_few' });

    // Networks first, then facilitators; the furthest past its threshold first (usefulness 33 % vs 45 %, late answers
    // 30 % vs 20 %, declines 35 % vs 30 %).
    const alerts = d.alerts.items.map((a: { subject: { type: string; id: string }; metric: string; hits: number; sample: number }) => [
      a.subject.type,
      a.subject.id,
      a.metric,
      a.hits,
      a.sample,
    ]);
    expect(alerts).toEqual([
      ['network', 'aura-ee', 'usefulness', 10, 30],
      ['network', 'aura-ee', 'late_answers', 9, 30],
      ['network', 'aura-ee', 'declines', 7, 20],
      ['facilitator', facilitatorId, 'usefulness', 10, 30],
      ['facilitator', facilitatorId, 'late_answers', 9, 30],
      ['facilitator', facilitatorId, 'declines', 7, 20],
    ]);
    expect(d.alerts.items[5].subject.name).toBe('Alix Test (AURA-EE / RREDD)');
    expect(d.alerts.items[2].link).toBe('/espace/facilitateurs');
    expect(d.alerts.items[1].link).toBe('/espace?late=1');
    expect(d.alerts.items[4].link).toBe(`/espace?late=1&facilitator=${facilitatorId}`);
    expect(d.alerts.items[1].label).toBe('de premières réponses données après leur délai');
    const quarter = d.alerts.period;
    expect(d.alerts.items[3].link).toBe(
      `/espace/evaluations?du=${quarter.from}&au=${quarter.to}&wave=satisfaction&reseau=aura-ee&facilitator=${facilitatorId}`,
    );
  });

  it('admins see every network at once, or any one; animators only theirs; facilitators none', async () => {
    await seedIndicators(t.dataSource);
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
    for (const network of ['aura-ee', 'all']) expect((await get(animator, `network=${network}&${PERIOD}`)).status).toBe(404);
    // A code no network has, a parameter the API does not know or given twice: field errors, never read as "no filter".
    for (const [query, field] of [
      ['network=nowhere', 'network'],
      [`${PERIOD}&zzz=1`, 'zzz'],
      [`${PERIOD}&network=reseco&network=aura-ee`, 'network'],
    ]) {
      const refused = await get(admin, query);
      expect([query, refused.status]).toEqual([query, 400]);
      expect((await bodyOf(refused)).errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
    expect((await get(facilitator, `${PERIOD}&zzz=1`)).status).toBe(404);
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
    await seedIndicators(t.dataSource);
    const { email } = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] });
    const client = new StaffClient(t.url);
    await client.signIn(email);
    const workspace = await (await client.get('/espace')).text();
    expect(workspace).toContain('href="/espace/indicateurs"');
    // The workspace says whose it is: an animator's is not the facilitators'.
    expect(workspace).toContain('<h1>Espace animateur de réseau</h1>');

    const page = await client.get('/espace/indicateurs?du=2026-02-01&au=2026-02-28');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Indicateurs du guichet');
    expect(html).toMatch(/<svg class="gv-chart"[^>]*role="img"/);
    expect(html).toContain('Délai médian de prise en charge');
    expect(html).toMatch(/<td>1,5 j<\/td><td>3 j<\/td>/);
    // Taken within 5 days: 100 % in both periods; taken within 2: 66,7 % against 0 %.
    expect(html).toMatch(/<td>100 %<\/td><td>100 %<\/td><td>\s*stable\s*<\/td>/);
    expect(html).toMatch(/<td>66,7 %<\/td><td>0 %<\/td><td>\s*<span aria-hidden="true">↗<\/span> hausse de 66,7 points/);
    expect(html).toContain('35 % de refus (7 sur 20 attributions');
    // 1 contract of 2: the share shows its base, and says nothing against the target.
    expect(html).toContain('<td>50 %<br><span class="fr-text--xs">1 marché sur 2</span></td>');
    expect(html).toContain('trop peu de réponses pour comparer à la cible');
    expect(html).not.toMatch(/cible atteinte|sous la cible/);

    // One click to the usual periods, for the network shown; the default period is marked as the one shown.
    const standard = await (await client.get('/espace/indicateurs')).text();
    const quarter = lastFullQuarter(parisDay(new Date()));
    const thisYear = parisDay(new Date()).slice(0, 4);
    expect(standard).toContain(
      `href="/espace/indicateurs?reseau=aura-ee&amp;du=${quarter.from}&amp;au=${quarter.to}">Dernier trimestre complet<span class="fr-sr-only"> (période affichée)</span></a>`,
    );
    expect(standard).toMatch(
      new RegExp(`href="/espace/indicateurs\\?reseau=aura-ee&amp;du=${thisYear}-01-01&amp;au=[0-9-]{10}">Année en cours</a>`),
    );
    expect(standard.match(/aria-current="true"/g)).toHaveLength(1);

    expect((await client.get('/espace/indicateurs?reseau=reseco')).status).toBe(404);
    const invalid = await client.get('/espace/indicateurs?du=2026-02-01&au=hier');
    expect(invalid.status).toBe(400);
    const errorPage = await invalid.text();
    expect(errorPage).toContain('1 erreur empêche');
    expect(errorPage).toContain('La date de fin n’est pas une date valide : écrivez-la JJ/MM/AAAA.');
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
