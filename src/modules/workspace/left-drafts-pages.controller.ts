import { Body, Controller, Get, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { formRepeatKey } from '../../common/idempotency-key';
import { noticeOf } from '../../web/notices';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { CurrentStaff, StaffGuard, StaffRoles } from '../accounts/staff.guard';
import { draftSavedAt, LEFT_DRAFTS_PATH } from '../answer-drafts/answer-draft.policy';
import { LeftDraftsService } from '../answer-drafts/left-drafts.service';
import { WorkspaceViews } from './workspace-views';

const NOTICES: Record<string, string> = {
  suppression: 'Le brouillon est supprimé.',
  'deja-supprime': 'Ce brouillon était déjà supprimé : depuis un autre onglet, ou avec la clôture de sa demande.',
};

/**
 * « Mes brouillons laissés »: the drafts of requests taken from their writer, to read, copy and delete. Only a facilitator
 * writes answers, so only they have such drafts: for anyone else the page does not exist.
 */
@ApiExcludeController()
@UseGuards(StaffGuard)
@StaffRoles('facilitator')
@Controller('espace/brouillons')
export class LeftDraftsPagesController {
  constructor(
    private readonly leftDrafts: LeftDraftsService,
    private readonly views: WorkspaceViews,
  ) {}

  @Get()
  async list(@CurrentStaff() staff: StaffPrincipal, @Query('fait') done: unknown, @Res() res: Response) {
    const drafts = await this.leftDrafts.list(staff);
    res.render('left-drafts', {
      title: 'Mes brouillons laissés',
      page: LEFT_DRAFTS_PATH,
      notice: noticeOf(NOTICES, done),
      drafts: drafts.map(({ departmentCode, items, savedAt, ...draft }) => ({
        ...draft,
        // Its help items as the answer form showed them, and when, as the request's page said it.
        items: this.views.typedHelpItems(items),
        ...draftSavedAt(savedAt, departmentCode),
      })),
    });
  }

  @Post(':reference/suppression')
  async discard(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('reference') reference: string,
    @Body() body: Record<string, unknown> = {},
    @Res() res: Response,
  ) {
    // Only the list's form carries a form token: any other address stays « introuvable ».
    const outcome = await this.leftDrafts.discard(staff, reference, formRepeatKey(body.formToken) !== undefined);
    res.redirect(303, `${LEFT_DRAFTS_PATH}?fait=${outcome === 'deleted' ? 'suppression' : 'deja-supprime'}`);
  }
}
