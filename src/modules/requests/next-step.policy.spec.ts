import { nextStepFor } from './next-step.policy';
import type { RequestStatus } from './request.types';

describe('nextStepFor', () => {
  const due = new Date('2026-12-08T01:05:00Z');

  it.each<[RequestStatus, Date | null, ReturnType<typeof nextStepFor>]>([
    ['submitted', null, { kind: 'take_charge', expectedBy: null }],
    ['assigned', due, { kind: 'take_charge', expectedBy: '2026-12-08T01:05:00.000Z' }],
    ['in_progress', due, { kind: 'answer', expectedBy: '2026-12-08T01:05:00.000Z' }],
    ['in_progress', null, { kind: 'answer', expectedBy: null }],
    ['unassigned', null, { kind: 'assignment', expectedBy: null }],
    ['awaiting_buyer', null, null],
    ['answered', null, null],
    ['closed', null, null],
  ])('%s (deadline %s)', (status, deadline, expected) => {
    expect(nextStepFor(status, deadline)).toEqual(expected);
  });
});
