import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Inject } from '@nestjs/common';
import type { Logger } from 'pino';
import { AppConfig } from '../../config/app-config';
import { LOGGER } from '../../common/logging/logging.module';
import { AppError, ValidationFailed } from '../../common/errors/app-errors';
import { isFormToken, randomToken } from '../../common/tokens';
import { ReferenceService } from '../reference/reference.service';
import { IndicatorsService } from '../reporting/indicators.service';
import { IntakeRateLimiter } from './intake-rate-limiter';
import { IdempotencyInput, IntakeService } from './intake.service';
import { answerDayAfterNeed, usualPace } from './needed-by.policy';
import {
  followUpChoiceProblem,
  followUpLink,
  followUpValues,
  formPageModel,
  formToRequestBody,
  pickFormValues,
  withoutFollowUp,
} from './request-form';
import { RequestValidator } from './request-validator';
import { UNATTACHED_MAIL_RETENTION_DAYS } from '../mail/mail.repository';

// A form sent without the page's token (a scripted post, a tampered page) could not be told from its repeat.
const formNotRecognised = () =>
  new AppError('validation_failed', 'Formulaire non reconnu.', [
    { field: 'formToken', message: 'Cet envoi n’a pas été reconnu : vérifiez vos réponses, puis envoyez de nouveau le formulaire.' },
  ]);

// The page sent again with other answers (back after the confirmation, a field changed): its request stands as first sent.
const alreadySent = () =>
  new AppError('validation_failed', 'Formulaire déjà envoyé.', [
    {
      field: 'formToken',
      message:
        'Ce formulaire a déjà été envoyé et votre demande est enregistrée : pour la compléter, utilisez le lien de suivi reçu par e-mail. S’il s’agit d’une autre question, vérifiez vos réponses puis envoyez de nouveau.',
    },
  ]);

/** The form sent again from a page fetched anew (its token is new): the request it repeats, already recorded. */
class AlreadyRecorded extends Error {
  constructor(readonly reference: string) {
    super('already recorded');
  }
}

// The page comes back with what was typed, to be sent once the hour is over.
const overLimit = (reason: string) =>
  new AppError('rate_limited', reason, [{ field: 'formToken', message: `${reason} Vos réponses sont gardées ci-dessous.` }]);

