import type { FieldError } from '../../common/errors/app-errors';

/** Whole days, inclusive, as YYYY-MM-DD. */
export interface AbsencePeriod {
  startsOn: string;
  endsOn: string;
}

/** Dates that exist, and an end that does not come before the start. */
export function absencePeriodProblems(period: AbsencePeriod): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of ['startsOn', 'endsOn'] as const) {
    if (!isCalendarDate(period[field])) errors.push({ field, message: 'Cette date n’existe pas.' });
  }
  if (!errors.length && period.endsOn < period.startsOn) {
    errors.push({ field: 'endsOn', message: 'La fin de l’absence ne peut pas précéder son début.' });
  }
  return errors;
}

export function overlapMessage(other: AbsencePeriod): string {
  return `Cette absence chevauche celle du ${frenchDate(other.startsOn)} au ${frenchDate(other.endsOn)} : modifiez les dates, ou supprimez d’abord l’autre absence.`;
}

function isCalendarDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

function frenchDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}/${month}/${year}`;
}
