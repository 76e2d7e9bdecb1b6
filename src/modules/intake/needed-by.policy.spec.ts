import { usualAnswerDayAfterNeed } from './needed-by.policy';

/** 2 working days to be taken in charge, then 10 to be answered. */
const USUAL_DAYS = 12;

describe('usualAnswerDayAfterNeed', () => {
  it.each<[string, string | undefined, string, string, string | null]>([
    // Monday 7 December 2026, 10:00 in Paris: twelve working days end on Wednesday 23 December at 10:00.
    ['needed on the 15th: the usual pace ends on the 23rd', '2026-12-15', '2026-12-07T09:00:00Z', '38', '2026-12-23'],
    ['needed on the 23rd itself', '2026-12-23', '2026-12-07T09:00:00Z', '38', null],
    ['needed in January', '2027-01-10', '2026-12-07T09:00:00Z', '38', null],
    ['no date given', undefined, '2026-12-07T09:00:00Z', '38', null],
    // Saturday 5 December: counting starts Monday at 00:00, so it ends Wednesday 23 at 00:00 — the end of the 22nd.
    ['asked on a Saturday, needed on the 22nd', '2026-12-22', '2026-12-05T14:00:00Z', '38', null],
    ['asked on a Saturday, needed on the 21st', '2026-12-21', '2026-12-05T14:00:00Z', '38', '2026-12-22'],
  ])('%s', (_label, neededBy, submittedAt, departmentCode, expected) => {
    expect(usualAnswerDayAfterNeed(neededBy, new Date(submittedAt), departmentCode, USUAL_DAYS)).toBe(expected);
  });
});
