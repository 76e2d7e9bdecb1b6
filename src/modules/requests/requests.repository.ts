import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { columnsOf, SqlStatement } from '../../database/sql-statement';
import { ensureReferenceSequence, REFERENCE_BLOCK, referenceSequence } from './reference-number';
import { AdviceRequest, RequestEvent } from './request.entities';
import type { FacilitatorShown } from './message-author.policy';
import type { CloseReason, RequestStatus } from './request.types';
import { OPEN_STATUSES } from './request-state.policy';
import {
  ChangedMeanwhile,
  changedMeanwhile,
  changedOutOfSight,
  MEANWHILE_EVENTS,
  SeenState,
  StateNow,
  takenFromThem,
  Trail,
} from './seen-state.policy';
import type { LinkedRequest } from './tracking-url';

/** A history line to write; `assigneeId` only on the events that give the request to a facilitator. */
/** `createdAt`: the instant it happened when the caller read it (a submission's), else the database's now(). */
export type NewRequestEvent = Omit<RequestEvent, 'id' | 'createdAt' | 'request' | 'assigneeId'> & {
  assigneeId?: string | null;
  createdAt?: Date;
};

/**
 * The deadline that applies now to request `r` under its current assignment `ra`: taking in charge while assigned,
 * answering while in progress (kept on the assignment, pauses deducted); none otherwise.
 */
export const APPLICABLE_DEADLINE = `CASE r.status WHEN 'assigned' THEN ra.take_charge_due_at WHEN 'in_progress' THEN ra.answer_due_at END`;

/** A request as a buyer's reminder of their links lists it. */
export interface BuyerLinkedRequest extends LinkedRequest {
  subject: string;
  status: RequestStatus;
  closeReason: CloseReason | null;
  createdAt: Date;
  /** Whose day the filing date is told in, as on the tracking page. */
  departmentCode: string;
  /** As the buyer typed it on that request. */
  buyerEmail: string;
}

/** First taken in charge or first answered: when, and how many working days after the submission. */
export interface Milestone {
  kind: 'taken' | 'answered';
  at: Date;
  workingDays: number;
  /** For the first answer: whether it came within its deadline (answeredOnTime). */
  onTime?: boolean | null;
  /** For the first answer: the facilitator then holding the request, answerable for that deadline. */
  holderId?: string | null;
}

/** How many holdings request `r` had had, ended or not: the seen state's `holdings` (seen-state.policy). */
export const HOLDINGS = `(SELECT count(*)::int FROM request_assignments h WHERE h.request_id = r.id)`;

/** The history event of a reminder of the precision asked, sent to the buyer once per question. */
export const PRECISION_REMINDED_EVENT = 'precision_reminded';

/**
 * The request `r`'s two latest events of MEANWHILE_EVENTS types ($3), the latest first, with their authors' names, the
 * status each left and when (seen-state.policy's Move).
 */
const LAST_CHANGES = `ARRAY(SELECT json_build_object('type', e.type,
                             'actorName', COALESCE(su.first_name || ' ' || su.last_name, af.first_name || ' ' || af.last_name),
                             'assigneeName', a.first_name || ' ' || a.last_name, 'fromStatus', e.from_status, 'at', e.created_at)
                      FROM request_events e
                      LEFT JOIN staff_users su ON su.id = e.actor_id
                      LEFT JOIN facilitators af ON af.id = e.actor_id
                      LEFT JOIN facilitators a ON a.id = e.assignee_id
                     WHERE e.request_id = r.id AND e.type = ANY($3::text[])
                     ORDER BY e.id DESC LIMIT 2)`;

/**
 * A history event `e` that moved the request into its `to_status`, or started its wait again there (a complement to
 * the answer): lines written while it stays there (a note, a corrected address) must not restart the buyer's window.
 * The same rule as reply-window.policy's enteredStatusAt, for the queries.
 */
const ENTERS_STATUS = `(e.from_status IS DISTINCT FROM e.to_status OR e.type = 'answer_completed')`;

@Injectable()
export class RequestsRepository {
  private readonly referenceBlocks = new Map<number, { next: number; end: number }>();
  private refill?: Promise<void>;

  constructor(private readonly dataSource: DataSource) {}

  /** Numbers may skip (a failed submission or a restart burns some); they never repeat within a year. */
  async nextReference(year: number): Promise<string> {
    for (;;) {
      const block = this.referenceBlocks.get(year);
      if (block && block.next < block.end) return `GV-${year}-${String(block.next++).padStart(6, '0')}`;
      this.refill ??= this.takeReferenceBlock(year).finally(() => (this.refill = undefined));
      await this.refill;
    }
  }

