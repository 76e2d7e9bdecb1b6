import { answerReminderAt, takeChargeReminderAt } from './reminders.policy';

describe('takeChargeReminderAt', () => {
  it.each<[string, string, number, string, string | null]>([
    ['a Tuesday, two working days: the Wednesday, same time', '2026-12-01T09:30:00Z', 2, '38', '2026-12-02T09:30:00.000Z'],
    ['a Friday afternoon: the Monday, not the weekend', '2026-12-04T15:00:00Z', 2, '38', '2026-12-07T15:00:00.000Z'],
    ['the eve of Christmas: past the holiday and the weekend', '2026-12-24T09:00:00Z', 2, '75', '2026-12-28T09:00:00.000Z'],
    [
      'a Saturday: counted from Monday 00:00, so Tuesday, at 08:00 rather than midnight',
      '2026-12-05T10:00:00Z',
      2,
      '38',
      '2026-12-08T07:00:00.000Z',
    ],
    ['assigned at 06:00 Paris: the reminder waits for 08:00', '2026-12-01T05:00:00Z', 2, '38', '2026-12-02T07:00:00.000Z'],
    ['five working days: the fourth', '2026-12-01T09:30:00Z', 5, '38', '2026-12-07T09:30:00.000Z'],
    ['a one-day deadline: none', '2026-12-01T09:30:00Z', 1, '38', null],
  ])('%s', (_label, assignedAt, days, department, expected) => {
    expect(takeChargeReminderAt(new Date(assignedAt), days, department)?.toISOString() ?? null).toBe(expected);
  });
});

describe('answerReminderAt', () => {
  const takenAt = new Date('2026-12-01T09:30:00Z'); // a Tuesday
  const pause = (from: string, to: string | null) => ({ from: new Date(from), to: to ? new Date(to) : null });
  it.each<[string, Array<ReturnType<typeof pause>>, number, string, string | null]>([
    ['ten working days: the ninth, same time', [], 10, '2026-12-01T09:30:00Z', '2026-12-14T09:30:00.000Z'],
    [
      'a pause of two working days moves it by two',
      [pause('2026-12-02T09:30:00Z', '2026-12-04T09:30:00Z')],
      10,
      '2026-12-04T09:30:00Z',
      '2026-12-16T09:30:00.000Z',
    ],
    ['a pause still open: none until the buyer answers', [pause('2026-12-02T09:30:00Z', null)], 10, '2026-12-03T09:30:00Z', null],
    ['a one-day deadline: none', [], 1, '2026-12-01T09:30:00Z', null],
    [
      'a pause ending at night (Paris): the reminder waits for 08:00',
      [pause('2026-12-02T09:30:00Z', '2026-12-04T04:00:00Z')],
      10,
      '2026-12-04T04:00:00Z',
      '2026-12-16T07:00:00.000Z',
    ],
    ['already past (the pause ended late): none', [], 2, '2026-12-03T09:30:00Z', null],
  ])('%s', (_label, pauses, days, now, expected) => {
    expect(answerReminderAt(takenAt, pauses, '38', days, new Date(now))?.toISOString() ?? null).toBe(expected);
  });
});
