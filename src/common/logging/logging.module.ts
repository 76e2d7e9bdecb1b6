import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';

export const LOGGER = Symbol('LOGGER');

const FLUSH_WAIT_MS = 2000;

/** Provides the process's pino logger, created by the entry point before Nest starts. */
@Global()
@Module({})
export class LoggingModule implements OnApplicationShutdown {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  static forRoot(logger: Logger) {
    return { module: LoggingModule, providers: [{ provide: LOGGER, useValue: logger }], exports: [LOGGER] };
  }

  /**
   * pino writes asynchronously: the lines of a shutdown (« thread des files arrêté ») were lost, now and then, when the
   * signal was raised again to end the process — a write still in flight dies with it, which a synchronous flush does
   * not wait for. Drained before that (bounded: an output gone must not hold the exit), once every other hook has logged.
   */
  async onApplicationShutdown(): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, FLUSH_WAIT_MS).unref();
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      try {
        this.logger.flush(done);
      } catch {
        done(); // Nothing written yet, or the output is gone: nothing left to keep.
      }
    });
  }
}
