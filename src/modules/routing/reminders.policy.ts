import { addWorkingDays, notBeforeHour } from '../../common/working-days.policy';
import { answerDueAt, Pause } from '../requests/answer-deadline.policy';

/**
 * A reminder falling before this hour (the request's local time) waits for it: a request assigned on a weekend counts from Monday 00:00,
 * so its reminder would leave at midnight. Never past the deadline, a whole working day later.
 */
const REMINDER_EARLIEST_HOUR = 8;

/**
 * When a facilitator who has not taken a request in charge yet is reminded of it: one working day before the
 * deadline, at the time of day it was assigned (the deadline being `takeChargeWorkingDays` working days after the
 * assignment, in the request's calendar), not before 08:00. None for a one-day deadline: the assignment e-mail is
 * that reminder.
 */
export function takeChargeReminderAt(assignedAt: Date, takeChargeWorkingDays: number, departmentCode: string): Date | null {
  return takeChargeWorkingDays >= 2
    ? notBeforeHour(addWorkingDays(assignedAt, takeChargeWorkingDays - 1, departmentCode), REMINDER_EARLIEST_HOUR, departmentCode)
    : null;
}

/**
 * When a facilitator who took a request in charge is reminded that the answer is due: one working day of their own
 * time before the deadline, the buyer's pauses deducted as for the deadline itself (answerDueAt), not before 08:00.
 * None while a pause is open, for a one-day deadline, or when that moment is already past (a deadline moved by a
 * pause reminds again only if it leaves time to).
 */
export function answerReminderAt(
  takenAt: Date,
  pauses: Pause[],
  departmentCode: string,
  answerWorkingDays: number,
  now: Date,
): Date | null {
  if (answerWorkingDays < 2) return null;
  const due = answerDueAt(takenAt, pauses, departmentCode, answerWorkingDays - 1);
  const at = due && notBeforeHour(due, REMINDER_EARLIEST_HOUR, departmentCode);
  return at && at > now ? at : null;
}
