/**
 * Routing benchmark: boots the api and separate worker processes on their own database and queue
 * prefix, seeds 200 facilitators across every network, and measures
 *   1. assignments per second with one worker process (10,000 requests submitted beforehand),
 *   2. the same with two worker processes,
 *   3. submitted → assigned latency (p50 / p99) under a steady 100 requests per second,
 *   4. capacity violations: over the whole run, plus a short run where capacities are small so
 *      that the two workers compete for the last places.
 *
 *   npm run bench:routing
 *
 * Exits 0 whenever the run completes, even if a target is missed; exits 1 if the run itself fails.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { Client } from 'pg';
import { exampleRequestBody } from '../src/modules/intake/dto/create-request.example';
import type { QueueName } from '../src/queue/queue.registry';
import {
  benchServiceEnv,
  clearRedisKeys,
  isRunning,
  logTail,
  percentile,
  recreateDatabase,
  ROOT,
  ServiceProcess,
  sleep,
  spawnService,
  stopService,
  waitUntilReady,
} from './bench-support';
import { runPacedLoad } from './paced-load';

const API_ENTRY = path.join(ROOT, 'dist', 'src', 'main.js');
const WORKER_ENTRY = path.join(ROOT, 'dist', 'src', 'worker.js');

const PORT = 3998;
const BASE_URL = `http://127.0.0.1:${PORT}`;
const PG_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const BENCH_DB = 'guichet_vert_bench_routing';
const DATABASE_URL = `postgres://postgres@127.0.0.1:5432/${BENCH_DB}`;
const REDIS_URL = 'redis://127.0.0.1:6379';
const QUEUE_PREFIX = 'gvbenchrouting';
const ROUTING_QUEUE: QueueName = 'routing';
const OUTBOX_POLL_MS = 50;

const READY_TIMEOUT_MS = 60_000;
const KILL_GRACE_MS = 10_000;
const POLL_MS = 100;
/** No request left 'submitted' for this long: the run reports them as stuck instead of waiting forever. */
const STALL_TIMEOUT_MS = 90_000;

const FACILITATORS = 200;
const LARGE_CAPACITY = 1000;
const BATCH = 10_000;
const SUBMIT_CONCURRENCY = 50;
const SUBMIT_TIMEOUT_MS = 30_000;
const STEADY_RATE = 100;
const STEADY_SECONDS = 20;
const WARMUP_SECONDS = 3;
const CONTENTION_CAPACITY = 5;
const CONTENTION_BATCH = 2_000;

const TARGET_ONE_WORKER_RATE = 500;
const TARGET_P99_MS = 250;

const KINDS = ['environmental', 'social_clause'] as const;
const APP_SECRET = randomBytes(24).toString('hex');

// ---------------------------------------------------------------------------------------------
// Processes

const processes = new Set<ServiceProcess>();
let tmpDir = '';
let mailDir = '';

function startProcess(entry: string, logName: string): ServiceProcess {
  const service = spawnService(
    logName,
    entry,
    // One secret for every process: links made by one are checked by another.
    benchServiceEnv({
      port: PORT,
      databaseUrl: DATABASE_URL,
      redisUrl: REDIS_URL,
      queuePrefix: QUEUE_PREFIX,
      mailDir,
      appSecret: APP_SECRET,
      extra: { OUTBOX_POLL_MS: String(OUTBOX_POLL_MS) },
    }),
    path.join(tmpDir, `${logName}.log`),
  );
  processes.add(service);
  return service;
}

async function stopProcesses(list: ServiceProcess[]): Promise<void> {
  await Promise.all(list.map((p) => stopService(p, KILL_GRACE_MS)));
  for (const p of list) processes.delete(p);
}

function assertAlive(list: ServiceProcess[]): void {
  for (const p of list) {
    if (!isRunning(p)) {
      throw new Error(
        `${path.basename(p.logFile)} : processus arrêté (code ${p.child.exitCode}, signal ${p.child.signalCode})\n${logTail(p.logFile)}`,
      );
    }
  }
}

/**
 * Starts `count` worker processes and waits until each has its routing consumer registered in
 * Redis; returns when the first and the last one were ready (performance.now() clock).
 */
