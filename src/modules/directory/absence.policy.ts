import type { FieldError } from '../../common/errors/app-errors';
import { isCalendarDay } from '../../common/validation';

/** Whole days, inclusive, as YYYY-MM-DD. */
export interface AbsencePeriod {
  startsOn: string;
  endsOn: string;
}

/** Dates that exist, and an end that does not come before the start. */
export function absencePeriodProblems(period: AbsencePeriod): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of ['startsOn', 'endsOn'] as const) {
    if (!isCalendarDay(period[field])) errors.push({ field, message: 'Cette date n’existe pas.' });
  }
  if (!errors.length && period.endsOn < period.startsOn) {
    errors.push({ field: 'endsOn', message: 'La fin de l’absence ne peut pas précéder son début.' });
  }
  return errors;
}

export function overlapMessage(other: AbsencePeriod): string {
  return `Cette absence chevauche celle du ${frenchDate(other.startsOn)} au ${frenchDate(other.endsOn)} : modifiez les dates, ou supprimez d’abord l’autre absence.`;
}

/**
 * An absence starting further ahead than this is not announced yet: the requests open today will mostly be closed
 * by then. It is announced once it comes this close (AbsenceAnnouncementsService, from its sweep).
 */
export const ANNOUNCE_WITHIN_DAYS = 14;

/** The last day an absence may start on to be announced today (days as YYYY-MM-DD, in Paris). */
export function announcementHorizon(today: string): string {
  const horizon = new Date(`${today}T00:00:00Z`);
  horizon.setUTCDate(horizon.getUTCDate() + ANNOUNCE_WITHIN_DAYS);
  return horizon.toISOString().slice(0, 10);
}

/**
 * Whether the network's animators hear now of an absence a facilitator declared themself: only when they hold open
 * requests and the absence has begun, not ended, or begins within ANNOUNCE_WITHIN_DAYS.
 */
export function shouldAnnounceAbsence(period: AbsencePeriod, today: string, heldRequests: number): boolean {
  if (heldRequests === 0 || period.endsOn < today) return false;
  return period.startsOn <= announcementHorizon(today);
}

/** The declared absence a day (YYYY-MM-DD) falls in, or null: a request due that day waits for its holder's return. */
export function absenceOn<T extends AbsencePeriod>(day: string, absences: readonly T[]): T | null {
  return absences.find((absence) => absence.startsOn <= day && day <= absence.endsOn) ?? null;
}

function frenchDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}/${month}/${year}`;
}
