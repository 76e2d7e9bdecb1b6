import { addWorkingDays, lastDayOf, takeChargeDueAt } from '../../common/working-days.policy';

/** The last day of each step at the usual pace, in working days of the buyer's département: taken in charge, then answered. */
export interface UsualPace {
  takeChargeDay: string;
  answerDay: string;
}

export function usualPace(submittedAt: Date, departmentCode: string, takeChargeDays: number, answerDays: number): UsualPace {
  // From the take-charge deadline routing sets (moved to the office's next opening): never a day before the facilitator's.
  const takenBy = takeChargeDueAt(submittedAt, takeChargeDays, departmentCode);
  return {
    takeChargeDay: lastDayOf(departmentCode, takenBy),
    answerDay: lastDayOf(departmentCode, addWorkingDays(takenBy, answerDays, departmentCode)),
  };
}

/** The usual pace's answer day when it falls after the day the buyer needs the answer by; null when the pace meets it. */
export function answerDayAfterNeed(neededBy: string | undefined, pace: UsualPace): string | null {
  return neededBy && pace.answerDay > neededBy ? pace.answerDay : null;
}
