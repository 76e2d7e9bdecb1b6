import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { SqlStatement } from '../../database/sql-statement';
import { scrubPersonalData } from '../../common/logging/logger';
import { LOGGER } from '../../common/logging/logging.module';
import { OutboxRepository } from '../../queue/outbox.repository';
import { MailComposer } from './mail-composer';
import { MailRepository } from './mail.repository';
import { MailTransport } from './mail-transport';

export interface MailToQueue {
  requestId: string | null;
  template: string;
  recipient: string;
  subject: string;
  context: Record<string, unknown>;
}

@Injectable()
export class MailService {
  private readonly composer = new MailComposer();

  constructor(
    private readonly mails: MailRepository,
    private readonly outbox: OutboxRepository,
    private readonly transport: MailTransport,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** The message and its delivery job, to run with the change that causes them. */
  prepare(mail: MailToQueue): SqlStatement[] {
    return this.prepareMany([mail]);
  }

  /** Messages and their delivery jobs in two statements, whatever their number. */
  prepareMany(mails: MailToQueue[]): SqlStatement[] {
    if (!mails.length) return [];
    const messages = mails.map((mail) => {
      const { text, html } = this.composer.compose(mail.template, { ...mail.context, mailSubject: mail.subject });
      return { ...mail, id: randomUUID(), textBody: text, htmlBody: html };
    });
    return [
      this.mails.insertStatement(messages),
      this.outbox.addManyStatement(
        'mail.send',
        messages.map(({ id }) => ({ payload: { mailId: id }, jobId: `mail-${id}` })),
      ),
    ];
  }

  /** Idempotent: a message already sent, or being sent by another worker, is left alone. */
  async deliver(mailId: string): Promise<void> {
    const mail = await this.mails.claim(mailId);
    if (!mail) return;
    if (mail.textBody === null || mail.htmlBody === null) {
      // Only possible if a row was edited by hand; nothing sensible to send.
      await this.mails.markFailed(mail.id, 'message sans contenu');
      return;
    }
    try {
      await this.transport.send({ id: mail.id, to: mail.recipient, subject: mail.subject, text: mail.textBody, html: mail.htmlBody });
    } catch (error) {
      const reason = scrubPersonalData((error as Error).message);
      await this.mails.markFailed(mail.id, reason);
      this.logger.warn({ mailId: mail.id, attempt: mail.attempts, err: reason }, 'envoi du message en échec, nouvel essai prévu');
      throw error;
    }
    await this.mails.markSent(mail.id);
  }
}
