import { Client } from 'pg';
import { Clock } from '../../src/common/clock';
import { RoutingService } from '../../src/modules/routing/routing.service';
import { insertFacilitator } from '../support/facilitators';
import { sessionsWaitingOnLocks, submitRequest, TestApp, useTestApp, waitFor } from '../support/test-app';

const DAY = 24 * 3600 * 1000;
/** The lowest id of the directory: every routing transaction locks this facilitator's row first. */
const FIRST_ID = '00000000-0000-4000-8000-000000000001';

/**
 * Two take-charge deadlines expiring at the same moment (a weekend's requests, a sweep after downtime), each request
 * held by one facilitator and going to the other: each routing transaction frees its holder's place and then locks the
 * candidates. Freeing before locking in order made them hold one row each and wait for the other's (40P01).
 */
describe('routing transactions freeing a place', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app), {}, { api: true, worker: false });

  const waitingOnLocks = () => sessionsWaitingOnLocks(t.dataSource);

  async function routedTo(facilitatorId: string, n: number): Promise<{ id: string; assignmentId: string }> {
    const reference = await submitRequest(t, n);
    const [{ id }] = await t.dataSource.query(`SELECT id FROM requests WHERE reference = $1`, [reference]);
    await t.dataSource.query(`UPDATE facilitators SET active = (id = $1) WHERE id <> $2`, [facilitatorId, FIRST_ID]);
    expect(await t.app.get(RoutingService).route(id)).toBe('assigned');
    const [assignment] = await t.dataSource.query(
      `SELECT id, facilitator_id AS "facilitatorId" FROM request_assignments WHERE request_id = $1`,
      [id],
    );
    expect(assignment.facilitatorId).toBe(facilitatorId);
    return { id, assignmentId: assignment.id };
  }

  it('lock every facilitator row they touch, the holder included, in one ordered statement: two at once never deadlock', async () => {
    // Full: a candidate of both requests that takes neither, whose row a third session holds to line the two up.
    const first = await insertFacilitator(t.dataSource, { id: FIRST_ID, capacity: 1, email: 'complet@example.org' });
    await t.dataSource.query(`UPDATE facilitators SET open_count = capacity WHERE id = $1`, [first]);
    const a = await insertFacilitator(t.dataSource, { email: 'a@example.org' });
    const b = await insertFacilitator(t.dataSource, { email: 'b@example.org' });
    const heldByA = await routedTo(a, 1);
    const heldByB = await routedTo(b, 2);
    await t.dataSource.query(`UPDATE facilitators SET active = true`);

    const clock = t.app.get(Clock);
    const routing = t.app.get(RoutingService);
    const blocker = new Client({ connectionString: t.config.DATABASE_URL });
    const probe = new Client({ connectionString: t.config.DATABASE_URL });
    await Promise.all([blocker.connect(), probe.connect()]);
    clock.travel(5 * DAY); // beyond 2 working days, whatever today is
    try {
      await blocker.query('BEGIN');
      await blocker.query(`SELECT 1 FROM facilitators WHERE id = $1 FOR UPDATE`, [first]);
      const both = Promise.allSettled([routing.deadlineReached(heldByA.assignmentId), routing.deadlineReached(heldByB.assignmentId)]);
      await waitFor(async () => (await waitingOnLocks()) === 2, 10_000, 'les deux routages attendent la première ligne', 20);
      // While both wait for the first row, neither may hold its holder's row: that is the half of the cycle.
      await probe.query('BEGIN');
      const holdersFree = await probe.query(`SELECT id FROM facilitators WHERE id = ANY($1::uuid[]) FOR UPDATE NOWAIT`, [[a, b]]).then(
        () => 'libres',
        (error: { code?: string }) => `verrouillées (${error.code})`,
      );
      await probe.query('ROLLBACK');
      await blocker.query('COMMIT');
      const outcomes = await both;

      expect(outcomes.map((o) => (o.status === 'fulfilled' ? 'ok' : String((o.reason as Error).message)))).toEqual(['ok', 'ok']);
      expect(holdersFree).toBe('libres');
      // Each went to the other, and each place was freed once and taken once.
      const holders = await t.dataSource.query(
        `SELECT id, assigned_facilitator_id AS "facilitatorId" FROM requests WHERE id = ANY($1::uuid[])`,
        [[heldByA.id, heldByB.id]],
      );
      expect(Object.fromEntries(holders.map((r: { id: string; facilitatorId: string }) => [r.id, r.facilitatorId]))).toEqual({
        [heldByA.id]: b,
        [heldByB.id]: a,
      });
      const counts = await t.dataSource.query(
        `SELECT id, open_count AS "openCount" FROM facilitators WHERE id = ANY($1::uuid[]) ORDER BY id`,
        [[a, b]],
      );
      expect(counts.map((f: { openCount: number }) => f.openCount)).toEqual([1, 1]);
    } finally {
      clock.travel(-5 * DAY);
      await blocker.end();
      await probe.end();
    }
  });
});
