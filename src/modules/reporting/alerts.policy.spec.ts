import { AlertMetric, AlertSample, alertsOf, AlertSubject, crosses } from './alerts.policy';

const network = { type: 'network' as const, id: 'net-a', networkCode: 'net-a' };
const facilitator = { type: 'facilitator' as const, id: 'f-1', networkCode: 'net-a' };
const sample = (metric: AlertMetric, hits: number, size: number, subject: AlertSubject = network): AlertSample => ({
  subject,
  metric,
  hits,
  sample: size,
});

describe('crosses', () => {
  it.each([
    // declines: more than 30 % on at least 20 assignments
    ['declines 7/20 (35 %)', sample('declines', 7, 20), true],
    ['declines 6/20 (exactly 30 %)', sample('declines', 6, 20), false],
    ['declines 19/19: too few', sample('declines', 19, 19), false],
    // usefulness: under 45 % on at least 30 answers
    ['useful 13/30 (43 %)', sample('usefulness', 13, 30), true],
    ['useful 14/30 (47 %)', sample('usefulness', 14, 30), false],
    ['useful 0/29: too few', sample('usefulness', 0, 29), false],
    ['useful 45/100 (exactly 45 %)', sample('usefulness', 45, 100), false],
    // take-charge deadline misses: more than 20 % on at least 20 requests
    ['misses 5/20 (25 %)', sample('deadline_misses', 5, 20), true],
    ['misses 4/20 (exactly 20 %)', sample('deadline_misses', 4, 20), false],
    ['misses 10/10: too few', sample('deadline_misses', 10, 10), false],
    ['nothing counted', sample('deadline_misses', 0, 0), false],
    // first answers past their deadline: more than 20 % on at least 20 answers
    ['late answers 6/20 (30 %)', sample('late_answers', 6, 20), true],
    ['late answers 4/20 (exactly 20 %)', sample('late_answers', 4, 20), false],
    ['late answers 19/19: too few', sample('late_answers', 19, 19), false],
  ])('%s → %s', (_label, s, expected) => {
    expect(crosses(s)).toBe(expected);
  });
});

describe('alertsOf', () => {
  it('keeps the crossings, networks first, the furthest past its threshold first, with the share', () => {
    const alerts = alertsOf([
      sample('declines', 7, 20, facilitator),
      sample('declines', 2, 50),
      sample('deadline_misses', 5, 20),
      sample('usefulness', 3, 30),
    ]);
    expect(alerts.map((a) => [a.subject.type, a.metric, a.share])).toEqual([
      ['network', 'usefulness', 0.1],
      ['network', 'deadline_misses', 0.25],
      ['facilitator', 'declines', 0.35],
    ]);
    expect(alerts[0].rule).toMatchObject({ threshold: 0.45, minSample: 30, direction: 'below' });
  });
});
