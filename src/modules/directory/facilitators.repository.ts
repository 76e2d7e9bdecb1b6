import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { facilitatorToday, NetworkDays } from '../reference/network-days';
import { OPEN_STATUSES } from '../requests/request-state.policy';
import type { RequestKind, RequestStatus } from '../requests/request.types';
import { APPLICABLE_DEADLINE } from '../requests/requests.repository';
import type { AbsenceDto } from './dto/absence.dto';
import type { FacilitatorDto } from './dto/facilitator.dto';
import type { FacilitatorProfile } from './facilitator.policy';

export interface FacilitatorFilter {
  networkCode?: string;
  kind?: RequestKind;
  active?: boolean;
}

/** A request a facilitator holds, with the deadline that applies to it now (none while the buyer has the hand). */
export interface HeldRequest {
  reference: string;
  subject: string;
  status: RequestStatus;
  departmentCode: string;
  dueAt: Date | null;
  /** Taken in charge: it stays theirs through an absence; the others go to a colleague once it has begun. */
  taken: boolean;
}

/** A facilitator as stored, with its id: what a change is compared against. */
export interface StoredFacilitator extends FacilitatorProfile {
  id: string;
}

const PROFILE_COLUMNS = `f.id, f.email, f.first_name AS "firstName", f.last_name AS "lastName", f.kind, f.organisation,
       f.network_code AS "networkCode", f.is_coordinator AS "isCoordinator", f.capacity, f.active, f.segments,
       ARRAY(SELECT fd.department_code::text FROM facilitator_departments fd WHERE fd.facilitator_id = f.id ORDER BY 1) AS "departmentCodes"`;

/** The facilitators as the directory shows them, their absences read on their network's day (NetworkDays as `days`). */
const view = (days: string) => `SELECT ${PROFILE_COLUMNS}, f.open_count AS "openCount", f.last_assigned_at AS "lastAssignedAt",
       f.created_at AS "createdAt", f.updated_at AS "updatedAt",
       COALESCE((SELECT json_agg(json_build_object('id', a.id, 'startsOn', a.starts_on, 'endsOn', a.ends_on, 'reason', a.reason)
                                  ORDER BY a.starts_on)
                   FROM facilitator_absences a WHERE a.facilitator_id = f.id AND a.ends_on >= ${facilitatorToday(days)}), '[]') AS absences,
       EXISTS (SELECT 1 FROM facilitator_absences a
                WHERE a.facilitator_id = f.id AND ${facilitatorToday(days)} BETWEEN a.starts_on AND a.ends_on) AS "absentToday"
  FROM facilitators f`;

/** Columns an update may write; open_count and last_assigned_at are routing's alone. */
const UPDATABLE_COLUMNS: Record<Exclude<keyof FacilitatorProfile, 'departmentCodes'>, string> = {
  email: 'email',
  firstName: 'first_name',
  lastName: 'last_name',
  kind: 'kind',
  organisation: 'organisation',
  networkCode: 'network_code',
  segments: 'segments',
  capacity: 'capacity',
  isCoordinator: 'is_coordinator',
  active: 'active',
};

