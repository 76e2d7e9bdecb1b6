import { nextStepFor } from './next-step.policy';
import type { RequestStatus } from './request.types';

describe('nextStepFor', () => {
  const due = new Date('2026-12-08T01:05:00Z');
  const before = new Date('2026-12-07T12:00:00Z');
  const after = new Date('2026-12-08T01:06:00Z');

  it.each<[RequestStatus, Date | null, Date, ReturnType<typeof nextStepFor>]>([
    ['submitted', null, before, { kind: 'take_charge', expectedBy: null, late: false }],
    ['assigned', due, before, { kind: 'take_charge', expectedBy: '2026-12-08T01:05:00.000Z', late: false }],
    ['assigned', due, after, { kind: 'take_charge', expectedBy: '2026-12-08T01:05:00.000Z', late: true }],
    ['in_progress', due, before, { kind: 'answer', expectedBy: '2026-12-08T01:05:00.000Z', late: false }],
    ['in_progress', due, after, { kind: 'answer', expectedBy: '2026-12-08T01:05:00.000Z', late: true }],
    ['in_progress', null, after, { kind: 'answer', expectedBy: null, late: false }],
    ['unassigned', null, after, { kind: 'assignment', expectedBy: null, late: false }],
    ['awaiting_buyer', null, after, null],
    ['answered', null, after, null],
    ['closed', null, after, null],
  ])('%s (deadline %s, now %s)', (status, deadline, now, expected) => {
    expect(nextStepFor(status, deadline, now)).toEqual(expected);
  });
});
