/**
 * What every benchmark needs: its own database and queue prefix wiped, the service started as
 * child processes with the node flags of `npm start`, waited for, and stopped whatever happens.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import Redis from 'ioredis';
import { Client } from 'pg';

/** The repository root (this file runs from dist/bench/). */
export const ROOT = path.resolve(__dirname, '..', '..');

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Nearest-rank percentile, q from 0 to 1; 0 when there is no value. */
export function percentile(values: ArrayLike<number>, q: number): number {
  if (!values.length) return 0;
  const sorted = Array.from(values).sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Runs one stage of a bench and prints how long it took. */
export async function step<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  console.log(`  ${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

/** The node flags of `npm start` (heap limit…), so the bench measures the service as users run it. */
export function startScriptNodeFlags(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  return pkg.scripts.start.split(/\s+/).filter((word) => word.startsWith('--'));
}

// ---------------------------------------------------------------------------------------------
// Environment reset

export async function recreateDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${database}`);
  } finally {
    await client.end();
  }
}

/** Deletes every `prefix:*` key; returns how many there were. */
export async function clearRedisKeys(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
  return deleted;
}

// ---------------------------------------------------------------------------------------------
// Service processes

/**
 * The environment every benchmarked process runs with: its own database, queue prefix and mail
 * folder, no rate limit, quiet logs; never real mail nor skipped migrations, whatever the shell says.
 */
export function benchServiceEnv(settings: {
  port: number;
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  mailDir: string;
  appSecret: string;
  extra?: Record<string, string>;
}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PORT: String(settings.port),
    DATABASE_URL: settings.databaseUrl,
    REDIS_URL: settings.redisUrl,
    QUEUE_PREFIX: settings.queuePrefix,
    INTAKE_RATE_LIMIT: '100000000',
    LOG_LEVEL: 'warn',
    MAIL_DIR: settings.mailDir,
    NODE_ENV: 'production',
    PUBLIC_URL: `http://127.0.0.1:${settings.port}`,
    APP_SECRET: settings.appSecret,
    SMTP_URL: '',
    RUN_MIGRATIONS: 'true',
    // Production requires them; the bench shows no privacy or legal notice to anyone.
    OPERATOR_NAME: 'Banc d’essai',
    OPERATOR_ADDRESS: 'sans adresse',
    DPO_CONTACT: 'dpo@bench.localhost',
    HOSTING_PROVIDER: 'cette machine',
    PUBLICATION_DIRECTOR: 'personne',
    ...settings.extra,
  };
}

export interface ServiceProcess {
  child: ChildProcess;
  pid: number;
  logFile: string;
  exited: Promise<void>;
}

/**
 * Starts `node <npm start flags> <entry>` with this environment, stdout and stderr appended to logFile.
 * BENCH_NODE_FLAGS adds flags node refuses in NODE_OPTIONS, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile a run.
 */
export function spawnService(label: string, entry: string, env: NodeJS.ProcessEnv, logFile: string): ServiceProcess {
  const logFd = fs.openSync(logFile, 'a');
  const profiling = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...startScriptNodeFlags(), ...profiling, entry], {
    cwd: ROOT,
    env,
    stdio: ['ignore', logFd, logFd],
  });
  fs.closeSync(logFd);

  if (child.pid === undefined) throw new Error(`impossible de lancer ${entry}`);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  child.once('error', (err) => console.error(`${label} process error: ${err.message}`));
  return { child, pid: child.pid, logFile, exited };
}

export function isRunning(s: ServiceProcess): boolean {
  return s.child.exitCode === null && s.child.signalCode === null;
}

/** SIGTERM, then SIGKILL if the process has not exited after graceMs. */
export async function stopService(s: ServiceProcess | undefined, graceMs: number): Promise<void> {
  if (!s || !isRunning(s)) return;
  s.child.kill('SIGTERM');
  const graceful = await Promise.race([s.exited.then(() => true), sleep(graceMs).then(() => false)]);
  if (!graceful && isRunning(s)) {
    s.child.kill('SIGKILL');
    await s.exited;
  }
}

export function logTail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(journal illisible)';
  }
}

export function httpGetStatus(url: string, timeoutMs = 2000): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** Polls `<baseUrl>/health/ready` until 200; returns the wait in ms, throws with the log tail otherwise. */
export async function waitUntilReady(s: ServiceProcess, baseUrl: string, timeoutMs: number): Promise<number> {
  const started = Date.now();
  let lastStatus = 'no answer';
  while (Date.now() - started < timeoutMs) {
    if (!isRunning(s)) {
      throw new Error(
        `le serveur s'est arrêté au démarrage (code ${s.child.exitCode}, signal ${s.child.signalCode})\n` + logTail(s.logFile),
      );
    }
    try {
      const status = await httpGetStatus(`${baseUrl}/health/ready`);
      if (status === 200) return Date.now() - started;
      lastStatus = `HTTP ${status}`;
    } catch (err) {
      lastStatus = (err as Error).message;
    }
    await sleep(250);
  }
  throw new Error(`/health/ready pas prêt après ${timeoutMs / 1000} s (dernier: ${lastStatus})\n${logTail(s.logFile)}`);
}

// ---------------------------------------------------------------------------------------------
// Seeding

/**
 * Lookup tables for set-based seeding, numbered from 0 so that a random draw is a join on an integer:
 * bench_departments (i, code, network_code) and bench_segments (i, code); returns how many rows each has.
 */
export async function createDrawTables(
  rowsOf: (sql: string) => Promise<Array<Record<string, number>>>,
): Promise<{ departments: number; segments: number }> {
  await rowsOf(`CREATE UNLOGGED TABLE bench_departments AS
    SELECT row_number() OVER (ORDER BY d.code) - 1 AS i, d.code, r.network_code
      FROM departments d JOIN regions r ON r.code = d.region_code`);
  await rowsOf(`CREATE UNLOGGED TABLE bench_segments AS SELECT row_number() OVER (ORDER BY position, code) - 1 AS i, code FROM segments`);
  const [counts] = await rowsOf(
    `SELECT (SELECT count(*) FROM bench_departments)::int AS departments, (SELECT count(*) FROM bench_segments)::int AS segments`,
  );
  return { departments: counts.departments, segments: counts.segments };
}
