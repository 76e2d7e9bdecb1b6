import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { SqlStatement } from '../../database/sql-statement';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { visibleNetworks } from '../accounts/access.policy';
import { visibleRequestsCondition } from '../workspace/staff-requests.repository';
import type { CloseReason, RequestKind, RequestStatus } from '../requests/request.types';
import { Survey } from '../surveys/survey.entity';
import type { ContractOutcome, SurveyWave, Usefulness } from '../surveys/survey.types';
import { EvaluationFilters, EvaluationScope, RequestFilters, scoreColumns } from './evaluations.policy';

/** Positional parameters of a query being built: each value added answers its placeholder. */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  /** A condition built elsewhere from a first parameter number (visibleRequestsCondition). */
  take(build: (firstParam: number) => { sql: string; params: unknown[] }): string {
    const condition = build(this.values.length + 1);
    this.values.push(...condition.params);
    return condition.sql;
  }

  /** `column = value`, or no condition when the value is null (nor mention of the column: its table may be left out). */
  equals(column: string, value: unknown, type: string): string {
    return value === null || value === undefined ? 'TRUE' : `${column} = ${this.add(value)}::${type}`;
  }

  /** The filters on the request (`r`), its period read on `dateColumn`. */
  requestFilters(filters: RequestFilters, dateColumn: string): string[] {
    return [
      this.days(dateColumn, filters.from, filters.to),
      this.equals('r.network_code', filters.network, 'text'),
      this.equals('r.kind', filters.kind, 'text'),
      this.equals('r.segment_code', filters.segment, 'text'),
      this.equals('r.department_code', filters.department, 'text'),
    ];
  }

  /** A period of whole days in Paris time, either end open. */
  days(column: string, from: string | null, to: string | null): string {
    const start = this.add(from);
    const end = this.add(to);
    return `(${start}::date IS NULL OR ${column} >= ${start}::date::timestamp AT TIME ZONE 'Europe/Paris')
        AND (${end}::date IS NULL OR ${column} < (${end}::date + 1)::timestamp AT TIME ZONE 'Europe/Paris')`;
  }
}

/**
 * Who sees which evaluations, in SQL on `surveys s JOIN requests r`: admins all, animators their networks'
 * (as for requests), a facilitator only those an animator shared with them.
 */
function visibleEvaluationsCondition(staff: StaffPrincipal, params: SqlParams): string {
  if (staff.role === 'facilitator')
    return `(s.shared_with_facilitator_at IS NOT NULL AND s.facilitator_id = ${params.add(staff.facilitatorId)}::uuid)`;
  return params.take((first) => visibleRequestsCondition(staff, first));
}

/** The completed evaluations this person sees that match the filters (paging aside). */
export function evaluationsWhere(staff: StaffPrincipal, filters: EvaluationFilters, params: SqlParams): string {
  const { usefulness, outcome } = scoreColumns(filters.score);
  const reviewed = params.add(filters.reviewed);
  return [
    's.completed_at IS NOT NULL',
    visibleEvaluationsCondition(staff, params),
    ...params.requestFilters(filters, 's.completed_at'),
    params.equals('s.facilitator_id', filters.facilitator, 'uuid'),
    params.equals('s.wave', filters.wave, 'text'),
    params.equals('s.usefulness', usefulness, 'text'),
    params.equals('s.contract_outcome', outcome, 'text'),
    `(${reviewed}::boolean IS NULL OR (s.reviewed_at IS NOT NULL) = ${reviewed})`,
  ].join('\n AND ');
}

export interface EvaluationRow {
  id: string;
  wave: SurveyWave;
  completedAt: Date;
  usefulness: Usefulness | null;
  contractOutcome: ContractOutcome | null;
  reuseConsent: boolean | null;
  reviewedAt: Date | null;
  sharedWithFacilitatorAt: Date | null;
  reference: string;
  subject: string;
  kind: RequestKind;
  segmentCode: string;
  departmentCode: string;
  networkCode: string;
  facilitatorName: string | null;
}

/** The request an evaluation is about, as the review shows it (no buyer contact details: they are not needed here). */
export interface EvaluatedRequest {
  id: string;
  reference: string;
  subject: string;
  question: string;
  kind: RequestKind;
  status: RequestStatus;
  closeReason: CloseReason | null;
  segmentCode: string;
  departmentCode: string;
  networkCode: string;
  organisationName: string;
  organisationType: string;
  /** Set once the buyer's personal data are erased: organisation name and question are then empty. */
  anonymisedAt: Date | null;
  createdAt: Date;
  closedAt: Date | null;
  facilitatorName: string | null;
  reviewerName: string | null;
  /** Who shared the evaluation with the facilitator (null: not shared, or before it was kept). */
  sharerName: string | null;
}

/** An evaluation locked for a review action, with what the rules and the history event need. */
export interface LockedEvaluation extends EvaluationScope {
  id: string;
  requestId: string;
  wave: SurveyWave;
  reference: string;
  subject: string;
  requestStatus: RequestStatus;
  anonymisedAt: Date | null;
  /** The review as it stands, to refuse one prepared before it; who made it and who shared, to say so. */
  reviewedAt: Date | null;
  reviewerName: string | null;
  sharerName: string | null;
}

const FROM = `FROM surveys s JOIN requests r ON r.id = s.request_id LEFT JOIN facilitators f ON f.id = s.facilitator_id`;

/**
 * Who reviewed and who shared an evaluation, by name (staff_users joined as `reviewer` and `sharer`). A facilitator
 * is told who shared it with them, never who reviewed it (the review is the animators' own, as its note).
 */
