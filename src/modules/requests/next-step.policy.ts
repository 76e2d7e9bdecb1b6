import type { RequestStatus } from './request.types';

/**
 * What the buyer waits for next, and by when when a deadline runs: being given to a facilitator (from the network's
 * pool, where no time can be promised), being taken in charge, then the written answer. Nothing while the hand is
 * theirs (a precision asked, an answer to read) or once the request is closed.
 */
export const NEXT_STEP_KINDS = ['assignment', 'take_charge', 'answer'] as const;
export type NextStep = { kind: (typeof NEXT_STEP_KINDS)[number]; expectedBy: string | null; late: boolean } | null;

/** `late`: the deadline has passed — the buyer is told so rather than read a past date as a promise. */
export function nextStepFor(status: RequestStatus, applicableDeadline: Date | null, now: Date): NextStep {
  const expectedBy = applicableDeadline ? applicableDeadline.toISOString() : null;
  const late = applicableDeadline !== null && applicableDeadline <= now;
  switch (status) {
    case 'submitted':
      return { kind: 'take_charge', expectedBy: null, late: false };
    case 'unassigned':
      return { kind: 'assignment', expectedBy: null, late: false };
    case 'assigned':
      return { kind: 'take_charge', expectedBy, late };
    case 'in_progress':
      return { kind: 'answer', expectedBy, late };
    default:
      return null;
  }
}