@Injectable()
export class FacilitatorsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async list(filter: FacilitatorFilter, days: NetworkDays): Promise<FacilitatorDto[]> {
    return this.dataSource.query(
      `${view('$4')}
        WHERE ($1::text IS NULL OR f.network_code = $1) AND ($2::text IS NULL OR f.kind = $2) AND ($3::boolean IS NULL OR f.active = $3)
        ORDER BY f.network_code, f.kind, f.last_name COLLATE "fr-x-icu", f.first_name COLLATE "fr-x-icu", f.id`,
      [filter.networkCode ?? null, filter.kind ?? null, filter.active ?? null, days],
    );
  }

  async view(id: string, days: NetworkDays): Promise<FacilitatorDto | null> {
    const rows = await this.dataSource.query(`${view('$2')} WHERE f.id = $1`, [id, days]);
    return rows[0] ?? null;
  }

  /** Locks the facilitator for the caller's transaction: changes to one facilitator take turns. */
  async lockById(manager: EntityManager, id: string): Promise<StoredFacilitator | null> {
    const rows = await manager.query(`SELECT ${PROFILE_COLUMNS} FROM facilitators f WHERE f.id = $1 FOR UPDATE OF f`, [id]);
    return rows[0] ?? null;
  }

  async lockByEmail(manager: EntityManager, email: string): Promise<StoredFacilitator | null> {
    const rows = await manager.query(`SELECT ${PROFILE_COLUMNS} FROM facilitators f WHERE f.email = $1 FOR UPDATE OF f`, [email]);
    return rows[0] ?? null;
  }

  async emailTaken(manager: EntityManager, email: string, exceptId: string): Promise<boolean> {
    const rows = await manager.query(`SELECT 1 FROM facilitators WHERE email = $1 AND id <> $2`, [email, exceptId]);
    return rows.length > 0;
  }

  async insert(manager: EntityManager, id: string, profile: FacilitatorProfile): Promise<void> {
    await manager.query(
      `INSERT INTO facilitators (id, email, first_name, last_name, kind, network_code, is_coordinator, capacity, open_count, active, segments,
                                 organisation)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9, $10, $11)`,
      [
        id,
        profile.email,
        profile.firstName,
        profile.lastName,
        profile.kind,
        profile.networkCode,
        profile.isCoordinator,
        profile.capacity,
        profile.active,
        profile.segments,
        profile.organisation,
      ],
    );
    await this.replaceDepartments(manager, id, profile.departmentCodes);
  }

  /** Writes only the given fields, so routing's counters are never overwritten with a stale value. */
  async update(manager: EntityManager, id: string, changes: Partial<FacilitatorProfile>): Promise<void> {
    const { departmentCodes, ...columns } = changes;
    const entries = Object.entries(columns) as Array<[keyof typeof UPDATABLE_COLUMNS, unknown]>;
    if (entries.length) {
      const assignments = entries.map(([field], index) => `${UPDATABLE_COLUMNS[field]} = $${index + 2}`);
      await manager.query(`UPDATE facilitators SET ${assignments.join(', ')}, updated_at = now() WHERE id = $1`, [
        id,
        ...entries.map(([, value]) => value),
      ]);
    } else {
      await manager.query(`UPDATE facilitators SET updated_at = now() WHERE id = $1`, [id]);
    }
    if (departmentCodes) await this.replaceDepartments(manager, id, departmentCodes);
  }

  async findOverlappingAbsence(
    manager: EntityManager,
    facilitatorId: string,
    period: { startsOn: string; endsOn: string },
  ): Promise<AbsenceDto | null> {
    const rows = await manager.query(
      `SELECT id, starts_on::text AS "startsOn", ends_on::text AS "endsOn", reason FROM facilitator_absences
        WHERE facilitator_id = $1 AND starts_on <= $3::date AND ends_on >= $2::date
        ORDER BY starts_on LIMIT 1`,
      [facilitatorId, period.startsOn, period.endsOn],
    );
    return rows[0] ?? null;
  }

  async insertAbsence(manager: EntityManager, facilitatorId: string, absence: AbsenceDto, selfDeclared: boolean): Promise<void> {
    await manager.query(
      `INSERT INTO facilitator_absences (id, facilitator_id, starts_on, ends_on, reason, self_declared) VALUES ($1, $2, $3, $4, $5, $6)`,
      [absence.id, facilitatorId, absence.startsOn, absence.endsOn, absence.reason, selfDeclared],
    );
  }

  /** Absences facilitators declared themselves, not announced yet, begun or beginning by `horizon`, not over. */
  comingUnannouncedAbsences(today: string, horizon: string): Promise<Array<{ id: string; facilitatorId: string }>> {
    return this.dataSource.query(
      `SELECT id, facilitator_id AS "facilitatorId" FROM facilitator_absences
        WHERE self_declared AND announced_at IS NULL AND starts_on <= $2::date AND ends_on >= $1::date
        ORDER BY starts_on, id`,
      [today, horizon],
    );
  }

  /** The absence while still to announce, locked until the transaction ends; null once announced (or deleted). */
  async lockUnannouncedAbsence(manager: EntityManager, absenceId: string): Promise<AbsenceDto | null> {
    const rows = await manager.query(
      `SELECT id, starts_on::text AS "startsOn", ends_on::text AS "endsOn", reason FROM facilitator_absences
        WHERE id = $1 AND self_declared AND announced_at IS NULL FOR UPDATE`,
      [absenceId],
    );
    return rows[0] ?? null;
  }

  async markAbsenceAnnounced(manager: EntityManager, absenceId: string): Promise<void> {
    await manager.query(`UPDATE facilitator_absences SET announced_at = now() WHERE id = $1`, [absenceId]);
  }

  async deleteAbsence(manager: EntityManager, facilitatorId: string, absenceId: string): Promise<boolean> {
    const [, affected] = await manager.query(`DELETE FROM facilitator_absences WHERE id = $1 AND facilitator_id = $2`, [
      absenceId,
      facilitatorId,
    ]);
    return affected > 0;
  }

  /** Whether a staff account (active or not) is linked to the facilitator: else they have yet to be invited. */
  async hasAccount(facilitatorId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM staff_users WHERE facilitator_id = $1 LIMIT 1`, [facilitatorId]);
    return rows.length > 0;
  }

  /** The network's active animators, by name, whom its facilitators write to about their record. */
  networkAnimators(networkCode: string): Promise<Array<{ name: string; email: string }>> {
    return this.dataSource.query(
      `SELECT u.first_name || ' ' || u.last_name AS name, u.email FROM staff_users u
         JOIN staff_user_networks un ON un.user_id = u.id
        WHERE un.network_code = $1 AND u.role = 'animator' AND u.active
        ORDER BY u.last_name COLLATE "fr-x-icu", u.first_name COLLATE "fr-x-icu"`,
      [networkCode],
    );
  }

  /**
   * The open requests the facilitator holds (their current assignments), the most urgent first; `takenOnly`: those
   * taken in charge, the others going to a colleague once an absence has begun (routing).
   */
  async heldRequests(manager: EntityManager, facilitatorId: string, takenOnly: boolean): Promise<HeldRequest[]> {
    return manager.query(
      `SELECT r.reference, r.subject, r.status, r.department_code AS "departmentCode", ${APPLICABLE_DEADLINE} AS "dueAt",
              ra.taken_at IS NOT NULL AS taken
         FROM request_assignments ra JOIN requests r ON r.id = ra.request_id
        WHERE ra.facilitator_id = $1 AND ra.ended_at IS NULL AND r.status = ANY($2::varchar[])
          AND (NOT $3 OR ra.taken_at IS NOT NULL)
        ORDER BY "dueAt" NULLS LAST, r.created_at`,
      [facilitatorId, [...OPEN_STATUSES], takenOnly],
    );
  }

  private async replaceDepartments(manager: EntityManager, id: string, departmentCodes: string[]): Promise<void> {
    await manager.query(`DELETE FROM facilitator_departments WHERE facilitator_id = $1`, [id]);
    if (departmentCodes.length) {
      await manager.query(`INSERT INTO facilitator_departments (facilitator_id, department_code) SELECT $1, unnest($2::varchar[])`, [
        id,
        departmentCodes,
      ]);
    }
  }
}
