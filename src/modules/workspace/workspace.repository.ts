import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { RequestScope } from '../accounts/access.policy';
import type { StaffPrincipal } from '../accounts/accounts.types';
import type { AssignmentEndReason } from '../routing/request-assignment.entity';
import type { CloseReason, OrganisationType, RequestKind, RequestStatus } from '../requests/request.types';
import { APPLICABLE_DEADLINE, HOLDINGS } from '../requests/requests.repository';
import { FACILITATOR_DEPARTED } from '../routing/routing.repository';
import { ESCALATION_MISSES, NOT_TAKEN_STATUSES } from '../routing/escalation.policy';
import { listedRequestsSql } from '../mail/listed-requests';
import { visibleRequestsCondition } from './staff-requests.repository';
import {
  listedStatuses,
  ordersBySubmission,
  QueueCountRow,
  QueueFilters,
  queueOrder,
  QueueSort,
  searchedReference,
} from './workspace-queue.policy';
import { containsPattern } from '../../database/sql-statement';

/**
 * Request `r` matches the words typed in the search box (none: every request), accents or not (« eclairage » finds
 * « Éclairage »), through the trigram index; a whole reference is its request alone, through the unique index. The
 * address finds a buyer's requests when they ask to see or erase their data. The queue and its CSV export list the same
 * requests. `param` adds a parameter and names it.
 */
export function searchCondition(search: string | null, param: (value: unknown) => string): string {
  if (!search) return 'true';
  const reference = searchedReference(search);
  if (reference) return `r.reference = ${param(reference)}::text`;
  // search_text is what the box reads, stored unaccented and lower-cased (migration StoredSearchText): the pattern is
  // made alike, so that checking each row the trigram index returns costs a plain LIKE, not an unaccent.
  return `r.search_text LIKE lower(gv_unaccent(${param(containsPattern(search))}::text))`;
}

/** Request `r` is escalated (escalation.policy's isEscalated): the queue's and its export's « escalated » filter. */
export function escalatedCondition(param: (value: unknown) => string): string {
  return `r.deadline_misses >= ${param(ESCALATION_MISSES)}::int AND r.status = ANY(${param(NOT_TAKEN_STATUSES)}::text[])`;
}

/**
 * What the person may see and the filters asked, the tab, status and « late » aside: the conditions the queue's list and
 * its counts share. `param` adds a parameter to `params` and names it.
 */
function filterConditions(staff: StaffPrincipal, filters: QueueFilters) {
  const visible = visibleRequestsCondition(staff, 1);
  const params: unknown[] = [...visible.params];
  const param = (value: unknown) => `$${params.push(value)}`;
  const conditions = [visible.sql];
  if (filters.kind) conditions.push(`r.kind = ${param(filters.kind)}`);
  if (filters.segment) conditions.push(`r.segment_code = ${param(filters.segment)}`);
  if (filters.department) conditions.push(`r.department_code = ${param(filters.department)}`);
  conditions.push(searchCondition(filters.search, param));
  if (filters.facilitator) conditions.push(`r.assigned_facilitator_id = ${param(filters.facilitator)}::uuid`);
  if (filters.network) conditions.push(`r.network_code = ${param(filters.network)}`);
  if (filters.escalatedOnly) conditions.push(escalatedCondition(param));
  if (filters.from) conditions.push(`r.created_at >= ${param(filters.from)}::date::timestamp AT TIME ZONE 'Europe/Paris'`);
  if (filters.to) conditions.push(`r.created_at < (${param(filters.to)}::date + 1)::timestamp AT TIME ZONE 'Europe/Paris'`);
  return { params, param, conditions };
}

