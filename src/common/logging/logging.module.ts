import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import pino, { Logger } from 'pino';

export const LOGGER = Symbol('LOGGER');

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
   * signal was raised again to end the process. Written out before that, once every other hook has logged its last.
   */
  onApplicationShutdown(): void {
    const stream = (this.logger as unknown as Record<symbol, { flushSync?: () => void } | undefined>)[pino.symbols.streamSym];
    try {
      stream?.flushSync?.();
    } catch {
      // Nothing buffered yet, or the output is gone: nothing left to keep.
    }
  }
}
