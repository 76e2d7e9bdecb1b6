import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { columnsOf, SqlStatement } from '../../database/sql-statement';
import type { CloseReason, OrganisationType, PurchaseStage, RequestKind, RequestStatus } from '../requests/request.types';
import { Survey } from './survey.entity';
import { DECLINABLE_STATUSES, UNANSWERED_STATUSES } from './survey.policy';
import type { SurveyAnswers } from './survey-answers.policy';
import type { SurveyDeclineWay, SurveyStatus, SurveyWave } from './survey.types';

export interface NewSurvey {
  id: string;
  requestId: string;
  wave: SurveyWave;
  facilitatorId: string | null;
  dueAt: Date;
}

/** A survey with what its e-mail and page need of its request. */
export interface SurveyWithRequest {
  survey: Survey;
  request: {
    id: string;
    reference: string;
    subject: string;
    status: RequestStatus;
    closeReason: CloseReason | null;
    /** Its latest closure (null while open): a link sent before it was withdrawn by a reopening. */
    closedAt: Date | null;
    buyerEmail: string;
    buyerFirstName: string;
    anonymisedAt: Date | null;
    networkName: string;
    /** Where the buyer writes to the network (its « Réseaux » page address), or null when it has none. */
    networkContactEmail: string | null;
    departmentCode: string;
    kind: RequestKind;
    organisationType: OrganisationType;
    /** When the desk received the request, and where the purchase stood then (a consultation already published?). */
    receivedAt: Date;
    purchaseStage: PurchaseStage;
    /** Made by splitting another request: its row's day is the split's, not the buyer's. */
    splitOff: boolean;
    /** A social-clause request's facilitator who works for a structure of their own: named in the impact survey. */
    adviserFirstName: string | null;
    adviserOrganisation: string | null;
  };
}

/** An address's opt-out as staff read it: never the address, which it does not keep. */
export interface SurveyOptOutRecord {
  source: 'buyer' | 'staff';
  recordedAt: Date;
}

/** The columns a step writes; the others are left as they are. */
export interface SurveyStepChange {
  status: SurveyStatus;
  dueAt?: Date;
  sentAt?: Date;
  remindedAt?: Date;
  expiresAt?: Date;
  tokenHash?: Buffer;
  tokenSealed?: Buffer;
  /** Cleared at expiry (no one will complete them) and when the address is corrected (typed by the old mailbox's holder). */
  partialAnswers?: null;
  /** Set with `declined`; cleared when a correction puts back a survey the old mailbox refused. */
  declinedVia?: SurveyDeclineWay | null;
}

const ANSWER_COLUMNS: Array<[keyof SurveyAnswers, string]> = [
  ['usefulness', 'varchar'],
  ['quickEnough', 'boolean'],
  ['comment', 'text'],
  ['contractOutcome', 'varchar'],
  ['contractDate', 'date'],
  ['contractReference', 'varchar'],
  ['levers', 'varchar[]'],
  ['awardCriterionWeight', 'smallint'],
  ['insertionHours', 'integer'],
  ['themes', 'varchar[]'],
  ['environmentalConsiderations', 'varchar[]'],
  ['socialConsiderations', 'varchar[]'],
  ['contractAmount', 'bigint'],
  ['obstacles', 'varchar[]'],
  ['wouldUseAgain', 'boolean'],
  ['reuseConsent', 'boolean'],
];

/** What a survey needs of its request (SurveyWithRequest['request']), read by both queries that give one. */
const REQUEST_WITH_NETWORK = `SELECT r.id, r.reference, r.subject, r.status, r.close_reason AS "closeReason", r.closed_at AS "closedAt",
  r.buyer_email AS "buyerEmail",
  r.buyer_first_name AS "buyerFirstName", r.anonymised_at AS "anonymisedAt", n.name AS "networkName",
  n.contact_email AS "networkContactEmail",
  r.department_code AS "departmentCode", r.kind, r.organisation_type AS "organisationType", r.created_at AS "receivedAt",
  r.purchase_stage AS "purchaseStage",
  EXISTS (SELECT 1 FROM request_events e WHERE e.request_id = r.id AND e.type = 'split_from') AS "splitOff",
  adviser.first_name AS "adviserFirstName", adviser.organisation AS "adviserOrganisation"
  FROM requests r JOIN networks n ON n.code = r.network_code
  LEFT JOIN LATERAL (SELECT f.first_name, f.organisation FROM surveys s JOIN facilitators f ON f.id = s.facilitator_id
                      WHERE s.request_id = r.id AND s.wave = 'impact' AND r.kind = 'social_clause' AND f.organisation IS NOT NULL) adviser ON true`;

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

