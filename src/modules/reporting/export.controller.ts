import { applyDecorators, Controller, Get, Query, Res, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiQueryOptions,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ErrorResponseDto } from '../../common/errors/error-response.dto';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { ApiStaffAccess, CurrentStaff, StaffGuard, StaffRoles } from '../accounts/staff.guard';
import { REQUEST_KINDS, REQUEST_STATUSES } from '../requests/request.types';
import { SURVEY_WAVES } from '../surveys/survey.types';
import { QUEUE_TABS } from '../workspace/workspace-queue.policy';
import { CSV_SEPARATOR_PARAMETER } from './csv-format.policy';
import { SCORES } from './evaluations.policy';
import { ExportService } from './export.service';
import { INDICATORS_NOT_FOUND } from './indicators-api.controller';

type Query = Record<string, unknown>;

const DAY = 'AAAA-MM-JJ (ou JJ/MM/AAAA), heure de Paris, inclus';

/** Optional query parameters, as every export's are. */
const ApiQueries = (...queries: ApiQueryOptions[]) =>
  applyDecorators(...queries.map((query) => ApiQuery({ required: false, type: String, ...query })));
const SEPARATOR: ApiQueryOptions = {
  name: CSV_SEPARATOR_PARAMETER,
  enum: ['virgule'],
  description: '« virgule » : des virgules entre les cellules ; sinon, quelle que soit la valeur, des points-virgules',
};
/** The filters both lists' exports share, and the separator. */
const LIST_FILTERS: ApiQueryOptions[] = [
  { name: 'reseau', description: 'Code d’un de vos réseaux, par exemple aura-ee ; un autre code est refusé (400)' },
  { name: 'kind', enum: REQUEST_KINDS },
  {
    name: 'segment',
    description: 'Code d’un segment d’achat des données de référence, par exemple office_supplies ; un code inconnu est refusé (400)',
  },
  { name: 'department', description: 'Code INSEE du département, par exemple 38, 2A ou 971 ; un code inconnu est refusé (400)' },
  { name: 'facilitator', description: 'Identifiant (UUID) du facilitateur' },
  SEPARATOR,
];

/**
 * A CSV download: UTF-8 with a byte order mark, `;` between cells unless `separateur=virgule`. A bearer client's
 * refusals are JSON (error-responder.ts); a parameter the export does not take is one of them. Without identity, a
 * program gets the 401 of ApiStaffAccess and a browser (the lists' buttons) the way to sign in (StaffGuard, wantsJson).
 */
const ApiCsv = (summary: string) =>
  applyDecorators(
    ApiOperation({ summary }),
    ApiOkResponse({
      description: 'Le fichier CSV (UTF-8 avec BOM, lignes terminées par CRLF), en pièce jointe',
      content: { 'text/csv': { schema: { type: 'string' } } },
      headers: {
        'Content-Disposition': { description: 'attachment; filename="….csv"', schema: { type: 'string' } },
      },
    }),
    ApiBadRequestResponse({
      type: ErrorResponseDto,
      description: 'Paramètre inconnu, répété, ou valeur non comprise — segment, département ou réseau inconnu compris (erreurs par champ)',
    }),
    ApiResponse({
      status: 303,
      description:
        'Sans jeton ni session, pour un navigateur (ou un client qui accepte text/html, comme curl avec */*) : vers ' +
        '/connexion?retour=…, qui ramène au fichier une fois connecté. Un programme (en-tête Authorization: Bearer, ou ' +
        'Accept: application/json sans text/html) reçoit 401 en JSON.',
      headers: { Location: { description: '/connexion?retour=<chemin du fichier>', schema: { type: 'string' } } },
    }),
  );

/** The CSV downloads behind the lists' buttons: what the person sees, with the list's filters; scripts too (bearer token). */
@ApiTags('Exports CSV')
@ApiStaffAccess()
@UseGuards(StaffGuard)
@Controller('espace/export')
export class ExportController {
  constructor(private readonly exports: ExportService) {}

  @Get('demandes.csv')
  @ApiCsv('Exporter les demandes visibles, avec les filtres de la liste')
  @ApiQueries(
    { name: 'du', description: `Déposées à partir de ce jour, ${DAY}` },
    { name: 'au', description: `Déposées jusqu’à ce jour, ${DAY}` },
    { name: 'status', enum: REQUEST_STATUSES },
    { name: 'q', description: 'Recherche, comme celle de la liste (100 caractères au plus)' },
    { name: 'late', enum: ['1', '0'], description: '1 : en retard seulement' },
    {
      name: 'escalated',
      enum: ['1', '0'],
      description: '1 : délai de prise en charge dépassé plusieurs fois, pas encore prises en charge',
    },
    { name: 'ouvertes', enum: ['1', '0'], description: '1 : les demandes non clôturées seulement' },
    { name: 'tab', enum: QUEUE_TABS, description: 'Les demandes d’un onglet de la liste seulement ; par défaut les deux' },
    ...LIST_FILTERS,
  )
  async requests(@CurrentStaff() staff: StaffPrincipal, @Query() query: Query, @Res() res: Response) {
    await this.exports.requests(res, staff, query);
  }

  @Get('evaluations.csv')
  @ApiCsv('Exporter les évaluations (questionnaires remplis) visibles, avec les filtres de la liste')
  @ApiQueries(
    { name: 'du', description: `Questionnaires remplis à partir de ce jour, ${DAY}` },
    { name: 'au', description: `Questionnaires remplis jusqu’à ce jour, ${DAY}` },
    { name: 'wave', enum: SURVEY_WAVES },
    { name: 'score', enum: SCORES },
    { name: 'reviewed', enum: ['oui', 'non'] },
    ...LIST_FILTERS,
  )
  async evaluations(@CurrentStaff() staff: StaffPrincipal, @Query() query: Query, @Res() res: Response) {
    await this.exports.evaluations(res, staff, query);
  }

  /** The dashboard's figures, with the page's filters (`reseau`, `type`, `du`, `au`): the dashboard's own readers. */
  @Get('indicateurs.csv')
  @StaffRoles('admin', 'animator')
  @ApiCsv('Exporter les indicateurs d’un réseau (ou nationaux), ceux de la page et de GET /api/v1/staff/indicators')
  @ApiQueries(
    { name: 'reseau', description: 'Code du réseau, ou « all » (administrateurs) ; par défaut le premier de vos réseaux' },
    { name: 'type', enum: REQUEST_KINDS, description: 'Un type de question seulement ; par défaut les deux' },
    { name: 'du', description: 'Premier jour (AAAA-MM-JJ) ; par défaut le dernier trimestre complet' },
    { name: 'au', description: 'Dernier jour inclus (AAAA-MM-JJ)' },
    SEPARATOR,
  )
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: INDICATORS_NOT_FOUND })
  async indicators(@CurrentStaff() staff: StaffPrincipal, @Query() query: Query, @Res() res: Response) {
    await this.exports.indicators(res, staff, query);
  }
}