/** A queue line: what the table shows, with the deadline that applies now (if any). */
export interface QueueRow {
  id: string;
  reference: string;
  status: RequestStatus;
  kind: RequestKind;
  subject: string;
  buyerName: string;
  organisationName: string;
  /** Set once the buyer's personal data are erased: the two fields above are then empty. */
  anonymisedAt: Date | null;
  /** Who holds the request; null in the pool. */
  facilitatorName: string | null;
  /** Its holder left (account deactivated): someone must give it to another. */
  holderDeparted: boolean;
  departmentCode: string;
  segmentCode: string;
  createdAt: Date;
  /** The day the buyer needs the answer by (YYYY-MM-DD), if they gave one. */
  neededBy: string | null;
  /** Take-charge deadlines it missed, all holders together. */
  deadlineMisses: number;
  deadlineKind: 'take_charge' | 'answer' | null;
  dueAt: Date | null;
}

export interface SameBuyerRequest {
  reference: string;
  subject: string;
  status: RequestStatus;
  closeReason: CloseReason | null;
  /** Who holds it, or held it when it closed (null: nobody yet). */
  facilitatorName: string | null;
  createdAt: Date;
  /** Its dates are shown in its own département's time. */
  departmentCode: string;
}

/** A request linked to the one shown as a follow-up about the same purchase, with what access needs to know of it. */
export interface LinkedRequest extends RequestScope {
  reference: string;
  /** `earlier`: the one the shown request follows; `later`: one that follows it. */
  side: 'earlier' | 'later';
}

/** A request like the one shown, already answered: what its holder may reuse. */
export interface SimilarRequest {
  reference: string;
  subject: string;
  segmentCode: string;
  answeredAt: Date;
  /** Its dates are shown in its own département's time. */
  departmentCode: string;
  /** Who held it when answered; null once the facilitator record is gone. */
  facilitatorName: string | null;
}

/** One facilitator's time with the request: from assignment to its end (null while current). */
export interface AssignmentPeriod {
  facilitatorName: string;
  assignedAt: Date;
  takenAt: Date | null;
  endedAt: Date | null;
  endReason: AssignmentEndReason | null;
  /** Why routing chose them, when its history line said so (the région's coordinator as fallback); null otherwise. */
  routedWhy: string | null;
}

export interface HistoryEvent {
  fromStatus: RequestStatus | null;
  toStatus: RequestStatus | null;
  type: string;
  actorType: string;
  actorName: string | null;
  /** Who the request was given to, on the events that give it. */
  assigneeName: string | null;
  reason: string | null;
  isPublic: boolean;
  createdAt: Date;
}

/** Everything the request page shows about the request itself. */
export interface RequestDetail {
  id: string;
  reference: string;
  status: RequestStatus;
  closeReason: CloseReason | null;
  kind: RequestKind;
  networkCode: string;
  assignedFacilitatorId: string | null;
  facilitatorName: string | null;
  /** Its holder left (account deactivated): someone must give it to another. */
  holderDeparted: boolean;
  buyerFirstName: string;
  buyerLastName: string;
  buyerEmail: string;
  buyerPhone: string | null;
  organisationName: string;
  organisationType: OrganisationType;
  siret: string | null;
  departmentCode: string;
  segmentCode: string;
  subject: string;
  question: string;
  purchaseStage: string;
  estimatedAmount: string | null;
  neededBy: string | null;
  /** Take-charge deadlines it missed, all holders together. */
  deadlineMisses: number;
  createdAt: Date;
  closedAt: Date | null;
  /** A State buyer's answer to « did you first ask your internal referent? » (null for other buyers). */
  internalReferentConsulted: boolean | null;
  /** When first answered; kept if the buyer's reply reopened it. */
  answeredAt: Date | null;
  /** Set once the retention period was over: names, contact, question and messages are erased. */
  anonymisedAt: Date | null;
  assignmentId: string | null;
  takeChargeDueAt: Date | null;
  /** As the current assignment keeps it: moved by pauses and reset by a buyer's reply to the answer. */
  answerDueAt: Date | null;
  takenAt: Date | null;
  /** When its holder first took it in charge: a reopening gives it back to them, as a new taking (`takenAt`). */
  firstTakenAt: Date | null;
  /** The latest answer's time, when the buyer's reply brought a second one. */
  lastAnsweredAt: Date | null;
  /** Its holdings so far, for the seen state the page's forms send. */
  holdings: number;
}

