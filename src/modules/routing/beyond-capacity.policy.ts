import { AppError } from '../../common/errors/app-errors';
import { frenchNumber } from '../../common/french-format';
import type { IneligibilityReason } from './ranking.policy';

/** A facilitator's load: their open requests, and the capacity they are set against. */
export interface Load {
  openCount: number;
  capacity: number;
}

/**
 * How a choice by name meets a facilitator at capacity: `refused` (a facilitator's own choice: the pool, a colleague),
 * `ask` (staff who may assign, not yet confirmed), `confirmed` (they confirmed: the place is taken past capacity) when
 * the facilitator is no further past capacity than the question quoted (null: an API client that did not say; a null
 * capacity: one that said only the open requests, which alone then hold).
 */
export type BeyondCapacity = 'refused' | 'ask' | { confirmed: { openCount: number; capacity: number | null } | null };

/** What becomes of a choice by name: given (perhaps past capacity), asked first, or refused for `reason`. */
export type ChosenVerdict = { give: true; beyondCapacity: boolean } | { ask: true } | { refused: IneligibilityReason };

/**
 * Only capacity gives way, and only to staff who confirm: an absent facilitator would not see the request, and their
 * absence moves what they have not taken on to others anyway (RoutingService.facilitatorChanged); kind, territory and
 * an inactive record are facts a confirmation does not change. Routing and the pool drain never go past capacity.
 * A confirmation holds for the excess it accepted: `now` (under the lock) further past capacity — more requests, or a
 * capacity lowered by an administrator meanwhile — asks again.
 */
export function chosenVerdict(reason: IneligibilityReason | null, beyondCapacity: BeyondCapacity, now: Load): ChosenVerdict {
  if (reason === null) return { give: true, beyondCapacity: false };
  if (reason !== 'full' || beyondCapacity === 'refused') return { refused: reason };
  if (beyondCapacity === 'ask') return { ask: true };
  const { confirmed } = beyondCapacity;
  const stands =
    confirmed === null ||
    (confirmed.capacity === null
      ? now.openCount <= confirmed.openCount
      : now.openCount - now.capacity <= confirmed.openCount - confirmed.capacity);
  return stands ? { give: true, beyondCapacity: true } : { ask: true };
}

/** The question staff answer before giving a request past capacity, e.g. « Bérénice Martin a déjà 3 demandes pour une capacité de 3. » */
export function beyondCapacityQuestion(name: string, openCount: number, capacity: number): string {
  const held = openCount === 0 ? 'n’a aucune demande' : `a déjà ${frenchNumber(openCount)} demande${openCount > 1 ? 's' : ''}`;
  return `${name} ${held} pour une capacité de ${frenchNumber(capacity)}. La lui confier quand même ?`;
}

/**
 * A facilitator at capacity chosen by staff who did not confirm, or confirmed at a smaller excess than `openCount` past
 * `capacity` (409, on the `beyondCapacity` field): the form comes back asking, nothing is written.
 */
export class BeyondCapacityUnconfirmed extends AppError {
  constructor(
    readonly facilitatorId: string,
    readonly openCount: number,
    readonly capacity: number,
    question: string,
  ) {
    super('conflict', question, [{ field: 'beyondCapacity', message: question }]);
  }
}
