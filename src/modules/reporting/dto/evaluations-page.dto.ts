import { ApiProperty } from '@nestjs/swagger';
import { PageDto } from '../../../common/page.dto';
import { REQUEST_KINDS, RequestKind } from '../../requests/request.types';
import { CONTRACT_OUTCOMES, ContractOutcome, SURVEY_WAVES, SurveyWave, USEFULNESS, Usefulness } from '../../surveys/survey.types';

/** Where an evaluated request belongs: its segment, département and network, by code. */
export class EvaluatedRequestPlaceDto {
  @ApiProperty({ example: 'office_supplies' })
  segmentCode!: string;

  @ApiProperty({ example: '38' })
  departmentCode!: string;

  @ApiProperty({ example: 'aura-ee' })
  networkCode!: string;
}

/** One page of completed evaluations as the JSON API lists them (GET /api/v1/staff/evaluations), for OpenAPI. */
export class EvaluationListItemDto extends EvaluatedRequestPlaceDto {
  @ApiProperty({ format: 'uuid', description: 'Pour GET /api/v1/staff/evaluations/{id}' })
  id!: string;

  @ApiProperty({ enum: SURVEY_WAVES })
  wave!: SurveyWave;

  @ApiProperty({ type: String, format: 'date-time', description: 'Questionnaire rempli par l’acheteur' })
  completedAt!: Date;

  @ApiProperty({ type: String, enum: USEFULNESS, nullable: true, description: 'Satisfaction : le conseil a-t-il été utile' })
  usefulness!: Usefulness | null;

  @ApiProperty({ type: String, enum: CONTRACT_OUTCOMES, nullable: true, description: 'Impact : où en est l’achat' })
  contractOutcome!: ContractOutcome | null;

  @ApiProperty({ type: Boolean, nullable: true, description: 'L’acheteur accepte que ses propos soient réutilisés anonymement' })
  reuseConsent!: boolean | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Revue par un animateur' })
  reviewedAt!: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Partagée avec le facilitateur' })
  sharedWithFacilitatorAt!: Date | null;

  @ApiProperty({ example: 'GV-2026-000123' })
  reference!: string;

  @ApiProperty({ example: 'Fournitures de bureau et loi AGEC' })
  subject!: string;

  @ApiProperty({ enum: REQUEST_KINDS })
  kind!: RequestKind;

  @ApiProperty({ type: String, nullable: true, example: 'Dominique Durand', description: 'Le facilitateur qui a répondu' })
  facilitatorName!: string | null;
}

export class EvaluationsPageDto extends PageDto {
  @ApiProperty({ type: [EvaluationListItemDto], description: 'Les plus récemment remplies d’abord' })
  items!: EvaluationListItemDto[];

  @ApiProperty({ description: 'Parmi elles, celles qu’aucun animateur n’a encore revues' })
  unreviewed!: number;
}
