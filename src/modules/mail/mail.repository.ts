import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { columnsOf, SqlStatement } from '../../database/sql-statement';
import { listedRequestIds, listedRequestsSql, listWithoutSql, sentListSql } from './listed-requests';
import { MailMessage } from './mail-message.entity';

export interface ClaimedMail {
  id: string;
  requestId: string | null;
  recipient: string;
  subject: string;
  template: string;
  context: Record<string, unknown> | null;
  /** Only on messages queued before their bodies were rendered at sending time. */
  textBody: string | null;
  htmlBody: string | null;
  attempts: number;
  /** Since when it is being tried: its queuing, or an operator's resending. */
  queuedAt: Date;
}

/** A message given up, as the operator's list shows it. */
export interface AbandonedMail {
  id: string;
  template: string;
  recipient: string;
  reference: string | null;
  lastError: string | null;
  abandonedBecause: 'permanent' | 'expired' | null;
  createdAt: Date;
  abandonedAt: Date;
}

/** How long a worker may hold a message while sending it before another may take it over. */
const CLAIM_SECONDS = 300;

/**
 * A delivery record of a message tied to no request: long enough to answer « was it sent? », short for an address.
 * The privacy notice states it.
 */
export const UNATTACHED_MAIL_RETENTION_DAYS = 90;

@Injectable()
export class MailRepository {
  constructor(private readonly dataSource: DataSource) {}

  insertStatement(messages: Array<Pick<MailMessage, 'id' | 'requestId' | 'template' | 'recipient' | 'subject' | 'context'>>): SqlStatement {
    return {
      sql: `INSERT INTO mail_messages (id, request_id, template, recipient, subject, context, status)
            SELECT m.*, 'queued' FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::jsonb[]) AS m`,
      params: [
        ...columnsOf(messages, ['id', 'requestId', 'template', 'recipient', 'subject']),
        messages.map((message) => JSON.stringify(message.context)),
      ],
      rowsFrom: 0,
    };
  }

  /**
   * Takes these messages for sending: those waiting for their first attempt, those held by a worker
   * whose claim lapsed, and failed ones only when `retryFailed` (a failed message belongs to its own
   * retry job). A message sent, or held by another worker, is skipped: a job delivered twice finds
   * nothing to claim the second time. The status test is a CASE, which no index can serve: as ORs on
   * the status, the planner may combine the primary key with the undelivered index and read the
   * entries that index keeps of every message sent since the last vacuum.
   */
  async claim(ids: string[], retryFailed: boolean): Promise<ClaimedMail[]> {
    const [rows]: [ClaimedMail[], number] = await this.dataSource.query(
      `UPDATE mail_messages
          SET status = 'sending', attempts = attempts + 1, locked_until = now() + make_interval(secs => $2), updated_at = now()
        WHERE id = ANY(ARRAY(
                SELECT id FROM mail_messages
                 WHERE id = ANY($1::uuid[])
                   AND CASE status WHEN 'queued' THEN true WHEN 'failed' THEN $3 WHEN 'sending' THEN locked_until < now() ELSE false END
                   FOR UPDATE SKIP LOCKED))
        RETURNING id, request_id AS "requestId", recipient, subject, template, context, text_body AS "textBody", html_body AS "htmlBody", attempts,
                  COALESCE(resent_at, created_at) AS "queuedAt"`,
      [ids, CLAIM_SECONDS, retryFailed],
    );
    return rows;
  }

