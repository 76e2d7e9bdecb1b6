/**
 * The facilitator's queue (pure): what its filters mean and which requests are late. Which deadline applies,
 * and the order by it, are SQL (WorkspaceRepository.queue), so that sorting and paging happen in the database.
 */
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

export function isLate(deadline: Deadline, now: Date): boolean {
  return deadline !== null && deadline.dueAt.getTime() < now.getTime();
}
