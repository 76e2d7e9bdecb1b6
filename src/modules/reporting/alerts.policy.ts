/**
 * When a network or a facilitator deserves the animators' attention (pure): each rule is a share over
 * the last quarter, a threshold and a minimum sample, so that two declines out of three never raise one.
 */

export const ALERT_METRICS = ['declines', 'usefulness', 'deadline_misses', 'late_answers'] as const;
export type AlertMetric = (typeof ALERT_METRICS)[number];

export interface AlertRule {
  /** 'above': alert when the share is strictly above the threshold; 'below': strictly under it. */
  direction: 'above' | 'below';
  threshold: number;
  minSample: number;
  /** French, completed by the share: « 35 % de refus ». */
  label: string;
  /** What the sample counts, in French (plural). */
  sampleLabel: string;
}

export const ALERT_RULES: Record<AlertMetric, AlertRule> = {
  declines: { direction: 'above', threshold: 0.3, minSample: 20, label: 'de refus', sampleLabel: 'attributions' },
  usefulness: { direction: 'below', threshold: 0.45, minSample: 30, label: 'de réponses jugées utiles', sampleLabel: 'réponses' },
  deadline_misses: {
    direction: 'above',
    threshold: 0.2,
    minSample: 20,
    label: 'de délais de prise en charge dépassés',
    sampleLabel: 'demandes',
  },
  late_answers: {
    direction: 'above',
    threshold: 0.2,
    minSample: 20,
    label: 'de premières réponses données après leur délai',
    sampleLabel: 'réponses',
  },
};

export interface AlertSubject {
  type: 'network' | 'facilitator';
  /** Network code, or facilitator id. */
  id: string;
  networkCode: string;
}

/** What was counted for one subject and one metric: `hits` among `sample` (declines, useful answers, misses). */
export interface AlertSample {
  subject: AlertSubject;
  metric: AlertMetric;
  hits: number;
  sample: number;
}

export interface Alert extends AlertSample {
  share: number;
  rule: AlertRule;
}

export function crosses(sample: AlertSample, rule: AlertRule = ALERT_RULES[sample.metric]): boolean {
  if (sample.sample < rule.minSample || sample.sample === 0) return false;
  const value = sample.hits / sample.sample;
  return rule.direction === 'above' ? value > rule.threshold : value < rule.threshold;
}

/** The samples that cross their rule, networks before facilitators, the furthest past the threshold first. */
export function alertsOf(samples: readonly AlertSample[]): Alert[] {
  return samples
    .filter((sample) => crosses(sample))
    .map((sample) => ({ ...sample, share: sample.hits / sample.sample, rule: ALERT_RULES[sample.metric] }))
    .sort(
      (a, b) =>
        (a.subject.type === b.subject.type ? 0 : a.subject.type === 'network' ? -1 : 1) ||
        Math.abs(b.share - b.rule.threshold) - Math.abs(a.share - a.rule.threshold),
    );
}
