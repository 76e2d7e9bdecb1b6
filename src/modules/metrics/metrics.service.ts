import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { Gauge, Metric, Registry } from 'prom-client';
import { LOGGER } from '../../common/logging/logging.module';
import { OutboxRepository } from '../../queue/outbox.repository';
import { QUEUE_NAMES } from '../../queue/queue.registry';
import { QueueService } from '../../queue/queue.service';
import { LatencySnapshot, MetricsRepository } from './metrics.repository';
import { collectProcessMetrics } from './process-metrics';

const JOB_STATES = ['waiting', 'delayed', 'active', 'failed'] as const;
const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] as const;
const LATENCY_WINDOW_SECONDS = 3600;
/** Below Prometheus' default scrape timeout (10 s): a source that hangs is reported as an error. */
const SOURCE_TIMEOUT_MS = 3000;

type Source = 'redis' | 'postgres';

/**
 * Submitted → assigned, as a Prometheus histogram computed from PostgreSQL at scrape time.
 *
 * Why from the database: the assignment happens in a worker process, and there may be several
 * workers on several machines, while /metrics is served by the api. A histogram observed in memory
 * would live in the worker (not scraped here), be split across workers and lost at each restart.
 * The request's `created_at` and its first `assigned` history event are the facts, written by
 * whichever process did the work, so any api instance reports the same, complete figure.
 * It covers the requests first assigned during the last hour (a sliding window, not a counter
 * since boot): use the `_bucket` values directly, e.g. `histogram_quantile(0.99, guichet_routing_latency_seconds_bucket)`,
 * not `rate()` of them.
 *
 * prom-client formats what `get()` returns; the class only has to honour the registry's contract.
 */
class DatabaseHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  /** Last successful reading; null hides the samples when PostgreSQL could not be read. */
  snapshot: LatencySnapshot | null = null;

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly bounds: readonly number[],
  ) {}

  async get() {
    const s = this.snapshot;
    const bucket = `${this.name}_bucket`;
    const values = s
      ? [
          ...this.bounds.map((le, i) => ({ metricName: bucket, labels: { le }, value: s.buckets[i] })),
          { metricName: bucket, labels: { le: '+Inf' }, value: s.count },
          { metricName: `${this.name}_sum`, labels: {}, value: s.sum },
          { metricName: `${this.name}_count`, labels: {}, value: s.count },
        ]
      : [];
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
}

/**
 * The operator's figures, in Prometheus text format. Everything is read at scrape time from the
 * sources of truth (BullMQ in Redis, PostgreSQL), so every api instance reports the same thing
 * whichever process did the work. Counts only: no label or value carries personal data.
 * A source that cannot be read is left out and flagged in `guichet_scrape_error{source}`; the
 * scrape itself never fails.
 */
@Injectable()
export class MetricsService implements OnModuleDestroy {
  private readonly registry = new Registry();
  private readonly queueJobs = new Gauge({
    name: 'guichet_queue_jobs',
    help: 'Tâches BullMQ par file et par état',
    labelNames: ['queue', 'state'] as const,
    registers: [this.registry],
  });
  private readonly outboxPending = new Gauge({
    name: 'guichet_outbox_pending',
    help: 'Événements de la boîte d’envoi (outbox) pas encore publiés dans Redis',
    registers: [this.registry],
  });
  private readonly outboxOldest = new Gauge({
    name: 'guichet_outbox_oldest_pending_seconds',
    help: 'Âge en secondes du plus ancien événement de la boîte d’envoi pas encore publié (0 : aucun) : le relais ou Redis est en panne s’il grandit',
    registers: [this.registry],
  });
  private readonly overdue = new Gauge({
    name: 'guichet_requests_overdue',
    help: 'Demandes dont le délai en cours est dépassé, par délai (take_charge : prise en charge, answer : réponse)',
    labelNames: ['deadline'] as const,
    registers: [this.registry],
  });
  private readonly undeliveredMail = new Gauge({
    name: 'guichet_mail_undelivered',
    help: 'Courriels pas encore envoyés, par état (abandoned : refusés pour de bon ou pas partis en 48 h, à examiner)',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });
  private readonly unassigned = new Gauge({
    name: 'guichet_requests_unassigned',
    help: 'Demandes en attente dans la réserve (statut unassigned) par réseau',
    labelNames: ['network'] as const,
    registers: [this.registry],
  });
  private readonly routingLatency = new DatabaseHistogram(
    'guichet_routing_latency_seconds',
    'Délai entre le dépôt et la première attribution, demandes attribuées dans la dernière heure (calculé depuis PostgreSQL)',
    LATENCY_BUCKETS,
  );
  private readonly scrapeError = new Gauge({
    name: 'guichet_scrape_error',
    help: '1 si la source n’a pas pu être lue lors de cette collecte (ses métriques sont alors absentes), 0 sinon',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });
  private readonly failing = new Set<Source>();
  private inFlight?: Promise<string>;
  private readonly logger: Logger;
  private readonly stopProcessMetrics: () => void;

