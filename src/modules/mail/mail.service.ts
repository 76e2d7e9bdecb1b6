import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import { GroupCommit } from '../../database/group-commit';
import { runAsOne, SqlStatement } from '../../database/sql-statement';
import { scrubPersonalData } from '../../common/logging/logger';
import { LOGGER } from '../../common/logging/logging.module';
import { OutboxRepository } from '../../queue/outbox.repository';
import { RETRY_BACKOFF_MS } from '../../queue/queue.service';
import { ComposedMail, MailComposer } from './mail-composer';
import { ClaimedMail, MailRepository } from './mail.repository';
import { afterFailure, MAIL_RETRY_HOURS } from './mail-retry.policy';
import { MailTransport } from './mail-transport';

/** Messages of a batch job claimed in one statement. */
const DELIVERY_BATCH = 10;
/** Ids of messages this process has sent, so their own jobs skip a claim that would find nothing. */
const SENT_MEMORY = 20_000;
/** Waits between tries at recording a message as sent: about two minutes in all, well within its five-minute lease. */
const RECORD_DELAYS_MS = [250, 500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000];

/**
 * A template's last word on a claimed message, just before it goes: true withholds it (its owner records why); a revision
 * sends it changed (part of what it was queued with no longer stands). Thrown errors count as a failed sending, tried again.
 */
export type MailWithholding = (mail: Pick<ClaimedMail, 'requestId' | 'recipient' | 'context'>) => Promise<boolean | MailRevision>;

