import { REQUEST_KINDS } from '../../requests/request.types';
import { ApiProperty } from '@nestjs/swagger';
import { ALERT_METRICS } from '../alerts.policy';
import { FigureDto, LabelledFigureDto, PeriodDto, StatisticsSurveysDto, StatisticsTimingsDto } from './public-statistics.dto';

/** The documented shape of the staff dashboard (GET /api/v1/staff/indicators), which the service returns as is. */
export class DashboardScopeDto {
  @ApiProperty({ type: String, nullable: true, description: 'Code du réseau ; null : tous les réseaux', example: 'aura-ee' })
  network!: string | null;

  @ApiProperty({ type: String, nullable: true, enum: REQUEST_KINDS, description: 'Type de question ; null : les deux' })
  kind!: string | null;

  @ApiProperty({ example: 'AURA-EE / RREDD — Clauses sociales' })
  label!: string;
}

export class DashboardRequestsDto {
  @ApiProperty({ type: FigureDto, description: 'Demandes reçues pendant la période' })
  total!: FigureDto;

  @ApiProperty({ type: [LabelledFigureDto], description: 'Par statut actuel' })
  byStatus!: LabelledFigureDto[];

  @ApiProperty({ type: [LabelledFigureDto], description: 'Par type de question' })
  byKind!: LabelledFigureDto[];

  @ApiProperty({ type: [LabelledFigureDto], description: 'Par segment d’achat' })
  bySegment!: LabelledFigureDto[];

  @ApiProperty({ type: [LabelledFigureDto], description: 'Par département (ceux qui ont reçu des demandes)' })
  byDepartment!: LabelledFigureDto[];
}

export class DashboardTimingsDto extends StatisticsTimingsDto {
  @ApiProperty({ type: FigureDto, description: 'Part des demandes prises en charge en 5 jours ouvrés ou moins' })
  takenWithin5Days!: FigureDto;

  @ApiProperty({ type: FigureDto, description: 'Demandes ayant dépassé un délai de prise en charge' })
  deadlineMisses!: FigureDto;

  @ApiProperty({ type: FigureDto, description: 'Part de ces demandes parmi celles reçues' })
  deadlineMissShare!: FigureDto;
}

export class ResponseRateDto extends LabelledFigureDto {
  @ApiProperty({ type: FigureDto, description: 'Questionnaires envoyés pendant la période (le taux : remplis / envoyés)' })
  sent!: FigureDto;

  @ApiProperty({
    type: FigureDto,
    description: 'Parmi eux, ceux que l’acheteur a refusés (lien « Ne plus recevoir de questionnaire pour cette demande »)',
  })
  declined!: FigureDto;
}

export class DashboardSurveysDto extends StatisticsSurveysDto {
  @ApiProperty({ type: [ResponseRateDto], description: 'Taux de réponse par questionnaire (satisfaction, impact)' })
  responseRates!: ResponseRateDto[];

  @ApiProperty({
    type: FigureDto,
    description: 'Heures d’insertion prévues par ces marchés (clause d’insertion), d’après les questionnaires d’impact',
  })
  insertionHours!: FigureDto;
}

export class AlertSubjectDto {
  @ApiProperty({ enum: ['network', 'facilitator'] })
  type!: 'network' | 'facilitator';

  @ApiProperty({ description: 'Code du réseau, ou identifiant du facilitateur' })
  id!: string;

  @ApiProperty({ description: 'Réseau (de l’annuaire, pour un facilitateur)' })
  networkCode!: string;

  @ApiProperty({ example: 'Réseau AURA-EE / RREDD' })
  name!: string;
}

export class AlertDto {
  @ApiProperty({ type: AlertSubjectDto })
  subject!: AlertSubjectDto;

  @ApiProperty({ enum: ALERT_METRICS })
  metric!: string;

  @ApiProperty({ description: 'hits / sample, entre 0 et 1' })
  share!: number;

  @ApiProperty()
  hits!: number;

  @ApiProperty()
  sample!: number;

  @ApiProperty({ description: 'Seuil franchi (part entre 0 et 1)' })
  threshold!: number;

  @ApiProperty({ description: 'Échantillon minimal pour lever l’alerte' })
  minSample!: number;

  @ApiProperty({ enum: ['above', 'below'], description: 'Alerte au-dessus ou en dessous du seuil' })
  direction!: 'above' | 'below';

  @ApiProperty({ example: 'de refus' })
  label!: string;

  @ApiProperty({ example: 'attributions' })
  sampleLabel!: string;

  @ApiProperty({ description: 'La liste à consulter (chemin du site)', example: '/espace/facilitateurs' })
  link!: string;
}

export class DashboardAlertsDto {
  @ApiProperty({ type: PeriodDto, description: 'Le dernier trimestre complet' })
  period!: PeriodDto;

  @ApiProperty({ type: [AlertDto], description: 'Réseaux d’abord, puis facilitateurs ; les plus éloignés du seuil d’abord' })
  items!: AlertDto[];
}

export class IndicatorsDashboardDto {
  @ApiProperty({ type: DashboardScopeDto })
  scope!: DashboardScopeDto;

  @ApiProperty({ type: PeriodDto })
  period!: PeriodDto;

  @ApiProperty({ type: PeriodDto, description: 'La période précédente, de même durée' })
  previousPeriod!: PeriodDto;

  @ApiProperty({ type: DashboardRequestsDto })
  requests!: DashboardRequestsDto;

  @ApiProperty({ type: DashboardTimingsDto })
  timings!: DashboardTimingsDto;

  @ApiProperty({ type: DashboardSurveysDto })
  surveys!: DashboardSurveysDto;

  @ApiProperty({ type: DashboardAlertsDto })
  alerts!: DashboardAlertsDto;
}
