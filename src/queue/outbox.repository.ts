import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { SqlStatement } from '../database/sql-statement';
import { JOB_QUEUES, JobName, JobPayloads } from './queue.registry';

export interface PendingOutboxEvent {
  id: string;
  queue: string;
  jobName: string;
  jobId: string;
  payload: Record<string, unknown>;
  delayMs: number;
}

/** Longest wait of a delayed job: longer ones are left to the sweeps, and a job fired early finds nothing due yet. */
const MAX_TIMER_MS = 7 * 24 * 3600 * 1000;

/** The delay of a timer due at `dueAt`: none if already due, capped at a week. */
export function timerDelayMs(dueAt: Date, now: Date): number {
  return Math.min(Math.max(0, dueAt.getTime() - now.getTime()), MAX_TIMER_MS);
}

@Injectable()
export class OutboxRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * To run with the change that implies the work (same statement or transaction): the work exists
   * if and only if the change commits. No NOTIFY: PostgreSQL serialises the commits of notifying transactions, which would cap intake
   * throughput at one commit at a time; the relay polls the pending index instead.
   */
  addStatement<J extends JobName>(jobName: J, payload: JobPayloads[J], jobId: string, delayMs = 0): SqlStatement {
    return this.addManyStatement(jobName, [{ payload, jobId, delayMs }]);
  }

  /** Several jobs of one kind in one statement. */
  addManyStatement<J extends JobName>(jobName: J, jobs: Array<{ payload: JobPayloads[J]; jobId: string; delayMs?: number }>): SqlStatement {
    return {
      sql: `INSERT INTO outbox_events (queue, job_name, job_id, payload, delay_ms)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::int[])`,
      params: [
        jobs.map(() => JOB_QUEUES[jobName]),
        jobs.map(() => jobName),
        jobs.map((j) => j.jobId),
        jobs.map((j) => JSON.stringify(j.payload)),
        jobs.map((j) => j.delayMs ?? 0),
      ],
      rowsFrom: 0,
    };
  }

  /**
   * Locks a batch of pending events after `afterId`, in id order, for the caller's transaction; SKIP
   * LOCKED lets several relays run side by side without publishing the same row at once.
   */
  async lockPending(manager: EntityManager, afterId: string, limit: number): Promise<PendingOutboxEvent[]> {
    const rows: Array<{ id: string; queue: string; job_name: string; job_id: string; payload: Record<string, unknown>; delay_ms: number }> =
      await manager.query(
        `SELECT id, queue, job_name, job_id, payload, delay_ms FROM outbox_events
          WHERE published_at IS NULL AND id > $1 ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [afterId, limit],
      );
    return rows.map((r) => ({ id: r.id, queue: r.queue, jobName: r.job_name, jobId: r.job_id, payload: r.payload, delayMs: r.delay_ms }));
  }

  async markPublished(manager: EntityManager, ids: string[]): Promise<void> {
    await manager.query(`UPDATE outbox_events SET published_at = now() WHERE id = ANY($1::bigint[])`, [ids]);
  }

  async recordFailure(manager: EntityManager, ids: string[], error: string): Promise<void> {
    await manager.query(`UPDATE outbox_events SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::bigint[])`, [
      ids,
      error.slice(0, 500),
    ]);
  }

  /**
   * Published rows are kept a while to answer "was this job ever queued?", then deleted, a bounded
   * batch per call: the table would otherwise grow with every request for ever.
   */
  async purgePublished(olderThanDays: number, batch = 10_000): Promise<number> {
    const [, deleted]: [unknown, number] = await this.dataSource.query(
      `DELETE FROM outbox_events
        WHERE id = ANY(ARRAY(SELECT id FROM outbox_events WHERE published_at < now() - make_interval(days => $1) LIMIT $2))`,
      [olderThanDays, batch],
    );
    return deleted;
  }

  async countPending(): Promise<number> {
    const [{ count }] = await this.dataSource.query(`SELECT count(*)::int AS count FROM outbox_events WHERE published_at IS NULL`);
    return count;
  }
}
