import { Body, Controller, Get, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AppError } from '../../common/errors/app-errors';
import { formModel } from '../../web/form-model';
import { visibleNetworks } from '../accounts/access.policy';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { CurrentStaff, StaffGuard } from '../accounts/staff.guard';
import { EvaluationsViews } from './evaluations-views';
import { evaluationQuery, parseEvaluationFilters } from './evaluations.policy';
import { EvaluationsService } from './evaluations.service';
import { ReferenceService } from '../reference/reference.service';

type Form = Record<string, unknown>;

const DONE: Record<string, string> = {
  revue: 'L’évaluation est marquée comme revue.',
  partage: 'L’évaluation est partagée avec le facilitateur : il en est informé par courriel.',
};

/** The animators' review pages (forms without JavaScript, CSRF checked by the guard). */
@ApiExcludeController()
@UseGuards(StaffGuard)
@Controller('espace')
export class EvaluationsPagesController {
  constructor(
    private readonly evaluations: EvaluationsService,
    private readonly views: EvaluationsViews,
    private readonly reference: ReferenceService,
  ) {}

  /**
   * Unreadable filters are dropped and listed in an error summary (400), the rest still applies; so are a segment,
   * département or network unknown or out of one's reach (as the export refuses them), rather than an empty list that
   * reads as « no evaluation there ».
   */
  @Get('evaluations')
  async list(@CurrentStaff() staff: StaffPrincipal, @Query() query: Form, @Res() res: Response) {
    const { filters, errors } = parseEvaluationFilters(query, this.reference.knownCodesWithin(visibleNetworks(staff)));
    const [list, facilitators] = await Promise.all([this.evaluations.list(staff, filters), this.evaluations.facilitatorChoices(staff)]);
    res.status(errors.length ? 400 : 200).render('evaluations-list', this.views.listPage(staff, filters, list, facilitators, errors));
  }

  @Get('evaluations/:id')
  async detail(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @Query() query: Form, @Res() res: Response) {
    const page = this.views.detailPage(await this.evaluations.detail(staff, id), backQuery(query));
    res.render('evaluation-detail', { ...page, notice: DONE[String(query.fait)] });
  }

  @Post('evaluations/:id/revue')
  async review(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id') id: string,
    @Query() query: Form,
    @Body() body: Form = {},
    @Res() res: Response,
  ) {
    await this.onFieldErrors(
      res,
      staff,
      id,
      query,
      'review',
      body,
      () => this.evaluations.review(staff, id, body.note, body.reviewedAt ?? ''),
      'revue',
    );
  }

  @Post('evaluations/:id/partage')
  async share(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id') id: string,
    @Query() query: Form,
    @Body() body: Form = {},
    @Res() res: Response,
  ) {
    await this.onFieldErrors(res, staff, id, query, 'share', body, () => this.evaluations.share(staff, id, body.notice), 'partage');
  }

  /**
   * Field errors re-render the detail with the form as typed; a move refused because a colleague acted meanwhile shows
   * what they did instead (the note typed kept); anything else goes to the error page.
   */
  private async onFieldErrors(
    res: Response,
    staff: StaffPrincipal,
    id: string,
    query: Form,
    form: 'review' | 'share',
    body: Form,
    work: () => Promise<void>,
    done: string,
  ) {
    try {
      await work();
    } catch (error) {
      if (!(error instanceof AppError) || !['validation_failed', 'conflict'].includes(error.code)) throw error;
      const refused = error.code === 'conflict';
      const page = this.views.detailPage(await this.evaluations.detail(staff, id), backQuery(query), {
        [form]: formModel(body, refused ? [] : error.errors),
        refused: refused ? { [form]: error.message } : {},
      });
      res.status(error.status).render('evaluation-detail', page);
      return;
    }
    const back = backQuery(query);
    res.redirect(303, `/espace/evaluations/${id}?fait=${done}${back ? `&${back}` : ''}`);
  }
}

/** The list's filters, carried from the list to the detail and back. */
function backQuery(query: Form): string {
  const { filters } = parseEvaluationFilters(query);
  return evaluationQuery(filters, { page: filters.page > 1 ? filters.page : null });
}