  private async takeReferenceBlock(year: number): Promise<void> {
    const take = async () => {
      const [{ n }] = await this.dataSource.query(`SELECT nextval('${referenceSequence(year)}')::int AS n`);
      this.referenceBlocks.set(year, { next: n, end: n + REFERENCE_BLOCK });
    };
    try {
      await take();
    } catch (error) {
      if ((error as { code?: string }).code !== '42P01') throw error;
      await ensureReferenceSequence(this.dataSource, year);
      await take();
    }
  }

  /**
   * The new request and its first history event, to run as one with the rest of the submission. Their created_at is the
   * caller's, the instant its reference's year was read: the database's now() at commit may be in the next year.
   */
  insertStatements(request: AdviceRequest, event: NewRequestEvent): SqlStatement[] {
    return [
      {
        sql: `INSERT INTO requests (id, reference, status, kind, buyer_first_name, buyer_last_name, buyer_email, buyer_phone,
                organisation_name, organisation_type, siret, internal_referent_consulted, department_code, network_code,
                segment_code, subject, question, purchase_stage, estimated_amount, needed_by, consented_at, tracking_token_hash, tracking_token_sealed,
                created_at, follows_up_request_id)
              SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                $9::text[], $10::text[], $11::text[], $12::boolean[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[],
                $18::text[], $19::bigint[], $20::date[], $21::timestamptz[], $22::bytea[], $23::bytea[], $24::timestamptz[], $25::uuid[])`,
        params: columnsOf(
          [request],
          [
            'id',
            'reference',
            'status',
            'kind',
            'buyerFirstName',
            'buyerLastName',
            'buyerEmail',
            'buyerPhone',
            'organisationName',
            'organisationType',
            'siret',
            'internalReferentConsulted',
            'departmentCode',
            'networkCode',
            'segmentCode',
            'subject',
            'question',
            'purchaseStage',
            'estimatedAmount',
            'neededBy',
            'consentedAt',
            'trackingTokenHash',
            'trackingTokenSealed',
            'createdAt',
            'followsUpRequestId',
          ],
        ),
        rowsFrom: 0,
      },
      this.eventStatement({ ...event, createdAt: request.createdAt }),
    ];
  }

  /** The status changes into or out of awaiting the buyer, oldest first: the request's pauses (see pausesFromHistory). */
  pauseEvents(
    db: EntityManager,
    requestId: string,
  ): Promise<Array<{ fromStatus: string | null; toStatus: string | null; createdAt: Date }>> {
    return db.query(
      `SELECT from_status AS "fromStatus", to_status AS "toStatus", created_at AS "createdAt" FROM request_events
        WHERE request_id = $1 AND (from_status = 'awaiting_buyer' OR to_status = 'awaiting_buyer') ORDER BY id`,
      [requestId],
    );
  }

  /**
   * The buyer's contact details, and with a new address a new tracking token (`token`, its hash and sealed form): the
   * former link answers 404 from this commit on. One UPDATE: two in one statement would not both change the row.
   */
  buyerContactStatement(
    requestId: string,
    contact: { firstName: string; lastName: string; email: string; phone: string | null; organisationName: string },
    token: { hash: Buffer; sealed: Buffer } | null = null,
  ): SqlStatement {
    return {
      sql: `UPDATE requests SET buyer_first_name = $2, buyer_last_name = $3, buyer_email = $4, buyer_phone = $5, organisation_name = $6,
                   tracking_token_hash = coalesce($7, tracking_token_hash), tracking_token_sealed = coalesce($8, tracking_token_sealed),
                   updated_at = now()
             WHERE id = $1`,
      params: [
        requestId,
        contact.firstName,
        contact.lastName,
        contact.email,
        contact.phone,
        contact.organisationName,
        token?.hash ?? null,
        token?.sealed ?? null,
      ],
    };
  }

  eventStatement(event: NewRequestEvent): SqlStatement {
    return this.eventsStatement([event]);
  }

