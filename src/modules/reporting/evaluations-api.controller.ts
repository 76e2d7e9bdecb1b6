import { Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { ApiStaffAccess, CurrentStaff, StaffGuard } from '../accounts/staff.guard';
import { ErrorResponseDto } from '../../common/errors/error-response.dto';
import { REQUEST_KINDS } from '../requests/request.types';
import { SURVEY_WAVES } from '../surveys/survey.types';
import { EVALUATIONS_PAGE_SIZE, SCORES } from './evaluations.policy';
import { EvaluationsService } from './evaluations.service';
import { EvaluationsPageDto } from './dto/evaluations-page.dto';
import { EvaluationDetailDto } from './dto/evaluation-detail.dto';
import { JsonBody } from '../../common/json-body.decorator';

type Json = Record<string, unknown>;

/** The animators' review for scripts (bearer token): the same list, detail and actions as the pages. */
@ApiTags('évaluations')
@ApiStaffAccess()
@ApiNotFoundResponse({
  type: ErrorResponseDto,
  description: 'Évaluation introuvable ou hors de vos réseaux ; facilitateurs : les leurs, une fois partagées',
})
@UseGuards(StaffGuard)
@Controller('api/v1/staff/evaluations')
export class EvaluationsApiController {
  constructor(private readonly evaluations: EvaluationsService) {}

  @Get()
  @ApiOperation({ summary: 'Lister les évaluations remplies (questionnaires de satisfaction et d’impact), filtrées' })
  @ApiQuery({ name: 'du', required: false, description: 'Remplies à partir de ce jour (AAAA-MM-JJ)' })
  @ApiQuery({ name: 'au', required: false, description: 'Jusqu’à ce jour inclus (AAAA-MM-JJ)' })
  @ApiQuery({ name: 'reseau', required: false, description: 'Code du réseau' })
  @ApiQuery({ name: 'kind', required: false, enum: REQUEST_KINDS })
  @ApiQuery({ name: 'segment', required: false, description: 'Code du segment d’achat' })
  @ApiQuery({ name: 'department', required: false, description: 'Code INSEE du département' })
  @ApiQuery({ name: 'facilitator', required: false, description: 'Identifiant (UUID) du facilitateur' })
  @ApiQuery({ name: 'wave', required: false, enum: SURVEY_WAVES })
  @ApiQuery({ name: 'score', required: false, enum: SCORES, description: 'Appréciation donnée' })
  @ApiQuery({ name: 'reviewed', required: false, enum: ['oui', 'non'], description: 'Revue par un animateur, ou pas encore' })
  @ApiQuery({ name: 'page', required: false, type: Number, description: `À partir de 1, ${EVALUATIONS_PAGE_SIZE} par page` })
  @ApiOkResponse({
    type: EvaluationsPageDto,
    description: 'Une page d’évaluations (demande, questionnaire, réponses, revue) et la pagination',
  })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Filtre non compris (erreurs par champ)' })
  async list(@CurrentStaff() staff: StaffPrincipal, @Query() query: Json): Promise<EvaluationsPageDto> {
    return this.evaluations.list(staff, this.evaluations.apiFilters(staff, query));
  }

  @Get(':id')
  @ApiOperation({ summary: 'Consulter une évaluation', description: 'Les réponses de l’acheteur, la demande, la revue et son partage.' })
  @ApiOkResponse({ type: EvaluationDetailDto, description: 'L’évaluation et ce que la page montre' })
  show(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string): Promise<EvaluationDetailDto> {
    return this.evaluations.detailForApi(staff, id);
  }

  @Post(':id/review')
  @HttpCode(200)
  @ApiOperation({ summary: 'Marquer l’évaluation comme revue, avec une note interne facultative' })
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        note: { type: 'string', description: 'Note interne, jamais montrée à l’acheteur' },
        reviewedAt: {
          type: 'string',
          format: 'date-time',
          nullable: true,
          description:
            'La date de revue lue (`evaluation.reviewedAt`, null si pas encore revue) : revue par un collègue depuis, rien n’est écrit (409). Absente : pas de vérification.',
        },
      },
    },
  })
  @ApiOkResponse({ type: EvaluationDetailDto, description: 'L’évaluation à jour' })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Note trop longue' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Revue par un collègue depuis la date de revue envoyée' })
  async review(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @JsonBody('note', 'reviewedAt') body: Json) {
    await this.evaluations.review(staff, id, body.note, body.reviewedAt);
    return this.show(staff, id);
  }

  @Post(':id/share')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Partager l’évaluation avec le facilitateur',
    description: 'notice : l’engagement que les mots de l’acheteur ne sont réutilisés qu’anonymement et avec son accord.',
  })
  @ApiBody({ schema: { type: 'object', required: ['notice'], properties: { notice: { type: 'boolean', enum: [true] } } } })
  @ApiOkResponse({ type: EvaluationDetailDto, description: 'L’évaluation à jour' })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Engagement absent' })
  async share(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @JsonBody('notice') body: Json) {
    await this.evaluations.share(staff, id, body.notice);
    return this.show(staff, id);
  }
}
