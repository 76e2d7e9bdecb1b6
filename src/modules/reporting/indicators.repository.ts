import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { RequestKind } from '../requests/request.types';
import { ENVIRONMENTAL_CONSIDERATIONS, SOCIAL_CONSIDERATIONS, SurveyWave, Usefulness } from '../surveys/survey.types';
import type { AlertSample } from './alerts.policy';
import type { Period } from './indicators.policy';

export type PeriodName = 'current' | 'previous';
export type RequestDimension = 'status' | 'kind' | 'segment' | 'department';

/** Both periods at once, read in one range; the previous one may end before the current one starts (a year so far). */
export interface PeriodPair {
  current: Period;
  previous: Period;
}

export interface RequestCounts {
  totals: Array<{ period: PeriodName; n: number; misses: number }>;
  byDimension: Array<{ period: PeriodName; dimension: RequestDimension; code: string; n: number }>;
  takeCharge: Array<{ period: PeriodName; days: number; n: number }>;
  /** onTime: whether those first answers came within their deadline (null: no deadline known). */
  answer: Array<{ period: PeriodName; days: number; onTime: boolean | null; n: number }>;
}

export interface SurveyCounts {
  sent: Array<{ period: PeriodName; wave: SurveyWave; sent: number; completed: number; declined: number }>;
  usefulness: Array<{ period: PeriodName; usefulness: Usefulness; n: number }>;
  /**
   * `publicContracts`: those of buyers under the public-procurement code, the ones the PNAD targets are about (the social
   * share's base); `environmentalAsked`: those of them whose survey asks the environmental considerations (the
   * environmental share's base: an environmental request's). `environmental` and `social` count within those bases.
   */
  contracts: Array<
    { period: PeriodName } & Record<
      'contracts' | 'publicContracts' | 'environmentalAsked' | 'environmental' | 'social' | 'insertionHours',
      number
    >
  >;
}

export interface RequestMilestoneTimes {
  id: string;
  createdAt: Date;
  departmentCode: string;
  takenAt: Date | null;
  answeredAt: Date | null;
}

/** A Paris calendar day as the instant it starts (and the day after `to`, as the exclusive end). */
const START = (param: string) => `(${param}::date)::timestamp AT TIME ZONE 'Europe/Paris'`;
const END = (param: string) => `(${param}::date + 1)::timestamp AT TIME ZONE 'Europe/Paris'`;
/**
 * `column` within either period ($1–$4: previous from, current from, current to, previous to): one range the index
 * serves, less the gap between them — a year so far reads against the same stretch of last year, not all that followed.
 */
const inEither = (column: string) =>
  `${column} >= ${START('$1')} AND ${column} < ${END('$3')} AND (${column} >= ${START('$2')} OR ${column} < ${END('$4')})`;

/** GROUPING() bits of the category roll-up, in the order of its arguments (1: not grouped by that column). */
const GROUPED_BY: Record<number, RequestDimension | 'total'> = {
  0b1111: 'total',
  0b0111: 'status',
  0b1011: 'kind',
  0b1101: 'segment',
  0b1110: 'department',
};

/**
 * Settings for the dashboard's aggregates, for their transaction only: JIT compiling costs more than it saves on
 * these sub-second queries, and grouping a year of requests in memory beats sorting it on disk.
 */
const AGGREGATE_SETTINGS = `SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true)`;

/**
 * The indicators' aggregates, counted by PostgreSQL over the stored milestones (never the history): each
 * reads one period pair in one scan of a covering index, and returns distributions small enough for the
 * policy to compute medians and shares.
 */
/** Whose figures: a network's (null: all) and a kind of question's (null: both). */
export interface FiguresScope {
  networkCode: string | null;
  kind: RequestKind | null;
}

/** `AND …` on the request's network and kind as the scope asks, their values appended to `params`. */
function scopeConditions(scope: FiguresScope, params: unknown[], alias: string): string {
  const conditions: string[] = [];
  if (scope.networkCode) conditions.push(`AND ${alias}network_code = $${params.push(scope.networkCode)}`);
  if (scope.kind) conditions.push(`AND ${alias}kind = $${params.push(scope.kind)}`);
  return conditions.join(' ');
}

