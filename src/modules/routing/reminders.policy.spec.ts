import { answerReminderAt, reminderInOfficeHours, takeChargeReminderAt } from './reminders.policy';

// December 2026: Tuesday the 1st; Paris is UTC+1 (office hours 08:00Z–16:00Z), La Réunion UTC+4 (05:00Z–13:00Z).
// The deadline itself is working-days.policy's takeChargeDueAt; the reminder comes a working day before it.
describe('takeChargeReminderAt', () => {
  it.each<[string, string, number, string, string | null]>([
    ['in office hours: same time, one working day on', '2026-12-01T09:30:00Z', 2, '38', '2026-12-02T09:30:00.000Z'],
    ['five working days: on the fourth', '2026-12-01T09:30:00Z', 5, '38', '2026-12-07T09:30:00.000Z'],
    ['06:00 Paris: at the opening', '2026-12-01T05:00:00Z', 2, '38', '2026-12-02T08:00:00.000Z'],
    ['a Saturday: from Monday 00:00, Tuesday’s opening, not midnight', '2026-12-05T10:00:00Z', 2, '38', '2026-12-08T08:00:00.000Z'],
    ['a Friday evening: Tuesday’s opening, not Monday evening', '2026-12-04T18:00:00Z', 2, '38', '2026-12-08T08:00:00.000Z'],
    ['a Friday afternoon: Monday, same time', '2026-12-04T15:30:00Z', 2, '38', '2026-12-07T15:30:00.000Z'],
    ['the eve of Christmas Eve, in the evening: Christmas Eve’s opening', '2026-12-22T19:00:00Z', 2, '38', '2026-12-24T08:00:00.000Z'],
    ['Christmas Eve, in office hours: past the holiday and the weekend', '2026-12-24T09:00:00Z', 2, '38', '2026-12-28T09:00:00.000Z'],
    ['18:00 in La Réunion: at the opening there', '2026-12-01T14:00:00Z', 2, '974', '2026-12-03T05:00:00.000Z'],
    ['the same instant in Paris (15:00): in office hours', '2026-12-01T14:00:00Z', 2, '38', '2026-12-02T14:00:00.000Z'],
    ['a one-day deadline: none, the assignment e-mail is the reminder', '2026-12-01T17:00:00Z', 1, '38', null],
  ])('%s', (_label, assignedAt, days, department, reminder) => {
    expect(takeChargeReminderAt(new Date(assignedAt), days, department)?.toISOString() ?? null).toBe(reminder);
  });
});

describe('reminderInOfficeHours', () => {
  it.each<[string, string, string, string | null]>([
    ['in office hours, before the deadline: then', '2026-12-01T10:00:00Z', '2026-12-02T10:00:00Z', '2026-12-01T10:00:00.000Z'],
    ['in the evening: the next opening', '2026-12-01T19:00:00Z', '2026-12-02T19:00:00Z', '2026-12-02T08:00:00.000Z'],
    ['the deadline before the next opening: none', '2026-12-01T19:00:00Z', '2026-12-01T22:00:00Z', null],
    ['the deadline at the next opening: none', '2026-12-01T19:00:00Z', '2026-12-02T08:00:00Z', null],
  ])('%s', (_label, at, deadline, expected) => {
    expect(reminderInOfficeHours(new Date(at), new Date(deadline), '38')?.toISOString() ?? null).toBe(expected);
  });
});

describe('answerReminderAt', () => {
  const tuesday = '2026-12-01T09:30:00Z';
  const pause = (from: string, to: string | null) => ({ from: new Date(from), to: to ? new Date(to) : null });
  it.each<[string, string, Array<ReturnType<typeof pause>>, number, string, string, string | null]>([
    ['ten working days: the ninth, same time', tuesday, [], 10, '38', tuesday, '2026-12-14T09:30:00.000Z'],
    [
      'a pause of two working days moves it by two',
      tuesday,
      [pause('2026-12-02T09:30:00Z', '2026-12-04T09:30:00Z')],
      10,
      '38',
      '2026-12-04T09:30:00Z',
      '2026-12-16T09:30:00.000Z',
    ],
    [
      'a pause still open: none until the buyer answers',
      tuesday,
      [pause('2026-12-02T09:30:00Z', null)],
      10,
      '38',
      '2026-12-03T09:30:00Z',
      null,
    ],
    ['a one-day deadline: none', tuesday, [], 1, '38', tuesday, null],
    [
      'a pause ending at night (Paris): the reminder waits for the opening',
      tuesday,
      [pause('2026-12-02T09:30:00Z', '2026-12-04T04:00:00Z')],
      10,
      '38',
      '2026-12-04T04:00:00Z',
      '2026-12-16T08:00:00.000Z',
    ],
    [
      'taken in charge at 21:00: the opening of the deadline’s day, not the evening before',
      '2026-12-01T20:00:00Z',
      [],
      10,
      '38',
      '2026-12-01T20:00:00Z',
      '2026-12-15T08:00:00.000Z',
    ],
    [
      'taken on a Saturday in La Réunion: the opening there, a working day before',
      '2026-12-05T06:00:00Z',
      [],
      2,
      '974',
      '2026-12-05T06:00:00Z',
      '2026-12-08T05:00:00.000Z',
    ],
    ['already past (the pause ended late): none', tuesday, [], 2, '38', '2026-12-03T09:30:00Z', null],
  ])('%s', (_label, takenAt, pauses, days, department, now, expected) => {
    expect(answerReminderAt(new Date(takenAt), pauses, department, days, new Date(now))?.toISOString() ?? null).toBe(expected);
  });
});
