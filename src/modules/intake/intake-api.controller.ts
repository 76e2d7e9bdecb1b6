import { Body, Controller, Headers, HttpCode, Post, Req, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
  ApiUnsupportedMediaTypeResponse,
  ApiBadRequestResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiIdempotencyKey, checkedIdempotencyKey } from '../../common/idempotency-key';
import { ErrorResponseDto } from '../../common/errors/error-response.dto';
import { CreatedRequestDto, CreateRequestDto } from './dto/create-request.dto';
import { IntakeRateLimiter } from './intake-rate-limiter';
import { IdempotencyInput, IntakeService, SubmissionResult } from './intake.service';
import { RequestValidator } from './request-validator';
import { notJson } from '../../common/json-body.decorator';

@ApiTags('Demandes')
@Controller('api/v1/requests')
export class IntakeApiController {
  constructor(
    private readonly validator: RequestValidator,
    private readonly intake: IntakeService,
    private readonly rateLimiter: IntakeRateLimiter,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Déposer une demande de conseil',
    description: 'Une question sur un achat. Renvoie la référence et le lien de suivi privé.',
  })
  @ApiIdempotencyKey('un nouvel envoi avec la même clé renvoie la première demande, pendant 24 heures.')
  @ApiBody({ type: CreateRequestDto })
  @ApiCreatedResponse({
    type: CreatedRequestDto,
    description:
      'La demande est enregistrée : sa référence, son statut et le lien de suivi privé de l’acheteur. Un nouvel envoi avec la même clé d’idempotence et le même contenu renvoie la même réponse (201), avec l’en-tête Idempotent-Replayed.',
    headers: {
      Location: { description: 'Le suivi de la demande dans l’API : /api/v1/requests/{reference}', schema: { type: 'string' } },
      'Idempotent-Replayed': {
        description: '`true` quand la réponse est celle d’un envoi précédent avec la même clé',
        schema: { type: 'string', enum: ['true'] },
      },
    },
  })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Champs invalides, un message par champ' })
  @ApiUnprocessableEntityResponse({
    type: ErrorResponseDto,
    description: 'Demande non éligible (explication et orientations), ou clé d’idempotence réutilisée',
  })
  @ApiPayloadTooLargeResponse({ type: ErrorResponseDto, description: 'Corps de plus de 100 Ko' })
  @ApiUnsupportedMediaTypeResponse({ type: ErrorResponseDto, description: 'Le corps doit être en application/json' })
  @ApiTooManyRequestsResponse({
    type: ErrorResponseDto,
    description:
      'Plus de nouvelles demandes en une heure depuis cette adresse que le service n’en accepte (INTAKE_RATE_LIMIT) ; un corps refusé, un rejeu ou une clé en conflit n’en comptent pas. Un rejeu d’une demande enregistrée reçoit toujours sa réponse.',
    headers: { 'Retry-After': { description: 'Secondes à attendre avant un nouvel envoi', schema: { type: 'integer' } } },
  })
  async create(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<CreatedRequestDto> {
    if (!req.is('application/json')) throw notJson();
    const key = checkedIdempotencyKey(idempotencyKey);
    // The count travels to Redis while the body is checked; over the limit still answers 429 first.
    const clientAddress = req.ip ?? 'unknown';
    const [limit, validation] = await Promise.allSettled([this.rateLimiter.consume(clientAddress), this.validator.validate(body)]);
    const idempotency: IdempotencyInput | undefined = key ? { scope: 'api', key } : undefined;
    if (limit.status === 'rejected') {
      // A retry of a request already recorded still gets its first answer: the limit stops new requests, not replies.
      const firstResult =
        idempotency && validation.status === 'fulfilled' && (await this.intake.firstResult(validation.value, idempotency));
      if (!firstResult) throw limit.reason;
      return createdBody(res, firstResult);
    }
    // Only a new request uses up the allowance: a refused body, a replay or a conflict gives its count back.
    if (validation.status === 'rejected') {
      await this.rateLimiter.giveBack(clientAddress);
      throw validation.reason;
    }
    const result = await this.intake.submit(validation.value, idempotency).catch(async (error: unknown) => {
      await this.rateLimiter.giveBack(clientAddress);
      throw error;
    });
    if (result.replayed) await this.rateLimiter.giveBack(clientAddress);
    return createdBody(res, result);
  }
}

function createdBody(res: Response, result: SubmissionResult): CreatedRequestDto {
  res.setHeader('Location', `/api/v1/requests/${result.reference}`);
  if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
  return { reference: result.reference, status: result.status, trackingUrl: result.trackingUrl };
}
