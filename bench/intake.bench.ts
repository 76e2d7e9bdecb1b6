/**
 * Intake benchmark: boots the all-in-one service on its own database and queue prefix, loads it from
 * this (separate) process, and prints the figures: autocannon for the full-speed phases, an open-loop
 * paced load (bench/paced-load.ts) for the steady 200 req/s, which autocannon cannot produce; for
 * each phase, where the CPU went (bench/cpu-account.ts), hypervisor steal included.
 *
 *   npm run bench:intake
 *
 * Exits 0 whenever the run completes, even if a target is missed; exits 1 if the run itself fails.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { exampleRequestBody } from '../src/modules/intake/dto/create-request.example';
import { CpuAccount, CpuReport, describeCpu } from './cpu-account';
import { PacedLoadResult, runPacedLoad } from './paced-load';
import {
  benchServiceEnv,
  clearRedisKeys,
  isRunning,
  recreateDatabase,
  ROOT,
  ServiceProcess,
  sleep,
  spawnService,
  stopService,
  waitUntilReady,
} from './bench-support';

const SERVER_ENTRY = path.join(ROOT, 'dist', 'src', 'all-in-one.js');

const PORT = 3999;
const BASE_URL = `http://127.0.0.1:${PORT}`;
const PG_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const BENCH_DB = 'guichet_vert_bench';
const DATABASE_URL = `postgres://postgres@127.0.0.1:5432/${BENCH_DB}`;
const QUIET_TIMEOUT_MS = 300_000;
const REDIS_URL = 'redis://127.0.0.1:6379';
const QUEUE_PREFIX = 'gvbench';

const READY_TIMEOUT_MS = 60_000;
const KILL_GRACE_MS = 10_000;
const RSS_SAMPLE_MS = 250;

// Long enough for V8 to finish optimising the submission path: after 3 s its compiler still took a
// sixth of the process's CPU samples during the measured phase.
const WARMUP_SECONDS = 10;
const RUN_SECONDS = 20;
const MAX_CONNECTIONS = 50;
const STEADY_RATE = 200;
const STEADY_MAX_SOCKETS = 50;
const STEADY_TIMEOUT_MS = 10_000;
const BURST_CONNECTIONS = 20;

const TARGET_SHARE_PCT = 25;
const TARGET_P99_MS = 50;
const TARGET_RSS_MB = 300;

const DEPARTMENT_CODES = ['38', '69', '75', '13', '2A', '971', '59', '33'];
const SEGMENTS = ['office_supplies', 'furniture', 'catering', 'it_equipment', 'cleaning'];
const JSON_HEADERS = { 'content-type': 'application/json' };

/** The intake API contract; `n` keeps every body distinct so no dedup or idempotency path is hit. */
function makeBody(n: number): Record<string, unknown> {
  return exampleRequestBody(n, {
    departmentCode: DEPARTMENT_CODES[n % DEPARTMENT_CODES.length],
    segment: SEGMENTS[n % SEGMENTS.length],
    internalReferentConsulted: false,
  });
}

// Shared across runs so bodies stay distinct from warm-up to the last run.
let bodyCounter = 0;

// ---------------------------------------------------------------------------------------------
// Server process

let server: ServiceProcess | undefined;

function startServer(tmpDir: string): ServiceProcess {
  const mailDir = path.join(tmpDir, 'mail');
  fs.mkdirSync(mailDir, { recursive: true });
  return spawnService(
    'server',
    SERVER_ENTRY,
    benchServiceEnv({
      port: PORT,
      databaseUrl: DATABASE_URL,
      redisUrl: REDIS_URL,
      queuePrefix: QUEUE_PREFIX,
      mailDir,
      appSecret: randomBytes(24).toString('hex'),
    }),
    path.join(tmpDir, 'server.log'),
  );
}

async function stopServer(): Promise<void> {
  await stopService(server, KILL_GRACE_MS);
}

// ---------------------------------------------------------------------------------------------
// Memory sampling

function readStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined; // process gone or /proc unavailable
  }
}

class RssSampler {
  peakBytes = 0;
  samples = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly pid: number) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), RSS_SAMPLE_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.sample();
  }

  private sample(): void {
    const rss = readStatusKb(this.pid, 'VmRSS');
    if (rss === undefined) return;
    this.samples++;
    if (rss > this.peakBytes) this.peakBytes = rss;
  }
}

