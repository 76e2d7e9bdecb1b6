/**
 * The desk's indicators as pure computations (no Nest, no I/O): periods, medians and shares from the
 * distributions the repository counts, and deltas against the previous period.
 */
import type { FieldError } from '../../common/errors/app-errors';
import { isCalendarDay } from '../../common/validation';

/** Calendar days in France, both included (YYYY-MM-DD). */
export interface Period {
  from: string;
  to: string;
}

/** One figure beside the same one over the previous period. */
export interface Figure {
  current: number | null;
  previous: number | null;
  /** current − previous, when both are known. */
  delta: number | null;
  trend: 'up' | 'down' | 'stable' | null;
}

/** How many requests took exactly `days` working days (a histogram bar). */
export interface DurationCount {
  days: number;
  n: number;
}

/** The national plan for sustainable public procurement (PNAD 2022-2025): targets for the contracts of 2025. */
export const PLAN_TARGETS = { environmental: 1, social: 0.3 } as const;

/** Longest period one may ask for: the aggregates stay bounded. */
export const MAX_PERIOD_DAYS = 731;

const DAY_MS = 86_400_000;

/** The last quarter ended before `today` (a Paris calendar day). */
export function lastFullQuarter(today: string): Period {
  const [year, month] = today.split('-').map(Number);
  const quarterStart = Math.floor((month - 1) / 3) * 3; // 0-based month starting the current quarter
  const start = new Date(Date.UTC(year, quarterStart - 3, 1));
  const end = new Date(Date.UTC(year, quarterStart, 0));
  return { from: isoDay(start), to: isoDay(end) };
}

/** The periods an animator asks for most, one click each: the quarter and the year so far, and the last complete ones. */
export function periodShortcuts(today: string): Array<{ label: string; period: Period }> {
  const [year, month] = today.split('-').map(Number);
  const quarterStart = Math.floor((month - 1) / 3) * 3 + 1;
  return [
    { label: 'Trimestre en cours', period: { from: `${year}-${String(quarterStart).padStart(2, '0')}-01`, to: today } },
    { label: 'Dernier trimestre complet', period: lastFullQuarter(today) },
    { label: 'Année en cours', period: { from: `${year}-01-01`, to: today } },
    { label: `Année ${year - 1}`, period: { from: `${year - 1}-01-01`, to: `${year - 1}-12-31` } },
  ];
}

/** The twelve calendar months ended before `today`: the public statistics' year. */
export function lastTwelveMonths(today: string): Period {
  const [year, month] = today.split('-').map(Number);
  return { from: isoDay(new Date(Date.UTC(year - 1, month - 1, 1))), to: isoDay(new Date(Date.UTC(year, month - 1, 0))) };
}

