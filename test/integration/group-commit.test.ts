import { GroupCommit } from '../../src/database/group-commit';
import { SqlStatement } from '../../src/database/sql-statement';
import { OutboxRepository } from '../../src/queue/outbox.repository';
import { bodyOf, sessionsWaitingOnLocks, TestApp, useTestApp, validRequestBody, waitFor } from '../support/test-app';

/** The api alone: what the submissions write stays in the tables for the test to read. */
describe('group commit of concurrent writes', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app), {}, { api: true, worker: false });

  const outboxRow = (n: number): SqlStatement => t.app.get(OutboxRepository).addStatement('mail.send', { mailId: `m${n}` }, `probe-${n}`);
  const faultyRow: SqlStatement = {
    sql: `INSERT INTO outbox_events (queue, job_name, job_id, payload, delay_ms) VALUES ('mail', 'mail.send', 'faulty', $1::jsonb, 0)`,
    params: ['{not json'],
  };
  const waitingOnLocks = () => sessionsWaitingOnLocks(t.dataSource);
  const transactionsOf = async (): Promise<{ rows: number; transactions: number }> => {
    const [row] = await t.dataSource.query(
      `SELECT count(*)::int AS rows, count(DISTINCT xmin::text)::int AS transactions FROM outbox_events WHERE job_id LIKE 'probe-%'`,
    );
    return row;
  };

  it('writes lists arriving together in shared transactions, each list whole', async () => {
    const groupCommit = t.app.get(GroupCommit);
    await Promise.all(Array.from({ length: 10 }, (_, n) => groupCommit.run([outboxRow(n)])));

    // Two lists leave at once; the eight that arrive while they are in flight leave together.
    expect(await transactionsOf()).toEqual({ rows: 10, transactions: 3 });
  });

  it('fails only the list PostgreSQL refuses; the others of its batch are written', async () => {
    const groupCommit = t.app.get(GroupCommit);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, n) => groupCommit.run(n === 6 ? [outboxRow(n), faultyRow] : [outboxRow(n)])),
    );

    expect(outcomes.map((o) => o.status)).toEqual(Array.from({ length: 10 }, (_, n) => (n === 6 ? 'rejected' : 'fulfilled')));
    expect((outcomes[6] as PromiseRejectedResult).reason).toMatchObject({ code: '22P02' });
    const written = await t.dataSource.query(
      `SELECT job_id FROM outbox_events WHERE job_id LIKE 'probe-%' OR job_id = 'faulty' ORDER BY id`,
    );
    expect(written.map((r: { job_id: string }) => r.job_id).sort()).toEqual(
      ['probe-0', 'probe-1', 'probe-2', 'probe-3', 'probe-4', 'probe-5', 'probe-7', 'probe-8', 'probe-9'].sort(),
    );
  });

  it('gives each of many simultaneous submissions its own reference, request, history, e-mail and routing job', async () => {
    // The table is held while the submissions arrive, so the first batches wait in PostgreSQL and the
    // others gather behind them: on a slow machine they could otherwise trickle in one by one.
    const holder = t.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query('LOCK TABLE requests IN SHARE MODE');
    const sent = Promise.all(
      Array.from({ length: 24 }, (_, n) =>
        fetch(`${t.url}/api/v1/requests`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(validRequestBody(300 + n)),
        }),
      ),
    );
    try {
      await waitFor(async () => (await waitingOnLocks()) > 0, 10_000, 'a batch waiting on the held table');
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      await holder.commitTransaction();
      await holder.release();
    }
    const responses = await sent;

    expect(responses.map((r) => r.status)).toEqual(Array(24).fill(201));
    const references = await Promise.all(responses.map(async (r) => (await bodyOf(r)).reference as string));
    expect(new Set(references).size).toBe(24);
    const [counts] = await t.dataSource.query(`
      SELECT (SELECT count(*)::int FROM requests) AS requests,
             (SELECT count(*)::int FROM request_events WHERE type = 'submitted') AS events,
             (SELECT count(*)::int FROM mail_messages WHERE template = 'request-acknowledgement') AS mails,
             (SELECT count(*)::int FROM outbox_events WHERE job_name = 'request.submitted') AS routing_jobs,
             (SELECT count(DISTINCT xmin::text)::int FROM requests) AS transactions`);
    expect(counts).toMatchObject({ requests: 24, events: 24, mails: 24, routing_jobs: 24 });
    expect(counts.transactions).toBeLessThan(24);
  });
});
