import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import pino, { Logger } from 'pino';

export const LOGGER = Symbol('LOGGER');

const FLUSH_WAIT_MS = 2000;

/** What of pino's default destination (sonic-boom) the shutdown reads: whether a write is in flight, and its end. */
interface WritingStream {
  _writing?: boolean;
  once(event: 'drain', listener: () => void): unknown;
}

/** Provides the process's pino logger, created by the entry point before Nest starts. */
@Global()
@Module({})
export class LoggingModule implements OnApplicationShutdown {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  static forRoot(logger: Logger) {
    return { module: LoggingModule, providers: [{ provide: LOGGER, useValue: logger }], exports: [LOGGER] };
  }

  /**
   * pino writes asynchronously: the last lines of a shutdown (« thread des files arrêté ») were lost, now and then,
   * when the signal was raised again to end the process with a write still in flight. Waits for that write and those
   * queued behind it (sonic-boom says 'drain' once its buffer is written; bounded: an output gone must not hold the
   * exit), once every other hook has logged. sonic-boom's own flush() returns at once when it keeps no minimum length.
   */
  async onApplicationShutdown(): Promise<void> {
    const stream = (this.logger as unknown as Record<symbol, WritingStream | undefined>)[pino.symbols.streamSym];
    if (!stream?._writing) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, FLUSH_WAIT_MS).unref();
      stream.once('drain', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