// ---------------------------------------------------------------------------------------------
// Load runs

interface RunOutcome {
  label: string;
  result: autocannon.Result;
  expectedStatus: number;
  cpu?: CpuReport;
  /** 2xx answers with another status than expected (e.g. 200 instead of 201). */
  unexpected2xx: number;
}

const samplesOfFailures: string[] = [];

function recordFailure(label: string, status: number, body: string, expected: number): void {
  if (status === expected || samplesOfFailures.length >= 5) return;
  samplesOfFailures.push(`${label}: HTTP ${status} ${body.slice(0, 300).replace(/\s+/g, ' ')}`);
}

function intakeRequests(label: string): autocannon.Request[] {
  return [
    {
      method: 'POST',
      path: '/api/v1/requests',
      setupRequest: (req) => ({ ...req, body: JSON.stringify(makeBody(bodyCounter++)) }),
      onResponse: (status, body) => recordFailure(label, status, body, 201),
    },
  ];
}

function countOther2xx(result: autocannon.Result, expected: number): number {
  let count = 0;
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) {
    const n = Number(code);
    if (n >= 200 && n < 300 && n !== expected) count += stat.count ?? 0;
  }
  return count;
}

async function runLoad(label: string, expectedStatus: number, options: Omit<autocannon.Options, 'url'>): Promise<RunOutcome> {
  console.log(`→ ${label}…`);
  const cpu = server && new CpuAccount(server.pid);
  cpu?.begin();
  const result = await autocannon({ url: BASE_URL, ...options });
  return { label, result, expectedStatus, unexpected2xx: countOther2xx(result, expectedStatus), cpu: cpu?.end() };
}

