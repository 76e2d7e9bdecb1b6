/**
 * The facilitator's queue (pure): what its filters mean, what its counts say, which order applies and which requests are
 * late. Which deadline applies, and the order by it, are SQL (WorkspaceRepository.queue), so that sorting and paging
 * happen in the database.
 */
import type { FieldError } from '../../common/errors/app-errors';
import { KnownCodes, PAGE_CHECK, queryProblems, referenceChecks } from '../../common/query-parameters';
import { isCalendarDay, isoDayOf, isUuid } from '../../common/validation';
import { FilterReader } from '../reporting/evaluations.policy';
import { lastDayOf } from '../../common/working-days.policy';
import { OPEN_STATUSES } from '../requests/request-state.policy';
import type { StaffRole } from '../accounts/accounts.types';
import { NOT_TAKEN_STATUSES } from '../routing/escalation.policy';
import { isRequestKind, REQUEST_KINDS, REQUEST_STATUSES, RequestKind, RequestStatus } from '../requests/request.types';

export const QUEUE_TABS = ['mine', 'pool'] as const;
export type QueueTab = (typeof QUEUE_TABS)[number];
export const QUEUE_PAGE_SIZE = 25;
/** The queue's orders: soonest deadline (the default), the buyer's own date first, or first come first served. */
export const QUEUE_SORTS = ['deadline', 'needed_by', 'submitted'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

export interface QueueFilters {
  tab: QueueTab;
  /** null: every open status (closed requests only when asked for). */
  status: RequestStatus | null;
  kind: RequestKind | null;
  segment: string | null;
  department: string | null;
  /** One of the person's networks, for admins and animators of several. */
  network: string | null;
  lateOnly: boolean;
  /** Only those whose take-charge deadline passed again and again, still not taken (the escalation digest's). */
  escalatedOnly: boolean;
  /** Words typed in the search box: reference, subject, organisation or buyer's name. */
  search: string | null;
  /** The facilitator who holds the requests (id), for animators and admins. */
  facilitator: string | null;
  /** Submitted from / to these days (YYYY-MM-DD, Paris), both included: `du`, `au` as in the exports. */
  from: string | null;
  to: string | null;
  sort: QueueSort;
  page: number;
}

export const SEARCH_MAX = 100;

export type Deadline = { kind: 'take_charge' | 'answer'; dueAt: Date } | null;

const CODE = /^[0-9A-Za-z_-]{1,40}$/;

/** A checkbox's value: what the page's form sends when ticked, or a script's `true`. */
const isOn = (value: unknown) => ['1', 'true', 'on'].includes(String(value ?? ''));

/** Query string (or API parameters) → filters; anything unknown reads as no filter, never as an error. */
export function parseQueueFilters(query: Record<string, unknown>): QueueFilters {
  const text = (value: unknown) => (typeof value === 'string' && CODE.test(value.trim()) ? value.trim() : null);
  const page = Number.parseInt(String(query.page ?? '1'), 10);
  const escalatedOnly = isOn(query.escalated);
  // The escalated filter lists held and pooled requests together (tabsApply): read as the default tab, its order too.
  const tab = escalatedOnly ? 'mine' : (QUEUE_TABS.find((t) => t === query.tab) ?? 'mine');
  return {
    tab,
    status: REQUEST_STATUSES.find((s) => s === query.status) ?? null,
    kind: REQUEST_KINDS.find((k) => k === query.kind) ?? null,
    segment: text(query.segment),
    department: text(query.department),
    network: text(query.network),
    lateOnly: isOn(query.late),
    escalatedOnly,
    search: typeof query.q === 'string' && query.q.trim() ? query.q.trim().slice(0, SEARCH_MAX) : null,
    facilitator: typeof query.facilitator === 'string' && isUuid(query.facilitator.trim()) ? query.facilitator.trim().toLowerCase() : null,
    ...new FilterReader(query).period(),
    // The pool's requests have no deadline yet: first come, first served.
    sort: QUEUE_SORTS.find((s) => s === query.sort) ?? (tab === 'pool' ? 'submitted' : 'deadline'),
    page: Number.isFinite(page) && page > 0 && page < 100_000 ? page : 1,
  };
}

const FLAG_VALUES = ['1', 'true', 'on', '0', 'false', ''];
const DAY_CHECK = { accepts: (v: string) => isCalendarDay(isoDayOf(v)), message: 'Date attendue : AAAA-MM-JJ (ou JJ/MM/AAAA).' };

/** The API's reading of the same parameters (see queryProblems); the page reads them leniently. */
export function queueFilterProblems(query: Record<string, unknown>, known: KnownCodes): FieldError[] {
  const problems = queryProblems(query, {
    tab: { accepts: (v) => (QUEUE_TABS as readonly string[]).includes(v), message: `Valeurs possibles : ${QUEUE_TABS.join(', ')}.` },
    status: {
      accepts: (v) => (REQUEST_STATUSES as readonly string[]).includes(v),
      message: `Statut inconnu ; valeurs possibles : ${REQUEST_STATUSES.join(', ')}.`,
    },
    kind: { accepts: isRequestKind, message: `Valeurs possibles : ${REQUEST_KINDS.join(', ')}.` },
    ...referenceChecks(known),
    late: { accepts: (v) => FLAG_VALUES.includes(v), message: 'Valeur attendue : 1 (en retard seulement) ou 0.' },
    escalated: {
      accepts: (v) => FLAG_VALUES.includes(v),
      message: 'Valeur attendue : 1 (délai de prise en charge dépassé plusieurs fois) ou 0.',
    },
    q: { accepts: (v) => v.length <= SEARCH_MAX, message: `Recherche de ${SEARCH_MAX} caractères au plus.` },
    facilitator: { accepts: (v) => isUuid(v), message: 'Identifiant de facilitateur attendu (UUID).' },
    sort: { accepts: (v) => (QUEUE_SORTS as readonly string[]).includes(v), message: `Valeurs possibles : ${QUEUE_SORTS.join(', ')}.` },
    du: DAY_CHECK,
    au: DAY_CHECK,
    page: PAGE_CHECK,
  });
  if (!problems.some((p) => p.field === 'du' || p.field === 'au')) problems.push(...periodOrderProblems(query));
  return problems;
}

/**
 * The period as the page's form sends it: each a day, the first not after the last. The page, lenient with the rest
 * of its filters, says what is wrong here: an empty list would say « nothing » rather than « mistyped ».
 */
export function queuePeriodProblems(query: Record<string, unknown>): FieldError[] {
  const problems = (['du', 'au'] as const)
    .filter((field) => typeof query[field] === 'string' && query[field] !== '' && !DAY_CHECK.accepts(query[field] as string))
    .map((field) => ({ field, message: DAY_CHECK.message }));
  return problems.length ? problems : periodOrderProblems(query);
}

/** Each day may be right and the two in the wrong order. */
function periodOrderProblems(query: Record<string, unknown>): FieldError[] {
  const [from, to] = [query.du, query.au].map((v) => (typeof v === 'string' ? isoDayOf(v) : null));
  return from && to && from > to ? [{ field: 'du', message: 'La date de début doit précéder la date de fin.' }] : [];
}

/**
 * The statuses listed: the one asked for; else every open one, and closed ones too when searching (a reference
 * typed in the box is found whatever became of the request).
 */
export function listedStatuses(filters: Pick<QueueFilters, 'status' | 'search'>): readonly RequestStatus[] {
  if (filters.status) return [filters.status];
  return filters.search ? REQUEST_STATUSES : OPEN_STATUSES;
}

/** Whether the list shows its open requests alone (no status chosen, nothing searched): its export says the same. */
export function listsOpenOnly(filters: Pick<QueueFilters, 'status' | 'search'>): boolean {
  return listedStatuses(filters) === OPEN_STATUSES;
}

/**
 * Whether the list is its tab's. The escalated filter replaces the tabs: the escalation digest's link lists every
 * request still escalated, held or pooled, in one list.
 */
export function tabsApply(filters: Pick<QueueFilters, 'escalatedOnly'>): boolean {
  return !filters.escalatedOnly;
}

/** Requests counted with the list's filters, its tab and status aside (WorkspaceRepository.counts), by tab and status. */
export interface QueueCountRow {
  tab: QueueTab;
  status: RequestStatus;
  n: number;
}

export interface QueueCounts {
  /** What each tab's link lists: the filters kept, its status dropped (the statuses listedStatuses lists then). */
  mine: number;
  pool: number;
  /** What each status lists in the list shown (its tab's, or both when tabsApply says no). */
  byStatus: Partial<Record<RequestStatus, number>>;
}

/** The counts beside the tabs and statuses, each the number of lines its link or choice lists with the same filters. */
export function queueCounts(rows: readonly QueueCountRow[], filters: Pick<QueueFilters, 'tab' | 'search' | 'escalatedOnly'>): QueueCounts {
  const listed = listedStatuses({ status: null, search: filters.search });
  const sum = (of: readonly QueueCountRow[]) => of.reduce((total, row) => total + row.n, 0);
  const ofTab = (tab: QueueTab) => sum(rows.filter((row) => row.tab === tab && listed.includes(row.status)));
  const byStatus: Partial<Record<RequestStatus, number>> = {};
  for (const row of rows) {
    if (tabsApply(filters) && row.tab !== filters.tab) continue;
    byStatus[row.status] = (byStatus[row.status] ?? 0) + row.n;
  }
  return { mine: ofTab('mine'), pool: ofTab('pool'), byStatus };
}

/**
 * Whether the request's take-charge deadline already passed (with this holder or one before) and nobody took it since:
 * the queue marks it, and a facilitator's deadline order puts it first (queueOrder).
 */
export function missedTakeCharge(request: { status: RequestStatus; deadlineMisses: number }): boolean {
  return request.deadlineMisses > 0 && NOT_TAKEN_STATUSES.includes(request.status);
}

/**
 * The order the database applies: the one asked; a facilitator's own deadline order puts first the requests whose
 * take-charge deadline was missed (missedTakeCharge), since their new deadline, later than a fresh request's, hides how
 * long the buyer has waited.
 */
export type QueueOrder = QueueSort | 'missed_then_deadline';

export function queueOrder(sort: QueueSort, role: StaffRole): QueueOrder {
  return sort === 'deadline' && role === 'facilitator' ? 'missed_then_deadline' : sort;
}

/** The statuses with a deadline (APPLICABLE_DEADLINE): taking in charge, then answering. */
export const STATUSES_WITH_DEADLINE: readonly RequestStatus[] = ['assigned', 'in_progress'];

/**
 * Whether the list's order is the order of submission (oldest first): asked for, or by deadline when none of its
 * lines has one (the pool, closed or answered requests…). The page then comes from an index, however far it is.
 * A list of late requests alone needs the deadlines, and so does the buyer's date among them.
 */
export function ordersBySubmission(filters: Pick<QueueFilters, 'tab' | 'status' | 'search' | 'sort' | 'lateOnly'>): boolean {
  const undated = filters.tab === 'pool' || !listedStatuses(filters).some((s) => STATUSES_WITH_DEADLINE.includes(s));
  return undated ? filters.sort !== 'needed_by' : filters.sort === 'submitted' && !filters.lateOnly;
}

/** A request's reference, as nextReference writes it. */
const REFERENCE_SHAPE = /^GV-\d{4}-\d{6,}$/i;

/** A whole reference typed (« gv-2026-000123 » too) names one request: the reference to look up, else null. */
export function searchedReference(search: string): string | null {
  return REFERENCE_SHAPE.test(search) ? search.toUpperCase() : null;
}

export function isLate(deadline: Deadline, now: Date): boolean {
  return deadline !== null && deadline.dueAt.getTime() < now.getTime();
}

/**
 * The buyer needs the answer before the last day its current deadline allows: the queue flags it beside the deadline.
 */
export function neededSooner(neededBy: string | null, deadline: Deadline, departmentCode: string): boolean {
  if (!neededBy || !deadline) return false;
  return neededBy < lastDayOf(departmentCode, deadline.dueAt);
}
