import type { Pool } from 'pg';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { TestApp, useTestApp } from '../support/test-app';

describe('DATABASE_POOL_SIZE', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app), { DATABASE_POOL_SIZE: '3' }, { api: true, worker: false });

  it('bounds the connections the process opens to PostgreSQL', async () => {
    const pool = (t.dataSource.driver as PostgresDriver).master as Pool;
    const opened = async (): Promise<number> => {
      const [{ n }] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'guichet-vert'`,
      );
      return n;
    };
    const sleeping = Array.from({ length: 8 }, () => t.dataSource.query(`SELECT pg_sleep(0.3)`));
    // Asked for while eight queries wait for a connection: it queues behind them, so it reads the busiest moment.
    const [busiest] = await Promise.all([opened(), ...sleeping]);

    expect(pool.options.max).toBe(3);
    expect(busiest).toBe(3);
    expect(pool.totalCount).toBeLessThanOrEqual(3);
  });
});
