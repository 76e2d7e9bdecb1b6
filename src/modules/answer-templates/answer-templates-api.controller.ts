import { ApiIdempotencyKey, SENT_ONCE } from '../../common/idempotency-key';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorResponseDto } from '../../common/errors/error-response.dto';
import { validateBody } from '../../common/validation';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { ApiStaffAccess, CurrentStaff, StaffGuard, StaffRoles } from '../accounts/staff.guard';
import { AnswerTemplate } from './answer-template.entity';
import { AnswerTemplatesService } from './answer-templates.service';
import { AnswerTemplateDto, CreateAnswerTemplateDto, UpdateAnswerTemplateDto } from './dto/answer-template.dto';

/** The networks' answer templates for scripts (bearer token): everyone reads their networks', animators and admins keep them. */
@ApiTags('modèles de réponse')
@ApiStaffAccess()
@ApiNotFoundResponse({
  type: ErrorResponseDto,
  description:
    'Modèle introuvable ou hors de vos réseaux ; créer, modifier et supprimer sont réservés aux animateurs et aux administrateurs',
})
@UseGuards(StaffGuard)
@Controller('api/v1/staff/answer-templates')
export class AnswerTemplatesApiController {
  constructor(private readonly templates: AnswerTemplatesService) {}

  @Get()
  @ApiOperation({ summary: 'Lister les modèles de réponse de vos réseaux', description: 'Par réseau puis par titre.' })
  @ApiOkResponse({ type: [AnswerTemplateDto] })
  async list(@CurrentStaff() staff: StaffPrincipal): Promise<AnswerTemplateDto[]> {
    return (await this.templates.list(staff)).map(templateView);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Consulter un modèle de réponse' })
  @ApiOkResponse({ type: AnswerTemplateDto })
  async get(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string): Promise<AnswerTemplateDto> {
    return templateView(await this.templates.get(staff, id));
  }

  @Post()
  @ApiIdempotencyKey(SENT_ONCE)
  @HttpCode(201)
  @StaffRoles('admin', 'animator')
  @ApiOperation({ summary: 'Créer un modèle de réponse' })
  @ApiBody({ type: CreateAnswerTemplateDto })
  @ApiCreatedResponse({ type: AnswerTemplateDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Champs manquants ou invalides, un message par champ' })
  async create(@CurrentStaff() staff: StaffPrincipal, @Body() body: unknown): Promise<AnswerTemplateDto> {
    return templateView(await this.templates.create(staff, { ...(await validateBody(CreateAnswerTemplateDto, body)) }));
  }

  @Patch(':id')
  @ApiIdempotencyKey(SENT_ONCE)
  @StaffRoles('admin', 'animator')
  @ApiOperation({ summary: 'Modifier un modèle de réponse', description: 'Seuls les champs envoyés changent.' })
  @ApiBody({ type: UpdateAnswerTemplateDto })
  @ApiOkResponse({ type: AnswerTemplateDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Champs invalides, un message par champ' })
  async update(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @Body() body: unknown): Promise<AnswerTemplateDto> {
    const template = await this.templates.get(staff, id);
    return templateView(await this.templates.patch(staff, template, await validateBody(UpdateAnswerTemplateDto, body)));
  }

  @Delete(':id')
  @ApiIdempotencyKey(SENT_ONCE)
  @HttpCode(204)
  @StaffRoles('admin', 'animator')
  @ApiOperation({ summary: 'Supprimer un modèle de réponse' })
  @ApiNoContentResponse()
  async remove(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string): Promise<void> {
    await this.templates.remove(staff, id);
  }
}

function templateView({ id, networkCode, title, body, kind, createdAt, updatedAt }: AnswerTemplate): AnswerTemplateDto {
  return { id, networkCode, title, body, kind, createdAt, updatedAt };
}
