import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
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
              u.facilitator_id IS DISTINCT FROM r.assigned_facilitator_id AS "leftBehind"
         FROM answer_drafts d JOIN staff_users u ON u.id = d.staff_user_id JOIN requests r ON r.id = d.request_id
        WHERE d.request_id = $1 AND d.staff_user_id <> $2
        ORDER BY d.saved_at DESC`,
      [requestId, staffUserId],
    );
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
