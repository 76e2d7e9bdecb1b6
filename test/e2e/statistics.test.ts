import { parisDay } from '../../src/common/clock';
import { lastTwelveMonths, previousPeriod } from '../../src/modules/reporting/indicators.policy';
import { seedRequest, seedSurvey } from '../support/indicators';
import { bodyOf, TestApp, useTestApp } from '../support/test-app';

/** The public statistics: national figures over the last twelve complete months, for anyone, page and JSON alike. */
describe('public statistics', () => {
  let t: TestApp;
  useTestApp((app) => (t = app));

  it('counts the last twelve complete months beside the twelve before, without sign-in, naming no network', async () => {
    const today = parisDay(new Date());
    const year = lastTwelveMonths(today);
    const before = previousPeriod(year);
    const inYear = `${year.from}T12:00:00+01:00`;
    const r1 = await seedRequest(t.dataSource, 'aura-ee', '69', inYear, { status: 'closed', take: 1, answer: 4, onTime: true });
    const r2 = await seedRequest(t.dataSource, 'reseco', '35', `${year.to}T12:00:00+01:00`, {
      status: 'closed',
      take: 2,
      answer: 6,
      onTime: false,
    });
    await seedRequest(t.dataSource, 'arbe', '13', inYear, { status: 'in_progress', kind: 'social_clause', take: 3 });
    // Mid-month a year before the year's first month: in the previous twelve months whatever the leap days.
    const yearBefore = `${Number(year.from.slice(0, 4)) - 1}${year.from.slice(4, 8)}15T12:00:00+01:00`;
    expect(yearBefore >= before.from).toBe(true);
    const r4 = await seedRequest(t.dataSource, 'aura-ee', '38', yearBefore, { status: 'closed', take: 5, answer: 10, onTime: false });
    // This month is not complete yet: counted in neither year.
    await seedRequest(t.dataSource, 'aura-ee', '38', `${today}T00:30:00+01:00`, { status: 'submitted' });
    await seedSurvey(t.dataSource, r1, 'satisfaction', inYear, { usefulness: 'yes' });
    await seedSurvey(t.dataSource, r2, 'satisfaction', inYear, { usefulness: 'yes' });
    await seedSurvey(t.dataSource, r4, 'satisfaction', inYear, { usefulness: 'no' });

    const statistics = await bodyOf(fetch(`${t.url}/api/v1/statistics`));
    expect(statistics.period).toEqual(year);
    expect(statistics.requests.total).toMatchObject({ current: 3, previous: 1 });
    expect(statistics.requests.byKind.map((k: { code: string; current: number }) => [k.code, k.current])).toEqual([
      ['environmental', 2],
      ['social_clause', 1],
    ]);
    expect(statistics.timings.takeChargeMedianDays).toMatchObject({ current: 2, previous: 5 });
    expect(statistics.timings.answerMedianDays).toMatchObject({ current: 5, previous: 10 });
    expect(statistics.timings.answeredOnTime).toMatchObject({ current: 0.5, previous: 0 });
    expect(statistics.timings.answerDeadlineDays).toBe(10);
    // Month by month: the year's first month holds two requests, its last one; the year before, one in its first month.
    expect(statistics.requests.byMonth).toHaveLength(12);
    expect(statistics.requests.byMonth[0]).toMatchObject({ code: year.from.slice(0, 7), current: 2, previous: 1 });
    expect(statistics.requests.byMonth[11]).toMatchObject({ code: year.to.slice(0, 7), current: 1, previous: 0 });
    expect(statistics.requests.byMonth.slice(1, 11).every((m: { current: number }) => m.current === 0)).toBe(true);
    expect(statistics.surveys.answers.current).toBe(3);
    expect(statistics.surveys.usefulness.find((u: { code: string }) => u.code === 'yes').current).toBeCloseTo(2 / 3);

    const page = await fetch(`${t.url}/statistiques`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Statistiques du guichet vert');
    expect(html).toContain('<p class="fr-callout__title">3</p>');
    expect(html).toContain('<p class="fr-callout__title">66,7 %</p>');
    expect(html).toContain('<p class="fr-callout__title">5 j</p>');
    expect(html).toContain('Par mois de réception, face au même mois un an plus tôt');
    expect(html).toContain('Premières réponses données dans leur délai');
    expect(html).toContain('dans les 10 jours ouvrés suivant la prise en charge');
    for (const name of ['AURA-EE', 'RESECO', 'ARBE', 'Camille']) expect(html).not.toContain(name);
    // The home page says the same in one sentence.
    const home = await (await fetch(`${t.url}/`)).text();
    expect(home).toContain('href="/statistiques"');
    expect(home).toMatch(
      /id="en-chiffres">Du 1er \S+ \d{4} au \d{2} \S+ \d{4} : <strong>3 demandes<\/strong>, une réponse écrite en <strong>5 jours ouvrés<\/strong> en médiane, jugée utile par <strong>67 %<\/strong>/,
    );
  });

  it('documents the open data in OpenAPI: the response schema, figure by figure', async () => {
    const document = await bodyOf(fetch(`${t.url}/api/docs-json`));
    const ok = document.paths['/api/v1/statistics'].get.responses['200'];
    expect(ok.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/PublicStatisticsDto' });
    const schemas = document.components.schemas;
    expect(Object.keys(schemas.PublicStatisticsDto.properties)).toEqual(['period', 'previousPeriod', 'requests', 'timings', 'surveys']);
    expect(Object.keys(schemas.StatisticsTimingsDto.properties)).toEqual([
      'takeChargeMedianDays',
      'answerMedianDays',
      'takenWithin2Days',
      'answeredOnTime',
      'answerDeadlineDays',
    ]);
    expect(schemas.FigureDto.properties.trend).toMatchObject({ enum: ['up', 'down', 'stable'], nullable: true });
    // What the API answers has exactly the documented fields.
    const statistics = await bodyOf(fetch(`${t.url}/api/v1/statistics`));
    expect(Object.keys(statistics.timings).sort()).toEqual(Object.keys(schemas.StatisticsTimingsDto.properties).sort());
    expect(Object.keys(statistics.surveys).sort()).toEqual(Object.keys(schemas.StatisticsSurveysDto.properties).sort());
    expect(Object.keys(statistics.surveys.environmental).sort()).toEqual(Object.keys(schemas.TargetFigureDto.properties).sort());
  });
});