/** Each order ends on a unique key, so paging never repeats or skips a line. */
const QUEUE_ORDERS: Record<QueueSort, string> = {
  deadline: `"dueAt" ASC NULLS LAST, "createdAt", id`,
  // YYYY-MM-DD sorts as the date; requests without a date of the buyer's follow, by deadline.
  needed_by: `"neededBy" ASC NULLS LAST, "dueAt" ASC NULLS LAST, "createdAt", id`,
  submitted: `"createdAt", id`,
};

/** A queue line's columns (QueueRow), from `requests r` and QUEUE_JOINS. */
const QUEUE_COLUMNS = `r.id, r.reference, r.status, r.kind, r.subject, r.buyer_first_name || ' ' || r.buyer_last_name AS "buyerName",
  r.organisation_name AS "organisationName", r.anonymised_at AS "anonymisedAt", f.first_name || ' ' || f.last_name AS "facilitatorName",
  ${FACILITATOR_DEPARTED} AS "holderDeparted", r.department_code AS "departmentCode", r.segment_code AS "segmentCode", r.created_at AS "createdAt",
  to_char(r.needed_by, 'YYYY-MM-DD') AS "neededBy", r.deadline_misses AS "deadlineMisses",
  CASE r.status WHEN 'assigned' THEN 'take_charge' WHEN 'in_progress' THEN 'answer' END AS "deadlineKind",
  ${APPLICABLE_DEADLINE} AS "dueAt"`;
const QUEUE_JOINS = `LEFT JOIN request_assignments ra ON ra.request_id = r.id AND ra.ended_at IS NULL
  LEFT JOIN facilitators f ON f.id = r.assigned_facilitator_id`;

/**
 * The tab's own condition, ANDed with what the person may see: the queue's and its export's. Escalated requests are
 * listed whatever the tab: waiting in the pool or with a facilitator alike, the escalation digest's link shows them all.
 */
export function tabCondition(tab: QueueFilters['tab'], escalatedOnly = false): string {
  if (escalatedOnly) return 'true';
  return tab === 'pool' ? `r.status = 'unassigned' AND r.assigned_facilitator_id IS NULL` : `r.status <> 'unassigned'`;
}

