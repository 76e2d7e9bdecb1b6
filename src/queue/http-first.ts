import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EventLoopUtilization, performance } from 'node:perf_hooks';

/** Whether this process also serves HTTP (the all-in-one process of `npm start`). */
export const SERVES_HTTP_TOO = Symbol('SERVES_HTTP_TOO');

const CHECK_MS = 250;
const SATURATED_ABOVE = 0.9;
const FREE_BELOW = 0.8;

/**
 * In a process that also serves HTTP, background work (outbox relay, queue workers) waits while
 * the event loop is saturated and starts again once it has room: a burst of submissions is
 * answered first, and its e-mails and routing follow it. Elsewhere, never saturated.
 */
@Injectable()
export class HttpFirst implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private saturatedNow = false;
  private readonly listeners: Array<(saturated: boolean) => void> = [];

  constructor(@Inject(SERVES_HTTP_TOO) private readonly servesHttpToo: boolean) {}

  get saturated(): boolean {
    return this.saturatedNow;
  }

  onChange(listener: (saturated: boolean) => void): void {
    this.listeners.push(listener);
  }

  onApplicationBootstrap(): void {
    if (!this.servesHttpToo) return;
    let previous: EventLoopUtilization = performance.eventLoopUtilization();
    this.timer = setInterval(() => {
      const current = performance.eventLoopUtilization();
      const busy = performance.eventLoopUtilization(current, previous).utilization;
      previous = current;
      // Two thresholds, so background work does not flap on and off around one value.
      if (this.saturatedNow ? busy < FREE_BELOW : busy > SATURATED_ABOVE) {
        this.saturatedNow = !this.saturatedNow;
        for (const listener of this.listeners) listener(this.saturatedNow);
      }
    }, CHECK_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