async function probeIntake(): Promise<void> {
  // One request up front so a contract mismatch shows its reason before 20 s of identical failures.
  const body = JSON.stringify(makeBody(bodyCounter++));
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = http.request(
      `${BASE_URL}/api/v1/requests`,
      { method: 'POST', headers: { ...JSON_HEADERS, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (data += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: data }));
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
  if (status !== 201) {
    console.log(`! sonde POST /api/v1/requests : HTTP ${status} (201 attendu) ${text.slice(0, 500)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Report

const mb = (bytes: number) => bytes / 1048576;
const fmt = (n: number, digits = 0) => n.toLocaleString('fr-FR', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function describe(run: RunOutcome): string[] {
  const r = run.result;
  return [
    `${run.label}`,
    `  req/s moyen        ${fmt(r.requests.average, 1)}  (total ${fmt(r.requests.total)} en ${fmt(r.duration, 1)} s)`,
    `  latence p50 / p99  ${fmt(r.latency.p50, 1)} ms / ${fmt(r.latency.p99, 1)} ms  (max ${fmt(r.latency.max, 1)} ms)`,
    `  non-2xx ${r.non2xx} · autres 2xx que ${run.expectedStatus} : ${run.unexpected2xx} · erreurs ${r.errors} · timeouts ${r.timeouts}`,
    ...describeCpu(run.cpu, r.requests.total),
  ];
}

function pacedFailures(run: PacedLoadResult): number {
  return run.errors + Object.values(run.otherStatuses).reduce((sum, n) => sum + n, 0);
}

function describePaced(run: PacedLoadResult, cpu: CpuReport | undefined): string[] {
  const l = run.latencyMs;
  const others = Object.entries(run.otherStatuses).map(([status, n]) => `${n} × ${status}`);
  return [
    `POST /api/v1/requests à ${STEADY_RATE} req/s réguliers (charge ouverte, latence comptée depuis l’heure prévue d’envoi)`,
    `  envoyées ${fmt(run.sent)} en ${fmt(run.durationSeconds, 1)} s · retard max du générateur ${fmt(run.maxSendLagMs, 1)} ms`,
    `  latence p50 / p90 / p99  ${fmt(l.p50, 1)} / ${fmt(l.p90, 1)} / ${fmt(l.p99, 1)} ms  (max ${fmt(l.max, 1)} ms)`,
    `  201 : ${fmt(run.ok)} · autres statuts : ${others.length > 0 ? others.join(', ') : 0} · erreurs et timeouts ${run.errors}`,
    ...describeCpu(cpu, run.sent),
  ];
}

function verdict(met: boolean): string {
  return met ? 'met' : 'not met';
}

// ---------------------------------------------------------------------------------------------

/**
 * Each phase starts on a quiet service: the work a full-speed phase leaves behind (routing, e-mails)
 * would otherwise run during the next one and measure the backlog instead of the endpoint.
 */
async function waitForQuiet(): Promise<void> {
  const client = new Client({ connectionString: DATABASE_URL });
  await client.connect();
  const started = Date.now();
  try {
    for (;;) {
      const { rows } = await client.query<{ busy: number }>(
        `SELECT (SELECT count(*) FROM outbox_events WHERE published_at IS NULL)
              + (SELECT count(*) FROM requests WHERE status = 'submitted')
              + (SELECT count(*) FROM mail_messages WHERE status <> 'sent') AS busy`,
      );
      if (Number(rows[0].busy) === 0 || Date.now() - started > QUIET_TIMEOUT_MS) break;
      await sleep(500);
    }
  } finally {
    await client.end();
  }
  console.log(`  (travail en attente écoulé en ${fmt((Date.now() - started) / 1000, 1)} s avant la phase suivante)`);
}

async function main(): Promise<void> {
  if (!fs.existsSync(SERVER_ENTRY)) {
    throw new Error(`${path.relative(ROOT, SERVER_ENTRY)} introuvable : lancer « npm run build » d'abord`);
  }

  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-vert-bench-'));
  console.log(`Répertoire temporaire : ${tmpDir}`);

  await recreateDatabase(PG_ADMIN_URL, BENCH_DB);
  console.log(`Base ${BENCH_DB} recréée.`);
  const deletedKeys = await clearRedisKeys(REDIS_URL, QUEUE_PREFIX);
  console.log(`Redis : ${deletedKeys} clé(s) ${QUEUE_PREFIX}:* supprimée(s).`);

  server = startServer(tmpDir);
  console.log(`Serveur lancé (pid ${server.pid}), journal : ${server.logFile}`);
  const sampler = new RssSampler(server.pid);
  sampler.start();

  const bootMs = await waitUntilReady(server, BASE_URL, READY_TIMEOUT_MS);
  console.log(`Prêt en ${fmt(bootMs / 1000, 1)} s.`);

  await probeIntake();

  await runLoad(`warm-up (${WARMUP_SECONDS} s, non compté)`, 201, {
    connections: MAX_CONNECTIONS,
    duration: WARMUP_SECONDS,
    headers: JSON_HEADERS,
    requests: intakeRequests('warm-up'),
  });
  samplesOfFailures.length = 0;

  const intakeMax = await runLoad(`POST /api/v1/requests, débit max (${MAX_CONNECTIONS} connexions, ${RUN_SECONDS} s)`, 201, {
    connections: MAX_CONNECTIONS,
    duration: RUN_SECONDS,
    headers: JSON_HEADERS,
    requests: intakeRequests('intake max'),
  });

  await waitForQuiet();
  const healthMax = await runLoad(`GET /health/live, débit max (${MAX_CONNECTIONS} connexions, ${RUN_SECONDS} s)`, 200, {
    connections: MAX_CONNECTIONS,
    duration: RUN_SECONDS,
    requests: [
      {
        method: 'GET',
        path: '/health/live',
        onResponse: (status, body) => recordFailure('health', status, body, 200),
      },
    ],
  });

  await waitForQuiet();
  console.log(`→ POST /api/v1/requests à ${STEADY_RATE} req/s réguliers (une toutes les ${1000 / STEADY_RATE} ms, ${RUN_SECONDS} s)…`);
  const steadyCpu = new CpuAccount(server.pid);
  steadyCpu.begin();
  const intakeSteady = await runPacedLoad({
    baseUrl: BASE_URL,
    method: 'POST',
    path: '/api/v1/requests',
    headers: JSON_HEADERS,
    body: () => JSON.stringify(makeBody(bodyCounter++)),
    ratePerSecond: STEADY_RATE,
    durationSeconds: RUN_SECONDS,
    expectedStatus: 201,
    maxSockets: STEADY_MAX_SOCKETS,
    timeoutMs: STEADY_TIMEOUT_MS,
    onAnswer: (status, body) => recordFailure('intake 200/s', status, body, 201),
  });
  const intakeSteadyCpu = steadyCpu.end();

  // For comparison with earlier figures: autocannon's overallRate, i.e. each connection's share of
  // the second sent back to back at the start of each second. Its coordinated-omission correction is
  // turned off: it assumes one request per ms here (Math.ceil(1 / rate)) and would invent samples.
  await waitForQuiet();
  const intakeBursts = await runLoad(
    `POST /api/v1/requests, ${STEADY_RATE} par seconde en rafales autocannon (${BURST_CONNECTIONS} connexions, ${RUN_SECONDS} s)`,
    201,
    {
      connections: BURST_CONNECTIONS,
      overallRate: STEADY_RATE,
      ignoreCoordinatedOmission: true,
      duration: RUN_SECONDS,
      headers: JSON_HEADERS,
      requests: intakeRequests('intake rafales'),
    },
  );

  sampler.stop();
  const serverAlive = isRunning(server);
  const hwmBytes = readStatusKb(server.pid, 'VmHWM') ?? 0;
  await stopServer();
  const serverLog = server.logFile;
  server = undefined;

  const runs = [intakeMax, healthMax, intakeBursts];
  // autocannon's `errors` already includes timeouts: adding them again would double-count.
  const failures =
    runs.reduce((sum, run) => sum + run.result.non2xx + run.unexpected2xx + run.result.errors, 0) + pacedFailures(intakeSteady);
  const totalRequests = runs.reduce((sum, run) => sum + run.result.requests.total, 0) + intakeSteady.sent;
  const peakBytes = Math.max(sampler.peakBytes, hwmBytes);
  const share = (intakeMax.result.requests.average / healthMax.result.requests.average) * 100;
  const p99 = intakeSteady.latencyMs.p99;

  const lines: string[] = ['', '=== Guichet vert — banc de dépôt (intake) ==='];
  lines.push(...describe(intakeMax), ...describe(healthMax), ...describePaced(intakeSteady, intakeSteadyCpu), ...describe(intakeBursts));
  lines.push(
    `Total des requêtes comptées : ${fmt(totalRequests)} ; échecs (non-2xx + autres 2xx + erreurs dont timeouts) : ${failures}`,
    `RSS serveur : pic échantillonné ${fmt(mb(sampler.peakBytes), 1)} Mo (${sampler.samples} mesures / ${RSS_SAMPLE_MS} ms), VmHWM ${fmt(mb(hwmBytes), 1)} Mo`,
    `Demandes créées : ${bodyCounter} corps distincts envoyés (sonde et warm-up compris)`,
    `Journal serveur : ${serverLog}`,
  );
  if (!serverAlive) lines.push('! le serveur s’est arrêté pendant la mesure (voir le journal)');
  if (samplesOfFailures.length > 0) {
    lines.push('Exemples de réponses inattendues :', ...samplesOfFailures.map((s) => `  ${s}`));
  }
  lines.push(
    '',
    `target intake ≥ ${TARGET_SHARE_PCT} % of health: ${verdict(share >= TARGET_SHARE_PCT)}`,
    `target p99 < ${TARGET_P99_MS} ms at ${STEADY_RATE}/s: ${verdict(p99 < TARGET_P99_MS)}`,
    `target zero errors: ${verdict(failures === 0 && serverAlive)}`,
    `target peak RSS < ${TARGET_RSS_MB} MB: ${verdict(mb(peakBytes) < TARGET_RSS_MB)}`,
    '',
    `intake p99 at ${STEADY_RATE}/s: ${(Math.round(p99 * 10) / 10).toString()} ms`,
    `server peak RSS: ${Math.round(mb(peakBytes))} MB`,
    `intake share of health: ${Number.isFinite(share) ? Math.round(share) : 0} %`,
  );
  console.log(lines.join('\n'));
}

// Never leave an orphan server behind, whatever ends this process.
process.on('exit', () => {
  if (server && isRunning(server)) server.child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void stopServer().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}

main()
  .then(() => process.exit(0))
  .catch(async (err: unknown) => {
    console.error(`Banc interrompu : ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    await stopServer().catch(() => undefined);
    process.exit(1);
  });
