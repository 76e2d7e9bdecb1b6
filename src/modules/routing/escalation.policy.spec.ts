import { isEscalated } from './escalation.policy';
import type { RequestStatus } from '../requests/request.types';

describe('isEscalated', () => {
  it.each<[RequestStatus, number, boolean]>([
    ['assigned', 2, true],
    ['unassigned', 3, true],
    ['submitted', 2, true],
    ['assigned', 1, false],
    ['unassigned', 0, false],
    // Taken in charge since, or ended: nothing waits on the network any more.
    ['in_progress', 2, false],
    ['awaiting_buyer', 4, false],
    ['answered', 2, false],
    ['closed', 2, false],
  ])('%s after %i misses: %s', (status, deadlineMisses, expected) => {
    expect(isEscalated({ status, deadlineMisses })).toBe(expected);
  });
});