  /**
   * The content is dropped once delivered: it may hold a private link that must not outlive its use. What is kept, as it
   * went (revised or not): its template, the request it was about, or for a grouped survey e-mail the requests it listed,
   * by their ids alone, for an erasure to take out its own and leave the others' record. Those it still lists as it is
   * recorded, not as it was claimed: an erasure while it went took its request out, which must not come back; one that
   * took out every request it went with leaves no record.
   */
  markSentStatements(mail: Pick<ClaimedMail, 'id' | 'requestId' | 'template' | 'context'>): SqlStatement[] {
    const listed = listedRequestsSql('context');
    // Run as one, the two see the row as it was: a grouped one that lists none of the requests it went with goes, else it is kept.
    const listsNoneOf = (went: string) => `cardinality(${listed}) > 0 AND NOT ${listed} && ${went}`;
    const went = listedRequestIds(mail.context) ?? (mail.requestId ? [mail.requestId] : []);
    return [
      { sql: `DELETE FROM mail_messages WHERE id = $1::uuid AND ${listsNoneOf('$2::uuid[]')}`, params: [mail.id, went] },
      {
        // Cut down to one request, it went as that request's own e-mail: it is kept as one.
        sql: `UPDATE mail_messages
                 SET status = 'sent', sent_at = now(), locked_until = NULL, template = $2, text_body = NULL, html_body = NULL,
                     request_id = CASE WHEN cardinality(${listed}) = 0 OR $3::uuid = ANY(${listed}) THEN $3::uuid END,
                     context = CASE WHEN cardinality(${listed}) > 0 AND $3::uuid IS NULL
                                    THEN ${sentListSql(`ARRAY(SELECT id FROM unnest(${listed}) AS l(id) WHERE id = ANY($4::uuid[]))`)} END,
                     last_error = NULL, updated_at = now()
               WHERE id = $1::uuid AND NOT (${listsNoneOf('$4::uuid[]')})`,
        params: [mail.id, mail.template, mail.requestId, went],
      },
    ];
  }

  /**
   * Undelivered messages nobody is working on: left queued or failed for a while, or a claim that expired; not those
   * given up (`abandoned`, see mail-retry.policy.ts).
   */
  async findStalled(): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM mail_messages
        WHERE status <> 'sent' AND status <> 'abandoned' AND updated_at < now() - interval '10 minutes'
          AND (status <> 'sending' OR locked_until < now())
        ORDER BY created_at LIMIT 1000`,
    );
    return rows.map((r) => r.id);
  }

  /** The messages given up, latest first, and how many there are in all. */
  async abandoned(limit: number): Promise<{ messages: AbandonedMail[]; total: number }> {
    const messages: Array<AbandonedMail & { total: number }> = await this.dataSource.query(
      `SELECT m.id, m.template, m.recipient, r.reference, m.last_error AS "lastError", m.abandoned_because AS "abandonedBecause", m.created_at AS "createdAt",
              m.updated_at AS "abandonedAt", count(*) OVER ()::int AS total
         FROM mail_messages m LEFT JOIN requests r ON r.id = m.request_id
        WHERE m.status = 'abandoned'
        ORDER BY m.updated_at DESC, m.id LIMIT $1`,
      [limit],
    );
    return { messages: messages.map(({ total: _total, ...message }) => message), total: messages[0]?.total ?? 0 };
  }

  /**
   * The messages of these requests and template not sent yet, dropped. A claimed one, being sent, is past stopping, but
   * its row goes too: were its worker to die mid-send, nothing would send it again once its claim lapsed.
   */
  dropUnsentStatement(requestIds: string[], template: string): SqlStatement {
    return {
      sql: `DELETE FROM mail_messages WHERE request_id = ANY($1::uuid[]) AND template = $2 AND status <> 'sent'`,
      params: [requestIds, template],
    };
  }

  /** The template's messages not sent yet to that address (any case): those that name no request, as a grouped one. */
  dropUnsentToStatement(recipient: string, template: string): SqlStatement {
    return {
      sql: `DELETE FROM mail_messages WHERE lower(recipient) = lower($1) AND template = $2 AND status <> 'sent'`,
      params: [recipient, template],
    };
  }

  /** A claimed message that will not go after all: dropped, as if never queued. */
  dropStatement(id: string): SqlStatement {
    return { sql: `DELETE FROM mail_messages WHERE id = $1::uuid`, params: [id] };
  }

  /**
   * The request's messages not sent yet to `from` go to `to` instead (a buyer's address corrected), their context's text
   * rewritten where it matches `rewrite` (a tracking link replaced); answers those given up.
   */
  async readdressUnsent(
    manager: EntityManager,
    requestId: string,
    from: string,
    to: string,
    rewrite: { pattern: string; replacement: string } | null,
  ): Promise<string[]> {
    const [rows]: [Array<{ id: string; status: string }>, number] = await manager.query(
      `UPDATE mail_messages SET recipient = $3, updated_at = now(),
              context = CASE WHEN $4::text IS NULL OR context IS NULL THEN context
                             ELSE regexp_replace(context::text, $4, $5, 'g')::jsonb END
        WHERE request_id = $1 AND lower(recipient) = lower($2) AND status <> 'sent'
        RETURNING id, status`,
      [requestId, from, to, rewrite?.pattern ?? null, rewrite?.replacement ?? null],
    );
    return rows.filter((row) => row.status === 'abandoned').map((row) => row.id);
  }

  /**
   * Puts given-up messages back in the queue, their retry time starting now: those of `ids`, or all but those the
   * mail server refused for good (sent again unchanged, they would be refused again).
   */
  async requeueAbandoned(manager: EntityManager, ids: string[] | null): Promise<string[]> {
    const rows: [Array<{ id: string }>, number] = await manager.query(
      `UPDATE mail_messages SET status = 'queued', abandoned_because = NULL, resent_at = now(), updated_at = now()
        WHERE status = 'abandoned'
          AND CASE WHEN $1::uuid[] IS NULL THEN abandoned_because IS DISTINCT FROM 'permanent' ELSE id = ANY($1::uuid[]) END
        RETURNING id`,
      [ids],
    );
    return rows[0].map((row) => row.id);
  }

  async countRefusedForGood(): Promise<number> {
    const [{ n }] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM mail_messages WHERE status = 'abandoned' AND abandoned_because = 'permanent'`,
    );
    return n;
  }

  /**
   * Messages tied to no request (a buyer's « Retrouver mes demandes », staff digests and invitations) are not erased
   * with a request: once delivered or given up, their rows — an address — go after `olderThanDays`, a bounded batch per call.
   */
  async purgeUnattached(olderThanDays: number, batch = 10_000): Promise<number> {
    const [, deleted]: [unknown, number] = await this.dataSource.query(
      `DELETE FROM mail_messages
        WHERE id = ANY(ARRAY(SELECT id FROM mail_messages
                              WHERE request_id IS NULL AND status IN ('sent', 'abandoned')
                                AND updated_at < now() - make_interval(days => $1) LIMIT $2))`,
      [olderThanDays, batch],
    );
    return deleted;
  }

  markFailedStatement(id: string, error: string): SqlStatement {
    return this.markUndeliveredStatement(id, error, 'failed', null);
  }

  markAbandonedStatement(id: string, error: string, because: 'permanent' | 'expired'): SqlStatement {
    return this.markUndeliveredStatement(id, error, 'abandoned', because);
  }

  /** `failed`: to be tried again; `abandoned`: given up, and why. */
  private markUndeliveredStatement(id: string, error: string, status: 'failed' | 'abandoned', because: string | null): SqlStatement {
    return {
      sql: `UPDATE mail_messages SET status = $3, abandoned_because = $4, locked_until = NULL, last_error = $2, updated_at = now() WHERE id = $1`,
      params: [id, error.slice(0, 500), status, because],
    };
  }
}

