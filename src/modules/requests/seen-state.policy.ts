/**
 * What a staff form says its writer saw of the request (status, kind, holder, holdings), and the refusal when it changed
 * before the form came back: a close, transfer or reassignment decided on a stale page would undo a colleague's move
 * unseen (an answered request closed as withdrawn, a transfer wiping a reassignment). Like the answer's `buyerMessageSeen`.
 */
import { AppError, isRefusal, ValidationFailed } from '../../common/errors/app-errors';
import { isUuid } from '../../common/validation';
import { KIND_LABELS, otherKind, REQUEST_KINDS, REQUEST_STATUSES, RequestKind, RequestStatus, STAFF_STATUS_LABELS } from './request.types';

export interface Change {
  type: string;
  actorName: string | null;
  assigneeName: string | null;
}

export interface SeenState {
  status: RequestStatus;
  kind: RequestKind;
  holderId: string | null;
  /**
   * How many holdings it had had (its assignments, ended or not): a churn back to the same holder (pool → Alex → pool)
   * leaves the rest as it was. Null: a token from a page rendered before tokens said it, checked without it.
   */
  holdings: number | null;
}

/** The request as read by a page or under its lock: every part of its state known. */
export interface RequestState extends SeenState {
  holdings: number;
}

/** The request as it is under its lock, with names for the refusal's words. */
export interface StateNow extends RequestState {
  holderName: string | null;
  /** The name of the holder the form's writer saw (null: none, or gone from the directory). */
  seenHolderName: string | null;
  /** The two latest events of MEANWHILE_EVENTS types (what may have changed what the writer saw), the latest first. */
  lastChanges: Change[];
}

/** The form's hidden field: `status:kind:holder:holdings` (no holder: empty). */
export function seenStateToken(state: RequestState): string {
  return `${state.status}:${state.kind}:${state.holderId ?? ''}:${state.holdings}`;
}

/**
 * The field as sent (`seenState`): null when left out, for an API client that does not ask for the check; 400 when
 * unreadable — an empty or null one too (the OpenAPI schema says a string): a client that lost what it read would
 * otherwise act unchecked.
 */
export function seenStateOf(value: unknown): SeenState | null {
  if (value === undefined) return null;
  // Without holdings: a page rendered before tokens said them, still open.
  const [status, kind, holderId, holdings, ...rest] = typeof value === 'string' ? value.split(':') : [];
  const known =
    rest.length === 0 &&
    (REQUEST_STATUSES as readonly string[]).includes(status) &&
    (REQUEST_KINDS as readonly string[]).includes(kind) &&
    (holderId === '' || isUuid(holderId)) &&
    (holdings === undefined || /^\d{1,9}$/.test(holdings));
  if (!known) throw new UnreadableSeenState();
  return {
    status: status as RequestStatus,
    kind: kind as RequestKind,
    holderId: holderId || null,
    holdings: holdings === undefined ? null : Number(holdings),
  };
}

/**
 * A `seenState` that cannot be read (400 on its field, for an API client). On a page, where the field is hidden, it
 * comes from a page too old or tampered with: refusalOnPage says so in the page's words.
 */
export class UnreadableSeenState extends ValidationFailed {
  constructor() {
    super([
      {
        field: 'seenState',
        message: 'Renvoyez l’état de la demande tel que vous l’avez lu (champ seenState de sa consultation), ou omettez ce champ.',
      },
    ]);
  }
}

const BUYER = 'l’acheteur';

/** What each change says, `who` being its author's name. */
const MEANWHILE_PHRASES: Record<string, (who: string, now: Pick<StateNow, 'kind'>, assignee: string) => string> = {
  transferred: (who, now) => `${who} a transféré cette demande vers « ${KIND_LABELS[now.kind]} »`,
  reassigned: (who, _now, assignee) => `${who} a confié cette demande à ${assignee}`,
  rerouted: (who) => `${who} a remis cette demande en attribution automatique`,
  taken_from_pool: (who) => `${who} a pris cette demande dans la réserve`,
  taken_in_charge: (who) => `${who} a pris cette demande en charge`,
  declined: (who) => `${who} a décliné cette demande`,
  given_back: (who) => `${who} a rendu cette demande`,
  clarification_requested: (who) => `${who} a demandé une précision à l’acheteur`,
  answered: (who) => `${who} a envoyé la réponse à l’acheteur`,
  answer_completed: (who) => `${who} a complété la réponse`,
  closed: (who) => `${who} a clôturé cette demande`,
  reopened: (who) => `${who} a rouvert cette demande`,
  auto_closed: () => 'la demande s’est clôturée d’elle-même, faute de nouvelle de l’acheteur',
  buyer_clarified: () => `${BUYER} a apporté sa précision`,
  buyer_replied: () => `${BUYER} a répondu, ce qui a rouvert la demande`,
  buyer_resolved: () => `${BUYER} a indiqué que sa question est résolue`,
  withdrawn: () => `${BUYER} a retiré sa demande`,
  assigned: (_who, _now, assignee) => `l’attribution automatique l’a confiée à ${assignee}`,
  unassigned: () => 'elle est passée dans la réserve du réseau',
  deadline_missed: () => 'son délai de prise en charge est passé',
  network_changed: () => 'elle a été rattachée à un autre réseau',
};

