import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { watchSaturation } from './event-loop-saturation';
import { onApiThreadMessage } from './workers-thread';

/**
 * Where this process's HTTP server runs, seen from its background work: nowhere (`start:worker`),
 * on the same event loop (an app playing both roles), or on the main thread while the queue
 * workers run in a thread of their own (`npm start`).
 */
export type HttpNeighbour = 'none' | 'same-thread' | 'main-thread';
export const HTTP_NEIGHBOUR = Symbol('HTTP_NEIGHBOUR');

/**
 * In a process that also serves HTTP, background work (outbox relay, queue workers) waits while
 * the HTTP event loop is saturated and starts again once it has room: a burst of submissions is
 * answered first, and its e-mails and routing follow it. Elsewhere, never saturated.
 */
@Injectable()
export class HttpFirst implements OnApplicationBootstrap, OnApplicationShutdown {
  private stop?: () => void;
  private saturatedNow = false;
  private readonly listeners: Array<(saturated: boolean) => void> = [];

  constructor(@Inject(HTTP_NEIGHBOUR) private readonly neighbour: HttpNeighbour) {}

  get saturated(): boolean {
    return this.saturatedNow;
  }

  onChange(listener: (saturated: boolean) => void): void {
    this.listeners.push(listener);
  }

  onApplicationBootstrap(): void {
    const update = (saturated: boolean) => {
      if (saturated === this.saturatedNow) return;
      this.saturatedNow = saturated;
      for (const listener of this.listeners) listener(saturated);
    };
    if (this.neighbour === 'same-thread') this.stop = watchSaturation(update);
    if (this.neighbour === 'main-thread') {
      this.stop = onApiThreadMessage((message) => {
        if (message.type === 'http-saturated') update(message.saturated);
      });
    }
  }

  onApplicationShutdown(): void {
    this.stop?.();
  }
}
