/** Closed requests, answers and completed surveys written straight into the tables: the evaluations' test data. */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { runAsOne } from '../../src/database/sql-statement';
import { helpItemOf } from '../../src/modules/requests/request-message.types';
import { RequestMessagesRepository } from '../../src/modules/requests/request-messages.repository';
import type { SurveyAnswers } from '../../src/modules/reporting/evaluation-labels';
import type { Survey } from '../../src/modules/surveys/survey.entity';
import type { TestApp } from './test-app';

export interface ClosedRequestSeed {
  department?: string;
  network?: string;
  kind?: 'environmental' | 'social_clause';
  segment?: string;
  facilitatorId?: string | null;
  subject?: string;
  organisationName?: string;
  createdAt?: string;
  status?: string;
}

let batch = 0;

/** Requests closed as answered (or in `status`), written straight into the table: what a survey needs before it. */
export async function insertClosedRequests(
  dataSource: DataSource,
  count: number,
  seed: ClosedRequestSeed = {},
): Promise<Array<{ id: string; reference: string }>> {
  const status = seed.status ?? 'closed';
  return dataSource.query(
    `INSERT INTO requests (id, reference, status, kind, buyer_first_name, buyer_last_name, buyer_email, organisation_name,
       organisation_type, department_code, network_code, segment_code, subject, question, purchase_stage, consented_at,
       tracking_token_hash, created_at, assigned_facilitator_id, close_reason, closed_at)
     SELECT gen_random_uuid(), $1 || lpad(i::text, 6, '0'), $2, $3, 'Camille', 'Martin', 'camille.martin@example.fr', $4,
            'local_authority', $5, $6, $7, $8, 'Comment intégrer la loi AGEC dans notre marché de fournitures ?', 'need_definition',
            now(), '\\x00', $9::timestamptz, $10::uuid, $11, $12::timestamptz
       FROM generate_series(1, $13::int) AS i
     RETURNING id, reference`,
    [
      `GV-2026-${String(++batch).padStart(2, '0')}`,
      status,
      seed.kind ?? 'environmental',
      seed.organisationName ?? 'Commune de Grenoble',
      seed.department ?? '38',
      seed.network ?? 'aura-ee',
      seed.segment ?? 'office_supplies',
      seed.subject ?? 'Fournitures de bureau et loi AGEC',
      seed.createdAt ?? new Date().toISOString(),
      seed.facilitatorId ?? null,
      status === 'closed' ? 'answered' : null,
      status === 'closed' ? new Date().toISOString() : null,
      count,
    ],
  );
}

export async function insertClosedRequest(
  dataSource: DataSource,
  seed: ClosedRequestSeed = {},
): Promise<{ id: string; reference: string }> {
  return (await insertClosedRequests(dataSource, 1, seed))[0];
}

/** The facilitator's final answer, with a guide and a regulation reminder, as the workspace writes it. */
export async function insertAnswer(t: TestApp, requestId: string, authorId: string | null, body: string): Promise<void> {
  await runAsOne(
    t.dataSource,
    t.app
      .get(RequestMessagesRepository)
      .insertStatements({ id: randomUUID(), requestId, kind: 'answer', authorType: 'staff', authorId, body }, [
        helpItemOf('guide', { title: 'Guide de l’achat public durable', url: 'https://www.ecologie.gouv.fr/guide-achat' }),
        helpItemOf('referral', { referralTarget: 'circular_economy', details: 'Réseau régional de l’économie circulaire' }),
      ]),
  );
}

export type SurveySeed = Partial<
  SurveyAnswers & Pick<Survey, 'wave' | 'facilitatorId' | 'comment' | 'reuseConsent' | 'sharedWithFacilitatorAt' | 'reviewedAt'>
> & { completedAt?: string };

/** Completed surveys of these requests, answers as given (a satisfaction wave that found the advice useful by default). */
export async function insertCompletedSurveys(dataSource: DataSource, requestIds: string[], seed: SurveySeed = {}): Promise<string[]> {
  const wave = seed.wave ?? 'satisfaction';
  const rows: Array<{ id: string }> = await dataSource.query(
    `INSERT INTO surveys (id, request_id, wave, status, facilitator_id, due_at, sent_at, expires_at, completed_at, answered_at,
       usefulness, quick_enough, comment, contract_outcome, contract_date, contract_reference, levers, award_criterion_weight,
       insertion_hours, themes, environmental_considerations, social_considerations, contract_amount, obstacles, would_use_again,
       reuse_consent, shared_with_facilitator_at, reviewed_at)
     SELECT gen_random_uuid(), request_id, $2, 'completed', $3::uuid, $4::timestamptz, $4::timestamptz, $4::timestamptz + interval '60 days',
            $4::timestamptz, $4::timestamptz, $5, $6, $7, $8, $9::date, $10, $11::varchar[], $12, $13, $14::varchar[], $15::varchar[],
            $16::varchar[], $17::bigint, $18::varchar[], $19, $20, $21::timestamptz, $22::timestamptz
       FROM unnest($1::uuid[]) AS request_id
     RETURNING id`,
    [
      requestIds,
      wave,
      seed.facilitatorId ?? null,
      seed.completedAt ?? new Date().toISOString(),
      seed.usefulness ?? (wave === 'satisfaction' ? 'yes' : null),
      seed.quickEnough ?? (wave === 'satisfaction' ? true : null),
      seed.comment ?? null,
      seed.contractOutcome ?? (wave === 'impact' ? 'yes' : null),
      seed.contractDate ?? null,
      seed.contractReference ?? null,
      seed.levers ?? [],
      seed.awardCriterionWeight ?? null,
      seed.insertionHours ?? null,
      seed.themes ?? [],
      seed.environmentalConsiderations ?? [],
      seed.socialConsiderations ?? [],
      seed.contractAmount ?? null,
      seed.obstacles ?? [],
      seed.wouldUseAgain ?? null,
      seed.reuseConsent ?? false,
      seed.sharedWithFacilitatorAt ?? null,
      seed.reviewedAt ?? null,
    ],
  );
  return rows.map((r) => r.id);
}

export async function insertCompletedSurvey(dataSource: DataSource, requestId: string, seed: SurveySeed = {}): Promise<string> {
  return (await insertCompletedSurveys(dataSource, [requestId], seed))[0];
}
