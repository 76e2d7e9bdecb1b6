import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { Logger } from 'pino';
import { scrubPersonalData } from '../common/logging/logger';
import { LOGGER, logsWritten } from '../common/logging/logging.module';
import { watchSaturation } from './event-loop-saturation';

/** What the api's thread tells the workers' thread. */
export type ApiThreadMessage = { type: 'http-saturated'; saturated: boolean } | { type: 'stop' };

const THREAD_ROLE = 'queue-workers';
/** The workers' entry point (`start:worker`) is also the thread's: same boot, minus migrations and signals. */
const THREAD_ENTRY = join(__dirname, '..', 'worker.js');
/**
 * The workers' thread runs at the lowest scheduling priority: on a small machine the kernel then gives
 * the CPU to buyers' requests first, and e-mails and routing take what is left (they are not urgent to
 * the millisecond; under overload HttpFirst pauses them anyway). Measured on 2 cores at 200
 * submissions/s: p99 34–64 ms with the workers in another process at equal priority, 28–30 ms with it niced.
 */
const WORKERS_THREAD_NICE = 19;
/**
 * A second V8 heap costs memory: a smaller young generation than V8's default keeps the process about
 * 20 MB lighter at peak (measured), for more frequent minor collections in a thread where they delay no buyer.
 */
const WORKERS_THREAD_YOUNG_GENERATION_MB = 8;

export function isWorkersThread(): boolean {
  return !isMainThread && (workerData as { role?: string } | null)?.role === THREAD_ROLE;
}

/** In the workers' thread: listens to the api's thread; returns the unsubscribe. */
export function onApiThreadMessage(listener: (message: ApiThreadMessage) => void): () => void {
  const port = parentPort;
  if (!port) throw new Error('pas dans un thread de travail');
  port.on('message', listener);
  return () => port.off('message', listener);
}

/** Best effort: Linux lets a thread lower its own priority (setpriority on its thread id); elsewhere it stays as is. */
export function lowerThisThreadPriority(logger: Logger): void {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    setPriority(threadId, WORKERS_THREAD_NICE);
  } catch (error) {
    logger.info({ err: (error as Error).message }, 'priorité du thread des files inchangée');
  }
}

/**
 * `npm start`: the queue workers in a thread of the api's process, so that their work never holds the
 * api's event loop. The api's saturation is forwarded to them (they pause, see HttpFirst); on shutdown
 * they finish their jobs before the api closes; if they stop on their own, the process stops with them
 * rather than keep taking requests that nobody routes.
 */
@Injectable()
export class WorkersThread implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private worker?: Worker;
  private stopping = false;
  private stopWatching?: () => void;

  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  onApplicationBootstrap(): void {
    const worker = new Worker(THREAD_ENTRY, {
      workerData: { role: THREAD_ROLE },
      resourceLimits: { maxYoungGenerationSizeMb: WORKERS_THREAD_YOUNG_GENERATION_MB },
    });
    worker.on('error', (error) =>
      this.logger.fatal(
        { err: { message: scrubPersonalData(error.message), stack: error.stack && scrubPersonalData(error.stack) } },
        'erreur du thread des files',
      ),
    );
    worker.on('exit', (code) => {
      if (this.stopping) return;
      // The fatal line last, after the lines still being written (logsWritten).
      void logsWritten(this.logger).then(() => {
        this.logger.fatal({ code }, 'le thread des files s’est arrêté : arrêt du service');
        process.exit(1);
      });
    });
    this.stopWatching = watchSaturation((saturated) => this.post({ type: 'http-saturated', saturated }));
    this.worker = worker;
  }

  async beforeApplicationShutdown(): Promise<void> {
    const worker = this.worker;
    if (!worker || this.stopping) return;
    this.stopping = true;
    this.stopWatching?.();
    // Not events.once: it rejects on the thread's 'error' event, and an error while stopping must not skip the wait.
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    this.logger.info('arrêt du thread des files : les tâches en cours se terminent');
    this.post({ type: 'stop' });
    await exited;
    this.logger.info('thread des files arrêté');
  }

  private post(message: ApiThreadMessage): void {
    this.worker?.postMessage(message);
  }
}
