import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { Clock, parisDay } from '../../common/clock';
import { PromiseCache } from '../../common/promise-cache';
import { NotFound, ValidationFailed } from '../../common/errors/app-errors';
import { queryProblems, READ_ELSEWHERE } from '../../common/query-parameters';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { ReferenceService } from '../reference/reference.service';
import { isRequestKind, KIND_LABELS, REQUEST_KINDS, REQUEST_STATUSES, STAFF_STATUS_LABELS } from '../requests/request.types';
import { USEFULNESS_LABELS } from '../surveys/survey-labels';
import { WAVE_LABELS } from './evaluation-labels';
import { SURVEY_WAVES, USEFULNESS } from '../surveys/survey.types';
import { Alert, AlertSample, alertsOf } from './alerts.policy';
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
  Period,
  periodShortcuts,
  PLAN_TARGETS,
  previousPeriod,
  share,
  shareWithin,
} from './indicators.policy';
import { milestoneOf } from '../requests/milestone.policy';
import type { IndicatorsDashboardDto } from './dto/indicators-dashboard.dto';
import type { PublicStatisticsDto } from './dto/public-statistics.dto';
import { FiguresScope, IndicatorsRepository, PeriodName, PeriodPair, RequestMilestoneTimes } from './indicators.repository';

/** `network` as asked: a network code, `national` (admins), or nothing (the person's default). */
export interface IndicatorsQuery {
  network?: unknown;
  /** `environmental` or `social_clause`; absent or empty: both. */
  kind?: unknown;
  from?: unknown;
  to?: unknown;
}

/** Field names of the period, as the page's form or the API calls them (errors name them). */
export type PeriodFields = { from: string; to: string };
/** The period's fields as the page's form (and its CSV export's link) name them. */
export const PAGE_PERIOD_FIELDS: PeriodFields = { from: 'du', to: 'au' };
/** Every parameter of the dashboard, as a query names it. */
export type QueryFields = PeriodFields & { network: string; kind: string };
export const API_QUERY_FIELDS: QueryFields = { network: 'network', kind: 'kind', from: 'from', to: 'to' };
/** The page's form's names, which its CSV export's link keeps. */
export const PAGE_QUERY_FIELDS: QueryFields = { network: 'reseau', kind: 'type', ...PAGE_PERIOD_FIELDS };

/** `network` value for every network at once (admins); not a network code (one network is called `national`). */
export const ALL_NETWORKS = 'all';
const BACKFILL_BATCH = 2000;
/** How long one process serves the public statistics before counting again. */
const PUBLIC_STATISTICS_CACHE_MS = 15 * 60_000;

/**
 * The desk's indicators for one network (or the whole country, admins only) over a period, beside the previous
 * period of the same length, with the alerts of the last full quarter. Facilitators have none: the dashboard is
 * the animators' review tool, and every figure would be about their colleagues (404, as for any staff page
 * a role may not see).
 */
@Injectable()
export class IndicatorsService {
  /** Alert samples per quarter and scope: the quarter is closed, its figures move little, and they cost a third of a dashboard. */
  private readonly alertCache = new PromiseCache<AlertSample[]>();
  /** The public statistics, by first day of their year. */
  private readonly publicCache = new PromiseCache<PublicStatisticsDto>();

