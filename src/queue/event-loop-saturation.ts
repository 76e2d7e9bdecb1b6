import { EventLoopUtilization, performance } from 'node:perf_hooks';

const CHECK_MS = 250;
const SATURATED_ABOVE = 0.9;
const FREE_BELOW = 0.8;

/** Watches this thread's event loop and reports when it becomes saturated or has room again; returns the stop. */
export function watchSaturation(onChange: (saturated: boolean) => void): () => void {
  let saturated = false;
  let previous: EventLoopUtilization = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const current = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(current, previous).utilization;
    previous = current;
    // Two thresholds, so background work does not flap on and off around one value.
    if (saturated ? busy < FREE_BELOW : busy > SATURATED_ABOVE) {
      saturated = !saturated;
      onChange(saturated);
    }
  }, CHECK_MS);
  timer.unref();
  return () => clearInterval(timer);
}
