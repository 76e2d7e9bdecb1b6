import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { FieldError } from '../../common/errors/app-errors';
import { formModel, onFieldErrors } from '../../web/form-model';
import { COMMENT_MAX } from './survey-answers.policy';
import { postedValues, preselectedValues, savedValues, SURVEY_OPTIONS } from './survey-form';
import { SURVEY_WAVE_LABELS } from './survey-labels';
import { SurveyWithRequest } from './surveys.repository';
import { SurveyClosed, SurveysService, SurveyWithdrawn } from './surveys.service';

type PageBody = Record<string, unknown> | undefined;

/**
 * The buyer's survey, opened from the e-mailed link (no session: the token in the path is the key). A GET only
 * shows the form (mail scanners follow links); the POST records, again and again until the link expires.
 */
@ApiExcludeController()
@Controller('questionnaire')
export class SurveyPagesController {
  constructor(private readonly surveys: SurveysService) {}

  @Get(':token')
  async page(@Param('token') token: string, @Query() query: Record<string, unknown>, @Res() res: Response) {
    let found: SurveyWithRequest;
    try {
      found = await this.surveys.open(token);
    } catch (error) {
      // Suspended, the link will work again: the page itself is no error.
      if (error instanceof SurveyWithdrawn) return renderEnded(res, error, 200);
      if (error instanceof SurveyClosed) return renderEnded(res, error, error.status);
      throw error;
    }
    const values = found.survey.completedAt ? savedValues(found.survey) : preselectedValues(found.survey.wave, query);
    render(res, 200, token, found, values, [], query.enregistre === '1');
  }

  @Post(':token')
  async submit(@Param('token') token: string, @Body() body: PageBody, @Res() res: Response) {
    try {
      await onFieldErrors(
        () => this.surveys.answer(token, body ?? {}),
        async (errors) => render(res, 400, token, await this.surveys.open(token), postedValues(body ?? {}), errors),
        () => res.redirect(303, `/questionnaire/${encodeURIComponent(token)}?enregistre=1`),
      );
    } catch (error) {
      if (error instanceof SurveyWithdrawn || error instanceof SurveyClosed) return renderEnded(res, error, error.status);
      throw error;
    }
  }

  /** « Ne plus recevoir de questionnaire » : a GET asks to confirm (mail scanners follow links), then says it is done. */
  @Get(':token/refus')
  async declinePage(@Param('token') token: string, @Res() res: Response) {
    let found: SurveyWithRequest;
    try {
      found = await this.surveys.open(token);
    } catch (error) {
      if (error instanceof SurveyWithdrawn) return renderEnded(res, error, 200);
      if (error instanceof SurveyClosed) return renderEnded(res, error, error.status);
      throw error;
    }
    const { survey, request } = found;
    res.status(200).render('survey-decline', {
      title: `Ne plus recevoir de questionnaire — demande ${request.reference}`,
      declined: survey.status === 'declined',
      answered: survey.completedAt !== null,
      request: { reference: request.reference, subject: request.subject, networkName: request.networkName },
      action: `/questionnaire/${encodeURIComponent(token)}/refus`,
      surveyUrl: `/questionnaire/${encodeURIComponent(token)}`,
    });
  }

  /** The confirmation, or a mail client's one-click unsubscribe (RFC 8058: a POST to the List-Unsubscribe address, any body). */
  @Post(':token/refus')
  async decline(@Param('token') token: string, @Res() res: Response) {
    try {
      await this.surveys.decline(token);
    } catch (error) {
      if (error instanceof SurveyWithdrawn || error instanceof SurveyClosed) return renderEnded(res, error, error.status);
      throw error;
    }
    res.redirect(303, `/questionnaire/${encodeURIComponent(token)}/refus`);
  }
}

/** The link of a survey withdrawn by a reopening, or past its date: said plainly, not as a missing page. */
function renderEnded(res: Response, error: SurveyWithdrawn | SurveyClosed, status: number): void {
  const title = error instanceof SurveyClosed ? 'Questionnaire clos' : 'Questionnaire suspendu';
  res.status(status).render('error', { title, heading: title, message: error.message });
}

function render(
  res: Response,
  status: number,
  token: string,
  { survey, request }: SurveyWithRequest,
  values: Record<string, unknown>,
  errors: FieldError[],
  saved = false,
): void {
  res.status(status).render('survey', {
    title: `${SURVEY_WAVE_LABELS[survey.wave]} — demande ${request.reference}`,
    survey: {
      wave: survey.wave,
      label: SURVEY_WAVE_LABELS[survey.wave],
      expiresAt: survey.expiresAt,
      completed: survey.completedAt !== null,
      declined: survey.status === 'declined',
    },
    request: { reference: request.reference, subject: request.subject, networkName: request.networkName },
    action: `/questionnaire/${encodeURIComponent(token)}`,
    declineUrl: `/questionnaire/${encodeURIComponent(token)}/refus`,
    saved,
    options: SURVEY_OPTIONS,
    commentMax: COMMENT_MAX,
    form: formModel(values, errors),
  });
}