async function startWorkers(
  count: number,
  phase: string,
): Promise<{ workers: ServiceProcess[]; spawnedAt: number; firstReadyAt: number; allReadyAt: number }> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(ROUTING_QUEUE, { connection: redis, prefix: QUEUE_PREFIX, skipMetasUpdate: true });
  try {
    const spawnedAt = performance.now();
    const workers = Array.from({ length: count }, (_, i) => startProcess(WORKER_ENTRY, `${phase}-worker${i + 1}`));
    let firstReadyAt = 0;
    for (;;) {
      assertAlive(workers);
      const registered = await queue.getWorkersCount();
      if (registered > 0 && !firstReadyAt) firstReadyAt = performance.now();
      if (registered >= count) return { workers, spawnedAt, firstReadyAt, allReadyAt: performance.now() };
      if (performance.now() - spawnedAt > READY_TIMEOUT_MS) {
        throw new Error(
          `${registered}/${count} worker(s) enregistré(s) après ${READY_TIMEOUT_MS / 1000} s\n${workers.map((w) => logTail(w.logFile)).join('\n')}`,
        );
      }
      await sleep(25);
    }
  } finally {
    await queue.close();
    redis.disconnect();
  }
}

// ---------------------------------------------------------------------------------------------
// Database

let db: Client;

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await db.query<{ n: number }>(sql, params);
  return Number(rows[0]?.n ?? 0);
}

interface Reference {
  departments: string[];
  segments: string[];
  networks: Array<{ code: string; departments: string[] }>;
}

async function loadReference(): Promise<Reference> {
  const departments = (await db.query<{ code: string }>(`SELECT code FROM departments ORDER BY code`)).rows.map((r) => r.code);
  const segments = (await db.query<{ code: string }>(`SELECT code FROM segments ORDER BY position, code`)).rows.map((r) => r.code);
  const networks = [];
  for (const { code } of (await db.query<{ code: string }>(`SELECT code FROM networks ORDER BY code`)).rows) {
    const { rows } = await db.query<{ code: string }>(
      `SELECT d.code FROM departments d JOIN regions r ON r.code = d.region_code WHERE r.network_code = $1 ORDER BY d.code`,
      [code],
    );
    networks.push({ code, departments: rows.map((r) => r.code) });
  }
  return { departments, segments, networks };
}

/** Splits `total` in proportion to the weights, at least `min` each (largest remainders). */
function apportion(total: number, weights: number[], min: number): number[] {
  const counts = weights.map(() => min);
  const left = total - min * weights.length;
  const sum = weights.reduce((a, b) => a + b, 0) || 1;
  const exact = weights.map((w) => (left * w) / sum);
  exact.forEach((x, i) => (counts[i] += Math.floor(x)));
  let rest = total - counts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r);
  for (let k = 0; rest > 0; k = (k + 1) % byRemainder.length, rest--) counts[byRemainder[k].i]++;
  return counts;
}

/**
 * Per network: one social-clause coordinator (no départements: the whole network as fallback), then
 * the rest of the 200 in proportion to its départements, half environmental advisers (no
 * départements: the whole network), half social-clause facilitators sharing its départements.
 */
