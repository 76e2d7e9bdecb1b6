import { addWorkingDays } from '../../common/working-days.policy';
import { answerDueAt, Pause } from '../requests/answer-deadline.policy';

/**
 * When a facilitator who has not taken a request in charge yet is reminded of it: one working day before the
 * deadline, at the time of day it was assigned (the deadline being `takeChargeWorkingDays` working days after the
 * assignment, in the request's calendar). None for a one-day deadline: the assignment e-mail is that reminder.
 */
export function takeChargeReminderAt(assignedAt: Date, takeChargeWorkingDays: number, departmentCode: string): Date | null {
  return takeChargeWorkingDays >= 2 ? addWorkingDays(assignedAt, takeChargeWorkingDays - 1, departmentCode) : null;
}

/**
 * When a facilitator who took a request in charge is reminded that the answer is due: one working day of their own
 * time before the deadline, the buyer's pauses deducted as for the deadline itself (answerDueAt). None while a pause
 * is open, for a one-day deadline, or when that moment is already past (a deadline moved by a pause reminds again
 * only if it leaves time to).
 */
export function answerReminderAt(
  takenAt: Date,
  pauses: Pause[],
  departmentCode: string,
  answerWorkingDays: number,
  now: Date,
): Date | null {
  if (answerWorkingDays < 2) return null;
  const at = answerDueAt(takenAt, pauses, departmentCode, answerWorkingDays - 1);
  return at && at > now ? at : null;
}
