import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { columnsOf, SqlStatement } from '../../database/sql-statement';
import { facilitatorToday, NetworkDays } from '../reference/network-days';
import type { OrganisationType, RequestKind, RequestStatus } from '../requests/request.types';
import { EXCLUDING_END_REASONS, type FacilitatorCandidate, type FollowedRequest, type LetGo } from './ranking.policy';
import type { Reminder } from './reminders.policy';
import type { AssignmentEndReason, DeclineReason } from './request-assignment.entity';

/** What routing needs to know of a request, read under its row lock. */
export interface RoutableRequest {
  id: string;
  reference: string;
  status: RequestStatus;
  kind: 'environmental' | 'social_clause';
  /** Its facilitator (null: none), as the access rules read it under the lock. */
  assignedFacilitatorId: string | null;
  departmentCode: string;
  regionCode: string;
  networkCode: string;
  segmentCode: string;
  subject: string;
  deadlineMisses: number;
  createdAt: Date;
  /** The day the buyer needs the answer by (YYYY-MM-DD), told to the facilitator it is given to. */
  neededBy?: string | null;
  /** Who may be served by which kind (a transfer or a split must not give a question to a desk that cannot take it). */
  organisationType: OrganisationType;
  /**
   * The last transfer's history line (from which desk, by whom, why): whoever it is given to next reads where it comes
   * from. Of a transfer and a give-back, only the later is said: the earlier hand-over's word is stale.
   */
  transferNote?: string | null;
  /** The last give-back, unless a transfer followed: who (facilitator id, first name) and their line (why, where it stood). */
  givenBack?: { byId: string; by: string | null; note: string } | null;
  /** Set once its personal data are erased: nothing may be written on it any more. */
  anonymisedAt?: Date | null;
  /** Whose surveys a closure schedules, unless that address opted out of them. */
  buyerEmail: string;
  /** Who held it when it went to the other kind (RoutingRequest): offered it again last. */
  transferredOutBy?: string[];
  /** The earlier request about the same purchase, and who held it (RoutingRequest): offered it first when they may take it. */
  followsUp?: FollowedRequest | null;
}

export interface CurrentAssignment {
  id: string;
  requestId: string;
  facilitatorId: string;
  takeChargeDueAt: Date;
  takeChargeReminderAt: Date | null;
  takenAt: Date | null;
  answerDueAt: Date | null;
  answerReminderAt: Date | null;
}

export interface FacilitatorContact {
  id: string;
  email: string;
  firstName: string;
  networkCode: string;
}

/** A facilitator who may be offered requests, with the contact the assignment e-mail needs. */
export interface ClaimableFacilitator extends FacilitatorCandidate {
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  /** Routed all the same (the take-charge deadline moves an untaken request on): their e-mail says how to get in. */
  readonly account: FacilitatorAccountState;
}

/** A request's current assignment, with the facilitator holding it, as the sweep finds it. */
export interface HeldAssignment {
  requestId: string;
  assignmentId: string;
  facilitatorId: string;
}

/** A reminder the sweep finds due, for the facilitator holding the request then. */
export interface DueReminder extends HeldAssignment {
  reminder: Reminder;
}

/** The answer deadline kept on an assignment, and when its reminder is due. */
export interface AnswerDeadline {
  dueAt: Date | null;
  reminderAt: Date | null;
}

/**
 * Assignment `ra` of request `r` holds an answer due before the parameter `dueBefore` and not told yet, the request
 * still in progress (the partial index request_assignments_answer_overdue_idx serves it).
 */
const untoldOverdueAnswer = (dueBefore: string) =>
  `ra.ended_at IS NULL AND ra.answer_due_at IS NOT NULL AND ra.answer_overdue_announced_at IS NULL
   AND ra.answer_due_at <= ${dueBefore} AND r.status = 'in_progress'`;

/**
 * Request `r` missed its take-charge deadline again and its network's animators were not told yet: their escalation
 * digest says where it is, the pool included, so the pool digest leaves it out (the partial index
 * request_escalations_unannounced_idx serves it).
 */
const UNANNOUNCED_ESCALATION = `EXISTS (SELECT 1 FROM request_escalations e WHERE e.request_id = r.id AND e.announced_at IS NULL)`;

/** A request its network's escalation digest names, with who let its deadlines pass and who holds it now. */
export interface EscalatedRequest {
  requestId: string;
  reference: string;
  subject: string;
  kind: RequestKind;
  departmentCode: string;
  status: RequestStatus;
  /** Deadlines missed in a row, as of its latest escalation. */
  misses: number;
  /** Its escalations the digest announces (one per miss since the last digest). */
  escalationIds: string[];
  /** The facilitators whose take-charge deadline passed, first to last. */
  missedBy: string[];
  /** Who holds it now; null: nobody (in the pool, or closed). */
  holder: string | null;
}

/** An answer past its deadline, as the digests list it. */
export interface OverdueAnswer {
  assignmentId: string;
  requestId: string;
  reference: string;
  subject: string;
  kind: RequestKind;
  departmentCode: string;
  dueAt: Date;
  facilitatorId: string;
  facilitatorName: string;
  facilitatorFirstName: string;
  facilitatorEmail: string;
}

export interface NewAssignment {
  id: string;
  requestId: string;
  facilitatorId: string;
  assignedAt: Date;
  takeChargeDueAt: Date;
  takeChargeReminderAt: Date | null;
}

/**
 * Filtered here rather than in SQL: with the status in the query, the planner may combine the primary
 * key with the waiting index and read the entries that index keeps of every request routed since the
 * last vacuum.
 */
