import type { RequestStatus } from '../requests/request.types';
import { Realignment, realignmentOf } from './realignment.policy';

describe('realignmentOf', () => {
  it.each<[RequestStatus, Realignment | null]>([
    ['submitted', 'reroute'],
    ['assigned', 'reroute'],
    ['unassigned', 'reroute'],
    ['in_progress', 'keep_holder'],
    ['awaiting_buyer', 'keep_holder'],
    ['answered', 'keep_holder'],
    ['closed', null],
  ])('a request %s → %s', (status, expected) => {
    expect(realignmentOf(status)).toBe(expected);
  });
});
