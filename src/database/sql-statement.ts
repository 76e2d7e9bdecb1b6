import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/** A data-changing SQL statement with its positional parameters ($1, $2…), not yet run. */
export interface SqlStatement {
  sql: string;
  params: unknown[];
  /**
   * Set on a statement that applies row by row to arrays given column by column (`unnest($n::type[], …)`):
   * the index of its first array parameter, those before it being scalars. Such statements with the same
   * text and scalars run as one, their arrays joined (see mergeRows).
   */
  rowsFrom?: number;
}

/**
 * Runs several INSERT/UPDATE statements as one, through data-modifying CTEs: one round trip, and
 * all or nothing without an explicit transaction. They all see the tables as they were before it: one of them
 * cannot update a row another inserts (write that row complete instead), and two updating one row count once (run them
 * apart). The statement is prepared once per connection
 * (named after its text), so PostgreSQL does not parse and plan it again on every submission.
 * Given an EntityManager, it runs inside that manager's transaction.
 */
export async function runAsOne(db: DataSource | EntityManager, statements: SqlStatement[]): Promise<void> {
  if (!statements.length) return;
  const merged = mergeRows(statements);
  const { text, name } = preparedFor(merged);
  await pgClientOf(db).query({ name, text, values: merged.flatMap((s) => s.params) });
}

/**
 * Joins the row-wise statements (`rowsFrom`) that share their text and scalars into one, their arrays end to
 * end, at the place of the first: a batch of submissions then inserts each table's rows in one multi-row
 * statement, which costs PostgreSQL about a third less than one statement per submission. The given
 * statements are left untouched (a failed batch is retried list by list).
 */
export function mergeRows(statements: SqlStatement[]): SqlStatement[] {
  const merged: SqlStatement[] = [];
  const rowWiseByText = new Map<string, SqlStatement[]>();
  for (const statement of statements) {
    const { rowsFrom } = statement;
    if (rowsFrom === undefined) {
      merged.push(statement);
      continue;
    }
    const sameText = rowWiseByText.get(statement.sql) ?? [];
    const target = sameText.find(
      (candidate) =>
        candidate.rowsFrom === rowsFrom && statement.params.slice(0, rowsFrom).every((param, i) => param === candidate.params[i]),
    );
    if (target) {
      for (let i = rowsFrom; i < statement.params.length; i++) (target.params[i] as unknown[]).push(...(statement.params[i] as unknown[]));
      continue;
    }
    const copy = { ...statement, params: statement.params.map((param, i) => (i < rowsFrom ? param : [...(param as unknown[])])) };
    merged.push(copy);
    sameText.push(copy);
    rowWiseByText.set(statement.sql, sameText);
  }
  return merged;
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

/** A LIKE pattern matching the words anywhere, the typed % and _ taken literally. */
export function containsPattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
