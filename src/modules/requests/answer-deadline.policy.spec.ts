import { addWorkingDays } from '../../common/working-days.policy';
import { answerDueAt, answeredOnTime, Pause, pausesFromHistory } from './answer-deadline.policy';

const at = (iso: string) => new Date(iso);

describe('answerDueAt', () => {
  // Monday 2 June 2025, 10:00 Paris (08:00 UTC). Monday 9 June (Pentecost Monday) is a holiday.
  const taken = at('2025-06-02T08:00:00Z');

  it.each<[string, Pause[], number, string | null]>([
    ['no pause: plain working days', [], 3, '2025-06-05T08:00:00.000Z'],
    ['no pause, across Pentecost Monday', [], 5, '2025-06-10T08:00:00.000Z'],
    // Paused Tuesday 10:00 → Thursday 10:00: two working days stand still.
    [
      'a pause of two working days moves it two days',
      [{ from: at('2025-06-03T08:00:00Z'), to: at('2025-06-05T08:00:00Z') }],
      3,
      '2025-06-10T08:00:00.000Z',
    ],
    // Paused over a weekend only: no working time lost.
    [
      'a pause over a weekend changes nothing',
      [{ from: at('2025-06-06T22:00:00Z'), to: at('2025-06-08T20:00:00Z') }],
      5,
      '2025-06-10T08:00:00.000Z',
    ],
    // Paused Tuesday 10:00 → Tuesday 16:00: a quarter of a working day.
    [
      'a pause of six hours moves it six hours',
      [{ from: at('2025-06-03T08:00:00Z'), to: at('2025-06-03T14:00:00Z') }],
      3,
      '2025-06-05T14:00:00.000Z',
    ],
    [
      'a pause before taking in charge is ignored',
      [{ from: at('2025-05-20T08:00:00Z'), to: at('2025-05-30T08:00:00Z') }],
      3,
      '2025-06-05T08:00:00.000Z',
    ],
    ['an open pause: unknown yet', [{ from: at('2025-06-03T08:00:00Z'), to: null }], 3, null],
    [
      'two pauses add up',
      [
        { from: at('2025-06-03T08:00:00Z'), to: at('2025-06-04T08:00:00Z') },
        { from: at('2025-06-05T08:00:00Z'), to: at('2025-06-06T08:00:00Z') },
      ],
      3,
      '2025-06-10T08:00:00.000Z',
    ],
  ])('%s', (_label, pauses, days, expected) => {
    const due = answerDueAt(taken, pauses, '75', days);
    expect(due === null ? null : due.toISOString()).toBe(expected);
  });

  it('equals addWorkingDays without pauses', () => {
    expect(answerDueAt(taken, [], '57', 10)).toEqual(addWorkingDays(taken, 10, '57'));
  });
});

describe('pausesFromHistory', () => {
  const e = (fromStatus: string | null, toStatus: string | null, iso: string) => ({ fromStatus, toStatus, createdAt: at(iso) });
  it.each([
    ['no pause', [e(null, 'submitted', '2025-03-01T00:00:00Z'), e('assigned', 'in_progress', '2025-03-02T00:00:00Z')], []],
    [
      'a closed pause, then an open one',
      [
        e('in_progress', 'awaiting_buyer', '2025-03-03T00:00:00Z'),
        e('awaiting_buyer', 'in_progress', '2025-03-04T00:00:00Z'),
        e('in_progress', 'in_progress', '2025-03-04T10:00:00Z'),
        e('in_progress', 'awaiting_buyer', '2025-03-05T00:00:00Z'),
      ],
      [
        { from: at('2025-03-03T00:00:00Z'), to: at('2025-03-04T00:00:00Z') },
        { from: at('2025-03-05T00:00:00Z'), to: null },
      ],
    ],
    [
      'a pause ended by closing',
      [e('in_progress', 'awaiting_buyer', '2025-03-03T00:00:00Z'), e('awaiting_buyer', 'closed', '2025-03-06T00:00:00Z')],
      [{ from: at('2025-03-03T00:00:00Z'), to: at('2025-03-06T00:00:00Z') }],
    ],
  ])('%s', (_label, events, pauses) => {
    expect(pausesFromHistory(events)).toEqual(pauses);
  });
});

describe('answeredOnTime', () => {
  const due = '2026-03-10T17:00:00Z';
  it.each<[string, string, string | null, boolean | null]>([
    ['before the deadline', '2026-03-09T10:00:00Z', due, true],
    ['at the very deadline', due, due, true],
    ['after the deadline', '2026-03-11T09:00:00Z', due, false],
    ['no deadline: never taken in charge', '2026-03-09T10:00:00Z', null, null],
  ])('%s', (_case, answeredAt, dueAt, expected) => {
    expect(answeredOnTime(new Date(answeredAt), dueAt ? new Date(dueAt) : null)).toBe(expected);
  });
});