/** Routing's own moves, which follow a person's (a transfer, then its new holder): said after it, as its outcome. */
const FOLLOW_UPS: readonly string[] = ['assigned', 'unassigned'];

/** The history's event types that may change what a form saw. */
export const MEANWHILE_EVENTS: readonly string[] = Object.keys(MEANWHILE_PHRASES);

const SOMEONE = 'quelqu’un';
const ANOTHER_FACILITATOR = 'un autre facilitateur';

/** The person's move behind the latest of `lastChanges` (latest first): it, or the one routing followed up. */
export function latestMove<C extends Change>(lastChanges: readonly C[]): C | undefined {
  const [last, before] = lastChanges;
  return before && FOLLOW_UPS.includes(last.type) && !FOLLOW_UPS.includes(before.type) ? before : last;
}

/**
 * Null when the request is as the form's writer saw it; else, in French, what changed and who did it. Held again by
 * whom they saw (or again by nobody) after holdings they did not see: said as back where it was, « de nouveau ».
 */
export function changedMeanwhile(seen: SeenState, now: StateNow): string | null {
  const held = now.holderName ? `confiée à ${now.holderName}` : 'sans facilitateur';
  const holdingsChanged = seen.holdings !== null && seen.holdings !== now.holdings;
  const changes = [
    seen.status !== now.status ? `« ${STAFF_STATUS_LABELS[now.status]} » (et non plus « ${STAFF_STATUS_LABELS[seen.status]} »)` : null,
    seen.kind !== now.kind ? `du domaine « ${KIND_LABELS[now.kind]} »` : null,
    seen.holderId !== now.holderId
      ? `${held}${seen.holderId ? ` (et non plus ${now.holderName ? '' : 'confiée '}à ${now.seenHolderName ?? 'la personne que vous aviez vue'})` : ''}`
      : holdingsChanged
        ? `de nouveau ${held}`
        : null,
  ].filter((change): change is string => change !== null);
  if (!changes.length) return null;
  const assignee = (change: Change) => change.assigneeName ?? ANOTHER_FACILITATOR;
  const said = (change: Change) => MEANWHILE_PHRASES[change.type](change.actorName ?? SOMEONE, now, assignee(change));
  const [last] = now.lastChanges;
  const move = latestMove(now.lastChanges);
  const what =
    !last || !move
      ? 'la demande a changé'
      : move !== last
        ? // A rerouting already named routing: only whom it found.
          `${said(move)}${move.type === 'rerouted' && last.type === 'assigned' ? `, qui l’a confiée à ${assignee(last)}` : `, puis ${said(last)}`}`
        : said(last);
  return `Entre-temps, ${what} : rien n’a été enregistré. Elle est maintenant ${changes.join(', ')}.`;
}

/** One of the latest changes, with the status it left and when: what a state sent by one who no longer sees it is checked on. */
export interface Move extends Change {
  fromStatus: RequestStatus | null;
  at: Date;
}

/** What is known of a request its reader no longer sees, to check the state they send against (changedOutOfSight). */
export interface Trail {
  kind: RequestKind;
  networkCode: string;
  /** The two latest MEANWHILE_EVENTS, the latest first. */
  lastChanges: Move[];
  /** The facilitator of its holding that ended last (null: none ended). */
  lastHolderId: string | null;
}

/** The facilitator sending it: their record, its network, and since when it exists. */
export interface Sender {
  facilitatorId: string;
  networkCodes: readonly string[];
  since: Date;
}

/** The moves that end the holder's holding (a network change is left out: it keeps a holder who took it in charge). */
const TAKES_FROM_HOLDER: readonly string[] = ['transferred', 'reassigned', 'rerouted', 'declined', 'given_back', 'deadline_missed'];
const HOLDERLESS: readonly (RequestStatus | null)[] = [null, 'submitted', 'unassigned'];
/** The moves whose author holds the request after them: the latest change, its author is its holder now. */
const AUTHOR_HOLDS_IT: readonly string[] = ['taken_from_pool'];

