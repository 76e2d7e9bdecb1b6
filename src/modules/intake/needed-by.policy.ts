import { addWorkingDays, lastDayOf } from '../../common/working-days.policy';

/** The last day of each step at the usual pace, in working days of the buyer's département: taken in charge, then answered. */
export interface UsualPace {
  takeChargeDay: string;
  answerDay: string;
}

export function usualPace(submittedAt: Date, departmentCode: string, takeChargeDays: number, answerDays: number): UsualPace {
  return {
    takeChargeDay: lastDayOf(departmentCode, addWorkingDays(submittedAt, takeChargeDays, departmentCode)),
    answerDay: lastDayOf(departmentCode, addWorkingDays(submittedAt, takeChargeDays + answerDays, departmentCode)),
  };
}

/** The usual pace's answer day when it falls after the day the buyer needs the answer by; null when the pace meets it. */
export function answerDayAfterNeed(neededBy: string | undefined, pace: UsualPace): string | null {
  return neededBy && pace.answerDay > neededBy ? pace.answerDay : null;
}
