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

  /** The last lines of a shutdown (« thread des files arrêté ») are written before the process ends (logsWritten). */
  async onApplicationShutdown(): Promise<void> {
    await logsWritten(this.logger);
  }
}

/**
 * pino writes asynchronously: a process ended right after its last lines (a shutdown's) lost them now and then, and a
 * fatal line, which pino writes at once, went out before a line still being written. Waits for the write in flight and those queued behind it (sonic-boom says 'drain' once its
 * buffer is written; bounded: an output gone must not hold the exit). sonic-boom's own flush() returns at once when it
 * keeps no minimum length.
 */
export async function logsWritten(logger: Logger): Promise<void> {
  const stream = (logger as unknown as Record<symbol, WritingStream | undefined>)[pino.symbols.streamSym];
  if (!stream?._writing) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, FLUSH_WAIT_MS).unref();
    stream.once('drain', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
