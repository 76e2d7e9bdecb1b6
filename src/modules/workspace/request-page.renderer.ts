import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import type { FormModel } from '../../web/form-model';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { AnswerTemplatesService } from '../answer-templates/answer-templates.service';
import { requestForm, WorkspaceViews } from './workspace-views';
import { WorkspaceService } from './workspace.service';

/** What an action adds to the request page: a notice, forms as typed with their errors, or a refused move. */
export interface RequestPageExtras {
  forms?: Record<string, FormModel>;
  notice?: string;
  conflict?: { message: string; typed: string | null; typedItems?: string[] } | null;
  /** An answer template of the request's network to start the answer from (`?modele=`). */
  templateId?: unknown;
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
    const { forms, templateId, ...rest } = extra;
    const model = this.views.requestPage(page);
    // Whoever may answer picks a template of the request's network: it fills the answer's text, to adapt.
    const answerTemplates = page.actions.answer ? await this.templates.forRequest(page.request.networkCode, page.request.kind) : [];
    const chosen = answerTemplates.find((t) => t.id === templateId);
    const started = chosen ? { answer: requestForm('answer', { body: chosen.body }) } : {};
    res.status(status).render('workspace-request', {
      ...model,
      ...rest,
      // An action refused: the title says so first, as the layout does for a form sent back with errors.
      refused: Boolean(rest.conflict),
      answerTemplates: answerTemplates.map((t) => ({ id: t.id, title: t.title })),
      chosenTemplateId: chosen?.id ?? null,
      forms: { ...model.forms, ...started, ...forms },
    });
  }
}
