import { addWorkingDays, takeChargeDueAt, withinOfficeHours } from '../../common/working-days.policy';
import { answerDueAt, Pause } from '../requests/answer-deadline.policy';

/** The deadlines a facilitator is reminded of: to take a request in charge, then to answer it. */
export type Reminder = 'take_charge' | 'answer';

/**
 * A reminder meant for `at`, sent within the département's office hours: then, or at the next opening. None when the
 * office opens only at or after the deadline: sent in the evening, it would be read at the opening at best, too late.
 */
export function reminderInOfficeHours(at: Date, deadline: Date, departmentCode: string): Date | null {
  const sent = withinOfficeHours(at, departmentCode);
  return sent < deadline ? sent : null;
}

/**
 * When a facilitator who has not taken a request in charge yet is reminded of it: one working day before the
 * deadline, at the time of day it was assigned, in office hours (reminderInOfficeHours). None for a one-day deadline:
 * the assignment e-mail is that reminder.
 */
export function takeChargeReminderAt(assignedAt: Date, takeChargeWorkingDays: number, departmentCode: string): Date | null {
  return takeChargeWorkingDays >= 2
    ? reminderInOfficeHours(
        addWorkingDays(assignedAt, takeChargeWorkingDays - 1, departmentCode),
        takeChargeDueAt(assignedAt, takeChargeWorkingDays, departmentCode),
        departmentCode,
      )
    : null;
}

/**
 * When a facilitator who took a request in charge is reminded that the answer is due: one working day of their own
 * time before the deadline, the buyer's pauses deducted as for the deadline itself (answerDueAt), in office hours
 * (reminderInOfficeHours). None while a pause is open, for a one-day deadline, or when that moment is already past
 * (a deadline moved by a pause reminds again only if it leaves time to).
 */
export function answerReminderAt(
  takenAt: Date,
  pauses: Pause[],
  departmentCode: string,
  answerWorkingDays: number,
  now: Date,
): Date | null {
  if (answerWorkingDays < 2) return null;
  const due = answerDueAt(takenAt, pauses, departmentCode, answerWorkingDays);
  const before = answerDueAt(takenAt, pauses, departmentCode, answerWorkingDays - 1);
  const at = due && before && reminderInOfficeHours(before, due, departmentCode);
  return at && at > now ? at : null;
}
