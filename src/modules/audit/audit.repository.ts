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
  subjectId?: string | null;
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
      sql: `INSERT INTO audit_events (actor_id, actor_name, action, network_codes, summary, subject_id) VALUES ($1, $2, $3, $4, $5, $6)`,
      params: [event.actorId, event.actorName, event.action, event.networkCodes, event.summary, event.subjectId ?? null],
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

  /**
   * The latest line of one of these actions about this subject, of these networks (null: all): which, when, and who by
   * name only, for any staff member to read. The account's name as it is now (kept by a deactivated account); an
   * account gone, the name the line kept, without its address.
   */
  async latestAbout<A extends AuditAction>(
    subjectId: string,
    actions: readonly A[],
    networks: readonly string[] | null,
  ): Promise<{ action: A; actorName: string; createdAt: Date } | null> {
    const [row] = await this.dataSource.query(
      `SELECT e.action,
              COALESCE(u.first_name || ' ' || u.last_name, regexp_replace(e.actor_name, ' \\([^()]*@[^()]*\\)$', '')) AS "actorName",
              e.created_at AS "createdAt"
         FROM audit_events e LEFT JOIN staff_users u ON u.id = e.actor_id
        WHERE e.subject_id = $1 AND e.action = ANY($2::text[]) AND ($3::text[] IS NULL OR e.network_codes && $3::text[])
        ORDER BY e.id DESC LIMIT 1`,
      [subjectId, actions, networks],
    );
    return row ?? null;
  }

  async purgeOlderThan(days: number): Promise<number> {
    const [, deleted]: [unknown, number] = await this.dataSource.query(
      `DELETE FROM audit_events WHERE created_at < now() - make_interval(days => $1)`,
      [days],
    );
    return deleted;
  }
}
