import { Body, Controller, Get, Param, Post, Query, Req, Res, UploadedFiles, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppError } from '../../common/errors/app-errors';
import { isoDayOf, validateBody } from '../../common/validation';
import { formModel, onFieldErrors } from '../../web/form-model';
import { visibleNetworks } from '../accounts/access.policy';
import type { StaffPrincipal, StaffSessionRef } from '../accounts/accounts.types';
import { CSRF_FIELD, CsrfService } from '../accounts/csrf.service';
import { CsrfCheckedInHandler, CurrentStaff, CurrentStaffSession, StaffGuard, StaffRoles } from '../accounts/staff.guard';
import { cleanFileName } from '../attachments/file-name.policy';
import { FILES_FIELD, UploadInterceptor, uploadRefusalOf } from '../attachments/upload.interceptor';
import { absencesPath, DirectoryViews, IMPORT_MAX_BYTES, ImportOutcome, profilePath } from './directory-views';
import { DirectoryService } from './directory.service';
import { CreateAbsenceDto } from './dto/absence.dto';
import { csvFileProblem } from './facilitator-csv-file.policy';
import { facilitatorFormOf, FacilitatorFormValues, formToFacilitator, pickFacilitatorForm } from './facilitator-form';
import { FacilitatorImportService, ImportFileError } from './facilitator-import.service';

