/**
 * The clock of a département: overseas ones keep their own (3 to 6 hours from Paris, no summer time); the others, and
 * any code not known here, Paris's. Deadlines are counted on its days and written in its time, with its name.
 */
export interface LocalClock {
  zone: string;
  /** « heure de Paris »: what follows a time limit, as tender notices write it. */
  label: string;
}

const PARIS_CLOCK: LocalClock = { zone: 'Europe/Paris', label: 'heure de Paris' };
/** A département on Paris's clock and the national calendar of public holidays. */
const PARIS_DEPARTMENT = '75';

const OVERSEAS_CLOCKS: Readonly<Record<string, LocalClock>> = {
  '971': { zone: 'America/Guadeloupe', label: 'heure de la Guadeloupe' },
  '972': { zone: 'America/Martinique', label: 'heure de la Martinique' },
  '973': { zone: 'America/Cayenne', label: 'heure de la Guyane' },
  '974': { zone: 'Indian/Reunion', label: 'heure de La Réunion' },
  '976': { zone: 'Indian/Mayotte', label: 'heure de Mayotte' },
};

export function clockOf(departmentCode: string | null | undefined): LocalClock {
  return (departmentCode && OVERSEAS_CLOCKS[departmentCode.trim()]) || PARIS_CLOCK;
}

/**
 * The département whose days and hours a message to a whole territory follows (a network's morning digest): its
 * own when all its départements keep one overseas clock (La Réunion's network), Paris's otherwise.
 */
export function sharedClockDepartment(departmentCodes: readonly string[]): string {
  const zones = new Set(departmentCodes.map((code) => clockOf(code).zone));
  return zones.size === 1 && !zones.has(PARIS_CLOCK.zone) ? departmentCodes[0] : PARIS_DEPARTMENT;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day (YYYY-MM-DD) an instant falls on in a département: its buyer's « today ». */
export function localDay(departmentCode: string | null | undefined, instant: Date): string {
  const { zone } = clockOf(departmentCode);
  let format = dayFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(zone, format);
  }
  return format.format(instant);
}

/** A time limit at the stroke of local midnight ends the day before: its last day is that of the minute before it. */
export function lastMinuteOf(deadline: Date): Date {
  return new Date(deadline.getTime() - 60_000);
}