async function seedFacilitators(
  ref: Reference,
  capacity: number,
): Promise<{ environmental: number; socialClause: number; coordinators: number }> {
  const counts = apportion(
    FACILITATORS - ref.networks.length,
    ref.networks.map((n) => n.departments.length),
    2,
  );
  const tally = { environmental: 0, socialClause: 0, coordinators: 0 };
  let n = 0;
  const insert = async (kind: string, networkCode: string, isCoordinator: boolean, departments: string[]) => {
    const id = randomUUID();
    n++;
    const segments = [0, 1, 2].map((k) => ref.segments[(n * 3 + k) % ref.segments.length]);
    await db.query(
      `INSERT INTO facilitators (id, email, first_name, last_name, kind, network_code, is_coordinator, capacity, open_count, active, segments)
       VALUES ($1, $2, 'Banc', $3, $4, $5, $6, $7, 0, true, $8)`,
      [id, `facilitateur.${n}@bench.example.fr`, `Facilitateur ${n}`, kind, networkCode, isCoordinator, capacity, segments],
    );
    if (departments.length) {
      await db.query(`INSERT INTO facilitator_departments (facilitator_id, department_code) SELECT $1, unnest($2::varchar[])`, [
        id,
        departments,
      ]);
    }
  };
  await db.query('BEGIN');
  try {
    for (const [i, network] of ref.networks.entries()) {
      await insert('social_clause', network.code, true, []);
      tally.coordinators++;
      const environmental = Math.ceil(counts[i] / 2);
      const social = counts[i] - environmental;
      for (let k = 0; k < environmental; k++) await insert('environmental', network.code, false, []);
      tally.environmental += environmental;
      for (let k = 0; k < social; k++) {
        const covered = network.departments.filter((_, d) => d % social === k);
        if (!covered.length && network.departments.length) covered.push(network.departments[k % network.departments.length]);
        await insert('social_clause', network.code, false, covered);
      }
      tally.socialClause += social;
    }
    await db.query('COMMIT');
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
  return tally;
}

/** Empties every table a submission or its routing writes, frees every place, empties the queues. */
async function resetWork(capacity: number): Promise<void> {
  await db.query(`TRUNCATE requests, request_events, request_assignments, mail_messages, outbox_events, idempotency_keys CASCADE`);
  await db.query(`UPDATE facilitators SET open_count = 0, last_assigned_at = NULL, capacity = $1`, [capacity]);
  await clearRedisKeys(REDIS_URL, QUEUE_PREFIX);
  fs.rmSync(mailDir, { recursive: true, force: true });
  fs.mkdirSync(mailDir, { recursive: true });
}

interface CapacityCheck {
  /** Facilitators over capacity by either measure. */
  violations: number;
  overOpenCount: number;
  overAssignments: number;
  /** Facilitators whose open_count differs from their current assignments (accounting drift). */
  drift: number;
}

async function checkCapacity(): Promise<CapacityCheck> {
  const { rows } = await db.query<{ violations: number; over_open: number; over_assign: number; drift: number }>(
    `SELECT count(*) FILTER (WHERE f.open_count > f.capacity OR coalesce(a.n, 0) > f.capacity)::int AS violations,
            count(*) FILTER (WHERE f.open_count > f.capacity)::int AS over_open,
            count(*) FILTER (WHERE coalesce(a.n, 0) > f.capacity)::int AS over_assign,
            count(*) FILTER (WHERE f.open_count <> coalesce(a.n, 0))::int AS drift
       FROM facilitators f
       LEFT JOIN (SELECT facilitator_id, count(*) AS n FROM request_assignments WHERE ended_at IS NULL GROUP BY 1) a
              ON a.facilitator_id = f.id`,
  );
  const r = rows[0];
  return { violations: r.violations, overOpenCount: r.over_open, overAssignments: r.over_assign, drift: r.drift };
}

async function statusCounts(): Promise<Record<string, number>> {
  const { rows } = await db.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM requests GROUP BY 1 ORDER BY 1`);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/**
 * The figures depend on what else runs on the machine: says so up front. Each service process
 * holds a pool of up to 20 PostgreSQL connections, the api and two workers about 60 together.
 */
async function noteSharedResources(): Promise<void> {
  const [max, used] = await Promise.all([
    count(`SELECT setting::int AS n FROM pg_settings WHERE name = 'max_connections'`),
    count(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname IS DISTINCT FROM $1`, [BENCH_DB]),
  ]);
  const load = os.loadavg().map((x) => fmt(x, 2));
  console.log(
    `Charge de la machine : ${load.join(' / ')} (1, 5, 15 min) sur ${os.cpus().length} cœurs ; PostgreSQL : ${used} connexion(s) d'autres bases sur ${max}.`,
  );
  if (max - used < 70) console.log(`! moins de 70 connexions PostgreSQL libres : des workers pourraient être refusés au démarrage.`);
}

// ---------------------------------------------------------------------------------------------
// Submissions

let ref: Reference;
// Shared across phases so every body stays distinct.
let bodyCounter = 0;

function nextBody(): string {
  const n = ++bodyCounter;
  return JSON.stringify(
    exampleRequestBody(n, {
      departmentCode: ref.departments[n % ref.departments.length],
      kind: KINDS[n % KINDS.length],
      segment: ref.segments[n % ref.segments.length],
    }),
  );
}