  /** History lines in one statement, in the given order (their ids follow it). */
  eventsStatement(events: NewRequestEvent[]): SqlStatement {
    return {
      sql: `INSERT INTO request_events (request_id, type, from_status, to_status, actor_type, actor_id, reason, is_public, assignee_id, created_at)
            SELECT e.request_id, e.type, e.from_status, e.to_status, e.actor_type, e.actor_id, e.reason, e.is_public, e.assignee_id,
                   COALESCE(e.created_at, now())
              FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::text[], $8::boolean[], $9::uuid[],
                          $10::timestamptz[])
                AS e(request_id, type, from_status, to_status, actor_type, actor_id, reason, is_public, assignee_id, created_at)`,
      params: columnsOf(events, [
        'requestId',
        'type',
        'fromStatus',
        'toStatus',
        'actorType',
        'actorId',
        'reason',
        'isPublic',
        'assigneeId',
        'createdAt',
      ]),
      rowsFrom: 0,
    };
  }

  /**
   * The request's new status (decided by request-state.policy.ts), to run with its history event: closing
   * records why and when; any other move clears both, so a reopened request reads as open. A milestone (first
   * taken in charge, first answered) is recorded only the first time, for the indicators.
   */
  statusStatement(requestId: string, status: RequestStatus, closeReason: CloseReason | null = null, milestone?: Milestone): SqlStatement {
    return {
      sql: `UPDATE requests SET status = $2::varchar, close_reason = $3,
              closed_at = CASE WHEN $2::varchar = 'closed' THEN now() END, updated_at = now(),
              taken_at = CASE WHEN $4::text = 'taken' AND taken_at IS NULL THEN $5::timestamptz ELSE taken_at END,
              take_charge_working_days = CASE WHEN $4::text = 'taken' AND taken_at IS NULL THEN $6::numeric ELSE take_charge_working_days END,
              answered_at = CASE WHEN $4::text = 'answered' AND answered_at IS NULL THEN $5::timestamptz ELSE answered_at END,
              answer_working_days = CASE WHEN $4::text = 'answered' AND answered_at IS NULL THEN $6::numeric ELSE answer_working_days END,
              answered_on_time = CASE WHEN $4::text = 'answered' AND answered_at IS NULL THEN $7::boolean ELSE answered_on_time END,
              answer_holder_id = CASE WHEN $4::text = 'answered' AND answered_at IS NULL THEN $8::uuid ELSE answer_holder_id END
            WHERE id = $1`,
      params: [
        requestId,
        status,
        status === 'closed' ? closeReason : null,
        milestone?.kind ?? null,
        milestone?.at ?? null,
        milestone?.workingDays ?? null,
        milestone?.onTime ?? null,
        milestone?.holderId ?? null,
      ],
    };
  }

  findByReference(reference: string): Promise<AdviceRequest | null> {
    return this.dataSource.getRepository(AdviceRequest).findOne({
      where: { reference },
      relations: { department: true, segment: true, network: true },
    });
  }

  /** A request's reference (null: it is gone). */
  async referenceOf(requestId: string): Promise<string | null> {
    const rows: Array<{ reference: string }> = await this.dataSource.query(`SELECT reference FROM requests WHERE id = $1`, [requestId]);
    return rows[0]?.reference ?? null;
  }

  /** When the request was submitted (null: it is gone). */
  async createdAtOf(reference: string): Promise<Date | null> {
    const rows: Array<{ createdAt: Date }> = await this.dataSource.query(
      `SELECT created_at AS "createdAt" FROM requests WHERE reference = $1`,
      [reference],
    );
    return rows[0]?.createdAt ?? null;
  }

  /** The request, locked for the caller's transaction: every change to it is decided by one transaction at a time. */
  lockForChange(manager: EntityManager, requestId: string): Promise<AdviceRequest | null> {
    return manager.getRepository(AdviceRequest).findOne({ where: { id: requestId }, lock: { mode: 'pessimistic_write' } });
  }

  /**
   * Refused (409, what changed and who did it) when the request, read under the caller's lock, is no longer as the
   * form's writer `seen` it; nothing is checked without `seen` (an API client that did not send it).
   */
  async refuseIfChangedSince(manager: EntityManager, requestId: string, seen: SeenState | null | undefined): Promise<void> {
    if (!seen) return;
    const now = (await this.stateNow(manager, requestId, seen.holderId))!;
    const changed = changedMeanwhile(seen, now);
    if (changed) throw new ChangedMeanwhile(changed, now);
  }

  /**
   * Refused (409, the latest change and who made it, not the state now) when a facilitator who no longer sees the
   * request sent the state they saw it in and its history bears it out (changedOutOfSight); nothing otherwise.
   */
  async refuseIfChangedOutOfSight(
    requestId: string,
    seen: SeenState,
    sender: { facilitatorId: string; networkCodes: readonly string[] },
    db: DataSource | EntityManager = this.dataSource,
  ): Promise<void> {
    const trail = await this.trailOutOfSight(db, 'r.id = $1', requestId, sender.facilitatorId);
    if (!trail?.since) return;
    const changed = changedOutOfSight(seen, { ...sender, since: trail.since }, trail);
    if (changed) throw new ChangedMeanwhile(changed);
  }

