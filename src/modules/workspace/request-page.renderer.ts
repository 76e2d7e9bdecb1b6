import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import type { FormModel } from '../../web/form-model';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { AnswerTemplatesService } from '../answer-templates/answer-templates.service';
import { withTemplate } from '../answer-templates/answer-template.policy';
import { requestForm, WorkspaceViews } from './workspace-views';
import { WorkspaceService } from './workspace.service';

/** What an action adds to the request page: a notice, forms as typed with their errors, or a refused move. */
export interface RequestPageExtras {
  forms?: Record<string, FormModel>;
  notice?: string;
  conflict?: { message: string; typed: string | null; typedItems?: string[]; filesNotSent?: string | null } | null;
  /** An answer template of the request's network to take into the answer (`?modele=`, or the form's template button). */
  templateId?: unknown;
  /** The answer form as posted with a template button: the template goes after its text, nothing typed is lost. */
  typedAnswer?: Record<string, unknown>;
  /** Files chosen with that form, not kept: the notice asks for them again. */
  filesNotSent?: string | null;
}

/** Renders one request's page (404 for whoever may not see it), for the workspace's and dispatch's page actions. */
@Injectable()
export class RequestPageRenderer {
  constructor(
    private readonly workspace: WorkspaceService,
    private readonly views: WorkspaceViews,
    private readonly templates: AnswerTemplatesService,
  ) {}

  async render(res: Response, staff: StaffPrincipal, reference: string, status: number, extra: RequestPageExtras = {}): Promise<void> {
    const page = await this.workspace.requestPage(staff, reference);
    const { forms, templateId, typedAnswer, filesNotSent, ...rest } = extra;
    const model = this.views.requestPage(page);
    // Whoever may answer picks a template of the request's network: it fills the answer's text, to adapt.
    const answerTemplates = page.actions.answer ? await this.templates.forRequest(page.request.networkCode, page.request.kind) : [];
    const chosen = answerTemplates.find((t) => t.id === templateId);
    const typedBody = typeof typedAnswer?.body === 'string' && typedAnswer.body.trim() !== '';
    const answerValues = chosen ? { ...typedAnswer, body: withTemplate(typedAnswer?.body, chosen.body) } : typedAnswer;
    const started = answerValues ? { answer: requestForm('answer', answerValues) } : {};
    res.status(status).render('workspace-request', {
      ...model,
      ...rest,
      // An action refused: the title says so first, as the layout does for a form sent back with errors.
      refused: Boolean(rest.conflict),
      answerTemplates: answerTemplates.map((t) => ({ id: t.id, title: t.title })),
      chosenTemplateId: chosen?.id ?? null,
      // Said in the notice: the template follows the text typed, or stands alone.
      templateAfterTyped: Boolean(chosen) && typedBody,
      filesNotSent: filesNotSent ?? null,
      forms: { ...model.forms, ...started, ...forms },
    });
  }
}