interface Reply {
  status: number;
  text: string;
  ms: number;
}

function post(agent: http.Agent, body: string): Promise<Reply> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      `${BASE_URL}/api/v1/requests`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text, ms: performance.now() - started }));
      },
    );
    req.setTimeout(SUBMIT_TIMEOUT_MS, () => req.destroy(new Error('timeout')));
    req.on('error', (err) => resolve({ status: 0, text: err.message, ms: performance.now() - started }));
    req.end(body);
  });
}

interface SubmitOutcome {
  sent: number;
  created: number;
  seconds: number;
  httpP99: number;
  references: string[];
}

const failureSamples: string[] = [];

function record(status: number, text: string, outcome: SubmitOutcome): void {
  if (status === 201) {
    outcome.created++;
    const reference = (JSON.parse(text) as { reference?: string }).reference;
    if (reference) outcome.references.push(reference);
  } else if (failureSamples.length < 5) {
    failureSamples.push(`POST /api/v1/requests : HTTP ${status} ${text.slice(0, 300).replace(/\s+/g, ' ')}`);
  }
}

function checkCreated(outcome: SubmitOutcome): SubmitOutcome {
  if (outcome.created === 0) throw new Error(`aucune demande créée sur ${outcome.sent}\n${failureSamples.join('\n')}`);
  return outcome;
}

/** `total` distinct submissions, `SUBMIT_CONCURRENCY` in flight, as fast as the api takes them. */
async function submitBatch(total: number): Promise<SubmitOutcome> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: SUBMIT_CONCURRENCY });
  const outcome: SubmitOutcome = { sent: 0, created: 0, seconds: 0, httpP99: 0, references: [] };
  const latencies: number[] = [];
  const started = performance.now();
  const lane = async () => {
    while (outcome.sent < total) {
      outcome.sent++;
      const reply = await post(agent, nextBody());
      latencies.push(reply.ms);
      record(reply.status, reply.text, outcome);
    }
  };
  try {
    await Promise.all(Array.from({ length: SUBMIT_CONCURRENCY }, lane));
  } finally {
    agent.destroy();
  }
  outcome.seconds = (performance.now() - started) / 1000;
  outcome.httpP99 = percentile(latencies, 0.99);
  return checkCreated(outcome);
}

/** Open loop (bench/paced-load.ts): one submission every 1000/rate ms whatever the answers, for `seconds`. */
async function submitSteady(rate: number, seconds: number): Promise<SubmitOutcome> {
  const outcome: SubmitOutcome = { sent: 0, created: 0, seconds: 0, httpP99: 0, references: [] };
  const result = await runPacedLoad({
    baseUrl: BASE_URL,
    method: 'POST',
    path: '/api/v1/requests',
    headers: { 'content-type': 'application/json' },
    body: () => nextBody(),
    ratePerSecond: rate,
    durationSeconds: seconds,
    expectedStatus: 201,
    maxSockets: SUBMIT_CONCURRENCY,
    timeoutMs: SUBMIT_TIMEOUT_MS,
    onAnswer: (status, text) => record(status, text, outcome),
  });
  if (result.errors && failureSamples.length < 5)
    failureSamples.push(`POST /api/v1/requests : ${result.errors} erreurs de connexion ou délais dépassés`);
  return checkCreated({ ...outcome, sent: result.sent, seconds: result.durationSeconds, httpP99: result.latencyMs.p99 });
}

// ---------------------------------------------------------------------------------------------
// Routing runs

interface Drain {
  /** performance.now() when no request was left 'submitted', or when the wait gave up. */
  doneAt: number;
  stuck: number;
}

/** Polls until no request is 'submitted'; gives up after STALL_TIMEOUT_MS without progress. */
async function waitRouted(workers: ServiceProcess[], onlyReferences?: string[]): Promise<Drain> {
  const sql = onlyReferences
    ? `SELECT count(*)::int AS n FROM requests WHERE status = 'submitted' AND reference = ANY($1)`
    : `SELECT count(*)::int AS n FROM requests WHERE status = 'submitted'`;
  const params = onlyReferences ? [onlyReferences] : [];
  let last = Number.POSITIVE_INFINITY;
  let lastProgress = performance.now();
  for (;;) {
    const left = await count(sql, params);
    const now = performance.now();
    if (left === 0) return { doneAt: now, stuck: 0 };
    if (left < last) {
      last = left;
      lastProgress = now;
    } else if (now - lastProgress > STALL_TIMEOUT_MS) {
      return { doneAt: now, stuck: left };
    }
    assertAlive(workers);
    await sleep(POLL_MS);
  }
}

