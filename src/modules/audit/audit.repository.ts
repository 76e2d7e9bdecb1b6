import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { containsPattern, type SqlStatement } from '../../database/sql-statement';
import type { AuditAction } from './journal-filters.policy';

export interface NewAuditEvent {
  actorId: string | null;
  actorName: string;
  action: AuditAction;
  networkCodes: string[];
  summary: string;
}

export interface AuditEntry extends NewAuditEvent {
  id: string;
  createdAt: Date;
}

@Injectable()
export class AuditRepository {
  constructor(private readonly dataSource: DataSource) {}

  insertStatement(event: NewAuditEvent): SqlStatement {
    return {
      sql: `INSERT INTO audit_events (actor_id, actor_name, action, network_codes, summary) VALUES ($1, $2, $3, $4, $5)`,
      params: [event.actorId, event.actorName, event.action, event.networkCodes, event.summary],
    };
  }

  /**
   * The latest first, older than `beforeId` (a page's last), of these networks (null: all), of these actions (null:
   * all), whose line or author holds the words, accents or not.
   */
  page(
    filter: { networks: readonly string[] | null; actions: readonly string[] | null; search: string | null },
    beforeId: string | null,
    limit: number,
  ): Promise<AuditEntry[]> {
    return this.dataSource.query(
      // The id as text (a bigint overflows a JS number); the order on the column itself, not on that text.
      `SELECT id::text, created_at AS "createdAt", actor_id AS "actorId", actor_name AS "actorName", action,
              network_codes AS "networkCodes", summary
         FROM audit_events
        WHERE ($1::text[] IS NULL OR network_codes && $1::text[]) AND ($2::bigint IS NULL OR id < $2::bigint)
          AND ($4::text[] IS NULL OR action = ANY($4::text[]))
          AND ($5::text IS NULL OR lower(gv_unaccent(actor_name || E'\n' || summary)) LIKE lower(gv_unaccent($5::text)))
        ORDER BY audit_events.id DESC LIMIT $3`,
      [filter.networks, beforeId, limit, filter.actions, filter.search === null ? null : containsPattern(filter.search)],
    );
  }

  async purgeOlderThan(days: number): Promise<number> {
    const [, deleted]: [unknown, number] = await this.dataSource.query(
      `DELETE FROM audit_events WHERE created_at < now() - make_interval(days => $1)`,
      [days],
    );
    return deleted;
  }
}
