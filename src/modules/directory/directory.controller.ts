import { Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { JsonBodyForDto } from '../../common/json-body.decorator';
import { validateBody } from '../../common/validation';
import { visibleNetworks } from '../accounts/access.policy';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { ApiJsonWriteRefusals } from '../accounts/repeated-action.interceptor';
import { ApiStaffAccess, CurrentStaff, StaffGuard, StaffRoles } from '../accounts/staff.guard';
import { REQUEST_KINDS } from '../requests/request.types';
import { ErrorResponseDto } from '../../common/errors/error-response.dto';
import { DirectoryService } from './directory.service';
import { AbsenceDto, CreateAbsenceDto } from './dto/absence.dto';
import { CreateFacilitatorDto, FacilitatorDto, FacilitatorQueryDto, UpdateFacilitatorDto } from './dto/facilitator.dto';

@ApiTags('Annuaire')
@ApiStaffAccess()
@ApiNotFoundResponse({
  type: ErrorResponseDto,
  description:
    'Facilitateur ou absence introuvable, ou hors de vos réseaux ; l’API est réservée aux administrateurs et aux animateurs (ces derniers pour les facilitateurs de leurs réseaux)',
})
@UseGuards(StaffGuard)
@StaffRoles('admin', 'animator')
@Controller('api/v1/facilitators')
export class DirectoryController {
  constructor(private readonly directory: DirectoryService) {}

  @Get()
  @ApiOperation({
    summary: 'Lister les facilitateurs',
    description: 'Avec départements, segments, charge, capacité et absences en cours ou à venir.',
  })
  @ApiQuery({ name: 'network', required: false, example: 'aura-ee' })
  @ApiQuery({ name: 'kind', required: false, enum: REQUEST_KINDS })
  @ApiQuery({ name: 'active', required: false, enum: ['true', 'false'] })
  @ApiOkResponse({ type: [FacilitatorDto] })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Filtre invalide' })
  async list(@CurrentStaff() staff: StaffPrincipal, @Query() query: unknown): Promise<FacilitatorDto[]> {
    return this.directory.list(await validateBody(FacilitatorQueryDto, query), visibleNetworks(staff));
  }

  @Get(':id')
  @ApiOperation({ summary: 'Consulter un facilitateur' })
  @ApiOkResponse({ type: FacilitatorDto })
  async get(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string): Promise<FacilitatorDto> {
    return this.directory.get(id, visibleNetworks(staff));
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Ajouter un facilitateur' })
  @ApiBody({ type: CreateFacilitatorDto })
  @ApiCreatedResponse({ type: FacilitatorDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Champs invalides, un message par champ' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Adresse électronique déjà utilisée' })
  @ApiJsonWriteRefusals()
  async create(@CurrentStaff() staff: StaffPrincipal, @JsonBodyForDto() body: unknown): Promise<FacilitatorDto> {
    return this.directory.create(await validateBody(CreateFacilitatorDto, body), visibleNetworks(staff), staff);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Modifier un facilitateur',
    description: 'Seuls les champs envoyés changent. Pas de suppression : active=false.',
  })
  @ApiBody({ type: UpdateFacilitatorDto })
  @ApiOkResponse({ type: FacilitatorDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Champs invalides, un message par champ' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Adresse électronique déjà utilisée' })
  @ApiJsonWriteRefusals()
  async update(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @JsonBodyForDto() body: unknown): Promise<FacilitatorDto> {
    return this.directory.update(id, await validateBody(UpdateFacilitatorDto, body), visibleNetworks(staff), staff);
  }

  @Post(':id/absences')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Déclarer une absence',
    description: 'Jours entiers, bornes incluses ; pendant l’absence, aucune demande n’est confiée.',
  })
  @ApiBody({ type: CreateAbsenceDto })
  @ApiCreatedResponse({ type: AbsenceDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Dates invalides, ou fin avant le début' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Chevauche une autre absence' })
  @ApiJsonWriteRefusals()
  async addAbsence(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @JsonBodyForDto() body: unknown): Promise<AbsenceDto> {
    return this.directory.addAbsence(id, await validateBody(CreateAbsenceDto, body), visibleNetworks(staff));
  }

  @Delete(':id/absences/:absenceId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Supprimer une absence' })
  @ApiNoContentResponse()
  async removeAbsence(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id') id: string,
    @Param('absenceId') absenceId: string,
  ): Promise<void> {
    await this.directory.removeAbsence(id, absenceId, visibleNetworks(staff));
  }
}
