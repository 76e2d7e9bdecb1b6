import type { FieldError } from '../../common/errors/app-errors';
import { isCalendarDay } from '../../common/validation';

/** Whole days, inclusive, as YYYY-MM-DD. */
export interface AbsencePeriod {
  startsOn: string;
  endsOn: string;
}

/** Longest absence one may declare: a facilitator leaving for good stops receiving requests on their record instead. */
export const MAX_ABSENCE_DAYS = 366;

const DAY_LABELS = { startsOn: 'Premier jour d’absence', endsOn: 'Dernier jour d’absence' } as const;

/**
 * Dates that exist, an end that does not come before the start nor before `today` (a past absence changes nothing
 * and would be listed nowhere), and a length of at most MAX_ABSENCE_DAYS. Each message names its field.
 */
export function absencePeriodProblems(period: AbsencePeriod, today: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of ['startsOn', 'endsOn'] as const) {
    if (!isCalendarDay(period[field])) {
      errors.push({ field, message: `${DAY_LABELS[field]} : date impossible (jour, mois ou année).` });
    }
  }
  if (errors.length) return errors;
  if (period.endsOn < period.startsOn) {
    errors.push({ field: 'endsOn', message: 'Dernier jour d’absence : il ne peut pas précéder le premier.' });
  } else if (period.endsOn < today) {
    errors.push({
      field: 'endsOn',
      message:
        'Dernier jour d’absence : cette absence est déjà terminée ; seules les absences en cours ou à venir comptent pour l’attribution.',
    });
  } else if (daysBetween(period.startsOn, period.endsOn) >= MAX_ABSENCE_DAYS) {
    errors.push({
      field: 'endsOn',
      message: `Dernier jour d’absence : une absence dure au plus ${MAX_ABSENCE_DAYS} jours ; un départ se signale à l’animation du réseau, qui retire la fiche du routage.`,
    });
  }
  return errors;
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function overlapMessage(other: AbsencePeriod): string {
  return `Cette absence chevauche celle du ${frenchDate(other.startsOn)} au ${frenchDate(other.endsOn)} : modifiez les dates, ou supprimez d’abord l’autre absence.`;
}

/**
 * An absence starting further ahead than this is not announced yet: the requests open today will mostly be closed
 * by then. It is announced once it comes this close (AbsenceAnnouncementsService, from its sweep).
 */
export const ANNOUNCE_WITHIN_DAYS = 14;

/** The last day an absence may start on to be announced today (days as YYYY-MM-DD, on the facilitator's network's clock). */
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
