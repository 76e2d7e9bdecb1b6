import { Client } from 'pg';
import { transactionRetryingDeadlocks } from '../../src/database/deadlock-retry';
import { sessionsWaitingOnLocks, TestApp, useTestApp, waitFor } from '../support/test-app';

/** Two transactions locking two rows in opposite orders, on the real PostgreSQL: the victim is run again, whole. */
describe('a transaction ended as a deadlock’s victim', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app), {}, { api: true, worker: false });

  const waitingOnLocks = () => sessionsWaitingOnLocks(t.dataSource);

  it('is run again from the start and commits once, its first attempt rolled back', async () => {
    await t.dataSource.query(`CREATE TABLE deadlock_probe (id int PRIMARY KEY, n int NOT NULL, attempts text[] NOT NULL DEFAULT '{}')`);
    await t.dataSource.query(`INSERT INTO deadlock_probe (id, n) VALUES (1, 0), (2, 0)`);
    const other = new Client({ connectionString: t.config.DATABASE_URL });
    await other.connect();
    try {
      let secondHoldsRow2!: () => void;
      const row2Held = new Promise<void>((resolve) => (secondHoldsRow2 = resolve));
      // The other transaction: row 2, then row 1 once the first waits on row 2. Its own deadlock check comes late, so
      // the first one finds the cycle and is its victim.
      const second = (async () => {
        await other.query('BEGIN');
        await other.query(`SET LOCAL deadlock_timeout = '10s'`);
        await other.query('UPDATE deadlock_probe SET n = n + 1 WHERE id = 2');
        secondHoldsRow2();
        await waitFor(async () => (await waitingOnLocks()) === 1, 5_000, 'la première transaction attend la ligne 2', 20);
        await other.query('UPDATE deadlock_probe SET n = n + 1 WHERE id = 1');
        await other.query('COMMIT');
      })();

      let attempts = 0;
      const result = await transactionRetryingDeadlocks(t.dataSource, async (manager) => {
        attempts += 1;
        await manager.query(`SET LOCAL deadlock_timeout = '500ms'`);
        await manager.query(`UPDATE deadlock_probe SET n = n + 1, attempts = attempts || $1::text WHERE id = 1`, [String(attempts)]);
        if (attempts === 1) await row2Held;
        await manager.query('UPDATE deadlock_probe SET n = n + 1 WHERE id = 2');
        return attempts;
      });
      await second;

      expect(result).toBe(2);
      // Each row changed once by each transaction: nothing of the first attempt stayed.
      expect(await t.dataSource.query(`SELECT id, n, attempts FROM deadlock_probe ORDER BY id`)).toEqual([
        { id: 1, n: 2, attempts: ['2'] },
        { id: 2, n: 2, attempts: [] },
      ]);
    } finally {
      await other.end();
      await t.dataSource.query(`DROP TABLE deadlock_probe`);
    }
  });

  it('lets any other error through at once', async () => {
    let attempts = 0;
    await expect(
      transactionRetryingDeadlocks(t.dataSource, async (manager) => {
        attempts += 1;
        await manager.query('SELECT 1 / 0');
      }),
    ).rejects.toThrow('division by zero');
    expect(attempts).toBe(1);
  });
});