  constructor(
    private readonly indicators: IndicatorsRepository,
    private readonly reference: ReferenceService,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** The networks this person may choose, national first for admins; NotFound for facilitators. */
  choices(staff: StaffPrincipal): Array<{ value: string; label: string }> {
    if (staff.role === 'facilitator') throw new NotFound();
    const networks = staff.role === 'admin' ? this.reference.allNetworks().map((n) => n.code) : staff.networkCodes;
    return [
      ...(staff.role === 'admin' ? [{ value: ALL_NETWORKS, label: 'Tous les réseaux' }] : []),
      ...networks.map((code) => ({ value: code, label: this.networkName(code) })),
    ];
  }

  /** Which network the person asked for, as a code (null: national); NotFound for what they may not see. */
  scope(staff: StaffPrincipal, network: unknown): string | null {
    const choices = this.choices(staff);
    const asked = typeof network === 'string' && network.trim() !== '' ? network.trim() : choices[0]?.value;
    if (!asked || !choices.some((c) => c.value === asked)) throw new NotFound();
    return asked === ALL_NETWORKS ? null : asked;
  }

  /** The period asked for, or the last full quarter; ValidationFailed names the fields as given. */
  period(query: IndicatorsQuery, fields: PeriodFields): Period {
    const { period, errors } = parsePeriod(query.from, query.to, this.today(), fields);
    if (errors.length) throw new ValidationFailed(errors);
    return period;
  }

  /**
   * The dashboard for a program (the API, a CSV export), its query named `fields` and read strictly: an unknown code,
   * an unknown or repeated parameter is a field error (400); a network known but not the person's stays a 404 (scope).
   * `readElsewhere`: other parameters the route takes.
   */
  strictDashboard(
    staff: StaffPrincipal,
    query: Record<string, unknown>,
    fields: QueryFields,
    ...readElsewhere: string[]
  ): Promise<IndicatorsDashboardDto> {
    const problems = queryProblems(query, {
      [fields.network]: {
        accepts: (code) => code === ALL_NETWORKS || this.reference.knownCodes.isNetwork(code),
        message: `Réseau inconnu : code attendu, par exemple aura-ee, ou « ${ALL_NETWORKS} ».`,
      },
      [fields.kind]: { accepts: (code) => isRequestKind(code), message: `Valeurs possibles : ${REQUEST_KINDS.join(', ')}.` },
      // Judged with the period (parsePeriod), in the same words as the page's.
      [fields.from]: READ_ELSEWHERE,
      [fields.to]: READ_ELSEWHERE,
      ...Object.fromEntries(readElsewhere.map((name) => [name, READ_ELSEWHERE])),
    });
    if (problems.length) throw new ValidationFailed(problems);
    const [network, kind, from, to] = [fields.network, fields.kind, fields.from, fields.to].map((name) => query[name]);
    return this.dashboard(staff, { network, kind, from, to }, fields);
  }

  async dashboard(staff: StaffPrincipal, query: IndicatorsQuery, fields: PeriodFields): Promise<IndicatorsDashboardDto> {
    const networkCode = this.scope(staff, query.network);
    const kind = isRequestKind(query.kind) ? query.kind : null;
    const current = this.period(query, fields);
    const alertPeriod = lastFullQuarter(this.today());
    // Alerts are about people and networks whatever the kind of question: the quarter's, unfiltered.
    const [figures, samples] = await Promise.all([
      this.figures(current, { networkCode, kind }),
      this.alertSamples(alertPeriod, networkCode),
    ]);
    return {
      scope: {
        network: networkCode,
        kind,
        label: `${networkCode ? this.networkName(networkCode) : 'Tous les réseaux'}${kind ? ` — ${KIND_LABELS[kind]}` : ''}`,
      },
      ...figures,
      alerts: { period: alertPeriod, items: await this.describe(alertsOf(samples), alertPeriod) },
    };
  }

  /**
   * The whole desk's figures over the last twelve complete months, for everyone (the State's services publish theirs):
   * national totals only, no network, département or person, so that no figure points at anyone. Kept a while per
   * process: the months are closed, and the page needs no sign-in.
   */
  publicStatistics(): Promise<PublicStatisticsDto> {
    const period = lastTwelveMonths(this.today());
    return this.publicCache.get(period.from, PUBLIC_STATISTICS_CACHE_MS, () =>
      Promise.all([
        this.figures(period, { networkCode: null, kind: null }),
        this.indicators.monthlyCounts(previousPeriod(period).from, period.to),
      ]).then(([{ period: year, previousPeriod: yearBefore, requests, timings, surveys }, monthly]) => ({
        // Named one by one: a figure added to the dashboard stays off the public page until chosen for it.
        period: year,
        previousPeriod: yearBefore,
        requests: { total: requests.total, byKind: requests.byKind, byMonth: monthByMonth(period, monthly) },
        timings: {
          takeChargeMedianDays: timings.takeChargeMedianDays,
          answerMedianDays: timings.answerMedianDays,
          takenWithin2Days: timings.takenWithin2Days,
          answeredOnTime: timings.answeredOnTime,
          answerDeadlineDays: timings.answerDeadlineDays,
        },
        surveys: {
          answers: surveys.answers,
          usefulness: surveys.usefulness,
          contracts: surveys.contracts,
          environmental: surveys.environmental,
          social: surveys.social,
        },
      })),
    );
  }

  private async figures(current: Period, scope: FiguresScope) {
    const periods: PeriodPair = { current, previous: previousPeriod(current) };
    const [requests, surveys] = await Promise.all([
      this.indicators.requestCounts(periods, scope),
      this.indicators.surveyCounts(periods, scope),
    ]);
    const both = <T>(of: (period: PeriodName) => T) => ({ current: of('current'), previous: of('previous') });
    const total = both((p) => requests.totals.find((t) => t.period === p)?.n ?? 0);
    const misses = both((p) => requests.totals.find((t) => t.period === p)?.misses ?? 0);
    const durations = (rows: Array<{ period: PeriodName; days: number; n: number }>) =>
      both((p): DurationCount[] => rows.filter((r) => r.period === p));
    const taken = durations(requests.takeCharge);
    const answered = durations(requests.answer);
    const dimension = (name: 'status' | 'kind' | 'segment' | 'department', codes: readonly string[], label: (code: string) => string) =>
      countsByCode(
        codes,
        requests.byDimension.filter((r) => r.dimension === name),
      ).map((row) => ({ ...row, label: label(row.code) }));
    const sum = <R>(rows: R[], of: (row: R) => number) => rows.reduce((total, row) => total + of(row), 0);
    const onTime = both((p) => {
      const judged = requests.answer.filter((a) => a.period === p && a.onTime !== null);
      const count = (rows: typeof judged) => sum(rows, (a) => a.n);
      return share(count(judged.filter((a) => a.onTime)), count(judged));
    });
    const usefulnessTotal = both((p) =>
      sum(
        surveys.usefulness.filter((u) => u.period === p),
        (u) => u.n,
      ),
    );
    const contracts = both((p) => surveys.contracts.filter((c) => c.period === p));
    // Against the PNAD's targets, public contracts only; the environmental share over the surveys that ask it.
    const considerationShare = (key: 'environmental' | 'social', base: 'environmentalAsked' | 'publicContracts', target: number) => {
      const counts = both((p) => ({ hits: sum(contracts[p], (c) => c[key]), base: sum(contracts[p], (c) => c[base]) }));
      const shares = both((p) => share(counts[p].hits, counts[p].base));
      // The counts shown beside the share: a share of one contract is no sign of anything.
      return {
        ...figure(shares.current, shares.previous),
        hits: both((p) => counts[p].hits),
        base: both((p) => counts[p].base),
        ...againstTarget(shares.current, counts.current.base, target),
      };
    };

    return {
      period: current,
      previousPeriod: periods.previous,
      requests: {
        total: figure(total.current, total.previous),
        byStatus: dimension('status', REQUEST_STATUSES, (code) => STAFF_STATUS_LABELS[code as keyof typeof STAFF_STATUS_LABELS] ?? code),
        byKind: dimension('kind', REQUEST_KINDS, (code) => KIND_LABELS[code as keyof typeof KIND_LABELS] ?? code),
        bySegment: dimension(
          'segment',
          this.reference.allSegments().map((s) => s.code),
          (code) => this.reference.segmentLabel(code),
        ),
        // Only the départements that had requests in either period: 101 rows of zeros help nobody.
        byDepartment: dimension('department', [], (code) => this.reference.departmentLabel(code)).sort((a, b) =>
          a.code.localeCompare(b.code),
        ),
      },
      timings: {
        takeChargeMedianDays: figure(medianOf(taken.current), medianOf(taken.previous)),
        answerMedianDays: figure(medianOf(answered.current), medianOf(answered.previous)),
        takenWithin2Days: figure(shareWithin(taken.current, 2), shareWithin(taken.previous, 2)),
        takenWithin5Days: figure(shareWithin(taken.current, 5), shareWithin(taken.previous, 5)),
        answeredOnTime: figure(onTime.current, onTime.previous),
        answerDeadlineDays: this.config.ANSWER_WORKING_DAYS,
        deadlineMisses: figure(misses.current, misses.previous),
        deadlineMissShare: figure(share(misses.current, total.current), share(misses.previous, total.previous)),
      },
      surveys: {
        responseRates: SURVEY_WAVES.map((wave) => {
          const rows = both((p) => surveys.sent.find((s) => s.period === p && s.wave === wave));
          return {
            code: wave,
            label: WAVE_LABELS[wave],
            sent: figure(rows.current?.sent ?? 0, rows.previous?.sent ?? 0),
            declined: figure(rows.current?.declined ?? 0, rows.previous?.declined ?? 0),
            ...figure(
              share(rows.current?.completed ?? 0, rows.current?.sent ?? 0),
              share(rows.previous?.completed ?? 0, rows.previous?.sent ?? 0),
            ),
          };
        }),
        answers: figure(usefulnessTotal.current, usefulnessTotal.previous),
        usefulness: USEFULNESS.map((code) => {
          const n = both((p) => surveys.usefulness.find((u) => u.period === p && u.usefulness === code)?.n ?? 0);
          return {
            code,
            label: USEFULNESS_LABELS[code],
            ...figure(share(n.current, usefulnessTotal.current), share(n.previous, usefulnessTotal.previous)),
          };
        }),
        contracts: figure(
          sum(contracts.current, (c) => c.contracts),
          sum(contracts.previous, (c) => c.contracts),
        ),
        // A social-clause request's survey asks no environmental consideration: no share to show, nor target.
        ...(scope.kind === 'social_clause'
          ? {}
          : { environmental: considerationShare('environmental', 'environmentalAsked', PLAN_TARGETS.environmental) }),
        social: considerationShare('social', 'publicContracts', PLAN_TARGETS.social),
        insertionHours: figure(
          sum(contracts.current, (c) => c.insertionHours),
          sum(contracts.previous, (c) => c.insertionHours),
        ),
      },
    };
  }

  /**
   * Working days of the requests taken in charge or answered before they were stored (see migration
   * RequestMilestones), in batches; idempotent. Returns how many requests were filled.
   */
  async backfillDurations(onBatch: (filled: number) => void = () => undefined): Promise<number> {
    let after = '00000000-0000-0000-0000-000000000000';
    let filled = 0;
    for (;;) {
      const rows = await this.indicators.durationsToFill(after, BACKFILL_BATCH);
      if (!rows.length) return filled;
      const days = (at: Date | null, kind: 'taken' | 'answered', row: RequestMilestoneTimes) =>
        at ? milestoneOf(kind, row, at).workingDays : null;
      await this.indicators.fillDurations(
        rows.map((row) => ({ id: row.id, take: days(row.takenAt, 'taken', row), answer: days(row.answeredAt, 'answered', row) })),
      );
      filled += rows.length;
      after = rows[rows.length - 1].id;
      onBatch(filled);
    }
  }

  private alertSamples(period: Period, networkCode: string | null): Promise<AlertSample[]> {
    return this.alertCache.get(`${period.from}:${networkCode ?? ALL_NETWORKS}`, this.config.INDICATORS_ALERTS_CACHE_SECONDS * 1000, () =>
      this.indicators.alertSamples(period, networkCode),
    );
  }

  /** Who crossed what, in words, with the list to look at. */
  private async describe(alerts: Alert[], period: Period) {
    const names = await this.indicators.facilitatorNames(alerts.filter((a) => a.subject.type === 'facilitator').map((a) => a.subject.id));
    return alerts.map((alert) => {
      const { subject, metric } = alert;
      const network = this.networkName(subject.networkCode);
      const name = subject.type === 'network' ? `Réseau ${network}` : `${names.get(subject.id) ?? 'Facilitateur'} (${network})`;
      return {
        subject: { type: subject.type, id: subject.id, networkCode: subject.networkCode, name },
        metric,
        share: alert.share,
        hits: alert.hits,
        sample: alert.sample,
        threshold: alert.rule.threshold,
        minSample: alert.rule.minSample,
        direction: alert.rule.direction,
        label: alert.rule.label,
        sampleLabel: alert.rule.sampleLabel,
        link: alertLink(alert, period),
      };
    });
  }

  private networkName(code: string): string {
    return this.reference.network(code)?.name ?? code;
  }

  /** The one-click periods of the page, as of today. */
  periodShortcuts(): ReturnType<typeof periodShortcuts> {
    return periodShortcuts(this.today());
  }

  private today(): string {
    return parisDay(this.clock.now());
  }
}

/** The list behind an alert: the evaluations for usefulness, the facilitators' load page otherwise. */
function alertLink(alert: Alert, period: Period): string {
  if (alert.metric === 'late_answers') {
    // The answers still due past their deadline, to act on now (the workspace queue's own filter names).
    return alert.subject.type === 'facilitator' ? `/espace?late=1&facilitator=${alert.subject.id}` : '/espace?late=1';
  }
  if (alert.metric !== 'usefulness') return '/espace/facilitateurs';
  // The evaluation list's own filter names (evaluations.policy.ts on the review side).
  const params = new URLSearchParams({ du: period.from, au: period.to, wave: 'satisfaction', reseau: alert.subject.networkCode });
  if (alert.subject.type === 'facilitator') params.set('facilitator', alert.subject.id);
  return `/espace/evaluations?${params.toString()}`;
}
