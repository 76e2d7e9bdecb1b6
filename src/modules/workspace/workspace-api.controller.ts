import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, UploadedFiles, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { StaffPrincipal, StaffSessionRef } from '../accounts/accounts.types';
import { CSRF_FIELD, CSRF_HEADER, CsrfService } from '../accounts/csrf.service';
import { CsrfCheckedInHandler, CurrentStaff, CurrentStaffSession, StaffGuard } from '../accounts/staff.guard';
import { UploadInterceptor } from '../attachments/upload.interceptor';
import { ErrorResponseDto } from '../intake/dto/create-request.dto';
import { REQUEST_KINDS, REQUEST_STATUSES } from '../requests/request.types';
import { QUEUE_TABS } from './workspace-queue.policy';
import { WorkspaceService } from './workspace.service';

type Json = Record<string, unknown>;

/** The workspace for scripts (bearer token): the same queue, request and actions as the pages. */
@ApiTags('espace facilitateur')
@ApiBearerAuth()
@UseGuards(StaffGuard)
@Controller('api/v1/staff/requests')
export class WorkspaceApiController {
  constructor(
    private readonly workspace: WorkspaceService,
    private readonly csrf: CsrfService,
  ) {}

  @Get()
  @ApiQuery({ name: 'tab', required: false, enum: QUEUE_TABS, description: 'Mes demandes (par défaut) ou la réserve du réseau' })
  @ApiQuery({ name: 'status', required: false, enum: REQUEST_STATUSES, description: 'Par défaut : tous les statuts ouverts' })
  @ApiQuery({ name: 'kind', required: false, enum: REQUEST_KINDS })
  @ApiQuery({ name: 'segment', required: false, description: 'Code du segment d’achat, par exemple office_supplies' })
  @ApiQuery({ name: 'department', required: false, description: 'Code INSEE du département, par exemple 38 ou 2A' })
  @ApiQuery({ name: 'late', required: false, enum: ['1', '0'], description: '1 : en retard seulement' })
  @ApiQuery({
    name: 'q',
    required: false,
    description:
      'Recherche (100 caractères au plus) dans la référence, l’objet, l’organisation et le nom de l’acheteur ; sans status, clôturées comprises',
  })
  @ApiQuery({ name: 'facilitator', required: false, description: 'Identifiant (UUID) du facilitateur qui suit les demandes' })
  @ApiQuery({ name: 'page', required: false, type: Number, description: 'À partir de 1 ; au-delà de la dernière, la dernière' })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Paramètre inconnu ou valeur non comprise (erreurs par champ)' })
  async list(@CurrentStaff() staff: StaffPrincipal, @Query() query: Json) {
    const { items, facilitators: _choices, ...rest } = await this.workspace.queue(staff, this.workspace.apiQueueFilters(query));
    return { ...rest, items: items.map(({ id: _id, ...item }) => item) };
  }

  @Get(':reference')
  async show(@CurrentStaff() staff: StaffPrincipal, @Param('reference') reference: string) {
    const { request, ...page } = await this.workspace.requestPage(staff, reference);
    const { id: _id, assignmentId: _assignment, ...shown } = request;
    return { request: shown, ...page };
  }

  @Post(':reference/take-charge')
  @HttpCode(200)
  async takeCharge(@CurrentStaff() staff: StaffPrincipal, @Param('reference') reference: string) {
    await this.workspace.takeCharge(staff, reference);
    return this.status(staff, reference);
  }

  @Post(':reference/decline')
  @HttpCode(200)
  async decline(@CurrentStaff() staff: StaffPrincipal, @Param('reference') reference: string, @Body() body: Json = {}) {
    await this.workspace.decline(staff, reference, body.reason);
    return { reference, declined: true };
  }

  @Post(':reference/notes')
  @HttpCode(201)
  async note(@CurrentStaff() staff: StaffPrincipal, @Param('reference') reference: string, @Body() body: Json = {}) {
    await this.workspace.addNote(staff, reference, body.body);
    return this.status(staff, reference);
  }

  @Post(':reference/clarification')
  @HttpCode(200)
  async clarify(@CurrentStaff() staff: StaffPrincipal, @Param('reference') reference: string, @Body() body: Json = {}) {
    await this.workspace.askClarification(staff, reference, body.body);
    return this.status(staff, reference);
  }

  /** JSON `{ body, items }`, or multipart with files in `fichiers` and items as `items[0][type]`… */
  @Post(':reference/answer')
  @HttpCode(200)
  @CsrfCheckedInHandler()
  @UseInterceptors(UploadInterceptor())
  async answer(
    @CurrentStaff() staff: StaffPrincipal,
    @CurrentStaffSession() session: StaffSessionRef,
    @Param('reference') reference: string,
    @Req() req: Request,
    @UploadedFiles() files: Express.Multer.File[] = [],
  ) {
    const body = (req.body ?? {}) as Json;
    this.csrf.assertValid(session, body[CSRF_FIELD] ?? req.header(CSRF_HEADER));
    await this.workspace.answer(staff, reference, body, files);
    return this.status(staff, reference);
  }

  @Post(':reference/close')
  @HttpCode(200)
  async close(@CurrentStaff() staff: StaffPrincipal, @Param('reference') reference: string, @Body() body: Json = {}) {
    await this.workspace.close(staff, reference, body.reason);
    return this.status(staff, reference);
  }

  /** The buyer's right to erasure: `{"confirm": true}`; a closed request only, by its network's animators or an admin. */
  @Post(':reference/erase-personal-data')
  @HttpCode(200)
  async erasePersonalData(@CurrentStaff() staff: StaffPrincipal, @Param('reference') reference: string, @Body() body: Json = {}) {
    // Only a closed request can be erased, and it stays closed.
    const anonymisedAt = await this.workspace.erasePersonalData(staff, reference, body.confirm);
    return { reference, status: 'closed', anonymisedAt };
  }

  private async status(staff: StaffPrincipal, reference: string) {
    const { request } = await this.workspace.requestPage(staff, reference);
    return { reference, status: request.status, closeReason: request.closeReason };
  }
}
