import type { RequestStatus } from '../requests/request.types';

/**
 * What becomes of an open request whose territory moved to another network (reference data changed):
 * - `reroute`: nobody has begun it (waiting, pooled, or assigned but not taken in charge): routed again in the new
 *   network, as a fresh submission is;
 * - `keep_holder`: someone has taken it in charge: it follows its territory too (the new network's animators see and
 *   manage it from now on), but its facilitator keeps it until it closes — work is not taken from someone mid-answer;
 * - null: a closed request stays with the network that served it (its history and indicators).
 */
export type Realignment = 'reroute' | 'keep_holder';

export function realignmentOf(status: RequestStatus): Realignment | null {
  switch (status) {
    case 'submitted':
    case 'assigned':
    case 'unassigned':
      return 'reroute';
    case 'in_progress':
    case 'awaiting_buyer':
    case 'answered':
      return 'keep_holder';
    case 'closed':
      return null;
  }
}
