import type { StaffPrincipal } from '../../src/modules/accounts/accounts.types';
import type { EvaluationFilters } from '../../src/modules/reporting/evaluations.policy';
import { EvaluationsRepository } from '../../src/modules/reporting/evaluations.repository';
import { IndicatorsRepository } from '../../src/modules/reporting/indicators.repository';
import { plansOf, readsOf } from '../support/query-plans';
import { insertClosedRequests, insertCompletedSurveys } from '../support/survey-seeds';
import { TestApp, useTestApp } from '../support/test-app';

const staff = (role: StaffPrincipal['role'], networkCodes: string[] = []): StaffPrincipal => ({
  id: '00000000-0000-4000-8000-000000000001',
  email: 'revue@example.org',
  firstName: 'Alix',
  lastName: 'Revue',
  role,
  facilitatorId: null,
  networkCodes,
});

const NO_FILTERS: EvaluationFilters = {
  from: null,
  to: null,
  network: null,
  kind: null,
  segment: null,
  department: null,
  facilitator: null,
  wave: null,
  score: null,
  reviewed: null,
};

describe('the review of evaluations and the survey indicators read indexes, not two years of tables', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app));

  beforeEach(async () => {
    // Two networks' requests, a third of them evaluated.
    const requests = [
      ...(await insertClosedRequests(t.dataSource, 600)),
      ...(await insertClosedRequests(t.dataSource, 300, { network: 'aura-ee', department: '69' })),
    ];
    await insertCompletedSurveys(
      t.dataSource,
      requests.filter((_, i) => i % 3 === 0).map((r) => r.id),
      { completedAt: '2026-03-10T10:00:00Z' },
    );
    await t.dataSource.query(`VACUUM ANALYZE requests, surveys`);
  });

  it('lists the latest evaluations from an index, unsorted; counts them without the requests (admin) or from two indexes (a network)', async () => {
    const repository = t.app.get(EvaluationsRepository);
    const [adminCount, adminPage] = await plansOf(t.dataSource, async () => {
      await repository.count(staff('admin'), NO_FILTERS);
      await repository.page(staff('admin'), NO_FILTERS, 25, 0);
    });
    expect(readsOf(adminCount)).toEqual(['Index Only Scan surveys']);
    expect(adminPage.map((n) => n['Node Type'])).not.toContain('Sort');
    expect(readsOf(adminPage)).toContain('Index Scan surveys');

    const [networkCount] = await plansOf(t.dataSource, () => repository.count(staff('animator', ['aura-ee']), NO_FILTERS));
    expect(readsOf(networkCount).sort()).toEqual(['Index Only Scan requests', 'Index Only Scan surveys']);
  });

  it('counts a network’s surveys finding its requests in the index the indicators read, not in the table', async () => {
    const periods = { previous: { from: '2022-12-09', to: '2024-12-06' }, current: { from: '2024-12-07', to: '2026-12-05' } };
    const plans = await plansOf(t.dataSource, () =>
      t.app.get(IndicatorsRepository).surveyCounts(periods, { networkCode: 'aura-ee', kind: null }),
    );
    expect(plans).toHaveLength(2);
    for (const plan of plans) expect(readsOf(plan).filter((read) => read.endsWith(' requests'))).toEqual(['Index Only Scan requests']);
  });
});
