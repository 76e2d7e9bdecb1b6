import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { parisDay } from '../../src/common/clock';
import { lastFullQuarter } from '../../src/modules/reporting/indicators.policy';
import { insertFacilitator } from './facilitators';

/**
 * A small dataset counted by hand for the indicators, written straight into the tables with the stored
 * milestones. Period 2026-02-01 → 2026-02-28 (previous: January, 2026-01-01 → 2026-01-31).
 * aura-ee: 5 requests in February (taken in 0.5, 1.5 and 4 working days; answered in 3, within its deadline, and 4,
 * past it; 2 deadline misses), 2 in January (taken in 2.5 and 3.5; answered in 6 and 8, both within their deadline);
 * reseco: 3 in February.
 * Surveys: satisfaction 2 sent, 1 answered « yes »; impact 2 sent and answered, both contracts signed, one with an
 * environmental and one with a social consideration. Alerts, in the last full quarter: one facilitator declined 7
 * of 20 assignments, and 10 of the 30 satisfaction answers on their requests said "yes" (30 more aura-ee
 * requests, created in that quarter, held by that facilitator, 9 of them first answered past their deadline).
 */
let seq = 0;

/** One request as the indicators count it: created at `createdAt`, with its stored milestones (working days). */
export async function seedRequest(
  dataSource: DataSource,
  network: string,
  department: string,
  createdAt: string,
  fields: {
    status: string;
    kind?: string;
    segment?: string;
    take?: number;
    answer?: number;
    onTime?: boolean;
    misses?: number;
    /** Holding the request now. */
    facilitatorId?: string;
    /** Holding it at its first answer (onTime given); facilitatorId when not said. */
    answerHolderId?: string;
  },
): Promise<string> {
  const id = randomUUID();
  seq++;
  await dataSource.query(
    `INSERT INTO requests (id, reference, status, kind, buyer_first_name, buyer_last_name, buyer_email, organisation_name, organisation_type,
       department_code, network_code, segment_code, subject, question, purchase_stage, consented_at, tracking_token_hash, created_at,
       take_charge_working_days, answer_working_days, answered_on_time, deadline_misses, assigned_facilitator_id, answer_holder_id)
     VALUES ($1, $2, $3, $4, 'Camille', 'Martin', 'camille@example.org', 'Mairie', 'local_authority', $5, $6, $7, 'Sujet', 'Question',
       'sourcing', $8, '\\x00', $8, $9, $10, $11, $12, $13, $14)`,
    [
      id,
      `GV-2026-9${String(seq).padStart(5, '0')}`,
      fields.status,
      fields.kind ?? 'environmental',
      department,
      network,
      fields.segment ?? 'catering',
      createdAt,
      fields.take ?? null,
      fields.answer ?? null,
      fields.onTime ?? null,
      fields.misses ?? 0,
      fields.facilitatorId ?? null,
      fields.onTime === undefined ? null : (fields.answerHolderId ?? fields.facilitatorId ?? null),
    ],
  );
  return id;
}

/** One survey sent at `sentAt`, completed with `answers` (null: still unanswered). */
export async function seedSurvey(
  dataSource: DataSource,
  requestId: string,
  wave: string,
  sentAt: string,
  answers: Record<string, unknown> | null,
): Promise<void> {
  await dataSource.query(
    `INSERT INTO surveys (id, request_id, wave, status, due_at, sent_at, completed_at, usefulness, contract_outcome,
       environmental_considerations, social_considerations)
     VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8, $9, $10)`,
    [
      randomUUID(),
      requestId,
      wave,
      answers ? 'completed' : 'sent',
      sentAt,
      answers ? sentAt : null,
      answers?.usefulness ?? null,
      answers?.contract ?? null,
      answers?.environmental ?? [],
      answers?.social ?? [],
    ],
  );
}