interface ThroughputRun {
  workers: number;
  submit: SubmitOutcome;
  bootSeconds: number;
  routeSeconds: number;
  rate: number;
  rateFromSpawn: number;
  statuses: Record<string, number>;
  stuck: number;
  capacity: CapacityCheck;
  logs: string[];
}

async function throughputRun(workerCount: number, phase: string, batch: number, capacity: number): Promise<ThroughputRun> {
  await resetWork(capacity);
  console.log(`→ ${phase} : dépôt de ${batch} demandes, workers arrêtés…`);
  const submit = await submitBatch(batch);
  const total = await count(`SELECT count(*)::int AS n FROM requests WHERE status = 'submitted'`);
  console.log(`  ${submit.created} créées en ${fmt(submit.seconds, 1)} s ; ${workerCount} worker(s) démarré(s)…`);
  const { workers, spawnedAt, firstReadyAt } = await startWorkers(workerCount, phase);
  const drain = await waitRouted(workers);
  await stopProcesses(workers);
  const routed = total - drain.stuck;
  const routeSeconds = (drain.doneAt - firstReadyAt) / 1000;
  return {
    workers: workerCount,
    submit,
    bootSeconds: (firstReadyAt - spawnedAt) / 1000,
    routeSeconds,
    rate: routed / routeSeconds,
    rateFromSpawn: routed / ((drain.doneAt - spawnedAt) / 1000),
    statuses: await statusCounts(),
    stuck: drain.stuck,
    capacity: await checkCapacity(),
    logs: workers.map((w) => w.logFile),
  };
}

interface LatencyRun {
  submit: SubmitOutcome;
  measured: number;
  p50: number;
  p99: number;
  max: number;
  statuses: Record<string, number>;
  stuck: number;
  capacity: CapacityCheck;
  logs: string[];
}

async function latencyRun(): Promise<LatencyRun> {
  await resetWork(LARGE_CAPACITY);
  console.log(`→ latence : 1 worker démarré, ${STEADY_RATE} demandes/s pendant ${WARMUP_SECONDS} s (chauffe) puis ${STEADY_SECONDS} s…`);
  const { workers } = await startWorkers(1, 'latency');
  await submitSteady(STEADY_RATE, WARMUP_SECONDS);
  const submit = await submitSteady(STEADY_RATE, STEADY_SECONDS);
  const drain = await waitRouted(workers, submit.references);
  // The first 'assigned' event of each measured request; both timestamps come from PostgreSQL's clock.
  const { rows } = await db.query<{ ms: number }>(
    `SELECT extract(epoch FROM (e.created_at - r.created_at)) * 1000 AS ms
       FROM requests r
       JOIN LATERAL (SELECT created_at FROM request_events WHERE request_id = r.id AND type = 'assigned' ORDER BY id LIMIT 1) e ON true
      WHERE r.reference = ANY($1)`,
    [submit.references],
  );
  await stopProcesses(workers);
  const ms = rows.map((r) => Number(r.ms));
  return {
    submit,
    measured: ms.length,
    p50: percentile(ms, 0.5),
    p99: percentile(ms, 0.99),
    max: ms.length ? Math.max(...ms) : 0,
    statuses: await statusCounts(),
    stuck: drain.stuck,
    capacity: await checkCapacity(),
    logs: workers.map((w) => w.logFile),
  };
}

// ---------------------------------------------------------------------------------------------
// Report

