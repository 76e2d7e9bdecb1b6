/**
 * What a buyer is told about (pure): from the public history events since the last e-mail, the changes worth
 * one message. The buyer's own actions and routing's moves (the acknowledgement announced them) are not news.
 */
import { withinOfficeHours } from '../../common/working-days.policy';
import { HANDED_OVER_EVENT, RequestStatus } from '../requests/request.types';

export interface PublicEvent {
  id: string;
  type: string;
  fromStatus: RequestStatus | null;
  toStatus: RequestStatus | null;
  actorType: string;
  reason: string | null;
}

export type BuyerChange =
  /** A facilitator took the request in charge: the buyer learns who follows it. */
  | { kind: 'taken' }
  | { kind: 'question' }
  /**
   * `count` answers in this e-mail, the latest ones (an answer and its complement sent minutes apart); `complement`:
   * the first of them completes an answer the buyer already read.
   */
  | { kind: 'answer'; count: number; complement: boolean }
  /** automatic: closed by the end of the buyer's window, not by a person. */
  | { kind: 'closed'; automatic: boolean }
  /** rerouted: its facilitator had left the directory or was absent, so another one (or the network's pool) takes it. */
  | { kind: 'reopened'; rerouted: boolean }
  /** waiting: no other facilitator could take it yet, it waits in the network's pool. */
  | { kind: 'transferred'; reason: string | null; waiting: boolean }
  | { kind: 'other'; toStatus: RequestStatus | null; reason: string | null };

/** Public events that make no e-mail of their own (the acknowledgement and the tracking page cover them). */
// Staff's own moves (reassigned, taken from the pool) carry staff names: a hand-over event tells the buyer instead.
// A split is told by its own e-mail (buyer-split), which lists the requests it creates with their links.
export const SILENT_EVENT_TYPES: readonly string[] = [
  'submitted',
  'assigned',
  'unassigned',
  'reassigned',
  'taken_from_pool',
  'split',
  'split_from',
];

/** The changes to tell, in order, each kind once (the latest question or answer is the one shown). */
export function buyerChanges(events: readonly PublicEvent[]): BuyerChange[] {
  const changes: BuyerChange[] = [];
  for (const event of events) {
    // The buyer's reply to a precision asked: that question is no longer news, only what follows it.
    if (event.actorType === 'buyer' && event.fromStatus === 'awaiting_buyer') {
      changes.splice(0, changes.length, ...changes.filter((change) => change.kind !== 'question'));
    }
    if (event.actorType === 'buyer' || SILENT_EVENT_TYPES.includes(event.type)) continue;
    const change = changeOf(event);
    // Closed and reopened before the buyer heard of it: the closure is no news, nor the reopening unless it goes to
    // another facilitator (what came before, an answer, still is).
    const closure = changes.findIndex((c) => c.kind === 'closed');
    if (change.kind === 'reopened' && closure >= 0) {
      changes.splice(closure, 1);
      if (!change.rerouted) continue;
    }
    const seen = changes.findIndex((c) => c.kind === change.kind && c.kind !== 'other');
    const earlier = seen >= 0 ? changes.splice(seen, 1)[0] : null;
    // Answers add up (each is read in full); a later question or closure replaces the one before.
    changes.push(
      earlier?.kind === 'answer' && change.kind === 'answer'
        ? { kind: 'answer', count: earlier.count + 1, complement: earlier.complement }
        : change,
    );
  }
  // Who took it in charge is news only while nothing has happened since (a question, an answer, a hand-over).
  return changes.at(-1)?.kind === 'taken' ? changes : changes.filter((change) => change.kind !== 'taken');
}

function changeOf(event: PublicEvent): BuyerChange {
  if (event.type === 'taken_in_charge') return { kind: 'taken' };
  if (event.type === HANDED_OVER_EVENT) return { kind: 'transferred', reason: event.reason, waiting: event.toStatus === 'unassigned' };
  if (event.toStatus === 'awaiting_buyer') return { kind: 'question' };
  if (event.toStatus === 'answered') return { kind: 'answer', count: 1, complement: event.fromStatus === 'answered' };
  if (event.toStatus === 'closed') return { kind: 'closed', automatic: event.actorType === 'system' };
  if (event.toStatus === 'in_progress' && (event.fromStatus === 'answered' || event.fromStatus === 'closed')) {
    return { kind: 'reopened', rerouted: false };
  }
  if (event.toStatus === 'submitted' && event.fromStatus === 'closed') return { kind: 'reopened', rerouted: true };
  if (event.toStatus === 'submitted' && event.fromStatus !== 'submitted') return { kind: 'transferred', reason: null, waiting: false };
  return { kind: 'other', toStatus: event.toStatus, reason: event.reason };
}

/**
 * What the e-mail's subject names: an answer or a precision asked before anything else it tells, else its last change
 * — and a closure that followed a precision asked, since nothing is asked any more.
 */
export function headlineChange(changes: readonly BuyerChange[]): BuyerChange {
  const last = changes[changes.length - 1];
  return changes.find((c) => c.kind === 'answer') ?? (last.kind === 'closed' ? last : changes.find((c) => c.kind === 'question')) ?? last;
}

/**
 * The news the e-mail's subject names, in order: its headline, then a closure the e-mail also ends on (an answer and
 * the closure in one debounce window), so the subject says all that the body ends on — not a closure undone since.
 */
export function subjectChanges(changes: readonly BuyerChange[]): BuyerChange[] {
  const headline = headlineChange(changes);
  const closure = changes.at(-1)?.kind === 'closed' ? changes.at(-1) : undefined;
  return closure && closure !== headline ? [headline, closure] : [headline];
}

/** The status a piece of news already puts the request in: the preview need not say it again (« demande clôturée »). */
const STATUS_TOLD: Partial<Record<BuyerChange['kind'], RequestStatus>> = {
  question: 'awaiting_buyer',
  answer: 'answered',
  closed: 'closed',
};

/** Whether the news told already says the request's current status. */
export function statusTold(changes: readonly BuyerChange[], status: RequestStatus): boolean {
  return changes.some((change) => STATUS_TOLD[change.kind] === status);
}

/**
 * When an e-mail telling `changes`, due at `at`, may leave: a closure by the end of the buyer's window waits for their
 * office hours (closed at 16:59, or by a sweep after a night's outage, it would be told at night); any other news
 * leaves when due, as a facilitator answering late sends the answer then.
 */
export function buyerMailAt(changes: readonly BuyerChange[], at: Date, departmentCode: string): Date {
  return changes.some((change) => change.kind === 'closed' && change.automatic) ? withinOfficeHours(at, departmentCode) : at;
}
