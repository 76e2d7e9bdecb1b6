import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { SqlStatement } from '../../database/sql-statement';
import type { RequestStatus } from '../requests/request.types';
import type { FacilitatorCandidate } from './ranking.policy';
import type { AssignmentEndReason, DeclineReason } from './request-assignment.entity';

/** What routing needs to know of a request, read under its row lock. */
export interface RoutableRequest {
  id: string;
  reference: string;
  status: RequestStatus;
  kind: 'environmental' | 'social_clause';
  departmentCode: string;
  regionCode: string;
  networkCode: string;
  segmentCode: string;
  subject: string;
  deadlineMisses: number;
  createdAt: Date;
}

export interface CurrentAssignment {
  id: string;
  requestId: string;
  facilitatorId: string;
  takeChargeDueAt: Date;
  takenAt: Date | null;
  actionTokenHash: Buffer;
}

export interface FacilitatorContact {
  id: string;
  email: string;
  firstName: string;
  networkCode: string;
}

/** Statuses in which a request waits for a facilitator. */
export const ROUTABLE_STATUSES: readonly RequestStatus[] = ['submitted', 'unassigned'];

@Injectable()
export class RoutingRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Locks the request: every routing decision about it is taken by one transaction at a time. */
  async lockRequest(manager: EntityManager, requestId: string): Promise<RoutableRequest | null> {
    const rows = await manager.query(
      `SELECT r.id, r.reference, r.status, r.kind, r.department_code AS "departmentCode", d.region_code AS "regionCode",
              r.network_code AS "networkCode", r.segment_code AS "segmentCode", r.subject,
              r.deadline_misses AS "deadlineMisses", r.created_at AS "createdAt"
         FROM requests r JOIN departments d ON d.code = r.department_code
        WHERE r.id = $1
          FOR UPDATE OF r`,
      [requestId],
    );
    return rows[0] ?? null;
  }

  /**
   * Facilitators who could serve the request's kind and territory, with what the ranking policy
   * needs; the policy makes the final decision.
   */
  async candidates(
    manager: EntityManager,
    request: RoutableRequest,
    today: string,
  ): Promise<{ candidates: FacilitatorCandidate[]; excluded: Set<string> }> {
    const rows: Array<FacilitatorCandidate & { excluded: boolean }> = await manager.query(
      `SELECT f.id, f.kind, f.network_code AS "networkCode", f.is_coordinator AS "isCoordinator", f.active, f.capacity,
              f.open_count AS "openCount", f.segments, f.last_assigned_at AS "lastAssignedAt",
              COALESCE((SELECT array_agg(fd.department_code) FROM facilitator_departments fd WHERE fd.facilitator_id = f.id), '{}') AS "departmentCodes",
              COALESCE((SELECT array_agg(rg.code) FROM regions rg WHERE rg.network_code = f.network_code), '{}') AS "regionCodes",
              EXISTS (SELECT 1 FROM facilitator_absences a WHERE a.facilitator_id = f.id AND $5::date BETWEEN a.starts_on AND a.ends_on) AS "absentToday",
              -- who declined this request or let its deadline pass is not offered it again
              EXISTS (SELECT 1 FROM request_assignments ra WHERE ra.request_id = $6 AND ra.facilitator_id = f.id
                         AND ra.end_reason IN ('declined', 'deadline_missed')) AS excluded
         FROM facilitators f
        WHERE f.kind = $1 AND f.active
          AND CASE WHEN $1 = 'environmental' THEN f.network_code = $2
                   ELSE EXISTS (SELECT 1 FROM facilitator_departments fd WHERE fd.facilitator_id = f.id AND fd.department_code = $3)
                        OR (f.is_coordinator AND EXISTS (SELECT 1 FROM regions rg WHERE rg.network_code = f.network_code AND rg.code = $4))
              END`,
      [request.kind, request.networkCode, request.departmentCode, request.regionCode, today, request.id],
    );
    return { candidates: rows, excluded: new Set(rows.filter((r) => r.excluded).map((r) => r.id)) };
  }

  /**
   * Takes one place in the facilitator's capacity, or nothing if it is full: the row lock makes
   * concurrent claims queue, and the condition is checked again after the wait.
   */
  async claimCapacity(manager: EntityManager, facilitatorId: string, now: Date): Promise<FacilitatorContact | null> {
    const [rows] = await manager.query(
      `UPDATE facilitators SET open_count = open_count + 1, last_assigned_at = $2
        WHERE id = $1 AND active AND open_count < capacity
        RETURNING id, email, first_name AS "firstName", network_code AS "networkCode"`,
      [facilitatorId, now],
    );
    return rows[0] ?? null;
  }

  releaseCapacityStatement(facilitatorId: string): SqlStatement {
    return { sql: `UPDATE facilitators SET open_count = greatest(open_count - 1, 0) WHERE id = $1`, params: [facilitatorId] };
  }

  insertAssignmentStatement(assignment: {
    id: string;
    requestId: string;
    facilitatorId: string;
    assignedAt: Date;
    takeChargeDueAt: Date;
    actionTokenHash: Buffer;
  }): SqlStatement {
    return {
      sql: `INSERT INTO request_assignments (id, request_id, facilitator_id, assigned_at, take_charge_due_at, action_token_hash)
            VALUES ($1, $2, $3, $4, $5, $6)`,
      params: [
        assignment.id,
        assignment.requestId,
        assignment.facilitatorId,
        assignment.assignedAt,
        assignment.takeChargeDueAt,
        assignment.actionTokenHash,
      ],
    };
  }

  async currentAssignment(manager: EntityManager, requestId: string): Promise<CurrentAssignment | null> {
    const rows = await manager.query(
      `SELECT id, request_id AS "requestId", facilitator_id AS "facilitatorId", take_charge_due_at AS "takeChargeDueAt",
              taken_at AS "takenAt", action_token_hash AS "actionTokenHash"
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

  markTakenStatement(assignmentId: string, now: Date): SqlStatement {
    return { sql: `UPDATE request_assignments SET taken_at = $2 WHERE id = $1`, params: [assignmentId, now] };
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

  async facilitatorContact(manager: EntityManager, facilitatorId: string): Promise<FacilitatorContact | null> {
    const rows = await manager.query(
      `SELECT id, email, first_name AS "firstName", network_code AS "networkCode" FROM facilitators WHERE id = $1`,
      [facilitatorId],
    );
    return rows[0] ?? null;
  }

  async networkContact(manager: EntityManager, networkCode: string): Promise<{ name: string; contactEmail: string | null } | null> {
    const rows = await manager.query(`SELECT name, contact_email AS "contactEmail" FROM networks WHERE code = $1`, [networkCode]);
    return rows[0] ?? null;
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

  async facilitatorUnavailableToday(facilitatorId: string, today: string): Promise<boolean> {
    const rows: Array<{ unavailable: boolean }> = await this.dataSource.query(
      `SELECT NOT f.active OR EXISTS (SELECT 1 FROM facilitator_absences a WHERE a.facilitator_id = f.id AND $2::date BETWEEN a.starts_on AND a.ends_on) AS unavailable
         FROM facilitators f WHERE f.id = $1`,
      [facilitatorId, today],
    );
    return rows[0]?.unavailable ?? false;
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

  async overdueAssignments(now: Date, limit: number): Promise<Array<{ requestId: string; assignmentId: string }>> {
    return this.dataSource.query(
      `SELECT request_id AS "requestId", id AS "assignmentId" FROM request_assignments
        WHERE ended_at IS NULL AND taken_at IS NULL AND take_charge_due_at <= $1 ORDER BY take_charge_due_at LIMIT $2`,
      [now, limit],
    );
  }

  /** Facilitators absent or inactive today who still hold requests not taken in charge. */
  async unavailableHolders(today: string): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT DISTINCT f.id FROM facilitators f JOIN request_assignments ra ON ra.facilitator_id = f.id AND ra.ended_at IS NULL AND ra.taken_at IS NULL
        WHERE NOT f.active OR EXISTS (SELECT 1 FROM facilitator_absences a WHERE a.facilitator_id = f.id AND $1::date BETWEEN a.starts_on AND a.ends_on)`,
      [today],
    );
    return rows.map((r) => r.id);
  }

  async assignmentView(assignmentId: string): Promise<AssignmentView | null> {
    const rows = await this.dataSource.query(
      `SELECT ra.id, ra.request_id AS "requestId", ra.action_token_hash AS "actionTokenHash", ra.take_charge_due_at AS "takeChargeDueAt",
              ra.taken_at AS "takenAt", ra.ended_at AS "endedAt", ra.end_reason AS "endReason", f.first_name AS "facilitatorFirstName",
              r.reference, r.status, r.kind, r.subject, r.question, r.department_code AS "departmentCode", r.segment_code AS "segmentCode",
              r.purchase_stage AS "purchaseStage", r.estimated_amount AS "estimatedAmount", to_char(r.needed_by, 'YYYY-MM-DD') AS "neededBy",
              r.buyer_first_name AS "buyerFirstName", r.buyer_last_name AS "buyerLastName", r.buyer_email AS "buyerEmail",
              r.buyer_phone AS "buyerPhone", r.organisation_name AS "organisationName", r.organisation_type AS "organisationType",
              r.created_at AS "createdAt"
         FROM request_assignments ra JOIN requests r ON r.id = ra.request_id JOIN facilitators f ON f.id = ra.facilitator_id
        WHERE ra.id = $1`,
      [assignmentId],
    );
    return rows[0] ?? null;
  }
}

/** What the facilitator's private assignment page shows. */
export interface AssignmentView {
  id: string;
  requestId: string;
  actionTokenHash: Buffer;
  takeChargeDueAt: Date;
  takenAt: Date | null;
  endedAt: Date | null;
  endReason: string | null;
  facilitatorFirstName: string;
  reference: string;
  status: RequestStatus;
  kind: 'environmental' | 'social_clause';
  subject: string;
  question: string;
  departmentCode: string;
  segmentCode: string;
  purchaseStage: string;
  estimatedAmount: string | null;
  neededBy: string | null;
  buyerFirstName: string;
  buyerLastName: string;
  buyerEmail: string;
  buyerPhone: string | null;
  organisationName: string;
  organisationType: string;
  createdAt: Date;
}
