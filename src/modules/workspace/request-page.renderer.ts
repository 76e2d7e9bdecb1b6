import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { AppError, isRefusal, NotFound } from '../../common/errors/app-errors';
import type { FormModel } from '../../web/form-model';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { AnswerTemplatesService } from '../answer-templates/answer-templates.service';
import { PASSAGE_TO_COMPLETE, withTemplate } from '../answer-templates/answer-template.policy';
import { draftSavedAt, FILES_NOT_KEPT, LEFT_DRAFTS_PATH } from '../answer-drafts/answer-draft.policy';
import { LeftDraftsService } from '../answer-drafts/left-drafts.service';
import { DraftSaved, requestForm, WorkspaceViews } from './workspace-views';
import { WorkspaceService } from './workspace.service';

/** What an action adds to the request page: a notice, forms as typed with their errors, or a refused move. */
export interface RequestPageExtras {
  forms?: Record<string, FormModel>;
  notice?: string;
  conflict?: {
    message: string;
    typed: string | null;
    typedItems?: string[];
    filesNotSent?: string | null;
    /** The buyer's latest message the refused answer form had seen ('' none): a later one is linked from the notice. */
    buyerMessageSeen?: unknown;
  } | null;
  /** An answer template of the request's network to take into the answer (`?modele=`, or the form's template button). */
  templateId?: unknown;
  /** The answer form as posted with a template button: the template goes after its text, nothing typed is lost. */
  typedAnswer?: Record<string, unknown>;
  /** Files chosen with that form, not kept: the notice asks for them again. */
  filesNotSent?: string | null;
  /** The answer form just saved as a draft by its button (the redirect's `?fait=`). */
  draftSaved?: DraftSaved;
}

/** What a refused form held, given back to copy; `answer`: it was an answer (its writer may have a draft left). */
type TypedBack = Pick<NonNullable<RequestPageExtras['conflict']>, 'typed' | 'typedItems' | 'filesNotSent'> & { answer?: boolean };

/** Renders one request's page (404 for whoever may not see it), for the workspace's and dispatch's page actions. */
@Injectable()
export class RequestPageRenderer {
  constructor(
    private readonly workspace: WorkspaceService,
    private readonly views: WorkspaceViews,
    private readonly templates: AnswerTemplatesService,
    private readonly leftDrafts: LeftDraftsService,
  ) {}

  /**
   * A page showing a refused move (`refusal`: what its form held; null for field errors), or when the request is no
   * longer this person's to see — taken from them and given to a colleague, as the refusal says —, the refusal alone,
   * with what they typed.
   */
  async orRefusalAlone(
    res: Response,
    staff: StaffPrincipal,
    reference: string,
    error: AppError,
    refusal: TypedBack | null,
    page: () => Promise<void>,
  ): Promise<void> {
    try {
      await page();
    } catch (hidden) {
      // A form's unreadable state (refusedOnPage) on a request no longer seen: its 404, as a reload would show.
      if (!(hidden instanceof NotFound) || !refusal || !isRefusal(error)) throw hidden;
      // An answer refused: its writer's draft, saved while the request was theirs, is in « Mes brouillons laissés »;
      // what they typed since is only on this page.
      const left = refusal.answer ? (await this.leftDrafts.list(staff)).find((draft) => draft.reference === reference) : undefined;
      res.status(error.status).render('error', {
        // Several tabs may be open on several requests: the title says which one refused.
        title: `Action impossible — demande ${reference}`,
        heading: 'Action impossible',
        // The page's words would point to a request shown below: there is none.
        message: error.message,
        refusalAlone: true,
        typed: refusal.typed,
        typedAnswer: Boolean(refusal.answer),
        typedItems: refusal.typedItems,
        filesNotSent: refusal.filesNotSent,
        leftDraft: left ? { href: `${LEFT_DRAFTS_PATH}#brouillon-${reference}`, ...draftSavedAt(left.savedAt, left.departmentCode) } : null,
        inWorkspace: true,
      });
    }
  }

