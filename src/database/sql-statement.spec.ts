import { combine, SqlStatement } from './sql-statement';

describe('combine', () => {
  it('keeps a single statement as is', () => {
    expect(combine([{ sql: 'INSERT INTO t (a) VALUES ($1)', params: [1] }])).toEqual({ sql: 'INSERT INTO t (a) VALUES ($1)', params: [1] });
  });

  it('joins several statements into one, renumbering their parameters in order', () => {
    const statements: SqlStatement[] = [
      { sql: 'INSERT INTO a (x, y) VALUES ($1, $2)', params: ['x', 'y'] },
      { sql: 'INSERT INTO b (z) VALUES ($1)', params: ['z'] },
      { sql: 'INSERT INTO c (u, v, w) VALUES ($1, $2, $3)', params: [1, 2, 3] },
    ];
    const combined = combine(statements);
    expect(combined.sql).toBe(
      'WITH s0 AS (INSERT INTO a (x, y) VALUES ($1, $2)),\ns1 AS (INSERT INTO b (z) VALUES ($3)),\ns2 AS (INSERT INTO c (u, v, w) VALUES ($4, $5, $6)) SELECT 1',
    );
    expect(combined.params).toEqual(['x', 'y', 'z', 1, 2, 3]);
  });

  it('renumbers two-digit parameters', () => {
    const many = Array.from({ length: 12 }, (_, i) => `$${i + 1}`).join(', ');
    const combined = combine([
      { sql: 'INSERT INTO a VALUES ($1)', params: [0] },
      { sql: `INSERT INTO b VALUES (${many})`, params: Array.from({ length: 12 }, (_, i) => i) },
    ]);
    expect(combined.sql).toContain('VALUES ($2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)');
  });
});
