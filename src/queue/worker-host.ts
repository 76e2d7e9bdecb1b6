import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Worker } from 'bullmq';
import type IORedis from 'ioredis';
import type { Logger } from 'pino';
import { AppConfig } from '../config/app-config';
import { scrubPersonalData } from '../common/logging/logger';
import { LOGGER } from '../common/logging/logging.module';
import { assertHandlersComplete, consumedQueues, JOB_QUEUES, JobHandlers, JobName, QUEUE_NAMES, QueueName } from './queue.registry';
import { HTTP_NEIGHBOUR, HttpFirst, HttpNeighbour } from './http-first';
import { createRedis } from './redis';

/** A feature's contribution to the worker: the jobs it handles. */
export interface JobProcessor {
  handlers(): JobHandlers;
}
export const JOB_PROCESSORS = Symbol('JOB_PROCESSORS');

const CONCURRENCY: Record<QueueName, number> = { routing: 8, mail: 5, lifecycle: 5, surveys: 2 };
/**
 * On the HTTP server's event loop, one job at a time per queue: every job in flight takes event-loop
 * time from buyers' requests, and batched routing and mail delivery keep up with intake this way.
 */
const CONCURRENCY_ON_HTTP_LOOP: Record<QueueName, number> = { routing: 1, mail: 1, lifecycle: 1, surveys: 1 };

/**
 * Runs one BullMQ worker per consumed queue. Refuses to boot when a consumed queue has a job
 * without handler. On shutdown, workers finish their active jobs before the process exits.
 */
@Injectable()
export class WorkerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly workers: Worker[] = [];
  private connection?: IORedis;
  private readonly handlers: JobHandlers;
  private readonly logger: Logger;
  /** While Redis is away: since when, and how many errors went unlogged (one line when lost, one when back). */
  private trouble: { since: number; errors: number } | null = null;

  constructor(
    @Inject(JOB_PROCESSORS) processors: JobProcessor[],
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(LOGGER) logger: Logger,
    @Inject(HTTP_NEIGHBOUR) private readonly httpNeighbour: HttpNeighbour,
    private readonly httpFirst: HttpFirst,
  ) {
    this.logger = logger.child({ component: 'worker' });
    this.handlers = Object.assign({}, ...processors.map((p) => p.handlers()));
    assertHandlersComplete(this.handlers);
  }

  onApplicationBootstrap(): void {
    this.connection = createRedis(this.config.REDIS_URL, 'worker');
    this.connection.on('ready', () => this.connectionBack());
    const consumed = consumedQueues(this.handlers);
    for (const queue of consumed) {
      const worker = new Worker(queue, (job) => this.run(job.name as JobName, job.data), {
        connection: this.connection,
        prefix: this.config.QUEUE_PREFIX,
        concurrency: (this.httpNeighbour === 'same-thread' ? CONCURRENCY_ON_HTTP_LOOP : CONCURRENCY)[queue],
        // A job whose worker died is handed to another after the lock lapses; processors are idempotent.
        lockDuration: this.config.WORKER_LOCK_MS,
        stalledInterval: this.config.WORKER_LOCK_MS,
      });
      worker.on('failed', (job, error) =>
        this.logger.warn(
          { queue, job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, err: scrubPersonalData(error.message) },
          'tâche en échec',
        ),
      );
      worker.on('error', (error) => this.connectionTrouble(queue, error));
      this.workers.push(worker);
    }
    // Jobs already running finish; no new one starts until HTTP has room again.
    this.httpFirst.onChange((saturated) => {
      for (const worker of this.workers) {
        if (saturated) void worker.pause(true);
        else worker.resume();
      }
    });
    const idle = QUEUE_NAMES.filter((q) => !consumed.includes(q));
    this.logger.info({ consumed, producedOnly: idle }, 'files consommées');
  }

  /**
   * Every worker reports every failed reconnection (several a second while Redis is down): the first is logged, the
   * rest counted until the connection is back. The outbox relay's error lines say what waits meanwhile.
   */
  private connectionTrouble(queue: string, error: Error): void {
    if (this.trouble) {
      this.trouble.errors++;
      return;
    }
    this.trouble = { since: Date.now(), errors: 1 };
    this.logger.warn({ queue, err: error.message }, 'connexion des files à Redis perdue : les tâches attendent son retour');
  }

  private connectionBack(): void {
    if (!this.trouble) return;
    const { since, errors } = this.trouble;
    this.trouble = null;
    this.logger.info({ downSeconds: Math.round((Date.now() - since) / 1000), errors }, 'connexion des files à Redis rétablie');
  }

  private async run(name: JobName, data: unknown): Promise<void> {
    const handler = this.handlers[name] as ((payload: unknown) => Promise<void>) | undefined;
    if (!handler) throw new Error(`aucun processeur pour ${name} (file ${JOB_QUEUES[name] ?? 'inconnue'})`);
    await handler(data);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    this.connection?.disconnect();
  }
}
