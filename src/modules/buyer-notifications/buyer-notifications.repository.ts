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
   * Requests with news for the buyer older than `before` and not yet e-mailed: their job was lost (Redis emptied,
   * retries exhausted). Changes to a request are written under its lock, so event ids grow in commit order per request.
   */
  async pending(before: Date, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT r.id FROM requests r
        WHERE EXISTS (SELECT 1 FROM request_events e
                       WHERE e.request_id = r.id AND e.is_public AND e.id > COALESCE(r.buyer_notified_event_id, 0)
                         AND e.actor_type <> 'buyer' AND e.type <> ALL($2::text[]) AND e.created_at < $1)
        LIMIT $3`,
      [before, SILENT_EVENT_TYPES, limit],
    );
    return rows.map((r) => r.id);
  }
}
