import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import type { StaffPrincipal } from '../../src/modules/accounts/accounts.types';
import type { EvaluationFilters } from '../../src/modules/reporting/evaluations.policy';
import { EvaluationsRepository } from '../../src/modules/reporting/evaluations.repository';
import { IndicatorsRepository } from '../../src/modules/reporting/indicators.repository';
import { insertClosedRequests, insertCompletedSurveys } from '../support/survey-seeds';
import { TestApp, useTestApp } from '../support/test-app';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

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
  page: 1,
};

/** The nodes of a plan, flattened: how each table is read, and whether anything is sorted. */
const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];
const readsOf = (nodes: PlanNode[]) => nodes.filter((n) => n['Relation Name']).map((n) => `${n['Node Type']} ${n['Relation Name']}`);

describe('the review of evaluations and the survey indicators read indexes, not two years of tables', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app));

  /** The plans PostgreSQL chooses for the statements `work` sends, as it sends them (the work itself runs for real). */
  async function plansOf(work: () => Promise<unknown>): Promise<PlanNode[][]> {
    const sent: Array<[string, unknown[] | undefined]> = [];
    const original = PostgresQueryRunner.prototype.query;
    const spy = jest.spyOn(PostgresQueryRunner.prototype, 'query').mockImplementation(function (this: PostgresQueryRunner, ...args) {
      if (/^\s*SELECT/.test(args[0]) && !args[0].includes('set_config')) sent.push([args[0], args[1]]);
      return original.apply(this, args);
    });
    try {
      await work();
    } finally {
      spy.mockRestore();
    }
    // A test's tables are small enough to read whole: what matters is that an index answers each statement alone.
    return t.dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off`);
      const plans: PlanNode[][] = [];
      for (const [sql, params] of sent) {
        const [row] = await manager.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
        plans.push(nodesOf(row['QUERY PLAN'][0].Plan));
      }
      return plans;
    });
  }

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
    const [adminCount, adminPage] = await plansOf(async () => {
      await repository.count(staff('admin'), NO_FILTERS);
      await repository.page(staff('admin'), NO_FILTERS, 25, 0);
    });
    expect(readsOf(adminCount)).toEqual(['Index Only Scan surveys']);
    expect(adminPage.map((n) => n['Node Type'])).not.toContain('Sort');
    expect(readsOf(adminPage)).toContain('Index Scan surveys');

    const [networkCount] = await plansOf(() => repository.count(staff('animator', ['aura-ee']), NO_FILTERS));
    expect(readsOf(networkCount).sort()).toEqual(['Index Only Scan requests', 'Index Only Scan surveys']);
  });

  it('counts a network’s surveys finding its requests in the index the indicators read, not in the table', async () => {
    const periods = { previous: { from: '2022-12-09', to: '2024-12-06' }, current: { from: '2024-12-07', to: '2026-12-05' } };
    const plans = await plansOf(() => t.app.get(IndicatorsRepository).surveyCounts(periods, { networkCode: 'aura-ee', kind: null }));
    expect(plans).toHaveLength(2);
    for (const plan of plans) expect(readsOf(plan).filter((read) => read.endsWith(' requests'))).toEqual(['Index Only Scan requests']);
  });
});
