import { flushQueues, resetDatabase, startTestApp, TestApp, validRequestBody, waitFor } from '../support/test-app';

describe('logs', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'debug' }, { api: true, worker: true });
    await resetDatabase(t.dataSource);
    await flushQueues();
  });
  afterAll(() => t.close());

  it('are JSON lines with a request id, and never carry the buyer’s e-mail, phone, names or tracking token', async () => {
    const body = validRequestBody(1);
    body.buyer = {
      ...(body.buyer as object),
      firstName: 'Gwenaëlle',
      lastName: 'Kerhervé',
      email: 'gwenaelle.kerherve@example.fr',
      phone: '02 99 12 34 56',
    };
    const response = await fetch(`${t.url}/api/v1/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'test-request-42' },
      body: JSON.stringify(body),
    });
    expect(response.headers.get('x-request-id')).toBe('test-request-42');
    const { trackingUrl } = (await response.json()) as { trackingUrl: string };
    const token = new URL(trackingUrl).searchParams.get('t')!;
    await fetch(`${t.url}/suivi/${new URL(trackingUrl).pathname.split('/').pop()}?t=${token}`);
    await waitFor(async () => t.logs.some((l) => l.includes('message écrit')), 10_000, 'envoi du message journalisé');

    const lines = t.logs.map((l) => JSON.parse(l));
    expect(lines.find((l) => l.req?.path === '/api/v1/requests')).toMatchObject({
      requestId: 'test-request-42',
      res: { statusCode: 201 },
    });
    const all = t.logs.join('\n');
    for (const secret of ['gwenaelle', 'Gwenaëlle', 'Kerhervé', 'kerherve', '02 99 12 34 56', token]) expect(all).not.toContain(secret);
  });

  it('says once that a proxy seems to stand in front while TRUST_PROXY is 0; not when it is set', async () => {
    const proxied = { headers: { 'x-forwarded-for': '203.0.113.7' } };
    const warnings = (logs: string[]) => logs.filter((line) => line.includes('X-Forwarded-For reçu alors que TRUST_PROXY vaut 0'));
    for (let i = 0; i < 3; i++) await fetch(`${t.url}/health/live`, proxied);
    expect(warnings(t.logs)).toHaveLength(1);
    expect(JSON.parse(warnings(t.logs)[0]).level).toBe(40);

    const behindProxy = await startTestApp({ TRUST_PROXY: '1' });
    try {
      await fetch(`${behindProxy.url}/health/live`, proxied);
      expect(warnings(behindProxy.logs)).toEqual([]);
    } finally {
      await behindProxy.close();
    }
  });
});
