/**
 * French working-day calendar for deadlines and indicators (pure: no Nest, no I/O).
 *
 * Every rule is applied to the calendar day of an instant in the département's time (Paris's, or an overseas
 * département's own: `clockOf`), whatever the process time zone.
 * Public holidays come from date-holidays, never from a list kept here: the national ones, plus the local
 * ones of Alsace-Moselle and of each overseas département (the abolition of slavery, Good Friday in some).
 */
import Holidays from 'date-holidays';
import { clockOf, lastMinuteOf, localDay, wallClock, zoneOffset } from './local-clock';

const DAY_MS = 86_400_000;

/**
 * The départements with public holidays of their own, by the library's subdivision code: Moselle, Bas-Rhin and
 * Haut-Rhin (local law: Good Friday and 26 December), and the overseas départements. Others: the national list.
 */
const LOCAL_CALENDARS: Readonly<Record<string, string>> = {
  '57': '57',
  '67': '67',
  '68': '68',
  '971': 'GP',
  '972': 'MQ',
  '973': 'GF',
  '974': 'RE',
  '976': 'YT',
};
const NATIONAL = '';

/** Which list of public holidays applies in a département: its own, or the national one. */
export function calendarOf(departmentCode: string): string {
  return LOCAL_CALENDARS[departmentCode.trim()] ?? NATIONAL;
}

/** A département's days: its public holidays, and the time zone in which they begin and end. */
interface Calendar {
  holidays: string;
  zone: string;
}

function daysOf(departmentCode: string): Calendar {
  return { holidays: calendarOf(departmentCode), zone: clockOf(departmentCode).zone };
}

/** Whether the local calendar day of `date` is worked in the département: not a Saturday, a Sunday or a public holiday there. */
export function isWorkingDay(date: Date, departmentCode: string): boolean {
  const calendar = daysOf(departmentCode);
  const { year, month, day } = wallClock(calendar.zone, instantOf(date));
  return isWorkingCivilDay(civilDayNumber(year, month, day), calendar);
}

/** `day` (YYYY-MM-DD) when it is worked in the département, else the first worked day after it. */
export function firstWorkingDayFrom(day: string, departmentCode: string): string {
  // Noon UTC is that same calendar day in every French time zone, from Polynesia to New Caledonia.
  let date = new Date(`${day}T12:00:00Z`);
  while (!isWorkingDay(date, departmentCode)) date = new Date(date.getTime() + 24 * 3600 * 1000);
  return date.toISOString().slice(0, 10);
}

/**
 * The deadline `days` working days after `start`.
 *
 * Rule: if `start` falls on a non-working day (weekend or holiday, the département's calendar), counting starts at
 * the beginning (00:00 local time) of the next working day. From there, move forward `days` working days keeping
 * the local wall-clock time of day, so a deadline never drifts by an hour across a DST change. The result is
 * always on a working day; with `days` = 0 it is `start` itself, or the next working day at 00:00.
 */
export function addWorkingDays(start: Date, days: number, departmentCode: string): Date {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`days must be a non-negative integer, got ${days}`);
  const calendar = daysOf(departmentCode);
  const t = instantOf(start);
  const p = wallClock(calendar.zone, t);
  let dayNumber = civilDayNumber(p.year, p.month, p.day);
  let timeOfDayMs = ((p.hour * 60 + p.minute) * 60 + p.second) * 1000 + mod(t, 1000);
  if (!isWorkingCivilDay(dayNumber, calendar)) {
    dayNumber = nextWorkingDay(dayNumber, calendar);
    timeOfDayMs = 0;
  }
  for (let i = 0; i < days; i++) dayNumber = nextWorkingDay(dayNumber, calendar);
  return new Date(wallClockToInstant(calendar.zone, dayNumber, timeOfDayMs));
}

/**
 * Where a time limit ends in working time, to write it: one at local midnight after days off (Monday 00:00 after a
 * weekend, as days counted from a Saturday end) ends with the last working day before them — Friday at 24:00, not
 * « dimanche à 24:00 ». Any other time limit is itself.
 */
