import { frenchDay } from '../../common/french-format';
import { firstWorkingDayFrom } from '../../common/working-days.policy';
import type { RequestKind } from '../requests/request.types';
import type { AssignmentEndReason, DeclineReason } from './request-assignment.entity';

/**
 * Who may take a request, in which order to offer it, and why nobody can. Pure: the caller loads the facilitators,
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
  /**
   * Who held it when it went to the other kind: back to this one, they are offered it after the others of the same rank
   * (they, or their network, judged it was not theirs) — for a social clause, after the département's others but still
   * before the regional coordinator, who is offered only when no one of the département can take it.
   */
  readonly transferredOutBy?: readonly string[];
  /**
   * The earlier request about the same purchase (the buyer said so) and who held it — the facilitator who last took it
   * in charge — if anyone did: offered it first when eligible, since they already know the file.
   */
  readonly followsUp?: FollowedRequest | null;
}

/** The earlier request a follow-up names: its reference, and the facilitator who held it (null: nobody took it in charge). */
export interface FollowedRequest {
  readonly reference: string;
  readonly heldBy: string | null;
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
  /** Absent today: the day they are back, the day after their absence ends ('YYYY-MM-DD'); otherwise null. */
  readonly backOn: string | null;
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
 * Whether routing, once a facilitator's time with a request ended so, never offers it to them again: they let it go
 * (declined, gave it back, let the take-charge deadline pass) or staff took it from them (withdrawn, or given to someone
 * of their choice: routing must not undo an animator's move). Staff may still choose them by name. The other ends say
 * nothing against them: away for a while, transferred (ranked last instead), territory realigned, closed.
 */
const EXCLUDED_AFTER: Record<AssignmentEndReason, boolean> = {
  declined: true,
  deadline_missed: true,
  withdrawn: true,
  reassigned: true,
  absence: false,
  inactive: false,
  departed: false,
  transferred: false,
  realigned: false,
  finished: false,
};

export function excludedAfter(end: AssignmentEndReason): boolean {
  return EXCLUDED_AFTER[end];
}

/** The assignment ends whose facilitator routing leaves out of that request's candidates (the `excluded` set). */
export const EXCLUDING_END_REASONS = (Object.keys(EXCLUDED_AFTER) as AssignmentEndReason[]).filter(excludedAfter);

/** One who had the request and whom routing leaves out since (an EXCLUDING_END_REASONS end), as the animators read it. */
export interface LetGo {
  /** First and last name. */
  readonly by: string;
  readonly endReason: AssignmentEndReason;
  readonly declineReason: DeclineReason | null;
  /** Taken in charge before it ended: a decline then is a give-back. */
  readonly taken: boolean;
}

/** A decline's reason as said of the facilitator who gave it. */
export const DECLINE_REASON_WORDS: Record<DeclineReason, string> = {
  not_my_territory: 'hors de son territoire',
  not_my_expertise: 'hors de son expertise',
  unavailable: 'indisponible',
};

/** Who had the request and how it left them, e.g. « Sacha Martin (déclinée : hors de son territoire) ». */
export function letGoText({ by, endReason, declineReason, taken }: LetGo): string {
  const reason = declineReason ? ` : ${DECLINE_REASON_WORDS[declineReason]}` : '';
  const how: Partial<Record<AssignmentEndReason, string>> = {
    declined: `${taken ? 'rendue' : 'déclinée'}${reason}`,
    deadline_missed: 'délai de prise en charge passé',
    withdrawn: 'retirée par l’animation, remise en attribution automatique',
    reassigned: 'retirée par l’animation, confiée à un autre facilitateur',
  };
  return `${by} (${how[endReason] ?? 'laissée'})`;
}

/** Requests are routed, and moved together, oldest first (their id breaks a tie). */
export function oldestFirst(a: { id: string; createdAt: Date }, b: { id: string; createdAt: Date }): number {
  return a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1);
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

/**
 * Not the one it was transferred away from, then the holder of the earlier request it follows up, then expertise, then
 * load, then longest wait since the last assignment, then id so the order never depends on input order.
 */
function compareCandidates(request: RoutingRequest, a: FacilitatorCandidate, b: FacilitatorCandidate): number {
  const transferredOut = (c: FacilitatorCandidate) => Number(request.transferredOutBy?.includes(c.id) ?? false);
  return (
    transferredOut(a) - transferredOut(b) ||
    Number(heldFollowedRequest(request, b)) - Number(heldFollowedRequest(request, a)) ||
    Number(b.segments.includes(request.segmentCode)) - Number(a.segments.includes(request.segmentCode)) ||
    // Cross-multiplied so equal ratios (1/2, 2/4) tie exactly; capacities are positive once eligible.
    a.openCount * b.capacity - b.openCount * a.capacity ||
    compare(lastAssignedRank(a), lastAssignedRank(b)) ||
    compare(a.id, b.id)
  );
}

/** Whether the candidate held the earlier request this one follows up. */
function heldFollowedRequest(request: RoutingRequest, candidate: FacilitatorCandidate): boolean {
  return !!request.followsUp?.heldBy && request.followsUp.heldBy === candidate.id;
}

/**
 * The earlier request's reference when `facilitator` held it: their e-mail names it, for them to find their answer
 * there; null when the request follows none up or someone else held it.
 */
export function followedReferenceHeldBy(request: RoutingRequest, facilitator: FacilitatorCandidate): string | null {
  return heldFollowedRequest(request, facilitator) ? request.followsUp!.reference : null;
}

/**
 * Why routing gave a follow-up to `chosen`, as its history line says it: the holder of the earlier request, eligible
 * and so ranked first; null when it went to someone else (the holder absent, full, or not covering it).
 */
export function followUpHolderText(request: RoutingRequest, chosen: FacilitatorCandidate): string | null {
  const reference = followedReferenceHeldBy(request, chosen);
  return reference && `Suite de ${reference}, confiée au même facilitateur`;
}

/** Never assigned waits longest. */
function lastAssignedRank(candidate: FacilitatorCandidate): number {
  return candidate.lastAssignedAt === null ? -Infinity : candidate.lastAssignedAt.getTime();
}

/** Plain code-unit order, not localeCompare, so the result does not depend on the server's locale. */
function compare<T extends number | string>(x: T, y: T): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Why nobody can take a request now, which tells the animators whether it will leave the pool by itself:
 * never when no active facilitator receiving requests covers it (`uncovered`) or all who do let it go before
 * (`let_go`: routing does not offer it to them again); when one comes back (`absent`), a place frees (`full`), or
 * either (`unavailable`: some absent, some full).
 */
export const WAITING_REASONS = ['uncovered', 'let_go', 'absent', 'full', 'unavailable'] as const;
export type WaitingReason = (typeof WAITING_REASONS)[number];

/**
 * Why a request waits in the pool; `backOn`: the day the first of the absent who would be offered it is back (null: none
 * is absent); `someLetGo`: some of those covering it let it go, so that « all absent » or « all full » speaks of the others.
 */
export interface PoolWait {
  reason: WaitingReason;
  backOn: string | null;
  someLetGo: boolean;
}

/**
 * Why none of the candidates can take the request (null: one can). A social-clause coordinator of the request's
 * région covers it as rankFacilitators' fallback does.
 */
export function whyWaiting(
  request: RoutingRequest,
  candidates: readonly FacilitatorCandidate[],
  excluded: ReadonlySet<string> = NOBODY,
): PoolWait | null {
  const covering = coveringCandidates(request, candidates);
  const offered = covering.filter((c) => !excluded.has(c.id));
  const reason = covering.length ? offeredReason(request, offered) : 'uncovered';
  if (!reason) return null;
  // The day after an absence may be a weekend or a holiday: said as the next working one, when they are back at work
  // (the request may reach them the day before; its take-charge time counts from that working day).
  const days = offered.flatMap((c) => (c.backOn ? [firstWorkingDayFrom(c.backOn, request.departmentCode)] : []));
  return {
    reason,
    backOn: days.length ? days.reduce((first, day) => (day < first ? day : first)) : null,
    someLetGo: offered.length < covering.length,
  };
}

/** Why none of those covering the request to whom routing would offer it can take it (null: one can). */
function offeredReason(request: RoutingRequest, offered: readonly FacilitatorCandidate[]): WaitingReason | null {
  if (!offered.length) return 'let_go';
  const reasons = new Set(offered.map((c) => whyNotEligible(request, c)));
  if (reasons.has(null)) return null;
  return reasons.size > 1 ? 'unavailable' : (reasons.values().next().value as 'absent' | 'full');
}

/** The candidates who cover the request and receive requests, whatever their day (absent, full) or past with it. */
function coveringCandidates<C extends FacilitatorCandidate>(request: RoutingRequest, candidates: readonly C[]): C[] {
  return candidates.filter((c) => !['kind', 'territory', 'inactive'].includes(whyNotEligible(request, c) ?? ''));
}

/**
 * Why the request went to `chosen` as the région's social-clause coordinator (the département's facilitators, if
 * any, could not take it); null when `chosen` covers the département itself.
 */
export function whyCoordinatorFallback(
  request: RoutingRequest,
  chosen: FacilitatorCandidate,
  candidates: readonly FacilitatorCandidate[],
  excluded: ReadonlySet<string> = NOBODY,
): PoolWait | null {
  if (request.kind !== 'social_clause' || coversDepartment(request, chosen)) return null;
  return whyWaiting(
    request,
    candidates.filter((c) => coversDepartment(request, c)),
    excluded,
  );
}

const KIND_PHRASES: Record<RequestKind, string> = {
  environmental: 'les considérations environnementales',
  social_clause: 'les clauses sociales',
};

/**
 * Why a request waits in the pool, and what to do, as staff read it (history, pool digest, request page).
 */
export function waitingReasonText({ reason, backOn, someLetGo }: PoolWait, kind: RequestKind): string {
  const all = `Les facilitateurs qui couvrent ce département pour ${KIND_PHRASES[kind]}`;
  // Those who let it go are neither absent nor full for it: they are left out.
  const covering = someLetGo ? `${all}, hormis ceux qui l’ont déjà eue et laissée,` : all;
  switch (reason) {
    case 'uncovered':
      return `Aucun facilitateur ne couvre ce département pour ${KIND_PHRASES[kind]} (aucun actif qui reçoit des demandes) : elle ne sortira pas seule de la réserve. Ajoutez-en un à l’annuaire ou étendez le territoire d’un facilitateur ; si la question relève de l’autre type, transférez-la.`;
    case 'let_go':
      return `${all} l’ont tous déjà eue et laissée (déclinée, délai passé ou retirée) : elle ne leur reviendra pas d’elle-même. Confiez-la à l’un d’eux ou ajoutez un facilitateur à l’annuaire.`;
    case 'absent':
      return `${covering} sont tous absents : elle partira d’elle-même au ${firstReturn(backOn)}.`;
    case 'full':
      return `${covering} sont tous à pleine capacité : elle partira d’elle-même dès qu’une place se libère.`;
    case 'unavailable':
      return `${covering} sont absents ou à pleine capacité : elle partira d’elle-même au premier qui se libère (retour d’absence, place libérée).`;
  }
}

/**
 * Why a rerouting of a request awaiting its buyer's precision is refused, the holder aside: the pool would leave the
 * question with nobody to receive it, so routing must find someone now; the reason says whom to choose, or what to free.
 */
export function precisionRerouteRefusal({ reason, backOn }: PoolWait, kind: RequestKind): string {
  const others = 'Les autres facilitateurs qui couvrent ce département';
  const why: Record<WaitingReason, string> = {
    uncovered: `Aucun autre facilitateur ne couvre ce département pour ${KIND_PHRASES[kind]} (aucun actif qui reçoit des demandes)`,
    let_go: `${others} l’ont tous déjà eue et laissée (déclinée, délai passé ou retirée) : le routage ne la leur rend pas`,
    absent: `${others} sont tous absents`,
    full: `${others} sont tous à pleine capacité`,
    unavailable: `${others} sont absents ou à pleine capacité`,
  };
  const todo: Record<WaitingReason, string> = {
    uncovered: 'Ajoutez un facilitateur à l’annuaire ou étendez le territoire d’un facilitateur',
    let_go: 'Choisissez l’un d’eux dans la liste, ou ajoutez un facilitateur à l’annuaire',
    absent: `Choisissez un facilitateur dans la liste, ou attendez le ${firstReturn(backOn)}`,
    full: 'Choisissez un facilitateur dans la liste, ou libérez une place',
    unavailable: 'Choisissez un facilitateur dans la liste, ou libérez une place',
  };
  return `${why[reason]} : elle attend la précision de l’acheteur, que personne ne recevrait dans la réserve du réseau. ${todo[reason]}, puis recommencez.`;
}

/** « retour du premier », and its day when known. */
function firstReturn(backOn: string | null): string {
  return `retour du premier${backOn ? `, le ${frenchDay(backOn)}` : ''}`;
}

/** Whether a request waiting for this reason stays in the pool until someone acts. */
export function waitsForSomeone(reason: WaitingReason): boolean {
  return reason === 'uncovered' || reason === 'let_go';
}

/** Why the département's facilitators could not take it, as the coordinator's e-mail and the history read it. */
export function coordinatorFallbackDetail({ reason, backOn }: PoolWait): string {
  const local = 'les facilitateurs de clauses sociales du département';
  const detail: Record<WaitingReason, string> = {
    uncovered: 'aucun facilitateur de clauses sociales ne couvre ce département',
    let_go: `${local} l’ont tous déjà eue et laissée`,
    // The day the first is back tells the coordinator how long the département goes without them.
    absent: `${local} sont tous absents${backOn ? ` (${firstReturn(backOn)})` : ''}`,
    full: `${local} sont tous à pleine capacité`,
    unavailable: `${local} sont absents ou à pleine capacité`,
  };
  return detail[reason];
}

/** Why a social-clause request went to the regional coordinator, as its history line says it. */
export function coordinatorFallbackText(wait: PoolWait): string {
  return `Au coordinateur régional : ${coordinatorFallbackDetail(wait)}`;
}
