import { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';

/**
 * A sweep that re-derives work from PostgreSQL at a fixed interval, one pass at a time per process; a failed
 * pass is logged and retried at the next tick.
 */
export abstract class IntervalSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running = false;

  protected constructor(
    private readonly intervalMs: number,
    private readonly sweepLogger: Logger,
    private readonly failureMessage: string,
  ) {}

  protected abstract sweep(): Promise<void>;

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.run(), this.intervalMs);
  }

  async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.sweep();
    } catch (error) {
      this.sweepLogger.warn({ err: (error as Error).message }, this.failureMessage);
    } finally {
      this.running = false;
    }
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
