/**
 * What a staff form says its writer saw of the request (status, kind, holder), and the refusal when it changed before
 * the form came back: a close, transfer or reassignment decided on a stale page would undo a colleague's move unseen
 * (an answered request closed as withdrawn, a transfer wiping a reassignment). Like the answer's `buyerMessageSeen`.
 */
import { AppError, ValidationFailed } from '../../common/errors/app-errors';
import { isUuid } from '../../common/validation';
import { KIND_LABELS, REQUEST_KINDS, REQUEST_STATUSES, RequestKind, RequestStatus, STAFF_STATUS_LABELS } from './request.types';

export interface Change {
  type: string;
  actorName: string | null;
  assigneeName: string | null;
}

export interface SeenState {
  status: RequestStatus;
  kind: RequestKind;
  holderId: string | null;
}

/** The request as it is under its lock, with names for the refusal's words. */
export interface StateNow extends SeenState {
  holderName: string | null;
  /** The name of the holder the form's writer saw (null: none, or gone from the directory). */
  seenHolderName: string | null;
  /** The two latest events of MEANWHILE_EVENTS types (what may have changed what the writer saw), the latest first. */
  lastChanges: Change[];
}

/** The form's hidden field: `status:kind:holder` (no holder: empty). */
export function seenStateToken(state: SeenState): string {
  return `${state.status}:${state.kind}:${state.holderId ?? ''}`;
}

/**
 * The field as sent (`seenState`): null when left out, for an API client that does not ask for the check; 400 when
 * unreadable — an empty or null one too (the OpenAPI schema says a string): a client that lost what it read would
 * otherwise act unchecked.
 */
export function seenStateOf(value: unknown): SeenState | null {
  if (value === undefined) return null;
  const [status, kind, holderId, ...rest] = typeof value === 'string' ? value.split(':') : [];
  const known =
    rest.length === 0 &&
    (REQUEST_STATUSES as readonly string[]).includes(status) &&
    (REQUEST_KINDS as readonly string[]).includes(kind) &&
    (holderId === '' || isUuid(holderId));
  if (!known) {
    throw new ValidationFailed([
      {
        field: 'seenState',
        message: 'Renvoyez l’état de la demande tel que vous l’avez lu (champ seenState de sa consultation), ou omettez ce champ.',
      },
    ]);
  }
  return { status: status as RequestStatus, kind: kind as RequestKind, holderId: holderId || null };
}

const BUYER = 'l’acheteur';

/** What each change says, `who` being its author's name. */
const MEANWHILE_PHRASES: Record<string, (who: string, now: StateNow, assignee: string) => string> = {
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

/** Null when the request is as the form's writer saw it; else, in French, what changed and who did it. */
export function changedMeanwhile(seen: SeenState, now: StateNow): string | null {
  const changes = [
    seen.status !== now.status ? `« ${STAFF_STATUS_LABELS[now.status]} » (et non plus « ${STAFF_STATUS_LABELS[seen.status]} »)` : null,
    seen.kind !== now.kind ? `du domaine « ${KIND_LABELS[now.kind]} »` : null,
    seen.holderId !== now.holderId
      ? `${now.holderName ? `confiée à ${now.holderName}` : 'sans facilitateur'}${seen.holderId ? ` (et non plus ${now.holderName ? '' : 'confiée '}à ${now.seenHolderName ?? 'la personne que vous aviez vue'})` : ''}`
      : null,
  ].filter((change): change is string => change !== null);
  if (!changes.length) return null;
  const assignee = (change: Change) => change.assigneeName ?? 'un autre facilitateur';
  const said = (change: Change) => MEANWHILE_PHRASES[change.type](change.actorName ?? 'quelqu’un', now, assignee(change));
  const [last, before] = now.lastChanges;
  const what = !last
    ? 'la demande a changé'
    : before && FOLLOW_UPS.includes(last.type) && !FOLLOW_UPS.includes(before.type)
      ? // A rerouting already named routing: only whom it found.
        `${said(before)}${before.type === 'rerouted' && last.type === 'assigned' ? `, qui l’a confiée à ${assignee(last)}` : `, puis ${said(last)}`}`
      : said(last);
  return `Entre-temps, ${what} : rien n’a été enregistré. Elle est maintenant ${changes.join(', ')}.`;
}

/**
 * A move refused (409, `changed_meanwhile`) because the request changed since its form was read: `changedMeanwhile`'s
 * words, beside the action tried, and the request's state now, for a client to retry knowingly.
 */
export class ChangedMeanwhile extends AppError {
  constructor(message: string, now: SeenState) {
    super('changed_meanwhile', message, [{ field: 'action', message }], { seenState: seenStateToken(now) });
  }
}

/** A refusal as a page says it above the request as it is now; the API's message stays what happened, with no page to point to. */
export function refusalOnPage(error: AppError): string {
  return error instanceof ChangedMeanwhile
    ? `${error.message} Relisez-la ci-dessous, puis recommencez si c’est toujours utile.`
    : error.message;
}
