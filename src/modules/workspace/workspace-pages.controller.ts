import { Body, Controller, Get, Param, Post, Query, Req, Res, UploadedFiles, UseGuards, UseInterceptors } from '@nestjs/common';
import { NotFound } from '../../common/errors/app-errors';
import { formRepeatKey } from '../../common/idempotency-key';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { formModel, onFieldErrors } from '../../web/form-model';
import type { StaffPrincipal, StaffSessionRef } from '../accounts/accounts.types';
import { CSRF_FIELD, CsrfService } from '../accounts/csrf.service';
import { CsrfCheckedInHandler, CurrentStaff, CurrentStaffSession, StaffGuard } from '../accounts/staff.guard';
import { sendAttachment } from '../attachments/attachment-download';
import { AttachmentsService } from '../attachments/attachments.service';
import { filesNotSentNotice } from '../attachments/file-name.policy';
import { FILES_FIELD, filesToChooseAgain, UploadInterceptor, uploadRefusalOf } from '../attachments/upload.interceptor';
import { refusalOnPage, refusedOnPage } from '../requests/seen-state.policy';
import { RequestPageRenderer } from './request-page.renderer';
import { StalePageForms } from './stale-page-forms';
import { doneNotice, draftSavedDone, draftSavedOf, requestForm, RequestFormName, WorkspaceViews } from './workspace-views';
import { WorkspaceService } from './workspace.service';
import { parseQueueFilters, queuePeriodProblems } from './workspace-queue.policy';

type Form = Record<string, unknown>;

/** The facilitators' workspace: the queue, one request's page and its actions (forms without JavaScript). */
@ApiExcludeController()
@UseGuards(StaffGuard)
@Controller('espace')
export class WorkspacePagesController {
  constructor(
    private readonly workspace: WorkspaceService,
    private readonly views: WorkspaceViews,
    private readonly page: RequestPageRenderer,
    private readonly attachments: AttachmentsService,
    private readonly csrf: CsrfService,
    private readonly stale: StalePageForms,
  ) {}

  @Get()
  async queue(@CurrentStaff() staff: StaffPrincipal, @Query() query: Form, @Res() res: Response) {
    const periodErrors = queuePeriodProblems(query);
    // A period mistyped lists as if none were asked, and the form says why.
    const filters = { ...parseQueueFilters(query), ...(periodErrors.length ? { from: null, to: null } : {}) };
    const page = this.views.queuePage(staff, filters, await this.workspace.queue(staff, filters));
    const period = formModel(periodErrors.length ? { du: query.du, au: query.au } : { du: filters.from, au: filters.to }, periodErrors);
    // Sent by its form (`filtrage`), the list is what was asked for: the page opens on its heading, not 30 tab stops above.
    const listAsked = query.filtrage === '1';
    res.status(periodErrors.length ? 400 : 200).render('workspace-queue', { ...page, period, notice: doneNotice(query.fait), listAsked });
  }

