import { combine, containsPattern, mergeRows, SqlStatement } from './sql-statement';

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

describe('mergeRows', () => {
  const rows = (sql: string, params: unknown[], rowsFrom = 0): SqlStatement => ({ sql, params, rowsFrom });
  const insertA = 'INSERT INTO a (x, y) SELECT * FROM unnest($1::text[], $2::int[])';
  const insertB = 'INSERT INTO b (q, z) SELECT $1, * FROM unnest($2::text[])';
  const plain = (sql: string, params: unknown[]): SqlStatement => ({ sql, params });

  it.each<[string, SqlStatement[], SqlStatement[]]>([
    [
      'joins row-wise statements of the same text, their arrays end to end, at the first one’s place',
      [
        rows(insertA, [['a'], [1]]),
        plain('UPDATE c SET n = $1', [5]),
        rows(insertA, [
          ['b', 'c'],
          [2, 3],
        ]),
      ],
      [
        rows(insertA, [
          ['a', 'b', 'c'],
          [1, 2, 3],
        ]),
        plain('UPDATE c SET n = $1', [5]),
      ],
    ],
    [
      'joins only those whose scalars are the same',
      [rows(insertB, ['p', ['x']], 1), rows(insertB, ['q', ['y']], 1), rows(insertB, ['p', ['z']], 1)],
      [rows(insertB, ['p', ['x', 'z']], 1), rows(insertB, ['q', ['y']], 1)],
    ],
    [
      'never joins statements that are not row-wise, even of the same text',
      [plain('INSERT INTO d VALUES ($1)', [1]), plain('INSERT INTO d VALUES ($1)', [2])],
      [plain('INSERT INTO d VALUES ($1)', [1]), plain('INSERT INTO d VALUES ($1)', [2])],
    ],
    [
      'keeps different texts apart',
      [rows(insertA, [['a'], [1]]), rows(insertB, ['p', ['x']], 1)],
      [rows(insertA, [['a'], [1]]), rows(insertB, ['p', ['x']], 1)],
    ],
  ])('%s', (_label, statements, expected) => {
    expect(mergeRows(statements)).toEqual(expected);
  });

  it('leaves the given statements untouched, so a failed batch can be retried list by list', () => {
    const first = rows(insertA, [['a'], [1]]);
    const second = rows(insertA, [['b'], [2]]);
    mergeRows([first, second]);
    expect(first.params).toEqual([['a'], [1]]);
    expect(second.params).toEqual([['b'], [2]]);
  });
});

describe('containsPattern', () => {
  it.each([
    ['cantine', '%cantine%'],
    ['100%', '%100\\%%'],
    ['lot_2', '%lot\\_2%'],
    ['a\\b', '%a\\\\b%'],
  ])('%s → %s', (search, pattern) => {
    expect(containsPattern(search)).toBe(pattern);
  });
});
