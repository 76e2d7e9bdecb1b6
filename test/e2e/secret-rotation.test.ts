import { Writable } from 'node:stream';
import { createCliContext } from '../../src/cli/cli-context';
import { secretReseal } from '../../src/cli/secret-reseal.command';
import { sealFor } from '../../src/common/tokens';
import { trackingLinkOf } from '../../src/modules/requests/tracking-url';
import { bodyOf, capturingLogger, flushQueues, resetDatabase, startTestApp, TestApp, validRequestBody } from '../support/test-app';

const OLD = 'ancien-secret-'.padEnd(40, 'o');
const NEW = 'nouveau-secret-'.padEnd(40, 'n');

describe('changing APP_SECRET', () => {
  const started: TestApp[] = [];
  const start = async (env: Record<string, string>) => {
    const app = await startTestApp(env);
    started.push(app);
    return app;
  };
  const submit = (app: TestApp) =>
    fetch(`${app.url}/api/v1/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'cle-avant-rotation-0001' },
      body: JSON.stringify(validRequestBody(1)),
    });
  /** The token of the link later e-mails give the buyer, read back from the stored sealed value. */
  const linkToken = async (app: TestApp) => {
    const [request] = await app.dataSource.query(`SELECT id, reference, tracking_token_sealed AS "trackingTokenSealed" FROM requests`);
    return new URL(trackingLinkOf(app.config, request)!).searchParams.get('t');
  };
  const reseal = async (app: TestApp) => {
    let out = '';
    const io = new Writable({
      write(chunk, _encoding, callback) {
        out += String(chunk);
        callback();
      },
    });
    const context = await createCliContext(app.config, capturingLogger([]));
    try {
      return { code: await secretReseal(context, [], { stdout: io, stderr: io }), out };
    } finally {
      await context.close();
    }
  };

  afterEach(async () => {
    while (started.length) await started.pop()!.close();
  });

  it('keeps links and retries working with the old secret as previous, then without it once sealed again', async () => {
    const before = await start({ APP_SECRET: OLD });
    await resetDatabase(before.dataSource);
    await flushQueues();
    const first = await bodyOf(submit(before));
    const token = new URL(first.trackingUrl).searchParams.get('t');
    await before.close();

    const during = await start({ APP_SECRET: NEW, APP_SECRET_PREVIOUS: OLD });
    const retried = await submit(during);
    expect([retried.status, retried.headers.get('idempotent-replayed')]).toEqual([201, 'true']);
    expect((await bodyOf(retried)).reference).toBe(first.reference);
    expect(await during.dataSource.query(`SELECT count(*)::int AS n FROM requests`)).toEqual([{ n: 1 }]);
    expect(await linkToken(during)).toBe(token);

    const resealed = await reseal(during);
    expect(resealed).toEqual({
      code: 0,
      out: expect.stringContaining('liens de suivi des demandes : 1 scellés de nouveau, 0 déjà sous APP_SECRET, 0 illisibles.'),
    });
    expect((await reseal(during)).out).toContain(
      'liens de suivi des demandes : 0 scellés de nouveau, 1 déjà sous APP_SECRET, 0 illisibles.',
    );
    await during.close();

    const after = await start({ APP_SECRET: NEW });
    expect(await linkToken(after)).toBe(token);
  });

  it('says which values none of the secrets opens, and fails', async () => {
    const app = await start({ APP_SECRET: NEW, APP_SECRET_PREVIOUS: OLD });
    await resetDatabase(app.dataSource);
    await flushQueues();
    await bodyOf(submit(app));
    const [{ id }] = await app.dataSource.query(`SELECT id FROM requests`);
    const forgotten = sealFor('secret-oublie-'.padEnd(40, 'x'), 'tracking', id, 'jeton');
    await app.dataSource.query(`UPDATE requests SET tracking_token_sealed = $1`, [forgotten]);

    const { code, out } = await reseal(app);
    expect(code).toBe(1);
    expect(out).toContain('liens de suivi des demandes : 0 scellés de nouveau, 0 déjà sous APP_SECRET, 1 illisibles.');
    expect(out).toContain('ajoutez à APP_SECRET_PREVIOUS le secret qui les a scellées, puis relancez.');
    expect(await app.dataSource.query(`SELECT tracking_token_sealed AS sealed FROM requests`)).toEqual([{ sealed: forgotten }]);
  });
});
