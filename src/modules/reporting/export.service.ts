import { Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-errors';
import type { KnownCodes } from '../../common/query-parameters';
import { scrubPersonalData } from '../../common/logging/logger';
import { LOGGER } from '../../common/logging/logging.module';
import { AppConfig } from '../../config/app-config';
import { SqlStatement } from '../../database/sql-statement';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { visibleNetworks } from '../accounts/access.policy';
import { ReferenceService } from '../reference/reference.service';
import {
  CLOSE_REASON_LABELS,
  KIND_LABELS,
  ORGANISATION_TYPE_LABELS,
  PURCHASE_STAGE_LABELS,
  STAFF_STATUS_LABELS,
} from '../requests/request.types';
import { CSV_BOM, csvFileName, csvLine, CSV_SEPARATOR_PARAMETER, CsvSeparator, csvSeparator, CsvValue } from './csv-format.policy';
import { IMPACT_ANSWERS, SATISFACTION_ANSWERS, SurveyAnswers, WAVE_LABELS, yesNo } from './evaluation-labels';
import { filtersRefused } from './evaluations.policy';
import { ExportRepository } from './export.repository';
import { indicatorLines } from './indicators-export.policy';
import { IndicatorsService, PAGE_QUERY_FIELDS } from './indicators.service';
import { parseEvaluationExportFilters, parseRequestExportFilters } from './export.policy';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = Record<string, any>;
interface Column {
  header: string;
  value: (row: Row) => CsvValue;
}

/**
 * The CSV exports: a header row in French, then one line per row of a PostgreSQL cursor, written as the client
 * reads (the pipeline's backpressure pauses the cursor), so memory stays flat and no row cap is needed.
 */
/** A moment's column: written in Paris time whatever the département (La Réunion's included), and said so. */
function atParisTime(header: string): string {
  return `${header} (heure de Paris)`;
}

@Injectable()
export class ExportService {
  private readonly requestColumns: Column[];
  private readonly evaluationColumns: Column[];
  /** A facilitator's export of the evaluations shared with them: without the review, the animators' own. */
  private readonly sharedEvaluationColumns: Column[];
  /**
   * Each export streaming holds a PostgreSQL connection for as long as its client reads: together they
   * may take a quarter of the pool, so slow downloads never leave buyers' submissions without one.
   */
  private readonly maxStreaming: number;
  private streaming = 0;

  constructor(
    private readonly exports: ExportRepository,
    private readonly indicatorsService: IndicatorsService,
    private readonly reference: ReferenceService,
    private readonly clock: Clock,
    @Inject(AppConfig) config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.maxStreaming = Math.max(1, Math.floor(config.DATABASE_POOL_SIZE / 4));
    const common: Column[] = [
      { header: 'Type', value: (r) => KIND_LABELS[r.kind as keyof typeof KIND_LABELS] },
      { header: 'Segment d’achat', value: (r) => this.reference.segmentLabel(r.segmentCode) },
      { header: 'Département', value: (r) => this.reference.departmentLabel(r.departmentCode) },
      { header: 'Réseau', value: (r) => this.reference.network(r.networkCode)?.name ?? r.networkCode },
      { header: 'Facilitateur', value: (r) => r.facilitatorName },
    ];
    this.requestColumns = [
      { header: 'Demande', value: (r) => r.reference },
      { header: atParisTime('Déposée le'), value: (r) => r.createdAt },
      { header: 'Statut', value: (r) => STAFF_STATUS_LABELS[r.status as keyof typeof STAFF_STATUS_LABELS] },
      {
        header: 'Motif de clôture',
        value: (r) => (r.closeReason ? CLOSE_REASON_LABELS[r.closeReason as keyof typeof CLOSE_REASON_LABELS] : null),
      },
      ...common,
      { header: 'Organisation', value: (r) => r.organisationName },
      {
        header: 'Type d’organisation',
        value: (r) => ORGANISATION_TYPE_LABELS[r.organisationType as keyof typeof ORGANISATION_TYPE_LABELS],
      },
      { header: 'Étape de l’achat', value: (r) => PURCHASE_STAGE_LABELS[r.purchaseStage as keyof typeof PURCHASE_STAGE_LABELS] },
      { header: 'Montant estimé (€ HT)', value: (r) => (r.estimatedAmount === null ? null : Number(r.estimatedAmount)) },
      { header: 'Objet', value: (r) => r.subject },
      { header: atParisTime('Prise en charge le'), value: (r) => r.takenAt },
      { header: atParisTime('Première réponse le'), value: (r) => r.answeredAt },
      // The dashboard's stored durations and misses, so that its medians and shares can be recomputed from the file.
      { header: 'Délai de prise en charge (jours ouvrés)', value: (r) => r.takeChargeWorkingDays },
      { header: 'Délai de première réponse (jours ouvrés)', value: (r) => r.answerWorkingDays },
      { header: 'Réponse dans le délai', value: (r) => yesNo(r.answeredOnTime) },
      { header: 'Délai de prise en charge dépassé', value: (r) => yesNo(r.missedTakeCharge) },
      { header: atParisTime('Clôturée le'), value: (r) => r.closedAt },
    ];
    const evaluation: Column[] = [
      { header: 'Demande', value: (r) => r.reference },
      { header: 'Questionnaire', value: (r) => WAVE_LABELS[r.wave as keyof typeof WAVE_LABELS] },
      // The request's own dates beside the survey's: how long after the advice the buyer was asked, and answered.
      { header: atParisTime('Demande déposée le'), value: (r) => r.createdAt },
      { header: atParisTime('Demande clôturée le'), value: (r) => r.closedAt },
      { header: atParisTime('Envoyé le'), value: (r) => r.sentAt },
      { header: atParisTime('Répondu le'), value: (r) => r.completedAt },
      ...common,
      ...[...SATISFACTION_ANSWERS, ...IMPACT_ANSWERS].map((a) => ({ header: a.label, value: (r: Row) => a.value(r as SurveyAnswers) })),
      { header: 'Accord pour une réutilisation anonyme', value: (r) => yesNo(r.reuseConsent) },
      { header: 'Commentaire', value: (r) => r.comment },
    ];
    const shared: Column = { header: atParisTime('Partagée avec le facilitateur le'), value: (r) => r.sharedAt };
    // Columns added later go last, so that the spreadsheets built on the export keep theirs where they were.
    const sharer: Column = { header: 'Partagée par', value: (r) => r.sharerName };
    this.evaluationColumns = [
      ...evaluation,
      { header: atParisTime('Revue le'), value: (r) => r.reviewedAt },
      { header: 'Note de revue', value: (r) => r.reviewNote },
      shared,
      { header: 'Revue par', value: (r) => r.reviewerName },
      sharer,
    ];
    this.sharedEvaluationColumns = [...evaluation, shared, sharer];
  }

  /** The requests the person sees, with the queue's filters read from `query` (400 with field errors, never an empty file). */
  requests(res: Response, staff: StaffPrincipal, query: Record<string, unknown>): Promise<void> {
    const { filters, errors } = parseRequestExportFilters(query, this.knownCodes(staff));
    if (errors.length) throw filtersRefused(errors);
    const separator = csvSeparator(query);
    return this.send(res, 'demandes', this.requestColumns, this.exports.requestsQuery(staff, filters, this.clock.now()), separator);
  }

  /** The evaluations the person sees, with the evaluation list's filters read from `query`. */
  evaluations(res: Response, staff: StaffPrincipal, query: Record<string, unknown>): Promise<void> {
    const { filters, errors } = parseEvaluationExportFilters(query, this.knownCodes(staff));
    if (errors.length) throw filtersRefused(errors);
    const separator = csvSeparator(query);
    const columns = staff.role === 'facilitator' ? this.sharedEvaluationColumns : this.evaluationColumns;
    return this.send(res, 'evaluations', columns, this.exports.evaluationsQuery(staff, filters), separator);
  }

  /**
   * The dashboard's figures, from the page's own call: a few dozen lines, written at once. The scope and both periods
   * on every line, so that quarterly files pasted one under the other still say which is which.
   */
  async indicators(res: Response, staff: StaffPrincipal, query: Record<string, unknown>): Promise<void> {
    const separator = csvSeparator(query);
    const dashboard = await this.indicatorsService.strictDashboard(staff, query, PAGE_QUERY_FIELDS, CSV_SEPARATOR_PARAMETER);
    const { scope, period, previousPeriod } = dashboard;
    const header = [
      'Périmètre',
      'Du',
      'Au',
      'Rubrique',
      'Indicateur',
      'Unité',
      'Valeur',
      'Période précédente du',
      'Période précédente au',
      'Valeur de la période précédente',
      // Last, so that files pasted under older ones keep their columns.
      'Base (marchés)',
      'Base de la période précédente (marchés)',
    ];
    const rows = indicatorLines(dashboard).map((line) => [
      scope.label,
      period.from,
      period.to,
      line.section,
      line.label,
      line.unit,
      line.current,
      previousPeriod.from,
      previousPeriod.to,
      line.previous,
      line.base,
      line.previousBase,
    ]);
    this.startFile(res, 'indicateurs');
    res.end(CSV_BOM + [header, ...rows].map((values) => csvLine(values, separator)).join(''));
  }

  /** The codes a filter may name: the reference data's, and among networks the person's own (any other is refused). */
  private knownCodes(staff: StaffPrincipal): KnownCodes {
    return this.reference.knownCodesWithin(visibleNetworks(staff));
  }

  /** The download's headers: a CSV file named after the export and the day. */
  private startFile(res: Response, prefix: string): void {
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${csvFileName(prefix, this.clock.now())}"`);
  }

  private async send(res: Response, prefix: string, columns: Column[], query: SqlStatement, separator: CsvSeparator): Promise<void> {
    if (this.streaming >= this.maxStreaming) {
      throw new AppError('service_unavailable', 'D’autres exports sont en cours : réessayez dans quelques secondes.', [], {
        retryAfterSeconds: 10,
      });
    }
    this.streaming++;
    try {
      await this.stream(res, prefix, columns, query, separator);
    } finally {
      this.streaming--;
    }
  }

  private async stream(res: Response, prefix: string, columns: Column[], query: SqlStatement, separator: CsvSeparator): Promise<void> {
    const lines = new Transform({
      writableObjectMode: true,
      transform: (row: Row, _encoding, done) =>
        done(
          null,
          csvLine(
            columns.map((c) => c.value(row)),
            separator,
          ),
        ),
    });
    let started = false;
    try {
      await this.exports.stream(query, async (rows) => {
        started = true;
        this.startFile(res, prefix);
        lines.push(
          CSV_BOM +
            csvLine(
              columns.map((c) => c.header),
              separator,
            ),
        );
        await pipeline(rows, lines, res);
      });
    } catch (error) {
      // Once the file has started (the pipeline owns the response), a failure or a client gone can only cut it short.
      if (!started) throw error;
      this.logger.warn({ export: prefix, err: scrubPersonalData(String((error as Error)?.message)) }, 'export CSV interrompu');
      res.destroy();
    }
  }
}
