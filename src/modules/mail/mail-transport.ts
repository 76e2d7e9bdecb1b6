import { Inject, Injectable } from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import nodemailer, { Transporter } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Logger } from 'pino';
import { AppConfig } from '../../config/app-config';
import { LOGGER } from '../../common/logging/logging.module';
import { senderDomain } from './sender-domain';

export interface OutgoingMail {
  id: string;
  /** The request it is about, if any: all of its messages are one conversation in mail clients. */
  requestId: string | null;
  to: string;
  subject: string;
  text: string;
  html: string;
  unsubscribeUrl?: string;
}

const SMTP_TIMEOUTS_MS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 };

/**
 * SMTP when SMTP_URL is set; otherwise each message becomes an .eml file, so a newcomer reads
 * the mail the service would send without any mail server.
 */
@Injectable()
export class MailTransport {
  private readonly smtp?: Transporter;
  private folderReady?: Promise<unknown>;
  private readonly domain: string;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    // Pooled: messages go out one after another over kept-open connections (`?pool=false` in the URL opts out).
    // Bounded waits: nodemailer's own allow a silent server ten minutes, holding a worker and its shutdown that long.
    this.smtp = config.SMTP_URL ? nodemailer.createTransport({ url: config.SMTP_URL, pool: true, ...SMTP_TIMEOUTS_MS }) : undefined;
    this.domain = senderDomain(config.MAIL_FROM);
    // Files are the newcomer's mailbox; in production they mean buyers and facilitators receive nothing.
    if (!this.smtp && config.isProduction) {
      logger.warn(
        { mailDir: resolve(config.MAIL_DIR) },
        'SMTP_URL non défini en production : les courriels sont écrits dans des fichiers, aucun ne part',
      );
    }
    // The development sender's domain exists nowhere: receiving servers refuse or bin what it sends.
    if (this.smtp && config.isProduction && this.domain.endsWith('.localhost')) {
      logger.warn(
        { mailFrom: config.MAIL_FROM },
        'MAIL_FROM garde son domaine de développement (.localhost) : les messages seront refusés',
      );
    }
  }

  async send(mail: OutgoingMail): Promise<void> {
    // The request's UUID: nothing of the buyer in it, so its buyer's and its staff's messages can share it.
    const conversation = mail.requestId ? `<${mail.requestId}@${this.domain}>` : undefined;
    const message = {
      from: this.config.MAIL_FROM,
      to: mail.to,
      // A relay accepts, then bounces hours later to the envelope's sender: a no-reply box would swallow it.
      ...(this.config.MAIL_RETURN_PATH ? { envelope: { from: this.config.MAIL_RETURN_PATH, to: mail.to } } : {}),
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      // A stable Message-ID lets mail systems drop a copy re-sent after a crash mid-delivery.
      messageId: `<${mail.id}@${this.domain}>`,
      // Each message of a request answers the same absent one: clients that thread by headers (Thunderbird, Apple Mail)
      // gather them. Gmail and Outlook also want the same subject, which each piece of news changes: there, the buyer's
      // acknowledgement, news and surveys name the request alike (requestInSubject), for a search to find them all.
      ...(conversation ? { inReplyTo: conversation, references: conversation } : {}),
      headers: {
        // Sent by a program (RFC 3834): out-of-office replies and other robots do not answer it.
        'Auto-Submitted': 'auto-generated',
        // Exchange and Outlook ignore Auto-Submitted: this stops their out-of-office and automatic replies to the no-reply sender.
        'X-Auto-Response-Suppress': 'OOF, AutoReply',
        // One-click unsubscribe (RFC 8058), which large mailbox providers expect of messages people did not ask for.
        ...(mail.unsubscribeUrl
          ? { 'List-Unsubscribe': `<${mail.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
          : {}),
      },
    };
    if (this.smtp) {
      await this.smtp.sendMail(message);
      return;
    }
    // The composer alone: nodemailer's stream transport would pass each message through a stream
    // pipeline that doubled the cost of writing it.
    const raw = await new MailComposer(message).compile().build();
    this.folderReady ??= mkdir(resolve(this.config.MAIL_DIR), { recursive: true });
    await this.folderReady;
    const path = join(resolve(this.config.MAIL_DIR), `${mail.id}.eml`);
    await writeFile(path, raw);
    this.logger.info({ mailId: mail.id, path }, 'message écrit dans un fichier (SMTP_URL non défini)');
  }

  async close(): Promise<void> {
    this.smtp?.close();
  }
}
