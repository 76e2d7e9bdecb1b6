import {
  autoClose,
  autoCloseAt,
  replyPermission,
  replyWindowEnd,
  clarificationReminderAt,
  clarificationReminderDue,
  enteredStatusAt,
} from './reply-window.policy';
import type { RequestState } from './request-state.policy';

// Monday 2 June 2025, 10:00 Paris; ten working days later is Tuesday 17 June (9 June is Whit Monday).
const MONDAY = new Date('2025-06-02T08:00:00Z');
const END = new Date('2025-06-17T08:00:00Z');
const BEFORE_END = new Date(END.getTime() - 1);

describe('reply window', () => {
  it('ends ten working days after, public holidays excluded', () => {
    expect(replyWindowEnd(MONDAY, '38', 10)).toEqual(END);
  });

  // The request closes then and e-mails the buyer: never out of the buyer's office hours (09:00 to 17:00, their time).
  it.each([
    ['Friday 6 June 22:40 in Paris: Monday 23 June is past 17:00, Tuesday 09:00', '2025-06-06T20:40:00Z', '38', '2025-06-24T07:00:00.000Z'],
    [
      'Saturday 7 June in Paris: counted from Tuesday 10 June 00:00, 09:00 ten days on',
      '2025-06-07T12:00:00Z',
      '38',
      '2025-06-24T07:00:00.000Z',
    ],
    ['Monday 2 June 16:59 in Paris: at that time, still open', '2025-06-02T14:59:00Z', '38', '2025-06-17T14:59:00.000Z'],
    ['Monday 2 June 17:00 in Paris: closed, the next day at 09:00', '2025-06-02T15:00:00Z', '38', '2025-06-18T07:00:00.000Z'],
    ['Monday 2 June 07:30 in Paris: at 09:00 that day', '2025-06-02T05:30:00Z', '38', '2025-06-17T07:00:00.000Z'],
    ['Friday 6 June 22:40 on La Réunion: Tuesday 24 June 09:00 there', '2025-06-06T18:40:00Z', '974', '2025-06-24T05:00:00.000Z'],
    [
      'Monday 2 June 16:00 in Paris, 18:00 on La Réunion: the next day at 09:00 there',
      '2025-06-02T14:00:00Z',
      '974',
      '2025-06-18T05:00:00.000Z',
    ],
  ])('within office hours: %s', (_label, since, department, expected) => {
    expect(replyWindowEnd(new Date(since), department, 10).toISOString()).toBe(expected);
  });

  it.each([
    ['answered', MONDAY, END, { close: true, reason: 'answered' }],
    ['answered', MONDAY, BEFORE_END, { close: false }],
    ['awaiting_buyer', MONDAY, END, { close: true, reason: 'no_reply' }],
    ['awaiting_buyer', MONDAY, BEFORE_END, { close: false }],
    ['in_progress', MONDAY, END, { close: false }],
    ['closed', MONDAY, END, { close: false }],
    ['answered', null, END, { close: false }],
  ] as const)('auto-closes %s since %s at %s: %j', (status, since, now, expected) => {
    expect(autoClose(status, since, now, '38', 10)).toEqual(expected);
  });

  it.each([
    ['answered', MONDAY, END],
    ['awaiting_buyer', MONDAY, END],
    ['in_progress', MONDAY, null],
    ['closed', MONDAY, null],
    ['answered', null, null],
  ] as const)('a request %s since %s closes by itself at %s', (status, since, expected) => {
    expect(autoCloseAt(status, since, '38', 10)).toEqual(expected);
  });

  const cases: Array<[string, RequestState, Date | null, Date, boolean, RegExp | null]> = [
    ['answered, within the window', { status: 'answered' }, MONDAY, BEFORE_END, true, null],
    ['answered, window over', { status: 'answered' }, MONDAY, END, false, /délai pour répondre est dépassé/],
    ['closed as answered, within the window', { status: 'closed', closeReason: 'answered' }, MONDAY, BEFORE_END, true, null],
    ['closed as no_reply, window over', { status: 'closed', closeReason: 'no_reply' }, MONDAY, END, false, /dépassé/],
    ['closed as withdrawn', { status: 'closed', closeReason: 'withdrawn' }, MONDAY, BEFORE_END, false, /nouvelle demande/],
    ['closed as no_reply without any answer', { status: 'closed', closeReason: 'no_reply' }, null, BEFORE_END, false, /Aucune réponse/],
    ['in progress', { status: 'in_progress' }, MONDAY, BEFORE_END, false, /pas possible/],
  ];
  it.each(cases)('reply permission: %s', (_label, request, answeredAt, now, allowed, message) => {
    const permission = replyPermission(request, answeredAt, now, '38', 10);
    expect(permission.allowed).toBe(allowed);
    if (permission.allowed) expect(permission.until).toEqual(END);
    else expect(permission.message).toMatch(message!);
  });
});

