import { Body, Controller, Get, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { parisDay } from '../../common/clock';
import { validateBody } from '../../common/validation';
import { formModel, FormModel, onFieldErrors } from '../../web/form-model';
import { visibleNetworks } from '../accounts/access.policy';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { CurrentStaff, StaffGuard, StaffRoles } from '../accounts/staff.guard';
import { ReferenceService } from '../reference/reference.service';
import { REQUEST_KINDS, RequestKind } from '../requests/request.types';
import { DirectoryService } from './directory.service';
import { CreateAbsenceDto } from './dto/absence.dto';
import { CreateFacilitatorDto, FacilitatorDto } from './dto/facilitator.dto';
import { facilitatorFormOf, FacilitatorFormValues, formToFacilitator, pickFacilitatorForm } from './facilitator-form';

type Form = Record<string, unknown>;

/** Who the facilitator is, rather than what a request is about (KIND_LABELS). */
const FACILITATOR_KINDS: Record<RequestKind, string> = {
  environmental: 'Conseiller environnemental (guichet vert)',
  social_clause: 'Facilitateur de clauses sociales',
};

const NOTICES: Record<string, string> = {
  ajout: 'L’absence est enregistrée : aucune nouvelle demande ne sera confiée pendant ces jours.',
  suppression: 'L’absence est supprimée.',
  creation: 'Le facilitateur est ajouté à l’annuaire : le routage peut lui confier des demandes.',
  modification: 'La fiche est enregistrée.',
};

/**
 * The directory in the workspace: animators and admins add facilitators and change their records
 * (coverage, segments, capacity); absences are declared by the facilitator themself or by those who
 * manage them. During an absence routing gives the facilitator no new request.
 */
@ApiExcludeController()
@UseGuards(StaffGuard)
@Controller('espace/facilitateurs')
export class DirectoryPagesController {
  constructor(
    private readonly directory: DirectoryService,
    private readonly reference: ReferenceService,
  ) {}

  @Get('nouveau')
  @StaffRoles('admin', 'animator')
  newFacilitator(@CurrentStaff() staff: StaffPrincipal, @Res() res: Response) {
    const networks = this.networkOptions(staff);
    const values: FacilitatorFormValues = { segments: [], capacity: '10', active: 'true' };
    if (networks.length === 1) values.networkCode = networks[0].value;
    this.renderProfile(res, staff, undefined, 200, formModel({ ...values }));
  }

  @Post('nouveau')
  @StaffRoles('admin', 'animator')
  async create(@CurrentStaff() staff: StaffPrincipal, @Res() res: Response, @Body() body: Form = {}) {
    const values = pickFacilitatorForm(body);
    await onFieldErrors(
      async () => this.directory.create(await validateBody(CreateFacilitatorDto, formToFacilitator(values)), visibleNetworks(staff)),
      (errors, error) => this.renderProfile(res, staff, undefined, error.status, formModel({ ...values }, errors)),
      (created) => res.redirect(303, `${profilePage(created)}?fait=creation`),
    );
  }

  /** Managers get the form; the facilitator themself, their record as it stands (their animators change it). */
  @Get(':id/fiche')
  async profile(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @Res() res: Response, @Query('fait') done: unknown) {
    const facilitator = await this.directory.forSelfOrManager(staff, id);
    if (staff.facilitatorId === facilitator.id) return this.renderOwnProfile(res, facilitator);
    this.renderProfile(res, staff, facilitator, 200, formModel({ ...facilitatorFormOf(facilitator) }), NOTICES[String(done)]);
  }

  @Post(':id/fiche')
  @StaffRoles('admin', 'animator')
  async update(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @Res() res: Response, @Body() body: Form = {}) {
    const facilitator = await this.directory.get(id, visibleNetworks(staff));
    const values = pickFacilitatorForm(body);
    await onFieldErrors(
      async () =>
        // The form holds the whole record: a field emptied is an error, not « unchanged » as in the API's PATCH.
        this.directory.update(facilitator.id, await validateBody(CreateFacilitatorDto, formToFacilitator(values)), visibleNetworks(staff)),
      (errors, error) => this.renderProfile(res, staff, facilitator, error.status, formModel({ ...values }, errors)),
      () => res.redirect(303, `${profilePage(facilitator)}?fait=modification`),
    );
  }

  @Get(':id/absences')
  async absences(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @Res() res: Response, @Query('fait') done: unknown) {
    const facilitator = await this.directory.forSelfOrManager(staff, id);
    this.renderAbsences(res, staff, facilitator, 200, formModel(), NOTICES[String(done)]);
  }

  @Post(':id/absences')
  async addAbsence(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @Res() res: Response, @Body() body: Form = {}) {
    const facilitator = await this.directory.forSelfOrManager(staff, id);
    // Empty fields of the form count as not given, so a blank date reads « Indiquez … ».
    const fields = { startsOn: filled(body.startsOn), endsOn: filled(body.endsOn), reason: filled(body.reason) };
    await onFieldErrors(
      async () => this.directory.addAbsence(facilitator.id, await validateBody(CreateAbsenceDto, fields), [facilitator.networkCode], staff),
      (errors, error) => this.renderAbsences(res, staff, facilitator, error.status, formModel(body, errors)),
      () => res.redirect(303, `${absencesPage(facilitator)}?fait=ajout`),
    );
  }

  @Post(':id/absences/:absenceId/suppression')
  async removeAbsence(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id') id: string,
    @Param('absenceId') absenceId: string,
    @Res() res: Response,
  ) {
    const facilitator = await this.directory.forSelfOrManager(staff, id);
    await this.directory.removeAbsence(facilitator.id, absenceId, [facilitator.networkCode]);
    res.redirect(303, `${absencesPage(facilitator)}?fait=suppression`);
  }

  private renderProfile(
    res: Response,
    staff: StaffPrincipal,
    facilitator: FacilitatorDto | undefined,
    status: number,
    form: FormModel,
    notice?: string,
  ) {
    const networks = this.networkOptions(staff);
    res.status(status).render('facilitator-profile', {
      title: facilitator ? `Fiche de ${facilitator.firstName} ${facilitator.lastName}` : 'Ajouter un facilitateur',
      facilitator,
      action: facilitator ? profilePage(facilitator) : '/espace/facilitateurs/nouveau',
      absencesUrl: facilitator && absencesPage(facilitator),
      notice,
      form,
      kinds: REQUEST_KINDS.map((kind) => ({ value: kind, label: FACILITATOR_KINDS[kind] })),
      networks,
      // Few networks: their départements are spelt out beside the field; an admin's whole list would drown it.
      networkDepartments:
        networks.length <= 3
          ? networks.map((network) => ({
              name: network.label,
              departments: this.reference
                .allDepartments()
                .filter((department) => department.networkCode === network.value)
                .map((department) => `${department.code} ${department.name}`),
            }))
          : [],
      segments: this.reference.allSegments().map((segment) => ({ value: segment.code, label: segment.label })),
    });
  }

  private renderOwnProfile(res: Response, facilitator: FacilitatorDto) {
    res.render('facilitator-own-profile', {
      title: 'Ma fiche de facilitateur',
      facilitator,
      kindLabel: FACILITATOR_KINDS[facilitator.kind],
      networkName: this.reference.network(facilitator.networkCode)?.name ?? facilitator.networkCode,
      departments: facilitator.departmentCodes.map((code) => `${code} ${this.reference.department(code)?.name ?? ''}`.trim()),
      segments: facilitator.segments.map((code) => this.reference.segment(code)?.label ?? code),
      absencesUrl: absencesPage(facilitator),
    });
  }

  private renderAbsences(
    res: Response,
    staff: StaffPrincipal,
    facilitator: FacilitatorDto,
    status: number,
    form: FormModel,
    notice?: string,
  ) {
    const own = staff.facilitatorId === facilitator.id;
    res.status(status).render('absences', {
      title: own ? 'Mes absences' : `Absences de ${facilitator.firstName} ${facilitator.lastName}`,
      own,
      facilitator,
      pageUrl: absencesPage(facilitator),
      today: parisDay(new Date()),
      notice,
      form,
    });
  }

  /** The networks the person may put a facilitator in: an admin's all, an animator's own. */
  private networkOptions(staff: StaffPrincipal): Array<{ value: string; label: string }> {
    const scope = visibleNetworks(staff);
    return this.reference
      .allNetworks()
      .filter((network) => scope === null || scope.includes(network.code))
      .map((network) => ({ value: network.code, label: network.name }));
  }
}

function profilePage(facilitator: { id: string }): string {
  return `/espace/facilitateurs/${facilitator.id}/fiche`;
}

function absencesPage(facilitator: { id: string }): string {
  return `/espace/facilitateurs/${facilitator.id}/absences`;
}

function filled(value: unknown): unknown {
  return typeof value === 'string' && value.trim() === '' ? undefined : value;
}