  @Get('demandes/:reference')
  async request(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('reference') reference: string,
    @Query('fait') done: unknown,
    @Query('modele') templateId: unknown,
    @Res() res: Response,
  ) {
    try {
      await this.page.render(res, staff, reference, 200, { notice: doneNotice(done), draftSaved: draftSavedOf(done), templateId });
    } catch (error) {
      // A former holder following an old e-mail's link learns why it is gone (still a 404, nothing of where it is now);
      // sent here by what they just did (an answer sent again after it left them), told that it was done.
      const gone = error instanceof NotFound ? await this.workspace.noLongerYours(staff, reference) : null;
      if (!gone) throw error;
      res.status(404).render('error', { ...this.views.noLongerYoursPage(reference, gone.lastChange), notice: doneNotice(done) });
    }
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
  async takeCharge(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('reference') reference: string,
    @Body() body: Form = {},
    @Res() res: Response,
  ) {
    await this.perform(
      res,
      staff,
      reference,
      null,
      body,
      () => this.workspace.takeCharge(staff, reference, body.seenState),
      doneAt(reference, 'prise-en-charge'),
    );
  }

  @Post('demandes/:reference/declin')
  async decline(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('reference') reference: string,
    @Body() body: Form = {},
    @Res() res: Response,
  ) {
    // Declined or given back: the request is no longer this person's, its page would answer 404; the notice shows on the queue.
    await this.perform(
      res,
      staff,
      reference,
      'decline',
      body,
      // A give-back's note typed: the workspace's own refusal says it was taken while they wrote.
      () => this.workspace.decline(staff, reference, body),
      (outcome) => `/espace?fait=${{ declined: 'declin', given_back: 'rendue', given_back_to_pool: 'rendue-reserve' }[outcome]}`,
    );
  }

  @Post('demandes/:reference/notes')
  async note(@CurrentStaff() staff: StaffPrincipal, @Param('reference') reference: string, @Body() body: Form = {}, @Res() res: Response) {
    await this.perform(
      res,
      staff,
      reference,
      'note',
      body,
      () =>
        this.stale.note(staff, reference, body, () => this.workspace.addNote(staff, reference, body.body, formRepeatKey(body.formToken))),
      doneAt(reference, 'note'),
    );
  }

  @Post('demandes/:reference/precision')
  async clarify(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('reference') reference: string,
    @Body() body: Form = {},
    @Res() res: Response,
  ) {
    await this.perform(
      res,
      staff,
      reference,
      'clarify',
      body,
      () => this.workspace.askClarification(staff, reference, body.body, body.seenState),
      doneAt(reference, 'precision'),
    );
  }

  /** Multipart: the guard cannot read the CSRF field, checked here once the body is parsed. */
  @Post('demandes/:reference/reponse')
  @CsrfCheckedInHandler()
  @UseInterceptors(UploadInterceptor(FILES_FIELD, { keepForm: true }))
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
    const fileNames = files.map((file) => file.originalname);
    const { [CSRF_FIELD]: _csrf, modele, brouillon, ...typedAnswer } = body;
    const repeatKey = formRepeatKey(body.formToken);
    const answered = (sent: 'answer' | 'complement') => doneAt(reference, sent === 'complement' ? 'complement' : 'reponse');
    const sendOrDraft = async () => {
      // A template button of the form: nothing is sent, the page comes back with the template after the text typed;
      // a request no longer answerable meanwhile is refused as the answer would be, what was typed given back.
      if (typeof modele === 'string' && modele) {
        await this.workspace.answerable(staff, reference, body.seenState);
        await this.page.render(res, staff, reference, 200, {
          templateId: modele,
          typedAnswer,
          filesNotSent: filesNotSentNotice(fileNames),
        });
        return null;
      }
      // « Enregistrer le brouillon », or the form's script saving as one types (JSON back, the time as the page says
      // it): kept, nothing sent, no files. The button's page is the request's, at the draft's notice (a reload sends nothing).
      if (typeof brouillon === 'string' && brouillon) {
        const saved = await this.workspace.saveDraft(staff, reference, typedAnswer, repeatKey);
        if (req.accepts(['html', 'json']) === 'json') {
          res.status(200).json(saved);
          return null;
        }
        // Its answer sent already (Back after sending, then this button): said so, not « nothing typed ».
        if (saved.alreadySent) return doneAt(reference, 'reponse');
        return `${doneAt(reference, draftSavedDone(saved.savedAt !== null, fileNames.length > 0))}#brouillon`;
      }
      // The answer sent, sent again (a double click, a resend after a timeout): told it went, before what changed since
      // (the request closed, given to a colleague) would refuse the page as out of date. A file over a limit: the form
      // comes back with the text as typed, and the limit said beside the files — unless the request is no longer
      // answerable, refused as the answer would be.
      return answered(await this.workspace.answer(staff, reference, body, files, repeatKey, uploadRefusalOf(req)));
    };
    await this.perform(
      res,
      staff,
      reference,
      'answer',
      body,
      sendOrDraft,
      // Where the answer, or the draft, went: its page; null, a page shown in place.
      (to) => to,
      fileNames,
    );
  }

  /** The holder throws their draft away: the page comes back with an empty answer form. */
  @Post('demandes/:reference/brouillon/suppression')
  async discardDraft(@CurrentStaff() staff: StaffPrincipal, @Param('reference') reference: string, @Res() res: Response) {
    await this.perform(
      res,
      staff,
      reference,
      null,
      {},
      () => this.workspace.discardDraft(staff, reference),
      doneAt(reference, 'brouillon-supprime'),
    );
  }

  @Post('demandes/:reference/cloture')
  async close(@CurrentStaff() staff: StaffPrincipal, @Param('reference') reference: string, @Body() body: Form = {}, @Res() res: Response) {
    await this.perform(
      res,
      staff,
      reference,
      'close',
      body,
      () => this.workspace.close(staff, reference, body.reason, body.message, body.seenState),
      doneAt(reference, 'cloture'),
    );
  }

