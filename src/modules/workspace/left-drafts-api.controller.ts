import { Controller, Delete, Get, HttpCode, Param, UseGuards } from '@nestjs/common';
import { ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorResponseDto } from '../../common/errors/error-response.dto';
import { JsonBody } from '../../common/json-body.decorator';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { ApiStaffAccess, CurrentStaff, StaffGuard, StaffRoles } from '../accounts/staff.guard';
import { LeftDraftsService } from '../answer-drafts/left-drafts.service';
import { LeftAnswerDraftDto } from './dto/staff-action.dto';

/** « Mes brouillons laissés » for scripts (bearer token): the same drafts as the page, to read and delete, facilitators only. */
@ApiTags('espace facilitateur')
@ApiStaffAccess()
@UseGuards(StaffGuard)
@StaffRoles('facilitator')
@Controller('api/v1/staff/left-answer-drafts')
export class LeftDraftsApiController {
  constructor(private readonly leftDrafts: LeftDraftsService) {}

  @Get()
  @ApiOperation({
    summary: 'Lister mes brouillons laissés',
    description:
      'Les brouillons de réponse de la personne connectée sur les demandes qui ne lui sont plus confiées (transférées, ' +
      'réaffectées, rendues), les plus récents d’abord : seulement ce qu’elle a écrit, avec la référence et l’objet de la demande.',
  })
  @ApiOkResponse({ type: [LeftAnswerDraftDto] })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Réservé aux facilitateurs' })
  async list(@CurrentStaff() staff: StaffPrincipal) {
    // The département only dates the page's times: nothing else of the request leaves here.
    return (await this.leftDrafts.list(staff)).map(({ departmentCode: _department, ...draft }) => draft);
  }

  @Delete(':reference')
  @HttpCode(204)
  @ApiOperation({ summary: 'Supprimer un de mes brouillons laissés' })
  @ApiNoContentResponse({ description: 'Supprimé' })
  @ApiNotFoundResponse({
    type: ErrorResponseDto,
    description: 'Aucun brouillon laissé par vous sur cette demande (réservé aux facilitateurs)',
  })
  async discard(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('reference') reference: string,
    @JsonBody() _none: Record<string, unknown>,
  ): Promise<void> {
    await this.leftDrafts.discard(staff, reference);
  }
}
