import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import type { FormModel } from '../../web/form-model';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { WorkspaceViews } from './workspace-views';
import { WorkspaceService } from './workspace.service';

/** What an action adds to the request page: a notice, forms as typed with their errors, or a refused move. */
export interface RequestPageExtras {
  forms?: Record<string, FormModel>;
  notice?: string;
  conflict?: { message: string; typed: string | null } | null;
}

/** Renders one request's page (404 for whoever may not see it), for the workspace's and dispatch's page actions. */
@Injectable()
export class RequestPageRenderer {
  constructor(
    private readonly workspace: WorkspaceService,
    private readonly views: WorkspaceViews,
  ) {}

  async render(res: Response, staff: StaffPrincipal, reference: string, status: number, extra: RequestPageExtras = {}): Promise<void> {
    const page = await this.workspace.requestPage(staff, reference);
    res.setHeader('Cache-Control', 'no-store');
    const { forms, ...rest } = extra;
    const model = this.views.requestPage(page);
    res.status(status).render('workspace-request', { ...model, ...rest, forms: { ...model.forms, ...forms } });
  }
}