/** Reads for the workspace: queue, request page, history with names. Visibility always from visibleRequestsCondition. */
@Injectable()
export class WorkspaceRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * E-mails to the buyer given up (refused for good, or not sent in time): the buyer may lack their link. The request's
   * own, and those about several requests that list it (a grouped survey e-mail's).
   */
  undeliveredToBuyer(requestId: string, buyerEmail: string): Promise<Array<{ subject: string; reason: string | null; at: Date }>> {
    return this.dataSource.query(
      `SELECT subject, last_error AS reason, updated_at AS at FROM mail_messages
        WHERE (request_id = $1 OR (request_id IS NULL AND $1::uuid = ANY(${listedRequestsSql('context')})))
          AND status = 'abandoned' AND lower(recipient) = lower($2) ORDER BY created_at`,
      [requestId, buyerEmail],
    );
  }

  /**
   * One page of the tab matching the filters, in the order asked: by default soonest deadline first (late ones at the
   * top), then those without one, oldest first; and how many lines match in all (the deadline: APPLICABLE_DEADLINE).
   */
  async queue(
    staff: StaffPrincipal,
    filters: QueueFilters,
    now: Date,
    page: { size: number; offset: number },
  ): Promise<{ rows: QueueRow[]; total: number }> {
    const { params, param, conditions: filtered } = filterConditions(staff, filters);
    const statuses = listedStatuses(filters);
    const conditions = [
      ...filtered,
      tabCondition(filters.tab, filters.escalatedOnly),
      // One status as an equality: requests_status_created_idx then serves its order of submission.
      statuses.length === 1 ? `r.status = ${param(statuses[0])}::text` : `r.status = ANY(${param(statuses)}::text[])`,
    ];
    const where = conditions.join(' AND ');
    // After every condition's parameters: the page's size and offset follow them.
    const paged = () => `LIMIT $${params.length + 1} OFFSET $${params.length + 2}`;

    let total: number;
    let rows: QueueRow[];
    if (ordersBySubmission(filters)) {
      // Without deadlines nothing is late.
      if (filters.lateOnly) return { rows: [], total: 0 };
      // The page's ids alone walk the index, however far the page; then only its lines are joined.
      [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM requests r WHERE ${where}`, params);
      rows = await this.dataSource.query(
        `WITH page AS (SELECT r.id FROM requests r WHERE ${where} ORDER BY r.created_at, r.id ${paged()})
         SELECT ${QUEUE_COLUMNS} FROM page JOIN requests r ON r.id = page.id ${QUEUE_JOINS} ORDER BY r.created_at, r.id`,
        [...params, page.size, page.offset],
      );
    } else {
      const late = filters.lateOnly ? `WHERE "dueAt" < ${param(now)}` : '';
      const matching = `WITH matching AS (SELECT ${QUEUE_COLUMNS} FROM requests r ${QUEUE_JOINS} WHERE ${where}) SELECT * FROM matching ${late}`;
      [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM (${matching}) counted`, params);
      const order = queueOrder(filters.sort, staff.role);
      // Missed before and not taken first (missedTakeCharge), as the matching lines name their columns.
      const orderBy =
        order === 'missed_then_deadline'
          ? `("deadlineMisses" > 0 AND status = ANY(${param(NOT_TAKEN_STATUSES)}::text[])) DESC, ${QUEUE_ORDERS.deadline}`
          : QUEUE_ORDERS[order];
      rows = await this.dataSource.query(`${matching} ORDER BY ${orderBy} ${paged()}`, [...params, page.size, page.offset]);
    }
    return { rows: rows.map((row: QueueRow) => ({ ...row, deadlineKind: row.dueAt ? row.deadlineKind : null })), total };
  }

  /** The facilitators of the networks this person sees (null: all), by name: the queue's filter for animators and admins. */
  facilitatorOptions(networkCodes: string[] | null): Promise<Array<{ id: string; name: string }>> {
    return this.dataSource.query(
      `SELECT id, first_name || ' ' || last_name AS name FROM facilitators
        WHERE $1::text[] IS NULL OR network_code = ANY($1::text[])
        ORDER BY last_name COLLATE "fr-x-icu", first_name COLLATE "fr-x-icu", id`,
      [networkCodes],
    );
  }

  /**
   * Requests per tab and per status with the list's filters, its tab and status aside (queueCounts sums them as each
   * link lists): « late » reads the deadline that applies now, as the list does.
   */
  async counts(staff: StaffPrincipal, filters: QueueFilters, now: Date): Promise<QueueCountRow[]> {
    const { params, param, conditions } = filterConditions(staff, filters);
    const late = filters.lateOnly
      ? `JOIN request_assignments ra ON ra.request_id = r.id AND ra.ended_at IS NULL AND ${APPLICABLE_DEADLINE} < ${param(now)}`
      : '';
    const where = conditions.join(' AND ');
    // The open ones through requests_open_idx, the closed history (always in « mine ») counted apart from an index.
    return this.dataSource.query(
      `SELECT CASE WHEN ${tabCondition('pool')} THEN 'pool' ELSE 'mine' END AS tab, r.status, count(*)::int AS n
         FROM requests r ${late} WHERE ${where} AND r.status <> 'closed' GROUP BY 1, 2
       UNION ALL
       SELECT 'mine', 'closed', count(*)::int FROM requests r ${late} WHERE ${where} AND r.status = 'closed' HAVING count(*) > 0`,
      params,
    );
  }

  async detail(requestId: string): Promise<RequestDetail | null> {
    const rows = await this.dataSource.query(
      `SELECT r.id, r.reference, r.status, r.close_reason AS "closeReason", r.kind, r.network_code AS "networkCode",
              r.assigned_facilitator_id AS "assignedFacilitatorId", f.first_name || ' ' || f.last_name AS "facilitatorName",
              ${FACILITATOR_DEPARTED} AS "holderDeparted",
              r.buyer_first_name AS "buyerFirstName", r.buyer_last_name AS "buyerLastName", r.buyer_email AS "buyerEmail",
              r.buyer_phone AS "buyerPhone", r.organisation_name AS "organisationName", r.organisation_type AS "organisationType",
              r.siret, r.department_code AS "departmentCode", r.segment_code AS "segmentCode", r.subject, r.question,
              r.purchase_stage AS "purchaseStage", r.estimated_amount AS "estimatedAmount", to_char(r.needed_by, 'YYYY-MM-DD') AS "neededBy",
              r.deadline_misses AS "deadlineMisses", r.internal_referent_consulted AS "internalReferentConsulted",
              r.created_at AS "createdAt", r.closed_at AS "closedAt", r.answered_at AS "answeredAt", r.anonymised_at AS "anonymisedAt", ra.id AS "assignmentId",
              ra.take_charge_due_at AS "takeChargeDueAt", ra.answer_due_at AS "answerDueAt",
              -- A closure ends the assignment: a closed request still says when its last holder took it in charge.
              COALESCE(ra.taken_at, CASE WHEN r.status = 'closed' THEN
                (SELECT max(taken_at) FROM request_assignments WHERE request_id = r.id) END) AS "takenAt",
              (SELECT min(taken_at) FROM request_assignments
                WHERE request_id = r.id AND facilitator_id = r.assigned_facilitator_id) AS "firstTakenAt",
              (SELECT max(created_at) FROM request_messages WHERE request_id = r.id AND kind = 'answer') AS "lastAnsweredAt",
              ${HOLDINGS} AS holdings
         FROM requests r
         LEFT JOIN facilitators f ON f.id = r.assigned_facilitator_id
         LEFT JOIN request_assignments ra ON ra.request_id = r.id AND ra.ended_at IS NULL
        WHERE r.id = $1`,
      [requestId],
    );
    return rows[0] ?? null;
  }

  /**
   * The buyer's other requests (same e-mail address, any case) that this person may see, the latest first:
   * what the facilitator should know of the buyer's earlier questions.
   */
  sameBuyer(staff: StaffPrincipal, requestId: string, buyerEmail: string, limit: number): Promise<SameBuyerRequest[]> {
    const visible = visibleRequestsCondition(staff, 4);
    return this.dataSource.query(
      `SELECT r.reference, r.subject, r.status, r.close_reason AS "closeReason", r.created_at AS "createdAt",
              r.department_code AS "departmentCode", f.first_name || ' ' || f.last_name AS "facilitatorName"
         FROM requests r LEFT JOIN facilitators f ON f.id = r.assigned_facilitator_id
        WHERE lower(r.buyer_email) = lower($1) AND r.id <> $2 AND ${visible.sql}
        ORDER BY r.created_at DESC LIMIT $3`,
      [buyerEmail, requestId, limit, ...visible.params],
    );
  }

  /** The request this one follows up (same purchase), and those that follow it up, oldest first. */
  followUps(requestId: string): Promise<LinkedRequest[]> {
    return this.dataSource.query(
      `SELECT side, reference, network_code AS "networkCode", assigned_facilitator_id AS "assignedFacilitatorId", status
         FROM (SELECT 'earlier' AS side, p.* FROM requests r JOIN requests p ON p.id = r.follows_up_request_id WHERE r.id = $1
               UNION ALL
               SELECT 'later' AS side, n.* FROM requests n WHERE n.follows_up_request_id = $1) linked
        ORDER BY created_at, reference`,
      [requestId],
    );
  }

  /**
   * Requests like this one already answered that this person may see, the closest first: same kind, sharing words
   * with it (French stemming, `query` from similar-requests.policy), the same segment ranked higher. Searched among the
   * latest 500 answered of that kind, so that a page costs the same whatever the history's length.
   */
  similarAnswered(
    staff: StaffPrincipal,
    request: { id: string; kind: RequestKind; segmentCode: string },
    query: string,
    limit: number,
  ): Promise<SimilarRequest[]> {
    const visible = visibleRequestsCondition(staff, 6);
    return this.dataSource.query(
      `WITH candidates AS (
         SELECT r.reference, r.subject, r.segment_code, r.answered_at, r.department_code, r.assigned_facilitator_id,
                to_tsvector('french', r.subject || ' ' || coalesce(r.question, '')) AS words
           FROM requests r
          WHERE r.kind = $2 AND r.id <> $1 AND r.answered_at IS NOT NULL AND r.anonymised_at IS NULL AND ${visible.sql}
          ORDER BY r.created_at DESC LIMIT 500
       )
       SELECT c.reference, c.subject, c.segment_code AS "segmentCode", c.answered_at AS "answeredAt",
              c.department_code AS "departmentCode", f.first_name || ' ' || f.last_name AS "facilitatorName"
         FROM candidates c CROSS JOIN websearch_to_tsquery('french', $4) q
         LEFT JOIN facilitators f ON f.id = c.assigned_facilitator_id
        WHERE c.words @@ q
        ORDER BY ts_rank(c.words, q) + CASE WHEN c.segment_code = $3 THEN 0.1 ELSE 0 END DESC, c.answered_at DESC
        LIMIT $5`,
      [request.id, request.kind, request.segmentCode, query, limit, ...visible.params],
    );
  }

  /**
   * Who held the request, in turn, oldest first, with when each took it in charge and why they let it go — and why
   * routing gave it to them when it said so (a social-clause coordinator as the région's fallback): the reason of the
   * event that gave it. Each assignment made by routing or staff has one such event (assignee, to `assigned`), written
   * with it; those taken in charge at once (a reopening, a move while awaiting the buyer) have none, or another status.
   * Paired per facilitator from the latest back.
   */
  assignments(requestId: string): Promise<AssignmentPeriod[]> {
    return this.dataSource.query(
      `WITH givings AS (
         SELECT e.assignee_id, CASE WHEN e.type = 'assigned' AND e.actor_type = 'system' THEN e.reason END AS reason,
                row_number() OVER (PARTITION BY e.assignee_id ORDER BY e.id DESC) AS turn
           FROM request_events e WHERE e.request_id = $1 AND e.assignee_id IS NOT NULL AND e.to_status = 'assigned'
       ), periods AS (
         SELECT ra.*, CASE WHEN ra.taken_at IS DISTINCT FROM ra.assigned_at
                      THEN row_number() OVER (PARTITION BY ra.facilitator_id, ra.taken_at IS DISTINCT FROM ra.assigned_at
                                              ORDER BY ra.assigned_at DESC, ra.id DESC) END AS turn
           FROM request_assignments ra WHERE ra.request_id = $1
       )
       SELECT f.first_name || ' ' || f.last_name AS "facilitatorName", p.assigned_at AS "assignedAt", p.taken_at AS "takenAt",
              p.ended_at AS "endedAt", p.end_reason AS "endReason", g.reason AS "routedWhy"
         FROM periods p JOIN facilitators f ON f.id = p.facilitator_id
         LEFT JOIN givings g ON g.assignee_id = p.facilitator_id AND g.turn = p.turn
        ORDER BY p.assigned_at, p.id`,
      [requestId],
    );
  }

  /** The full history, staff named (an actor id is a staff account or, from routing, a facilitator record). */
  history(requestId: string): Promise<HistoryEvent[]> {
    return this.dataSource.query(
      `SELECT e.from_status AS "fromStatus", e.to_status AS "toStatus", e.type, e.actor_type AS "actorType", e.reason,
              e.is_public AS "isPublic", e.created_at AS "createdAt",
              COALESCE(su.first_name || ' ' || su.last_name, f.first_name || ' ' || f.last_name) AS "actorName",
              a.first_name || ' ' || a.last_name AS "assigneeName"
         FROM request_events e
         LEFT JOIN staff_users su ON su.id = e.actor_id
         LEFT JOIN facilitators f ON f.id = e.actor_id
         LEFT JOIN facilitators a ON a.id = e.assignee_id
        WHERE e.request_id = $1
        ORDER BY e.id`,
      [requestId],
    );
  }
}
