/**
 * A network founded for a territory that fell to `national` (Corse here): the open requests of that territory follow
 * it at the next reference load — routed again when nobody had begun them, kept by their facilitator otherwise —
 * while closed ones stay with the network that served them.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import networksSeed from '../../src/modules/reference/seed/networks.json';
import { NetworkSeed, seedReferenceData } from '../../src/modules/reference/reference.seed';
import { ReferenceService } from '../../src/modules/reference/reference.service';
import { RoutingService } from '../../src/modules/routing/routing.service';
import { insertFacilitator } from '../support/facilitators';
import { seedRequest } from '../support/indicators';
import { resetDatabase, sessionsWaitingOnLocks, submitRequest, TestApp, useTestApp, waitFor } from '../support/test-app';
import { signedInStaff } from '../support/staff';

const WITH_CORSE: NetworkSeed[] = [
  ...networksSeed,
  { code: 'corse', name: 'Réseau Corse', contactEmail: 'contact@corse.example.org', regions: ['94'] },
];

describe('open requests follow their territory to a new network', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app), {}, { api: true, worker: true });

  const load = (networks?: NetworkSeed[]) => t.dataSource.transaction((manager) => seedReferenceData(manager, networks));
  // Reference rows outlive each test's reset: the seed's map comes back for the next suites.
  afterEach(async () => {
    await resetDatabase(t.dataSource);
    await load();
    await t.dataSource.query(`DELETE FROM networks WHERE code = 'corse'`);
    await t.app.get(ReferenceService).reload();
  });

  const stateOf = async (reference: string) =>
    (
      await t.dataSource.query(
        `SELECT id, status, network_code AS network, assigned_facilitator_id AS holder FROM requests WHERE reference = $1`,
        [reference],
      )
    )[0];

  it('reroutes those nobody took, leaves the taken one with its facilitator, the closed one where it was; once', async () => {
    const nationalOne = await insertFacilitator(t.dataSource, { network: 'national', capacity: 2, email: 'national@example.org' });
    const untaken = await submitRequest(t, 1, { departmentCode: '2A' });
    const taken = await submitRequest(t, 2, { departmentCode: '2B' });
    await waitFor(async () => (await stateOf(taken)).status === 'assigned' && (await stateOf(untaken)).status === 'assigned');
    const takenId = (await stateOf(taken)).id;
    const [takenAssignment] = await t.dataSource.query(`SELECT id FROM request_assignments WHERE request_id = $1`, [takenId]);
    expect(await t.app.get(RoutingService).takeCharge(takenId, takenAssignment.id)).toBe(true);
    const pooled = await submitRequest(t, 3, { departmentCode: '2A' });
    await waitFor(async () => (await stateOf(pooled)).status === 'unassigned');
    const closedId = await seedRequest(t.dataSource, 'national', '2A', '2026-01-05T10:00:00Z', {
      status: 'closed',
      facilitatorId: nationalOne,
    });

    // The new network, with a facilitator, before the map that gives it Corse.
    await t.dataSource.query(`INSERT INTO networks (code, name, is_national) VALUES ('corse', 'Réseau Corse', false)`);
    await t.app.get(ReferenceService).reload();
    const corseOne = await insertFacilitator(t.dataSource, { network: 'corse', capacity: 5, email: 'corse@example.org' });

    const summary = await load(WITH_CORSE);
    expect(summary).toEqual({ moved: 3, rerouted: 2, kept: 1, moves: [{ from: 'national', to: 'corse', count: 3 }] });
    await t.app.get(ReferenceService).reload();

    // Through the outbox and the routing worker, as a submission: the new network's facilitator gets both.
    for (const reference of [untaken, pooled]) {
      await waitFor(async () => (await stateOf(reference)).status === 'assigned', 15_000, `${reference} attribuée en Corse`);
      expect(await stateOf(reference)).toMatchObject({ network: 'corse', holder: corseOne });
    }
    expect(await stateOf(taken)).toMatchObject({ status: 'in_progress', network: 'corse', holder: nationalOne });
    expect((await t.dataSource.query(`SELECT network_code FROM requests WHERE id = $1`, [closedId]))[0].network_code).toBe('national');
    // The national facilitator's place for the untaken request is free again: they hold the taken one only.
    expect((await t.dataSource.query(`SELECT open_count FROM facilitators WHERE id = $1`, [nationalOne]))[0].open_count).toBe(1);
    const ended = await t.dataSource.query(
      `SELECT end_reason FROM request_assignments WHERE facilitator_id = $1 AND ended_at IS NOT NULL`,
      [nationalOne],
    );
    expect(ended).toEqual([{ end_reason: 'realigned' }]);

    const events = await t.dataSource.query(
      `SELECT e.type, e.reason, e.is_public AS "isPublic", e.actor_type AS actor FROM request_events e JOIN requests r ON r.id = e.request_id
        WHERE r.reference = $1 AND e.type = 'network_changed'`,
      [taken],
    );
    expect(events).toEqual([
      {
        type: 'network_changed',
        isPublic: false,
        actor: 'system',
        reason:
          'Passée du réseau « Réseau national » au réseau « Réseau Corse », qui couvre désormais la région Corse : son facilitateur la garde jusqu’à sa clôture ; les animateurs de ce réseau la suivent désormais',
      },
    ]);

    // The new network's animator reads the request its territory's buyer asked; national's no longer does.
    const corseAnimator = await signedInStaff(t, { role: 'animator', networks: ['corse'] });
    const page = await corseAnimator.get(`/espace/demandes/${taken}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Rattachée à un autre réseau');
    const nationalAnimator = await signedInStaff(t, { role: 'animator', networks: ['national'] });
    expect((await nationalAnimator.get(`/espace/demandes/${taken}`)).status).toBe(404);

    // A second boot moves nothing.
    const history = async () => (await t.dataSource.query(`SELECT count(*)::int AS n FROM request_events`))[0].n;
    const before = await history();
    expect(await load(WITH_CORSE)).toEqual({ moved: 0, rerouted: 0, kept: 0, moves: [] });
    expect(await history()).toBe(before);
  });

  it('locks the requests it moves in id order, as routing does, whatever their age', async () => {
    // The older one has the higher id: locked oldest first, it would be held while the move waits for the other.
    const [lower, higher] = [randomUUID(), randomUUID()].sort();
    for (const [id, createdAt] of [
      [higher, '2026-01-05T10:00:00Z'],
      [lower, '2026-01-06T10:00:00Z'],
    ]) {
      const seeded = await seedRequest(t.dataSource, 'national', '2A', createdAt, { status: 'unassigned' });
      await t.dataSource.query(`UPDATE requests SET id = $1 WHERE id = $2`, [id, seeded]);
    }
    const blocker = new Client({ connectionString: t.config.DATABASE_URL });
    const probe = new Client({ connectionString: t.config.DATABASE_URL });
    await Promise.all([blocker.connect(), probe.connect()]);
    try {
      // Another transaction holds the lower one, as withdrawing a facilitator's overdue requests would, locking in id order.
      await blocker.query('BEGIN');
      await blocker.query(`SELECT 1 FROM requests WHERE id = $1 FOR UPDATE`, [lower]);
      const moving = load(WITH_CORSE);
      await waitFor(
        async () => (await sessionsWaitingOnLocks(t.dataSource)) === 1,
        10_000,
        'le rattachement attend la première demande',
        20,
      );
      // Waiting for the lower one, the move holds nothing of the higher: that would be its half of a deadlock.
      await probe.query('BEGIN');
      const higherFree = await probe.query(`SELECT 1 FROM requests WHERE id = $1 FOR UPDATE NOWAIT`, [higher]).then(
        () => 'libre',
        (error: { code?: string }) => `verrouillée (${error.code})`,
      );
      await probe.query('ROLLBACK');
      await blocker.query('COMMIT');
      expect(await moving).toEqual({ moved: 2, rerouted: 2, kept: 0, moves: [{ from: 'national', to: 'corse', count: 2 }] });
      expect(higherFree).toBe('libre');
    } finally {
      await blocker.end();
      await probe.end();
    }
  });
});
