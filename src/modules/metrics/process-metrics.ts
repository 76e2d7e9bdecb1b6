import { constants, PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/**
 * prom-client's default collectors (lib/metrics/<name>.js) but `gc`, measured below instead: read from its own list, so
 * that one it adds or renames is followed rather than silently missing.
 */
const DEFAULT_COLLECTORS = collectDefaultMetrics.metricsList.filter((name) => name !== 'gc');

type Collector = (registry: Registry, config: { prefix: string; eventLoopMonitoringPrecision: number }) => void;

const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

/**
 * prom-client's default process metrics (`<prefix>process_*`, `<prefix>nodejs_*`) on the registry; returns what stops
 * them. Not collectDefaultMetrics(): its GC histogram observes through a PerformanceObserver it never disconnects
 * (prometheus/client_js#500), which keeps each closed app, and its modules, alive for the rest of the process.
 */
export function collectProcessMetrics(registry: Registry, prefix: string): () => void {
  for (const name of DEFAULT_COLLECTORS) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require(`prom-client/lib/metrics/${name}`) as Collector)(registry, { prefix, eventLoopMonitoringPrecision: 10 });
  }
  const gcDuration = new Histogram({
    name: `${prefix}nodejs_gc_duration_seconds`,
    help: 'Garbage collection duration by kind, one of major, minor, incremental or weakcb.',
    labelNames: ['kind'],
    buckets: [0.001, 0.01, 0.1, 1, 2, 5],
    registers: [registry],
  });
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as (PerformanceEntry & { detail: { kind: number } })[]) {
      gcDuration.observe({ kind: GC_KINDS[entry.detail.kind] }, entry.duration / 1000);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => observer.disconnect();
}