/** What a message goes with instead: another template too, and its request's thread, when what is left reads better so. */
export interface MailRevision {
  subject: string;
  context: Record<string, unknown>;
  template?: string;
  requestId?: string | null;
}

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
  private readonly sentHere = new Set<string>();
  private readonly withholding = new Map<string, MailWithholding>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly mails: MailRepository,
    private readonly outbox: OutboxRepository,
    private readonly transport: MailTransport,
    private readonly groupCommit: GroupCommit,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Registered by the module that owns a template: checked as each of its messages goes, since what held when it was
   * queued may not hold any more (a survey's recipient opted out meanwhile).
   */
  withholdWhen(template: string, rule: MailWithholding): void {
    this.withholding.set(template, rule);
  }

  /** The message and its delivery job, to run with the change that causes them. */
  prepare(mail: MailToQueue): SqlStatement[] {
    return this.prepareMany([mail]);
  }

  /** Messages and their delivery jobs in two statements, whatever their number. */
  prepareMany(mails: MailToQueue[]): SqlStatement[] {
    if (!mails.length) return [];
    const messages = mails.map((mail) => ({ ...mail, id: randomUUID() }));
    return [
      this.mails.insertStatement(messages),
      this.outbox.addManyStatement(
        'mail.send',
        messages.map(({ id }) => ({ payload: { mailId: id }, jobId: `mail-${id}` })),
      ),
    ];
  }

  /**
   * Sends again messages given up, once the cause is mended: those of `ids`, or all but the ones refused for good
   * (counted in `leftRefused`). Each is tried anew for MAIL_RETRY_HOURS.
   */
  async resendAbandoned(ids: string[] | null): Promise<{ requeued: string[]; leftRefused: number }> {
    const requeued = await this.dataSource.transaction((manager) => this.requeue(manager, ids));
    return { requeued, leftRefused: ids ? 0 : await this.mails.countRefusedForGood() };
  }

  /** In the caller's transaction: these requests' messages of one template not sent yet will not go (the buyer said no). */
  dropUnsentStatement(requestIds: string[], template: string): SqlStatement {
    return this.mails.dropUnsentStatement(requestIds, template);
  }

  /** In the caller's transaction: the template's messages not sent yet to that address (any case). */
  dropUnsentToStatement(recipient: string, template: string): SqlStatement {
    return this.mails.dropUnsentToStatement(recipient, template);
  }

  /**
   * In the caller's transaction: the request's messages not sent yet to the buyer's old address go to the corrected
   * one, and those given up (the old address refused them) are sent again; `rewrite` changes their text (a new link).
   */
  async readdressUnsent(
    manager: EntityManager,
    requestId: string,
    from: string,
    to: string,
    rewrite: { pattern: string; replacement: string } | null = null,
  ): Promise<void> {
    const refused = await this.mails.readdressUnsent(manager, requestId, from, to, rewrite);
    if (refused.length) await this.requeue(manager, refused);
  }

  /** Given-up messages queued again, each with a job of a new id: the spent ones may still sit in Redis. */
  private async requeue(manager: EntityManager, ids: string[] | null): Promise<string[]> {
    const requeued = await this.mails.requeueAbandoned(manager, ids);
    const resentAt = Date.now();
    await runAsOne(manager, [
      this.outbox.addManyStatement(
        'mail.send',
        requeued.map((mailId) => ({ payload: { mailId }, jobId: `mail-${mailId}-resent-${resentAt}` })),
      ),
    ]);
    return requeued;
  }

  /** Idempotent: a message already sent, or being sent by another worker, is left alone. */
  async deliver(mailId: string): Promise<void> {
    if (this.sentHere.has(mailId)) return;
    await this.sendClaimed(await this.mails.claim([mailId], true), mailId);
  }

  /**
   * Messages queued together (one job from the outbox relay), claimed DELIVERY_BATCH at a time.
   * A failed one gets its own retry job.
   */
  async deliverAll(mailIds: string[]): Promise<void> {
    const unsent = mailIds.filter((id) => !this.sentHere.has(id));
    for (let i = 0; i < unsent.length; i += DELIVERY_BATCH) {
      await this.sendClaimed(await this.mails.claim(unsent.slice(i, i + DELIVERY_BATCH), false), null);
    }
  }

  /**
   * Sends claimed messages; `ownId`'s failure is rethrown for its job to retry (unless it is given up), the others
   * get a retry job. One after the other: building a message is CPU work, and ten built side by side held the
   * event loop, and the answers of the api sharing it, for the whole batch (SMTP connections are
   * pooled, so sending in turn costs no handshake).
   */
  private async sendClaimed(batch: ClaimedMail[], ownId: string | null): Promise<void> {
    if (!batch.length) return;
    const failures = new Map<string, Error>();
    const recordings: Array<Promise<void>> = [];
    let recordingError: unknown;
    for (const mail of batch) {
      let going: ClaimedMail | null;
      try {
        going = await this.revised(mail);
        if (going) await this.send(going);
      } catch (error) {
        failures.set(mail.id, error as Error);
        continue;
      }
      if (!going) continue;
      // Gone: this process never sends it again, even while PostgreSQL cannot record it yet.
      this.rememberSent(mail.id);
      // Recorded as soon as it has gone, not after the batch: a crash now could send again only
      // the messages whose record is in flight. Records made meanwhile share one statement.
      recordings.push(this.recordSent(going).catch((error: unknown) => void (recordingError ??= error)));
    }
    await Promise.all(recordings);
    let ownRetried = false;
    for (const mail of batch) {
      const error = failures.get(mail.id);
      if (!error) continue;
      const retried = await this.recordFailure(mail, error, mail.id !== ownId);
      if (mail.id === ownId) ownRetried = retried;
    }
    if (recordingError) throw recordingError;
    if (ownRetried) throw failures.get(ownId!);
  }

  /**
   * Tried again while PostgreSQL is briefly away (a restart, a failover), within the message's lease: were it left
   * `sending`, the lease would lapse and the sweep would send it a second time.
   */
  private async recordSent(mail: ClaimedMail): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.groupCommit.run(this.mails.markSentStatements(mail));
        return;
      } catch (error) {
        if (attempt === RECORD_DELAYS_MS.length) throw error;
        await sleep(RECORD_DELAYS_MS[attempt]);
      }
    }
  }

  /**
   * The message as it goes, revised by its template's rule; null when the rule withholds it, dropped unsent: a job or a
   * sweep that comes back for it finds nothing. A revision is not stored: a retry revises afresh.
   */
  private async revised(mail: ClaimedMail): Promise<ClaimedMail | null> {
    const rule = this.withholding.get(mail.template);
    const verdict = rule ? await rule(mail) : false;
    if (verdict === false) return mail;
    if (verdict !== true) return { ...mail, ...verdict, textBody: null, htmlBody: null };
    await runAsOne(this.dataSource, [this.mails.dropStatement(mail.id)]);
    this.logger.info({ mailId: mail.id, template: mail.template }, 'message retenu au moment de partir');
    return null;
  }

  private async send(mail: ClaimedMail): Promise<void> {
    await this.transport.send({
      id: mail.id,
      requestId: mail.requestId,
      to: mail.recipient,
      subject: mail.subject,
      ...this.contentOf(mail),
    });
  }

  private contentOf(mail: ClaimedMail): ComposedMail {
    if (mail.textBody !== null && mail.htmlBody !== null) return { text: mail.textBody, html: mail.htmlBody };
    // Only possible if a row was edited by hand; nothing sensible to send.
    if (mail.context === null) throw new Error('message sans contenu');
    return this.composer.compose({ template: mail.template, subject: mail.subject, context: mail.context });
  }

  /**
   * A single job's message is retried by its job (the caller rethrows when this answers true); a message of a batch
   * job gets a retry job of its own, so that one bad message never makes the whole batch run again. A message the
   * mail server refused for good, or tried for MAIL_RETRY_HOURS, is given up: `abandoned`, an error line, the metric.
   */
  private async recordFailure(mail: ClaimedMail, error: Error, ofBatch: boolean): Promise<boolean> {
    const reason = scrubPersonalData(error.message);
    const verdict = afterFailure(error, mail.queuedAt, new Date());
    if (!verdict.retry) {
      await runAsOne(this.dataSource, [this.mails.markAbandonedStatement(mail.id, reason, verdict.why)]);
      this.logger.error(
        { mailId: mail.id, attempt: mail.attempts, err: reason, why: verdict.why },
        verdict.why === 'permanent'
          ? 'message abandonné : refusé par le serveur de messagerie'
          : `message abandonné : toujours pas envoyé après ${MAIL_RETRY_HOURS} h`,
      );
      return false;
    }
    const retry = ofBatch
      ? [this.outbox.addStatement('mail.send', { mailId: mail.id }, `mail-${mail.id}-retry-${mail.attempts}`, retryDelayMs(mail.attempts))]
      : [];
    await runAsOne(this.dataSource, [this.mails.markFailedStatement(mail.id, reason), ...retry]);
    this.logger.warn({ mailId: mail.id, attempt: mail.attempts, err: reason }, 'envoi du message en échec, nouvel essai prévu');
    return true;
  }

  /** Ids of messages this process has sent: a sent message never goes back, so skipping its job is always right. */
  private rememberSent(id: string): void {
    this.sentHere.add(id);
    for (const oldest of this.sentHere) {
      if (this.sentHere.size <= SENT_MEMORY) break;
      this.sentHere.delete(oldest);
    }
  }
}

/** The queue's own backoff for a job's retries, for messages retried by an extra job. */
function retryDelayMs(attempts: number): number {
  return RETRY_BACKOFF_MS * 2 ** Math.min(attempts - 1, 10);
}
