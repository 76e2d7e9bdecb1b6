import { addWorkingDays } from '../../common/working-days.policy';

/**
 * When a facilitator who has not taken a request in charge yet is reminded of it: one working day before the
 * deadline, at the time of day it was assigned (the deadline being `takeChargeWorkingDays` working days after the
 * assignment, in the request's calendar). None for a one-day deadline: the assignment e-mail is that reminder.
 */
export function takeChargeReminderAt(assignedAt: Date, takeChargeWorkingDays: number, departmentCode: string): Date | null {
  return takeChargeWorkingDays >= 2 ? addWorkingDays(assignedAt, takeChargeWorkingDays - 1, departmentCode) : null;
}
