import { QUEUE_NAMES } from '../../src/queue/queue.registry';
import { insertFacilitator } from '../support/facilitators';
import { insertStaff, StaffClient } from '../support/staff';
import { freePort, startTestApp, submitRequest, TestApp, useTestApp, waitFor } from '../support/test-app';

const EMAIL = /[\w.+-]+@[\w-]+(\.[\w-]+)+/;

/** The value of one sample of the exposition text, or undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('operations: /metrics and the queue dashboard', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app), {}, { api: true, worker: true });

  const submit = (n: number, overrides: Record<string, unknown> = {}): Promise<string> => submitRequest(t, n, overrides);
  const statusOf = async (reference: string): Promise<string> =>
    (await t.dataSource.query(`SELECT status FROM requests WHERE reference = $1`, [reference]))[0]?.status;
  const metrics = async (): Promise<string> => {
    const response = await fetch(`${t.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.text();
  };

  describe('/metrics', () => {
    it('reports queue depths, the outbox backlog, pools and the routing latency, without any personal data', async () => {
      // Isère (aura-ee) has a facilitator; Paris (maximilien) has none, so its request waits in the pool.
      await insertFacilitator(t.dataSource, { email: 'conseillere.privee@example.org', network: 'aura-ee', capacity: 5 });
      const routed = await submit(1);
      const pooled = await submit(2, { departmentCode: '75' });
      await waitFor(async () => (await statusOf(routed)) === 'assigned', 15_000, 'demande attribuée');
      await waitFor(async () => (await statusOf(pooled)) === 'unassigned', 15_000, 'demande en réserve');

      const text = await metrics();
      for (const queue of QUEUE_NAMES) {
        for (const state of ['waiting', 'delayed', 'active', 'failed']) {
          expect(sample(text, `guichet_queue_jobs{queue="${queue}",state="${state}"}`)).toBeGreaterThanOrEqual(0);
        }
      }
      // The assignment's take-charge deadline is a delayed job.
      await waitFor(
        async () => (sample(await metrics(), 'guichet_queue_jobs{queue="routing",state="delayed"}') ?? 0) >= 1,
        10_000,
        'échéance de prise en charge en file',
      );
      expect(sample(text, 'guichet_outbox_pending')).toBeGreaterThanOrEqual(0);
      expect(sample(text, 'guichet_outbox_oldest_pending_seconds')).toBeGreaterThanOrEqual(0);
      expect(sample(text, 'guichet_requests_overdue{deadline="take_charge"}')).toBe(0);
      expect(sample(text, 'guichet_requests_overdue{deadline="answer"}')).toBe(0);
      expect(sample(text, 'guichet_requests_unassigned{network="maximilien"}')).toBe(1);
      expect(sample(text, 'guichet_requests_unassigned{network="aura-ee"}')).toBe(0);
      for (const status of ['queued', 'sending', 'failed', 'abandoned']) {
        expect(sample(text, `guichet_mail_undelivered{status="${status}"}`)).toBeGreaterThanOrEqual(0);
      }

      expect(text).toContain('# TYPE guichet_routing_latency_seconds histogram');
      expect(sample(text, 'guichet_routing_latency_seconds_count')).toBe(1);
      expect(sample(text, 'guichet_routing_latency_seconds_bucket{le="+Inf"}')).toBe(1);
      expect(sample(text, 'guichet_routing_latency_seconds_bucket{le="300"}')).toBe(1);
      expect(sample(text, 'guichet_routing_latency_seconds_sum')).toBeGreaterThan(0);
      const bounds = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
      const buckets = bounds.map((le) => sample(text, `guichet_routing_latency_seconds_bucket{le="${le}"}`)!);
      expect(buckets.every((count, i) => count >= (buckets[i - 1] ?? 0) && count <= 1)).toBe(true);

      expect(sample(text, 'guichet_scrape_error{source="redis"}')).toBe(0);
      expect(sample(text, 'guichet_scrape_error{source="postgres"}')).toBe(0);
      expect(text).toMatch(/^guichet_process_cpu_user_seconds_total /m);
      expect(text).toMatch(/^guichet_nodejs_eventloop_lag_seconds /m);

      // The routed request's take-charge deadline passes: counted overdue, as the queue marks it late.
      await t.dataSource.query(`UPDATE request_assignments SET take_charge_due_at = now() - interval '1 hour' WHERE ended_at IS NULL`);
      expect(sample(await metrics(), 'guichet_requests_overdue{deadline="take_charge"}')).toBe(1);

      expect(text).not.toMatch(EMAIL);
      expect(text).not.toContain(routed);
      expect(text).not.toContain('Camille');
    });

    it('counts only the first assignment of a request, submitted → assigned', async () => {
      await insertFacilitator(t.dataSource, { network: 'aura-ee' });
      const reference = await submit(3);
      await waitFor(async () => (await statusOf(reference)) === 'assigned', 15_000, 'demande attribuée');
      // A later re-assignment (after a decline, say) is not a new routing latency.
      await t.dataSource.query(
        `INSERT INTO request_events (request_id, type, from_status, to_status, actor_type, is_public)
         SELECT id, 'assigned', 'submitted', 'assigned', 'system', true FROM requests WHERE reference = $1`,
        [reference],
      );
      expect(sample(await metrics(), 'guichet_routing_latency_seconds_count')).toBe(1);
    });

    it('still answers, with what it can read, when Redis is out of reach', async () => {
      const noRedis = await startTestApp({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
      try {
        const response = await fetch(`${noRedis.url}/metrics`);
        expect(response.status).toBe(200);
        const text = await response.text();
        expect(sample(text, 'guichet_scrape_error{source="redis"}')).toBe(1);
        expect(sample(text, 'guichet_scrape_error{source="postgres"}')).toBe(0);
        expect(text).not.toMatch(/^guichet_queue_jobs\{/m);
        expect(sample(text, 'guichet_outbox_pending')).toBeGreaterThanOrEqual(0);
        expect(sample(text, 'guichet_outbox_oldest_pending_seconds')).toBeGreaterThanOrEqual(0);
        expect(sample(text, 'guichet_requests_overdue{deadline="take_charge"}')).toBe(0);
        expect(sample(text, 'guichet_requests_overdue{deadline="answer"}')).toBe(0);
        expect(sample(text, 'guichet_routing_latency_seconds_count')).toBeGreaterThanOrEqual(0);
      } finally {
        await noRedis.close();
      }
    });

    it('with METRICS_TOKEN set, answers its bearer only; anyone else gets a 404', async () => {
      const token = 'jeton-de-collecte-prometheus-0123456789';
      const guarded = await startTestApp({ METRICS_TOKEN: token });
      try {
        const scrape = (authorization?: string) => fetch(`${guarded.url}/metrics`, { headers: authorization ? { authorization } : {} });
        for (const authorization of [undefined, `Bearer ${token}x`, `Bearer ${token.slice(1)}`, `Basic ${token}`, token]) {
          const refused = await scrape(authorization);
          expect(refused.status).toBe(404);
          expect(await refused.text()).not.toContain('guichet_');
        }
        const allowed = await scrape(`Bearer ${token}`);
        expect(allowed.status).toBe(200);
        expect(sample(await allowed.text(), 'guichet_outbox_pending')).toBeGreaterThanOrEqual(0);
      } finally {
        await guarded.close();
      }
    });

    it('is not part of the OpenAPI document', async () => {
      const document = await (await fetch(`${t.url}/api/docs-json`)).json();
      expect(Object.keys(document.paths)).not.toContain('/metrics');
    });
  });

  describe('/admin/queues', () => {
    let auth: Record<string, string>;
    const signedIn = async (seed: Parameters<typeof insertStaff>[1]) => {
      const client = new StaffClient(t.url);
      expect((await client.signIn((await insertStaff(t.dataSource, seed)).email)).status).toBe(303);
      return { cookie: client.jar.header() };
    };
    beforeEach(async () => {
      auth = await signedIn({ role: 'admin' });
    });

    it('sends a visitor to sign in, and answers 404 to staff who are not admins', async () => {
      const page = await fetch(`${t.url}/admin/queues`, { redirect: 'manual' });
      expect(page.status).toBe(303);
      expect(page.headers.get('location')).toBe('/connexion?retour=%2Fadmin%2Fqueues');
      // The board's own JSON API answers like the site's.
      expect((await fetch(`${t.url}/admin/queues/api/queues`, { redirect: 'manual' })).status).toBe(401);
      const animator = await signedIn({ role: 'animator', networks: ['aura-ee'] });
      expect((await fetch(`${t.url}/admin/queues`, { headers: animator })).status).toBe(404);
      expect((await fetch(`${t.url}/admin/queues/api/queues`, { headers: animator })).status).toBe(404);
    });

    it('shows Bull Board for every queue to the admin', async () => {
      const page = await fetch(`${t.url}/admin/queues`, { headers: auth });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await page.text();
      expect(html).toContain('<base href="/admin/queues/"');
      const script = html.match(/src="(static\/js\/main\.[^"]+\.js)"/)?.[1];
      expect(script).toBeDefined();
      expect((await fetch(`${t.url}/admin/queues/${script}`, { headers: auth })).status).toBe(200);
      // The site's Content-Security-Policy (script-src 'self') fits the board: no inline script runs.
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self';");
      const inlineScripts = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1].trim());
      expect(inlineScripts).toEqual(['id="__UI_CONFIG__" type="application/json"']);

      const queues = await fetch(`${t.url}/admin/queues/api/queues`, { headers: auth });
      expect(queues.status).toBe(200);
      const names = ((await queues.json()).queues as Array<{ name: string }>).map((q) => q.name).sort();
      expect(names).toEqual([...QUEUE_NAMES].sort());
    });

    it('answers a path or a job it does not know with the site’s own 404, never its framework’s error page', async () => {
      const page = await fetch(`${t.url}/admin/queues/nonexistent`, { headers: { ...auth, accept: 'text/html' } });
      const html = await page.text();
      expect([page.status, html]).toEqual([404, expect.stringContaining('Page introuvable')]);
      expect(html).not.toMatch(/node_modules|Error:/);
      const retry = await fetch(`${t.url}/admin/queues/api/queues/mail/nope-job/retry/failed`, {
        method: 'PUT',
        headers: { ...auth, 'sec-fetch-site': 'same-origin' },
      });
      expect(retry.status).toBe(404);
      expect(await retry.text()).not.toMatch(/node_modules|Error:/);
      expect(t.logs.filter((line) => line.includes('"level":50'))).toEqual([]);
    });

    it('refuses actions that another site makes the admin’s browser send', async () => {
      const response = await fetch(`${t.url}/admin/queues/api/queues/pause`, {
        method: 'PUT',
        headers: { ...auth, 'sec-fetch-site': 'cross-site' },
      });
      expect(response.status).toBe(403);
      const queues = await (await fetch(`${t.url}/admin/queues/api/queues`, { headers: auth })).json();
      expect(queues.queues.map((q: { isPaused: boolean }) => q.isPaused)).toEqual(QUEUE_NAMES.map(() => false));
    });
  });
});