  async render(res: Response, staff: StaffPrincipal, reference: string, status: number, extra: RequestPageExtras = {}): Promise<void> {
    const page = await this.workspace.requestPage(staff, reference);
    const { forms, templateId, typedAnswer, filesNotSent, draftSaved, conflict, ...rest } = extra;
    const model = this.views.requestPage(page);
    // Whoever may answer picks a template of the request's network: it fills the answer's text, to adapt.
    const answerTemplates = page.actions.answer ? await this.templates.forRequest(page.request.networkCode, page.request.kind) : [];
    const chosen = answerTemplates.find((t) => t.id === templateId);
    // Chosen on a page left open while an animator deleted it, moved it or kept it for other requests: the answer stays as
    // it was, and the page says why nothing was added, 409 as any change made meanwhile. One no longer known at all
    // (never made, or its deletion past the journal's keeping): the same with the form's text at stake, else a bad link (404).
    const notOffered =
      page.actions.answer && typeof templateId === 'string' && templateId !== '' && !chosen
        ? await this.templates.notOffered(staff, templateId, page.request.networkCode)
        : null;
    if (notOffered === undefined && !typedAnswer) throw new NotFound();
    const templateGone = notOffered === undefined ? { reason: 'unknown' as const } : notOffered;
    // Nothing typed on this visit (neither given back nor sent back with errors): the answer form starts from this
    // person's draft, with the page's new form token.
    const fromDraft =
      !typedAnswer && !forms?.answer && page.draft
        ? { body: page.draft.body, items: page.draft.items, formToken: model.forms.answer.values.formToken }
        : null;
    const typed = typedAnswer ?? fromDraft ?? undefined;
    const typedBody = typeof typed?.body === 'string' && typed.body.trim() !== '';
    const answerValues = chosen ? { ...typed, body: withTemplate(typed?.body, chosen.body) } : typed;
    const started = answerValues ? { answer: requestForm('answer', answerValues) } : {};
    const department = page.request.departmentCode;
    // The answer refused because the buyer wrote since its form was opened: the notice links to what they wrote.
    const seen = conflict?.buyerMessageSeen;
    const unreadBuyerMessage =
      typeof seen === 'string' && seen !== model.lastBuyerMessageId ? model.messages.find((m) => m.id === model.lastBuyerMessageId) : null;
    // Told where the answer form is, focused: the draft just saved by the button (a reload would not say it again).
    const draftJustSaved = !draftSaved
      ? null
      : draftSaved.kept && page.draft
        ? 'Brouillon enregistré'
        : !draftSaved.kept && !page.draft
          ? 'Aucun brouillon gardé'
          : null;
    res.status(templateGone && status < 400 ? 409 : status).render('workspace-request', {
      ...model,
      ...rest,
      title: draftJustSaved ? `${draftJustSaved} — ${model.title}` : model.title,
      conflict: conflict ? { ...conflict, unreadBuyerMessage: unreadBuyerMessage ?? null } : null,
      // An action refused: the title says so first, as the layout does for a form sent back with errors.
      refused: Boolean(conflict || templateGone),
      answerTemplates: answerTemplates.map((t) => ({ id: t.id, title: t.title })),
      chosenTemplateId: chosen?.id ?? null,
      // On the answer's text box, for error-summary.js: the pattern the answer is refused by, not a copy of it.
      passageToComplete: { source: PASSAGE_TO_COMPLETE.source, flags: PASSAGE_TO_COMPLETE.flags },
      templateGone,
      // Said in the notice: the template follows the text typed, or stands alone.
      templateAfterTyped: Boolean(chosen) && typedBody,
      filesNotSent: filesNotSent ?? null,
      // The draft notice: just saved, or taken up on opening the page; then when, whether the form below is the draft
      // (taken up as saved) or is not (a template added), and that files are not in it.
      draftNotice: page.draft
        ? {
            saved: Boolean(draftJustSaved),
            // The form shows the draft as saved: nothing unsaved for the leave-page guard.
            state: chosen ? 'template' : fromDraft ? 'restored' : null,
            ...draftSavedAt(page.draft.savedAt, department),
            filesNotKept: FILES_NOT_KEPT,
            filesDropped: Boolean(draftSaved?.filesDropped),
          }
        : null,
      draftEmptied: Boolean(draftJustSaved && !page.draft),
      othersDrafts: page.othersDrafts.map((d) => ({
        authorName: d.authorName,
        leftBehind: d.leftBehind,
        ...draftSavedAt(d.savedAt, department),
      })),
      // Their own draft from when the request was theirs: its text, and its help items as the form showed them.
      leftDraft: page.leftDraft
        ? {
            body: page.leftDraft.body,
            items: this.views.typedHelpItems(page.leftDraft.items),
            ...draftSavedAt(page.leftDraft.savedAt, department),
          }
        : null,
      forms: { ...model.forms, ...started, ...forms },
    });
  }
}