export function workingEndOf(deadline: Date, departmentCode: string | null | undefined): Date {
  const calendar = daysOf(departmentCode ?? '');
  const p = wallClock(calendar.zone, instantOf(deadline));
  if (p.hour !== 0 || p.minute !== 0) return deadline;
  const dayNumber = civilDayNumber(p.year, p.month, p.day);
  let end = dayNumber;
  while (!isWorkingCivilDay(end - 1, calendar)) end--;
  return end === dayNumber ? deadline : new Date(wallClockToInstant(calendar.zone, end, 0));
}

/** The last day a time limit leaves, in the département's working days (« d’ici le 8 décembre » for 9 December 00:00). */
export function lastDayOf(departmentCode: string | null | undefined, deadline: Date): string {
  return localDay(departmentCode, lastMinuteOf(workingEndOf(deadline, departmentCode)));
}

/**
 * The latest instant at or before `now` that reads `hour`:00 locally on a working day of the département: the
 * moment of the last daily run of a working-days-only routine (a digest at 08:00 runs Monday morning for the weekend).
 */
export function latestWorkingDayAt(now: Date, hour: number, departmentCode: string): Date {
  const timeOfDayMs = hourOfDayMs(hour);
  const calendar = daysOf(departmentCode);
  const t = instantOf(now);
  const p = wallClock(calendar.zone, t);
  let dayNumber = civilDayNumber(p.year, p.month, p.day);
  while (!isWorkingCivilDay(dayNumber, calendar) || wallClockToInstant(calendar.zone, dayNumber, timeOfDayMs) > t) dayNumber--;
  return new Date(wallClockToInstant(calendar.zone, dayNumber, timeOfDayMs));
}

/** A desk's office hours, local time: from 09:00 until 17:00 (17:00 itself is closed). */
export const OFFICE_OPENS_HOUR = 9;
const OFFICE_OPENS_MS = hourOfDayMs(OFFICE_OPENS_HOUR);
const OFFICE_CLOSES_MS = hourOfDayMs(17);

/**
 * `date` when it falls within the département's office hours (a working day of its calendar, 09:00 to 17:00 its
 * time), otherwise the next opening: 09:00 the same day before it, or of the next working day. A buyer's follow-up
 * e-mail due at night, on a weekend or a public holiday waits for the office to open.
 */
export function withinOfficeHours(date: Date, departmentCode: string): Date {
  const calendar = daysOf(departmentCode);
  const t = instantOf(date);
  const p = wallClock(calendar.zone, t);
  const dayNumber = civilDayNumber(p.year, p.month, p.day);
  const working = isWorkingCivilDay(dayNumber, calendar);
  const opens = wallClockToInstant(calendar.zone, dayNumber, OFFICE_OPENS_MS);
  if (working && t >= opens && t < wallClockToInstant(calendar.zone, dayNumber, OFFICE_CLOSES_MS)) return date;
  const openingDay = working && t < opens ? dayNumber : nextWorkingDay(dayNumber, calendar);
  return new Date(wallClockToInstant(calendar.zone, openingDay, OFFICE_OPENS_MS));
}

/**
 * When a facilitator must have taken a request in charge: `takeChargeWorkingDays` working days after the assignment, in
 * the request's calendar, or the next office opening when that falls outside its office hours (withinOfficeHours) —
 * a weekend's requests, counted from Monday 00:00, would all move on at midnight, with their e-mails. Never earlier.
 */
export function takeChargeDueAt(assignedAt: Date, takeChargeWorkingDays: number, departmentCode: string): Date {
  return withinOfficeHours(addWorkingDays(assignedAt, takeChargeWorkingDays, departmentCode), departmentCode);
}

/**
 * The local midnight that ends the day `date` falls on in the département, or ends the next working day when that day
 * is off: a time limit told by its day (« jusqu’au 7 février ») lasts all of a day its reader may act on.
 */
export function endOfWorkingDayOf(date: Date, departmentCode: string): Date {
  const calendar = daysOf(departmentCode);
  const p = wallClock(calendar.zone, instantOf(date));
  let dayNumber = civilDayNumber(p.year, p.month, p.day);
  if (!isWorkingCivilDay(dayNumber, calendar)) dayNumber = nextWorkingDay(dayNumber, calendar);
  return new Date(wallClockToInstant(calendar.zone, dayNumber + 1, 0));
}

