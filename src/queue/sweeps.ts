import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../common/logging/logging.module';
import { Clock } from '../common/clock';
import { AccountsRepository } from '../modules/accounts/accounts.repository';
import { IdempotencyRepository } from '../modules/intake/idempotency.repository';
import { StaffActionKeysRepository } from '../modules/accounts/staff-action-keys.repository';
import { MailRepository, UNATTACHED_MAIL_RETENTION_DAYS } from '../modules/mail/mail.repository';
import { OutboxRepository } from './outbox.repository';
import { QueueService } from './queue.service';

const SWEEP_INTERVAL_MS = 5 * 60 * 1000;
const IDEMPOTENCY_RETENTION_HOURS = 24;
const OUTBOX_RETENTION_DAYS = 7;

/**
 * Re-derives queued work from PostgreSQL, so a Redis that lost its data, or a job that ran out of
 * retries, delays work without losing it. Safe on several workers: jobs are deduplicated by id
 * and every processor claims its row before acting.
 */
@Injectable()
export class Sweeps implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly mails: MailRepository,
    private readonly idempotency: IdempotencyRepository,
    private readonly staffActionKeys: StaffActionKeysRepository,
    private readonly accounts: AccountsRepository,
    private readonly clock: Clock,
    private readonly queues: QueueService,
    private readonly outbox: OutboxRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.run(), SWEEP_INTERVAL_MS);
  }

  async run(): Promise<void> {
    try {
      await this.requeueUndeliveredMail();
      await this.idempotency.purgeOlderThan(IDEMPOTENCY_RETENTION_HOURS);
      await this.staffActionKeys.purgeOlderThan(IDEMPOTENCY_RETENTION_HOURS);
      await this.accounts.purgeExpired(this.clock.now());
      await this.outbox.purgePublished(OUTBOX_RETENTION_DAYS);
      await this.mails.purgeUnattached(UNATTACHED_MAIL_RETENTION_DAYS);
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'balayage interrompu, repris au prochain passage');
    }
  }

  async requeueUndeliveredMail(): Promise<number> {
    const queue = this.queues.queue('mail');
    const ids = await this.mails.findStalled();
    for (const mailId of ids) {
      const jobId = `mail-${mailId}`;
      const job = await queue.getJob(jobId);
      if (job && !(await job.isFailed())) continue;
      // One try per pass once the job's own retries are spent: a mail server down for hours is asked every ten
      // minutes or so until mail-retry.policy.ts gives up, not eight times in a row at each pass.
      if (job) await job.remove();
      await queue.add('mail.send', { mailId }, { jobId, ...(job ? { attempts: 1 } : {}) });
    }
    if (ids.length) this.logger.info({ count: ids.length }, 'messages en attente remis en file');
    return ids.length;
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