  /** For a former holder opening its page: the latest change and who made it, if it took the request from them (takenFromThem). */
  async changeThatTookIt(reference: string, facilitatorId: string): Promise<string | null> {
    const trail = await this.trailOutOfSight(this.dataSource, 'r.reference = $1', reference, facilitatorId);
    return trail && takenFromThem(facilitatorId, trail);
  }

  /** The request's Trail (`where` finds it by $1), and since when the facilitator's record exists (null: no such record). */
  private async trailOutOfSight(
    db: DataSource | EntityManager,
    where: 'r.id = $1' | 'r.reference = $1',
    key: string,
    facilitatorId: string,
  ): Promise<(Trail & { since: Date | null }) | null> {
    const rows: Array<Trail & { since: Date | null }> = await db.query(
      `SELECT r.kind, r.network_code AS "networkCode",
              (SELECT ra.facilitator_id FROM request_assignments ra WHERE ra.request_id = r.id AND ra.ended_at IS NOT NULL
                ORDER BY ra.assigned_at DESC, ra.ended_at DESC LIMIT 1) AS "lastHolderId",
              (SELECT f.created_at FROM facilitators f WHERE f.id = $2) AS since,
              ${LAST_CHANGES} AS "lastChanges"
         FROM requests r WHERE ${where}`,
      [key, facilitatorId, MEANWHILE_EVENTS],
    );
    const trail = rows[0];
    return trail ? { ...trail, lastChanges: trail.lastChanges.map((change) => ({ ...change, at: new Date(change.at) })) } : null;
  }

  /**
   * The request's status, kind, holder and holdings as its lock holder reads them, with the names a « changed meanwhile » refusal
   * says: the holder now, the one the form saw (`seenHolderId`), and the two latest changes with their authors.
   */
  private async stateNow(manager: EntityManager, requestId: string, seenHolderId: string | null): Promise<StateNow | null> {
    const rows: StateNow[] = await manager.query(
      `SELECT r.status, r.kind, r.assigned_facilitator_id AS "holderId", ${HOLDINGS} AS holdings,
              f.first_name || ' ' || f.last_name AS "holderName",
              (SELECT s.first_name || ' ' || s.last_name FROM facilitators s WHERE s.id = $2::uuid) AS "seenHolderName",
              ${LAST_CHANGES} AS "lastChanges"
         FROM requests r LEFT JOIN facilitators f ON f.id = r.assigned_facilitator_id
        WHERE r.id = $1`,
      [requestId, seenHolderId, MEANWHILE_EVENTS],
    );
    return rows[0] ?? null;
  }

  /** When the request last entered this status (its latest history event to it from another: not a note written meanwhile). */
  async enteredStatusAt(db: DataSource | EntityManager, requestId: string, status: RequestStatus): Promise<Date | null> {
    const rows: Array<{ at: Date }> = await db.query(
      `SELECT created_at AS at FROM request_events e WHERE request_id = $1 AND to_status = $2 AND ${ENTERS_STATUS} ORDER BY id DESC LIMIT 1`,
      [requestId, status],
    );
    return rows[0]?.at ?? null;
  }

  /**
   * Requests awaiting the buyer's precision since before `enteredBefore` whose buyer was not reminded of it since it
   * was asked (a reminder is a history event after the question's), oldest first.
   */
  async awaitingPrecisionUnreminded(
    enteredBefore: Date,
    limit: number,
    db: DataSource | EntityManager = this.dataSource,
  ): Promise<string[]> {
    const rows: Array<{ id: string }> = await db.query(
      `SELECT r.id FROM requests r
         JOIN LATERAL (SELECT id, created_at FROM request_events e WHERE e.request_id = r.id AND e.to_status = 'awaiting_buyer' AND ${ENTERS_STATUS}
                        ORDER BY e.id DESC LIMIT 1) e ON true
        WHERE r.status = 'awaiting_buyer' AND e.created_at <= $1
          AND NOT EXISTS (SELECT 1 FROM request_events x WHERE x.request_id = r.id AND x.type = '${PRECISION_REMINDED_EVENT}' AND x.id > e.id)
        ORDER BY e.created_at LIMIT $2`,
      [enteredBefore, limit],
    );
    return rows.map((r) => r.id);
  }

