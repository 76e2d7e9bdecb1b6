import type { Express } from 'express';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { bodyOf, startTestApp, TestApp } from '../support/test-app';

describe('HTTP server: requests are built as Express objects', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('gives requests and responses Express’s prototypes on arrival, so Express never changes them', async () => {
    const express = t.app.getHttpAdapter().getInstance() as Express;
    const server = t.app.getHttpServer() as Server;
    const seen: Array<{ req: IncomingMessage; res: ServerResponse; reqPrototype: object; resPrototype: object }> = [];
    const onArrival = (req: IncomingMessage, res: ServerResponse) =>
      seen.push({ req, res, reqPrototype: Object.getPrototypeOf(req) as object, resPrototype: Object.getPrototypeOf(res) as object });
    server.prependListener('request', onArrival);
    try {
      expect(await bodyOf(fetch(`${t.url}/health/live`))).toEqual({ status: 'ok' });
      const page = await fetch(`${t.url}/demande`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<form');
    } finally {
      server.removeListener('request', onArrival);
    }
    expect(seen).toHaveLength(2);
    for (const { req, res, reqPrototype, resPrototype } of seen) {
      expect(reqPrototype).toBe(express.request);
      expect(resPrototype).toBe(express.response);
      expect(Object.getPrototypeOf(req)).toBe(reqPrototype);
      expect(Object.getPrototypeOf(res)).toBe(resPrototype);
      // Express's members and the application's own are there.
      expect(typeof (req as unknown as Express['request']).get).toBe('function');
      expect((req as unknown as Express['request']).app).toBe(express);
      expect(typeof (res as unknown as Express['response']).json).toBe('function');
    }
  });
});
