import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APPLICABLE_DEADLINE } from '../requests/requests.repository';

export interface UnassignedCount {
  network: string;
  count: number;
}

/** A histogram read from the database: cumulative counts per upper bound, plus count and sum. */
export interface LatencySnapshot {
  buckets: number[];
  count: number;
  sum: number;
}

/** Counts only: nothing read here identifies a buyer or a facilitator. */
@Injectable()
export class MetricsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Requests waiting in each network's pool; every network appears, with 0 when its pool is empty. */
  async unassignedByNetwork(): Promise<UnassignedCount[]> {
    return this.dataSource.query(
      `SELECT n.code AS network, count(r.id)::int AS count
         FROM networks n
         LEFT JOIN requests r ON r.network_code = n.code AND r.status = 'unassigned'
        GROUP BY n.code
        ORDER BY n.code`,
    );
  }

  /** Age of the oldest event the relay has not published yet (0: none waits): grows while the relay is stuck or Redis away. */
  async oldestPendingOutboxSeconds(): Promise<number> {
    // The pending index is on id, ascending as created: the first row is the oldest.
    const [row]: Array<{ seconds: number }> = await this.dataSource.query(
      `SELECT COALESCE((SELECT GREATEST(extract(epoch FROM now() - created_at), 0) FROM outbox_events
                         WHERE published_at IS NULL ORDER BY id LIMIT 1), 0)::float8 AS seconds`,
    );
    return row.seconds;
  }

  /** Requests held past the deadline that applies to them now (taking in charge, then answering), as the queue marks them. */
  async overdueByDeadline(): Promise<Array<{ deadline: 'take_charge' | 'answer'; count: number }>> {
    const [row]: Array<{ take_charge: number; answer: number }> = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE r.status = 'assigned')::int AS take_charge, count(*) FILTER (WHERE r.status = 'in_progress')::int AS answer
         FROM request_assignments ra JOIN requests r ON r.id = ra.request_id
        WHERE ra.ended_at IS NULL AND ${APPLICABLE_DEADLINE} < now()`,
    );
    return [
      { deadline: 'take_charge', count: row.take_charge },
      { deadline: 'answer', count: row.answer },
    ];
  }

  /** E-mails not sent, by status; every status appears, with 0 when none is in it. */
  async undeliveredMail(): Promise<Array<{ status: string; count: number }>> {
    return this.dataSource.query(
      `SELECT s.status, count(m.id)::int AS count
         FROM unnest(ARRAY['queued', 'sending', 'failed', 'abandoned']) AS s(status)
         LEFT JOIN mail_messages m ON m.status = s.status AND m.status <> 'sent'
        GROUP BY s.status ORDER BY s.status`,
    );
  }

  /**
   * Submitted → first assignment, in seconds, for the requests first assigned in the last
   * `windowSeconds`, as Prometheus buckets (`seconds <= bound`, cumulative) in one statement.
   * Later assignments of the same request (re-routing after a decline or a missed deadline) do not count.
   */
  async routingLatency(bounds: readonly number[], windowSeconds: number): Promise<LatencySnapshot> {
    const buckets = bounds.map((_, i) => `count(*) FILTER (WHERE seconds <= $${i + 2})`).join(', ');
    const [row]: Array<{ count: number; sum: number; buckets: number[] }> = await this.dataSource.query(
      `WITH latencies AS (
         SELECT GREATEST(extract(epoch FROM e.created_at - r.created_at), 0)::float8 AS seconds
           FROM request_events e
           JOIN requests r ON r.id = e.request_id
          WHERE e.type = 'assigned'
            AND e.created_at > now() - make_interval(secs => $1)
            AND NOT EXISTS (SELECT 1 FROM request_events earlier
                             WHERE earlier.request_id = e.request_id AND earlier.type = 'assigned' AND earlier.id < e.id)
       )
       SELECT count(*)::int AS count, COALESCE(sum(seconds), 0)::float8 AS sum, ARRAY[${buckets}]::int[] AS buckets
         FROM latencies`,
      [windowSeconds, ...bounds],
    );
    return row;
  }
}
