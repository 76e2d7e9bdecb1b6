import type { IndicatorsDashboardDto } from './dto/indicators-dashboard.dto';
import { indicatorLines } from './indicators-export.policy';

const fig = (current: number | null, previous: number | null) => ({ current, previous, delta: null, trend: null });
const counted = (hits: number, base: number) => ({ hits: { current: hits, previous: 0 }, base: { current: base, previous: 0 } });
const labelled = (code: string, current: number, previous: number) => ({ code, label: code, ...fig(current, previous) });

function dashboard(kind: string | null): IndicatorsDashboardDto {
  return {
    scope: { network: 'aura-ee', kind, label: 'AURA-EE' },
    period: { from: '2026-02-01', to: '2026-02-28' },
    previousPeriod: { from: '2026-01-01', to: '2026-01-31' },
    requests: {
      total: fig(5, 2),
      byStatus: [labelled('closed', 3, 2)],
      byKind: [labelled('environmental', 5, 2)],
      bySegment: [],
      byDepartment: [labelled('38', 5, 2)],
    },
    timings: {
      takeChargeMedianDays: fig(1.54, 3),
      answerMedianDays: fig(null, 7),
      takenWithin2Days: fig(2 / 3, 0),
      takenWithin5Days: fig(1, 1),
      answeredOnTime: fig(0.5, 1),
      answerDeadlineDays: 10,
      deadlineMisses: fig(2, 0),
      deadlineMissShare: fig(0.4, 0),
    },
    surveys: {
      responseRates: [{ ...labelled('impact', 1, 0), sent: fig(2, 0), declined: fig(0, 0) }],
      answers: fig(1, 0),
      usefulness: [],
      contracts: fig(2, 0),
      environmental: { ...fig(0.5, null), ...counted(5, 10), target: 1, gap: -0.5, verdict: 'below' },
      social: { ...fig(0.5, null), ...counted(5, 10), target: 0.3, gap: 0.2, verdict: 'met' },
      insertionHours: fig(400, 0),
    },
    alerts: { period: { from: '2025-10-01', to: '2025-12-31' }, items: [] },
  } as IndicatorsDashboardDto;
}

describe('indicators-export.policy', () => {
  const line = (kind: string | null, label: string) => indicatorLines(dashboard(kind)).find((l) => l.label === label);

  it.each([
    ['a count as is', 'Demandes reçues', { unit: 'nombre', current: 5, previous: 2 }],
    ['a duration to one decimal, as the page', 'Délai médian de prise en charge', { unit: 'jours ouvrés', current: 1.5, previous: 3 }],
    ['no figure stays empty', 'Délai médian de réponse', { unit: 'jours ouvrés', current: null, previous: 7 }],
    ['a share in %, to one decimal', 'Prises en charge en 2 jours ouvrés ou moins', { unit: '%', current: 66.7, previous: 0 }],
    ['the deadline named', 'Premières réponses données dans leur délai (10 jours ouvrés)', { unit: '%', current: 50, previous: 100 }],
    ['the plan’s target', 'Cible du PNAD — au moins une considération sociale', { unit: '%', current: 30, previous: 30 }],
    [
      'a target share with the contracts it counts',
      'Avec au moins une considération sociale',
      { unit: '%', current: 50, base: 10, previousBase: 0 },
    ],
    ['no base beside a count', 'Demandes reçues', { base: null, previousBase: null }],
    ['a breakdown line in its section', '38', { section: 'Demandes par département', current: 5, previous: 2 }],
  ])('%s', (_label, label, expected) => {
    expect(line(null, label)).toMatchObject(expected);
  });

  it('leaves out what the page leaves out for one kind: the breakdown by kind, insertion hours for environmental questions', () => {
    expect(line(null, 'environmental')).toBeDefined();
    expect(line('social_clause', 'environmental')).toBeUndefined();
    expect(line('social_clause', 'Heures d’insertion prévues (clauses d’insertion)')).toBeDefined();
    expect(line('environmental', 'Heures d’insertion prévues (clauses d’insertion)')).toBeUndefined();
  });
});