  /** Whether the buyer was reminded of the precision asked since it was (under the request's lock). */
  async remindedOfPrecision(db: EntityManager, requestId: string): Promise<boolean> {
    const rows = await db.query(
      `SELECT 1 FROM request_events x
        WHERE x.request_id = $1 AND x.type = '${PRECISION_REMINDED_EVENT}'
          AND x.id > (SELECT max(id) FROM request_events e WHERE e.request_id = $1 AND e.to_status = 'awaiting_buyer' AND ${ENTERS_STATUS})`,
      [requestId],
    );
    return rows.length > 0;
  }

  /** Requests waiting on the buyer (answered, or a precision asked) since before `enteredBefore`, oldest first. */
  async waitingOnBuyerSince(enteredBefore: Date, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT r.id FROM requests r
         JOIN LATERAL (SELECT created_at FROM request_events e WHERE e.request_id = r.id AND e.to_status = r.status AND ${ENTERS_STATUS}
                        ORDER BY e.id DESC LIMIT 1) e ON true
        WHERE r.status IN ('answered', 'awaiting_buyer') AND e.created_at <= $1
        ORDER BY e.created_at LIMIT $2`,
      [enteredBefore, limit],
    );
    return rows.map((r) => r.id);
  }

  async facilitatorShownToBuyer(facilitatorId: string, db: DataSource | EntityManager = this.dataSource): Promise<FacilitatorShown | null> {
    const rows = await db.query(
      `SELECT f.first_name AS "firstName", n.name AS network, f.kind, f.organisation
         FROM facilitators f JOIN networks n ON n.code = f.network_code WHERE f.id = $1`,
      [facilitatorId],
    );
    return rows[0] ?? null;
  }

  /** Whether this facilitator took the request in charge (else it was only given to them). */
  async tookCharge(requestId: string, facilitatorId: string): Promise<boolean> {
    const rows = await this.dataSource.query(
      `SELECT 1 FROM request_assignments WHERE request_id = $1 AND facilitator_id = $2 AND taken_at IS NOT NULL LIMIT 1`,
      [requestId, facilitatorId],
    );
    return rows.length > 0;
  }

  /** The deadline that applies now (APPLICABLE_DEADLINE), or null. */
  async applicableDeadline(requestId: string): Promise<Date | null> {
    const rows = await this.dataSource.query(
      `SELECT ${APPLICABLE_DEADLINE} AS "dueAt" FROM requests r
         JOIN request_assignments ra ON ra.request_id = r.id AND ra.ended_at IS NULL
        WHERE r.id = $1`,
      [requestId],
    );
    return rows[0]?.dueAt ?? null;
  }

  /** A buyer's requests that still have a link (not anonymised), by e-mail address in any case, the latest first. */
  async linkedToBuyerEmail(email: string, limit: number): Promise<BuyerLinkedRequest[]> {
    return this.dataSource.query(
      `SELECT id, reference, subject, status, close_reason AS "closeReason", created_at AS "createdAt", department_code AS "departmentCode",
              buyer_email AS "buyerEmail",
              tracking_token_sealed AS "trackingTokenSealed"
         FROM requests WHERE lower(buyer_email) = lower($1) AND tracking_token_sealed IS NOT NULL
        ORDER BY created_at DESC LIMIT $2`,
      [email, limit],
    );
  }

  /**
   * The reference of an open request with this buyer's address and exactly this purchase and question, made within the
   * last day, or null. A closed one (withdrawn, redirected, a duplicate) is no twin: asking again is a new request.
   */
  async twinOfLastDay(twin: {
    buyerEmail: string;
    departmentCode: string;
    kind: string;
    segment: string;
    subject: string;
    question: string;
  }): Promise<string | null> {
    const rows: Array<{ reference: string }> = await this.dataSource.query(
      `SELECT reference FROM requests
        WHERE lower(buyer_email) = lower($1) AND department_code = $2 AND kind = $3 AND segment_code = $4
          AND subject = $5 AND question = $6 AND created_at >= now() - interval '1 day' AND status = ANY($7)
        ORDER BY created_at LIMIT 1`,
      [twin.buyerEmail, twin.departmentCode, twin.kind, twin.segment, twin.subject, twin.question, [...OPEN_STATUSES]],
    );
    return rows[0]?.reference ?? null;
  }

  publicHistory(requestId: string): Promise<RequestEvent[]> {
    return this.dataSource.getRepository(RequestEvent).find({ where: { requestId, isPublic: true }, order: { id: 'ASC' } });
  }
}
