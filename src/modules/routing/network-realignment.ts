import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { runAsOne } from '../../database/sql-statement';
import { OutboxRepository } from '../../queue/outbox.repository';
import type { RequestStatus } from '../requests/request.types';
import { oldestFirst } from './ranking.policy';
import { realignmentOf } from './realignment.policy';

/** The history line of a request moved to its territory's new network (staff only). */
export const NETWORK_CHANGED_EVENT = 'network_changed';

/** What one reference load moved, by network pair: what the boot logs (codes and counts, no personal data). */
export interface RealignmentSummary {
  moved: number;
  rerouted: number;
  kept: number;
  moves: Array<{ from: string; to: string; count: number }>;
}

interface Misaligned {
  id: string;
  status: RequestStatus;
  from: string;
  to: string;
  fromName: string;
  toName: string;
  regionName: string;
  assignmentId: string | null;
  holderId: string | null;
  createdAt: Date;
}

/**
 * Open requests whose département's région now belongs to another network follow it (realignment.policy): those
 * nobody has begun go back to routing through the outbox, as a submission does, so the new network's facilitators
 * get them or its pool keeps them; the others keep their facilitator. Closed ones stay where they were served. Run
 * in the reference load's transaction, after the régions: a second load finds nothing to move.
 */
export async function realignOpenRequests(manager: EntityManager): Promise<RealignmentSummary> {
  // Locked in id order, as every routing transaction locks requests (no deadlock with a facilitator's overdue ones being
  // withdrawn meanwhile); then oldest first, the order they are moved, told and routed again in.
  const locked: Misaligned[] = await manager.query(
    `SELECT r.id, r.status, r.network_code AS "from", rg.network_code AS "to", fn.name AS "fromName", tn.name AS "toName",
            rg.name AS "regionName", a.id AS "assignmentId", a.facilitator_id AS "holderId", r.created_at AS "createdAt"
       FROM requests r
       JOIN departments d ON d.code = r.department_code
       JOIN regions rg ON rg.code = d.region_code
       JOIN networks fn ON fn.code = r.network_code
       JOIN networks tn ON tn.code = rg.network_code
       LEFT JOIN request_assignments a ON a.request_id = r.id AND a.ended_at IS NULL
      WHERE r.status <> 'closed' AND r.network_code <> rg.network_code
      ORDER BY r.id
        FOR UPDATE OF r`,
  );
  const rows = locked.sort(oldestFirst);
  const rerouted = rows.filter((row) => realignmentOf(row.status) === 'reroute');
  const kept = rows.filter((row) => realignmentOf(row.status) === 'keep_holder');
  if (!rows.length) return { moved: 0, rerouted: 0, kept: 0, moves: [] };

  const released = rerouted.filter((row) => row.assignmentId !== null);
  await manager.query(`UPDATE request_assignments SET ended_at = now(), end_reason = 'realigned' WHERE id = ANY($1::uuid[])`, [
    released.map((row) => row.assignmentId),
  ]);
  // In id order, as routing locks them: an UPDATE of several rows takes them in no set order.
  await manager.query(`SELECT 1 FROM facilitators WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [
    released.map((row) => row.holderId),
  ]);
  await manager.query(
    `UPDATE facilitators f SET open_count = greatest(f.open_count - freed.places, 0)
       FROM (SELECT id, count(*)::int AS places FROM unnest($1::uuid[]) AS id GROUP BY id) freed
      WHERE f.id = freed.id`,
    [released.map((row) => row.holderId)],
  );
  await manager.query(
    `UPDATE requests r SET network_code = moved.network_code, status = 'submitted', assigned_facilitator_id = NULL,
            pool_alerted_at = NULL, updated_at = now()
       FROM unnest($1::uuid[], $2::text[]) AS moved(id, network_code) WHERE r.id = moved.id`,
    [rerouted.map((row) => row.id), rerouted.map((row) => row.to)],
  );
  await manager.query(
    `UPDATE requests r SET network_code = moved.network_code, updated_at = now()
       FROM unnest($1::uuid[], $2::text[]) AS moved(id, network_code) WHERE r.id = moved.id`,
    [kept.map((row) => row.id), kept.map((row) => row.to)],
  );
  const movedRows = [...rerouted, ...kept];
  await manager.query(
    `INSERT INTO request_events (request_id, type, from_status, to_status, actor_type, reason, is_public)
     SELECT id, $1, from_status, to_status, 'system', reason, false
       FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[]) AS e(id, from_status, to_status, reason)`,
    [
      NETWORK_CHANGED_EVENT,
      movedRows.map((row) => row.id),
      movedRows.map((row) => row.status),
      movedRows.map((row) => (realignmentOf(row.status) === 'reroute' ? 'submitted' : row.status)),
      movedRows.map(movedReason),
    ],
  );
  // New job ids: the submission's own job may still sit in the queue as completed.
  const outbox = new OutboxRepository(manager.connection);
  await runAsOne(manager, [
    outbox.addManyStatement(
      'request.submitted',
      rerouted.map((row) => ({ payload: { requestId: row.id }, jobId: `request-submitted-${row.id}-${randomUUID()}` })),
    ),
    outbox.addManyStatement(
      'routing.drain-pool',
      [...new Set(released.map((row) => row.from))].map((code) => ({
        payload: { networkCode: code },
        jobId: `drain-${code}-${randomUUID()}`,
      })),
    ),
  ]);

  const moves = new Map<string, { from: string; to: string; count: number }>();
  for (const row of movedRows) {
    const key = `${row.from}→${row.to}`;
    moves.set(key, { from: row.from, to: row.to, count: (moves.get(key)?.count ?? 0) + 1 });
  }
  return { moved: movedRows.length, rerouted: rerouted.length, kept: kept.length, moves: [...moves.values()] };
}

/** The history's reason, as staff read it: from which network to which, why, and what became of the request. */
function movedReason(row: Misaligned): string {
  const what =
    realignmentOf(row.status) === 'reroute'
      ? 'attribuée de nouveau dans ce réseau'
      : 'son facilitateur la garde jusqu’à sa clôture ; les animateurs de ce réseau la suivent désormais';
  return `Passée du réseau « ${row.fromName} » au réseau « ${row.toName} », qui couvre désormais la région ${row.regionName} : ${what}`;
}
