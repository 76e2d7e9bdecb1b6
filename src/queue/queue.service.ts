import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import type IORedis from 'ioredis';
import { AppConfig } from '../config/app-config';
import { QUEUE_NAMES, QueueName } from './queue.registry';
import { createRedis } from './redis';

/** First retry delay of a failed job; each next one doubles it. */
export const RETRY_BACKOFF_MS = 2000;

const DEFAULT_JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: 'exponential', delay: RETRY_BACKOFF_MS },
  // Completed jobs are dropped at once: keeping them costs Redis work on every job, and a job
  // published twice is harmless since every processor claims its row in PostgreSQL first.
  removeOnComplete: true,
  removeOnFail: { age: 30 * 24 * 3600 },
};

/** Producer side of BullMQ: one Queue object per queue name, sharing one fail-fast connection. */
@Injectable()
export class QueueService implements OnApplicationShutdown {
  private connection?: IORedis;
  private readonly queues = new Map<QueueName, Queue>();

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        connection: this.producerConnection(),
        prefix: this.config.QUEUE_PREFIX,
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
        // No start-up exchange with Redis (the workers' connection checks its version): BullMQ would
        // otherwise wait for the shared client to be ready, so calls would hang instead of failing
        // fast, and a stop during a connection attempt would raise that wait's error with no listener.
        skipWaitingForReady: true,
        skipVersionCheck: true,
      });
      // Connection errors surface where the queue is used; this only keeps them from crashing the process.
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }

  /**
   * True once the producer connection is up, false after `timeoutMs` without it. The connection fails fast, so a
   * publication made while it is still opening (just after a start) fails too: a first publisher waits for it here.
   */
  connected(timeoutMs: number): Promise<boolean> {
    const connection = this.producerConnection();
    if (connection.status === 'ready') return Promise.resolve(true);
    return new Promise((resolve) => {
      const ready = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        connection.off('ready', ready);
        resolve(false);
      }, timeoutMs).unref();
      connection.once('ready', ready);
    });
  }

  private producerConnection(): IORedis {
    this.connection ??= createRedis(this.config.REDIS_URL, 'producer');
    return this.connection;
  }

  isQueueName(name: string): name is QueueName {
    return (QUEUE_NAMES as readonly string[]).includes(name);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
    this.connection?.disconnect();
  }
}
