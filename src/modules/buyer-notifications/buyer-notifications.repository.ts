import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { SqlStatement } from '../../database/sql-statement';
import { PublicEvent, SILENT_EVENT_TYPES } from './buyer-update.policy';

@Injectable()
export class BuyerNotificationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Public history after the last event the buyer heard of; the caller holds the request's lock. */
  eventsAfter(manager: EntityManager, requestId: string, afterId: string | null): Promise<PublicEvent[]> {
    return manager.query(
      `SELECT id, type, from_status AS "fromStatus", to_status AS "toStatus", actor_type AS "actorType", reason
         FROM request_events WHERE request_id = $1 AND is_public AND id > $2 ORDER BY id`,
      [requestId, afterId ?? '0'],
    );
  }

  markStatement(requestId: string, eventId: string): SqlStatement {
    return { sql: `UPDATE requests SET buyer_notified_event_id = $2 WHERE id = $1`, params: [requestId, eventId] };
  }

  /**
   * Requests with news for the buyer older than `before` and not yet e-mailed, among events after `afterEventId`:
   * their job was lost (Redis emptied, retries exhausted). Changes to a request are written under its lock, so
   * event ids grow in commit order per request.
   */
  async pending(before: Date, limit: number, afterEventId: bigint): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT DISTINCT e.request_id AS id FROM request_events e JOIN requests r ON r.id = e.request_id
        WHERE e.id > $4 AND e.id > COALESCE(r.buyer_notified_event_id, 0) AND e.is_public
          AND e.actor_type <> 'buyer' AND e.type <> ALL($2::text[]) AND e.created_at < $1
        LIMIT $3`,
      [before, SILENT_EVENT_TYPES, limit, String(afterEventId)],
    );
    return rows.map((r) => r.id);
  }

  /** The newest event after `afterEventId` written before `before` (by the primary key, newest first), if any. */
  async lastEventBefore(before: Date, afterEventId: bigint): Promise<bigint | null> {
    const [row]: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM request_events WHERE id > $2 AND created_at < $1 ORDER BY id DESC LIMIT 1`,
      [before, String(afterEventId)],
    );
    return row ? BigInt(row.id) : null;
  }
}
