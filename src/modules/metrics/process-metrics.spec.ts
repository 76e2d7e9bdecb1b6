import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Registry } from 'prom-client';
import { collectProcessMetrics } from './process-metrics';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

async function gcCount(registry: Registry): Promise<number> {
  collectGarbage();
  await sleep(50); // the observer is told of collections a few turns later
  const counts = (await registry.metrics()).match(/^t_nodejs_gc_duration_seconds_count\{.*\} \d+$/gm) ?? [];
  return counts.reduce((n, line) => n + Number(line.split(' ').pop()), 0);
}

describe('process metrics', () => {
  it('give prom-client’s defaults, the garbage collections included', async () => {
    const registry = new Registry();
    const stop = collectProcessMetrics(registry, 't_');
    try {
      expect(await gcCount(registry)).toBeGreaterThan(0);
      const text = await registry.metrics();
      for (const name of [
        't_process_cpu_user_seconds_total',
        't_nodejs_eventloop_lag_seconds',
        't_nodejs_heap_size_used_bytes',
        't_nodejs_version_info',
      ]) {
        expect(text).toMatch(new RegExp(`^${name}`, 'm'));
      }
    } finally {
      stop();
    }
  });

  // An observer left on would keep the closed app, and its modules, alive until the process ends.
  it('stop observing the garbage collections once stopped', async () => {
    const registry = new Registry();
    collectProcessMetrics(registry, 't_')();
    const before = await gcCount(registry);
    expect(await gcCount(registry)).toBe(before);
  });
});
