/**
 * The request's state machine (pure): which action may happen in which status, and where it leads.
 *
 * Decisions beyond DESIGN.md:
 * - split keeps the original request where it is: the facilitator goes on answering its first topic and
 *   keeps its history and the buyer's tracking link; the other topics become new requests, routed on their own.
 * - close reasons: `answered` only once answered; `no_reply` once answered (reply window over) or while
 *   awaiting the buyer (the precision never came) — set by the reply window's end alone, never chosen by staff, who
 *   would cut the buyer's time short; `redirected` and `duplicate` from any open status; `withdrawn` (the buyer said so
 *   by e-mail or phone) only where the buyer could withdraw themselves (`withdraw`, from the tracking page): once
 *   answered, staff recording it would count an answered request as withdrawn and skip its survey.
 * - a buyer's reply reopens a closed request only if it was closed after an answer (`answered`, `no_reply`);
 *   whether the reply window is still open is the caller's decision (it knows the calendar).
 * - the facilitator may answer while awaiting the buyer's precision (given by phone, or found elsewhere): the answer
 *   ends the wait, as the precision would have. Once answered, they may complete their answer (a forgotten file, a
 *   correction) until the closure: the status stays, the buyer's time to reply starts again.
 * - the buyer may add information (a forgotten detail) while nothing is asked of them and no answer came yet:
 *   submitted to in progress; the status stays. Awaiting them, they give the precision; answered, they reply, or
 *   say their question is resolved (`buyer_resolved`): closed as `answered` at once, as the reply window would.
 * - the facilitator who took a request in charge may give it back before answering (an unforeseen absence, a
 *   question outside their expertise): it is routed again, never to them; once answered, the network reassigns.
 * - staff may reopen a closure made by mistake, whatever its reason but a withdrawal (the buyer's own, or recorded by
 *   staff for them: the policy cannot tell them apart, and the buyer files a new request): the request
 *   goes back in progress to the facilitator who held it (the caller checks there is one, and data not erased).
 *   A reopening (staff's or the buyer's reply) whose facilitator has left the directory or is absent goes to
 *   `submitted` instead, and routing places it at once: the caller reads the directory.
 * - the network moving a request awaiting the buyer's precision to another facilitator (`reassign`, `reroute`) keeps
 *   it awaiting: the new holder has it in charge at once, the buyer still gives the precision (their window, reminder
 *   and automatic closure run on from the question) and it reaches the new holder. A rerouting that finds no one free
 *   is refused rather than pooled: waiting in the pool, nobody would hold the question. A `transfer` to the other kind
 *   ends the wait: the other desk starts afresh from the request and asks its own precision if it needs one.
 */
import { ActionRefused } from '../../common/errors/app-errors';
import {
  CLOSE_REASON_LABELS,
  CLOSE_REASONS,
  CloseReason,
  REQUEST_ACTIONS,
  RequestAction,
  RequestStatus,
  STAFF_STATUS_LABELS,
  STATUS_LABELS,
} from './request.types';

/** Who performs an action: the page that offers it filters on this. */
export type ActionActor = 'system' | 'buyer' | 'facilitator' | 'animator';

export const ACTION_ACTORS: Record<RequestAction, ActionActor> = {
  route_assigned: 'system',
  route_unassigned: 'system',
  take_charge: 'facilitator',
  give_back: 'facilitator',
  request_clarification: 'facilitator',
  buyer_clarified: 'buyer',
  answer: 'facilitator',
  buyer_replied_to_answer: 'buyer',
  buyer_added_information: 'buyer',
  buyer_resolved: 'buyer',
  close: 'facilitator',
  withdraw: 'buyer',
  transfer: 'facilitator',
  split: 'facilitator',
  reassign: 'animator',
  reroute: 'animator',
  reopen: 'facilitator',
};

export const OPEN_STATUSES: readonly RequestStatus[] = ['submitted', 'unassigned', 'assigned', 'in_progress', 'awaiting_buyer', 'answered'];

/** The request as the policy needs it: its status and, once closed, why. */
export interface RequestState {
  status: RequestStatus;
  closeReason?: CloseReason | null;
}

/** Where a withdrawal may happen, the buyer's own (`withdraw`) or recorded by staff (`close` as `withdrawn`). */
const WITHDRAWABLE: readonly RequestStatus[] = ['submitted', 'unassigned', 'assigned', 'in_progress', 'awaiting_buyer'];

/** Closed requests a buyer's reply may reopen. */
const REOPENABLE_CLOSE_REASONS: readonly CloseReason[] = ['answered', 'no_reply'];

const CLOSE_FROM: Record<CloseReason, readonly RequestStatus[]> = {
  answered: ['answered'],
  no_reply: ['answered', 'awaiting_buyer'],
  redirected: OPEN_STATUSES,
  duplicate: OPEN_STATUSES,
  withdrawn: WITHDRAWABLE,
};

