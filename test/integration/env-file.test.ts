import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { OPERATOR_ENV } from '../support/production-env';
import { freePort } from '../support/test-app';

const DIST = join(__dirname, '..', '..', 'dist', 'src');
const CLI = join(DIST, 'cli', 'main.js');

/** `.env.example` says to copy it to `.env`: the built command reads that file from its working directory. */
describe('a .env file in the working directory', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gv-env-'));
    await writeFile(join(dir, '.env'), 'PORT=pas-un-port\nINTAKE_RATE_LIMIT=-1\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** Runs a command that reads the configuration first, outside tests (which never read .env). */
  const run = (env: Record<string, string>) =>
    promisify(execFile)('node', [CLI, 'mail:undelivered'], {
      cwd: dir,
      env: { PATH: process.env.PATH!, NODE_ENV: 'development', DATABASE_URL: process.env.DATABASE_URL!, ...env },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );

  it('is read at start, and what the environment sets wins over it', async () => {
    const fromFile = await run({});
    expect(fromFile.code).toBe(78);
    expect(fromFile.stderr).toContain('PORT : attendu');
    expect(fromFile.stderr).toContain('INTAKE_RATE_LIMIT : attendu');
    const overridden = await run({ PORT: '3000' });
    expect(overridden.code).toBe(78);
    expect(overridden.stderr).not.toContain('PORT');
    expect(overridden.stderr).toContain('INTAKE_RATE_LIMIT : attendu');
  });
});

describe('a PostgreSQL that refuses the connection at start, or does not answer', () => {
  // The same line as `npm run migration:run` (connection-failure.policy), its password masked, without pg's words or a stack.
  it.each([
    [
      'a user it refuses',
      async () => 5432,
      'PostgreSQL sur 127.0.0.1:5432 refuse l’utilisateur « personne » : vérifiez l’utilisateur de DATABASE_URL et les accès du serveur (pg_hba.conf)',
    ],
    [
      'a port nothing listens on',
      freePort,
      'PostgreSQL ne répond pas sur 127.0.0.1:PORT : vérifiez que le serveur est démarré, et l’hôte et le port de DATABASE_URL',
    ],
  ])('%s: stops the service with one line saying what to check, as the migration commands do', async (_label, port, said) => {
    const at = await port();
    const failed = await promisify(execFile)('node', [join(DIST, 'main.js')], {
      env: {
        PATH: process.env.PATH!,
        NODE_ENV: 'development',
        PORT: '3197',
        DATABASE_URL: `postgres://personne:motdepasse@127.0.0.1:${at}/x`,
      },
    }).then(
      () => null,
      (error: { code: number; stdout: string }) => error,
    );
    expect(failed?.code).toBe(1);
    const line = JSON.parse(failed!.stdout.split('\n').find((l) => l.includes('démarrage impossible'))!);
    expect(line.msg).toBe(
      `démarrage impossible : ${said.replace('PORT', String(at))} (DATABASE_URL : postgres://personne:***@127.0.0.1:${at}/x)`,
    );
    expect(line).not.toHaveProperty('err');
    expect(failed!.stdout).not.toContain('motdepasse');
  });
});

describe('a variable that reads like one of the service’s, mistyped', () => {
  it('is named at start with the one meant, never with its value (the service then stops here on its refused database)', async () => {
    const failed = await promisify(execFile)('node', [join(DIST, 'main.js')], {
      env: {
        PATH: process.env.PATH!,
        NODE_ENV: 'development',
        PORT: '3196',
        DATABASE_URL: 'postgres://personne@127.0.0.1:5432/x',
        DATABSE_URL: 'postgres://admin:motdepasse@db/guichet',
        smtp_url: 'smtp://relais',
      },
    }).then(
      () => null,
      (error: { stdout: string }) => error,
    );
    const warnings = failed!.stdout
      .split('\n')
      .filter((line) => line.includes('inconnue'))
      .map((line) => JSON.parse(line) as { level: number; key: string; meant: string; msg: string });
    expect(warnings.map(({ level, key, meant }) => ({ level, key, meant }))).toEqual([
      { level: 40, key: 'DATABSE_URL', meant: 'DATABASE_URL' },
      { level: 40, key: 'smtp_url', meant: 'SMTP_URL' },
    ]);
    expect(warnings[0].msg).toBe(
      'variable d’environnement DATABSE_URL inconnue, sa valeur n’est pas lue : vouliez-vous dire DATABASE_URL ? (si elle sert à un autre programme, ignorez ce message)',
    );
    expect(failed!.stdout).not.toContain('motdepasse');
  });

  it('is named by a command too, on its error output, and the command runs', async () => {
    const { stdout, stderr } = await promisify(execFile)('node', [CLI, 'mail:undelivered'], {
      env: { PATH: process.env.PATH!, NODE_ENV: 'development', DATABASE_URL: process.env.DATABASE_URL!, LOGLEVEL: 'debug' },
    });
    expect(stderr).toBe(
      'Attention : variable d’environnement LOGLEVEL inconnue, sa valeur n’est pas lue : vouliez-vous dire LOG_LEVEL ? (si elle sert à un autre programme, ignorez ce message)\n',
    );
    expect(stdout).not.toBe('');
  });
});

describe('a database that does not exist, in production', () => {
  it('stops the service naming it, and creates nothing: a mistyped DATABASE_URL must not start the desk on an empty base', async () => {
    const name = `gv_absent_${process.pid}`;
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${name}`;
    const failed = await promisify(execFile)('node', [join(DIST, 'main.js')], {
      env: {
        PATH: process.env.PATH!,
        NODE_ENV: 'production',
        PORT: '3198',
        APP_SECRET: 'x'.repeat(40),
        PUBLIC_URL: 'https://guichet-vert.example.fr',
        REDIS_URL: 'redis://127.0.0.1:6379',
        DATABASE_URL: url.toString(),
        ...OPERATOR_ENV,
      },
    }).then(
      () => null,
      (error: { code: number; stdout: string }) => error,
    );
    expect(failed?.code).toBe(1);
    const line = JSON.parse(failed!.stdout.split('\n').find((l) => l.includes('démarrage impossible'))!);
    // One line saying what to fix, no stack trace to read through.
    expect(line.msg).toContain(`démarrage impossible : la base de données « ${name} » n’existe pas`);
    expect(line.err).toBeUndefined();
    const admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      expect((await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name])).rowCount).toBe(0);
    } finally {
      await admin.end();
    }
  });
});

describe('the command line, before any connection', () => {
  const cli = (...args: string[]) =>
    promisify(execFile)('node', [CLI, ...args], { env: { PATH: process.env.PATH!, NODE_ENV: 'development' } }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

  it('prints its usage on --help, and says what is wrong with a command it cannot run', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('npm run cli -- users:create --role admin|animator|facilitator');
    const unknown = await cli('foo');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.split('\n')[0]).toBe('Commande inconnue : « foo ».');
    const extra = await cli('indicators:backfill', 'extra');
    expect(extra.code).toBe(2);
    expect(extra.stderr.split('\n')[0]).toBe('« indicators:backfill » ne prend aucun argument (reçu : 1).');
  });
});

describe('a port already taken at start', () => {
  it('stops with one line naming the port, after a start-up log without Nest’s inventory of modules and routes', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '0.0.0.0', resolve));
    const port = String((taken.address() as AddressInfo).port);
    try {
      const failed = await promisify(execFile)('node', [join(DIST, 'main.js')], {
        env: {
          PATH: process.env.PATH!,
          NODE_ENV: 'development',
          PORT: port,
          DATABASE_URL: process.env.DATABASE_URL!,
          QUEUE_PREFIX: `${process.env.QUEUE_PREFIX}port`,
        },
      }).then(
        () => null,
        (error: { code: number; stdout: string }) => error,
      );
      expect(failed?.code).toBe(1);
      const lines = failed!.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line));
      expect(lines.at(-1).msg).toBe(
        `démarrage impossible : le port ${port} est déjà pris (un autre service, ou une instance déjà lancée) ; arrêtez-le ou choisissez un autre PORT`,
      );
      expect(lines.at(-1)).not.toHaveProperty('err');
      expect(lines.filter((line) => ['InstanceLoader', 'RoutesResolver', 'RouterExplorer'].includes(line.context))).toEqual([]);
    } finally {
      taken.close();
    }
  });
});
