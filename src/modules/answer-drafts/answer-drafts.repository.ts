import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { SqlStatement } from '../../database/sql-statement';
import type { DraftContent, DraftItem } from './answer-draft.policy';

export interface StoredDraft extends DraftContent {
  savedAt: Date;
}

/** Someone else's draft on a request, as the page names it: who and when, never what. */
export interface DraftInProgress {
  staffUserId: string;
  authorName: string;
  savedAt: Date;
  /** Its author no longer holds the request (transferred, reassigned, rerouted): left unfinished, nobody writes it. */
  leftBehind: boolean;
}

/** A draft (`d`, by `u`) on a request (`r`) its author no longer holds: transferred, reassigned, given back. */
const LEFT_BEHIND = 'u.facilitator_id IS DISTINCT FROM r.assigned_facilitator_id';

/**
 * A draft its author left on a request taken from them, as « Mes brouillons laissés » shows it: only what they wrote and
 * saw themselves (reference, subject), never the request's later life. Its scope says whether they still see it (a pool).
 */
export interface LeftDraft extends StoredDraft {
  reference: string;
  subject: string;
  departmentCode: string;
  networkCode: string;
  assignedFacilitatorId: string | null;
  status: string;
}

/**
 * The drafts (`d`) of their authors (`u`) left on requests (`r`) still open to read: an erased request's are deleted with
 * its data, and the condition keeps one that outlived it out of sight all the same.
 */
const LEFT_DRAFT = `u.id = d.staff_user_id AND r.id = d.request_id AND ${LEFT_BEHIND} AND r.anonymised_at IS NULL`;

/**
 * Every draft of these requests, in the transaction that closes them or erases their personal data: a closed request
 * takes no answer, and a draft is the writer's words about the buyer's question.
 */
export function draftsDeletedStatement(requestIds: string[]): SqlStatement {
  return { sql: `DELETE FROM answer_drafts WHERE request_id = ANY($1::uuid[])`, params: [requestIds] };
}

@Injectable()
export class AnswerDraftsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(requestId: string, staffUserId: string): Promise<StoredDraft | null> {
    const rows: Array<{ body: string; items: DraftItem[]; savedAt: Date }> = await this.dataSource.query(
      `SELECT body, items, saved_at AS "savedAt" FROM answer_drafts WHERE request_id = $1 AND staff_user_id = $2`,
      [requestId, staffUserId],
    );
    return rows[0] ?? null;
  }

  /** The drafts of this request but this person's, latest first, with their authors' names and whether they still hold it. */
  othersOn(requestId: string, staffUserId: string): Promise<DraftInProgress[]> {
    return this.dataSource.query(
      `SELECT d.staff_user_id AS "staffUserId", u.first_name || ' ' || u.last_name AS "authorName", d.saved_at AS "savedAt",
              ${LEFT_BEHIND} AS "leftBehind"
         FROM answer_drafts d JOIN staff_users u ON u.id = d.staff_user_id JOIN requests r ON r.id = d.request_id
        WHERE d.request_id = $1 AND d.staff_user_id <> $2
        ORDER BY d.saved_at DESC`,
      [requestId, staffUserId],
    );
  }

  /** This person's drafts on requests they no longer hold, latest first. */
  leftBy(staffUserId: string): Promise<LeftDraft[]> {
    return this.dataSource.query(
      `SELECT r.reference, r.subject, r.department_code AS "departmentCode", r.network_code AS "networkCode", r.assigned_facilitator_id AS "assignedFacilitatorId", r.status,
              d.body, d.items, d.saved_at AS "savedAt"
         FROM answer_drafts d, staff_users u, requests r WHERE ${LEFT_DRAFT} AND d.staff_user_id = $1
        ORDER BY d.saved_at DESC`,
      [staffUserId],
    );
  }

  /** Whether this person has any: the workspace's navigation names « Mes brouillons laissés » only then. */
  async hasLeft(staffUserId: string): Promise<boolean> {
    const rows = await this.dataSource.query(
      `SELECT 1 FROM answer_drafts d, staff_users u, requests r WHERE ${LEFT_DRAFT} AND d.staff_user_id = $1 LIMIT 1`,
      [staffUserId],
    );
    return rows.length > 0;
  }

  /** This person's left draft of this request, deleted; false when they have none there (someone else's, or still theirs). */
  async deleteLeft(staffUserId: string, reference: string): Promise<boolean> {
    const [, count]: [unknown, number] = await this.dataSource.query(
      `DELETE FROM answer_drafts d USING staff_users u, requests r WHERE ${LEFT_DRAFT} AND d.staff_user_id = $1 AND r.reference = $2`,
      [staffUserId, reference],
    );
    return count > 0;
  }

  /** Whether this person has a draft of this request, left or still being written. */
  async anyOn(staffUserId: string, reference: string): Promise<boolean> {
    const rows = await this.dataSource.query(
      `SELECT 1 FROM answer_drafts d JOIN requests r ON r.id = d.request_id WHERE d.staff_user_id = $1 AND r.reference = $2 LIMIT 1`,
      [staffUserId, reference],
    );
    return rows.length > 0;
  }

  /** Whether the facilitator's account has a draft of this request: the e-mail telling them it is taken says where it stays. */
  async writtenBy(manager: EntityManager, requestId: string, facilitatorId: string): Promise<boolean> {
    const rows = await manager.query(
      `SELECT 1 FROM answer_drafts d JOIN staff_users u ON u.id = d.staff_user_id WHERE d.request_id = $1 AND u.facilitator_id = $2 LIMIT 1`,
      [requestId, facilitatorId],
    );
    return rows.length > 0;
  }

  /** Written, or replaced: one draft per request and person. */
  saveStatement(requestId: string, staffUserId: string, content: DraftContent, savedAt: Date): SqlStatement {
    return {
      sql: `INSERT INTO answer_drafts (request_id, staff_user_id, body, items, saved_at) VALUES ($1, $2, $3, $4::jsonb, $5)
            ON CONFLICT (request_id, staff_user_id) DO UPDATE SET body = EXCLUDED.body, items = EXCLUDED.items, saved_at = EXCLUDED.saved_at`,
      params: [requestId, staffUserId, content.body, JSON.stringify(content.items), savedAt],
    };
  }

  /** This person's draft of this request, gone (sent as the answer, or discarded). */
  deleteStatement(requestId: string, staffUserId: string): SqlStatement {
    return { sql: `DELETE FROM answer_drafts WHERE request_id = $1 AND staff_user_id = $2`, params: [requestId, staffUserId] };
  }
}
