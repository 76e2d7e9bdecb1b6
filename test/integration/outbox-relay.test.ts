import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../src/app.module';
import { Clock } from '../../src/common/clock';
import { loadConfig } from '../../src/config/app-config';
import { Client } from 'pg';
import { OutboxRelay } from '../../src/queue/outbox.relay';
import { OutboxRepository } from '../../src/queue/outbox.repository';
import { QueueService } from '../../src/queue/queue.service';
import { manualRelay } from '../support/outbox-relay';
import { capturingLogger, flushQueues, resetDatabase, startTestApp, TestApp, useTestApp, waitFor } from '../support/test-app';

/** Rows committed out of id order, as concurrent transactions leave them: none may be left behind. */
describe('outbox relay', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app), {}, { api: true, worker: false });

  /** A row inserted in a transaction left open: its id is below every row inserted after it. */
  async function heldBackRow(): Promise<{ commit(): Promise<void> }> {
    const runner = t.dataSource.createQueryRunner();
    await runner.startTransaction();
    const { sql, params } = t.app.get(OutboxRepository).addStatement('routing.drain-pool', { networkCode: 'arbe' }, 'held-back');
    await runner.query(sql, params);
    return {
      commit: async () => {
        await runner.commitTransaction();
        await runner.release();
      },
    };
  }

  async function commitRows(count: number): Promise<void> {
    const { sql, params } = t.app.get(OutboxRepository).addManyStatement(
      'routing.drain-pool',
      Array.from({ length: count }, (_, n) => ({ payload: { networkCode: 'aura-ee' }, jobId: `drain-${n}` })),
    );
    await t.dataSource.query(sql, params);
  }

  const queued = async (jobId: string) => (await t.app.get(QueueService).queue('routing').getJob(jobId))?.data;

  it('publishes a row committed after younger ones were published, on its next drain', async () => {
    const relay = manualRelay(t);
    const late = await heldBackRow();
    await commitRows(3);
    expect(await relay.drain()).toBe(3);

    await late.commit();
    expect(await relay.drain()).toBe(1);
    expect(await queued('held-back')).toEqual({ networkCode: 'arbe' });
    expect(await t.dataSource.query(`SELECT 1 FROM outbox_events WHERE published_at IS NULL`)).toEqual([]);
  });

  it('publishes a row held back behind more rows than a drain looks back over at the next full pass', async () => {
    const relay = manualRelay(t);
    const late = await heldBackRow();
    await commitRows(1200);
    expect(await relay.drain()).toBe(1200);

    await late.commit();
    // Drains in quick succession start near the newest rows: this one does not reach back to it.
    expect(await relay.drain()).toBe(0);
    const clock = t.app.get(Clock);
    clock.travel(5000);
    try {
      expect(await relay.drain()).toBe(1);
    } finally {
      clock.travel(-5000);
    }
    expect(await queued('held-back')).toEqual({ networkCode: 'arbe' });
  });
});

describe('outbox relay at start and shutdown', () => {
  it('publishes what waited at its start without a failed first batch (the Redis connection is still opening then)', async () => {
    const db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    try {
      await db.query(`TRUNCATE outbox_events`);
      await db.query(
        `INSERT INTO outbox_events (queue, job_name, job_id, payload, delay_ms)
         SELECT 'routing', 'routing.drain-pool', 'start-' || n, '{"networkCode": "aura-ee"}', 0 FROM generate_series(1, 50) n`,
      );
      await flushQueues();
      // As `npm run start:worker` and the workers' thread start: no HTTP app has opened the queues before the relay.
      const logs: string[] = [];
      const worker = await NestFactory.createApplicationContext(
        AppModule.forRoles({ api: false, worker: true }, loadConfig(process.env), capturingLogger(logs)),
        { logger: false },
      );
      try {
        const rows = await waitFor(
          async () => {
            const { rows } = await db.query(`SELECT published_at, attempts, last_error FROM outbox_events WHERE job_id LIKE 'start-%'`);
            return rows.every((row) => row.published_at) && rows;
          },
          10_000,
          'lignes en attente publiées',
        );
        expect(rows).toHaveLength(50);
        expect(rows.filter((row) => row.attempts > 0 || row.last_error)).toEqual([]);
        expect(logs.filter((line) => line.includes('publication différée'))).toEqual([]);
      } finally {
        await worker.close();
      }
    } finally {
      await db.end();
    }
  });

  it('finishes the batch it is publishing before the queues close: no row recorded as failed, none lost', async () => {
    const t = await startTestApp({}, { api: false, worker: true });
    let closed = false;
    try {
      await resetDatabase(t.dataSource);
      await flushQueues();
      const { sql, params } = t.app.get(OutboxRepository).addManyStatement(
        'routing.drain-pool',
        Array.from({ length: 3000 }, (_, n) => ({ payload: { networkCode: 'aura-ee' }, jobId: `stop-${n}` })),
      );
      await t.dataSource.query(sql, params);

      // The start's own drain may still be running (a wake then only asks for another): stop once this drain has begun.
      t.app.get(OutboxRelay).wake();
      await waitFor(
        async () =>
          (await t.dataSource.query(`SELECT 1 FROM outbox_events WHERE job_id LIKE 'stop-%' AND published_at IS NOT NULL LIMIT 1`)).length,
        10_000,
        'premier lot publié',
        5,
      );
      await t.close();
      closed = true;
    } finally {
      if (!closed) await t.close();
    }

    const db = new Client({ connectionString: t.config.DATABASE_URL });
    await db.connect();
    try {
      const { rows } = await db.query(
        `SELECT count(*)::int AS rows, count(*) FILTER (WHERE last_error IS NOT NULL)::int AS failed,
                count(*) FILTER (WHERE published_at IS NOT NULL)::int AS published
           FROM outbox_events WHERE job_id LIKE 'stop-%'`,
      );
      expect(rows[0]).toMatchObject({ rows: 3000, failed: 0 });
      // Stopped between batches: what was not published waits for the next start.
      expect(rows[0].published).toBeGreaterThan(0);
    } finally {
      await db.end();
    }
  });
});
