import { localDay } from '../../common/local-clock';
import { addWorkingDays } from '../../common/working-days.policy';

/**
 * The last day the answer may take at the usual pace — taken in charge, then answered, in working days of the buyer's
 * département — when it falls after the day the buyer needs the answer by; null when the usual pace meets their date.
 * A deadline at local midnight ends the day before, as the pages write it.
 */
export function usualAnswerDayAfterNeed(
  neededBy: string | undefined,
  submittedAt: Date,
  departmentCode: string,
  workingDays: number,
): string | null {
  if (!neededBy) return null;
  const due = addWorkingDays(submittedAt, workingDays, departmentCode);
  const lastDay = localDay(departmentCode, new Date(due.getTime() - 60_000));
  return lastDay > neededBy ? lastDay : null;
}
