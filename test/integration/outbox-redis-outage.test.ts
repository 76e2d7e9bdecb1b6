import { connect, createServer, Socket } from 'node:net';
import { bodyOf, flushQueues, freePort, resetDatabase, startTestApp, TestApp, validRequestBody, waitFor } from '../support/test-app';

/** A TCP relay to the real Redis that can be switched on later: Redis "comes back" on the same address. */
async function redisSwitch(): Promise<{ url: string; turnOn(): Promise<void>; close(): Promise<void> }> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  const relay = createServer((client) => {
    const upstream = connect(6379, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    turnOn: () => new Promise<void>((resolve) => relay.listen(port, '127.0.0.1', resolve)),
    close: async () => {
      sockets.forEach((s) => s.destroy());
      await new Promise((resolve) => relay.close(resolve));
    },
  };
}

describe('outbox: a submission survives a Redis outage', () => {
  let outage: TestApp;
  let redis: Awaited<ReturnType<typeof redisSwitch>>;

  beforeAll(async () => {
    // api and worker both pointed at an address where Redis does not answer yet
    redis = await redisSwitch();
    outage = await startTestApp({ REDIS_URL: redis.url }, { api: true, worker: true });
    await resetDatabase(outage.dataSource);
    await flushQueues();
  });
  afterAll(async () => {
    await outage.close();
    await redis.close();
  });

  it('accepts the request while Redis is down, keeps its jobs pending, and queues them once when Redis is back', async () => {
    const response = await fetch(`${outage.url}/api/v1/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(validRequestBody(1)),
    });
    expect(response.status).toBe(201);
    const { reference } = await bodyOf(response);

    // The relay tried and failed: the rows stay pending, with the reason.
    const pending = await waitFor(
      async () => {
        const rows = await outage.dataSource.query(`SELECT job_name, attempts, last_error, published_at FROM outbox_events ORDER BY id`);
        return rows.length === 2 && rows.every((r: { attempts: number }) => r.attempts > 0) && rows;
      },
      10_000,
      'tentatives de publication',
    );
    expect(pending.every((r: { published_at: Date | null }) => r.published_at === null)).toBe(true);
    expect(pending[0].last_error).toBeTruthy();
    // Tried again more and more slowly: each failed pass says how long until the next, twice the last.
    const pauses = await waitFor(
      async () => {
        const lines = outage.logs.filter((line) => line.includes('publication différée')).map((line) => JSON.parse(line).retryInMs);
        return lines.length >= 2 && lines;
      },
      10_000,
      'deux passages en échec',
    );
    expect(pauses[1]).toBe(pauses[0] * 2);

    // Redis is back: the same process's relay publishes each pending job exactly once.
    await redis.turnOn();
    await waitFor(
      async () => {
        const [{ n }] = await outage.dataSource.query(`SELECT count(*)::int AS n FROM outbox_events WHERE published_at IS NULL`);
        return n === 0;
      },
      20_000,
      'publication après retour de Redis',
    );
    // The routing job ran exactly once: no facilitator exists here, so the request went to the pool once.
    const [request] = await outage.dataSource.query(`SELECT id FROM requests WHERE reference = $1`, [reference]);
    const routed = await waitFor(
      async () => {
        const rows = await outage.dataSource.query(`SELECT type FROM request_events WHERE request_id = $1 ORDER BY id`, [request.id]);
        return rows.length === 2 && rows;
      },
      10_000,
      'routage après retour de Redis',
    );
    expect(routed.map((r: { type: string }) => r.type)).toEqual(['submitted', 'unassigned']);
    // The acknowledgement, queued during the outage, is delivered once Redis is back.
    await waitFor(
      async () => {
        const [mail] = await outage.dataSource.query(`SELECT status FROM mail_messages`);
        return mail.status === 'sent';
      },
      10_000,
      'accusé de réception envoyé',
    );
    // The workers said it once when Redis was lost and once when it came back, not at each failed reconnection.
    const lost = outage.logs.filter((line) => line.includes('connexion des files à Redis perdue'));
    expect(lost).toHaveLength(1);
    const back = outage.logs.filter((line) => line.includes('connexion des files à Redis rétablie')).map((line) => JSON.parse(line));
    expect(back).toEqual([expect.objectContaining({ level: 30, errors: expect.any(Number), downSeconds: expect.any(Number) })]);
    expect(back[0].errors).toBeGreaterThan(1);
  });
});
