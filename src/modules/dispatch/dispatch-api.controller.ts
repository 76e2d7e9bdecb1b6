import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import {
  ApiBody,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiBadRequestResponse,
} from '@nestjs/swagger';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { ApiStaffAccess, CurrentStaff, StaffGuard, StaffRoles } from '../accounts/staff.guard';
import { ErrorResponseDto } from '../../common/errors/error-response.dto';
import { DispatchService } from './dispatch.service';
import { FacilitatorLoadDto, ReassignResultDto, SplitResultDto, TransferResultDto } from './dto/dispatch-results.dto';
import { JsonBody } from '../../common/json-body.decorator';
import { ApiIdempotencyKey, apiRepeatKey, SENT_ONCE } from '../../common/idempotency-key';
import { SPLIT_TOPIC_FIELDS } from './split.policy';
import { CHANGED_MEANWHILE_CONFLICT, SEEN_STATE_DESCRIPTION, SeenStateBodyDto } from '../workspace/dto/staff-action.dto';

type Body = Record<string, unknown>;

@ApiTags('Espace de travail')
@ApiStaffAccess()
@ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Demande introuvable, ou action qui ne vous revient pas' })
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Champ manquant ou invalide (erreurs par champ)' })
@ApiConflictResponse({
  type: ErrorResponseDto,
  description: `Action impossible dans l’état actuel de la demande, ou facilitateur complet (pour lui confier la demande, à confirmer par beyondCapacity) ou absent (code \`conflict\`) ; ou, pour transférer la demande, la confier à un autre facilitateur ou la prendre dans la réserve, ${CHANGED_MEANWHILE_CONFLICT}`,
})
@UseGuards(StaffGuard)
@Controller('api/v1/staff')
export class DispatchApiController {
  constructor(private readonly dispatch: DispatchService) {}

