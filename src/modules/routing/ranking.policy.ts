import type { RequestKind } from '../requests/request.types';

/**
 * Who may take a request, and in which order to offer it. Pure: the caller loads the facilitators,
 * their load and today's absences, and keeps the claim itself (concurrency) elsewhere.
 */

/** What routing needs to know about a request. */
export interface RoutingRequest {
  readonly kind: RequestKind;
  /** INSEE code, e.g. '38', '2A', '971'. */
  readonly departmentCode: string;
  readonly regionCode: string;
  /** The network covering the région. */
  readonly networkCode: string;
  readonly segmentCode: string;
}

/** A facilitator as routing sees it, with its load and today's absence already computed by the caller. */
export interface FacilitatorCandidate {
  readonly id: string;
  readonly kind: RequestKind;
  readonly networkCode: string;
  /** Environmental advisers: an empty list means the whole network. Social clauses: the départements covered. */
  readonly departmentCodes: readonly string[];
  /** Régions a coordinator covers as fallback; ignored unless isCoordinator. */
  readonly regionCodes: readonly string[];
  readonly isCoordinator: boolean;
  readonly active: boolean;
  readonly absentToday: boolean;
  /** Most open requests at once. */
  readonly capacity: number;
  readonly openCount: number;
  /** Purchase segments of expertise; may be empty. */
  readonly segments: readonly string[];
  readonly lastAssignedAt: Date | null;
}

/** Why a candidate cannot take the request; checked in this order, the first failing rule is reported. */
export const INELIGIBILITY_REASONS = ['kind', 'territory', 'inactive', 'absent', 'full', 'excluded'] as const;
export type IneligibilityReason = (typeof INELIGIBILITY_REASONS)[number];

const NOBODY: ReadonlySet<string> = new Set();

/**
 * The first rule the candidate fails for this request, or null. Per candidate only: a social-clause
 * coordinator of the request's région gets null here, yet rankFacilitators offers it only when no
 * département facilitator is eligible (that fallback depends on the others).
 */
export function whyNotEligible(
  request: RoutingRequest,
  candidate: FacilitatorCandidate,
  excluded: ReadonlySet<string> = NOBODY,
): IneligibilityReason | null {
  if (candidate.kind !== request.kind) return 'kind';
  if (!coversDepartment(request, candidate) && !isRegionalFallback(request, candidate)) return 'territory';
  if (!candidate.active) return 'inactive';
  if (candidate.absentToday) return 'absent';
  if (!(candidate.openCount < candidate.capacity)) return 'full';
  if (excluded.has(candidate.id)) return 'excluded';
  return null;
}

/**
 * The eligible candidates, best first. Social clauses go to a facilitator of the département; the
 * région's coordinators are offered only when none of those is eligible.
 */
export function rankFacilitators<C extends FacilitatorCandidate>(
  request: RoutingRequest,
  candidates: readonly C[],
  excluded: ReadonlySet<string> = NOBODY,
): C[] {
  const eligible = candidates.filter((candidate) => whyNotEligible(request, candidate, excluded) === null);
  const local = eligible.filter((candidate) => coversDepartment(request, candidate));
  const pool = local.length > 0 ? local : eligible;
  return [...pool].sort((a, b) => compareCandidates(request, a, b));
}

/** Territory proper: the network (and listed départements) for environmental advisers, the département for social clauses. */
function coversDepartment(request: RoutingRequest, candidate: FacilitatorCandidate): boolean {
  if (request.kind === 'environmental') {
    return (
      candidate.networkCode === request.networkCode &&
      (candidate.departmentCodes.length === 0 || candidate.departmentCodes.includes(request.departmentCode))
    );
  }
  return candidate.departmentCodes.includes(request.departmentCode);
}

/** Only social clauses have a regional fallback; environmental coordinators cover their network like anyone. */
function isRegionalFallback(request: RoutingRequest, candidate: FacilitatorCandidate): boolean {
  return request.kind === 'social_clause' && candidate.isCoordinator && candidate.regionCodes.includes(request.regionCode);
}

/** Expertise, then load, then longest wait since the last assignment, then id so the order never depends on input order. */
function compareCandidates(request: RoutingRequest, a: FacilitatorCandidate, b: FacilitatorCandidate): number {
  return (
    Number(b.segments.includes(request.segmentCode)) - Number(a.segments.includes(request.segmentCode)) ||
    // Cross-multiplied so equal ratios (1/2, 2/4) tie exactly; capacities are positive once eligible.
    a.openCount * b.capacity - b.openCount * a.capacity ||
    compare(lastAssignedRank(a), lastAssignedRank(b)) ||
    compare(a.id, b.id)
  );
}

/** Never assigned waits longest. */
function lastAssignedRank(candidate: FacilitatorCandidate): number {
  return candidate.lastAssignedAt === null ? -Infinity : candidate.lastAssignedAt.getTime();
}

/** Plain code-unit order, not localeCompare, so the result does not depend on the server's locale. */
function compare<T extends number | string>(x: T, y: T): number {
  return x < y ? -1 : x > y ? 1 : 0;
}
