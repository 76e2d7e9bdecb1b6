import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { LOGGER } from '../common/logging/logging.module';
import { HttpFirst } from './http-first';
import { jobsToPublish } from './job-batching.policy';
import { OutboxRepository } from './outbox.repository';
import { QueueService } from './queue.service';

const BATCH_SIZE = 200;
/**
 * BullMQ waits for an unreachable Redis instead of failing, and the batch's rows stay locked
 * meanwhile. A late add that completes after the timeout is harmless: job ids deduplicate it.
 */
const PUBLISH_TIMEOUT_MS = 5000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`file injoignable après ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Moves committed outbox rows into BullMQ, polling every OUTBOX_POLL_MS (a cheap query on a
 * partial index); while Redis is unreachable rows stay pending and are retried on the next tick.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running = false;
  private rerun = false;
  private stopped = false;
  private readonly logger: Logger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxRepository,
    private readonly queues: QueueService,
    private readonly httpFirst: HttpFirst,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'outbox-relay' });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.wake(), this.config.OUTBOX_POLL_MS);
    this.wake();
  }

  wake(): void {
    // The next tick after HTTP has room again publishes what waited.
    if (this.stopped || this.httpFirst.saturated) return;
    if (this.running) {
      this.rerun = true;
      return;
    }
    this.running = true;
    void this.drain().finally(() => {
      this.running = false;
      if (this.rerun) {
        this.rerun = false;
        this.wake();
      }
    });
  }

  /** Publishes until nothing is pending or Redis refuses; returns how many rows were published. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const published = await this.publishBatch().catch((error: Error) => {
        this.logger.error({ err: error.message }, 'relais de la boîte d’envoi en échec');
        return 0;
      });
      total += published;
      if (published < BATCH_SIZE || this.httpFirst.saturated) return total;
    }
  }

  private async publishBatch(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const events = await this.outbox.lockPending(manager, BATCH_SIZE);
      if (!events.length) return 0;
      try {
        for (const [queueName, jobs] of jobsToPublish(events)) {
          if (!this.queues.isQueueName(queueName)) throw new Error(`file inconnue : ${queueName}`);
          await withTimeout(this.queues.queue(queueName).addBulk(jobs), PUBLISH_TIMEOUT_MS);
        }
      } catch (error) {
        // Kept pending, with the reason, in the same transaction that holds the rows.
        await this.outbox.recordFailure(
          manager,
          events.map((e) => e.id),
          (error as Error).message,
        );
        this.logger.warn({ err: (error as Error).message, pending: events.length }, 'publication différée : file indisponible');
        return 0;
      }
      await this.outbox.markPublished(
        manager,
        events.map((e) => e.id),
      );
      return events.length;
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
  }
}
