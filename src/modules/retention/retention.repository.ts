import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { SqlStatement } from '../../database/sql-statement';
import { draftsDeletedStatement } from '../answer-drafts/answer-drafts.repository';
import { surveyGroupErasureStatements } from '../mail/mail.repository';

/** The subject an anonymised request shows in lists and exports, its own words gone. */
const ANONYMISED_SUBJECT = 'Demande anonymisée';

@Injectable()
export class RetentionRepository {
  /** The request's status and erasure, locked for the caller's transaction (null if it does not exist). */
  async lockState(manager: EntityManager, requestId: string): Promise<{ status: string; anonymisedAt: Date | null } | null> {
    const rows = await manager.query(`SELECT status, anonymised_at AS "anonymisedAt" FROM requests WHERE id = $1 FOR UPDATE`, [requestId]);
    return rows[0] ?? null;
  }

  /** Closed requests past the cutoff whose personal data are still there, oldest first, locked for the caller's transaction. */
  async lockDue(manager: EntityManager, closedBefore: Date, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await manager.query(
      `SELECT id FROM requests
        WHERE status = 'closed' AND anonymised_at IS NULL AND closed_at < $1
        ORDER BY closed_at LIMIT $2
        FOR UPDATE SKIP LOCKED`,
      [closedBefore, limit],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Erases the buyer's identity and the conversation of these requests: names, e-mail, phone, organisation,
   * the question and every message, the peers' contacts given in answers, files, e-mails, the survey's free
   * text and links, the history's reasons.
   * The tracking link opens no more than a notice of the erasure: its hash stays (a random value's, nothing personal),
   * so that a buyer following an old link is told why, rather than that it never existed.
   */
  anonymiseStatements(requestIds: string[], now: Date): SqlStatement[] {
    const ids = [requestIds];
    return [
      ...surveyGroupErasureStatements(requestIds),
      digestErasureStatement(requestIds),
      {
        sql: `UPDATE requests SET buyer_first_name = '', buyer_last_name = '', buyer_email = '', buyer_phone = NULL,
                organisation_name = '', siret = NULL, subject = $2, question = '', tracking_token_sealed = NULL, anonymised_at = $3, updated_at = $3
              WHERE id = ANY($1::uuid[])`,
        params: [...ids, ANONYMISED_SUBJECT, now],
      },
      { sql: `UPDATE request_messages SET body = '' WHERE request_id = ANY($1::uuid[])`, params: ids },
      // The answer's pointers stay (guides, texts, referrals) without the peer buyers' contacts and free details;
      // the pointers to the request's own files go with the files.
      {
        sql: `DELETE FROM answer_help_items h USING attachments a WHERE h.attachment_id = a.id AND a.request_id = ANY($1::uuid[])`,
        params: ids,
      },
      {
        sql: `UPDATE answer_help_items h SET peer_name = NULL, peer_organisation = NULL, peer_contact = NULL, details = NULL
                FROM request_messages m WHERE h.message_id = m.id AND m.request_id = ANY($1::uuid[])`,
        params: ids,
      },
      { sql: `DELETE FROM attachments WHERE request_id = ANY($1::uuid[])`, params: ids },
      { sql: `DELETE FROM mail_messages WHERE request_id = ANY($1::uuid[])`, params: ids },
      // Closing deletes them already: this is for a draft that outlived it, whatever the path.
      draftsDeletedStatement(requestIds),
      {
        // A survey not answered yet is called off: there is no one left to ask, and no link to send.
        sql: `UPDATE surveys SET comment = NULL, review_note = NULL, contract_reference = NULL, partial_answers = NULL, token_hash = NULL, token_sealed = NULL,
                     status = CASE WHEN status IN ('scheduled', 'sent', 'reminded') THEN 'cancelled' ELSE status END
              WHERE request_id = ANY($1::uuid[])`,
        params: ids,
      },
      { sql: `UPDATE request_events SET reason = NULL WHERE request_id = ANY($1::uuid[]) AND reason IS NOT NULL`, params: ids },
    ];
  }
}

/**
 * Staff e-mails about several requests (digests of escalations, the pool, overdue answers, a facilitator's reminders or
 * withdrawals, an absence's) name each in their context's `requests`, by reference, with its subject (the buyer's words)
 * and the note it was given back with: not sent yet or given up, the erased request stays listed, as anonymised, and the
 * others as they were. A sent one keeps no context; one about the request alone has its `request_id` and goes with its
 * e-mails.
 */
function digestErasureStatement(requestIds: string[]): SqlStatement {
  const erased = `e->>'reference' IN (SELECT reference FROM requests WHERE id = ANY($1::uuid[]))`;
  return {
    sql: `UPDATE mail_messages m
             SET context = jsonb_set(m.context, '{requests}', (
                   SELECT jsonb_agg(CASE WHEN ${erased} THEN (e - 'givenBack') || jsonb_build_object('subject', $2::text) ELSE e END ORDER BY i)
                     FROM jsonb_array_elements(m.context->'requests') WITH ORDINALITY AS x(e, i))), updated_at = now()
           WHERE m.status <> 'sent' AND m.request_id IS NULL AND jsonb_typeof(m.context->'requests') = 'array'
             AND EXISTS (SELECT 1 FROM jsonb_array_elements(m.context->'requests') e WHERE ${erased})`,
    params: [requestIds, ANONYMISED_SUBJECT],
  };
}
