/** The plans PostgreSQL chooses for what the app sends: the tests that check a statement reads an index, not a table. */
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import type { DataSource } from 'typeorm';

export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Recheck Cond'?: string;
  Plans?: PlanNode[];
}

/** The nodes of a plan, flattened: how each table is read, and whether anything is sorted. */
export const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];
export const readsOf = (nodes: PlanNode[]) => nodes.filter((n) => n['Relation Name']).map((n) => `${n['Node Type']} ${n['Relation Name']}`);

/** The SELECTs `work` sends, with their parameters, as it sends them (the work itself runs for real). */
export async function selectsOf(work: () => Promise<unknown>): Promise<Array<[string, unknown[] | undefined]>> {
  const sent: Array<[string, unknown[] | undefined]> = [];
  const original = PostgresQueryRunner.prototype.query;
  const spy = jest.spyOn(PostgresQueryRunner.prototype, 'query').mockImplementation(function (this: PostgresQueryRunner, ...args) {
    // The parameters as they were sent: a caller may reuse its array for a later statement.
    if (/^\s*(SELECT|WITH)/.test(args[0]) && !args[0].includes('set_config')) sent.push([args[0], args[1] && [...args[1]]]);
    return original.apply(this, args);
  });
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return sent;
}

/**
 * The plans PostgreSQL chooses for the SELECTs `work` sends (selectsOf). A test's tables are small enough to read whole:
 * what matters is that an index answers each statement alone. Bitmap scans are off unless asked for, as they are the
 * only way to read a GIN index.
 */
export async function plansOf(dataSource: DataSource, work: () => Promise<unknown>, { bitmapScans = false } = {}): Promise<PlanNode[][]> {
  const sent = await selectsOf(work);
  return dataSource.transaction(async (manager) => {
    await manager.query(`SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = ${bitmapScans ? 'on' : 'off'}`);
    const plans: PlanNode[][] = [];
    for (const [sql, params] of sent) {
      const [row] = await manager.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
      plans.push(nodesOf(row['QUERY PLAN'][0].Plan));
    }
    return plans;
  });
}