@Injectable()
export class IndicatorsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Requests submitted in either period, by status, kind, segment, département, and their durations. Two scans
   * that PostgreSQL runs in parallel: the categories grouped first (a few thousand rows), then rolled up; the
   * take-charge and answer times as two histograms.
   */
  async requestCounts(periods: PeriodPair, scope: FiguresScope): Promise<RequestCounts> {
    const params: unknown[] = [periods.previous.from, periods.current.from, periods.current.to, periods.previous.to];
    const inPeriods = `${inEither('created_at')} ${scopeConditions(scope, params, '')}`;
    const period = `CASE WHEN created_at >= ${START('$2')} THEN 'current' ELSE 'previous' END`;
    const [categories, durations] = await Promise.all([
      this.read<{ period: PeriodName; g: number; code: string | null; n: number; misses: number }>(
        `SELECT period, GROUPING(status, kind, segment_code, department_code) AS g, COALESCE(status, kind, segment_code, department_code) AS code,
                sum(n)::int AS n, sum(misses)::int AS misses
           FROM (SELECT ${period} AS period, status, kind, segment_code, department_code,
                        count(*) AS n, count(*) FILTER (WHERE deadline_misses > 0) AS misses
                   FROM requests WHERE ${inPeriods}
                  GROUP BY 1, 2, 3, 4, 5) r
          GROUP BY GROUPING SETS ((period), (period, status), (period, kind), (period, segment_code), (period, department_code))`,
        params,
      ),
      this.read<{ period: PeriodName; measure: 'take_charge' | 'answer'; days: string; onTime: boolean | null; n: number }>(
        `SELECT ${period} AS period, 'take_charge' AS measure, take_charge_working_days AS days, NULL::boolean AS "onTime", count(*)::int AS n
           FROM requests WHERE ${inPeriods} AND take_charge_working_days IS NOT NULL GROUP BY 1, 3
         UNION ALL
         SELECT ${period}, 'answer', answer_working_days, answered_on_time, count(*)::int
           FROM requests WHERE ${inPeriods} AND answer_working_days IS NOT NULL GROUP BY 1, 3, 4`,
        params,
      ),
    ]);
    const counts: RequestCounts = { totals: [], byDimension: [], takeCharge: [], answer: [] };
    for (const row of categories) {
      const grouped = GROUPED_BY[row.g];
      if (grouped === 'total') counts.totals.push({ period: row.period, n: row.n, misses: row.misses });
      else if (grouped && row.code !== null) counts.byDimension.push({ period: row.period, dimension: grouped, code: row.code, n: row.n });
    }
    for (const row of durations) {
      const duration = { period: row.period, days: Number(row.days), n: row.n };
      if (row.measure === 'take_charge') counts.takeCharge.push(duration);
      else counts.answer.push({ ...duration, onTime: row.onTime });
    }
    return counts;
  }

  /** Requests received each calendar month (Paris time) from `from` to `to` included, national: `YYYY-MM` and a count. */
  monthlyCounts(from: string, to: string): Promise<Array<{ month: string; n: number }>> {
    return this.read(
      `SELECT to_char(created_at AT TIME ZONE 'Europe/Paris', 'YYYY-MM') AS month, count(*)::int AS n
         FROM requests WHERE created_at >= ${START('$1')} AND created_at < ${END('$2')}
        GROUP BY 1 ORDER BY 1`,
      [from, to],
    );
  }

  /**
   * Surveys: sent in either period with how many were completed (response rates) or declined; completed in either period
   * for usefulness (satisfaction) and the considerations of signed or published contracts (impact).
   */
  async surveyCounts(periods: PeriodPair, scope: FiguresScope): Promise<SurveyCounts> {
    const params: unknown[] = [periods.previous.from, periods.current.from, periods.current.to, periods.previous.to];
    const conditions = scopeConditions(scope, params, 'r.');
    const join = conditions ? `JOIN requests r ON r.id = s.request_id ${conditions}` : '';
    // The contracts read the request's organisation type and kind, whatever the scope.
    const publicContract = `s.contract_outcome = 'yes' AND r.organisation_type <> 'private_not_subject'`;
    const asksEnvironmental = `${publicContract} AND r.kind = 'environmental'`;
    const periodOf = (column: string) => `CASE WHEN ${column} >= ${START('$2')} THEN 'current' ELSE 'previous' END`;
    const [sent, answers] = await Promise.all([
      this.read<SurveyCounts['sent'][number]>(
        `SELECT ${periodOf('s.sent_at')} AS period, s.wave, count(*)::int AS sent, count(s.completed_at)::int AS completed,
                count(*) FILTER (WHERE s.status = 'declined')::int AS declined
           FROM surveys s ${join}
          WHERE s.wave IN ('satisfaction', 'impact') AND ${inEither('s.sent_at')}
          GROUP BY 1, 2`,
        params,
      ),
      this.read<
        { period: PeriodName; wave: SurveyWave; usefulness: Usefulness | null } & Record<
          'n' | 'contracts' | 'publicContracts' | 'environmentalAsked' | 'environmental' | 'social' | 'insertionHours',
          number
        >
      >(
        `SELECT ${periodOf('s.completed_at')} AS period, s.wave, s.usefulness, count(*)::int AS n,
                count(*) FILTER (WHERE s.contract_outcome = 'yes')::int AS contracts,
                count(*) FILTER (WHERE ${publicContract})::int AS "publicContracts",
                count(*) FILTER (WHERE ${asksEnvironmental})::int AS "environmentalAsked",
                count(*) FILTER (WHERE ${asksEnvironmental} AND s.environmental_considerations && $${params.length + 1}::varchar[])::int AS environmental,
                count(*) FILTER (WHERE ${publicContract} AND s.social_considerations && $${params.length + 2}::varchar[])::int AS social,
                COALESCE(sum(s.insertion_hours) FILTER (WHERE s.contract_outcome = 'yes'), 0)::int AS "insertionHours"
           FROM surveys s JOIN requests r ON r.id = s.request_id ${conditions}
          WHERE s.wave IN ('satisfaction', 'impact') AND ${inEither('s.completed_at')}
          GROUP BY 1, 2, 3`,
        [...params, considered(ENVIRONMENTAL_CONSIDERATIONS), considered(SOCIAL_CONSIDERATIONS)],
      ),
    ]);
    const rows = answers as Array<
      { period: PeriodName; wave: SurveyWave; usefulness: Usefulness | null } & Record<
        'n' | 'contracts' | 'publicContracts' | 'environmentalAsked' | 'environmental' | 'social' | 'insertionHours',
        number
      >
    >;
    return {
      sent,
      usefulness: rows
        .filter((r) => r.wave === 'satisfaction' && r.usefulness)
        .map((r) => ({ period: r.period, usefulness: r.usefulness!, n: r.n })),
      contracts: rows
        .filter((r) => r.wave === 'impact')
        .map(({ period, contracts, publicContracts, environmentalAsked, environmental, social, insertionHours }) => ({
          period,
          contracts,
          publicContracts,
          environmentalAsked,
          environmental,
          social,
          insertionHours,
        })),
    };
  }

  /**
   * What the alert rules count over `period`, per network and per facilitator: assignments and their declines and
   * missed deadlines, satisfaction answers and the useful ones (both by the facilitator's network: a small table to
   * join, not one lookup per row), requests submitted and those whose take-charge deadline was missed, and first
   * answers past their deadline (a facilitator's: those given while they held the request, answer_holder_id).
   */
  async alertSamples(period: Period, networkCode: string | null): Promise<AlertSample[]> {
    const params = [period.from, period.to, ...(networkCode ? [networkCode] : [])];
    const [assignments, answers, requests, lateByFacilitator] = await Promise.all([
      this.read<{ networkCode: string; facilitatorId: string | null; n: number; declines: number; misses: number }>(
        `SELECT f.network_code AS "networkCode", a.facilitator_id AS "facilitatorId", count(*)::int AS n,
                count(*) FILTER (WHERE a.end_reason = 'declined')::int AS declines,
                count(*) FILTER (WHERE a.end_reason = 'deadline_missed')::int AS misses
           FROM request_assignments a JOIN facilitators f ON f.id = a.facilitator_id
          WHERE a.assigned_at >= ${START('$1')} AND a.assigned_at < ${END('$2')} ${networkCode ? 'AND f.network_code = $3' : ''}
          GROUP BY GROUPING SETS ((f.network_code), (f.network_code, a.facilitator_id))`,
        params,
      ),
      this.read<{ networkCode: string; facilitatorId: string | null; g: number; n: number; useful: number }>(
        `SELECT f.network_code AS "networkCode", s.facilitator_id AS "facilitatorId", GROUPING(s.facilitator_id) AS g,
                count(*)::int AS n, count(*) FILTER (WHERE s.usefulness = 'yes')::int AS useful
           FROM surveys s JOIN facilitators f ON f.id = s.facilitator_id
          WHERE s.wave = 'satisfaction' AND s.completed_at >= ${START('$1')} AND s.completed_at < ${END('$2')}
                ${networkCode ? 'AND f.network_code = $3' : ''}
          GROUP BY GROUPING SETS ((f.network_code), (f.network_code, s.facilitator_id))`,
        params,
      ),
      this.read<{ networkCode: string; n: number; misses: number; judged: number; late: number }>(
        `SELECT network_code AS "networkCode", count(*)::int AS n, count(*) FILTER (WHERE deadline_misses > 0)::int AS misses,
                count(answered_on_time)::int AS judged, count(*) FILTER (WHERE NOT answered_on_time)::int AS late
           FROM requests
          WHERE created_at >= ${START('$1')} AND created_at < ${END('$2')} ${networkCode ? 'AND network_code = $3' : ''}
          GROUP BY network_code`,
        params,
      ),
      this.read<{ networkCode: string; facilitatorId: string; judged: number; late: number }>(
        `SELECT f.network_code AS "networkCode", r.answer_holder_id AS "facilitatorId",
                count(*)::int AS judged, count(*) FILTER (WHERE NOT r.answered_on_time)::int AS late
           FROM requests r JOIN facilitators f ON f.id = r.answer_holder_id
          WHERE r.created_at >= ${START('$1')} AND r.created_at < ${END('$2')} AND r.answered_on_time IS NOT NULL
                ${networkCode ? 'AND f.network_code = $3' : ''}
          GROUP BY 1, 2`,
        params,
      ),
    ]);
    const samples: AlertSample[] = [];
    for (const row of assignments as Array<{
      networkCode: string;
      facilitatorId: string | null;
      n: number;
      declines: number;
      misses: number;
    }>) {
      const subject = row.facilitatorId
        ? { type: 'facilitator' as const, id: row.facilitatorId, networkCode: row.networkCode }
        : { type: 'network' as const, id: row.networkCode, networkCode: row.networkCode };
      samples.push({ subject, metric: 'declines', hits: row.declines, sample: row.n });
      // A network's missed deadlines are counted on its requests (below); a facilitator's on their assignments.
      if (row.facilitatorId) samples.push({ subject, metric: 'deadline_misses', hits: row.misses, sample: row.n });
    }
    for (const row of answers) {
      const subject =
        row.g === 0
          ? { type: 'facilitator' as const, id: row.facilitatorId!, networkCode: row.networkCode }
          : { type: 'network' as const, id: row.networkCode, networkCode: row.networkCode };
      samples.push({ subject, metric: 'usefulness', hits: row.useful, sample: row.n });
    }
    for (const row of requests) {
      const subject = { type: 'network' as const, id: row.networkCode, networkCode: row.networkCode };
      samples.push({ subject, metric: 'deadline_misses', hits: row.misses, sample: row.n });
      samples.push({ subject, metric: 'late_answers', hits: row.late, sample: row.judged });
    }
    for (const row of lateByFacilitator) {
      samples.push({
        subject: { type: 'facilitator', id: row.facilitatorId, networkCode: row.networkCode },
        metric: 'late_answers',
        hits: row.late,
        sample: row.judged,
      });
    }
    return samples;
  }

  /** Requests whose first take-charge or answer time is known but not yet its working days (rows older than the columns), by id. */
  durationsToFill(afterId: string, limit: number): Promise<RequestMilestoneTimes[]> {
    return this.dataSource.query(
      `SELECT id, created_at AS "createdAt", department_code AS "departmentCode", taken_at AS "takenAt", answered_at AS "answeredAt"
         FROM requests
        WHERE id > $1 AND ((taken_at IS NOT NULL AND take_charge_working_days IS NULL) OR (answered_at IS NOT NULL AND answer_working_days IS NULL))
        ORDER BY id LIMIT $2`,
      [afterId, limit],
    );
  }

  /** Fills only what is still empty: running twice, or beside the live statements, changes nothing. */
  async fillDurations(rows: Array<{ id: string; take: number | null; answer: number | null }>): Promise<void> {
    await this.dataSource.query(
      `UPDATE requests r SET take_charge_working_days = COALESCE(r.take_charge_working_days, d.take),
              answer_working_days = COALESCE(r.answer_working_days, d.answer)
         FROM unnest($1::uuid[], $2::numeric[], $3::numeric[]) AS d(id, take, answer) WHERE r.id = d.id`,
      [rows.map((r) => r.id), rows.map((r) => r.take), rows.map((r) => r.answer)],
    );
  }

  /** One aggregate in its own transaction, for the settings (its own pooled connection: the dashboard's queries run side by side). */
  private read<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(AGGREGATE_SETTINGS);
      return manager.query(sql, params) as Promise<T[]>;
    });
  }

  async facilitatorNames(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows: Array<{ id: string; name: string }> = await this.dataSource.query(
      `SELECT id, first_name || ' ' || last_name AS name FROM facilitators WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}

/** The considerations that count as "at least one" (anything but `none`). */
function considered(vocabulary: readonly string[]): string[] {
  return vocabulary.filter((code) => code !== 'none');
}
