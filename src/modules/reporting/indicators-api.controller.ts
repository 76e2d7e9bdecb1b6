import { REQUEST_KINDS } from '../requests/request.types';
import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { ApiStaffAccess, CurrentStaff, StaffGuard, StaffRoles } from '../accounts/staff.guard';
import { ErrorResponseDto } from '../../common/errors/error-response.dto';
import { IndicatorsDashboardDto } from './dto/indicators-dashboard.dto';
import { API_QUERY_FIELDS, IndicatorsService } from './indicators.service';

/** A network known but not the person's is no 400: theirs to see or not (the CSV export's too). */
export const INDICATORS_NOT_FOUND =
  'Un réseau existant qui n’est pas l’un des vôtres (ou « all » pour un animateur) ; facilitateurs : aucun indicateur';

/** The dashboard's figures for scripts (bearer token), the same as the page's. */
@ApiTags('Indicateurs')
@ApiStaffAccess()
@ApiNotFoundResponse({ type: ErrorResponseDto, description: INDICATORS_NOT_FOUND })
@ApiBadRequestResponse({
  type: ErrorResponseDto,
  description: 'Code de réseau inconnu, type inconnu, période invalide ou paramètre inconnu (erreurs par champ)',
})
@UseGuards(StaffGuard)
@StaffRoles('admin', 'animator')
@Controller('api/v1/staff/indicators')
export class IndicatorsApiController {
  constructor(private readonly indicators: IndicatorsService) {}

  @Get()
  @ApiOperation({ summary: 'Indicateurs d’un réseau (ou national), sur une période, avec la période précédente et les alertes' })
  @ApiQuery({
    name: 'network',
    required: false,
    description: 'Code du réseau, ou « all » pour tous les réseaux (administrateurs) ; par défaut le premier de vos réseaux',
  })
  @ApiQuery({ name: 'kind', required: false, enum: REQUEST_KINDS, description: 'Un type de question seulement ; par défaut les deux' })
  @ApiQuery({ name: 'from', required: false, description: 'Premier jour (AAAA-MM-JJ) ; par défaut le dernier trimestre complet' })
  @ApiQuery({ name: 'to', required: false, description: 'Dernier jour inclus (AAAA-MM-JJ)' })
  @ApiOkResponse({
    type: IndicatorsDashboardDto,
    description: 'Chiffres (parts entre 0 et 1, délais en jours ouvrés), période précédente, évolution, alertes',
  })
  show(@CurrentStaff() staff: StaffPrincipal, @Query() query: Record<string, unknown>) {
    return this.indicators.strictDashboard(staff, query, API_QUERY_FIELDS);
  }
}
