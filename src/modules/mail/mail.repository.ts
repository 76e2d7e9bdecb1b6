import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { columnsOf, SqlStatement } from '../../database/sql-statement';
import { MailMessage } from './mail-message.entity';

export interface ClaimedMail {
  id: string;
  recipient: string;
  subject: string;
  textBody: string | null;
  htmlBody: string | null;
  attempts: number;
}

/** How long a worker may hold a message while sending it before another may take it over. */
const CLAIM_SECONDS = 300;
/** How both claims mark their messages; the claim's lease in seconds is their $2. */
const TAKE_FOR_SENDING = `SET status = 'sending', attempts = attempts + 1, locked_until = now() + make_interval(secs => $2), updated_at = now()`;
const CLAIMED_COLUMNS = `id, recipient, subject, text_body AS "textBody", html_body AS "htmlBody", attempts`;
/** Beyond this, a message stays failed for a person to look at. */
const MAX_ATTEMPTS = 12;

@Injectable()
export class MailRepository {
  constructor(private readonly dataSource: DataSource) {}

  insertStatement(
    messages: Array<Pick<MailMessage, 'id' | 'requestId' | 'template' | 'recipient' | 'subject' | 'textBody' | 'htmlBody'>>,
  ): SqlStatement {
    return {
      sql: `INSERT INTO mail_messages (id, request_id, template, recipient, subject, text_body, html_body, status)
            SELECT m.*, 'queued' FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS m`,
      params: columnsOf(messages, ['id', 'requestId', 'template', 'recipient', 'subject', 'textBody', 'htmlBody']),
    };
  }

  /**
   * Takes the message for sending, unless it is sent or another worker holds it (a job delivered
   * twice finds nothing to claim the second time), with up to `others` messages still waiting for
   * their first attempt: their own jobs then find them sent. SKIP LOCKED everywhere, so two workers
   * claiming each other's messages never wait on one another.
   */
  async claimBatch(id: string, others: number): Promise<ClaimedMail[]> {
    const [rows]: [ClaimedMail[], number] = await this.dataSource.query(
      `WITH own AS (
              SELECT id FROM mail_messages
               WHERE id = $1 AND (status IN ('queued', 'failed') OR (status = 'sending' AND locked_until < now()))
                 FOR UPDATE SKIP LOCKED),
            waiting AS (
              SELECT id FROM mail_messages WHERE status = 'queued' AND id <> $1
               ORDER BY updated_at LIMIT $3 FOR UPDATE SKIP LOCKED)
       UPDATE mail_messages
          ${TAKE_FOR_SENDING}
        WHERE id = ANY(ARRAY(SELECT id FROM own UNION ALL SELECT id FROM waiting))
        RETURNING ${CLAIMED_COLUMNS}`,
      [id, CLAIM_SECONDS, others],
    );
    return rows;
  }

  /**
   * Takes these messages for sending, those still waiting for their first attempt or held by a
   * worker whose claim lapsed; a failed one is left to its own retry job.
   */
  async claimQueued(ids: string[]): Promise<ClaimedMail[]> {
    const [rows]: [ClaimedMail[], number] = await this.dataSource.query(
      `UPDATE mail_messages
          ${TAKE_FOR_SENDING}
        WHERE id = ANY(ARRAY(
                SELECT id FROM mail_messages
                 WHERE id = ANY($1::uuid[]) AND (status = 'queued' OR (status = 'sending' AND locked_until < now()))
                   FOR UPDATE SKIP LOCKED))
        RETURNING ${CLAIMED_COLUMNS}`,
      [ids, CLAIM_SECONDS],
    );
    return rows;
  }

  /** The bodies are dropped once delivered: they may hold a private link that must not outlive its use. */
  async markSent(ids: string[]): Promise<void> {
    await this.dataSource.query(
      `UPDATE mail_messages
          SET status = 'sent', sent_at = now(), locked_until = NULL, text_body = NULL, html_body = NULL, last_error = NULL, updated_at = now()
        WHERE id = ANY($1::uuid[])`,
      [ids],
    );
  }

  /** Undelivered messages nobody is working on: left queued or failed for a while, or a claim that expired. */
  async findStalled(maxAttempts = MAX_ATTEMPTS): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM mail_messages
        WHERE status <> 'sent' AND attempts < $1 AND updated_at < now() - interval '10 minutes'
          AND (status <> 'sending' OR locked_until < now())
        ORDER BY created_at LIMIT 1000`,
      [maxAttempts],
    );
    return rows.map((r) => r.id);
  }

  markFailedStatement(id: string, error: string): SqlStatement {
    return {
      sql: `UPDATE mail_messages SET status = 'failed', locked_until = NULL, last_error = $2, updated_at = now() WHERE id = $1`,
      params: [id, error.slice(0, 500)],
    };
  }
}
