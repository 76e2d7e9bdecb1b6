import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import QueryStream from 'pg-query-stream';
import type { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { SqlStatement } from '../../database/sql-statement';
import { APPLICABLE_DEADLINE } from '../requests/requests.repository';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { visibleRequestsCondition } from '../workspace/staff-requests.repository';
import { escalatedCondition, searchCondition, tabCondition } from '../workspace/workspace.repository';
import type { EvaluationFilters } from './evaluations.policy';
import { evaluationsWhere, SqlParams, STAFF_JOINS, staffNames } from './evaluations.repository';
import type { RequestExportFilters } from './export.policy';

/** Rows fetched from the cursor at a time: memory stays flat whatever the export's size. */
const BATCH_SIZE = 500;

/** Timestamps as ISO local time in Paris, dates as ISO days: one format in every column. */
const paris = (column: string) => `to_char(${column} AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD HH24:MI')`;

/** The exports' queries, and a cursor to read them through. */
@Injectable()
export class ExportRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Requests this person sees, oldest first; buyers' names and contact details stay out of the file. `now`: the moment
   * against which « late » is judged (the queue's clock).
   */
  requestsQuery(staff: StaffPrincipal, filters: RequestExportFilters, now: Date): SqlStatement {
    const params = new SqlParams();
    const where = [
      params.take((first) => visibleRequestsCondition(staff, first)),
      ...params.requestFilters(filters, 'r.created_at'),
      params.equals('r.status', filters.status, 'text'),
      filters.tab ? tabCondition(filters.tab, filters.escalatedOnly) : 'true',
      filters.openOnly ? `r.status <> 'closed'` : 'true',
      searchCondition(filters.search, (value) => params.add(value)),
      params.equals('r.assigned_facilitator_id', filters.facilitator, 'uuid'),
      // Only when asked: the whole export keeps its plan (no join over the assignments for a million rows).
      filters.lateOnly
        ? `EXISTS (SELECT 1 FROM request_assignments ra WHERE ra.request_id = r.id AND ra.ended_at IS NULL AND ${APPLICABLE_DEADLINE} < ${params.add(now)}::timestamptz)`
        : 'true',
      filters.escalatedOnly ? escalatedCondition((value) => params.add(value)) : 'true',
    ].join('\n AND ');
    return {
      sql: `SELECT r.reference, ${paris('r.created_at')} AS "createdAt", r.status, r.close_reason AS "closeReason", r.kind,
                   r.segment_code AS "segmentCode", r.department_code AS "departmentCode", r.network_code AS "networkCode",
                   r.organisation_name AS "organisationName", r.organisation_type AS "organisationType", r.purchase_stage AS "purchaseStage",
                   r.estimated_amount AS "estimatedAmount", r.subject, f.first_name || ' ' || f.last_name AS "facilitatorName",
                   ${paris('r.taken_at')} AS "takenAt", ${paris('r.answered_at')} AS "answeredAt", r.answered_on_time AS "answeredOnTime",
                   r.take_charge_working_days::float8 AS "takeChargeWorkingDays", r.answer_working_days::float8 AS "answerWorkingDays",
                   r.deadline_misses > 0 AS "missedTakeCharge",
                   ${paris('r.closed_at')} AS "closedAt"
              FROM requests r
              LEFT JOIN facilitators f ON f.id = r.assigned_facilitator_id
             WHERE ${where}
             ORDER BY r.created_at, r.id`,
      params: params.values,
    };
  }

  /** The evaluation list's rows with every answer, oldest answered first. */
  evaluationsQuery(staff: StaffPrincipal, filters: EvaluationFilters): SqlStatement {
    const params = new SqlParams();
    const where = evaluationsWhere(staff, filters, params);
    return {
      sql: `SELECT r.reference, s.wave, ${paris('r.created_at')} AS "createdAt", ${paris('r.closed_at')} AS "closedAt",
                   ${paris('s.sent_at')} AS "sentAt", ${paris('s.completed_at')} AS "completedAt", r.kind, r.segment_code AS "segmentCode",
                   r.department_code AS "departmentCode", r.network_code AS "networkCode", f.first_name || ' ' || f.last_name AS "facilitatorName",
                   s.usefulness, s.quick_enough AS "quickEnough", s.contract_outcome AS "contractOutcome",
                   to_char(s.contract_date, 'YYYY-MM-DD') AS "contractDate", s.contract_reference AS "contractReference", s.levers,
                   s.award_criterion_weight AS "awardCriterionWeight", s.insertion_hours AS "insertionHours", s.themes,
                   s.environmental_considerations AS "environmentalConsiderations", s.social_considerations AS "socialConsiderations",
                   s.contract_amount AS "contractAmount", s.obstacles, s.would_use_again AS "wouldUseAgain", s.reuse_consent AS "reuseConsent",
                   s.comment, ${paris('s.reviewed_at')} AS "reviewedAt", ${staff.role === 'facilitator' ? 'NULL' : 's.review_note'} AS "reviewNote",
                   ${paris('s.shared_with_facilitator_at')} AS "sharedAt", ${staffNames(staff)}
              FROM surveys s JOIN requests r ON r.id = s.request_id LEFT JOIN facilitators f ON f.id = s.facilitator_id
              ${STAFF_JOINS}
             WHERE ${where}
             ORDER BY s.completed_at, s.id`,
      params: params.values,
    };
  }

  /**
   * Hands `consume` the query's rows as a stream read through a server-side cursor, on a connection of its own
   * in a read-only transaction (one consistent snapshot). However `consume` ends (done, failed, or the client
   * gone and the stream destroyed, which closes the cursor), the transaction ends and the connection goes back.
   */
  async stream(query: SqlStatement, consume: (rows: Readable) => Promise<void>): Promise<void> {
    const client = await ((this.dataSource.driver as PostgresDriver).master as Pool).connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await consume(client.query(new QueryStream(query.sql, query.params, { batchSize: BATCH_SIZE })));
    } finally {
      // Queued behind the cursor's own close; should it fail, the connection is discarded rather than pooled dirty.
      await client.query('ROLLBACK').catch((error: Error) => (broken = error));
      client.release(broken);
    }
  }
}
