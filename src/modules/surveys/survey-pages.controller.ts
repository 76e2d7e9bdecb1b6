import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { FieldError } from '../../common/errors/app-errors';
import { inFormWords } from '../../common/validation';
import { formModel, onFieldErrors } from '../../web/form-model';
import { COMMENT_MAX, impactQuestionsOf } from './survey-answers.policy';
import { impactWording, postedValues, preselectedValues, savedValues, SURVEY_OPTIONS } from './survey-form';
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
    const found = await this.openedOrEnded(token, res);
    if (!found) return;
    const preselected = found.survey.completedAt ? {} : preselectedValues(found.survey.wave, query);
    const partial = this.surveys.partialAnswersOf(found);
    const values = found.survey.completedAt ? savedValues(found.survey) : { ...(partial && savedValues(partial.answers)), ...preselected };
    render(res, 200, token, found, values, [], {
      saved: query.fait === 'enregistre',
      preselected: Object.keys(preselected).length > 0,
      missing: partial && inFormWords(partial.missing),
    });
  }

  @Post(':token')
  async submit(@Param('token') token: string, @Body() body: PageBody, @Res() res: Response) {
    try {
      await onFieldErrors(
        () => this.surveys.answer(token, body ?? {}),
        async (errors) => render(res, 400, token, await this.surveys.open(token), postedValues(body ?? {}), errors),
        // `fait`: the page announces the outcome once, its notice taking the focus (notice.js), then forgets it.
        () => res.redirect(303, `/questionnaire/${encodeURIComponent(token)}?fait=enregistre`),
      );
    } catch (error) {
      if (!renderedEnded(res, error, 'action')) throw error;
    }
  }

  /** The survey a GET opens, or null once its page said the survey is suspended or over. */
  private async openedOrEnded(token: string, res: Response): Promise<SurveyWithRequest | null> {
    try {
      return await this.surveys.open(token);
    } catch (error) {
      if (renderedEnded(res, error, 'page')) return null;
      throw error;
    }
  }

  /**
   * « Ne plus recevoir de questionnaire » : a GET asks to confirm (mail scanners follow links), then says it is done. A
   * grouped e-mail's link (`?portee=adresse`, its key every listed survey's token) asks about every request of the
   * address, naming none: the request it is found by is only its key, and the others, filed since, are none of a
   * forwarded link's holder's business.
   */
  @Get(':token/refus')
  async declinePage(@Param('token') token: string, @Query('portee') scope: unknown, @Res() res: Response) {
    const { survey, request, anyLeft, answerable, addressOptedOut } = await this.surveys.declinable(token);
    const everyRequest = scope === 'adresse';
    res.status(200).render('survey-decline', {
      title: addressOptedOut
        ? 'C’est noté : plus aucun questionnaire à cette adresse'
        : everyRequest
          ? 'Ne plus recevoir de questionnaire — toutes vos demandes'
          : anyLeft
            ? `Ne plus recevoir de questionnaire — demande ${request.reference}`
            : `C’est noté : plus de questionnaire — demande ${request.reference}`,
      everyRequest,
      // Nothing left to send (refused, or every wave answered or over): said as done.
      declined: !anyLeft,
      // Nothing will ever be sent to this address: said as done, and nothing more to offer.
      addressOptedOut,
      answered: survey.completedAt !== null,
      answerable,
      publicProcurement: impactQuestionsOf(request).publicProcurement,
      request: {
        reference: request.reference,
        subject: request.subject,
        networkName: request.networkName,
        networkContactEmail: request.networkContactEmail,
      },
      action: `/questionnaire/${encodeURIComponent(token)}/refus`,
      surveyUrl: `/questionnaire/${encodeURIComponent(token)}`,
    });
  }

  /**
   * The confirmation, or a mail client's one-click unsubscribe (RFC 8058: a POST to the List-Unsubscribe address, any body).
   * The page's button posting `portee=adresse` refuses every survey to the address, for good; the one-click, which the
   * buyer cannot read before it acts, refuses the narrower: this request's surveys — or, when the link says
   * `?portee=adresse` (a grouped e-mail's, about several requests), those of the requests it lists, with no opt-out.
   */
  @Post(':token/refus')
  async decline(@Param('token') token: string, @Query('portee') scope: unknown, @Body() body: PageBody, @Res() res: Response) {
    if (body?.portee === 'adresse') await this.surveys.declineAddress(token);
    else if (scope === 'adresse') await this.surveys.declineListedRequests(token);
    else await this.surveys.decline(token);
    res.redirect(303, `/questionnaire/${encodeURIComponent(token)}/refus?fait=refus`);
  }
}

/**
 * The link of a survey withdrawn by a reopening, or past its date, said plainly rather than as a missing page; false for
 * any other error. A page of a suspended survey is no error (200: the link will work again); an action on it is refused.
 */
function renderedEnded(res: Response, error: unknown, on: 'page' | 'action'): boolean {
  if (!(error instanceof SurveyWithdrawn || error instanceof SurveyClosed)) return false;
  const title = error instanceof SurveyClosed ? 'Questionnaire clos' : 'Questionnaire suspendu';
  const status = error instanceof SurveyWithdrawn && on === 'page' ? 200 : error.status;
  res.status(status).render('error', { title, heading: title, message: error.message });
  return true;
}

function render(
  res: Response,
  status: number,
  token: string,
  { survey, request }: SurveyWithRequest,
  values: Record<string, unknown>,
  errors: FieldError[],
  /**
   * `preselected`: an answer chosen in the e-mail, nothing recorded yet (a GET records nothing). `missing`: what the
   * answers a refused form kept still lack (null: none kept).
   */
  { saved = false, preselected = false, missing = null as FieldError[] | null } = {},
): void {
  const questions = impactQuestionsOf(request);
  res.status(status).render('survey', {
    // The tab's title says the outcome too: the first thing a screen reader announces of the page.
    title: `${saved ? 'Réponses enregistrées — ' : ''}${SURVEY_WAVE_LABELS[survey.wave]} — demande ${request.reference}`,
    survey: {
      wave: survey.wave,
      label: SURVEY_WAVE_LABELS[survey.wave],
      expiresAt: survey.expiresAt,
      completed: survey.completedAt !== null,
      answeredAt: survey.answeredAt,
      declined: survey.status === 'declined',
      // A refused form kept its valid part (SurveysService.answer): its page says the buyer may complete it later.
      partial: survey.completedAt === null && survey.partialAnswers !== null,
    },
    request: {
      reference: request.reference,
      subject: request.subject,
      networkName: request.networkName,
      departmentCode: request.departmentCode,
    },
    action: `/questionnaire/${encodeURIComponent(token)}`,
    declineUrl: `/questionnaire/${encodeURIComponent(token)}/refus`,
    saved,
    preselected,
    missing,
    options: SURVEY_OPTIONS,
    questions,
    words: impactWording(questions),
    commentMax: COMMENT_MAX,
    form: formModel(values, errors),
  });
}