/** Returns the facilitator behind the alerts. */
export async function seedIndicators(dataSource: DataSource): Promise<{ facilitatorId: string }> {
  const feb = '2026-02-10T11:00:00+01:00';
  const r1 = await seedRequest(dataSource, 'aura-ee', '69', feb, { status: 'closed', take: 0.5, answer: 3, onTime: true });
  const r2 = await seedRequest(dataSource, 'aura-ee', '69', feb, { status: 'closed', take: 1.5, answer: 4, onTime: false });
  const r3 = await seedRequest(dataSource, 'aura-ee', '38', feb, {
    status: 'in_progress',
    kind: 'social_clause',
    segment: 'furniture',
    take: 4,
    misses: 1,
  });
  const r4 = await seedRequest(dataSource, 'aura-ee', '38', feb, { status: 'assigned', segment: 'furniture', misses: 1 });
  const r5 = await seedRequest(dataSource, 'aura-ee', '69', feb, { status: 'unassigned', kind: 'social_clause' });
  const r6 = await seedRequest(dataSource, 'aura-ee', '69', '2026-01-15T10:00:00+01:00', {
    status: 'closed',
    take: 2.5,
    answer: 6,
    onTime: true,
  });
  const r7 = await seedRequest(dataSource, 'aura-ee', '69', '2026-01-20T10:00:00+01:00', {
    status: 'closed',
    take: 3.5,
    answer: 8,
    onTime: true,
  });
  for (let i = 0; i < 3; i++) await seedRequest(dataSource, 'reseco', '35', feb, { status: 'closed', take: 9, answer: 12 });
  // Just outside both periods: counted nowhere.
  await seedRequest(dataSource, 'aura-ee', '69', '2026-03-01T00:00:00+01:00', { status: 'closed', take: 1 });
  await seedRequest(dataSource, 'aura-ee', '69', '2025-12-31T23:59:00+01:00', { status: 'closed', take: 1 });

  await seedSurvey(dataSource, r1, 'satisfaction', '2026-02-15T10:00:00+01:00', { usefulness: 'yes' });
  await seedSurvey(dataSource, r2, 'satisfaction', '2026-02-15T10:00:00+01:00', null);
  await seedSurvey(dataSource, r6, 'impact', '2026-02-16T10:00:00+01:00', {
    contract: 'yes',
    environmental: ['environmental_clause'],
    social: ['none'],
  });
  await seedSurvey(dataSource, r7, 'impact', '2026-02-16T10:00:00+01:00', {
    contract: 'yes',
    environmental: ['none'],
    social: ['social_clause'],
  });

  // Last full quarter: one facilitator declined 7 of their 20 assignments (35 %, past the 30 % threshold).
  const facilitatorId = await insertFacilitator(dataSource, { network: 'aura-ee', firstName: 'Alix' });
  const quarter = lastFullQuarter(parisDay(new Date()));
  const requests = [r1, r2, r3, r4, r5];
  for (let i = 0; i < 20; i++) {
    await dataSource.query(
      `INSERT INTO request_assignments (id, request_id, facilitator_id, assigned_at, take_charge_due_at, ended_at, end_reason)
       VALUES ($1, $2, $3, $4::date + interval '20 days', $4::date + interval '22 days', $4::date + interval '21 days', $5)`,
      [randomUUID(), requests[i % 5], facilitatorId, quarter.from, i < 7 ? 'declined' : 'reassigned'],
    );
  }
  // And 10 of the 30 satisfaction answers on their requests said "yes" (33 %, under the 45 % threshold); 9 of their
  // first answers came past their deadline (30 %, past the 20 % threshold), 3 of those on requests since transferred
  // to a colleague: still counted on the facilitator who held them then (otherwise 6 of 27, 22 %).
  const colleagueId = await insertFacilitator(dataSource, { network: 'aura-ee', firstName: 'Bastien' });
  const mid = `${quarter.from}T12:00:00+02:00`;
  for (let i = 0; i < 30; i++) {
    const requestId = await seedRequest(dataSource, 'aura-ee', '69', mid, {
      status: 'closed',
      take: 1,
      answer: 2,
      onTime: i >= 9,
      facilitatorId: i < 3 ? colleagueId : facilitatorId,
      answerHolderId: facilitatorId,
    });
    await seedSurvey(dataSource, requestId, 'satisfaction', mid, { usefulness: i < 10 ? 'yes' : 'no' });
    await dataSource.query(`UPDATE surveys SET facilitator_id = $2 WHERE request_id = $1`, [requestId, facilitatorId]);
  }
  return { facilitatorId };
}
