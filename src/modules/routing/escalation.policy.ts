import type { RequestStatus } from '../requests/request.types';

/** After this many missed take-charge deadlines, the network's animators are told (the escalation digest). */
export const ESCALATION_MISSES = 2;

/** Not taken in charge yet: given to someone (`assigned`), waiting in the pool, or being routed. */
export const NOT_TAKEN_STATUSES: readonly RequestStatus[] = ['submitted', 'unassigned', 'assigned'];

/**
 * The request missed its take-charge deadline often enough to reach the animators, and still nobody took it: what the
 * queue's filter lists (WorkspaceRepository.escalatedCondition, its SQL twin) and marks.
 */
export function isEscalated(request: { status: RequestStatus; deadlineMisses: number }): boolean {
  return request.deadlineMisses >= ESCALATION_MISSES && NOT_TAKEN_STATUSES.includes(request.status);
}
