import type IORedis from 'ioredis';
import { loadConfig } from '../../src/config/app-config';
import { QueueService } from '../../src/queue/queue.service';
import { freePort } from '../support/test-app';

describe('queue producers while Redis is out of reach', () => {
  it('fail fast, and stop without an unhandled error while a connection attempt is in flight', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      const service = new QueueService(loadConfig({ ...process.env, REDIS_URL: `redis://127.0.0.1:${await freePort()}` }));
      await expect(service.queue('mail').getJobCounts()).rejects.toThrow();

      // The race behind a CI failure: the shared client has failed once and is connecting again
      // when the application stops. The 'connecting' event comes before the attempt's outcome.
      const client = service['connection'] as IORedis;
      await new Promise((resolve) => client.once('connecting', resolve));
      expect(client.status).toBe('connecting');
      await service.onApplicationShutdown();

      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });
});
