import IORedis, { RedisOptions } from 'ioredis';

/**
 * Producers fail fast while Redis is down (the outbox keeps the work); workers wait for it
 * indefinitely, as BullMQ requires.
 */
export function createRedis(url: string, role: 'producer' | 'worker', extra: RedisOptions = {}): IORedis {
  const redis = new IORedis(url, {
    maxRetriesPerRequest: role === 'worker' ? null : 1,
    enableOfflineQueue: role === 'worker',
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5000),
    lazyConnect: false,
    ...extra,
  });
  // Each failed reconnection is an `error` event: without a listener ioredis prints it raw on stderr (no JSON), and
  // the failures surface anyway where the connection is used (commands rejected, the relay's and workers' lines).
  redis.on('error', () => undefined);
  return redis;
}
