import { Body, Controller, Get, Param, Post, Query, Req, Res, UploadedFiles, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppError } from '../../common/errors/app-errors';
import { formModel } from '../../web/form-model';
import type { StaffPrincipal, StaffSessionRef } from '../accounts/accounts.types';
import { CSRF_FIELD, CsrfService } from '../accounts/csrf.service';
import { CsrfCheckedInHandler, CurrentStaff, CurrentStaffSession, StaffGuard } from '../accounts/staff.guard';
import { sendAttachment } from '../attachments/attachment-download';
import { AttachmentsService } from '../attachments/attachments.service';
import { UploadInterceptor } from '../attachments/upload.interceptor';
import { WorkspaceViews } from './workspace-views';
import { WorkspaceService } from './workspace.service';
import { parseQueueFilters } from './workspace-queue.policy';

type Form = Record<string, unknown>;

/** The forms of the request page, each re-rendered with its own errors. */
type FormName = 'decline' | 'note' | 'clarify' | 'answer' | 'close';

const DONE: Record<string, string> = {
  'prise-en-charge': 'Vous avez pris cette demande en charge.',
  declin: 'Vous avez décliné cette demande : elle est confiée à quelqu’un d’autre.',
  note: 'La note interne est enregistrée.',
  precision: 'Votre question est envoyée à l’acheteur. Le délai de réponse est suspendu jusqu’à sa précision.',
  reponse: 'Votre réponse est envoyée à l’acheteur.',
  cloture: 'La demande est clôturée.',
};

/** The facilitators' workspace: the queue, one request's page and its actions (forms without JavaScript). */
@ApiExcludeController()
@UseGuards(StaffGuard)
@Controller('espace')
export class WorkspacePagesController {
  constructor(
    private readonly workspace: WorkspaceService,
    private readonly views: WorkspaceViews,
    private readonly attachments: AttachmentsService,
    private readonly csrf: CsrfService,
  ) {}

  @Get()
  async queue(@CurrentStaff() staff: StaffPrincipal, @Query() query: Form, @Res() res: Response) {
    const filters = parseQueueFilters(query);
    res.setHeader('Cache-Control', 'no-store');
    res.render('workspace-queue', this.views.queuePage(staff, filters, await this.workspace.queue(staff, filters)));
  }

  @Get('demandes/:reference')
  async request(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('reference') reference: string,
    @Query('fait') done: unknown,
    @Res() res: Response,
  ) {
    await this.render(res, staff, reference, 200, { notice: DONE[String(done)] });
  }

  /** Staff who see the request may download any of its files. */
  @Get('demandes/:reference/pieces-jointes/:id')
  async download(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('reference') reference: string,
    @Param('id') id: string,
    @Res() res: Response,
  ) {
    const page = await this.workspace.requestPage(staff, reference);
    sendAttachment(res, await this.attachments.readForRequest(page.request.id, id));
  }

  @Post('demandes/:reference/prise-en-charge')
  async takeCharge(@CurrentStaff() staff: StaffPrincipal, @Param('reference') reference: string, @Res() res: Response) {
    await this.workspace.takeCharge(staff, reference);
    done(res, reference, 'prise-en-charge');
  }

  @Post('demandes/:reference/declin')
  async decline(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('reference') reference: string,
    @Body() body: Form = {},
    @Res() res: Response,
  ) {
    await this.onFieldErrors(res, staff, reference, 'decline', body, async () => {
      await this.workspace.decline(staff, reference, body.reason);
      // Declined: the request is no longer this person's, its page would answer 404.
      res.redirect(303, '/espace?fait=declin');
    });
  }

  @Post('demandes/:reference/notes')
  async note(@CurrentStaff() staff: StaffPrincipal, @Param('reference') reference: string, @Body() body: Form = {}, @Res() res: Response) {
    await this.onFieldErrors(res, staff, reference, 'note', body, async () => {
      await this.workspace.addNote(staff, reference, body.body);
      done(res, reference, 'note');
    });
  }

  @Post('demandes/:reference/precision')
  async clarify(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('reference') reference: string,
    @Body() body: Form = {},
    @Res() res: Response,
  ) {
    await this.onFieldErrors(res, staff, reference, 'clarify', body, async () => {
      await this.workspace.askClarification(staff, reference, body.body);
      done(res, reference, 'precision');
    });
  }

  /** Multipart: the guard cannot read the CSRF field, checked here once the body is parsed. */
  @Post('demandes/:reference/reponse')
  @CsrfCheckedInHandler()
  @UseInterceptors(UploadInterceptor())
  async answer(
    @CurrentStaff() staff: StaffPrincipal,
    @CurrentStaffSession() session: StaffSessionRef,
    @Param('reference') reference: string,
    @Req() req: Request,
    @UploadedFiles() files: Express.Multer.File[] = [],
    @Res() res: Response,
  ) {
    const body = (req.body ?? {}) as Form;
    this.csrf.assertValid(session, body[CSRF_FIELD]);
    await this.onFieldErrors(res, staff, reference, 'answer', body, async () => {
      await this.workspace.answer(staff, reference, body, files);
      done(res, reference, 'reponse');
    });
  }

  @Post('demandes/:reference/cloture')
  async close(@CurrentStaff() staff: StaffPrincipal, @Param('reference') reference: string, @Body() body: Form = {}, @Res() res: Response) {
    await this.onFieldErrors(res, staff, reference, 'close', body, async () => {
      await this.workspace.close(staff, reference, body.reason);
      done(res, reference, 'cloture');
    });
  }

  /** Field errors (400, 413, 415) re-render the page with the form as typed; anything else goes to the error page. */
  private async onFieldErrors(
    res: Response,
    staff: StaffPrincipal,
    reference: string,
    form: FormName,
    body: Form,
    work: () => Promise<void>,
  ) {
    try {
      await work();
    } catch (error) {
      if (!(error instanceof AppError) || !['validation_failed', 'payload_too_large', 'unsupported_media_type'].includes(error.code))
        throw error;
      await this.render(res, staff, reference, error.status, { form: { [form]: formModel(body, error.errors) } });
    }
  }

  private async render(res: Response, staff: StaffPrincipal, reference: string, status: number, extra: Record<string, unknown>) {
    const page = await this.workspace.requestPage(staff, reference);
    res.setHeader('Cache-Control', 'no-store');
    const { form, ...rest } = extra as { form?: Record<string, unknown> };
    const model = this.views.requestPage(page);
    res.status(status).render('workspace-request', { ...model, ...rest, forms: { ...model.forms, ...form } });
  }
}

function done(res: Response, reference: string, what: string): void {
  res.redirect(303, `/espace/demandes/${encodeURIComponent(reference)}?fait=${what}`);
}
