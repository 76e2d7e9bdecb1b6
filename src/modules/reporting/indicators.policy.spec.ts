import {
  againstTarget,
  countsByCode,
  DurationCount,
  figure,
  lastFullQuarter,
  lastTwelveMonths,
  medianOf,
  monthByMonth,
  parsePeriod,
  periodShortcuts,
  previousPeriod,
  share,
  shareWithin,
} from './indicators.policy';

const h = (...pairs: Array<[number, number]>): DurationCount[] => pairs.map(([days, n]) => ({ days, n }));
const FIELDS = { from: 'du', to: 'au' };

describe('lastFullQuarter', () => {
  it.each([
    ['2026-11-22', '2026-07-01', '2026-09-30'],
    ['2026-01-01', '2025-10-01', '2025-12-31'],
    ['2026-03-31', '2025-10-01', '2025-12-31'],
    ['2026-04-01', '2026-01-01', '2026-03-31'],
    ['2026-07-15', '2026-04-01', '2026-06-30'],
  ])('on %s: %s → %s', (today, from, to) => {
    expect(lastFullQuarter(today)).toEqual({ from, to });
  });
});

describe('periodShortcuts', () => {
  it.each([
    [
      '2026-12-04',
      ['2026-10-01', '2026-12-04'],
      ['2026-07-01', '2026-09-30'],
      ['2026-01-01', '2026-12-04'],
      'Année 2025',
      ['2025-01-01', '2025-12-31'],
    ],
    [
      '2026-01-01',
      ['2026-01-01', '2026-01-01'],
      ['2025-10-01', '2025-12-31'],
      ['2026-01-01', '2026-01-01'],
      'Année 2025',
      ['2025-01-01', '2025-12-31'],
    ],
    [
      '2027-05-15',
      ['2027-04-01', '2027-05-15'],
      ['2027-01-01', '2027-03-31'],
      ['2027-01-01', '2027-05-15'],
      'Année 2026',
      ['2026-01-01', '2026-12-31'],
    ],
    [
      '2026-09-30',
      ['2026-07-01', '2026-09-30'],
      ['2026-04-01', '2026-06-30'],
      ['2026-01-01', '2026-09-30'],
      'Année 2025',
      ['2025-01-01', '2025-12-31'],
    ],
  ])('on %s', (today, quarter, lastQuarter, yearSoFar, lastYearLabel, lastYear) => {
    const [from, to] = [0, 1];
    expect(periodShortcuts(today)).toEqual([
      { label: 'Trimestre en cours', period: { from: quarter[from], to: quarter[to] } },
      { label: 'Dernier trimestre complet', period: { from: lastQuarter[from], to: lastQuarter[to] } },
      { label: 'Année en cours', period: { from: yearSoFar[from], to: yearSoFar[to] } },
      { label: lastYearLabel, period: { from: lastYear[from], to: lastYear[to] } },
    ]);
  });
});

describe('lastTwelveMonths', () => {
  it.each([
    ['2026-12-04', '2025-12-01', '2026-11-30'],
    ['2026-01-15', '2025-01-01', '2025-12-31'],
    ['2026-01-01', '2025-01-01', '2025-12-31'],
    ['2024-03-01', '2023-03-01', '2024-02-29'],
    ['2026-12-31', '2025-12-01', '2026-11-30'],
  ])('on %s: %s → %s', (today, from, to) => {
    expect(lastTwelveMonths(today)).toEqual({ from, to });
  });
});

describe('monthByMonth', () => {
  it('lists every month of the period beside the same month a year before, 0 where none came', () => {
    const counts = [
      { month: '2024-12', n: 4 },
      { month: '2025-12', n: 7 },
      { month: '2026-02', n: 3 },
      { month: '2025-02', n: 3 },
      { month: '2026-03', n: 9 }, // after the period: left out
    ];
    expect(monthByMonth({ from: '2025-12-01', to: '2026-02-28' }, counts)).toEqual([
      { code: '2025-12', label: 'décembre 2025', current: 7, previous: 4, delta: 3, trend: 'up' },
      { code: '2026-01', label: 'janvier 2026', current: 0, previous: 0, delta: 0, trend: 'stable' },
      { code: '2026-02', label: 'février 2026', current: 3, previous: 3, delta: 0, trend: 'stable' },
    ]);
  });

  it('gives twelve months for the public statistics’ year', () => {
    expect(monthByMonth(lastTwelveMonths('2026-12-04'), []).map((m) => m.code)).toEqual([
      '2025-12',
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
      '2026-11',
    ]);
  });
});