  constructor(
    private readonly queues: QueueService,
    private readonly outbox: OutboxRepository,
    private readonly repository: MetricsRepository,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'metrics' });
    // The registry only reads name, help, type, aggregator and get(): see DatabaseHistogram.
    this.registry.registerMetric(this.routingLatency as unknown as Metric);
    this.stopProcessMetrics = collectProcessMetrics(this.registry, 'guichet_');
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Concurrent scrapes share one collection rather than querying the sources twice. */
  scrape(): Promise<string> {
    this.inFlight ??= this.collect().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async collect(): Promise<string> {
    const [redis, postgres] = await Promise.all([this.collectQueues(), this.collectDatabase()]);
    this.report('redis', redis);
    this.report('postgres', postgres);
    return this.registry.metrics();
  }

  private async collectQueues(): Promise<unknown> {
    const results = await Promise.allSettled(
      QUEUE_NAMES.map(async (queue) => ({ queue, counts: await withTimeout(this.queues.queue(queue).getJobCounts(...JOB_STATES)) })),
    );
    this.queueJobs.reset();
    for (const result of results) {
      if (result.status === 'rejected') continue;
      for (const state of JOB_STATES) this.queueJobs.set({ queue: result.value.queue, state }, result.value.counts[state] ?? 0);
    }
    return results.find((r) => r.status === 'rejected')?.reason;
  }

  private async collectDatabase(): Promise<unknown> {
    const [pending, unassigned, latency, mail, oldest, overdue] = await Promise.allSettled([
      withTimeout(this.outbox.countPending()),
      withTimeout(this.repository.unassignedByNetwork()),
      withTimeout(this.repository.routingLatency(LATENCY_BUCKETS, LATENCY_WINDOW_SECONDS)),
      withTimeout(this.repository.undeliveredMail()),
      withTimeout(this.repository.oldestPendingOutboxSeconds()),
      withTimeout(this.repository.overdueByDeadline()),
    ]);
    if (pending.status === 'fulfilled') this.outboxPending.set(pending.value);
    else this.outboxPending.remove();
    if (oldest.status === 'fulfilled') this.outboxOldest.set(oldest.value);
    else this.outboxOldest.remove();
    this.overdue.reset();
    if (overdue.status === 'fulfilled') for (const { deadline, count } of overdue.value) this.overdue.set({ deadline }, count);
    this.unassigned.reset();
    if (unassigned.status === 'fulfilled') for (const { network, count } of unassigned.value) this.unassigned.set({ network }, count);
    this.routingLatency.snapshot = latency.status === 'fulfilled' ? latency.value : null;
    this.undeliveredMail.reset();
    if (mail.status === 'fulfilled') for (const { status, count } of mail.value) this.undeliveredMail.set({ status }, count);
    return [pending, unassigned, latency, mail, oldest, overdue].find((r) => r.status === 'rejected')?.reason;
  }

  /** Sets the error gauge, and logs when a source starts or stops failing (not at every scrape). */
  private report(source: Source, error: unknown): void {
    this.scrapeError.set({ source }, error ? 1 : 0);
    if (error && !this.failing.has(source)) {
      this.failing.add(source);
      this.logger.warn({ source, err: { message: (error as Error)?.message } }, 'métriques : source illisible');
    } else if (!error && this.failing.delete(source)) {
      this.logger.info({ source }, 'métriques : source de nouveau lisible');
    }
  }

  onModuleDestroy(): void {
    this.stopProcessMetrics();
    this.registry.clear();
  }
}

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`pas de réponse en ${SOURCE_TIMEOUT_MS} ms`)), SOURCE_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
