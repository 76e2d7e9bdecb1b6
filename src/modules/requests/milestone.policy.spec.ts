import { milestoneOf } from './milestone.policy';

describe('milestoneOf', () => {
  it.each([
    // Monday 09:00 → Wednesday 15:00, Paris: 2 days and 6 hours.
    ['two days and a quarter', '2026-03-02T09:00:00+01:00', '2026-03-04T15:00:00+01:00', '75', 2.25],
    // Friday 12:00 → Monday 12:00: half of Friday and half of Monday.
    ['over a weekend', '2026-03-06T12:00:00+01:00', '2026-03-09T12:00:00+01:00', '75', 1],
    // Friday 13 July 2026 00:00 → Wednesday 15 July 00:00: 14 July is a holiday.
    ['over 14 July', '2026-07-13T00:00:00+02:00', '2026-07-15T00:00:00+02:00', '75', 1],
    // Good Friday is a holiday in Moselle only.
    ['Good Friday in Moselle', '2026-04-03T00:00:00+02:00', '2026-04-04T00:00:00+02:00', '57', 0],
    ['a third of a day, rounded to 2 decimals', '2026-03-02T00:00:00+01:00', '2026-03-02T08:00:00+01:00', '75', 0.33],
  ])('%s', (_label, created, at, department, days) => {
    const milestone = milestoneOf('taken', { createdAt: new Date(created), departmentCode: department }, new Date(at));
    expect(milestone).toEqual({ kind: 'taken', at: new Date(at), workingDays: days });
  });
});
