import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { LOGGER } from '../common/logging/logging.module';
import { HttpFirst } from './http-first';
import { jobsToPublish } from './job-batching.policy';
import { OutboxRepository } from './outbox.repository';
import { QueueService } from './queue.service';

const BATCH_SIZE = 200;
/**
 * A scan of the pending index walks the entries left by every row published since the last vacuum,
 * tens of thousands in a busy hour. So a drain starts this many ids below the highest this relay
 * published, enough for rows committed out of id order, and scans from the start of the table only
 * every FULL_PASS_MS, for rows held back longer (a long transaction, a publication that failed).
 */
const LOOKBACK_IDS = 1000n;
const FULL_PASS_MS = 5000;
/**
 * BullMQ waits for an unreachable Redis instead of failing, and the batch's rows stay locked
 * meanwhile. A late add that completes after the timeout is harmless: job ids deduplicate it.
 */
const PUBLISH_TIMEOUT_MS = 5000;
/** The longest wait between passes while PostgreSQL or Redis is away. */
const MAX_PAUSE_MS = 10_000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`file injoignable après ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Moves committed outbox rows into BullMQ, polling every OUTBOX_POLL_MS (a query on a partial
 * index); while Redis is unreachable rows stay pending and are retried on the next tick.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running = false;
  private rerun = false;
  private stopped = false;
  private draining?: Promise<unknown>;
  private highestPublished = 0n;
  private lastFullPassAt = 0;
  /** Failed passes in a row, and until when the next waits: an outage is retried more and more slowly. */
  private failures = 0;
  private resumeAt = 0;
  private readonly logger: Logger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxRepository,
    private readonly queues: QueueService,
    private readonly httpFirst: HttpFirst,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'outbox-relay' });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.wake(), this.config.OUTBOX_POLL_MS);
    // Published at once, the first batch would meet a Redis connection still opening and be recorded as failed.
    void this.queues.connected(PUBLISH_TIMEOUT_MS).then(() => this.wake());
  }

  wake(): void {
    // The next tick after HTTP has room again publishes what waited.
    if (this.stopped || this.httpFirst.saturated || this.clock.now().getTime() < this.resumeAt) return;
    if (this.running) {
      this.rerun = true;
      return;
    }
    this.running = true;
    this.draining = this.drain().finally(() => {
      this.running = false;
      if (this.rerun) {
        this.rerun = false;
        this.wake();
      }
    });
  }

  /** Publishes until nothing is pending or Redis refuses; returns how many rows were published. */
  async drain(): Promise<number> {
    let afterId = this.scanStart();
    let total = 0;
    for (;;) {
      const published = await this.publishBatch(afterId).catch((error: Error) => {
        this.backOff('error', 'relais de la boîte d’envoi en échec', error.message);
        return null;
      });
      if (published === null) return total;
      if (this.failures) {
        this.logger.info({ failedPasses: this.failures }, 'relais de la boîte d’envoi rétabli');
        this.failures = 0;
        this.resumeAt = 0;
      }
      total += published.length;
      if (published.length < BATCH_SIZE || this.httpFirst.saturated || this.stopped) return total;
      afterId = published[published.length - 1];
    }
  }

  private scanStart(): bigint {
    const now = this.clock.now().getTime();
    if (now - this.lastFullPassAt >= FULL_PASS_MS) {
      this.lastFullPassAt = now;
      return 0n;
    }
    return this.highestPublished > LOOKBACK_IDS ? this.highestPublished - LOOKBACK_IDS : 0n;
  }

  /**
   * After a failed pass the next waits twice as long as the last (from OUTBOX_POLL_MS up to MAX_PAUSE_MS): an outage
   * of PostgreSQL or Redis makes a line every few seconds, not five a second.
   */
  private backOff(level: 'warn' | 'error', message: string, err: string, pending?: number): void {
    this.failures++;
    const pauseMs = Math.min(this.config.OUTBOX_POLL_MS * 2 ** this.failures, MAX_PAUSE_MS);
    this.resumeAt = this.clock.now().getTime() + pauseMs;
    this.logger[level]({ err, pending, failedPasses: this.failures, retryInMs: pauseMs }, message);
  }

  /** The ids published, in order; null when Redis refused the batch. */
  private async publishBatch(afterId: bigint): Promise<bigint[] | null> {
    const published = await this.dataSource.transaction(async (manager) => {
      const events = await this.outbox.lockPending(manager, afterId.toString(), BATCH_SIZE);
      if (!events.length) return [];
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
        this.backOff('warn', 'publication différée : file indisponible', (error as Error).message, events.length);
        return null;
      }
      await this.outbox.markPublished(
        manager,
        events.map((e) => e.id),
      );
      return events.map((e) => BigInt(e.id));
    });
    if (published === null) return null;
    const last = published[published.length - 1];
    if (last !== undefined && last > this.highestPublished) this.highestPublished = last;
    return published;
  }

  /**
   * Before the queues' connections close: the batch being published finishes, so a stop is not
   * recorded as a failed publication (what is left stays pending for the next start).
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.draining;
  }
}
