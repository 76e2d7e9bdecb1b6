import { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { scrubPersonalData } from '../common/logging/logger';

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

/**
 * Runs `step` on each request (or survey) in turn and counts those it acted on; one that fails is logged and skipped,
 * so one that cannot be handled holds up none after it in the batch (the next pass tries it again).
 */
export async function eachApart(
  ids: string[],
  step: (id: string) => Promise<boolean>,
  logger: Logger,
  failureMessage: string,
  idName: 'requestId' | 'surveyId' = 'requestId',
): Promise<number> {
  let acted = 0;
  for (const id of ids) {
    try {
      if (await step(id)) acted++;
    } catch (error) {
      logger.error({ [idName]: id, err: scrubPersonalData(String((error as Error)?.message)) }, failureMessage);
    }
  }
  return acted;
}