function isWaiting(request: Pick<RoutableRequest, 'status'>): boolean {
  return request.status === 'submitted';
}

/**
 * The régions a social-clause coordinator is the fallback of: those of the départements they cover, or, listing none,
 * every région of their network (a network spanning three régions has a coordinator for each). Facilitator `f`.
 */
export const COORDINATED_REGIONS = `COALESCE(
  (SELECT array_agg(DISTINCT d.region_code) FROM facilitator_departments fd JOIN departments d ON d.code = fd.department_code
    WHERE fd.facilitator_id = f.id),
  (SELECT array_agg(rg.code) FROM regions rg WHERE rg.network_code = f.network_code))::text[]`;

export const FACILITATOR_ACCOUNT_STATES = ['active', 'invited', 'none'] as const;
export type FacilitatorAccountState = (typeof FACILITATOR_ACCOUNT_STATES)[number];

/**
 * Whether facilitator `f` can sign in to take what it is given: 'active', 'invited' (password not chosen yet) or 'none'
 * (no active account: imported or added without an invitation).
 */
export const FACILITATOR_ACCOUNT = `COALESCE((SELECT CASE WHEN u.password_hash IS NULL THEN 'invited' ELSE 'active' END
                 FROM staff_users u WHERE u.facilitator_id = f.id AND u.active), 'none')`;

/**
 * Whether facilitator `f` left: their record's account is deactivated (an imported record, never given one, did not).
 * Staff pages mark such a holder « compte désactivé »: what they hold waits for someone to give it to another.
 */
export const FACILITATOR_DEPARTED = `EXISTS (SELECT 1 FROM staff_users u WHERE u.facilitator_id = f.id AND NOT u.active)`;

/** Why a facilitator cannot be given a request (whyAway): left with their account, record out of routing, absent. */
export type AwayCause = 'departed' | 'inactive' | 'absence';

/**
 * Who held the earlier request `p` a follow-up names: the facilitator of its latest assignment taken in charge and not
 * let go (still held, or ended by the closure) — the one who read the file and answered it; null when nobody did.
 */
const FOLLOWED_HOLDER = `(SELECT a.facilitator_id FROM request_assignments a
   WHERE a.request_id = p.id AND a.taken_at IS NOT NULL AND (a.ended_at IS NULL OR a.end_reason = 'finished')
   ORDER BY a.assigned_at DESC, a.id DESC LIMIT 1)`;

const ROUTABLE_COLUMNS = `r.id, r.reference, r.status, r.kind, r.department_code AS "departmentCode", d.region_code AS "regionCode",
       r.network_code AS "networkCode", r.assigned_facilitator_id AS "assignedFacilitatorId", r.segment_code AS "segmentCode", r.subject,
       r.deadline_misses AS "deadlineMisses", r.created_at AS "createdAt", to_char(r.needed_by, 'YYYY-MM-DD') AS "neededBy",
       r.organisation_type AS "organisationType", r.anonymised_at AS "anonymisedAt", r.buyer_email AS "buyerEmail",
       ARRAY(SELECT a.facilitator_id::text FROM request_assignments a
              WHERE a.request_id = r.id AND a.end_reason = 'transferred') AS "transferredOutBy",
       (SELECT json_build_object('reference', p.reference, 'heldBy', ${FOLLOWED_HOLDER}) FROM requests p
         WHERE p.id = r.follows_up_request_id) AS "followsUp",
       (SELECT CASE WHEN e.type = 'transferred' THEN e.reason END FROM request_events e
         WHERE e.request_id = r.id AND e.type IN ('transferred', 'given_back') ORDER BY e.id DESC LIMIT 1) AS "transferNote",
       (SELECT CASE WHEN e.type = 'given_back' THEN json_build_object('byId', e.actor_id, 'by', f.first_name, 'note', e.reason) END
          FROM request_events e LEFT JOIN facilitators f ON f.id = e.actor_id
         WHERE e.request_id = r.id AND e.type IN ('transferred', 'given_back') ORDER BY e.id DESC LIMIT 1) AS "givenBack"`;

/**
 * Who hears of a network's pool, escalations and absences; `toContact`: its contact address, for want of an animator;
 * `ofSeveral`: those of `emails` who hear of other networks too (an animator of several, a contact address shared).
 */
