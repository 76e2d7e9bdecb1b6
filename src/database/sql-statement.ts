import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/** A data-changing SQL statement with its positional parameters ($1, $2…), not yet run. */
export interface SqlStatement {
  sql: string;
  params: unknown[];
}

/**
 * Runs several INSERT/UPDATE statements as one, through data-modifying CTEs: one round trip, and
 * all or nothing without an explicit transaction. The statement is prepared once per connection
 * (named after its text), so PostgreSQL does not parse and plan it again on every submission.
 * Given an EntityManager, it runs inside that manager's transaction.
 */
export async function runAsOne(db: DataSource | EntityManager, statements: SqlStatement[]): Promise<void> {
  if (!statements.length) return;
  const { text, name } = preparedFor(statements);
  await pgClientOf(db).query({ name, text, values: statements.flatMap((s) => s.params) });
}

/** Combined text and name by statement shape: the same few shapes recur, renumbering and hashing them on every call costs for nothing. */
const preparedShapes = new Map<string, { text: string; name: string }>();
const MAX_PREPARED_SHAPES = 500;

function preparedFor(statements: SqlStatement[]): { text: string; name: string } {
  const shape = statements.map((s) => `${s.params.length}:${s.sql}`).join('\0');
  let prepared = preparedShapes.get(shape);
  if (!prepared) {
    const { sql } = combine(statements);
    prepared = { text: sql, name: `gv_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}` };
    if (preparedShapes.size >= MAX_PREPARED_SHAPES) preparedShapes.clear();
    preparedShapes.set(shape, prepared);
  }
  return prepared;
}

/** Parameters for a multi-row `unnest($1::type[], $2::type[], …)`: one array per key, in the given order. */
export function columnsOf<T>(rows: readonly T[], keys: ReadonlyArray<keyof T>): unknown[][] {
  return keys.map((key) => rows.map((row) => row[key]));
}

export function combine(statements: SqlStatement[]): SqlStatement {
  if (statements.length === 1) return statements[0];
  const params: unknown[] = [];
  const parts = statements.map((statement, index) => {
    const offset = params.length;
    params.push(...statement.params);
    return `s${index} AS (${statement.sql.replace(/\$(\d+)/g, (_m, n: string) => `$${Number(n) + offset}`)})`;
  });
  return { sql: `WITH ${parts.join(',\n')} SELECT 1`, params };
}

/** TypeORM's query() cannot name a prepared statement: reach the pg pool, or the transaction's client. */
function pgClientOf(db: DataSource | EntityManager): Pool | PoolClient {
  if (db instanceof DataSource) return (db.driver as PostgresDriver).master as Pool;
  const runner = db.queryRunner as unknown as { databaseConnection?: PoolClient } | undefined;
  if (!runner?.databaseConnection) throw new Error('runAsOne: the manager has no open transaction');
  return runner.databaseConnection;
}