describe('previousPeriod', () => {
  it.each([
    [
      'a quarter: the quarter before, not the 92 days before',
      { from: '2026-07-01', to: '2026-09-30' },
      { from: '2026-04-01', to: '2026-06-30' },
    ],
    ['a first quarter: the year before’s last', { from: '2026-01-01', to: '2026-03-31' }, { from: '2025-10-01', to: '2025-12-31' }],
    ['a leap February: the January before', { from: '2028-02-01', to: '2028-02-29' }, { from: '2028-01-01', to: '2028-01-31' }],
    ['a year: the year before', { from: '2025-01-01', to: '2025-12-31' }, { from: '2024-01-01', to: '2024-12-31' }],
    ['one day', { from: '2026-03-01', to: '2026-03-01' }, { from: '2026-02-28', to: '2026-02-28' }],
    ['days not making whole months: as many days', { from: '2026-07-15', to: '2026-07-24' }, { from: '2026-07-05', to: '2026-07-14' }],
    [
      'a quarter so far: the same stretch of the quarter before',
      { from: '2026-10-01', to: '2026-11-22' },
      { from: '2026-07-01', to: '2026-08-22' },
    ],
    ['a year so far: the same days a year earlier', { from: '2026-01-01', to: '2026-12-05' }, { from: '2025-01-01', to: '2025-12-05' }],
    [
      'a quarter so far on a 31st: the stretch before clamped to its month’s end',
      { from: '2026-07-01', to: '2026-08-31' },
      { from: '2026-04-01', to: '2026-05-31' },
    ],
    [
      'a first quarter so far: the same days a year earlier',
      { from: '2026-01-01', to: '2026-02-10' },
      { from: '2025-01-01', to: '2025-02-10' },
    ],
    [
      'a quarter so far on 30 May: its stretch ends on 28 February (no 30 February)',
      { from: '2026-04-01', to: '2026-05-30' },
      { from: '2026-01-01', to: '2026-02-28' },
    ],
    [
      'a month so far (not a quarter’s start): as many days',
      { from: '2026-05-01', to: '2026-05-10' },
      { from: '2026-04-21', to: '2026-04-30' },
    ],
    [
      'a quarter ending on the 31st: the one before to its own end',
      { from: '2026-01-01', to: '2026-03-31' },
      { from: '2025-10-01', to: '2025-12-31' },
    ],
    [
      'a year so far on 30 June: the same half a year earlier',
      { from: '2026-01-01', to: '2026-06-30' },
      { from: '2025-01-01', to: '2025-06-30' },
    ],
  ])('%s', (_label, period, expected) => {
    expect(previousPeriod(period)).toEqual(expected);
  });
});

describe('parsePeriod', () => {
  it.each([
    ['nothing: the last full quarter', undefined, '', { from: '2026-07-01', to: '2026-09-30' }, []],
    ['a valid span', '2026-01-01', '2026-06-30', { from: '2026-01-01', to: '2026-06-30' }, []],
    ['trimmed', ' 2026-01-01 ', '2026-01-31 ', { from: '2026-01-01', to: '2026-01-31' }, []],
    ['end missing', '2026-01-01', '', null, ['au']],
    ['impossible date', '2026-02-30', '2026-03-31', null, ['du']],
    ['not a date', '01/02/2026', '2026-03-31', null, ['du']],
    ['end before start', '2026-03-01', '2026-02-01', null, ['au']],
    ['longer than two years', '2023-01-01', '2026-01-01', null, ['au']],
    ['starting after today', '2027-01-01', '2027-03-31', null, ['du']],
    ['starting today', '2026-11-22', '2026-12-31', { from: '2026-11-22', to: '2026-12-31' }, []],
  ])('%s', (_label, from, to, period, fields) => {
    const result = parsePeriod(from, to, '2026-11-22', FIELDS);
    expect(result.errors.map((e) => e.field)).toEqual(fields);
    if (period) expect(result.period).toEqual(period);
    for (const error of result.errors) expect(error.message).toMatch(/date|période/);
  });
});

