import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { insertFacilitator } from '../support/facilitators';
import { flushQueues, resetDatabase, startTestApp, TestApp, validRequestBody, waitFor } from '../support/test-app';

const ROOT = join(__dirname, '..', '..');

async function submitMany(api: TestApp, count: number, inFlight = 20): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const n = next++;
      const response = await fetch(`${api.url}/api/v1/requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(validRequestBody(n + 1)),
      });
      if (response.status !== 201) throw new Error(`dépôt refusé : ${response.status}`);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
}

/** Every invariant of the directory and the assignments, read from PostgreSQL. */
async function invariants(api: TestApp) {
  const q = (sql: string) => api.dataSource.query(sql);
  const [overCapacity] = await q(`SELECT count(*)::int AS n FROM facilitators WHERE open_count > capacity`);
  const [counterDrift] = await q(
    `SELECT count(*)::int AS n FROM facilitators f
      WHERE f.open_count <> (SELECT count(*) FROM request_assignments ra WHERE ra.facilitator_id = f.id AND ra.ended_at IS NULL)`,
  );
  const [twice] = await q(`SELECT count(*)::int AS n FROM (SELECT request_id FROM request_assignments GROUP BY 1 HAVING count(*) > 1) x`);
  const statuses = await q(`SELECT status, count(*)::int AS n FROM requests GROUP BY 1 ORDER BY 1`);
  const [mismatch] = await q(
    `SELECT count(*)::int AS n FROM requests r
      WHERE (r.status = 'assigned') <> EXISTS (SELECT 1 FROM request_assignments ra WHERE ra.request_id = r.id AND ra.ended_at IS NULL)`,
  );
  const [mails] = await q(
    `SELECT count(*)::int AS n, count(DISTINCT request_id)::int AS requests, coalesce(max(attempts), 0)::int AS "maxAttempts"
       FROM mail_messages WHERE template = 'facilitator-assignment'`,
  );
  return { overCapacity: overCapacity.n, counterDrift: counterDrift.n, twice: twice.n, mismatch: mismatch.n, statuses, mails };
}

/** Each test's own budget: its submissions, then its waits (up to 30 s and 60 s), on a loaded two-core machine. */
const HEAVY_TEST_MS = 150_000;

const pending = async (api: TestApp) =>
  (await api.dataSource.query(`SELECT count(*)::int AS n FROM requests WHERE status = 'submitted'`))[0].n;

describe('routing under concurrency', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({}, { api: true, worker: false });
  });
  beforeEach(async () => {
    await resetDatabase(api.dataSource);
    await flushQueues();
  });
  afterAll(() => api.close());

  it(
    '500 requests, 20 facilitators of capacity 10, four workers at once: nobody over capacity, each request once',
    async () => {
      for (let i = 0; i < 20; i++) await insertFacilitator(api.dataSource, { capacity: 10, email: `f${i}@example.org` });
      await submitMany(api, 500);
      const workers = await Promise.all([1, 2, 3, 4].map(() => startTestApp({}, { api: false, worker: true })));
      try {
        await waitFor(async () => (await pending(api)) === 0, 60_000, 'toutes les demandes routées');
        const result = await invariants(api);
        expect(result).toMatchObject({ overCapacity: 0, counterDrift: 0, twice: 0, mismatch: 0 });
        expect(result.statuses).toEqual([
          { status: 'assigned', n: 200 },
          { status: 'unassigned', n: 300 },
        ]);
        expect(result.mails).toMatchObject({ n: 200, requests: 200 });
      } finally {
        await Promise.all(workers.map((w) => w.close()));
      }
    },
    HEAVY_TEST_MS,
  );

  it(
    'a worker process killed in the middle: every request still assigned once, with one e-mail',
    async () => {
      if (!existsSync(join(ROOT, 'dist', 'src', 'worker.js'))) execFileSync('npx', ['nest', 'build'], { cwd: ROOT, stdio: 'ignore' });
      await insertFacilitator(api.dataSource, { capacity: 1000 });
      await submitMany(api, 300);
      const env = { ...process.env, WORKER_LOCK_MS: '2000', OUTBOX_POLL_MS: '50', LOG_LEVEL: 'silent' };
      const start = () => spawn(process.execPath, [join(ROOT, 'dist', 'src', 'worker.js')], { cwd: ROOT, env, stdio: 'ignore' });
      const assigned = async () => (await api.dataSource.query(`SELECT count(*)::int AS n FROM requests WHERE status = 'assigned'`))[0].n;

      const doomed: ChildProcess = start();
      await waitFor(async () => (await assigned()) >= 30, 30_000, 'premières attributions');
      doomed.kill('SIGKILL');
      await new Promise((resolve) => doomed.once('exit', resolve));
      const survivor = start();
      try {
        await waitFor(async () => (await pending(api)) === 0, 60_000, 'reprise par le second worker');
        const result = await invariants(api);
        expect(result).toMatchObject({ overCapacity: 0, counterDrift: 0, twice: 0, mismatch: 0 });
        expect(result.statuses).toEqual([{ status: 'assigned', n: 300 }]);
        expect(result.mails.n).toBe(300);
        expect(result.mails.requests).toBe(300);
        expect(result.mails.maxAttempts).toBeLessThanOrEqual(1);
      } finally {
        survivor.kill('SIGTERM');
        await new Promise((resolve) => survivor.once('exit', resolve));
      }
    },
    HEAVY_TEST_MS,
  );
});
