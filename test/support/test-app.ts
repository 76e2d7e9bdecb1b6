import { NestExpressApplication } from '@nestjs/platform-express';
import IORedis from 'ioredis';
import { AddressInfo, createServer } from 'node:net';
import { Writable } from 'node:stream';
import pino, { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { Roles } from '../../src/app.module';
import { createHttpApp } from '../../src/bootstrap';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { exampleRequestBody } from '../../src/modules/intake/dto/create-request.example';
import { QueueService } from '../../src/queue/queue.service';

export interface TestApp {
  app: NestExpressApplication;
  url: string;
  config: AppConfig;
  dataSource: DataSource;
  logs: string[];
  close(): Promise<void>;
}

/** A logger whose lines the test can read, to check what reaches the logs. */
export function capturingLogger(lines: string[]): Logger {
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      callback();
    },
  });
  return pino({ level: 'debug' }, stream);
}

/** The real application (real PostgreSQL and Redis), listening on a free port. */
export async function startTestApp(env: Record<string, string> = {}, roles: Roles = { api: true, worker: false }): Promise<TestApp> {
  const config = loadConfig({ ...process.env, ...env });
  const logs: string[] = [];
  const app = await createHttpApp(roles, config, capturingLogger(logs));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  // Links in pages and e-mails then lead back to this very app.
  config.PUBLIC_URL = `http://127.0.0.1:${port}`;
  return { app, url: config.PUBLIC_URL, config, dataSource: app.get(DataSource), logs, close: () => app.close() };
}

const TRUNCATE_ALL =
  'TRUNCATE surveys, survey_opt_outs, throttle_events, account_links, api_tokens, staff_sessions, staff_user_networks, staff_users, attachment_contents, attachments, answer_help_items, request_messages, requests, request_events, mail_messages, outbox_events, idempotency_keys, request_assignments, facilitator_absences, facilitator_departments, facilitators, answer_templates, audit_events CASCADE';

export async function resetDatabase(dataSource: DataSource): Promise<void> {
  // The app's own sweeps may be mid-transaction on these tables: PostgreSQL can then pick the TRUNCATE as the
  // deadlock victim, and trying again once the sweep's transaction has ended succeeds.
  for (let attempt = 1; ; attempt++) {
    try {
      await dataSource.query(TRUNCATE_ALL);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== '40P01' || attempt === 5) throw error;
    }
  }
}

/** Sessions of the test database waiting for a lock: to line transactions up before letting them go. */
export async function sessionsWaitingOnLocks(dataSource: DataSource): Promise<number> {
  const [{ n }] = await dataSource.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
  );
  return n;
}

export async function flushQueues(prefix = process.env.QUEUE_PREFIX!): Promise<void> {
  const redis = new IORedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
  redis.disconnect();
}

/** A valid submission, varied by n so each is distinct. */
export const validRequestBody = exampleRequestBody;

/** Submits validRequestBody(n, overrides) through the public API and returns the new reference. */
export async function submitRequest(app: TestApp, n: number, overrides: Record<string, unknown> = {}): Promise<string> {
  const response = await fetch(`${app.url}/api/v1/requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(validRequestBody(n, overrides)),
  });
  if (response.status !== 201) throw new Error(`soumission refusée : ${response.status} ${await response.text()}`);
  return (await response.json()).reference;
}

/** A port nothing listens on once this returns: for a service to be unreachable, or to start on. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 10_000,
  label = 'condition',
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`délai dépassé en attendant : ${label}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Once every routing job queued so far has run: none left in the outbox, none waiting or running. For a test that
 * changes who may take requests after an action whose pool drain would otherwise race it.
 */
export async function routingSettled(t: TestApp): Promise<void> {
  const routing = t.app.get(QueueService).queue('routing');
  await waitFor(
    async () => {
      const [{ pending }] = await t.dataSource.query(
        `SELECT count(*)::int AS pending FROM outbox_events WHERE queue = 'routing' AND published_at IS NULL AND delay_ms = 0`,
      );
      const { wait, active, prioritized } = await routing.getJobCounts('wait', 'active', 'prioritized');
      return pending === 0 && wait + active + prioritized === 0;
    },
    10_000,
    'file de routage au repos',
  );
}

/** Reads a JSON body loosely typed: the assertions that follow check its shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function bodyOf(response: Response | Promise<Response>): Promise<any> {
  return (await response).json();
}

/** Starts the app once for the file, gives each test an empty database and queues, and stops it after. */
export function useTestApp(onStart: (app: TestApp) => void, env: Record<string, string> = {}, roles?: Roles): void {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(env, roles);
    onStart(app);
  });
  beforeEach(async () => {
    await resetDatabase(app.dataSource);
    await flushQueues();
  });
  afterAll(() => app.close());
}
