import { ApiIdempotencyKey, SENT_ONCE } from '../../common/idempotency-key';
import { Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPreconditionFailedResponse,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ValidationFailed } from '../../common/errors/app-errors';
import { ErrorResponseDto } from '../../common/errors/error-response.dto';
import { JsonBody, JsonBodyForDto } from '../../common/json-body.decorator';
import { validateBody } from '../../common/validation';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { ApiStaffAccess, CurrentStaff, StaffGuard, StaffRoles } from '../accounts/staff.guard';
import { AnswerTemplate } from './answer-template.entity';
import { deletionVersion, etagOf, saveCondition } from './answer-template.policy';
import { AnswerTemplatesService } from './answer-templates.service';
import { AnswerTemplateDto, AnswerTemplateVersionDto, CreateAnswerTemplateDto, UpdateAnswerTemplateDto } from './dto/answer-template.dto';

type Json = Record<string, unknown>;

/** The version a change or deletion was prepared from, by If-Match, as PATCH and DELETE document it. */
const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description:
    'L’ETag reçu avec le modèle, entre guillemets droits, par exemple "3", ou une liste ("3", "4" : l’un ou l’autre). Comparaison forte (RFC 9110) : un ETag faible (W/"3") ne correspond jamais. Vérifié avant le champ `version` : aucun ETag ne désigne la version actuelle, 412 ; envoyé avec `version`, il doit la lister, sinon 412 aussi (rien n’est fait). Sans guillemets (5) : 400.',
};
const IF_MATCH_MISSED = {
  type: ErrorResponseDto,
  description:
    'Aucun ETag de l’en-tête If-Match ne désigne la version actuelle, ou l’en-tête et le champ `version` désignent deux versions différentes : rien n’est fait',
};
/** Sent with every template the API gives, one at a time (a replay of the same Idempotency-Key too). */
const ETAG = {
  ETag: {
    description: 'La version du modèle entre guillemets droits, par exemple "3" : à renvoyer en If-Match pour le modifier ou le supprimer',
    schema: { type: 'string', example: '"3"' },
  },
};
/** PATCH and DELETE refused by a `version` (or, with none, by the version this request read) that is no longer the template's. */
const VERSION_STALE =
  'le modèle a changé depuis la version envoyée (`version`) ou, sans version ni If-Match, depuis que cette requête l’a lu';

/** The networks' answer templates for scripts (bearer token): everyone reads their networks', animators and admins keep them. */
@ApiTags('modèles de réponse')
@ApiStaffAccess()
@ApiNotFoundResponse({
  type: ErrorResponseDto,
  description:
    'Modèle introuvable, supprimé (même pendant la requête) ou hors de vos réseaux, comme une lecture le dit alors ; créer, modifier et supprimer sont réservés aux animateurs et aux administrateurs',
})
@UseGuards(StaffGuard)
@Controller('api/v1/staff/answer-templates')
export class AnswerTemplatesApiController {
  constructor(private readonly templates: AnswerTemplatesService) {}

  @Get()
  @ApiOperation({ summary: 'Lister les modèles de réponse de vos réseaux', description: 'Par réseau puis par titre.' })
  @ApiOkResponse({ type: [AnswerTemplateDto] })
  async list(@CurrentStaff() staff: StaffPrincipal): Promise<AnswerTemplateDto[]> {
    return (await this.templates.list(staff)).map((template) => templateView(template));
  }

  @Get(':id')
  @ApiOperation({ summary: 'Consulter un modèle de réponse' })
  @ApiOkResponse({ type: AnswerTemplateDto, headers: ETAG })
  async get(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id') id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AnswerTemplateDto> {
    return templateView(await this.templates.get(staff, id), res);
  }