export function staffNames(staff: StaffPrincipal): string {
  const reviewer = staff.role === 'facilitator' ? 'NULL' : `reviewer.first_name || ' ' || reviewer.last_name`;
  return `${reviewer} AS "reviewerName", sharer.first_name || ' ' || sharer.last_name AS "sharerName"`;
}
export const STAFF_JOINS = `LEFT JOIN staff_users reviewer ON reviewer.id = s.reviewed_by LEFT JOIN staff_users sharer ON sharer.id = s.shared_by`;

/**
 * What a count reads: never the facilitators (named on the page only), the request only when a condition is on it (each
 * survey has its request, a foreign key); both indexes then answer it alone (the facilitators' join kept it off them).
 */
const countFrom = (where: string) => `FROM surveys s${/\br\./.test(where) ? ' JOIN requests r ON r.id = s.request_id' : ''}`;

/** Reads and writes of the animators' review; visibility always from evaluationsWhere. */
@Injectable()
export class EvaluationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async count(staff: StaffPrincipal, filters: EvaluationFilters): Promise<{ total: number; unreviewed: number }> {
    const params = new SqlParams();
    const where = evaluationsWhere(staff, filters, params);
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE s.reviewed_at IS NULL)::int AS unreviewed ${countFrom(where)} WHERE ${where}`,
      params.values,
    );
    return row;
  }

  /** One page, the latest answered first. */
  page(staff: StaffPrincipal, filters: EvaluationFilters, limit: number, offset: number): Promise<EvaluationRow[]> {
    const params = new SqlParams();
    const where = evaluationsWhere(staff, filters, params);
    return this.dataSource.query(
      `SELECT s.id, s.wave, s.completed_at AS "completedAt", s.usefulness, s.contract_outcome AS "contractOutcome",
              s.reuse_consent AS "reuseConsent", s.reviewed_at AS "reviewedAt", s.shared_with_facilitator_at AS "sharedWithFacilitatorAt",
              r.reference, r.subject, r.kind, r.segment_code AS "segmentCode", r.department_code AS "departmentCode",
              r.network_code AS "networkCode", f.first_name || ' ' || f.last_name AS "facilitatorName"
         ${FROM}
        WHERE ${where}
        ORDER BY s.completed_at DESC, s.id
        LIMIT ${params.add(limit)} OFFSET ${params.add(offset)}`,
      params.values,
    );
  }

  /** The evaluation and its request if this person may see it, else null (the caller answers 404). */
  async find(staff: StaffPrincipal, id: string): Promise<{ survey: Survey; request: EvaluatedRequest } | null> {
    const params = new SqlParams();
    const visible = `s.id = ${params.add(id)} AND s.completed_at IS NOT NULL AND ${visibleEvaluationsCondition(staff, params)}`;
    const [request]: EvaluatedRequest[] = await this.dataSource.query(
      `SELECT r.id, r.reference, r.subject, r.question, r.kind, r.status, r.close_reason AS "closeReason",
              r.segment_code AS "segmentCode", r.department_code AS "departmentCode", r.network_code AS "networkCode",
              r.organisation_name AS "organisationName", r.organisation_type AS "organisationType", r.anonymised_at AS "anonymisedAt",
              r.created_at AS "createdAt", r.closed_at AS "closedAt", f.first_name || ' ' || f.last_name AS "facilitatorName",
              ${staffNames(staff)}
         ${FROM}
         ${STAFF_JOINS}
        WHERE ${visible}`,
      params.values,
    );
    if (!request) return null;
    return { request, survey: await this.dataSource.getRepository(Survey).findOneByOrFail({ id }) };
  }

  /** Locks the evaluation for the caller's transaction if this person sees it (a concurrent review waits). */
  async lockVisible(manager: EntityManager, staff: StaffPrincipal, id: string): Promise<LockedEvaluation | null> {
    const params = new SqlParams();
    const visible = `s.id = ${params.add(id)} AND s.completed_at IS NOT NULL AND ${visibleEvaluationsCondition(staff, params)}`;
    const [row] = await manager.query(
      `SELECT s.id, s.request_id AS "requestId", s.wave, s.facilitator_id AS "facilitatorId",
              s.shared_with_facilitator_at AS "sharedWithFacilitatorAt", r.network_code AS "networkCode",
              r.reference, r.subject, r.status AS "requestStatus", r.anonymised_at AS "anonymisedAt", s.reviewed_at AS "reviewedAt",
              ${staffNames(staff)}
         FROM surveys s JOIN requests r ON r.id = s.request_id
         ${STAFF_JOINS}
        WHERE ${visible}
          FOR UPDATE OF s`,
      params.values,
    );
    return row ?? null;
  }

  reviewStatement(id: string, reviewerId: string, note: string | null, at: Date): SqlStatement {
    return {
      sql: `UPDATE surveys SET reviewed_at = $2, reviewed_by = $3, review_note = $4, updated_at = now() WHERE id = $1`,
      params: [id, at, reviewerId, note],
    };
  }

  shareStatement(id: string, sharerId: string, at: Date): SqlStatement {
    return {
      sql: `UPDATE surveys SET shared_with_facilitator_at = $2, shared_by = $3, updated_at = now() WHERE id = $1`,
      params: [id, at, sharerId],
    };
  }

  /** The facilitators this person may filter on: those of their networks (all for admins); a facilitator needs none. */
  async facilitatorChoices(staff: StaffPrincipal): Promise<Array<{ id: string; name: string }>> {
    if (staff.role === 'facilitator') return [];
    return this.dataSource.query(
      `SELECT id, first_name || ' ' || last_name AS name FROM facilitators
        WHERE $1::text[] IS NULL OR network_code = ANY($1::text[])
        ORDER BY last_name, first_name, id`,
      [visibleNetworks(staff)],
    );
  }
}
