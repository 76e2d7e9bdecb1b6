import { takeChargeReminderAt } from './take-charge-reminder.policy';

describe('takeChargeReminderAt', () => {
  it.each<[string, string, number, string, string | null]>([
    ['a Tuesday, two working days: the Wednesday, same time', '2026-12-01T09:30:00Z', 2, '38', '2026-12-02T09:30:00.000Z'],
    ['a Friday afternoon: the Monday, not the weekend', '2026-12-04T15:00:00Z', 2, '38', '2026-12-07T15:00:00.000Z'],
    ['the eve of Christmas: past the holiday and the weekend', '2026-12-24T09:00:00Z', 2, '75', '2026-12-28T09:00:00.000Z'],
    ['a Saturday: counted from Monday 00:00, so Tuesday at midnight in Paris', '2026-12-05T10:00:00Z', 2, '38', '2026-12-07T23:00:00.000Z'],
    ['five working days: the fourth', '2026-12-01T09:30:00Z', 5, '38', '2026-12-07T09:30:00.000Z'],
    ['a one-day deadline: none', '2026-12-01T09:30:00Z', 1, '38', null],
  ])('%s', (_label, assignedAt, days, department, expected) => {
    expect(takeChargeReminderAt(new Date(assignedAt), days, department)?.toISOString() ?? null).toBe(expected);
  });
});
