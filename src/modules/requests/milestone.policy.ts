import { workingDaysBetween } from '../../common/working-days.policy';
import type { Milestone } from './requests.repository';

/** The milestone stored with the status change: working days since submission, in the request's calendar (2 decimals). */
export function milestoneOf(kind: Milestone['kind'], request: { createdAt: Date; departmentCode: string }, at: Date): Milestone {
  return { kind, at, workingDays: Math.round(workingDaysBetween(request.createdAt, at, request.departmentCode) * 100) / 100 };
}
