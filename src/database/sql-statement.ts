/** A data-changing SQL statement with its positional parameters ($1, $2…), not yet run. */
export interface SqlStatement {
  sql: string;
  params: unknown[];
}

export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/**
 * Runs several INSERT/UPDATE statements as one, through data-modifying CTEs: one round trip, and
 * all or nothing without an explicit transaction. The hot paths (intake) send many small writes,
 * and on this kind of machine each round trip costs more than the write itself.
 */
export async function runAsOne(db: Queryable, statements: SqlStatement[]): Promise<void> {
  if (statements.length === 1) {
    await db.query(statements[0].sql, statements[0].params);
    return;
  }
  const params: unknown[] = [];
  const parts = statements.map((statement, index) => {
    const offset = params.length;
    params.push(...statement.params);
    return `s${index} AS (${statement.sql.replace(/\$(\d+)/g, (_m, n: string) => `$${Number(n) + offset}`)})`;
  });
  await db.query(`WITH ${parts.join(',\n')} SELECT 1`, params);
}