@ApiExcludeController()
@Controller()
export class IntakePagesController {
  constructor(
    private readonly validator: RequestValidator,
    private readonly intake: IntakeService,
    private readonly rateLimiter: IntakeRateLimiter,
    private readonly reference: ReferenceService,
    private readonly indicators: IndicatorsService,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Get()
  async home(@Res() res: Response) {
    // The desk in figures, when there are some; the page is the desk's door and must open even if they cannot be counted.
    const statistics = await this.indicators.publicStatistics().catch((error: Error) => {
      this.logger.warn({ err: error.message }, 'statistiques publiques indisponibles : accueil sans chiffres');
      return null;
    });
    res.render('home', {
      figures: statistics && statistics.requests.total.current ? statistics : null,
      title: 'Accueil',
      takeChargeDays: this.config.TAKE_CHARGE_WORKING_DAYS,
      answerDays: this.config.ANSWER_WORKING_DAYS,
      impactMonths: this.config.SURVEY_IMPACT_DELAY_MONTHS,
    });
  }

  @Get('confidentialite')
  async privacy(@Res() res: Response) {
    res.render('privacy', {
      title: 'Données personnelles',
      retentionYears: this.config.PERSONAL_DATA_RETENTION_YEARS,
      unattachedMailDays: UNATTACHED_MAIL_RETENTION_DAYS,
      networks: await this.reference.networkContacts(),
      operator: this.operator(),
    });
  }

  /** What the law asks a site to say of who publishes it and who hosts it (LCEN); the networks are whom to write to. */
  @Get('mentions-legales')
  async legalNotice(@Res() res: Response) {
    res.render('legal-notice', {
      title: 'Mentions légales',
      operator: this.operator(),
      publicationDirector: this.config.PUBLICATION_DIRECTOR,
      networks: await this.reference.networkContacts(),
    });
  }

  /** A second way through the public pages beside the footer's links (RGAA 12.1). */
  @Get('plan-du-site')
  siteMap(@Res() res: Response) {
    res.render('site-map', { title: 'Plan du site' });
  }

  /** Public pages may be indexed; the staff's area and the machines' API need no crawler (private links say noindex). */
  @Get('robots.txt')
  robots(@Res() res: Response) {
    res.type('text/plain').send('User-agent: *\nDisallow: /espace\nDisallow: /api/\nDisallow: /metrics\nDisallow: /health/\n');
  }

  @Get('accessibilite')
  async accessibility(@Res() res: Response) {
    res.render('accessibility', { title: 'Accessibilité', networks: await this.reference.networkContacts() });
  }

  /** Who runs the desk and who hosts it, as configured: the privacy and legal notices name them. */
  private operator() {
    return {
      name: this.config.OPERATOR_NAME,
      address: this.config.OPERATOR_ADDRESS,
      dpo: this.config.DPO_CONTACT,
      // The configuration takes an e-mail address or a web address, nothing else.
      dpoHref: /^https?:\/\//.test(this.config.DPO_CONTACT) ? this.config.DPO_CONTACT : `mailto:${this.config.DPO_CONTACT}`,
      host: this.config.HOSTING_PROVIDER,
    };
  }

  /**
   * `?suite=<reference>&t=<token>` (the buyer's tracking link): the form starts from that request's buyer, and asks
   * whether the question is about the same purchase (then linked to it) or another.
   */
  @Get('demande')
  async form(@Query('suite') reference: unknown, @Query('t') token: unknown, @Res() res: Response) {
    const previous = reference === undefined ? null : await this.intake.previousRequest(reference, token);
    res.render(
      'request-form',
      formPageModel(
        this.reference,
        randomToken(),
        previous ? { ...followUpValues(previous), ...followUpLink(previous.reference, token as string) } : {},
      ),
    );
  }

  /** The form token makes a double click or a resent form show the first confirmation again. */
  @Post('demande')
  async submit(@Req() req: Request, @Res() res: Response, @Body() body: Record<string, unknown>) {
    const typed = pickFormValues(body ?? {});
    // The link proven again, as its page was: a wrong token (a tampered page, a link since renewed) simply links nothing.
    const followed =
      typed['followsUp.reference'] !== undefined
        ? await this.intake.followedRequest(typed['followsUp.reference'], typed['followsUp.trackingToken'])
        : null;
    const values = followed ? typed : withoutFollowUp(typed);
    const token = isFormToken(body?.formToken) ? body.formToken : randomToken();
    const refuse = (error: AppError, pageToken = token, status = 400) =>
      res
        .status(status)
        .render(
          'request-form',
          formPageModel(
            this.reference,
            pageToken,
            values,
            error.errors,
            error.code === 'not_eligible'
              ? { reason: error.message, pointers: error.extra.pointers ?? [], field: error.errors[0]?.field }
              : undefined,
          ),
        );

    // The honeypot filled (a robot, or a browser's autofill): the person is told what they can do — send again, the
    // field comes back empty — not about a field they cannot see.
    if ((typeof body?.website === 'string' && body.website !== '') || !isFormToken(body?.formToken)) return refuse(formNotRecognised());
    try {
      // The same purchase or another: asked with the other answers, its error among theirs.
      const choice = followUpChoiceProblem(values);
      const dto = await this.validator.validate(formToRequestBody(values)).catch((error: unknown) => {
        throw choice && error instanceof ValidationFailed ? new ValidationFailed([choice, ...error.errors]) : error;
      });
      if (choice) throw new ValidationFailed([choice]);
      const idempotency: IdempotencyInput = { scope: 'form', key: token };
      // Only a new request counts: a buyer's mistakes, and the same page sent twice, do not use up the hour's allowance.
      const result = await this.intake.submit(dto, idempotency, async () => {
        const twin = await this.intake.recentTwin(dto);
        if (twin) throw new AlreadyRecorded(twin);
        await this.rateLimiter.consume(req.ip ?? 'unknown');
      });
      const submittedAt = await this.intake.submittedAt(result);
      const pace = usualPace(submittedAt, dto.departmentCode, this.config.TAKE_CHARGE_WORKING_DAYS, this.config.ANSWER_WORKING_DAYS);
      res.status(201).render('confirmation', {
        title: `Demande ${result.reference} enregistrée`,
        result,
        // Shown so that a mistyped address is seen while the buyer is still here.
        buyerEmail: dto.buyer.email,
        // The next question starts from this one's buyer, as the tracking page's link does.
        nextRequestUrl: `/demande?${new URLSearchParams({ suite: result.reference, t: new URL(result.trackingUrl).searchParams.get('t') ?? '' })}`,
        takeChargeDays: this.config.TAKE_CHARGE_WORKING_DAYS,
        answerDays: this.config.ANSWER_WORKING_DAYS,
        neededBy: dto.neededBy ?? null,
        ...pace,
        usualAnswerDay: answerDayAfterNeed(dto.neededBy, pace),
      });
    } catch (error) {
      // Its tracking link is not shown: it was e-mailed, and the same text typed by someone else must not open it.
      if (error instanceof AlreadyRecorded)
        return res
          .status(200)
          .render('already-recorded', { title: `Demande ${error.reference} déjà enregistrée`, reference: error.reference });
      if (error instanceof AppError && (error.code === 'validation_failed' || error.code === 'not_eligible')) return refuse(error);
      if (error instanceof AppError && error.code === 'rate_limited') {
        res.setHeader('Retry-After', String(error.extra.retryAfterSeconds));
        return refuse(overLimit(error.message), token, 429);
      }
      // A new token: sending the page once more asks a new question.
      if (error instanceof AppError && error.code === 'idempotency_key_reused') return refuse(alreadySent(), randomToken());
      throw error;
    }
  }
}
