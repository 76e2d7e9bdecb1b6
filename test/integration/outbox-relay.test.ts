import { Clock } from '../../src/common/clock';
import { OutboxRepository } from '../../src/queue/outbox.repository';
import { QueueService } from '../../src/queue/queue.service';
import { manualRelay } from '../support/outbox-relay';
import { TestApp, useTestApp } from '../support/test-app';

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