  @Post('requests/:ref/transfer')
  @ApiIdempotencyKey(SENT_ONCE)
  @HttpCode(200)
  @ApiOperation({ summary: 'Transférer vers l’autre type de facilitateur (environnemental ⇄ clauses sociales)' })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['reason'],
      properties: { reason: { type: 'string', maxLength: 1000 }, seenState: { type: 'string', description: SEEN_STATE_DESCRIPTION } },
    },
  })
  @ApiOkResponse({ type: TransferResultDto, description: 'Demande remise en attribution, avec son nouveau type' })
  transfer(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('ref') ref: string,
    @JsonBody('reason', 'seenState') body: Body,
  ): Promise<TransferResultDto> {
    return this.dispatch.transfer(staff, ref, objectOf(body));
  }

  @Post('requests/:ref/split')
  @HttpCode(200)
  @ApiOperation({ summary: 'Scinder une demande : la demande garde son premier sujet, chaque autre sujet devient une demande' })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['topics'],
      properties: {
        subject: {
          type: 'string',
          minLength: 5,
          maxLength: 150,
          description: 'Facultatif : l’objet de cette demande, recentré sur son premier sujet (l’historique garde l’ancien)',
        },
        topics: {
          type: 'array',
          minItems: 1,
          maxItems: 5,
          items: {
            type: 'object',
            required: [...SPLIT_TOPIC_FIELDS],
            properties: {
              subject: { type: 'string' },
              question: { type: 'string' },
              kind: { type: 'string', enum: ['environmental', 'social_clause'] },
              segment: { type: 'string' },
            },
          },
        },
      },
    },
  })
  @ApiOkResponse({
    type: SplitResultDto,
    description: 'Les nouvelles demandes (références), chacune routée ; l’acheteur reçoit un courriel avec leurs liens',
  })
  @ApiIdempotencyKey('un nouvel envoi avec la même clé renvoie les demandes créées par le premier, sans en créer d’autres.')
  split(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('ref') ref: string,
    @JsonBody('topics', 'subject') body: Body,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<SplitResultDto> {
    return this.dispatch.split(staff, ref, objectOf(body), apiRepeatKey(idempotencyKey));
  }

  @Post('requests/:ref/reassign')
  @ApiIdempotencyKey(SENT_ONCE)
  @HttpCode(200)
  @StaffRoles('admin', 'animator')
  @ApiOperation({
    summary: 'Confier à un autre facilitateur : celui choisi, ou, sans facilitatorId, par remise en attribution automatique',
    description:
      'En attribution automatique, le routage ne propose plus la demande au facilitateur qui la tenait ; sans autre facilitateur disponible, elle attend dans la réserve du réseau (statut unassigned). ' +
      'Une demande en attente de la précision de l’acheteur le reste (statut awaiting_buyer) : le nouveau facilitateur la tient prise en charge et reçoit la précision ; en attribution automatique sans autre facilitateur disponible, elle ne peut être confiée à personne (409).',
  })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['reason'],
      properties: {
        facilitatorId: { type: 'string', format: 'uuid' },
        reason: { type: 'string' },
        beyondCapacity: {
          type: 'boolean',
          default: false,
          description:
            'Avec facilitatorId : true confie la demande au facilitateur choisi même s’il a atteint sa capacité (ses demandes ouvertes la dépassent alors ; le routage ne lui en donne plus tant qu’il n’est pas repassé en dessous). Sans lui, un facilitateur à pleine capacité est refusé (409, erreur sur le champ beyondCapacity : « X a déjà N demandes pour une capacité de N. La lui confier quand même ? »), rien n’est enregistré. Un facilitateur absent, désactivé, d’un autre type ou territoire reste refusé.',
        },
        confirmedOpenCount: {
          type: 'integer',
          minimum: 0,
          description:
            'Avec beyondCapacity : true, facultatif : le nombre de demandes ouvertes du facilitateur que vous avez lu en confirmant (openCount de l’annuaire, ou N de la question). S’il en tient davantage au moment d’enregistrer, la confirmation ne vaut plus : 409 comme sans beyondCapacity, avec la question à jour. Absent : confirmé quelle que soit sa charge.',
        },
        confirmedCapacity: {
          type: 'integer',
          minimum: 0,
          description:
            'Avec confirmedOpenCount, facultatif : la capacité du facilitateur que vous avez lue en même temps (capacity de l’annuaire, ou la capacité de la question). La confirmation vaut alors pour le dépassement accepté, confirmedOpenCount moins confirmedCapacity : s’il est plus grand au moment d’enregistrer (davantage de demandes, ou une capacité abaissée entre-temps), 409 comme sans beyondCapacity, avec la question à jour. Absent : seul le nombre de demandes ouvertes compte.',
        },
        seenState: { type: 'string', description: SEEN_STATE_DESCRIPTION },
      },
    },
  })
  @ApiOkResponse({ type: ReassignResultDto })
  async reassign(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('ref') ref: string,
    @JsonBody('facilitatorId', 'reason', 'seenState', 'beyondCapacity', 'confirmedOpenCount', 'confirmedCapacity') body: Body,
  ): Promise<ReassignResultDto> {
    return (await this.dispatch.reassign(staff, ref, objectOf(body))).result;
  }

  @Post('requests/:ref/take-from-pool')
  @ApiIdempotencyKey(SENT_ONCE)
  @HttpCode(200)
  @StaffRoles('facilitator')
  @ApiOperation({ summary: 'Prendre une demande de la réserve de son réseau (dans la limite de sa capacité)' })
  @ApiBody({ type: SeenStateBodyDto, required: false })
  @ApiOkResponse({ type: ReassignResultDto })
  takeFromPool(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('ref') ref: string,
    @JsonBody('seenState') body: Body,
  ): Promise<ReassignResultDto> {
    return this.dispatch.takeFromPool(staff, ref, body.seenState);
  }

  @Get('facilitators/load')
  @StaffRoles('admin', 'animator')
  @ApiOperation({ summary: 'Charge des facilitateurs de vos réseaux : demandes ouvertes, capacité, absence, retards' })
  @ApiOkResponse({ type: [FacilitatorLoadDto] })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Paramètre inconnu : cette liste n’en prend aucun' })
  loads(@CurrentStaff() staff: StaffPrincipal, @Query() query: Record<string, unknown>): Promise<FacilitatorLoadDto[]> {
    return this.dispatch.apiLoads(staff, query);
  }
}

/** A JSON body that is not an object (a bare string, a list) counts as empty: field errors follow. */
function objectOf(body: unknown): Body {
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Body) : {};
}
