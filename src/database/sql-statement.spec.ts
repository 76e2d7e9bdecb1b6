import { runAsOne, SqlStatement } from './sql-statement';

/** Records what would be sent to PostgreSQL. */
function recorder() {
  const calls: Array<{ sql: string; params: unknown[] }> = [];
  return { calls, db: { query: async (sql: string, params: unknown[] = []) => void calls.push({ sql, params }) } };
}

describe('runAsOne', () => {
  it('sends a single statement as is', async () => {
    const { calls, db } = recorder();
    await runAsOne(db, [{ sql: 'INSERT INTO t (a) VALUES ($1)', params: [1] }]);
    expect(calls).toEqual([{ sql: 'INSERT INTO t (a) VALUES ($1)', params: [1] }]);
  });

  it('joins several statements into one, renumbering their parameters in order', async () => {
    const { calls, db } = recorder();
    const statements: SqlStatement[] = [
      { sql: 'INSERT INTO a (x, y) VALUES ($1, $2)', params: ['x', 'y'] },
      { sql: 'INSERT INTO b (z) VALUES ($1)', params: ['z'] },
      { sql: 'INSERT INTO c (u, v, w) VALUES ($1, $2, $3)', params: [1, 2, 3] },
    ];
    await runAsOne(db, statements);
    expect(calls).toHaveLength(1);
    expect(calls[0].sql).toBe(
      'WITH s0 AS (INSERT INTO a (x, y) VALUES ($1, $2)),\ns1 AS (INSERT INTO b (z) VALUES ($3)),\ns2 AS (INSERT INTO c (u, v, w) VALUES ($4, $5, $6)) SELECT 1',
    );
    expect(calls[0].params).toEqual(['x', 'y', 'z', 1, 2, 3]);
  });

  it('renumbers two-digit parameters', async () => {
    const { calls, db } = recorder();
    const many = Array.from({ length: 12 }, (_, i) => `$${i + 1}`).join(', ');
    await runAsOne(db, [
      { sql: 'INSERT INTO a VALUES ($1)', params: [0] },
      { sql: `INSERT INTO b VALUES (${many})`, params: Array.from({ length: 12 }, (_, i) => i) },
    ]);
    expect(calls[0].sql).toContain('VALUES ($2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)');
  });
});