const fmt = (n: number, digits = 0) => n.toLocaleString('fr-FR', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const verdict = (met: boolean) => (met ? 'met' : 'not met');
const statusLine = (statuses: Record<string, number>) =>
  Object.entries(statuses)
    .map(([status, n]) => `${status} ${n}`)
    .join(' · ') || 'aucune';
const capacityLine = (c: CapacityCheck) =>
  `dépassements de capacité ${c.violations} (open_count ${c.overOpenCount}, affectations en cours ${c.overAssignments}) · open_count ≠ affectations : ${c.drift}`;

function describeThroughput(label: string, run: ThroughputRun): string[] {
  return [
    label,
    `  dépôt (api seule)   ${fmt(run.submit.created)} / ${fmt(run.submit.sent)} créées en ${fmt(run.submit.seconds, 1)} s (${fmt(run.submit.created / run.submit.seconds)} req/s, p99 HTTP ${fmt(run.submit.httpP99, 1)} ms)`,
    `  démarrage worker    ${fmt(run.bootSeconds, 1)} s (lancement → consommateur de la file routing enregistré)`,
    `  routage             ${fmt(run.routeSeconds, 2)} s → ${fmt(run.rate)} demandes routées/s (${fmt(run.rateFromSpawn)}/s en comptant le démarrage)`,
    `  statuts             ${statusLine(run.statuses)}${run.stuck ? ` — ${run.stuck} BLOQUÉE(S) en 'submitted' après ${STALL_TIMEOUT_MS / 1000} s sans progrès` : ''}`,
    `  ${capacityLine(run.capacity)}`,
  ];
}

function describeLatency(run: LatencyRun): string[] {
  return [
    `Latence dépôt → attribution, 1 api + 1 worker, ${STEADY_RATE} demandes/s pendant ${STEADY_SECONDS} s (après ${WARMUP_SECONDS} s de chauffe)`,
    `  dépôt               ${fmt(run.submit.created)} / ${fmt(run.submit.sent)} créées en ${fmt(run.submit.seconds, 1)} s (p99 HTTP ${fmt(run.submit.httpP99, 1)} ms)`,
    `  attribuées mesurées ${fmt(run.measured)} · p50 ${fmt(run.p50, 1)} ms · p99 ${fmt(run.p99, 1)} ms · max ${fmt(run.max, 1)} ms`,
    `  (requests.created_at → created_at du premier événement 'assigned', horloge PostgreSQL)`,
    `  statuts             ${statusLine(run.statuses)}${run.stuck ? ` — ${run.stuck} BLOQUÉE(S) en 'submitted'` : ''}`,
    `  ${capacityLine(run.capacity)}`,
  ];
}

/** Warnings and errors the service logged (pino JSON, level ≥ 40). */
function logProblems(files: string[]): string[] {
  const lines: string[] = [];
  let total = 0;
  for (const file of files) {
    let text = '';
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      let entry: { level?: number; msg?: string; err?: unknown } | undefined;
      try {
        entry = JSON.parse(line) as { level?: number; msg?: string; err?: unknown };
      } catch {
        entry = undefined;
      }
      if (entry && (entry.level ?? 0) < 40) continue;
      total++;
      if (lines.length < 5) {
        const what = entry ? `${entry.msg ?? ''} ${entry.err ? JSON.stringify(entry.err) : ''}` : line;
        lines.push(`  ${path.basename(file)} : ${what.slice(0, 300)}`);
      }
    }
  }
  return [`Avertissements et erreurs dans les journaux du service : ${total}`, ...lines];
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  for (const entry of [API_ENTRY, WORKER_ENTRY]) {
    if (!fs.existsSync(entry)) throw new Error(`${path.relative(ROOT, entry)} introuvable : lancer « npm run build » d'abord`);
  }
  const started = performance.now();
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-vert-bench-routing-'));
  mailDir = path.join(tmpDir, 'mail');
  fs.mkdirSync(mailDir, { recursive: true });
  console.log(`Répertoire temporaire : ${tmpDir}`);

  await recreateDatabase(PG_ADMIN_URL, BENCH_DB);
  console.log(`Base ${BENCH_DB} recréée.`);
  const deletedKeys = await clearRedisKeys(REDIS_URL, QUEUE_PREFIX);
  console.log(`Redis : ${deletedKeys} clé(s) ${QUEUE_PREFIX}:* supprimée(s).`);

  const api = startProcess(API_ENTRY, 'api');
  const bootMs = await waitUntilReady(api, BASE_URL, READY_TIMEOUT_MS);
  console.log(`Api prête en ${fmt(bootMs / 1000, 1)} s (pid ${api.pid}), journaux : ${tmpDir}`);

  db = new Client({ connectionString: DATABASE_URL });
  db.on('error', (err) => console.error(`connexion PostgreSQL du banc : ${err.message}`));
  await db.connect();
  await noteSharedResources();
  ref = await loadReference();
  const seeded = await seedFacilitators(ref, LARGE_CAPACITY);
  console.log(
    `${FACILITATORS} facilitateurs sur ${ref.networks.length} réseaux : ${seeded.environmental} environnementaux, ` +
      `${seeded.socialClause} clauses sociales, ${seeded.coordinators} coordinateurs ; ` +
      `${ref.departments.length} départements, ${ref.segments.length} segments.`,
  );

  const one = await throughputRun(1, 'one-worker', BATCH, LARGE_CAPACITY);
  console.log(describeThroughput(`1 worker, ${fmt(BATCH)} demandes (capacité ${LARGE_CAPACITY})`, one).join('\n'));
  const two = await throughputRun(2, 'two-workers', BATCH, LARGE_CAPACITY);
  console.log(describeThroughput(`2 workers, ${fmt(BATCH)} demandes (capacité ${LARGE_CAPACITY})`, two).join('\n'));
  const latency = await latencyRun();
  console.log(describeLatency(latency).join('\n'));
  console.log(`→ concurrence : capacité ${CONTENTION_CAPACITY} par facilitateur, ${CONTENTION_BATCH} demandes, 2 workers…`);
  const contention = await throughputRun(2, 'contention', CONTENTION_BATCH, CONTENTION_CAPACITY);
  console.log(
    [
      ...describeThroughput(
        `Concurrence : 2 workers, ${fmt(CONTENTION_BATCH)} demandes, capacité ${CONTENTION_CAPACITY} par facilitateur`,
        contention,
      ),
      `  places : ${FACILITATORS * CONTENTION_CAPACITY} au total ; attribuées ${contention.statuses.assigned ?? 0}, en réserve ${contention.statuses.unassigned ?? 0}`,
    ].join('\n'),
  );

  const apiAlive = isRunning(api);
  await stopProcesses([api]);
  await db.end();
  fs.rmSync(mailDir, { recursive: true, force: true });

  const violations = [one, two, latency, contention].reduce((sum, run) => sum + run.capacity.violations, 0);
  const oneMet = one.stuck === 0 && one.rate >= TARGET_ONE_WORKER_RATE;
  const latencyComplete = latency.stuck === 0 && latency.measured === latency.submit.created;
  const p99Met = latencyComplete && latency.p99 < TARGET_P99_MS;

  const lines: string[] = [''];
  lines.push(...logProblems([api.logFile, ...[one, two, latency, contention].flatMap((run) => run.logs)]));
  if (!apiAlive) lines.push('! l’api s’est arrêtée pendant le banc (voir son journal)');
  if (failureSamples.length) lines.push('Exemples de dépôts refusés :', ...failureSamples.map((s) => `  ${s}`));
  lines.push(
    `Durée totale du banc : ${fmt((performance.now() - started) / 1000, 1)} s ; journaux : ${tmpDir}`,
    '',
    `target ≥ ${TARGET_ONE_WORKER_RATE} assignments/s with one worker: ${verdict(oneMet)}`,
    `target p99 < ${TARGET_P99_MS} ms at ${STEADY_RATE} req/s: ${verdict(p99Met)}`,
    `target zero capacity violations: ${verdict(violations === 0)}`,
    `one worker: ${Math.round(one.rate)} assignments/s`,
    `two workers: ${Math.round(two.rate)} assignments/s`,
    `submitted→assigned p50: ${Math.round(latency.p50)} ms, p99: ${Math.round(latency.p99)} ms`,
    `capacity violations: ${violations}`,
  );
  console.log(lines.join('\n'));
}

// Never leave an orphan process behind, whatever ends this one.
process.on('exit', () => {
  for (const p of processes) if (isRunning(p)) p.child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void stopProcesses([...processes]).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}

main()
  .then(() => process.exit(0))
  .catch(async (err: unknown) => {
    console.error(`Banc interrompu : ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    await stopProcesses([...processes]).catch(() => undefined);
    process.exit(1);
  });