type Form = Record<string, unknown>;

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
    private readonly views: DirectoryViews,
    private readonly importer: FacilitatorImportService,
    private readonly csrf: CsrfService,
  ) {}

  @Get('import')
  @StaffRoles('admin', 'animator')
  importForm(@CurrentStaff() staff: StaffPrincipal, @Res() res: Response) {
    res.render('facilitators-import', this.views.importPage(staff, formModel()));
  }

  @Get('import/modele.csv')
  @StaffRoles('admin', 'animator')
  importModel(@CurrentStaff() staff: StaffPrincipal, @Res() res: Response) {
    res.attachment('facilitateurs-modele.csv').type('text/csv; charset=utf-8').send(this.views.importModel(staff));
  }

  /**
   * « Vérifier le fichier » runs every row as the import would, then rolls each back; « Importer » writes the valid
   * ones. Either way the page comes back with the report (no redirect: it would lose it; importing the same file twice
   * changes nothing the second time). Multipart: the guard cannot read the CSRF field, checked here once parsed.
   */
  @Post('import')
  @StaffRoles('admin', 'animator')
  @CsrfCheckedInHandler()
  @UseInterceptors(UploadInterceptor(FILES_FIELD, { keepForm: true, maxBytes: IMPORT_MAX_BYTES }))
  async import(
    @CurrentStaff() staff: StaffPrincipal,
    @CurrentStaffSession() session: StaffSessionRef,
    @Req() req: Request,
    @UploadedFiles() files: Express.Multer.File[] = [],
    @Res() res: Response,
  ) {
    const body = (req.body ?? {}) as Form;
    this.csrf.assertValid(session, body[CSRF_FIELD]);
    const mode = body.action === 'importer' ? 'import' : 'check';
    await onFieldErrors(
      async (): Promise<ImportOutcome> => {
        const file = chosenCsv(files, uploadRefusalOf(req));
        try {
          const write = { scope: visibleNetworks(staff), actor: staff, dryRun: mode === 'check' };
          return { mode, fileName: cleanFileName(file.originalname), report: await this.importer.importCsv(file.buffer, undefined, write) };
        } catch (error) {
          throw error instanceof ImportFileError ? fileRefused(error.message) : error;
        }
      },
      // A file refused for its size as for its content: the form is what is wrong, said as such (400).
      (errors) => res.status(400).render('facilitators-import', this.views.importPage(staff, formModel({}, errors))),
      (outcome) => res.status(200).render('facilitators-import', this.views.importPage(staff, formModel(), outcome)),
    );
  }

  @Get('nouveau')
  @StaffRoles('admin', 'animator')
  newFacilitator(@CurrentStaff() staff: StaffPrincipal, @Res() res: Response) {
    const networks = this.views.networkOptions(staff);
    const values: FacilitatorFormValues = { segments: [], capacity: '10', active: 'true' };
    if (networks.length === 1) values.networkCode = networks[0].value;
    res.render('facilitator-profile', this.views.profilePage(staff, undefined, formModel({ ...values })));
  }

  @Post('nouveau')
  @StaffRoles('admin', 'animator')
  async create(@CurrentStaff() staff: StaffPrincipal, @Res() res: Response, @Body() body: Form = {}) {
    const values = pickFacilitatorForm(body);
    await onFieldErrors(
      async () => this.directory.create(await this.directory.checkedForm(formToFacilitator(values)), visibleNetworks(staff), staff),
      (errors, error) =>
        res.status(error.status).render('facilitator-profile', this.views.profilePage(staff, undefined, formModel({ ...values }, errors))),
      (created) => res.redirect(303, `${profilePath(created)}?fait=creation`),
    );
  }

  /** Managers get the form; the facilitator themself, their record as it stands (their animators change it). */
  @Get(':id/fiche')
  async profile(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @Res() res: Response, @Query('fait') done: unknown) {
    const facilitator = await this.directory.forSelfOrManager(staff, id);
    if (staff.facilitatorId === facilitator.id) {
      const contacts = await this.directory.contactsOf(facilitator.networkCode);
      return res.render('facilitator-own-profile', { ...this.views.ownProfilePage(facilitator), contacts });
    }
    const invite = !(await this.directory.hasAccount(facilitator.id));
    res.render(
      'facilitator-profile',
      this.views.profilePage(staff, facilitator, formModel({ ...facilitatorFormOf(facilitator) }), done, invite),
    );
  }

  @Post(':id/fiche')
  @StaffRoles('admin', 'animator')
  async update(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @Res() res: Response, @Body() body: Form = {}) {
    const facilitator = await this.directory.get(id, visibleNetworks(staff));
    const values = pickFacilitatorForm(body);
    await onFieldErrors(
      async () =>
        // The form holds the whole record: a field emptied is an error, not « unchanged » as in the API's PATCH.
        this.directory.update(facilitator.id, await this.directory.checkedForm(formToFacilitator(values)), visibleNetworks(staff), staff),
      (errors, error) =>
        res
          .status(error.status)
          .render('facilitator-profile', this.views.profilePage(staff, facilitator, formModel({ ...values }, errors))),
      (updated) =>
        res.redirect(303, `${profilePath(facilitator)}?fait=${facilitator.active && !updated.active ? 'retrait' : 'modification'}`),
    );
  }

  @Get(':id/absences')
  async absences(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @Res() res: Response, @Query('fait') done: unknown) {
    const facilitator = await this.directory.forSelfOrManager(staff, id);
    res.render(
      'absences',
      this.views.absencesPage(staff, facilitator, await this.directory.heldRequests(facilitator.id), formModel(), done),
    );
  }

  @Post(':id/absences')
  async addAbsence(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @Res() res: Response, @Body() body: Form = {}) {
    const facilitator = await this.directory.forSelfOrManager(staff, id);
    // Empty fields of the form count as not given, so a blank date reads « Indiquez … ».
    const fields = { startsOn: isoDayOf(filled(body.startsOn)), endsOn: isoDayOf(filled(body.endsOn)), reason: filled(body.reason) };
    await onFieldErrors(
      async () => this.directory.addAbsence(facilitator.id, await validateBody(CreateAbsenceDto, fields), [facilitator.networkCode], staff),
      async (errors, error) =>
        res
          .status(error.status)
          .render(
            'absences',
            this.views.absencesPage(staff, facilitator, await this.directory.heldRequests(facilitator.id), formModel(body, errors)),
          ),
      () => res.redirect(303, `${absencesPath(facilitator)}?fait=ajout`),
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
    res.redirect(303, `${absencesPath(facilitator)}?fait=suppression`);
  }
}

/** The one CSV file of the import form, or why it cannot be read. */
function chosenCsv(files: Express.Multer.File[], refusal: AppError | undefined): Express.Multer.File {
  if (refusal) throw refusal;
  if (files.length !== 1)
    throw fileRefused(files.length ? 'Choisissez un seul fichier CSV.' : 'Choisissez le fichier CSV des facilitateurs.');
  const problem = csvFileProblem(files[0].buffer);
  if (problem) throw fileRefused(problem);
  return files[0];
}

function fileRefused(message: string): AppError {
  return new AppError('validation_failed', message, [{ field: FILES_FIELD, message }]);
}

function filled(value: unknown): unknown {
  return typeof value === 'string' && value.trim() === '' ? undefined : value;
}
