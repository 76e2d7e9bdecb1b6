import { ApiProperty } from '@nestjs/swagger';
import { CLOSE_REASONS, ORGANISATION_TYPES, REQUEST_KINDS, REQUEST_STATUSES } from '../../requests/request.types';
import {
  CONTRACT_OUTCOMES,
  ENVIRONMENTAL_CONSIDERATIONS,
  LEVERS,
  OBSTACLES,
  SOCIAL_CONSIDERATIONS,
  SURVEY_WAVES,
  THEMES,
  USEFULNESS,
} from '../../surveys/survey.types';
import { StaffMessageDto } from '../../workspace/dto/staff-request-page.dto';
import { EvaluatedRequestPlaceDto } from './evaluations-page.dto';

const nullable = (type: typeof String | typeof Number | typeof Boolean, description?: string) => ({ type, nullable: true, description });
const nullableDate = (description?: string) => ({ type: String, format: 'date-time', nullable: true, description });

/** The buyer's answers to one survey and the animators' review of them; never the survey's link. */
export class EvaluationDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  requestId!: string;

  @ApiProperty({ enum: SURVEY_WAVES, description: 'satisfaction : après la clôture ; impact : quelques mois plus tard' })
  wave!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Le facilitateur qui a répondu' })
  facilitatorId!: string | null;

  @ApiProperty({ type: String, format: 'date-time', description: 'Première réponse de l’acheteur' })
  completedAt!: Date;

  @ApiProperty(nullableDate('Dernière modification de ses réponses (possible jusqu’à l’expiration du lien)'))
  answeredAt!: Date | null;

  @ApiProperty({ type: String, enum: USEFULNESS, nullable: true })
  usefulness!: string | null;

  @ApiProperty(nullable(Boolean, 'Réponse venue assez vite'))
  quickEnough!: boolean | null;

  @ApiProperty(nullable(String, 'Commentaire libre de l’acheteur'))
  comment!: string | null;

  @ApiProperty({ type: String, enum: CONTRACT_OUTCOMES, nullable: true, description: 'Marché passé (vague impact)' })
  contractOutcome!: string | null;

  @ApiProperty({ type: String, format: 'date', nullable: true })
  contractDate!: string | null;

  @ApiProperty(nullable(String))
  contractReference!: string | null;

  @ApiProperty({ type: [String], enum: LEVERS })
  levers!: string[];

  @ApiProperty(nullable(Number, 'Poids du critère durable dans l’attribution, en %'))
  awardCriterionWeight!: number | null;

  @ApiProperty(nullable(Number, 'Heures d’insertion prévues'))
  insertionHours!: number | null;

  @ApiProperty({ type: [String], enum: THEMES })
  themes!: string[];

  @ApiProperty({ type: [String], enum: ENVIRONMENTAL_CONSIDERATIONS })
  environmentalConsiderations!: string[];

  @ApiProperty({ type: [String], enum: SOCIAL_CONSIDERATIONS })
  socialConsiderations!: string[];

  @ApiProperty({ type: String, nullable: true, example: '250000', description: 'Montant du marché en euros HT (entier, en texte)' })
  contractAmount!: string | null;

  @ApiProperty({ type: [String], enum: OBSTACLES })
  obstacles!: string[];

  @ApiProperty(nullable(Boolean))
  wouldUseAgain!: boolean | null;

  @ApiProperty(nullable(Boolean, 'L’acheteur accepte que ses mots soient réutilisés anonymement'))
  reuseConsent!: boolean | null;

  @ApiProperty(nullableDate())
  reviewedAt!: Date | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Compte du personnel qui l’a revue' })
  reviewedBy!: string | null;

  @ApiProperty(nullable(String, 'Note interne des animateurs ; null pour un facilitateur qui lit une évaluation partagée'))
  reviewNote!: string | null;

  @ApiProperty(nullableDate('Partagée avec le facilitateur'))
  sharedWithFacilitatorAt!: Date | null;
}

/** The evaluated request, as the review needs it; organisation and question are empty once the data are erased. */
export class EvaluatedRequestDto extends EvaluatedRequestPlaceDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'GV-2026-000123' })
  reference!: string;

  @ApiProperty()
  subject!: string;

  @ApiProperty()
  question!: string;

  @ApiProperty({ enum: REQUEST_KINDS })
  kind!: string;

  @ApiProperty({ enum: REQUEST_STATUSES })
  status!: string;

  @ApiProperty({ type: String, enum: CLOSE_REASONS, nullable: true })
  closeReason!: string | null;

  @ApiProperty()
  organisationName!: string;

  @ApiProperty({ enum: ORGANISATION_TYPES })
  organisationType!: string;

  @ApiProperty(nullableDate('Données personnelles effacées'))
  anonymisedAt!: Date | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;

  @ApiProperty(nullableDate())
  closedAt!: Date | null;

  @ApiProperty(nullable(String, 'Le facilitateur qui a répondu'))
  facilitatorName!: string | null;

  @ApiProperty(nullable(String, 'L’animateur qui a revu l’évaluation'))
  reviewerName!: string | null;

  @ApiProperty(nullable(String, 'Qui a partagé l’évaluation avec le facilitateur'))
  sharerName!: string | null;
}

export class EvaluationActionsDto {
  @ApiProperty({ description: 'Marquer comme revue, avec une note interne' })
  review!: boolean;

  @ApiProperty({ description: 'Partager avec le facilitateur (une fois)' })
  share!: boolean;
}

/** `GET /api/v1/staff/evaluations/{id}`: what the evaluation's page shows. */
export class EvaluationDetailDto {
  @ApiProperty({ type: EvaluationDto })
  evaluation!: EvaluationDto;

  @ApiProperty({ type: EvaluatedRequestDto })
  request!: EvaluatedRequestDto;

  @ApiProperty({ type: StaffMessageDto, nullable: true, description: 'La dernière réponse du facilitateur, avec ses éléments d’aide' })
  answer!: StaffMessageDto | null;

  @ApiProperty({
    type: [StaffMessageDto],
    description:
      'Toutes les réponses du facilitateur, de la première à la dernière (un complément après une réponse de l’acheteur en est une de plus)',
  })
  facilitatorAnswers!: StaffMessageDto[];

  @ApiProperty({ type: EvaluationActionsDto })
  actions!: EvaluationActionsDto;
}
