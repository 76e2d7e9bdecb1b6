import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { flushQueues, freePort, resetDatabase, startTestApp, TestApp, validRequestBody, waitFor } from '../support/test-app';

const ROOT = join(__dirname, '..', '..');

/** Nice value of each thread of a process, from /proc (field 19 of stat, after the command name). */
function threadNices(pid: number): Map<number, number> {
  const nices = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    nices.set(Number(tid), Number(fields[16]));
  }
  return nices;
}

const messages = (output: string[]) =>
  output
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => (JSON.parse(line) as { msg: string; name: string }).msg);

/** `npm start`'s process, built (the test command builds first), run as a newcomer runs it. */
describe('the all-in-one process (npm start)', () => {
  let db: TestApp;
  let service: ChildProcess | undefined;

  beforeAll(async () => {
    db = await startTestApp({}, { api: true, worker: false });
    await resetDatabase(db.dataSource);
    await flushQueues();
  });
  afterAll(async () => {
    if (service && service.exitCode === null && service.signalCode === null) {
      service.kill('SIGKILL');
      await once(service, 'exit');
    }
    await db.close();
  });

  it('serves the api, runs the queue workers in a lower-priority thread, and stops them before exiting on SIGTERM', async () => {
    const port = await freePort();
    const output: string[] = [];
    service = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'all-in-one.js')], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), LOG_LEVEL: 'info', OUTBOX_POLL_MS: '100' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Decoded as streams: a chunk may end inside a character (the « ê » of « arrêté »), which chunk.toString() would garble.
    service.stdout!.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
    service.stderr!.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
    // 'close', not 'exit': the last log lines may still be in the pipes when the process has exited.
    const exited = once(service, 'close');
    const url = `http://127.0.0.1:${port}`;

    await waitFor(
      () =>
        fetch(`${url}/health/ready`).then(
          (r) => r.ok,
          () => false,
        ),
      30_000,
      'service prêt',
    );
    await waitFor(async () => messages(output).includes('worker démarré'), 30_000, 'thread des files démarré');

    const nices = threadNices(service.pid!);
    expect(nices.get(service.pid!)).toBe(0);
    expect([...nices.values()]).toContain(19);

    const response = await fetch(`${url}/api/v1/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(validRequestBody(1)),
    });
    expect(response.status).toBe(201);
    const { reference } = (await response.json()) as { reference: string };
    // The acknowledgement goes outbox → relay → mail queue → mail worker: all of it in the thread.
    const sent = await waitFor(
      async () => {
        const rows = await db.dataSource.query(
          `SELECT m.status, m.attempts FROM mail_messages m JOIN requests r ON r.id = m.request_id
            WHERE r.reference = $1 AND m.template = 'request-acknowledgement' AND m.status = 'sent'`,
          [reference],
        );
        return rows[0] as { status: string; attempts: number } | undefined;
      },
      30_000,
      'accusé de réception envoyé',
    );
    expect(sent.attempts).toBe(1);

    service.kill('SIGTERM');
    // Nest closes the application, then lets the signal end the process as it would have.
    const [code, signal] = await exited;
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGTERM' });
    const log = messages(output);
    const stopping = log.indexOf('arrêt du thread des files : les tâches en cours se terminent');
    expect(stopping).toBeGreaterThan(-1);
    expect(log.indexOf('thread des files arrêté')).toBeGreaterThan(stopping);
    // Its waits (start, thread, e-mail, stop) can each take most of the default 30 s on a loaded two-core machine.
  }, 120_000);
});
