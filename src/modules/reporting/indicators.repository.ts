import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ENVIRONMENTAL_CONSIDERATIONS, SOCIAL_CONSIDERATIONS, SurveyWave, Usefulness } from '../surveys/survey.types';
import type { AlertSample } from './alerts.policy';
import type { Period } from './indicators.policy';

export type PeriodName = 'current' | 'previous';
export type RequestDimension = 'status' | 'kind' | 'segment' | 'department';

/** Both periods at once: the previous one ends where the current one starts. */
export interface PeriodPair {
  current: Period;
  previous: Period;
}

export interface RequestCounts {
  totals: Array<{ period: PeriodName; n: number; misses: number }>;
  byDimension: Array<{ period: PeriodName; dimension: RequestDimension; code: string; n: number }>;
  takeCharge: Array<{ period: PeriodName; days: number; n: number }>;
  answer: Array<{ period: PeriodName; days: number; n: number }>;
}

export interface SurveyCounts {
  sent: Array<{ period: PeriodName; wave: SurveyWave; sent: number; completed: number }>;
  usefulness: Array<{ period: PeriodName; usefulness: Usefulness; n: number }>;
  contracts: Array<{ period: PeriodName; contracts: number; environmental: number; social: number }>;
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

/** GROUPING() bits of the request aggregate, in the order of its GROUP BY columns. */
const GROUPED_BY: Record<number, RequestDimension | 'total' | 'take_charge' | 'answer'> = {
  0b111111: 'total',
  0b011111: 'status',
  0b101111: 'kind',
  0b110111: 'segment',
  0b111011: 'department',
  0b111101: 'take_charge',
  0b111110: 'answer',
};

/**
 * The indicators' aggregates, counted by PostgreSQL over the stored milestones (never the history): each
 * reads one period pair in one scan of a covering index, and returns distributions small enough for the
 * policy to compute medians and shares.
 */
@Injectable()
export class IndicatorsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Requests submitted in either period, by status, kind, segment, département, and their durations. */
  async requestCounts(periods: PeriodPair, networkCode: string | null): Promise<RequestCounts> {
    const rows: Array<{ period: PeriodName; g: number; code: string | null; days: string | null; n: number; misses: number }> =
      await this.dataSource.query(
        `SELECT period, GROUPING(status, kind, segment_code, department_code, take_charge_working_days, answer_working_days) AS g,
                COALESCE(status, kind, segment_code, department_code) AS code,
                COALESCE(take_charge_working_days, answer_working_days) AS days,
                count(*)::int AS n, count(*) FILTER (WHERE deadline_misses > 0)::int AS misses
           FROM (SELECT CASE WHEN created_at >= ${START('$2')} THEN 'current' ELSE 'previous' END AS period, status, kind, segment_code,
                        department_code, take_charge_working_days, answer_working_days, deadline_misses
                   FROM requests
                  WHERE created_at >= ${START('$1')} AND created_at < ${END('$3')} ${networkCode ? 'AND network_code = $4' : ''}) r
          GROUP BY GROUPING SETS ((period), (period, status), (period, kind), (period, segment_code), (period, department_code),
                                  (period, take_charge_working_days), (period, answer_working_days))`,
        [periods.previous.from, periods.current.from, periods.current.to, ...(networkCode ? [networkCode] : [])],
      );
    const counts: RequestCounts = { totals: [], byDimension: [], takeCharge: [], answer: [] };
    for (const row of rows) {
      const grouped = GROUPED_BY[row.g];
      if (grouped === 'total') counts.totals.push({ period: row.period, n: row.n, misses: row.misses });
      else if (grouped === 'take_charge' || grouped === 'answer') {
        // Requests not (yet) taken in charge or answered have no duration.
        if (row.days !== null)
          counts[grouped === 'take_charge' ? 'takeCharge' : 'answer'].push({ period: row.period, days: Number(row.days), n: row.n });
      } else if (grouped && row.code !== null)
        counts.byDimension.push({ period: row.period, dimension: grouped, code: row.code, n: row.n });
    }
    return counts;
  }

