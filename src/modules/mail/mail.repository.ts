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
   * Takes the message for sending, unless it is sent or another worker holds it: a job delivered
   * twice finds nothing to claim the second time.
   */
  async claim(id: string): Promise<ClaimedMail | null> {
    const [rows]: [ClaimedMail[], number] = await this.dataSource.query(
      `UPDATE mail_messages
          SET status = 'sending', attempts = attempts + 1, locked_until = now() + make_interval(secs => $2), updated_at = now()
        WHERE id = $1 AND (status IN ('queued', 'failed') OR (status = 'sending' AND locked_until < now()))
        RETURNING id, recipient, subject, text_body AS "textBody", html_body AS "htmlBody", attempts`,
      [id, CLAIM_SECONDS],
    );
    return rows[0] ?? null;
  }

  /** The body is dropped once delivered: it may hold a private link that must not outlive its use. */
  async markSent(id: string): Promise<void> {
    await this.dataSource
      .getRepository(MailMessage)
      .update({ id }, { status: 'sent', sentAt: () => 'now()', lockedUntil: null, textBody: null, htmlBody: null, lastError: null });
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

  async markFailed(id: string, error: string): Promise<void> {
    await this.dataSource
      .getRepository(MailMessage)
      .update({ id }, { status: 'failed', lockedUntil: null, lastError: error.slice(0, 500) });
  }
}
