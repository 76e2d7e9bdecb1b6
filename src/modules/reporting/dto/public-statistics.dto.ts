import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TARGET_MIN_BASE, type Figure, type Period, type TargetVerdict } from '../indicators.policy';

/** The documented shape of the public statistics (GET /api/v1/statistics), which the service returns as is. */
export class PeriodDto implements Period {
  @ApiProperty({ format: 'date', example: '2025-12-01', description: 'Premier jour (heure de Paris)' })
  from!: string;

  @ApiProperty({ format: 'date', example: '2026-11-30', description: 'Dernier jour, inclus' })
  to!: string;
}

export class FigureDto implements Figure {
  @ApiProperty({ type: Number, nullable: true, description: 'Valeur sur la période ; null quand il n’y a rien à mesurer' })
  current!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Valeur sur la période précédente, de même durée' })
  previous!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'current − previous, quand les deux sont connus' })
  delta!: number | null;

  @ApiProperty({ enum: ['up', 'down', 'stable'], nullable: true })
  trend!: 'up' | 'down' | 'stable' | null;
}

export class LabelledFigureDto extends FigureDto {
  @ApiProperty({ example: 'environmental' })
  code!: string;

  @ApiProperty({ example: 'Considérations environnementales' })
  label!: string;
}

export class CountPairDto {
  @ApiProperty({ example: 3 })
  current!: number;

  @ApiProperty({ example: 5 })
  previous!: number;
}

export class TargetFigureDto extends FigureDto {
  @ApiProperty({ type: CountPairDto, description: 'Marchés comptés dans la part (son numérateur), par période' })
  hits!: CountPairDto;

  @ApiProperty({ type: CountPairDto, description: 'Marchés suivis sur lesquels la part est calculée (sa base), par période' })
  base!: CountPairDto;

  @ApiProperty({ description: 'Cible du plan national pour les achats durables (part entre 0 et 1)', example: 1 })
  target!: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: `current − target, quand current est connu et compté sur au moins ${TARGET_MIN_BASE} marchés`,
  })
  gap!: number | null;

  @ApiProperty({
    enum: ['met', 'below', 'too_few'],
    nullable: true,
    description: `Cible atteinte, non atteinte, ou trop peu de marchés (moins de ${TARGET_MIN_BASE}) pour comparer ; null sans marché`,
  })
  verdict!: TargetVerdict;
}

export class StatisticsRequestsDto {
  @ApiProperty({ type: FigureDto, description: 'Demandes reçues' })
  total!: FigureDto;

  @ApiProperty({ type: [LabelledFigureDto], description: 'Par type de question' })
  byKind!: LabelledFigureDto[];

  @ApiProperty({ type: [LabelledFigureDto], description: 'Par mois (code AAAA-MM), face au même mois un an plus tôt' })
  byMonth!: LabelledFigureDto[];
}

export class StatisticsTimingsDto {
  @ApiProperty({ type: FigureDto, description: 'Délai médian de prise en charge, en jours ouvrés depuis la réception' })
  takeChargeMedianDays!: FigureDto;

  @ApiProperty({ type: FigureDto, description: 'Délai médian de la première réponse, en jours ouvrés depuis la réception' })
  answerMedianDays!: FigureDto;

  @ApiProperty({ type: FigureDto, description: 'Part des demandes prises en charge en 2 jours ouvrés ou moins' })
  takenWithin2Days!: FigureDto;

  @ApiProperty({
    type: FigureDto,
    description: 'Part des premières réponses données dans leur délai (parmi celles dont le délai est connu)',
  })
  answeredOnTime!: FigureDto;

  @ApiProperty({
    description: 'Ce délai : jours ouvrés après la prise en charge, attente d’une précision de l’acheteur non comptée',
    example: 10,
  })
  answerDeadlineDays!: number;
}

export class StatisticsSurveysDto {
  @ApiProperty({ type: FigureDto, description: 'Questionnaires de satisfaction remplis' })
  answers!: FigureDto;

  @ApiProperty({ type: [LabelledFigureDto], description: 'Utilité de la réponse (parts entre 0 et 1)' })
  usefulness!: LabelledFigureDto[];

  @ApiProperty({
    type: FigureDto,
    description: 'Marchés notifiés ou signés, ou consultations publiées, d’après les questionnaires d’impact',
  })
  contracts!: FigureDto;

  @ApiPropertyOptional({
    type: TargetFigureDto,
    description:
      'Part des marchés publics des demandes de considérations environnementales (seules interrogées à ce sujet) avec au moins une considération environnementale ; absente pour les seules clauses sociales',
  })
  environmental?: TargetFigureDto;

  @ApiProperty({
    type: TargetFigureDto,
    description:
      'Part des marchés publics avec au moins une considération sociale (hors contrats des entreprises non soumises au code de la commande publique)',
  })
  social!: TargetFigureDto;
}

export class PublicStatisticsDto {
  @ApiProperty({ type: PeriodDto, description: 'Les douze derniers mois complets' })
  period!: PeriodDto;

  @ApiProperty({ type: PeriodDto, description: 'Les douze mois précédents' })
  previousPeriod!: PeriodDto;

  @ApiProperty({ type: StatisticsRequestsDto })
  requests!: StatisticsRequestsDto;

  @ApiProperty({ type: StatisticsTimingsDto })
  timings!: StatisticsTimingsDto;

  @ApiProperty({ type: StatisticsSurveysDto })
  surveys!: StatisticsSurveysDto;
}
