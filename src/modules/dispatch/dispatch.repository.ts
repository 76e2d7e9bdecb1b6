import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { SqlStatement } from '../../database/sql-statement';
import { facilitatorToday, NetworkDays } from '../reference/network-days';
import { AdviceRequest } from '../requests/request.entities';
import type { OrganisationType, RequestKind, RequestStatus } from '../requests/request.types';
import { APPLICABLE_DEADLINE, HOLDINGS } from '../requests/requests.repository';
import { COORDINATED_REGIONS, FACILITATOR_ACCOUNT } from '../routing/routing.repository';
import type { FacilitatorLoadDto } from './dto/dispatch-results.dto';

/** What the dispatch pages show of the request. */
export interface DispatchSummary {
  id: string;
  reference: string;
  subject: string;
  /** The buyer's question, which a split divides and a reassignment or transfer passes on. */
  question: string;
  kind: RequestKind;
  status: RequestStatus;
  segmentCode: string;
  organisationType: OrganisationType;
  holder: string | null;
  holderId: string | null;
  /** Its holdings so far, for the seen state its forms send. */
  holdings: number;
}

@Injectable()
export class DispatchRepository {
  constructor(private readonly dataSource: DataSource) {}

  async summary(requestId: string): Promise<DispatchSummary | null> {
    const rows = await this.dataSource.query(
      `SELECT r.id, r.reference, r.subject, r.question, r.kind, r.status, r.segment_code AS "segmentCode", r.organisation_type AS "organisationType",
              CASE WHEN f.id IS NULL THEN NULL ELSE f.first_name || ' ' || f.last_name END AS holder, r.assigned_facilitator_id AS "holderId",
              ${HOLDINGS} AS holdings
         FROM requests r LEFT JOIN facilitators f ON f.id = r.assigned_facilitator_id WHERE r.id = $1`,
      [requestId],
    );
    return rows[0] ?? null;
  }

  /** The whole request, locked: the split copies its buyer, organisation and territory. */
  lockFull(manager: EntityManager, requestId: string): Promise<AdviceRequest | null> {
    return manager.getRepository(AdviceRequest).findOne({ where: { id: requestId }, lock: { mode: 'pessimistic_write' } });
  }

  /** The requests a split already made under these ids (a split sent twice), as its result lists them. */
  async splitOffAlready(manager: EntityManager, ids: string[]): Promise<Array<{ reference: string; kind: RequestKind; subject: string }>> {
    return manager.query(`SELECT reference, kind, subject FROM requests WHERE id = ANY($1::uuid[]) ORDER BY reference`, [ids]);
  }

  /** The original's subject once a split took its other topics away. */
  subjectStatement(requestId: string, subject: string): SqlStatement {
    return { sql: `UPDATE requests SET subject = $2, updated_at = now() WHERE id = $1`, params: [requestId, subject] };
  }

  kindStatement(requestId: string, kind: RequestKind): SqlStatement {
    return { sql: `UPDATE requests SET kind = $2, updated_at = now() WHERE id = $1`, params: [requestId, kind] };
  }

  /**
   * Facilitators of these networks (null: all) with their load and whether they can sign in to take what they get;
   * late means holding a request past the deadline that applies to it (APPLICABLE_DEADLINE: taking in charge, then
   * answering), as the queue marks it. Absences are read on each facilitator's network's day.
   */
  loads(networkCodes: string[] | null, days: NetworkDays, now: Date): Promise<FacilitatorLoadDto[]> {
    return this.dataSource.query(
      `SELECT f.id, f.first_name AS "firstName", f.last_name AS "lastName", f.kind, f.organisation, f.network_code AS "networkCode",
              f.active,
              f.open_count AS "openCount", f.capacity, f.last_assigned_at AS "lastAssignedAt", f.email,
              ${FACILITATOR_ACCOUNT} AS "account",
              COALESCE((SELECT array_agg(fd.department_code ORDER BY fd.department_code) FROM facilitator_departments fd
                         WHERE fd.facilitator_id = f.id), '{}') AS "departmentCodes",
              COALESCE(CASE WHEN f.kind = 'social_clause' AND f.is_coordinator
                   THEN (SELECT array_agg(rg.name ORDER BY rg.name) FROM regions rg WHERE rg.code = ANY(${COORDINATED_REGIONS})) END,
                 '{}') AS "coordinatedRegions",
              EXISTS (SELECT 1 FROM facilitator_absences a WHERE a.facilitator_id = f.id AND ${facilitatorToday('$2')} BETWEEN a.starts_on AND a.ends_on) AS "absentToday",
              (SELECT json_build_object('startsOn', to_char(a.starts_on, 'YYYY-MM-DD'), 'endsOn', to_char(a.ends_on, 'YYYY-MM-DD'))
                 FROM facilitator_absences a WHERE a.facilitator_id = f.id AND a.ends_on >= ${facilitatorToday('$2')}
                ORDER BY a.starts_on LIMIT 1) AS "absence",
              (SELECT count(*)::int FROM request_assignments ra JOIN requests r ON r.id = ra.request_id
                WHERE ra.facilitator_id = f.id AND ra.ended_at IS NULL AND ${APPLICABLE_DEADLINE} < $3) AS "lateCount"
         FROM facilitators f
        WHERE $1::text[] IS NULL OR f.network_code = ANY($1::text[])
        ORDER BY f.network_code, f.kind, f.last_name, f.first_name, f.id`,
      [networkCodes, days, now],
    );
  }
}