export interface NetworkRecipients {
  networkName: string;
  emails: string[];
  toContact: boolean;
  ofSeveral: string[];
}
@Injectable()
export class RoutingRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The request as routing sees it, unlocked: for pages that list who could take it. */
  async readRequest(requestId: string): Promise<RoutableRequest | null> {
    return (await this.readRequests([requestId]))[0] ?? null;
  }

  /** These requests as routing sees them, unlocked, in one statement (those that exist, in no set order): a page's worth. */
  readRequests(requestIds: string[]): Promise<RoutableRequest[]> {
    return this.dataSource.query(
      `SELECT ${ROUTABLE_COLUMNS} FROM requests r JOIN departments d ON d.code = r.department_code WHERE r.id = ANY($1::uuid[])`,
      [requestIds],
    );
  }

  /** Locks the request: every routing decision about it is taken by one transaction at a time. */
  async lockRequest(manager: EntityManager, requestId: string): Promise<RoutableRequest | null> {
    const rows = await manager.query(
      `SELECT ${ROUTABLE_COLUMNS}
         FROM requests r JOIN departments d ON d.code = r.department_code
        WHERE r.id = $1
          FOR UPDATE OF r`,
      [requestId],
    );
    return rows[0] ?? null;
  }

  /**
   * Those of these requests still waiting to be routed, locked for this transaction in id order, so
   * that two jobs listing the same requests queue on them instead of deadlocking.
   */
  async lockSubmitted(manager: EntityManager, requestIds: string[]): Promise<RoutableRequest[]> {
    return (await this.lockRequests(manager, requestIds)).filter(isWaiting);
  }

  /** These requests, locked for this transaction in id order (lockSubmitted). */
  async lockRequests(manager: EntityManager, requestIds: string[]): Promise<RoutableRequest[]> {
    return manager.query(
      `SELECT ${ROUTABLE_COLUMNS}
         FROM requests r JOIN departments d ON d.code = r.department_code
        WHERE r.id = ANY($1::uuid[])
        ORDER BY r.id
          FOR UPDATE OF r`,
      [requestIds],
    );
  }

  /** The network's pool, oldest first, locked for this transaction. */
  async lockPool(manager: EntityManager, networkCode: string, limit: number): Promise<RoutableRequest[]> {
    return manager.query(
      `SELECT ${ROUTABLE_COLUMNS}
         FROM requests r JOIN departments d ON d.code = r.department_code
        WHERE r.network_code = $1 AND r.status = 'unassigned'
        ORDER BY r.created_at, r.id LIMIT $2
          FOR UPDATE OF r SKIP LOCKED`,
      [networkCode, limit],
    );
  }

  /**
   * Those of these requests still waiting to be routed, oldest first; read without a lock: most
   * routing jobs find their request already placed, or pooled, by an earlier batch. A pooled
   * request is the pool drain's to place, when a place frees.
   */
  async awaitingRouting(requestIds: string[]): Promise<string[]> {
    if (!requestIds.length) return [];
    const rows: Array<Pick<RoutableRequest, 'id' | 'status'>> = await this.dataSource.query(
      `SELECT id, status FROM requests WHERE id = ANY($1::uuid[]) ORDER BY created_at`,
      [requestIds],
    );
    return rows.filter(isWaiting).map((r) => r.id);
  }

  /**
   * Every active facilitator who could serve one of these requests (kind and territory), with what
   * the ranking policy needs (absent on their network's day), locked in id order: their load is current until commit,
   * and batches running side by side queue on the same rows in the same order, so they never deadlock. A transaction
   * that frees a holder's place first locks them with these rows (lockPlaces): a row updated before would break the order.
   */
  lockCandidates(manager: EntityManager, requests: readonly RoutableRequest[], days: NetworkDays): Promise<ClaimableFacilitator[]> {
    return this.candidates(manager, requests, days, 'FOR UPDATE OF f');
  }

  /** The same candidates without locking them: what a page or a digest lists before anyone chooses. */
  readCandidates(
    requests: readonly RoutableRequest[],
    days: NetworkDays,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ClaimableFacilitator[]> {
    return this.candidates(manager, requests, days, '');
  }

  private async candidates(
    manager: EntityManager,
    requests: readonly RoutableRequest[],
    days: NetworkDays,
    lock: 'FOR UPDATE OF f' | '',
  ): Promise<ClaimableFacilitator[]> {
    return manager.query(
      `SELECT f.id, f.kind, f.network_code AS "networkCode", f.is_coordinator AS "isCoordinator", f.active, f.capacity,
              f.open_count AS "openCount", f.segments, f.last_assigned_at AS "lastAssignedAt", f.email, f.first_name AS "firstName",
              f.last_name AS "lastName", ${FACILITATOR_ACCOUNT} AS "account",
              COALESCE((SELECT array_agg(fd.department_code) FROM facilitator_departments fd WHERE fd.facilitator_id = f.id), '{}') AS "departmentCodes",
              COALESCE(${COORDINATED_REGIONS}, '{}') AS "regionCodes",
              t.absent AS "absentToday",
              -- Absent today, the first day no absence covers: the end of one absence + 1, unless another (chained) covers it.
              CASE WHEN t.absent THEN
                (SELECT min(a.ends_on + 1) FROM facilitator_absences a
                  WHERE a.facilitator_id = f.id AND a.ends_on >= t.today
                    AND NOT EXISTS (SELECT 1 FROM facilitator_absences b
                                     WHERE b.facilitator_id = f.id AND a.ends_on + 1 BETWEEN b.starts_on AND b.ends_on))::text
              END AS "backOn"
         FROM facilitators f
              CROSS JOIN LATERAL (SELECT ${facilitatorToday('$4')} AS today) d
              CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM facilitator_absences a
                                                  WHERE a.facilitator_id = f.id AND d.today BETWEEN a.starts_on AND a.ends_on) AS absent,
                                         d.today) t
        WHERE ${CANDIDATE}
        ORDER BY f.id
          ${lock}`,
      [...candidateParams(requests), days],
    );
  }

  /**
   * Locks, in one statement and in id order, every facilitator row a transaction that frees places and routes again may
   * touch: the holders whose places it frees and the candidates of these requests (lockCandidates, later in the same
   * transaction, then waits for none). Run before any of those rows is updated: two such transactions each holding its
   * holder's row while locking the other's as a candidate deadlock.
   */
  async lockPlaces(manager: EntityManager, requests: readonly RoutableRequest[], holders: readonly string[]): Promise<void> {
    await manager.query(`SELECT f.id FROM facilitators f WHERE f.id = ANY($4::uuid[]) OR ${CANDIDATE} ORDER BY f.id FOR UPDATE OF f`, [
      ...candidateParams(requests),
      holders,
    ]);
  }

  /**
   * Who declined each request, let its deadline pass or had it taken by staff (withdrawn, reassigned): they are not
   * offered it again (EXCLUDING_END_REASONS).
   */
  async exclusions(manager: EntityManager, requestIds: string[]): Promise<Map<string, Set<string>>> {
    return holdersByRequest(await this.letGoRows(manager, requestIds));
  }

  /** Who held each request before (an assignment of theirs ended, whatever the reason): its next e-mail to them says so. */
  async formerHolders(manager: EntityManager, requestIds: string[]): Promise<Map<string, Set<string>>> {
    const rows: Array<{ requestId: string; facilitatorId: string }> = await manager.query(
      `SELECT request_id AS "requestId", facilitator_id AS "facilitatorId" FROM request_assignments
        WHERE request_id = ANY($1::uuid[]) AND ended_at IS NOT NULL`,
      [requestIds],
    );
    return holdersByRequest(rows);
  }

  /** The excluded (exclusions), each with who they are and how it left them, in order: what the animators' pool digest names. */
  async letGo(manager: EntityManager, requestIds: string[]): Promise<Map<string, LetGo[]>> {
    const byRequest = new Map<string, LetGo[]>();
    for (const { requestId, by, endReason, declineReason, taken } of await this.letGoRows(manager, requestIds)) {
      byRequest.set(requestId, [...(byRequest.get(requestId) ?? []), { by, endReason, declineReason, taken }]);
    }
    return byRequest;
  }

  private letGoRows(manager: EntityManager, requestIds: string[]): Promise<Array<LetGo & { requestId: string; facilitatorId: string }>> {
    return manager.query(
      `SELECT a.request_id AS "requestId", a.facilitator_id AS "facilitatorId", f.first_name || ' ' || f.last_name AS "by",
              a.end_reason AS "endReason", a.decline_reason AS "declineReason", a.taken_at IS NOT NULL AS "taken"
         FROM request_assignments a JOIN facilitators f ON f.id = a.facilitator_id
        WHERE a.request_id = ANY($1::uuid[]) AND a.end_reason = ANY($2::text[])
        ORDER BY a.ended_at, a.id`,
      [requestIds, EXCLUDING_END_REASONS],
    );
  }

  /** Places taken in each facilitator's capacity; the rows are already locked by lockCandidates. */
  claimCapacityStatement(claims: Map<string, number>, now: Date): SqlStatement {
    return {
      sql: `UPDATE facilitators f SET open_count = f.open_count + c.n, last_assigned_at = $3
              FROM unnest($1::uuid[], $2::int[]) AS c(id, n) WHERE f.id = c.id`,
      params: [[...claims.keys()], [...claims.values()], now],
    };
  }

  releaseCapacityStatement(facilitatorId: string): SqlStatement {
    return { sql: `UPDATE facilitators SET open_count = greatest(open_count - 1, 0) WHERE id = $1`, params: [facilitatorId] };
  }

  insertAssignmentsStatement(assignments: NewAssignment[]): SqlStatement {
    return {
      sql: `INSERT INTO request_assignments (id, request_id, facilitator_id, assigned_at, take_charge_due_at, take_charge_reminder_at)
            SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[])`,
      params: columnsOf(assignments, ['id', 'requestId', 'facilitatorId', 'assignedAt', 'takeChargeDueAt', 'takeChargeReminderAt']),
    };
  }

  /**
   * An assignment taken in charge from the start (a reopening gives the request back to its facilitator): one
   * INSERT, since an UPDATE beside it in runAsOne's statement would not see the new row.
   */
  insertTakenAssignmentStatement(assignment: NewAssignment, takenAt: Date, answer: AnswerDeadline): SqlStatement {
    return {
      sql: `INSERT INTO request_assignments (id, request_id, facilitator_id, assigned_at, take_charge_due_at, take_charge_reminder_at,
                                             taken_at, answer_due_at, answer_reminder_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      params: [
        assignment.id,
        assignment.requestId,
        assignment.facilitatorId,
        assignment.assignedAt,
        assignment.takeChargeDueAt,
        assignment.takeChargeReminderAt,
        takenAt,
        answer.dueAt,
        answer.reminderAt,
      ],
    };
  }

  async currentAssignment(manager: EntityManager, requestId: string): Promise<CurrentAssignment | null> {
    const rows = await manager.query(
      `SELECT id, request_id AS "requestId", facilitator_id AS "facilitatorId", take_charge_due_at AS "takeChargeDueAt",
              take_charge_reminder_at AS "takeChargeReminderAt", taken_at AS "takenAt", answer_due_at AS "answerDueAt",
              answer_reminder_at AS "answerReminderAt"
         FROM request_assignments WHERE request_id = $1 AND ended_at IS NULL`,
      [requestId],
    );
    return rows[0] ?? null;
  }

  endAssignmentStatement(assignmentId: string, reason: AssignmentEndReason, now: Date, declineReason: DeclineReason | null): SqlStatement {
    return {
      sql: `UPDATE request_assignments SET ended_at = $2, end_reason = $3, decline_reason = $4 WHERE id = $1`,
      params: [assignmentId, now, reason, declineReason],
    };
  }

  markTakenStatement(assignmentId: string, now: Date, answer: AnswerDeadline): SqlStatement {
    return {
      sql: `UPDATE request_assignments SET taken_at = $2, answer_due_at = $3, answer_reminder_at = $4 WHERE id = $1`,
      params: [assignmentId, now, answer.dueAt, answer.reminderAt],
    };
  }

  answerDueStatement(assignmentId: string, answer: AnswerDeadline): SqlStatement {
    return {
      sql: `UPDATE request_assignments SET answer_due_at = $2, answer_reminder_at = $3, answer_overdue_announced_at = NULL WHERE id = $1`,
      params: [assignmentId, answer.dueAt, answer.reminderAt],
    };
  }

  requestStateStatement(
    requestId: string,
    state: { status: RequestStatus; assignedFacilitatorId: string | null; deadlineMisses?: number },
  ): SqlStatement {
    return {
      sql: `UPDATE requests SET status = $2, assigned_facilitator_id = $3, deadline_misses = COALESCE($4, deadline_misses), updated_at = now()
        WHERE id = $1`,
      params: [requestId, state.status, state.assignedFacilitatorId, state.deadlineMisses ?? null],
    };
  }

  /** The routing outcome of a batch: each request's new status and facilitator, in one statement. */
  routedStatesStatement(states: Array<{ requestId: string; status: RequestStatus; assignedFacilitatorId: string | null }>): SqlStatement {
    return {
      // A request falling into the pool is to be announced — again if someone held it since its last announcement,
      // not when an animator sent it from the pool to routing and it came back (they know; nothing changed).
      sql: `UPDATE requests r SET status = s.status, assigned_facilitator_id = s.facilitator_id, updated_at = now(),
                  pool_alerted_at = CASE
                    WHEN s.status = 'unassigned'
                     AND (r.pool_alerted_at IS NULL OR EXISTS (SELECT 1 FROM request_assignments a
                                                                WHERE a.request_id = r.id AND a.assigned_at > r.pool_alerted_at))
                    THEN NULL ELSE r.pool_alerted_at END
              FROM unnest($1::uuid[], $2::text[], $3::uuid[]) AS s(id, status, facilitator_id) WHERE r.id = s.id`,
      params: [states.map((s) => s.requestId), states.map((s) => s.status), states.map((s) => s.assignedFacilitatorId)],
    };
  }

  /** These requests' stay in the pool is announced as of `now`: the pool digest leaves them out. */
  poolAnnouncedStatement(requestIds: string[], now: Date): SqlStatement {
    return {
      sql: `UPDATE requests SET pool_alerted_at = $2 WHERE id = ANY($1::uuid[]) AND status = 'unassigned'`,
      params: [requestIds, now],
    };
  }

  escalationStatement(escalation: { id: string; requestId: string; misses: number; escalatedAt: Date }): SqlStatement {
    return {
      sql: `INSERT INTO request_escalations (id, request_id, misses, escalated_at) VALUES ($1, $2, $3, $4)`,
      params: [escalation.id, escalation.requestId, escalation.misses, escalation.escalatedAt],
    };
  }

  /**
   * The network's requests escalated and not announced yet, the earliest escalated first, their escalations and
   * requests locked (in request id order, as routing locks them). The network's digest is taken under a lock of its
   * own, so two workers never split one list in two, nor send it twice. Read once locked, in a statement of its own: one
   * that waited on a request (its holder declining) would read the holder as of before the wait.
   */
  async lockUnannouncedEscalations(manager: EntityManager, networkCode: string): Promise<EscalatedRequest[]> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('escalations'), hashtext($1))`, [networkCode]);
    const locked: Array<{ id: string }> = await manager.query(
      `SELECT e.id FROM request_escalations e JOIN requests r ON r.id = e.request_id
        WHERE r.network_code = $1 AND e.announced_at IS NULL
        ORDER BY r.id FOR UPDATE OF e, r`,
      [networkCode],
    );
    if (!locked.length) return [];
    const rows: Array<Omit<EscalatedRequest, 'escalationIds'> & { id: string; escalatedAt: Date }> = await manager.query(
      `SELECT e.id, e.misses, e.escalated_at AS "escalatedAt", r.id AS "requestId", r.reference, r.subject, r.kind,
              r.department_code AS "departmentCode", r.status,
              ARRAY(SELECT f.first_name || ' ' || f.last_name FROM request_assignments a JOIN facilitators f ON f.id = a.facilitator_id
                     WHERE a.request_id = r.id AND a.end_reason = 'deadline_missed' ORDER BY a.ended_at, a.id) AS "missedBy",
              (SELECT f.first_name || ' ' || f.last_name FROM request_assignments a JOIN facilitators f ON f.id = a.facilitator_id
                WHERE a.request_id = r.id AND a.ended_at IS NULL) AS holder
         FROM request_escalations e JOIN requests r ON r.id = e.request_id
        WHERE e.id = ANY($1::uuid[])
        ORDER BY r.id, e.escalated_at`,
      [locked.map((row) => row.id)],
    );
    // A request escalated again before its digest is named once, as of its latest miss, dated by its first escalation.
    const byRequest = new Map<string, EscalatedRequest & { escalatedAt: Date }>();
    for (const { id, ...row } of rows) {
      const seen = byRequest.get(row.requestId);
      byRequest.set(
        row.requestId,
        seen ? { ...seen, misses: row.misses, escalationIds: [...seen.escalationIds, id] } : { ...row, escalationIds: [id] },
      );
    }
    return [...byRequest.values()]
      .sort((a, b) => a.escalatedAt.getTime() - b.escalatedAt.getTime() || (a.requestId < b.requestId ? -1 : 1))
      .map(({ escalatedAt: _escalatedAt, ...request }) => request);
  }

  escalationsAnnouncedStatement(escalationIds: string[], now: Date): SqlStatement {
    return { sql: `UPDATE request_escalations SET announced_at = $2 WHERE id = ANY($1::uuid[])`, params: [escalationIds, now] };
  }

  /** Networks with escalations unannounced since before this time: their digest job was lost. */
  async networksWithUnannouncedEscalations(olderThan: Date): Promise<string[]> {
    const rows: Array<{ network_code: string }> = await this.dataSource.query(
      `SELECT DISTINCT r.network_code FROM request_escalations e JOIN requests r ON r.id = e.request_id
        WHERE e.announced_at IS NULL AND e.escalated_at < $1`,
      [olderThan],
    );
    return rows.map((r) => r.network_code);
  }

  /** A facilitator's kind and whether it receives requests, whatever the request: why routing did not list it as a candidate. */
  async facilitatorKind(manager: EntityManager, facilitatorId: string): Promise<{ kind: RequestKind; active: boolean } | null> {
    const rows = await manager.query(`SELECT kind, active FROM facilitators WHERE id = $1`, [facilitatorId]);
    return rows[0] ?? null;
  }

  async facilitatorContact(manager: EntityManager, facilitatorId: string): Promise<FacilitatorContact | null> {
    const rows = await manager.query(
      `SELECT id, email, first_name AS "firstName", network_code AS "networkCode" FROM facilitators WHERE id = $1`,
      [facilitatorId],
    );
    return rows[0] ?? null;
  }

  /**
   * Who hears of the network's pool and escalations: its active animators who have signed up (an invitation's address
   * may be mistyped); the network's contact address from the reference data when it has none yet (`toContact`).
   */
  async networkRecipients(manager: EntityManager, networkCode: string): Promise<NetworkRecipients | null> {
    const rows: Array<{
      name: string;
      animators: Array<{ email: string; ofSeveral: boolean }>;
      contactEmail: string | null;
      contactShared: boolean;
    }> = await manager.query(
      `SELECT n.name, n.contact_email AS "contactEmail",
              EXISTS (SELECT 1 FROM networks o WHERE lower(o.contact_email) = lower(n.contact_email) AND o.code <> n.code) AS "contactShared",
              ARRAY(SELECT json_build_object('email', u.email, 'ofSeveral',
                             EXISTS (SELECT 1 FROM staff_user_networks o WHERE o.user_id = u.id AND o.network_code <> n.code))
                      FROM staff_users u JOIN staff_user_networks un ON un.user_id = u.id
                     WHERE un.network_code = n.code AND u.role = 'animator' AND u.active
                       AND u.password_hash IS NOT NULL ORDER BY u.email) AS animators
         FROM networks n WHERE n.code = $1`,
      [networkCode],
    );
    if (!rows[0]) return null;
    const { name, animators, contactEmail, contactShared } = rows[0];
    if (animators.length) {
      const emails = (of: typeof animators) => of.map((a) => a.email);
      return { networkName: name, emails: emails(animators), toContact: false, ofSeveral: emails(animators.filter((a) => a.ofSeveral)) };
    }
    const emails = contactEmail ? [contactEmail] : [];
    return { networkName: name, emails, toContact: true, ofSeveral: contactShared ? emails : [] };
  }

  /**
   * Marks every pool request of the network not yet announced as announced now (those a routing holds are left for
   * it, those an escalation digest is to tell for that one), and returns the `listed` oldest of them with how many it
   * marked and how many wait in all.
   */
  async announcePool(
    manager: EntityManager,
    networkCode: string,
    listed: number,
    now: Date,
  ): Promise<{ requests: RoutableRequest[]; announced: number; waiting: number }> {
    const rows: Array<RoutableRequest & { announced: number }> = await manager.query(
      `WITH announced AS (
         UPDATE requests SET pool_alerted_at = $3
          WHERE id IN (SELECT r.id FROM requests r
                        WHERE r.network_code = $1 AND r.status = 'unassigned' AND r.pool_alerted_at IS NULL
                          AND NOT ${UNANNOUNCED_ESCALATION}
                          FOR UPDATE OF r SKIP LOCKED)
         RETURNING id)
       SELECT ${ROUTABLE_COLUMNS}, count(*) OVER ()::int AS announced
         FROM announced a JOIN requests r ON r.id = a.id JOIN departments d ON d.code = r.department_code
        ORDER BY r.created_at, r.id LIMIT $2`,
      [networkCode, listed, now],
    );
    if (!rows.length) return { requests: [], announced: 0, waiting: 0 };
    const [{ waiting }] = await manager.query(
      `SELECT count(*)::int AS waiting FROM requests WHERE network_code = $1 AND status = 'unassigned'`,
      [networkCode],
    );
    return { requests: rows.map(({ announced: _announced, ...request }) => request), announced: rows[0].announced, waiting };
  }

  /** Networks with pool requests unannounced since before this time: their digest job was lost. */
  async networksWithUnannouncedPool(olderThan: Date): Promise<string[]> {
    const rows: Array<{ network_code: string }> = await this.dataSource.query(
      `SELECT DISTINCT r.network_code FROM requests r
        WHERE r.status = 'unassigned' AND r.pool_alerted_at IS NULL AND r.updated_at < $1 AND NOT ${UNANNOUNCED_ESCALATION}`,
      [olderThan],
    );
    return rows.map((r) => r.network_code);
  }

  /** Networks holding answers due before `dueBefore`, still not given, that nobody was told of yet. */
  async networksWithUntoldOverdueAnswers(dueBefore: Date): Promise<string[]> {
    const rows: Array<{ network_code: string }> = await this.dataSource.query(
      `SELECT DISTINCT r.network_code FROM request_assignments ra JOIN requests r ON r.id = ra.request_id
        WHERE ${untoldOverdueAnswer('$1')}`,
      [dueBefore],
    );
    return rows.map((r) => r.network_code);
  }

  /**
   * The network's answers due before `dueBefore` not told yet, the longest overdue first, their requests locked.
   * The network's digest is taken under a lock of its own, so two workers never split one day's list in two.
   */
  async lockUntoldOverdueAnswers(manager: EntityManager, networkCode: string, dueBefore: Date): Promise<OverdueAnswer[]> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('overdue-answers'), hashtext($1))`, [networkCode]);
    // Locked in id order, as every routing transaction locks requests (no deadlock with a facilitator's reminders), then
    // listed the soonest due first.
    const overdue: OverdueAnswer[] = await manager.query(
      `SELECT ra.id AS "assignmentId", r.id AS "requestId", r.reference, r.subject, r.kind, r.department_code AS "departmentCode",
              ra.answer_due_at AS "dueAt", f.id AS "facilitatorId", f.first_name || ' ' || f.last_name AS "facilitatorName",
              f.first_name AS "facilitatorFirstName", f.email AS "facilitatorEmail"
         FROM request_assignments ra JOIN requests r ON r.id = ra.request_id JOIN facilitators f ON f.id = ra.facilitator_id
        WHERE r.network_code = $1 AND ${untoldOverdueAnswer('$2')}
        ORDER BY r.id
          FOR UPDATE OF r`,
      [networkCode, dueBefore],
    );
    return overdue.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || (a.requestId < b.requestId ? -1 : 1));
  }

  overdueAnnouncedStatement(assignmentIds: string[], now: Date): SqlStatement {
    return {
      sql: `UPDATE request_assignments SET answer_overdue_announced_at = $2 WHERE id = ANY($1::uuid[])`,
      params: [assignmentIds, now],
    };
  }

  /** Requests the facilitator holds but has not taken in charge: they move when the facilitator cannot. */
  async untakenRequestsOf(facilitatorId: string): Promise<string[]> {
    const rows: Array<{ request_id: string }> = await this.dataSource.query(
      `SELECT request_id FROM request_assignments WHERE facilitator_id = $1 AND ended_at IS NULL AND taken_at IS NULL`,
      [facilitatorId],
    );
    return rows.map((r) => r.request_id);
  }

  /** Networks whose pools a change to this facilitator may drain: its own, and those of the départements it covers. */
  async networksServedBy(facilitatorId: string): Promise<string[]> {
    const rows: Array<{ code: string }> = await this.dataSource.query(
      `SELECT f.network_code AS code FROM facilitators f WHERE f.id = $1
       UNION
       SELECT rg.network_code FROM facilitator_departments fd
         JOIN departments d ON d.code = fd.department_code JOIN regions rg ON rg.code = d.region_code
        WHERE fd.facilitator_id = $1`,
      [facilitatorId],
    );
    return rows.map((r) => r.code);
  }

  /**
   * Why the facilitator cannot be given a request due on `lastDay`, or null: left routing (`departed` with their
   * account deactivated, `inactive` otherwise), absent today (their network's day) or that day, or absent for at least
   * half of the days from today to then. Without `lastDay`: gone, or absent today. Within a transaction, pass its manager.
   */
  async whyAway(
    facilitatorId: string,
    days: NetworkDays,
    lastDay: string | null = null,
    db: DataSource | EntityManager = this.dataSource,
  ): Promise<AwayCause | null> {
    const rows: Array<{ away: AwayCause | null }> = await db.query(
      `SELECT CASE WHEN NOT f.active THEN CASE WHEN ${FACILITATOR_DEPARTED} THEN 'departed' ELSE 'inactive' END
              WHEN EXISTS (SELECT 1 FROM facilitator_absences a
                          WHERE a.facilitator_id = f.id AND (t.today BETWEEN a.starts_on AND a.ends_on OR l.last BETWEEN a.starts_on AND a.ends_on))
                OR 2 * (SELECT coalesce(sum(LEAST(a.ends_on, l.last) - GREATEST(a.starts_on, t.today) + 1), 0) FROM facilitator_absences a
                         WHERE a.facilitator_id = f.id AND a.starts_on <= l.last AND a.ends_on >= t.today) >= l.last - t.today + 1
              THEN 'absence' END AS away
         FROM facilitators f
              CROSS JOIN LATERAL (SELECT ${facilitatorToday('$2')} AS today) t
              CROSS JOIN LATERAL (SELECT COALESCE($3::date, t.today) AS last) l
        WHERE f.id = $1`,
      [facilitatorId, days, lastDay],
    );
    return rows[0]?.away ?? null;
  }

  /** Whether anyone who could serve this network's requests has a free place: else draining is pointless. */
  async networkHasFreeCapacity(networkCode: string): Promise<boolean> {
    const rows: Array<{ free: boolean }> = await this.dataSource.query(
      `SELECT EXISTS (
         SELECT 1 FROM facilitators f
          WHERE f.active AND f.open_count < f.capacity
            AND (f.network_code = $1 OR EXISTS (
                  SELECT 1 FROM facilitator_departments fd JOIN departments d ON d.code = fd.department_code
                    JOIN regions rg ON rg.code = d.region_code
                   WHERE fd.facilitator_id = f.id AND rg.network_code = $1))) AS free`,
      [networkCode],
    );
    return rows[0].free;
  }

  /** The pool, oldest first. */
  async pool(networkCode: string, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM requests WHERE network_code = $1 AND status = 'unassigned' ORDER BY created_at, id LIMIT $2`,
      [networkCode, limit],
    );
    return rows.map((r) => r.id);
  }

  async networksWithPool(): Promise<string[]> {
    const rows: Array<{ network_code: string }> = await this.dataSource.query(
      `SELECT DISTINCT network_code FROM requests WHERE status = 'unassigned'`,
    );
    return rows.map((r) => r.network_code);
  }

  /** Submitted requests whose routing job may have been lost (Redis emptied, say). */
  async staleSubmitted(olderThan: Date, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM requests WHERE status = 'submitted' AND created_at < $1 ORDER BY created_at LIMIT $2`,
      [olderThan, limit],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Assignments not taken in charge whose reminder is due (reminders.policy), the earliest first; not once their
   * deadline has passed (after a long stop of the sweep): routing moves them on, a reminder would come too late.
   */
  async dueTakeChargeReminders(now: Date, limit: number): Promise<DueReminder[]> {
    return this.dataSource.query(
      `SELECT request_id AS "requestId", id AS "assignmentId", facilitator_id AS "facilitatorId", 'take_charge' AS reminder
         FROM request_assignments
        WHERE ended_at IS NULL AND taken_at IS NULL AND take_charge_reminder_at <= $1 AND take_charge_due_at > $1
        ORDER BY take_charge_reminder_at LIMIT $2`,
      [now, limit],
    );
  }

  /**
   * Requests in progress whose answer reminder is due (reminders.policy), the earliest first; not once the answer is
   * overdue (after a long stop of the sweep): the overdue digest tells of it, and such rows would crowd out the due ones.
   */
  async dueAnswerReminders(now: Date, limit: number): Promise<DueReminder[]> {
    return this.dataSource.query(
      `SELECT ra.request_id AS "requestId", ra.id AS "assignmentId", ra.facilitator_id AS "facilitatorId", 'answer' AS reminder
         FROM request_assignments ra JOIN requests r ON r.id = ra.request_id
        WHERE ra.ended_at IS NULL AND ra.answer_reminder_at <= $1 AND ra.answer_due_at > $1 AND r.status = 'in_progress'
        ORDER BY ra.answer_reminder_at LIMIT $2`,
      [now, limit],
    );
  }

  /** Each of these reminders sent: cleared, so that no sweep sends it again. */
  remindersSentStatement(sent: ReadonlyArray<{ assignmentId: string; reminder: Reminder }>): SqlStatement {
    return {
      sql: `UPDATE request_assignments ra
               SET take_charge_reminder_at = CASE WHEN s.reminder = 'take_charge' THEN NULL ELSE ra.take_charge_reminder_at END,
                   answer_reminder_at = CASE WHEN s.reminder = 'answer' THEN NULL ELSE ra.answer_reminder_at END
              FROM unnest($1::uuid[], $2::text[]) AS s(id, reminder)
             WHERE ra.id = s.id`,
      params: columnsOf(sent, ['assignmentId', 'reminder']),
    };
  }

  /**
   * Assignments not taken in charge whose take-charge deadline has passed, the earliest first; `heldWith`: only those of
   * the facilitator holding that assignment (ended or not), who hears of them in one e-mail.
   */
  async overdueAssignments(now: Date, limit: number, heldWith: string | null = null): Promise<HeldAssignment[]> {
    return this.dataSource.query(
      `SELECT request_id AS "requestId", id AS "assignmentId", facilitator_id AS "facilitatorId" FROM request_assignments
        WHERE ended_at IS NULL AND taken_at IS NULL AND take_charge_due_at <= $1
          AND ($3::uuid IS NULL OR facilitator_id = (SELECT facilitator_id FROM request_assignments WHERE id = $3))
        ORDER BY take_charge_due_at LIMIT $2`,
      [now, limit, heldWith],
    );
  }

  /** Facilitators absent today (their network's day) or inactive who still hold requests not taken in charge. */
  async unavailableHolders(days: NetworkDays): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT DISTINCT f.id FROM facilitators f JOIN request_assignments ra ON ra.facilitator_id = f.id AND ra.ended_at IS NULL AND ra.taken_at IS NULL
        WHERE NOT f.active
           OR EXISTS (SELECT 1 FROM facilitator_absences a WHERE a.facilitator_id = f.id AND ${facilitatorToday('$1')} BETWEEN a.starts_on AND a.ends_on)`,
      [days],
    );
    return rows.map((r) => r.id);
  }
}