describe('medianOf', () => {
  it.each([
    ['empty', h(), null],
    ['zero counts only', h([3, 0]), null],
    ['one value', h([2.5, 1]), 2.5],
    ['odd count: 1, 2, 2, 7, 9 → 2', h([9, 1], [2, 2], [1, 1], [7, 1]), 2],
    ['even count: 1, 2, 4, 10 → 3', h([1, 1], [2, 1], [4, 1], [10, 1]), 3],
    ['even count in one bar: 0.5 ×4 → 0.5', h([0.5, 4]), 0.5],
    ['even count across bars: 1 ×3, 3 ×3 → 2', h([1, 3], [3, 3]), 2],
  ])('%s', (_label, counts, expected) => {
    expect(medianOf(counts)).toBe(expected);
  });
});

describe('shareWithin', () => {
  // 10 requests: 0.4, 1.5 ×3, 2 ×2 (exactly 2 counts as within 2), 3.75 ×2, 6, 12
  const counts = h([0.4, 1], [1.5, 3], [2, 2], [3.75, 2], [6, 1], [12, 1]);
  it.each([
    [2, 0.6],
    [5, 0.8],
    [0.1, 0],
    [100, 1],
  ])('within %s working days: %s', (limit, expected) => {
    expect(shareWithin(counts, limit)).toBeCloseTo(expected, 10);
  });
  it('nothing taken: no figure', () => expect(shareWithin([], 2)).toBeNull());
});

describe('share, figure and target', () => {
  it('share of nothing is unknown, not 0', () => {
    expect(share(0, 0)).toBeNull();
    expect(share(1, 4)).toBe(0.25);
  });
  it.each([
    [10, 8, 2, 'up'],
    [8, 10, -2, 'down'],
    [0.5, 0.5, 0, 'stable'],
  ])('%s against %s: %s, %s', (current, previous, delta, trend) => {
    expect(figure(current, previous)).toEqual({ current, previous, delta, trend });
  });
  it('an unknown side gives no change', () => {
    expect(figure(null, 3)).toEqual({ current: null, previous: 3, delta: null, trend: null });
  });
  it('gap to the plan target', () => {
    expect(againstTarget(0.25, 20, 0.3).gap).toBeCloseTo(-0.05, 10);
  });
  it.each([
    [null, 0, 1, null, null],
    [1, 1, 1, null, 'too_few'],
    [0, 4, 0.3, null, 'too_few'],
    [1, 5, 1, 0, 'met'],
    [0.4, 5, 0.3, 0.1, 'met'],
    [0.5, 6, 1, -0.5, 'below'],
  ])('%s of %s contracts against %s: gap %s, %s', (value, base, target, gap, verdict) => {
    const result = againstTarget(value, base, target);
    expect(result.verdict).toBe(verdict);
    expect(result.target).toBe(target);
    if (gap === null) expect(result.gap).toBeNull();
    else expect(result.gap).toBeCloseTo(gap, 10);
  });
});

describe('countsByCode', () => {
  it('lists every known code, then the others met, each with both periods', () => {
    const rows = [
      { period: 'current' as const, code: 'b', n: 3 },
      { period: 'previous' as const, code: 'b', n: 1 },
      { period: 'previous' as const, code: 'z', n: 2 },
    ];
    expect(countsByCode(['a', 'b'], rows)).toEqual([
      { code: 'a', current: 0, previous: 0, delta: 0, trend: 'stable' },
      { code: 'b', current: 3, previous: 1, delta: 2, trend: 'up' },
      { code: 'z', current: 0, previous: 2, delta: -2, trend: 'down' },
    ]);
  });
});
