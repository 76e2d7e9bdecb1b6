import type { Pool } from 'pg';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { TestApp, useTestApp } from '../support/test-app';

describe('a pooled connection PostgreSQL ends', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app));

  it('ends it alone: the process goes on, the pool replaces it, the loss is logged', async () => {
    const pool = (t.dataSource.driver as PostgresDriver).master as Pool;
    // Held between two owners' listeners, as a connection is while TypeORM releases it, or while a stream reads it.
    const client = await pool.connect();
    const { rows } = await client.query('SELECT pg_backend_pid() AS pid');
    await t.dataSource.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
    // The termination arrives as an « error » event on the client; unheard, it would stop this process.
    await new Promise((resolve) => setTimeout(resolve, 300));
    client.release(true);
    expect(await t.dataSource.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    const lost = t.logs.map((line) => JSON.parse(line)).filter((line) => line.msg === 'connexion PostgreSQL perdue, remplacée par le pool');
    // The server's word, then the socket's end: two events, the second when its first listener may be gone.
    expect(lost.map((line) => line.code ?? line.err)).toEqual(['57P01', 'Connection terminated unexpectedly']);
  });
});