  @Post('demandes/:reference/reouverture')
  async reopen(@CurrentStaff() staff: StaffPrincipal, @Param('reference') reference: string, @Res() res: Response) {
    await this.perform(
      res,
      staff,
      reference,
      null,
      {},
      () => this.workspace.reopen(staff, reference),
      // Rerouted from its facilitator reopening it (absent, or no longer receiving): no longer theirs to see, the
      // notice shows on their queue.
      (outcome) =>
        outcome !== 'rerouted'
          ? doneAt(reference, 'reouverture')
          : staff.role === 'facilitator'
            ? '/espace?fait=reouverture-ailleurs'
            : doneAt(reference, 'reouverture-routage'),
    );
  }

  @Post('demandes/:reference/coordonnees')
  async correctBuyer(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('reference') reference: string,
    @Body() body: Form = {},
    @Res() res: Response,
  ) {
    await this.perform(
      res,
      staff,
      reference,
      'contact',
      body,
      () => this.workspace.correctBuyer(staff, reference, body),
      ({ newTrackingLinkSent }) => doneAt(reference, newTrackingLinkSent ? 'coordonnees' : 'coordonnees-meme-adresse'),
    );
  }

  @Post('demandes/:reference/questionnaires-refuses')
  async refuseSurveys(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('reference') reference: string,
    @Body() body: Form = {},
    @Res() res: Response,
  ) {
    await this.perform(
      res,
      staff,
      reference,
      'refuseSurveys',
      body,
      () => this.workspace.refuseSurveys(staff, reference, body.confirm),
      doneAt(reference, 'questionnaires-refuses'),
    );
  }

  @Post('demandes/:reference/questionnaires-acceptes')
  async acceptSurveys(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('reference') reference: string,
    @Body() body: Form = {},
    @Res() res: Response,
  ) {
    await this.perform(
      res,
      staff,
      reference,
      'acceptSurveys',
      body,
      () => this.workspace.acceptSurveys(staff, reference, body.confirm),
      doneAt(reference, 'questionnaires-acceptes'),
    );
  }

  @Post('demandes/:reference/effacement')
  async erase(@CurrentStaff() staff: StaffPrincipal, @Param('reference') reference: string, @Body() body: Form = {}, @Res() res: Response) {
    await this.perform(
      res,
      staff,
      reference,
      'erase',
      body,
      () => this.workspace.erasePersonalData(staff, reference, body.confirm),
      doneAt(reference, 'effacement'),
    );
  }

  /**
   * Runs an action, then redirects to `done` (a page with its notice; null: `work` showed a page itself). Field errors (400, 413,
   * 415) and a change made meanwhile (409) re-render the request page with the form as typed and a French summary.
   * `chosenFiles`: the names of the files sent with the form (filesToChooseAgain).
   */
  private async perform<T>(
    res: Response,
    staff: StaffPrincipal,
    reference: string,
    form: RequestFormName | null,
    body: Form,
    work: () => Promise<T>,
    done: string | ((result: T) => string | null),
    chosenFiles: string[] = [],
  ) {
    await onFieldErrors(
      work,
      async (errors, error) => {
        const conflict = refusedOnPage(error);
        const forms = form
          ? { [form]: requestForm(form, body, conflict ? [] : [...errors, ...filesToChooseAgain(chosenFiles, errors)]) }
          : {};
        // The form may be gone with the state that allowed it: the typed text is shown with the message, to copy.
        // The text of the form: a message's body, a give-back's note, or a closure's message to the buyer.
        const text = body.body ?? body.note ?? body.message;
        const typed = typeof text === 'string' && text.trim() ? text : null;
        // Help items by the labels the form showed; the files chosen were not kept: the person is told to attach them again.
        const refusal = conflict
          ? {
              message: refusalOnPage(error),
              typed,
              typedItems: this.views.typedHelpItems(body.items),
              filesNotSent: filesNotSentNotice(chosenFiles),
              buyerMessageSeen: body.buyerMessageSeen,
              answer: form === 'answer',
            }
          : null;
        await this.page.orRefusalAlone(res, staff, reference, error, refusal, () =>
          this.page.render(res, staff, reference, error.status, { forms, conflict: refusal }),
        );
      },
      (result) => {
        const to = typeof done === 'string' ? done : done(result);
        if (to !== null) res.redirect(303, to);
      },
    );
  }
}

function doneAt(reference: string, what: string): string {
  return `/espace/demandes/${encodeURIComponent(reference)}?fait=${what}`;
}