@Injectable()
export class SurveysRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Both waves of a closure, scheduled. A survey already sent, answered or expired is kept as it is: a request
   * closed again after a reopening is not surveyed twice; a cancelled one is scheduled again.
   */
  scheduleStatement(surveys: NewSurvey[], optOutHashes: Buffer[]): SqlStatement {
    return {
      // Nothing at all for an address that opted out of every survey (its keys: surveyOptOutHashes).
      sql: `INSERT INTO surveys (id, request_id, wave, facilitator_id, due_at, status)
            SELECT s.*, 'scheduled' FROM unnest($1::uuid[], $2::uuid[], $3::varchar[], $4::uuid[], $5::timestamptz[]) AS s
             WHERE NOT EXISTS (SELECT 1 FROM survey_opt_outs WHERE email_hash = ANY($6::bytea[]))
            ON CONFLICT (request_id, wave) DO UPDATE
              SET status = 'scheduled', due_at = EXCLUDED.due_at, facilitator_id = EXCLUDED.facilitator_id, updated_at = now()
              WHERE surveys.status IN ('scheduled', 'cancelled')`,
      params: [...columnsOf(surveys, ['id', 'requestId', 'wave', 'facilitatorId', 'dueAt']), optOutHashes],
    };
  }

  /** Whether the address opted out of every survey, under any of its keys (one per secret a rotation accepts). */
  async optedOut(manager: EntityManager, optOutHashes: Buffer[]): Promise<boolean> {
    return (await this.optOutOf(manager, optOutHashes)) !== null;
  }

  /** The address's opt-out under any of its keys: who recorded it (the buyer, or staff on their word) and when; null for none. */
  async optOutOf(manager: EntityManager, optOutHashes: Buffer[]): Promise<SurveyOptOutRecord | null> {
    if (!optOutHashes.length) return null;
    const rows: SurveyOptOutRecord[] = await manager.query(
      `SELECT source, created_at AS "recordedAt" FROM survey_opt_outs WHERE email_hash = ANY($1::bytea[]) ORDER BY created_at LIMIT 1`,
      [optOutHashes],
    );
    return rows[0] ?? null;
  }

  /** Lifts the address's opt-out, under every key it may have been stored under; false when there was none. */
  async removeOptOut(manager: EntityManager, optOutHashes: Buffer[]): Promise<boolean> {
    if (!optOutHashes.length) return false;
    const [rows]: [unknown[], number] = await manager.query(`DELETE FROM survey_opt_outs WHERE email_hash = ANY($1::bytea[]) RETURNING 1`, [
      optOutHashes,
    ]);
    return rows.length > 0;
  }

  /** Records the address's opt-out under its current key; false when it was already there. */
  async recordOptOut(manager: EntityManager, emailHash: Buffer, source: 'buyer' | 'staff'): Promise<boolean> {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO survey_opt_outs (email_hash, source) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`,
      [emailHash, source],
    );
    return inserted.length > 0;
  }

  /** The request's buyer address as it stands (empty once erased), null for no such request. */
  async buyerEmailOf(manager: EntityManager, requestId: string): Promise<string | null> {
    const rows: Array<{ buyerEmail: string }> = await manager.query(`SELECT buyer_email AS "buyerEmail" FROM requests WHERE id = $1`, [
      requestId,
    ]);
    return rows[0]?.buyerEmail ?? null;
  }

  /**
   * Locks every request of the address (any case), in id order like every batch that locks several: the surveys of
   * each then change under its request's lock, the order every change of a request takes.
   */
  async lockRequestsOf(manager: EntityManager, email: string): Promise<Array<{ id: string; reference: string }>> {
    return manager.query(
      `SELECT id, reference FROM requests WHERE lower(buyer_email) = lower($1) AND anonymised_at IS NULL ORDER BY id FOR UPDATE`,
      [email],
    );
  }

  /**
   * A reopened request's surveys not answered yet wait for its next closure, which sends them with a new link: what a
   * refused form kept at the old one is dropped, never to be completed.
   */
  cancelUnansweredStatement(requestId: string): SqlStatement {
    return {
      sql: `UPDATE surveys SET status = 'cancelled', partial_answers = NULL, updated_at = now()
             WHERE request_id = $1 AND status = ANY($2::varchar[])`,
      params: [requestId, [...UNANSWERED_STATUSES]],
    };
  }

  /** The buyer's refusal from a link, under the request's lock: how many surveys it ended (none when already declined). */
  async declineUnanswered(manager: EntityManager, requestId: string): Promise<number> {
    return (await this.declineUnansweredOf(manager, [requestId], 'link')).length;
  }

  /** The refusal of several requests, under their locks: the requests whose surveys it ended, once per survey. */
  async declineUnansweredOf(manager: EntityManager, requestIds: string[], via: SurveyDeclineWay): Promise<string[]> {
    const [rows]: [Array<{ requestId: string }>, number] = await manager.query(
      `UPDATE surveys SET status = 'declined', declined_via = $3, updated_at = now()
        WHERE request_id = ANY($1::uuid[]) AND status = ANY($2::varchar[])
       RETURNING request_id AS "requestId"`,
      [requestIds, [...DECLINABLE_STATUSES], via],
    );
    return rows.map((row) => row.requestId);
  }

  /** Whether a survey of the request may still be sent or answered (none left: the buyer will be asked nothing more). */
  async anyDeclinable(requestId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM surveys WHERE request_id = $1 AND status = ANY($2::varchar[]) LIMIT 1`,
      [requestId, [...DECLINABLE_STATUSES]],
    );
    return rows.length > 0;
  }

  /**
   * What a correction of the request's address changes: its surveys that have a link (sent once, whatever became of them
   * since), and those refused from a link, sent or not (the old mailbox's refusal, not the new one's).
   */
  async renewableIds(manager: EntityManager, requestId: string): Promise<string[]> {
    const rows: Array<{ id: string }> = await manager.query(
      `SELECT id FROM surveys WHERE request_id = $1 AND (token_hash IS NOT NULL OR declined_via = 'link') ORDER BY id`,
      [requestId],
    );
    return rows.map((row) => row.id);
  }

  /** Whether that link (its token's hash) still opens a survey of the request. */
  async linkStands(manager: EntityManager, requestId: string, tokenHash: Buffer): Promise<boolean> {
    return (await this.requestsOfLinks(manager, [requestId], [tokenHash])).length > 0;
  }

  /** Those of the requests that a survey of theirs still opens by one of these links (their tokens' hashes). */
  async requestsOfLinks(manager: EntityManager, requestIds: string[], tokenHashes: Buffer[]): Promise<string[]> {
    const rows: Array<{ requestId: string }> = await manager.query(
      `SELECT DISTINCT request_id AS "requestId" FROM surveys WHERE request_id = ANY($1::uuid[]) AND token_hash = ANY($2::bytea[])`,
      [requestIds, tokenHashes],
    );
    return rows.map((row) => row.requestId);
  }

  /** The buyer address of the survey's request, read without a lock (empty once erased); null for no such survey. */
  async buyerEmailOfSurvey(manager: EntityManager, surveyId: string): Promise<string | null> {
    const rows: Array<{ buyerEmail: string }> = await manager.query(
      `SELECT r.buyer_email AS "buyerEmail" FROM surveys s JOIN requests r ON r.id = s.request_id WHERE s.id = $1`,
      [surveyId],
    );
    return rows[0]?.buyerEmail ?? null;
  }

  /** The other surveys of these requests in that wave and status due before `before`: those that may go in one e-mail. */
  async companionIds(manager: EntityManager, requestIds: string[], wave: SurveyWave, status: SurveyStatus, before: Date, exceptId: string) {
    const rows: Array<{ id: string }> = await manager.query(
      `SELECT id FROM surveys WHERE request_id = ANY($1::uuid[]) AND wave = $2 AND status = $3 AND due_at < $4 AND id <> $5 ORDER BY id`,
      [requestIds, wave, status, before, exceptId],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Surveys whose link is still this one (its token's hash) and still awaits answers — or, for a first sending, holds
   * them (editable): what a survey e-mail may still offer. A reminder does not remind of a survey answered since; an
   * expired survey's link only says it is over.
   */
  async standingLinks(surveyIds: string[], tokenHashes: Buffer[], reminder: boolean): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT s.id FROM surveys s JOIN unnest($1::uuid[], $2::bytea[]) AS l(id, hash) ON l.id = s.id
        WHERE s.token_hash = l.hash AND s.status = ANY($3::varchar[])`,
      [surveyIds, tokenHashes, reminder ? ['sent', 'reminded'] : ['sent', 'reminded', 'completed']],
    );
    return rows.map((row) => row.id);
  }

  /** Locks the survey's request, then the survey: the order every change of a request takes, so none deadlocks. */
  async lockWithRequest(manager: EntityManager, surveyId: string): Promise<SurveyWithRequest | null> {
    const requests = await manager.query(
      `${REQUEST_WITH_NETWORK}
        WHERE r.id = (SELECT request_id FROM surveys WHERE id = $1)
          FOR UPDATE OF r`,
      [surveyId],
    );
    if (!requests.length) return null;
    const survey = await manager.getRepository(Survey).findOne({ where: { id: surveyId }, lock: { mode: 'pessimistic_write' } });
    return survey ? { survey, request: requests[0] } : null;
  }

  stepStatement(surveyId: string, change: SurveyStepChange): SqlStatement {
    const columns = Object.entries(change).filter(([, value]) => value !== undefined);
    return {
      sql: `UPDATE surveys SET ${columns.map(([key], i) => `${snake(key)} = $${i + 2}`).join(', ')}, updated_at = now() WHERE id = $1`,
      params: [surveyId, ...columns.map(([, value]) => value)],
    };
  }

  /** Surveys whose next step is due, oldest first: the sweep's work. */
  async dueIds(now: Date, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM surveys WHERE status IN ('scheduled', 'sent', 'reminded') AND due_at <= $1 ORDER BY due_at LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => r.id);
  }

  /** The surveys whose link is one of these (their tokens' hashes), each with its request, in the hashes' order: two queries whatever their number. */
  async findByTokenHashes(tokenHashes: Buffer[]): Promise<SurveyWithRequest[]> {
    if (!tokenHashes.length) return [];
    const surveys = await this.dataSource
      .getRepository(Survey)
      .createQueryBuilder('s')
      .where('s.token_hash = ANY(:tokenHashes)', { tokenHashes })
      .getMany();
    if (!surveys.length) return [];
    const requests: Array<SurveyWithRequest['request']> = await this.dataSource.query(
      `${REQUEST_WITH_NETWORK} WHERE r.id = ANY($1::uuid[])`,
      [surveys.map((survey) => survey.requestId)],
    );
    return tokenHashes.flatMap((hash) => {
      const survey = surveys.find((candidate) => candidate.tokenHash?.equals(hash));
      const request = survey && requests.find((candidate) => candidate.id === survey.requestId);
      return request ? [{ survey, request }] : [];
    });
  }

  /** The buyer's answers: the first completes the survey, later ones only move `answered_at`. */
  answersStatement(surveyId: string, answers: SurveyAnswers, now: Date): SqlStatement {
    const sets = ANSWER_COLUMNS.map(([key, type], i) => `${snake(key)} = $${i + 3}::${type}`);
    return {
      sql: `UPDATE surveys SET ${sets.join(', ')}, status = 'completed', completed_at = COALESCE(completed_at, $2),
              answered_at = $2, partial_answers = NULL, declined_via = NULL, updated_at = now()
            WHERE id = $1`,
      params: [surveyId, now, ...ANSWER_COLUMNS.map(([key]) => answers[key])],
    };
  }

  /** A refused form's valid part, kept for the buyer to complete (null: nothing to keep); the survey stays unanswered. */
  partialAnswersStatement(surveyId: string, answers: SurveyAnswers | null): SqlStatement {
    return {
      sql: `UPDATE surveys SET partial_answers = $2::jsonb, updated_at = now() WHERE id = $1`,
      params: [surveyId, answers && JSON.stringify(answers)],
    };
  }

  /** The request's surveys whose link still opens, the latest sent first. */
  openFor(reference: string, now: Date): Promise<Survey[]> {
    return this.dataSource
      .getRepository(Survey)
      .createQueryBuilder('s')
      .innerJoin('s.request', 'r')
      .where('r.reference = :reference', { reference })
      .andWhere(`s.status IN ('sent', 'reminded', 'completed')`)
      .andWhere('s.expires_at > :now', { now })
      .orderBy('s.sent_at', 'DESC')
      .getMany();
  }
}