/**
 * For a facilitator who no longer sees the request: the refusal's words when `seen` is exactly the request right before
 * its latest change and they saw it so — its holder then, whose holding that change ended, or in their network's pool
 * then, their record older than the change. Only that change (a closure or a withdrawal is one) and who made it, unless
 * that is who holds it now (taken from the pool: « un autre facilitateur »); not who holds it now, nor its status
 * (routing's follow-up, naming the new holder, left out). Null for any other state or sender: their 404 follows, and
 * an old holding or a past stay in the pool tells nothing.
 */
export function changedOutOfSight(seen: SeenState, sender: Sender, trail: Trail): string | null {
  const move = latestMove(trail.lastChanges);
  if (!move || seen.status !== move.fromStatus || seen.kind !== (move.type === 'transferred' ? otherKind(trail.kind) : trail.kind)) {
    return null;
  }
  const heldIt = seen.holderId === sender.facilitatorId && endedTheirHolding(sender.facilitatorId, trail, move);
  const sawItInPool =
    seen.holderId === null &&
    move.fromStatus === 'unassigned' &&
    move.type !== 'network_changed' &&
    sender.networkCodes.includes(trail.networkCode) &&
    sender.since < move.at;
  if (!heldIt && !sawItInPool) return null;
  return `Entre-temps, ${saidOutOfSight(move, trail)} : rien n’a été enregistré. ${heldIt ? 'Elle ne vous est plus confiée.' : 'Elle n’est plus dans la réserve du réseau.'}`;
}

/**
 * For a former holder opening the request's page (an old e-mail's link; nothing seen to check): its latest change and
 * who made it, as changedOutOfSight says it, when that change ended their holding. Null after any later move, or for an
 * older holding: their page then says only that it is no longer theirs.
 */
export function takenFromThem(facilitatorId: string, trail: Trail): string | null {
  const move = latestMove(trail.lastChanges);
  return move && endedTheirHolding(facilitatorId, trail, move) ? `Dernier changement : ${saidOutOfSight(move, trail)}.` : null;
}

/** The latest move ended this facilitator's holding: they held the request right before it. */
function endedTheirHolding(facilitatorId: string, trail: Trail, move: Move): boolean {
  return trail.lastHolderId === facilitatorId && TAKES_FROM_HOLDER.includes(move.type) && !HOLDERLESS.includes(move.fromStatus);
}

/** A move as told to one who no longer sees the request: who made it, never who holds it now. */
function saidOutOfSight(move: Move, trail: Trail): string {
  const who = AUTHOR_HOLDS_IT.includes(move.type) ? ANOTHER_FACILITATOR : (move.actorName ?? SOMEONE);
  return MEANWHILE_PHRASES[move.type](who, trail, ANOTHER_FACILITATOR);
}

/**
 * A move refused (409, `changed_meanwhile`) because the request changed since its form was read: `changedMeanwhile`'s
 * words, beside the action tried, and the request's state `now`, for a client to retry knowingly — not to one who no
 * longer sees it (changedOutOfSight): sent back, it would only meet a 404.
 */
export class ChangedMeanwhile extends AppError {
  constructor(message: string, now?: RequestState) {
    super('changed_meanwhile', message, [{ field: 'action', message }], now ? { seenState: seenStateToken(now) } : {});
  }
}

/**
 * The page's hidden state unreadable (a page from before its form sent one, or tampered with): nothing to correct in
 * the form, the page shown with the refusal is the fresh one (reloading the refusal would send the same form again).
 */
const PAGE_TOO_OLD =
  'Votre page était trop ancienne : rien n’a été enregistré. La voici rechargée ci-dessous : recommencez si c’est toujours utile.';

/**
 * Whether a page says `error` above the request as a refused move (refusalOnPage) rather than beside a field: a move
 * refused, or its form's hidden seenState unreadable, which has no field to be shown beside.
 */
export function refusedOnPage(error: AppError): boolean {
  return isRefusal(error) || error instanceof UnreadableSeenState;
}

/** A refusal as a page says it above the request as it is now; the API's message stays what happened, with no page to point to. */
export function refusalOnPage(error: AppError): string {
  if (error instanceof UnreadableSeenState) return PAGE_TOO_OLD;
  return error instanceof ChangedMeanwhile
    ? `${error.message} Relisez-la ci-dessous, puis recommencez si c’est toujours utile.`
    : error.message;
}