  /**
   * Surveys: sent in either period with how many were completed (response rates); completed in either period
   * for usefulness (satisfaction) and the considerations of signed or published contracts (impact).
   */
  async surveyCounts(periods: PeriodPair, networkCode: string | null): Promise<SurveyCounts> {
    const params = [periods.previous.from, periods.current.from, periods.current.to, ...(networkCode ? [networkCode] : [])];
    const join = networkCode ? 'JOIN requests r ON r.id = s.request_id AND r.network_code = $4' : '';
    const periodOf = (column: string) => `CASE WHEN ${column} >= ${START('$2')} THEN 'current' ELSE 'previous' END`;
    const [sent, answers] = await Promise.all([
      this.dataSource.query(
        `SELECT ${periodOf('s.sent_at')} AS period, s.wave, count(*)::int AS sent, count(s.completed_at)::int AS completed
           FROM surveys s ${join}
          WHERE s.wave IN ('satisfaction', 'impact') AND s.sent_at >= ${START('$1')} AND s.sent_at < ${END('$3')}
          GROUP BY 1, 2`,
        params,
      ),
      this.dataSource.query(
        `SELECT ${periodOf('s.completed_at')} AS period, s.wave, s.usefulness, count(*)::int AS n,
                count(*) FILTER (WHERE s.contract_outcome = 'yes')::int AS contracts,
                count(*) FILTER (WHERE s.contract_outcome = 'yes' AND s.environmental_considerations && $${params.length + 1}::varchar[])::int AS environmental,
                count(*) FILTER (WHERE s.contract_outcome = 'yes' AND s.social_considerations && $${params.length + 2}::varchar[])::int AS social
           FROM surveys s ${join}
          WHERE s.wave IN ('satisfaction', 'impact') AND s.completed_at >= ${START('$1')} AND s.completed_at < ${END('$3')}
          GROUP BY 1, 2, 3`,
        [...params, considered(ENVIRONMENTAL_CONSIDERATIONS), considered(SOCIAL_CONSIDERATIONS)],
      ),
    ]);
    const rows = answers as Array<
      { period: PeriodName; wave: SurveyWave; usefulness: Usefulness | null } & Record<
        'n' | 'contracts' | 'environmental' | 'social',
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
        .map((r) => ({ period: r.period, contracts: r.contracts, environmental: r.environmental, social: r.social })),
    };
  }

  /**
   * What the alert rules count over `period`, per network and per facilitator: assignments and their declines and
   * missed deadlines (by the facilitator's network), satisfaction answers and the useful ones (by the request's
   * network), requests submitted and those whose take-charge deadline was missed.
   */
  async alertSamples(period: Period, networkCode: string | null): Promise<AlertSample[]> {
    const params = [period.from, period.to, ...(networkCode ? [networkCode] : [])];
    const [assignments, answers, requests] = await Promise.all([
      this.dataSource.query(
        `SELECT f.network_code AS "networkCode", a.facilitator_id AS "facilitatorId", count(*)::int AS n,
                count(*) FILTER (WHERE a.end_reason = 'declined')::int AS declines,
                count(*) FILTER (WHERE a.end_reason = 'deadline_missed')::int AS misses
           FROM request_assignments a JOIN facilitators f ON f.id = a.facilitator_id
          WHERE a.assigned_at >= ${START('$1')} AND a.assigned_at < ${END('$2')} ${networkCode ? 'AND f.network_code = $3' : ''}
          GROUP BY GROUPING SETS ((f.network_code), (f.network_code, a.facilitator_id))`,
        params,
      ),
      this.dataSource.query(
        `SELECT r.network_code AS "networkCode", s.facilitator_id AS "facilitatorId", GROUPING(s.facilitator_id) AS g,
                count(*)::int AS n, count(*) FILTER (WHERE s.usefulness = 'yes')::int AS useful
           FROM surveys s JOIN requests r ON r.id = s.request_id
          WHERE s.wave = 'satisfaction' AND s.completed_at >= ${START('$1')} AND s.completed_at < ${END('$2')}
                ${networkCode ? 'AND r.network_code = $3' : ''}
          GROUP BY GROUPING SETS ((r.network_code), (r.network_code, s.facilitator_id))`,
        params,
      ),
      this.dataSource.query(
        `SELECT network_code AS "networkCode", count(*)::int AS n, count(*) FILTER (WHERE deadline_misses > 0)::int AS misses
           FROM requests
          WHERE created_at >= ${START('$1')} AND created_at < ${END('$2')} ${networkCode ? 'AND network_code = $3' : ''}
          GROUP BY network_code`,
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
    for (const row of answers as Array<{ networkCode: string; facilitatorId: string | null; g: number; n: number; useful: number }>) {
      // Answers of requests nobody answered by name (facilitator unknown) count for the network only.
      if (row.g === 0 && !row.facilitatorId) continue;
      const subject =
        row.g === 0
          ? { type: 'facilitator' as const, id: row.facilitatorId!, networkCode: row.networkCode }
          : { type: 'network' as const, id: row.networkCode, networkCode: row.networkCode };
      samples.push({ subject, metric: 'usefulness', hits: row.useful, sample: row.n });
    }
    for (const row of requests as Array<{ networkCode: string; n: number; misses: number }>) {
      samples.push({
        subject: { type: 'network', id: row.networkCode, networkCode: row.networkCode },
        metric: 'deadline_misses',
        hits: row.misses,
        sample: row.n,
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