const MONTH_LABEL = new Intl.DateTimeFormat('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/**
 * Each calendar month of `period` beside the same month a year before, from counts by `YYYY-MM` (months with
 * none count 0), labelled the French way (« décembre 2025 »).
 */
export function monthByMonth(
  period: Period,
  counts: ReadonlyArray<{ month: string; n: number }>,
): Array<Figure & { code: string; label: string }> {
  // Months as an index (year × 12 + month − 1): a year earlier is 12 less.
  const code = (index: number) => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
  const count = (index: number) => counts.find((c) => c.month === code(index))?.n ?? 0;
  const indexOf = (day: string) => Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1;
  const months: Array<Figure & { code: string; label: string }> = [];
  for (let index = indexOf(period.from); index <= indexOf(period.to); index++) {
    months.push({
      code: code(index),
      label: MONTH_LABEL.format(Date.UTC(Math.floor(index / 12), index % 12, 1)),
      ...figure(count(index), count(index - 12)),
    });
  }
  return months;
}

/**
 * The period just before, to compare with. A calendar month or quarter: the one before (1 April – 30 June for the third
 * quarter, not the 92 days before 1 July). A quarter or a year so far: the same stretch of the quarter before, or of the
 * year before (1 October – 22 November with 1 July – 22 August, not 53 days astride two quarters; 1 January – 30 June
 * with the same half a year earlier). Other whole months: as many months before. Any other period: as many days just
 * before it.
 */
export function previousPeriod(period: Period): Period {
  const from = dayNumber(period.from);
  const [fromYear, fromMonth, fromDay] = period.from.split('-').map(Number);
  const [toYear, toMonth, toDay] = period.to.split('-').map(Number);
  const months = (toYear - fromYear) * 12 + (toMonth - fromMonth) + 1;
  const endsAMonth = isoDay(new Date(Date.UTC(toYear, toMonth, 0))) === period.to;
  const back = (shift: number, day: number) => ({
    from: isoDay(new Date(Date.UTC(fromYear, fromMonth - 1 - shift, 1))),
    // Clamped to its month: 30 March so far reads against 28 February.
    to: isoDay(new Date(Date.UTC(toYear, toMonth - 1 - shift, Math.min(day, new Date(Date.UTC(toYear, toMonth - shift, 0)).getUTCDate())))),
  });
  if (fromDay === 1) {
    // A month, or a quarter, whole: the one before. A year so far, or a quarter so far: the same stretch of the one before.
    const soFar = !(endsAMonth && (months === 1 || (months === 3 && fromMonth % 3 === 1)));
    const lastDay = endsAMonth ? 31 : toDay;
    if (soFar && fromMonth === 1 && months <= 12) return back(12, lastDay);
    if (soFar && fromMonth % 3 === 1 && months <= 3) return back(3, lastDay);
    if (endsAMonth) return back(months, 31);
  }
  const length = dayNumber(period.to) - from + 1;
  return { from: isoDay(new Date((from - length) * DAY_MS)), to: isoDay(new Date((from - 1) * DAY_MS)) };
}

/**
 * The period asked for (`from`/`to`, either form's names), or the last full quarter when neither is given.
 * Errors are per field (`fromField`/`toField` as the form or API names them), in French.
 */
export function parsePeriod(
  from: unknown,
  to: unknown,
  today: string,
  fields: { from: string; to: string },
): { period: Period; errors: FieldError[] } {
  const blank = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
  if (blank(from) && blank(to)) return { period: lastFullQuarter(today), errors: [] };
  const errors: FieldError[] = [];
  const read = (value: unknown, field: string, what: string): string | null => {
    const text = typeof value === 'string' ? value.trim() : '';
    if (!text) errors.push({ field, message: `Indiquez la date ${what} de la période.` });
    else if (!isCalendarDay(text))
      errors.push({
        field,
        message: `La date ${what} n’est pas une date valide : écrivez-la JJ/MM/AAAA dans le formulaire, AAAA-MM-JJ dans l’API.`,
      });
    else return text;
    return null;
  };
  const start = read(from, fields.from, 'de début');
  const end = read(to, fields.to, 'de fin');
  if (start && end) {
    const days = dayNumber(end) - dayNumber(start) + 1;
    if (dayNumber(start) > dayNumber(today)) {
      errors.push({
        field: fields.from,
        message: 'La période doit commencer au plus tard aujourd’hui : les indicateurs comptent ce qui a eu lieu.',
      });
    } else if (days < 1) errors.push({ field: fields.to, message: 'La date de fin doit suivre la date de début.' });
    else if (days > MAX_PERIOD_DAYS) errors.push({ field: fields.to, message: 'La période ne doit pas dépasser deux ans.' });
  }
  return { period: errors.length ? lastFullQuarter(today) : { from: start!, to: end! }, errors };
}

/** The median of a histogram (mean of the two middle values for an even count); null when empty. */
export function medianOf(counts: readonly DurationCount[]): number | null {
  const sorted = counts.filter((c) => c.n > 0).sort((a, b) => a.days - b.days);
  const total = sorted.reduce((sum, c) => sum + c.n, 0);
  if (total === 0) return null;
  const valueAt = (rank: number) => {
    let seen = 0;
    for (const c of sorted) {
      seen += c.n;
      if (rank < seen) return c.days;
    }
    return sorted[sorted.length - 1].days;
  };
  const middle = Math.floor(total / 2);
  return total % 2 === 1 ? valueAt(middle) : roundTo((valueAt(middle - 1) + valueAt(middle)) / 2, 2);
}

/** Share of the histogram at most `limit` days; null when empty. */
export function shareWithin(counts: readonly DurationCount[], limit: number): number | null {
  const total = counts.reduce((sum, c) => sum + c.n, 0);
  return share(
    counts.filter((c) => c.days <= limit).reduce((sum, c) => sum + c.n, 0),
    total,
  );
}

/** part / whole, or null when there is nothing to divide (no figure beats a misleading 0 %). */
export function share(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** The figure and its change; a change smaller than `tolerance` reads as stable. */
export function figure(current: number | null, previous: number | null, tolerance = 1e-9): Figure {
  if (current === null || previous === null) return { current, previous, delta: null, trend: null };
  const delta = current - previous;
  return { current, previous, delta, trend: Math.abs(delta) <= tolerance ? 'stable' : delta > 0 ? 'up' : 'down' };
}

/** Counts by code for both periods, every code of `codes` present (0 when absent), then any other code met. */
export function countsByCode(
  codes: readonly string[],
  rows: ReadonlyArray<{ period: 'current' | 'previous'; code: string; n: number }>,
): Array<{ code: string } & Figure> {
  const all = [...codes, ...new Set(rows.map((r) => r.code).filter((code) => !codes.includes(code)))];
  const count = (code: string, period: 'current' | 'previous') =>
    rows.filter((r) => r.code === code && r.period === period).reduce((sum, r) => sum + r.n, 0);
  return all.map((code) => ({ code, ...figure(count(code, 'current'), count(code, 'previous')) }));
}

/** Fewer contracts than this and a share says nothing against a target: 1 contract of 1 is « 100 % ». */
export const TARGET_MIN_BASE = 5;

/** `too_few`: a share over fewer than TARGET_MIN_BASE contracts; null: none to compare. */
export type TargetVerdict = 'met' | 'below' | 'too_few' | null;

/**
 * A consideration share of `base` contracts against its target: how far from it (a fraction; negative: below) and the
 * verdict, neither when the base is too small to compare.
 */
export function againstTarget(
  value: number | null,
  base: number,
  target: number,
): { target: number; gap: number | null; verdict: TargetVerdict } {
  if (value === null || base === 0) return { target, gap: null, verdict: null };
  if (base < TARGET_MIN_BASE) return { target, gap: null, verdict: 'too_few' };
  const gap = value - target;
  return { target, gap, verdict: gap >= 0 ? 'met' : 'below' };
}

export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

function dayNumber(day: string): number {
  return Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