/** Fixed moves: from these statuses, to that one. `close` and `buyer_replied_to_answer` depend on more. */
const MOVES: Record<Exclude<RequestAction, 'close'>, { from: readonly RequestStatus[]; to: RequestStatus | 'same' }> = {
  route_assigned: { from: ['submitted', 'unassigned'], to: 'assigned' },
  route_unassigned: { from: ['submitted'], to: 'unassigned' },
  take_charge: { from: ['assigned'], to: 'in_progress' },
  // Taken in charge, not answered yet: the facilitator hands it on (routing chooses someone else, never them). Not
  // while a precision is asked: the buyer would be left answering a question no one holds.
  give_back: { from: ['in_progress'], to: 'submitted' },
  request_clarification: { from: ['in_progress'], to: 'awaiting_buyer' },
  buyer_clarified: { from: ['awaiting_buyer'], to: 'in_progress' },
  // Awaiting the buyer too: the precision may come another way (a phone call) — the answer then ends the wait.
  // Answered too: a complement (a forgotten file, a correction), which restarts the buyer's time to reply.
  answer: { from: ['in_progress', 'awaiting_buyer', 'answered'], to: 'answered' },
  buyer_replied_to_answer: { from: ['answered', 'closed'], to: 'in_progress' },
  buyer_added_information: { from: ['submitted', 'unassigned', 'assigned', 'in_progress'], to: 'same' },
  buyer_resolved: { from: ['answered'], to: 'closed' },
  // Once answered, the buyer closes it as resolved (« Ma question est résolue ») or lets it close: a withdrawal would
  // count an answered request as withdrawn and skip its survey.
  withdraw: { from: WITHDRAWABLE, to: 'closed' },
  transfer: { from: ['unassigned', 'assigned', 'in_progress', 'awaiting_buyer'], to: 'submitted' },
  split: { from: ['assigned', 'in_progress'], to: 'same' },
  reassign: { from: ['unassigned', 'assigned', 'in_progress', 'awaiting_buyer'], to: 'assigned' },
  reroute: { from: ['unassigned', 'assigned', 'in_progress', 'awaiting_buyer'], to: 'submitted' },
  reopen: { from: ['closed'], to: 'in_progress' },
};

/** Staff's moves to another facilitator of the same kind: a precision asked stays awaited, from the new holder. */
const KEEP_PRECISION_ASKED: readonly RequestAction[] = ['reassign', 'reroute'];

export type Transition = { allowed: true; to: RequestStatus } | { allowed: false; message: string };

/** Where `action` leads from `request`, or why it cannot happen (French, shown to the person who tried). */
export function transition(request: RequestState, action: RequestAction, reason?: CloseReason): Transition {
  const refuse = (message: string): Transition => ({ allowed: false, message });
  const status = request.status;
  // The status as the one who tried reads it: the buyer's « votre précision » is the staff's « l’acheteur ».
  const statusLabel = (ACTION_ACTORS[action] === 'buyer' ? STATUS_LABELS : STAFF_STATUS_LABELS)[status];
  if (action === 'close') {
    if (!reason || !(reason in CLOSE_FROM)) return refuse('Choisissez le motif de clôture.');
    if (!CLOSE_FROM[reason].includes(status)) {
      return refuse(`Une demande « ${statusLabel} » ne peut pas être clôturée avec le motif « ${CLOSE_REASON_LABELS[reason]} ».`);
    }
    return { allowed: true, to: 'closed' };
  }
  const move = MOVES[action];
  if (!move) return refuse('Action inconnue.');
  if (!move.from.includes(status)) return refuse(refusalMessage(status, statusLabel, action));
  if (
    action === 'buyer_replied_to_answer' &&
    status === 'closed' &&
    !REOPENABLE_CLOSE_REASONS.includes(request.closeReason as CloseReason)
  ) {
    return refuse('Cette demande est clôturée : déposez une nouvelle demande si vous avez une autre question.');
  }
  if (action === 'reopen' && request.closeReason === 'withdrawn') {
    return refuse('L’acheteur a retiré cette demande : elle ne se rouvre pas ; il peut en déposer une nouvelle.');
  }
  if (move.to === 'same' || (status === 'awaiting_buyer' && KEEP_PRECISION_ASKED.includes(action))) return { allowed: true, to: status };
  return { allowed: true, to: move.to };
}

/** Like transition(), for callers that act: a refused move is a 409 with its French message. */
export function nextStatus(request: RequestState, action: RequestAction, reason?: CloseReason): RequestStatus {
  const result = transition(request, action, reason);
  if (!result.allowed) throw new ActionRefused(result.message);
  return result.to;
}

/** The actions possible now (close counts if at least one reason is), optionally for one kind of actor: the page's buttons. */
export function allowedActions(request: RequestState, actor?: ActionActor): RequestAction[] {
  return REQUEST_ACTIONS.filter(
    (action) =>
      (!actor || ACTION_ACTORS[action] === actor) &&
      (action === 'close' ? closeReasonsFor(request.status).length > 0 : transition(request, action).allowed),
  );
}

/** Set when the buyer's time ran out (auto-close), not by a person. */
export const SYSTEM_CLOSE_REASONS: readonly CloseReason[] = ['no_reply'];

/** The reasons staff may close a request in this status with, for the closing form's choices. */
export function closeReasonsFor(status: RequestStatus): CloseReason[] {
  return CLOSE_REASONS.filter((reason) => CLOSE_FROM[reason].includes(status) && !SYSTEM_CLOSE_REASONS.includes(reason));
}

function refusalMessage(status: RequestStatus, statusLabel: string, action: RequestAction): string {
  if (status === 'closed') return 'Cette demande est clôturée : cette action n’est plus possible.';
  // The usual API client's slip: writing to the buyer before taking the request in charge.
  if (status === 'assigned' && (action === 'request_clarification' || action === 'answer')) {
    return 'Prenez d’abord la demande en charge : vous pourrez ensuite demander une précision à l’acheteur ou lui répondre.';
  }
  if (status === 'awaiting_buyer' && action === 'give_back') {
    return 'La demande attend la précision de l’acheteur : vous pourrez la rendre une fois sa précision reçue, ou y répondre si vous l’avez eue autrement.';
  }
  if (status === 'answered' && action === 'give_back') {
    return 'Vous avez déjà répondu : pour qu’un collègue prenne la suite, demandez à l’animateur de votre réseau de confier la demande à un autre facilitateur.';
  }
  return `Cette action n’est pas possible pour une demande « ${statusLabel} ». La page a peut-être changé entre-temps : rechargez-la.`;
}