/** Facilitator `f` may serve one of the requests whose candidateParams are $1 to $3: active, their kind and territory. */
const CANDIDATE = `f.active
          AND (f.kind = 'environmental' AND f.network_code = ANY($1::text[])
               OR f.kind = 'social_clause'
                  AND (EXISTS (SELECT 1 FROM facilitator_departments fd WHERE fd.facilitator_id = f.id AND fd.department_code = ANY($2::text[]))
                       OR f.is_coordinator AND ${COORDINATED_REGIONS} && $3::text[]))`;

/** CANDIDATE's parameters: the environmental requests' networks, the social-clause ones' départements and régions. */
function candidateParams(requests: readonly RoutableRequest[]): [string[], string[], string[]] {
  const environmental = requests.filter((r) => r.kind === 'environmental');
  const social = requests.filter((r) => r.kind === 'social_clause');
  return [
    distinct(environmental.map((r) => r.networkCode)),
    distinct(social.map((r) => r.departmentCode)),
    distinct(social.map((r) => r.regionCode)),
  ];
}

function distinct(values: string[]): string[] {
  return [...new Set(values)];
}

/** Each request's facilitators, from rows naming one of them each. */
function holdersByRequest(rows: Array<{ requestId: string; facilitatorId: string }>): Map<string, Set<string>> {
  const byRequest = new Map<string, Set<string>>();
  for (const { requestId, facilitatorId } of rows) byRequest.set(requestId, (byRequest.get(requestId) ?? new Set()).add(facilitatorId));
  return byRequest;
}
