import { addWorkingDays, lastDayOf } from '../../common/working-days.policy';

/**
 * The last day the answer may take at the usual pace — taken in charge, then answered, in working days of the buyer's
 * département — when it falls after the day the buyer needs the answer by; null when the usual pace meets their date.
 */
export function usualAnswerDayAfterNeed(
  neededBy: string | undefined,
  submittedAt: Date,
  departmentCode: string,
  workingDays: number,
): string | null {
  if (!neededBy) return null;
  const lastDay = lastDayOf(departmentCode, addWorkingDays(submittedAt, workingDays, departmentCode));
  return lastDay > neededBy ? lastDay : null;
}
