import { addWorkingDays, workingDaysBetween } from '../../common/working-days.policy';

export interface Pause {
  from: Date;
  /** null while the request still awaits the buyer. */
  to: Date | null;
}

/**
 * When the answer is due: `days` working days of the facilitator's own time from taking in charge, the
 * clock stopped while the request awaits the buyer's precision (working time inside pauses does not count).
 * null while a pause is still open: the deadline is not known until the buyer answers.
 */
export function answerDueAt(takenAt: Date, pauses: Pause[], departmentCode: string, days: number): Date | null {
  if (pauses.some((p) => p.to === null)) return null;
  const sorted = (pauses as Array<{ from: Date; to: Date }>)
    .filter((p) => p.to > takenAt)
    .map((p) => ({ from: p.from < takenAt ? takenAt : p.from, to: p.to }))
    .sort((a, b) => a.from.getTime() - b.from.getTime());
  let cursor = takenAt;
  let remaining = days;
  for (const pause of sorted) {
    if (pause.to <= cursor) continue; // overlapping pauses: already skipped
    const running = pause.from > cursor ? workingDaysBetween(cursor, pause.from, departmentCode) : 0;
    if (running >= remaining) return advance(cursor, remaining, departmentCode);
    remaining -= running;
    cursor = pause.to;
  }
  return advance(cursor, remaining, departmentCode);
}

/** The instant `days` working days (possibly fractional, after a pause) from `start`. */
function advance(start: Date, days: number, departmentCode: string): Date {
  if (Number.isInteger(days)) return addWorkingDays(start, days, departmentCode);
  // Working time is monotonic in the end instant: search it to the millisecond.
  let low = start.getTime();
  let high = addWorkingDays(start, Math.ceil(days) + 1, departmentCode).getTime();
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (workingDaysBetween(start, new Date(middle), departmentCode) >= days) high = middle;
    else low = middle;
  }
  return new Date(high);
}

/** The awaiting-buyer periods of a request, read from its history (oldest first); the last may still be open. */
export function pausesFromHistory(events: ReadonlyArray<{ fromStatus: string | null; toStatus: string | null; createdAt: Date }>): Pause[] {
  const pauses: Pause[] = [];
  for (const event of events) {
    const open = pauses.at(-1);
    if (event.toStatus === 'awaiting_buyer' && event.fromStatus !== 'awaiting_buyer' && (!open || open.to)) {
      pauses.push({ from: event.createdAt, to: null });
    } else if (event.fromStatus === 'awaiting_buyer' && event.toStatus !== 'awaiting_buyer' && open && !open.to) {
      open.to = event.createdAt;
    }
  }
  return pauses;
}

/**
 * Whether the first answer came within its deadline, for the indicators: null when no deadline was set (never
 * taken in charge). The deadline given must count every pause: an answer sent while awaiting the buyer ends that
 * pause first (the caller moves the deadline, as the buyer's precision would).
 */
export function answeredOnTime(answeredAt: Date, dueAt: Date | null): boolean | null {
  return dueAt ? answeredAt <= dueAt : null;
}
