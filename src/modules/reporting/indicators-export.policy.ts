/**
 * The dashboard's figures as the lines of its CSV export (pure): one line a figure, in the page's order and words,
 * each with its unit and the value the page shows (shares in %, durations in working days, both to one decimal), so
 * that a quarterly report quotes the same numbers as the screen.
 */
import type { IndicatorsDashboardDto } from './dto/indicators-dashboard.dto';
import { FIGURE_LABELS as L } from './indicator-labels';
import { roundTo } from './indicators.policy';

type Unit = 'count' | 'days' | 'share';

export const UNIT_LABELS: Record<Unit, string> = { count: 'nombre', days: 'jours ouvrés', share: '%' };

export interface IndicatorLine {
  section: string;
  label: string;
  unit: string;
  current: number | null;
  previous: number | null;
  /** The contracts a target share is computed on, as the page shows beside it (« 1 marché sur 2 »); null elsewhere. */
  base: number | null;
  previousBase: number | null;
}

/** As the page's figure macros round them: a share as a percentage and a duration to one decimal, a count as is. */
function shown(value: number | null, unit: Unit): number | null {
  if (value === null) return null;
  if (unit === 'share') return roundTo(value * 100, 1);
  return unit === 'days' ? roundTo(value, 1) : value;
}

export function indicatorLines(d: IndicatorsDashboardDto): IndicatorLine[] {
  const lines: IndicatorLine[] = [];
  const add = (
    section: string,
    label: string,
    figure: { current: number | null; previous: number | null; base?: { current: number; previous: number } },
    unit: Unit = 'count',
  ) =>
    lines.push({
      section,
      label,
      unit: UNIT_LABELS[unit],
      current: shown(figure.current, unit),
      previous: shown(figure.previous, unit),
      base: figure.base?.current ?? null,
      previousBase: figure.base?.previous ?? null,
    });
  const breakdown = (section: string, rows: IndicatorsDashboardDto['requests']['byStatus']) =>
    rows.forEach((row) => add(section, row.label, row));

  add('Demandes', L.received, d.requests.total);
  breakdown('Demandes par statut actuel', d.requests.byStatus);
  // One kind chosen: the page shows no breakdown by kind, nor the file.
  if (!d.scope.kind) breakdown('Demandes par type', d.requests.byKind);
  breakdown('Demandes par segment d’achat', d.requests.bySegment);
  breakdown('Demandes par département', d.requests.byDepartment);

  const t = d.timings;
  add('Délais', L.takeChargeMedianDays, t.takeChargeMedianDays, 'days');
  add('Délais', L.answerMedianDays, t.answerMedianDays, 'days');
  add('Délais', L.takenWithin2Days, t.takenWithin2Days, 'share');
  add('Délais', L.takenWithin5Days, t.takenWithin5Days, 'share');
  // The page explains the deadline beside its table; the file has only the label to say it.
  add('Délais', `${L.answeredOnTime} (${t.answerDeadlineDays} jours ouvrés)`, t.answeredOnTime, 'share');
  add('Délais', L.deadlineMisses, t.deadlineMisses);
  add('Délais', L.deadlineMissShare, t.deadlineMissShare, 'share');

  const s = d.surveys;
  for (const wave of s.responseRates) {
    add('Questionnaires de suivi', `${L.surveysSent} — ${wave.label}`, wave.sent);
    add('Questionnaires de suivi', `${L.responseRate} — ${wave.label}`, wave, 'share');
    add('Questionnaires de suivi', `${L.surveysDeclined} — ${wave.label}`, wave.declined);
  }
  add('Utilité de la réponse', L.surveyAnswers, s.answers);
  for (const usefulness of s.usefulness) add('Utilité de la réponse', usefulness.label, usefulness, 'share');
  add('Marchés', L.contracts, s.contracts);
  for (const [label, target, figure] of [
    [L.environmental, L.environmentalTarget, s.environmental],
    [L.social, L.socialTarget, s.social],
  ] as const) {
    // Absent as on the page: no environmental share for the social clauses alone.
    if (!figure) continue;
    add('Marchés', label, figure, 'share');
    add('Marchés', target, { current: figure.target, previous: figure.target }, 'share');
  }
  if (d.scope.kind !== 'environmental') add('Marchés', L.insertionHours, s.insertionHours);
  return lines;
}
