import { answerDayAfterNeed, usualPace } from './needed-by.policy';

describe('answerDayAfterNeed at the usual pace (2 working days to be taken in charge, then 10 to be answered)', () => {
  it.each<[string, string | undefined, string, string, string | null]>([
    // Monday 7 December 2026, 10:00 in Paris: twelve working days end on Wednesday 23 December at 10:00.
    ['needed on the 15th: the usual pace ends on the 23rd', '2026-12-15', '2026-12-07T09:00:00Z', '38', '2026-12-23'],
    ['needed on the 23rd itself', '2026-12-23', '2026-12-07T09:00:00Z', '38', null],
    ['needed in January', '2027-01-10', '2026-12-07T09:00:00Z', '38', null],
    ['no date given', undefined, '2026-12-07T09:00:00Z', '38', null],
    // Saturday 5 December: counting starts Monday at 00:00, so the take-charge deadline falls on Wednesday 9 at 00:00,
    // outside office hours: 09:00 that day; ten working days on, Wednesday 23 at 09:00.
    ['asked on a Saturday, needed on the 23rd', '2026-12-23', '2026-12-05T14:00:00Z', '38', null],
    ['asked on a Saturday, needed on the 22nd', '2026-12-22', '2026-12-05T14:00:00Z', '38', '2026-12-23'],
    // Monday 7 December, 18:00 in Paris: due Wednesday 9 at 18:00, after closing, so Thursday 10 at 09:00; then Thursday 24.
    ['asked on a Monday evening, needed on the 23rd', '2026-12-23', '2026-12-07T17:00:00Z', '38', '2026-12-24'],
  ])('%s', (_label, neededBy, submittedAt, departmentCode, expected) => {
    expect(answerDayAfterNeed(neededBy, usualPace(new Date(submittedAt), departmentCode, 2, 10))).toBe(expected);
  });
});

describe('usualPace', () => {
  it.each([
    // Monday 7 December 2026, 10:00 in Paris: taken by Wednesday 9, answered by Wednesday 23.
    ['a Monday', '2026-12-07T09:00:00Z', '38', '2026-12-09', '2026-12-23'],
    // Thursday 31 December, 16:00: 1 January is off, then the weekend: Tuesday 5 January at 16:00, then Tuesday 19.
    ['New Year’s Eve', '2026-12-31T15:00:00Z', '75', '2027-01-05', '2027-01-19'],
    // Thursday 31 December, 17:00, the office closed: Tuesday 5 January at 17:00 waits for Wednesday 6 at 09:00.
    ['New Year’s Eve after closing', '2026-12-31T16:00:00Z', '75', '2027-01-06', '2027-01-20'],
    // Saturday: counting starts Monday 7 at 00:00 and ends Wednesday 9 at 00:00, which waits for 09:00 that day.
    ['a Saturday', '2026-12-05T14:00:00Z', '38', '2026-12-09', '2026-12-23'],
    // La Réunion, Monday 7 December at 19:00 there (15:00 in Paris): Wednesday 9 at 19:00 waits for Thursday 10 at 09:00.
    ['in La Réunion, after its office closed', '2026-12-07T15:00:00Z', '974', '2026-12-10', '2026-12-24'],
  ])('asked %s', (_label, submittedAt, departmentCode, takeChargeDay, answerDay) => {
    expect(usualPace(new Date(submittedAt), departmentCode, 2, 10)).toEqual({ takeChargeDay, answerDay });
  });
});
