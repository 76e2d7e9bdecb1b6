import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { Client } from 'pg';
import pino from 'pino';
import { migrateAndSeed } from '../../src/database/migrate-and-seed';
import { loadConfig } from '../../src/config/app-config';
import { DATABASE_CONNECT_TIMEOUT_MS } from '../../src/database/data-source-options';
import { waitFor } from '../support/test-app';
import { testEnv, testServerUrl } from '../support/test-env';

const ROOT = join(__dirname, '..', '..');

/** A port nothing listens on: one the system just gave, closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** What `npm run migration:run` / `migration:revert` run: the built CLI's `migrate` / `migrate:revert`. */
const migration = (command: string, env: Record<string, string>) =>
  promisify(execFile)(
    'node',
    [join(ROOT, 'dist', 'src', 'cli', 'main.js'), command],
    // Killed past the time a connection may take, rather than left waiting on a silent server.
    { cwd: ROOT, env: { PATH: process.env.PATH!, NODE_ENV: 'development', ...env }, timeout: DATABASE_CONNECT_TIMEOUT_MS + 20_000 },
  ).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

/** The messages of JSON log lines. */
const messages = (lines: string) =>
  lines
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { msg: string }).msg);

describe('the migration commands, PostgreSQL out of reach', () => {
  it.each(['migrate', 'migrate:revert'])('%s stops with one French line naming host and port, no password, no stack', async (command) => {
    const port = await closedPort();
    const { code, stdout, stderr } = await migration(command, { DATABASE_URL: `postgres://gv:motdepasse@127.0.0.1:${port}/gv` });
    expect(code).toBe(1);
    expect(stderr).toBe(
      `${command} impossible : PostgreSQL ne répond pas sur 127.0.0.1:${port} : vérifiez que le serveur est démarré, et l’hôte et le port de DATABASE_URL (DATABASE_URL : postgres://gv:***@127.0.0.1:${port}/gv)\n`,
    );
    expect(stdout).toBe('');
  });

  it('a server that never answers (a host dropping packets): migrate and the start both say so within seconds', async () => {
    // It accepts the connection and says nothing: without a time limit, pg would wait for it forever.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const url = `postgres://gv:motdepasse@127.0.0.1:${port}/gv`;
    const said = `PostgreSQL ne répond pas à temps sur 127.0.0.1:${port} : vérifiez le réseau, un pare-feu, et l’hôte et le port de DATABASE_URL (DATABASE_URL : postgres://gv:***@127.0.0.1:${port}/gv)`;
    const started = Date.now();
    try {
      const [migrated, start] = await Promise.all([
        migration('migrate', { DATABASE_URL: url }),
        promisify(execFile)('node', [join(ROOT, 'dist', 'src', 'main.js')], {
          env: { PATH: process.env.PATH!, NODE_ENV: 'development', PORT: '3195', DATABASE_URL: url },
          timeout: DATABASE_CONNECT_TIMEOUT_MS + 10_000,
        }).then(
          () => ({ code: 0, stdout: '' }),
          (error: { code: number; stdout: string }) => error,
        ),
      ]);
      expect(Date.now() - started).toBeLessThan(DATABASE_CONNECT_TIMEOUT_MS + 5_000);
      expect([migrated.code, migrated.stderr]).toEqual([1, `migrate impossible : ${said}\n`]);
      expect(start.code).toBe(1);
      expect(start.stdout.split('\n').find((line) => line.includes('démarrage impossible'))).toContain(
        `"msg":"démarrage impossible : ${said}"`,
      );
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  }, 40_000);
});

/** A database of its own, empty at first: the run's shared one must stay migrated for the other tests. */
const DATABASE = `guichet_vert_migration_lock_${process.env.GV_TEST_RUN ?? 'local'}`;

async function admin<T>(sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: testServerUrl('postgres') });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows as T[];
  } finally {
    await client.end();
  }
}

async function appliedMigrations(): Promise<string[]> {
  const client = new Client({ connectionString: testServerUrl(DATABASE) });
  await client.connect();
  try {
    return (await client.query<{ name: string }>('SELECT name FROM migrations ORDER BY id')).rows.map((row) => row.name);
  } finally {
    await client.end();
  }
}

describe('the migration commands and a booting instance', () => {
  const env = { ...testEnv(), DATABASE_URL: testServerUrl(DATABASE), LOG_LEVEL: 'info' };

  beforeAll(async () => {
    await admin(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await admin(`CREATE DATABASE ${DATABASE}`);
  });
  afterAll(() => admin(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`));

  it('migrate while an instance boots: both succeed, each migration applied once, and each says what it did', async () => {
    const cli = migration('migrate', env);
    // The instance boots once the command has reached the database, as when an operator's migration meets a restart.
    await waitFor(
      async () => (await admin('SELECT 1 FROM pg_stat_activity WHERE datname = $1', [DATABASE])).length > 0,
      15_000,
      'la commande migrate connectée',
    );
    let bootLogs = '';
    const sink = new Writable({
      write(chunk, _encoding, callback) {
        bootLogs += String(chunk);
        callback();
      },
    });
    const boot = migrateAndSeed(loadConfig(env), pino({ level: 'info' }, sink));

    const [migrated] = await Promise.all([cli, boot]);
    expect([migrated.code, migrated.stderr]).toEqual([0, '']);
    const applied = await appliedMigrations();
    expect(applied.length).toBe(readdirSync(join(ROOT, 'migrations')).filter((file) => file.endsWith('.ts')).length);
    expect(new Set(applied).size).toBe(applied.length);
    // Whichever took the lock first applied them all; the other found nothing left.
    expect([...messages(migrated.stdout), ...messages(bootLogs)].sort()).toEqual(
      ['aucune migration en attente', `migrations appliquées : ${applied.join(', ')}`].sort(),
    );
  }, 90_000);

  it('migrate:revert undoes the latest migration and names it; migrate applies it again', async () => {
    const applied = await appliedMigrations();
    const latest = applied[applied.length - 1];

    const reverted = await migration('migrate:revert', env);
    expect([reverted.code, messages(reverted.stdout)]).toEqual([0, [`migration annulée : ${latest}`]]);
    expect(await appliedMigrations()).toEqual(applied.slice(0, -1));

    const migrated = await migration('migrate', env);
    expect([migrated.code, messages(migrated.stdout)]).toEqual([0, [`migrations appliquées : ${latest}`]]);
    expect(await appliedMigrations()).toEqual(applied);
  }, 60_000);
});
