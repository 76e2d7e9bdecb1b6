import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DATABASE_CONNECT_TIMEOUT_MS } from '../../src/database/data-source-options';

const ROOT = join(__dirname, '..', '..');

/** A port nothing listens on: one the system just gave, closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** What `npm run migration:run` / `migration:revert` run once built. */
const migration = (command: string, env: Record<string, string>) =>
  promisify(execFile)(
    'node',
    [join(ROOT, 'node_modules', 'typeorm', 'cli.js'), command, '-d', join(ROOT, 'dist', 'src', 'database', 'data-source.js')],
    // Killed past the time a connection may take, rather than left waiting on a silent server.
    { cwd: ROOT, env: { PATH: process.env.PATH!, NODE_ENV: 'development', ...env }, timeout: DATABASE_CONNECT_TIMEOUT_MS + 10_000 },
  ).then(
    () => ({ code: 0, stdout: '', stderr: '' }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

describe('the migration commands, PostgreSQL out of reach', () => {
  it.each(['migration:run', 'migration:revert'])(
    '%s stops with one French line naming host and port, no password, no stack',
    async (command) => {
      const port = await closedPort();
      const { code, stdout, stderr } = await migration(command, { DATABASE_URL: `postgres://gv:motdepasse@127.0.0.1:${port}/gv` });
      expect(code).toBe(1);
      expect(stderr).toBe(
        `${command} impossible : PostgreSQL ne répond pas sur 127.0.0.1:${port} : vérifiez que le serveur est démarré, et l’hôte et le port de DATABASE_URL (DATABASE_URL : postgres://gv:***@127.0.0.1:${port}/gv)\n`,
      );
      expect(stdout).toBe('');
    },
  );

  it('a server that never answers (a host dropping packets): migration:run and the start both say so within seconds', async () => {
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
        migration('migration:run', { DATABASE_URL: url }),
        promisify(execFile)('node', [join(ROOT, 'dist', 'src', 'main.js')], {
          env: { PATH: process.env.PATH!, NODE_ENV: 'development', PORT: '3195', DATABASE_URL: url },
          timeout: DATABASE_CONNECT_TIMEOUT_MS + 10_000,
        }).then(
          () => ({ code: 0, stdout: '' }),
          (error: { code: number; stdout: string }) => error,
        ),
      ]);
      expect(Date.now() - started).toBeLessThan(DATABASE_CONNECT_TIMEOUT_MS + 5_000);
      expect([migrated.code, migrated.stderr]).toEqual([1, `migration:run impossible : ${said}\n`]);
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
