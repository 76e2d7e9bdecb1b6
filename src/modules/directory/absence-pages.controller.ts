import { Body, Controller, Get, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { parisDay } from '../../common/clock';
import { validateBody } from '../../common/validation';
import { formModel, FormModel, onFieldErrors } from '../../web/form-model';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { CurrentStaff, StaffGuard } from '../accounts/staff.guard';
import { DirectoryService } from './directory.service';
import { CreateAbsenceDto } from './dto/absence.dto';
import { FacilitatorDto } from './dto/facilitator.dto';

type Form = Record<string, unknown>;

const NOTICES: Record<string, string> = {
  ajout: 'L’absence est enregistrée : aucune nouvelle demande ne sera confiée pendant ces jours.',
  suppression: 'L’absence est supprimée.',
};

/**
 * « Mes absences » for a facilitator, and the same page for the animators and admins who manage them:
 * during an absence routing gives the facilitator no new request.
 */
@ApiExcludeController()
@UseGuards(StaffGuard)
@Controller('espace/facilitateurs/:id/absences')
export class AbsencePagesController {
  constructor(private readonly directory: DirectoryService) {}

  @Get()
  async show(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @Res() res: Response, @Query('fait') done: unknown) {
    const facilitator = await this.directory.withAbsencesManagedBy(staff, id);
    this.render(res, staff, facilitator, 200, formModel(), NOTICES[String(done)]);
  }

  @Post()
  async add(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @Res() res: Response, @Body() body: Form = {}) {
    const facilitator = await this.directory.withAbsencesManagedBy(staff, id);
    // Empty fields of the form count as not given, so a blank date reads « Indiquez … ».
    const fields = { startsOn: filled(body.startsOn), endsOn: filled(body.endsOn), reason: filled(body.reason) };
    await onFieldErrors(
      async () => this.directory.addAbsence(facilitator.id, await validateBody(CreateAbsenceDto, fields), [facilitator.networkCode]),
      (errors, error) => this.render(res, staff, facilitator, error.status, formModel(body, errors)),
      () => res.redirect(303, `${pageOf(facilitator)}?fait=ajout`),
    );
  }

  @Post(':absenceId/suppression')
  async remove(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id') id: string,
    @Param('absenceId') absenceId: string,
    @Res() res: Response,
  ) {
    const facilitator = await this.directory.withAbsencesManagedBy(staff, id);
    await this.directory.removeAbsence(facilitator.id, absenceId, [facilitator.networkCode]);
    res.redirect(303, `${pageOf(facilitator)}?fait=suppression`);
  }

  private render(res: Response, staff: StaffPrincipal, facilitator: FacilitatorDto, status: number, form: FormModel, notice?: string) {
    const own = staff.facilitatorId === facilitator.id;
    res.status(status).render('absences', {
      title: own ? 'Mes absences' : `Absences de ${facilitator.firstName} ${facilitator.lastName}`,
      own,
      facilitator,
      pageUrl: pageOf(facilitator),
      today: parisDay(new Date()),
      notice,
      form,
    });
  }
}

function pageOf(facilitator: FacilitatorDto): string {
  return `/espace/facilitateurs/${facilitator.id}/absences`;
}

function filled(value: unknown): unknown {
  return typeof value === 'string' && value.trim() === '' ? undefined : value;
}