describe('enteredStatusAt: when the buyer’s wait began', () => {
  const at = (day: number) => new Date(Date.UTC(2026, 11, day, 10));
  const event = (type: string, fromStatus: string | null, toStatus: string | null, day: number) => ({
    type,
    fromStatus,
    toStatus,
    createdAt: at(day),
  });
  it.each<[string, ReturnType<typeof event>[], Date | null]>([
    ['the answer', [event('taken_in_charge', 'assigned', 'in_progress', 1), event('answered', 'in_progress', 'answered', 2)], at(2)],
    [
      'not a note written since',
      [event('answered', 'in_progress', 'answered', 2), event('internal_note', 'answered', 'answered', 5)],
      at(2),
    ],
    ['a complement since', [event('answered', 'in_progress', 'answered', 2), event('answer_completed', 'answered', 'answered', 6)], at(6)],
    ['not a line of no status', [event('answered', 'in_progress', 'answered', 2), event('precision_reminded', null, null, 7)], at(2)],
    ['never entered', [event('taken_in_charge', 'assigned', 'in_progress', 1)], null],
  ])('%s', (_label, history, expected) => {
    expect(enteredStatusAt(history, 'answered')).toEqual(expected);
  });
});

describe('clarificationReminderAt', () => {
  // Asked on Monday 7 December 2026 at 10:00 in Paris.
  const asked = new Date('2026-12-07T09:00:00Z');
  it.each([
    [10, '2026-12-16T09:00:00.000Z'], // 7 working days later: three are left before the closure
    [4, '2026-12-08T09:00:00.000Z'],
    [3, null],
    [1, null],
  ])('with a window of %i working days: %s', (days, expected) => {
    expect(clarificationReminderAt(asked, '38', days)?.toISOString() ?? null).toBe(expected);
  });

  // A question asked out of office hours is reminded when the buyer's office opens, in the buyer's own time.
  it.each([
    ['Monday 20:00 in Paris, window of 4: Wednesday 09:00', '2026-12-07T19:00:00Z', '38', 4, '2026-12-09T08:00:00.000Z'],
    ['Friday 18:30 in Paris, window of 4: Tuesday 09:00', '2026-12-11T17:30:00Z', '38', 4, '2026-12-15T08:00:00.000Z'],
    ['Thursday 07:00 in Paris, window of 4: Friday 09:00', '2026-12-10T06:00:00Z', '38', 4, '2026-12-11T08:00:00.000Z'],
    ['Monday 16:59 in Paris, window of 4: Tuesday 16:59, open', '2026-12-07T15:59:00Z', '38', 4, '2026-12-08T15:59:00.000Z'],
    ['Monday 18:00 on La Réunion, window of 4: Wednesday 09:00 there', '2026-12-07T14:00:00Z', '974', 4, '2026-12-09T05:00:00.000Z'],
  ])('%s', (_label, askedAt, department, days, expected) => {
    expect(clarificationReminderAt(new Date(askedAt), department, days)?.toISOString()).toBe(expected);
  });
});

describe('clarificationReminderDue', () => {
  // Asked on Monday 7 December 2026 at 10:00 in Paris, window of 10: reminded from Wednesday 16 December 10:00,
  // closed on Monday 21 December at 10:00.
  const asked = new Date('2026-12-07T09:00:00Z');
  it.each([
    ['Wednesday 16 December 09:59 in Paris: not yet', '2026-12-16T08:59:00Z', '38', false],
    ['Wednesday 16 December 10:00 in Paris: due', '2026-12-16T09:00:00Z', '38', true],
    ['Wednesday 16 December 16:59 in Paris: still open', '2026-12-16T15:59:00Z', '38', true],
    ['Wednesday 16 December 17:00 in Paris: closed, waits for the morning', '2026-12-16T16:00:00Z', '38', false],
    ['Wednesday 16 December 22:00 in Paris, after an outage: waits for the morning', '2026-12-16T21:00:00Z', '38', false],
    ['Thursday 17 December 08:59 in Paris: not yet open', '2026-12-17T07:59:00Z', '38', false],
    ['Thursday 17 December 09:00 in Paris: the opening', '2026-12-17T08:00:00Z', '38', true],
    ['Saturday 19 December 11:00 in Paris: a day off', '2026-12-19T10:00:00Z', '38', false],
    ['Monday 21 December 09:59 in Paris: the last minutes', '2026-12-21T08:59:00Z', '38', true],
    ['Monday 21 December 10:00 in Paris: the window has ended', '2026-12-21T09:00:00Z', '38', false],
    ['Wednesday 16 December 16:00 in Paris, 19:00 on La Réunion: closed there', '2026-12-16T15:00:00Z', '974', false],
  ])('%s', (_label, now, department, expected) => {
    expect(clarificationReminderDue(asked, new Date(now), department, 10)).toBe(expected);
  });

  it('never with a window too short for a reminder', () => {
    expect(clarificationReminderDue(asked, new Date('2026-12-09T09:00:00Z'), '38', 3)).toBe(false);
  });
});