/**
 * A grouped survey e-mail names several requests and has none of its own (`request_id` is null): queued, given up or sent
 * (which keeps their ids alone), it loses the erased request's entry and goes when none is left (still to go, its subject
 * is recomputed as it goes): the others' record stays. One sent before sent e-mails kept their requests has only the
 * address, and no request: every such one sent to the erased request's address goes. Before the address is blanked, in
 * the erasure's transaction.
 */
export function surveyGroupErasureStatements(requestIds: string[]): SqlStatement[] {
  const listed = listedRequestsSql('m.context');
  return [
    {
      sql: `DELETE FROM mail_messages m
             WHERE m.template = 'survey-group'
               AND ((${listed} && $1::uuid[] AND ${listed} <@ $1::uuid[])
                    OR (m.status = 'sent' AND m.context IS NULL AND m.request_id IS NULL AND lower(m.recipient) IN (
                      SELECT lower(buyer_email) FROM requests WHERE id = ANY($1::uuid[]) AND buyer_email <> '')))`,
      params: [requestIds],
    },
    {
      sql: `UPDATE mail_messages m SET context = ${listWithoutSql('m.context', '$1::uuid[]')}, updated_at = now()
             WHERE m.template = 'survey-group' AND ${listed} && $1::uuid[]`,
      params: [requestIds],
    },
  ];
}
