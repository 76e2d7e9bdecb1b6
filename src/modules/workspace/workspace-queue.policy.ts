/**
 * The facilitator's queue (pure): what its filters mean, when each request is next due, which are late,
 * and in which order they come.
 */
import { answerDueAt, Pause } from '../requests/answer-deadline.policy';
import { REQUEST_KINDS, REQUEST_STATUSES, RequestKind, RequestStatus } from '../requests/request.types';

export const QUEUE_TABS = ['mine', 'pool'] as const;
export type QueueTab = (typeof QUEUE_TABS)[number];
export const QUEUE_PAGE_SIZE = 25;

export interface QueueFilters {
  tab: QueueTab;
  /** null: every open status (closed requests only when asked for). */
  status: RequestStatus | null;
  kind: RequestKind | null;
  segment: string | null;
  department: string | null;
  lateOnly: boolean;
  page: number;
}

/** A request as the queue sorts it. */
export interface QueueItem {
  status: RequestStatus;
  departmentCode: string;
  createdAt: Date;
  takeChargeDueAt: Date | null;
  takenAt: Date | null;
  pauses: Pause[];
}

export type Deadline = { kind: 'take_charge' | 'answer'; dueAt: Date } | null;

const CODE = /^[0-9A-Za-z_-]{1,40}$/;

/** Query string (or API parameters) → filters; anything unknown reads as no filter, never as an error. */
export function parseQueueFilters(query: Record<string, unknown>): QueueFilters {
  const text = (value: unknown) => (typeof value === 'string' && CODE.test(value.trim()) ? value.trim() : null);
  const page = Number.parseInt(String(query.page ?? '1'), 10);
  return {
    tab: QUEUE_TABS.find((t) => t === query.tab) ?? 'mine',
    status: REQUEST_STATUSES.find((s) => s === query.status) ?? null,
    kind: REQUEST_KINDS.find((k) => k === query.kind) ?? null,
    segment: text(query.segment),
    department: text(query.department),
    lateOnly: ['1', 'true', 'on'].includes(String(query.late ?? '')),
    page: Number.isFinite(page) && page > 0 && page < 100_000 ? page : 1,
  };
}

/**
 * The deadline that matters now: taking in charge while assigned, answering while in progress (the
 * awaiting-buyer pauses deducted). None otherwise: the clock is stopped or the work is done.
 */
export function nextDeadline(item: QueueItem, answerDays: number): Deadline {
  if (item.status === 'assigned' && item.takeChargeDueAt) return { kind: 'take_charge', dueAt: item.takeChargeDueAt };
  if (item.status === 'in_progress' && item.takenAt) {
    const dueAt = answerDueAt(item.takenAt, item.pauses, item.departmentCode, answerDays);
    return dueAt ? { kind: 'answer', dueAt } : null;
  }
  return null;
}

export function isLate(deadline: Deadline, now: Date): boolean {
  return deadline !== null && deadline.dueAt.getTime() < now.getTime();
}

/** Soonest deadline first (late ones at the top); requests without a deadline after, oldest first. */
export function compareQueueItems(a: { deadline: Deadline; createdAt: Date }, b: { deadline: Deadline; createdAt: Date }): number {
  if (a.deadline && b.deadline) return a.deadline.dueAt.getTime() - b.deadline.dueAt.getTime();
  if (a.deadline || b.deadline) return a.deadline ? -1 : 1;
  return a.createdAt.getTime() - b.createdAt.getTime();
}

/** The awaiting-buyer periods of a request, read from its history (oldest first); the last may still be open. */
export function pausesFromHistory(events: ReadonlyArray<{ fromStatus: string | null; toStatus: string | null; createdAt: Date }>): Pause[] {
  const pauses: Pause[] = [];
  for (const event of events) {
    const open = pauses.at(-1);
    if (event.toStatus === 'awaiting_buyer' && event.fromStatus !== 'awaiting_buyer' && (!open || open.to)) {
      pauses.push({ from: event.createdAt, to: null });
    } else if (event.fromStatus === 'awaiting_buyer' && event.toStatus !== 'awaiting_buyer' && open && !open.to) {
      open.to = event.createdAt;
    }
  }
  return pauses;
}
