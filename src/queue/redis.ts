import IORedis, { RedisOptions } from 'ioredis';

/**
 * Producers fail fast while Redis is down (the outbox keeps the work); workers wait for it
 * indefinitely, as BullMQ requires.
 */
export function createRedis(url: string, role: 'producer' | 'worker', extra: RedisOptions = {}): IORedis {
  return new IORedis(url, {
    maxRetriesPerRequest: role === 'worker' ? null : 1,
    enableOfflineQueue: role === 'worker',
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5000),
    lazyConnect: false,
    ...extra,
  });
}