/**
 * Elapsed working days between two instants, fractional (6 hours of a working day = 0.25): only the time
 * falling within the département's working days counts, each day weighing its real length. 0 if `to <= from`.
 * Whole days in between are counted on day numbers alone, so spans of years stay cheap.
 */
export function workingDaysBetween(from: Date, to: Date, departmentCode: string): number {
  const a = instantOf(from);
  const b = instantOf(to);
  if (b <= a) return 0;
  const calendar = daysOf(departmentCode);
  const pa = wallClock(calendar.zone, a);
  const pb = wallClock(calendar.zone, b);
  const first = civilDayNumber(pa.year, pa.month, pa.day);
  const last = civilDayNumber(pb.year, pb.month, pb.day);
  const fraction = (dayNumber: number, sliceStart: number, sliceEnd: number): number => {
    if (!isWorkingCivilDay(dayNumber, calendar)) return 0;
    const dayStart = wallClockToInstant(calendar.zone, dayNumber, 0);
    const dayEnd = wallClockToInstant(calendar.zone, dayNumber + 1, 0);
    return (Math.min(sliceEnd, dayEnd) - Math.max(sliceStart, dayStart)) / (dayEnd - dayStart);
  };
  if (first === last) return fraction(first, a, b);
  let total = fraction(first, a, Infinity) + fraction(last, -Infinity, b);
  for (let d = first + 1; d < last; d++) if (isWorkingCivilDay(d, calendar)) total += 1;
  return total;
}

// --- calendar days, as day numbers (days since 1970-01-01 in the proleptic Gregorian calendar) ---

function civilDayNumber(year: number, month: number, day: number): number {
  return Math.round(Date.UTC(year, month - 1, day) / DAY_MS);
}

function isWorkingCivilDay(dayNumber: number, calendar: Calendar): boolean {
  const weekday = mod(dayNumber + 4, 7); // 1970-01-01 was a Thursday; 0 = Sunday
  if (weekday === 0 || weekday === 6) return false;
  return !holidaysOf(new Date(dayNumber * DAY_MS).getUTCFullYear(), calendar.holidays).has(dayNumber);
}

function nextWorkingDay(dayNumber: number, calendar: Calendar): number {
  let d = dayNumber + 1;
  while (!isWorkingCivilDay(d, calendar)) d++;
  return d;
}

const holidayCache = new Map<string, ReadonlySet<number>>();
const calendars = new Map<string, Holidays>();

/** The public holidays of a year in a calendar, as day numbers; the library gives each as its local calendar date. */
function holidaysOf(year: number, calendar: string): ReadonlySet<number> {
  const key = `${year}:${calendar}`;
  let set = holidayCache.get(key);
  if (!set) {
    let holidays = calendars.get(calendar);
    if (!holidays) {
      holidays = calendar ? new Holidays('FR', calendar, { types: ['public'] }) : new Holidays('FR', { types: ['public'] });
      calendars.set(calendar, holidays);
    }
    set = new Set(
      holidays
        .getHolidays(year)
        .map(({ date }) => civilDayNumber(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)))),
    );
    holidayCache.set(key, set);
  }
  return set;
}

/**
 * The instant showing `timeOfDayMs` on the zone's day `dayNumber`. Tries the offsets in force a day before and a
 * day after; in the autumn overlap the earlier instant wins, in the spring gap the time moves forward
 * (02:30 → 03:30). In Paris both happen on Sundays only, so never for a working day; overseas has no summer time.
 */
function wallClockToInstant(zone: string, dayNumber: number, timeOfDayMs: number): number {
  const wall = dayNumber * DAY_MS + timeOfDayMs;
  const before = wall - zoneOffset(zone, wall - DAY_MS);
  const after = wall - zoneOffset(zone, wall + DAY_MS);
  if (before + zoneOffset(zone, before) === wall) return before;
  if (after + zoneOffset(zone, after) === wall) return after;
  return before;
}

/** An hour of the day (0–23) in milliseconds since midnight; RangeError otherwise. */
function hourOfDayMs(hour: number): number {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new RangeError(`hour must be an integer from 0 to 23, got ${hour}`);
  return hour * 3_600_000;
}

function instantOf(date: Date): number {
  const t = date.getTime();
  if (Number.isNaN(t)) throw new RangeError('Invalid Date');
  return t;
}

function mod(n: number, m: number): number {
  return ((n % m) + m) % m;
}
