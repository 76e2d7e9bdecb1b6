import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

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
    { cwd: ROOT, env: { PATH: process.env.PATH!, NODE_ENV: 'development', ...env } },
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
});