  @Post()
  @ApiIdempotencyKey(SENT_ONCE)
  @HttpCode(201)
  @StaffRoles('admin', 'animator')
  @ApiOperation({ summary: 'Créer un modèle de réponse' })
  @ApiBody({ type: CreateAnswerTemplateDto })
  @ApiCreatedResponse({ type: AnswerTemplateDto, headers: ETAG })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Champs manquants ou invalides, un message par champ' })
  async create(
    @CurrentStaff() staff: StaffPrincipal,
    @JsonBodyForDto() body: Json,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AnswerTemplateDto> {
    return templateView(await this.templates.create(staff, { ...(await validateBody(CreateAnswerTemplateDto, body)) }), res);
  }

  @Patch(':id')
  @ApiIdempotencyKey(SENT_ONCE)
  @StaffRoles('admin', 'animator')
  @ApiOperation({
    summary: 'Modifier un modèle de réponse',
    description:
      'Seuls les champs envoyés changent. Pour ne pas écraser la modification d’un collègue, envoyez la version lue (If-Match avec l’ETag reçu, ou `version`). Sans l’un ni l’autre, les champs non envoyés gardent leur valeur lue : une modification faite entre-temps est refusée (409), jamais écrasée. Une modification qui ne change rien (`{}`, ou les valeurs actuelles) n’écrit rien : même version, même ETag.',
  })
  @ApiHeader(IF_MATCH)
  @ApiBody({ type: UpdateAnswerTemplateDto })
  @ApiOkResponse({ type: AnswerTemplateDto, headers: ETAG })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'Champs invalides, un message par champ (If-Match illisible : champ If-Match)',
  })
  @ApiConflictResponse({ type: ErrorResponseDto, description: `Rien n’est enregistré : ${VERSION_STALE}` })
  @ApiPreconditionFailedResponse(IF_MATCH_MISSED)
  async update(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id') id: string,
    @JsonBodyForDto() body: Json,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AnswerTemplateDto> {
    const template = await this.templates.get(staff, id);
    const { version, ...changes } = await validateBody(UpdateAnswerTemplateDto, body);
    return templateView(await this.templates.patch(staff, template, changes, saveCondition(version, ifMatch)), res);
  }

  @Delete(':id')
  @ApiIdempotencyKey(SENT_ONCE)
  @HttpCode(204)
  @StaffRoles('admin', 'animator')
  @ApiOperation({
    summary: 'Supprimer un modèle de réponse',
    description:
      'Comme pour la modification : pour ne pas supprimer un modèle qu’un collègue vient de changer, envoyez la version lue (`version` dans le corps ou l’adresse, ou If-Match avec l’ETag reçu). Sans aucune, le modèle est supprimé tel que cette requête le lit.',
  })
  @ApiHeader(IF_MATCH)
  @ApiQuery({
    name: 'version',
    required: false,
    type: Number,
    example: 3,
    description: 'La version lue, au lieu du corps (les deux : la même)',
  })
  @ApiBody({ type: AnswerTemplateVersionDto, required: false })
  @ApiNoContentResponse({ description: 'Supprimé' })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'Version ou If-Match illisible, ou deux versions différentes dans le corps et l’adresse (champs version et ?version)',
  })
  @ApiConflictResponse({ type: ErrorResponseDto, description: `Il n’est pas supprimé : ${VERSION_STALE}` })
  @ApiPreconditionFailedResponse(IF_MATCH_MISSED)
  async remove(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id') id: string,
    @JsonBody('version') body: Json,
    @Query('version') queryVersion: unknown,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<void> {
    const template = await this.templates.get(staff, id);
    const said = deletionVersion((await validateBody(AnswerTemplateVersionDto, body)).version, queryVersion);
    if (said.errors.length) throw new ValidationFailed(said.errors);
    await this.templates.remove(staff, template, saveCondition(said.version, ifMatch, said.field));
  }
}

/** The template as the API gives it, its version also as the response's ETag (for If-Match). */
function templateView(
  { id, networkCode, title, body, kind, version, createdAt, updatedAt }: AnswerTemplate,
  res?: Response,
): AnswerTemplateDto {
  res?.setHeader('ETag', etagOf(version));
  return { id, networkCode, title, body, kind, version, createdAt, updatedAt };
}
