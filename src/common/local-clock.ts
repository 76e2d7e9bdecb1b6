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

/** The date and time an instant reads on a zone's wall clock. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** What a zone's clock reads at `instant` (seconds and below as the instant's). */
export function wallClock(zone: string, instant: number): WallClock {
  const wall = new Date(instant + zoneOffset(zone, instant));
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
  };
}

const QUARTER_HOUR_MS = 900_000;
/** From 1970 the zones' offsets change on quarter hours; before, some kept a local mean time of odd seconds. */
const QUARTER_HOUR_OFFSETS_SINCE = Date.UTC(1970, 0, 1);
const OFFSETS_KEPT_PER_ZONE = 20_000;
const offsetsByZone = new Map<string, Map<number, number>>();
const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The zone's UTC offset (ms) in force at `instant`. Intl tells it in a few microseconds a call, and a submission's
 * deadline reads it about ten times: each quarter hour's is asked once, then kept.
 */
export function zoneOffset(zone: string, instant: number): number {
  if (instant < QUARTER_HOUR_OFFSETS_SINCE) return intlOffset(zone, instant);
  let offsets = offsetsByZone.get(zone);
  if (!offsets) offsetsByZone.set(zone, (offsets = new Map()));
  const quarter = Math.floor(instant / QUARTER_HOUR_MS);
  let offset = offsets.get(quarter);
  if (offset === undefined) {
    if (offsets.size >= OFFSETS_KEPT_PER_ZONE) offsets.clear();
    offset = intlOffset(zone, quarter * QUARTER_HOUR_MS);
    offsets.set(quarter, offset);
  }
  return offset;
}

function intlOffset(zone: string, instant: number): number {
  let format = offsetFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    offsetFormats.set(zone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(instant)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  // hour % 24: some ICU versions print midnight as 24.
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour % 24, parts.minute, parts.second);
  return wall - (instant - (((instant % 1000) + 1000) % 1000));
}

/** The calendar day (YYYY-MM-DD) an instant falls on in a département: its buyer's « today ». */
export function localDay(departmentCode: string | null | undefined, instant: Date): string {
  const { year, month, day } = wallClock(clockOf(departmentCode).zone, instant.getTime());
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** A time limit at the stroke of local midnight ends the day before: its last day is that of the minute before it. */
export function lastMinuteOf(deadline: Date): Date {
  return new Date(deadline.getTime() - 60_000);
}
