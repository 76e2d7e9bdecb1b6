import {
  applyDecorators,
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
  UploadedFiles,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiConflictResponse,
  ApiExcludeEndpoint,
  ApiGoneResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiUnprocessableEntityResponse,
  ApiPayloadTooLargeResponse,
  ApiUnsupportedMediaTypeResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { HeadersObject } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { UploadedFile, uploadLimitsOf } from '../attachments/attachments.service';
import { AppConfig } from '../../config/app-config';
import {
  FILES_FIELD,
  filesToChooseAgain,
  TOO_LARGE_WITH_FILES,
  UploadInterceptor,
  uploadRefusalOf,
} from '../attachments/upload.interceptor';
import { AppError, NotFound } from '../../common/errors/app-errors';
import { ErrorResponseDto } from '../../common/errors/error-response.dto';
import { ApiIdempotencyKey, apiRepeatKey, formRepeatKey } from '../../common/idempotency-key';
import { randomToken } from '../../common/tokens';
import { noticeOf } from '../../web/notices';
import { SurveysService } from '../surveys/surveys.service';
import { BUYER_MESSAGE_MAX, BuyerMessageInput, INFORMATION_LIMIT, Sending, TrackingActionsService } from './tracking-actions.service';
import { TrackedRequestDto } from './dto/tracked-request.dto';
import { WITHDRAWAL_REASON_LABELS, WITHDRAWAL_REASONS } from './request.types';
import { formModel } from '../../web/form-model';
import { TrackingService } from './tracking.service';
import { JsonBody, JsonOrMultipartBody } from '../../common/json-body.decorator';
import { BuyerFormTokenGuard, BuyerTokenGuard } from './buyer-token.guard';

type PageBody = Record<string, unknown> | undefined;

/** What a buyer action's body is refused for: by default JSON within the size limit; a message also takes files. */
interface BodyRefusals {
  tooLarge: string;
  unsupported: string;
}
const JSON_BODY: BodyRefusals = {
  tooLarge: 'Corps de plus de 100 Ko',
  unsupported: 'Le corps, s’il y en a un, doit être en application/json',
};

/**
 * Every buyer action of the API: its token checked first (404), then its body — what it may answer besides its own
 * refusals. One description per status: Nest would join two into one.
 */
const BuyerAction = (body: BodyRefusals = JSON_BODY) =>
  applyDecorators(
    UseGuards(BuyerTokenGuard),
    ApiUnsupportedMediaTypeResponse({ type: ErrorResponseDto, description: body.unsupported }),
    ApiPayloadTooLargeResponse({ type: ErrorResponseDto, description: body.tooLarge }),
  );

const REPEATED_MESSAGE =
  'un nouvel envoi avec la même clé et le même texte n’est pas transmis une seconde fois (même texte : 200 et la demande, autre texte : 422).';

const MESSAGE = { type: 'string', minLength: 2, maxLength: BUYER_MESSAGE_MAX } as const;

const REPLAYED_HEADER: HeadersObject = {
  'Idempotent-Replayed': {
    description: '`true` quand le message était déjà enregistré sous cette clé d’idempotence : rien n’est envoyé de nouveau',
    schema: { type: 'string', enum: ['true'] },
  },
};

/**
 * A buyer's message, a buyer action: JSON, or multipart with files in `fichiers` (the answer's limits and content
 * checks), named by its Idempotency-Key; answers the request as it now stands.
 */
const MessageWithFiles = () =>
  applyDecorators(
    BuyerAction({
      tooLarge: TOO_LARGE_WITH_FILES,
      unsupported: 'Un corps ni en application/json ni en multipart/form-data, ou un fichier d’un type refusé',
    }),
    UseInterceptors(UploadInterceptor()),
    ApiConsumes('application/json', 'multipart/form-data'),
    ApiBody({
      schema: {
        type: 'object',
        required: ['message'],
        properties: {
          message: MESSAGE,
          [FILES_FIELD]: {
            type: 'array',
            items: { type: 'string', format: 'binary' },
            description: 'En multipart/form-data seulement : PDF, images, documents bureautiques',
          },
        },
      },
    }),
    ApiIdempotencyKey(REPEATED_MESSAGE),
    ApiUnprocessableEntityResponse({ type: ErrorResponseDto, description: 'Clé d’idempotence déjà utilisée avec un autre texte' }),
    ApiOkResponse({ type: TrackedRequestDto, description: 'La demande à jour', headers: REPLAYED_HEADER }),
    ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Message absent ou trop long (erreur par champ)' }),
  );

/** A message sent through the API: its text, its files, and the key that names it. */
function apiMessage(body: PageBody, idempotencyKey: string | undefined, files: UploadedFile[]): BuyerMessageInput {
  return { message: body?.message, repeatKey: apiRepeatKey(idempotencyKey), files };
}

/** What the buyer reads back on the page after each action (`?fait=`). */
const NOTICES = {
  precision: 'Votre précision est envoyée : le traitement de votre demande reprend.',
  reponse: 'Votre message est envoyé : votre demande est rouverte.',
  information: 'Votre information est ajoutée à la demande : elle sera lue avec votre question.',
  resolue:
    'C’est noté : votre demande est clôturée. Merci d’avoir fait appel au guichet vert. Dans quelques jours, un court questionnaire vous demandera si la réponse vous a été utile.',
  retrait: 'Votre demande est retirée. Vous pouvez en déposer une nouvelle à tout moment.',
} as const;

/** The refusals a message form shows on itself, beside the field at fault; any other is the page's. */
const FORM_ERRORS: readonly string[] = ['validation_failed', 'rate_limited', 'unsupported_media_type', 'payload_too_large'];

const FORM_NOUNS: Record<'precision' | 'reponse' | 'information', string> = {
  precision: 'votre précision',
  reponse: 'votre réponse',
  information: 'votre information',
};

/** The buyer's private link: the page and its forms, and the same actions as JSON with the X-Tracking-Token header. */
@ApiTags('Demandes')
@ApiHeader({ name: 'x-tracking-token', required: true, description: 'Le paramètre t du lien de suivi' })
@ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Référence inconnue ou jeton faux (même réponse dans les deux cas)' })
@ApiGoneResponse({ type: ErrorResponseDto, description: 'Le bon jeton, mais les données personnelles de la demande sont effacées' })
@Controller()
export class TrackingController {
  constructor(
    private readonly tracking: TrackingService,
    private readonly actions: TrackingActionsService,
    private readonly surveys: SurveysService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  @Get('api/v1/requests/:reference')
  @ApiOperation({ summary: 'Suivre une demande', description: 'Statut, échanges, actions possibles et historique public.' })
  @ApiOkResponse({ type: TrackedRequestDto, description: 'La demande, ses échanges et son historique public' })
  find(@Param('reference') reference: string, @Headers('x-tracking-token') token: string | undefined): Promise<TrackedRequestDto> {
    return this.tracking.findForBuyer(reference, token);
  }

  @Post('api/v1/requests/:reference/clarification')
  @HttpCode(200)
  @ApiOperation({ summary: 'Apporter la précision demandée', description: 'Possible quand la demande attend votre précision.' })
  @MessageWithFiles()
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Aucune précision n’est attendue' })
  async clarify(
    @Param('reference') reference: string,
    @Headers('x-tracking-token') token: string | undefined,
    @Res({ passthrough: true }) res: Response,
    @JsonOrMultipartBody('message') body: PageBody,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @UploadedFiles() files: UploadedFile[] = [],
  ) {
    return this.answered(res, await this.actions.clarify(reference, token, apiMessage(body, idempotencyKey, files)), reference, token);
  }

  @Post('api/v1/requests/:reference/replies')
  @HttpCode(200)
  @ApiOperation({ summary: 'Répondre à la réponse', description: 'Possible pendant le délai de réponse ; rouvre la demande.' })
  @MessageWithFiles()
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Pas de réponse à laquelle répondre, ou délai dépassé' })
  async reply(
    @Param('reference') reference: string,
    @Headers('x-tracking-token') token: string | undefined,
    @Res({ passthrough: true }) res: Response,
    @JsonOrMultipartBody('message') body: PageBody,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @UploadedFiles() files: UploadedFile[] = [],
  ) {
    return this.answered(res, await this.actions.reply(reference, token, apiMessage(body, idempotencyKey, files)), reference, token);
  }

  @Post('api/v1/requests/:reference/information')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Ajouter une information',
    description:
      'Un élément oublié, tant qu’aucune précision ne vous est demandée et qu’aucune réponse n’est venue ; transmis au facilitateur.',
  })
  @MessageWithFiles()
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Une précision vous est demandée, ou la demande a reçu sa réponse' })
  @ApiTooManyRequestsResponse({
    type: ErrorResponseDto,
    description: `Plus de ${INFORMATION_LIMIT.max} informations ajoutées dans l’heure : regroupez-les, ou attendez`,
    headers: { 'Retry-After': { description: 'Secondes à attendre avant un nouvel ajout', schema: { type: 'integer' } } },
  })
  async addInformation(
    @Param('reference') reference: string,
    @Headers('x-tracking-token') token: string | undefined,
    @Res({ passthrough: true }) res: Response,
    @JsonOrMultipartBody('message') body: PageBody,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @UploadedFiles() files: UploadedFile[] = [],
  ) {
    return this.answered(
      res,
      await this.actions.addInformation(reference, token, apiMessage(body, idempotencyKey, files)),
      reference,
      token,
    );
  }

  @Post('api/v1/requests/:reference/withdrawal')
  @HttpCode(200)
  @BuyerAction()
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Raison inconnue, ou champ inconnu' })
  @ApiOperation({
    summary: 'Retirer la demande',
    description: 'La demande est clôturée avec le motif « retirée » ; `reason`, facultatif, dit pourquoi (transmis au facilitateur).',
  })
  @ApiBody({
    required: false,
    schema: { type: 'object', properties: { reason: { type: 'string', enum: [...WITHDRAWAL_REASONS] } } },
  })
  @ApiOkResponse({ type: TrackedRequestDto, description: 'La demande à jour' })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'La demande est déjà clôturée pour un autre motif (retirée deux fois : 200)',
  })
  async withdrawApi(
    @Param('reference') reference: string,
    @Headers('x-tracking-token') token: string | undefined,
    @JsonBody('reason') body: PageBody,
  ) {
    await this.actions.withdraw(reference, token, body?.reason);
    return this.tracking.findForBuyer(reference, token);
  }

  @Post('api/v1/requests/:reference/resolution')
  @HttpCode(200)
  @BuyerAction()
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Un champ dans le corps : cette action n’en prend aucun' })
  @ApiOperation({
    summary: 'Indiquer que la réponse a résolu la question',
    description: 'La demande est clôturée avec le motif « Réponse apportée » ; les questionnaires de suivi suivront.',
  })
  @ApiOkResponse({ type: TrackedRequestDto, description: 'La demande à jour' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'La demande n’attend plus de réaction à une réponse' })
  async resolveApi(
    @Param('reference') reference: string,
    @Headers('x-tracking-token') token: string | undefined,
    @JsonBody() _body: PageBody,
  ) {
    await this.actions.resolve(reference, token);
    return this.tracking.findForBuyer(reference, token);
  }

  @Get('suivi/:reference')
  @ApiExcludeEndpoint()
  async page(@Param('reference') reference: string, @Query('t') token: unknown, @Query('fait') done: unknown, @Res() res: Response) {
    await this.render(res, 200, reference, token, undefined, noticeOf(NOTICES, done));
  }

  /**
   * The address a message form was sent to, opened again (a reload after its errors, a bookmark): its link carries the
   * token, so it leads back to the tracking page rather than to « Page introuvable ».
   */
  @Get(['suivi/:reference/precision', 'suivi/:reference/reponse', 'suivi/:reference/information'])
  @ApiExcludeEndpoint()
  formAddress(@Param('reference') reference: string, @Query('t') token: unknown, @Res() res: Response) {
    if (typeof token !== 'string') throw new NotFound();
    res.redirect(303, trackingPath(reference, token));
  }

  @Post('suivi/:reference/precision')
  @ApiExcludeEndpoint()
  @UseGuards(BuyerFormTokenGuard)
  @UseInterceptors(UploadInterceptor(FILES_FIELD, { keepForm: true }))
  async clarifyPage(
    @Param('reference') reference: string,
    @Req() req: Request,
    @UploadedFiles() files: UploadedFile[] = [],
    @Res() res: Response,
  ) {
    await this.fromForm(req, res, reference, 'precision', files, (input) => this.actions.clarify(reference, req.body?.t, input));
  }

  @Post('suivi/:reference/reponse')
  @ApiExcludeEndpoint()
  @UseGuards(BuyerFormTokenGuard)
  @UseInterceptors(UploadInterceptor(FILES_FIELD, { keepForm: true }))
  async replyPage(
    @Param('reference') reference: string,
    @Req() req: Request,
    @UploadedFiles() files: UploadedFile[] = [],
    @Res() res: Response,
  ) {
    await this.fromForm(req, res, reference, 'reponse', files, (input) => this.actions.reply(reference, req.body?.t, input));
  }

  @Post('suivi/:reference/information')
  @ApiExcludeEndpoint()
  @UseGuards(BuyerFormTokenGuard)
  @UseInterceptors(UploadInterceptor(FILES_FIELD, { keepForm: true }))
  async addInformationPage(
    @Param('reference') reference: string,
    @Req() req: Request,
    @UploadedFiles() files: UploadedFile[] = [],
    @Res() res: Response,
  ) {
    await this.fromForm(req, res, reference, 'information', files, (input) => this.actions.addInformation(reference, req.body?.t, input));
  }

  @Get('suivi/:reference/retrait')
  @ApiExcludeEndpoint()
  async withdrawConfirmation(@Param('reference') reference: string, @Query('t') token: unknown, @Res() res: Response) {
    await this.unlessRefused(res, reference, token, async () => {
      const request = await this.actions.assertWithdrawable(reference, token);
      res.render('tracking-withdraw', {
        title: `Retirer la demande ${request.reference}`,
        request,
        token,
        formToken: randomToken(),
        form: formModel(),
        reasons: WITHDRAWAL_REASONS.map((value) => ({ value, label: WITHDRAWAL_REASON_LABELS[value] })),
      });
    });
  }

  @Post('suivi/:reference/resolue')
  @ApiExcludeEndpoint()
  async resolvePage(@Param('reference') reference: string, @Body() body: PageBody, @Res() res: Response) {
    await this.unlessRefused(res, reference, body?.t, async () => {
      await this.actions.resolve(reference, body?.t);
      res.redirect(303, trackingPath(reference, body?.t, 'resolue'));
    });
  }

  @Post('suivi/:reference/retrait')
  @ApiExcludeEndpoint()
  async withdrawPage(@Param('reference') reference: string, @Body() body: PageBody, @Res() res: Response) {
    await this.unlessRefused(res, reference, body?.t, async () => {
      await this.actions.withdraw(reference, body?.t, body?.reason);
      res.redirect(303, trackingPath(reference, body?.t, 'retrait'));
    });
  }

  /** An action the request's state no longer allows (409) shows the request's page with why, not a dead-end error page. */
  /** The request as it now stands; a retry of a message already stored says so, as the intake's replays do. */
  private answered(res: Response, sending: Sending, reference: string, token: string | undefined): Promise<TrackedRequestDto> {
    if (sending.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return this.tracking.findForBuyer(reference, token);
  }

  private async unlessRefused(res: Response, reference: string, token: unknown, act: () => Promise<void>): Promise<void> {
    try {
      await act();
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'conflict') throw error;
      await this.render(res, 409, reference, token, undefined, undefined, error.message);
    }
  }

  /**
   * Success leads back to the page (303); a wrong text or file shows the page again with the error summary, the text
   * as typed (400, 413, 415). The form is multipart (its files): its fields are read once the upload is parsed.
   */
  private async fromForm(
    req: Request,
    res: Response,
    reference: string,
    done: keyof typeof FORM_NOUNS,
    files: UploadedFile[],
    act: (input: BuyerMessageInput) => Promise<unknown>,
  ): Promise<void> {
    const body = req.body as PageBody;
    await this.unlessRefused(res, reference, body?.t, async () => {
      try {
        const refusal = uploadRefusalOf(req);
        if (refusal) throw refusal;
        await act({ message: body?.message, repeatKey: formRepeatKey(body?.formToken), files });
      } catch (caught) {
        // The page's token already sent another text (« Retour », then edited): this one stays on the form, under a new token.
        const reused = caught instanceof AppError && caught.code === 'idempotency_key_reused';
        const error = reused ? formAlreadyUsed() : caught;
        if (!(error instanceof AppError) || !FORM_ERRORS.includes(error.code)) throw error;
        return this.render(res, error.status, reference, body?.t, {
          message: body?.message,
          errors: [
            ...error.errors,
            ...filesToChooseAgain(
              files.map((file) => file.originalname),
              error.errors,
            ),
          ],
          formToken: reused ? randomToken() : body?.formToken,
          what: FORM_NOUNS[done],
        });
      }
      // To the notice that says it was sent (the exchanges follow below it): on a phone, further down, it went unseen.
      res.redirect(303, `${trackingPath(reference, body?.t, done)}#confirmation-action`);
    });
  }

  private async render(
    res: Response,
    status: number,
    reference: string,
    token: unknown,
    failed?: { message: unknown; errors: AppError['errors']; formToken: unknown; what: string },
    notice?: string,
    refusal?: string,
  ): Promise<void> {
    const request = await this.tracking.findForBuyer(reference, typeof token === 'string' ? token : undefined);
    const errors = failed?.errors ?? [];
    res.status(status).render('tracking', {
      title: `Demande ${request.reference}`,
      request,
      token,
      notice,
      refusal,
      surveys: await this.surveys.openSurveyLinks(request.reference),
      uploadLimits: uploadLimitsOf(this.config),
      formToken: typeof failed?.formToken === 'string' ? failed.formToken : randomToken(),
      // Named as its form's label names it, in the error summary's title (« l’envoi de votre précision »).
      failedWhat: failed?.what ?? 'votre message',
      form: {
        values: { message: typeof failed?.message === 'string' ? failed.message : '' },
        errors: Object.fromEntries(errors.map((e) => [e.field, e.message])),
        errorList: errors,
      },
    });
  }
}

function formAlreadyUsed(): AppError {
  const message =
    'Ce formulaire a déjà servi à envoyer un autre texte, que vous retrouvez dans les échanges. Si celui-ci est un nouveau message, envoyez-le de nouveau.';
  return new AppError('validation_failed', 'Formulaire déjà envoyé.', [{ field: 'message', message }]);
}

function trackingPath(reference: string, token: unknown, done?: keyof typeof NOTICES): string {
  return `/suivi/${encodeURIComponent(reference)}?t=${encodeURIComponent(String(token))}${done ? `&fait=${done}` : ''}`;
}
