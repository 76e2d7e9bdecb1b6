import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  Inject,
  Injectable,
  NestInterceptor,
  RequestMethod,
  Type,
  UseInterceptors,
} from '@nestjs/common';
import { METHOD_METADATA } from '@nestjs/common/constants';
import {
  ApiPayloadTooLargeResponse,
  ApiUnprocessableEntityResponse,
  ApiUnsupportedMediaTypeResponse,
  DECORATORS,
  type ApiResponseOptions,
} from '@nestjs/swagger';
import type { ParameterObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { Response } from 'express';
import { setTimeout as sleep } from 'node:timers/promises';
import { catchError, concatMap, from, Observable, of, throwError } from 'rxjs';
import { ActionRefused, AppError } from '../../common/errors/app-errors';
import { ErrorResponseDto } from '../../common/errors/error-response.dto';
import { ApiIdempotencyKey, SENT_ONCE } from '../../common/idempotency-key';
import { hmac, sha256 } from '../../common/tokens';
import { AppConfig } from '../../config/app-config';
import { askedFields, outcomeToKeep, sendingKey } from './repeated-action.policy';
import type { StaffRequest } from './staff-auth.service';
import type { RepeatableOutcome } from './staff-action-key.entity';
import { StaffActionKeysRepository } from './staff-action-keys.repository';

/** On a request this interceptor has judged: run again for an upload route (RepeatableUpload), it does not judge twice. */
const SEEN = Symbol('repeated action seen');

/** How long a repeat waits for the first sending still under way, and how often it looks. */
const WAIT_FOR_FIRST_MS = 10_000;
const LOOK_EVERY_MS = 100;

const STILL_UNDER_WAY = 'Cet envoi est déjà en cours de traitement : rechargez la page dans un instant pour voir ce qui a été fait.';
const ALREADY_DONE = 'C’est déjà fait : ce formulaire a été envoyé une première fois. Rechargez la page pour voir ce qui a été fait.';
const FORM_ALREADY_SENT =
  'Ce formulaire a déjà été envoyé une première fois, avec un autre contenu : ce que vous venez d’envoyer n’est pas enregistré. Revenez au formulaire pour l’envoyer de nouveau.';

/**
 * Every staff write sent with a one-time form token or an API `Idempotency-Key` (urlencoded or JSON; multipart where RepeatableUpload says so) acts once: a repeat (a proxy's retry, a
 * double click, a second tab of the same page) is answered as the first was — its redirect and notice, or its JSON and
 * ETag — and, while the first is under way, waits for it. A sending that did nothing (errors, refusal) frees its key.
 */
@Injectable()
export class RepeatedActionInterceptor implements NestInterceptor {
  constructor(
    private readonly keys: StaffActionKeysRepository,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<StaffRequest & { [SEEN]?: true }>();
    const res = context.switchToHttp().getResponse<Response>();
    // Staff only (the guard has run): a buyer's forms name their sending in their own services.
    const staff = req.staffAuth?.principal;
    // A multipart body is read by its route's upload interceptor, after this one: RepeatableUpload runs this one again
    // once it is read; other such routes name their repeats themselves (the page's answer, the facilitators' import).
    const unread = req.is('multipart/form-data') && req.body === undefined;
    if (!staff || unread || req[SEEN]) return next.handle();
    req[SEEN] = true;
    const key = sendingKey(req.method, req.body, req.header('idempotency-key'));
    if (!key) return next.handle();
    const keyHash = hmac(this.config.APP_SECRET, ['staff-action', staff.id, req.method, req.path, key].join(':'));
    // Keyed: a form's fields may hold a password (a new API token's, a password change's), kept a day in this table.
    // Files count as what is asked: the same key with another file is another sending.
    const files = Array.isArray(req.files) ? req.files.map((file) => [file.originalname, sha256(file.buffer).toString('hex')]) : [];
    const fingerprint = hmac(this.config.APP_SECRET, JSON.stringify(files.length ? [askedFields(req.body), files] : askedFields(req.body)));
    const sending = await this.claimOrFirst(keyHash, fingerprint, key.startsWith('form:'));
    if ('first' in sending) return of(this.replay(sending.first, res));
    const { claim } = sending;
    return next.handle().pipe(
      concatMap(async (value: unknown) => {
        const [location, etag] = [res.getHeader('location'), res.getHeader('etag')];
        const sent = { headersSent: res.headersSent, statusCode: res.statusCode, location: location?.toString(), etag: etag?.toString() };
        const outcome = outcomeToKeep(sent, value);
        await (outcome ? this.keys.complete(keyHash, claim, outcome) : this.keys.release(keyHash, claim));
        return value;
      }),
      // Refused or failed: nothing was done, the same form may come again.
      catchError((error: unknown) => from(this.keys.release(keyHash, claim)).pipe(concatMap(() => throwError(() => error)))),
    );
  }

  /** This sending's claim when it is the first (the key is now held); else how the first was answered, once it is. */
  private async claimOrFirst(
    keyHash: Buffer,
    fingerprint: Buffer,
    fromForm: boolean,
  ): Promise<{ claim: string } | { first: RepeatableOutcome }> {
    for (let waited = 0; ; waited += LOOK_EVERY_MS) {
      const claim = await this.keys.reserve(keyHash, fingerprint);
      if (claim) return { claim };
      const held = await this.keys.find(keyHash);
      // Released meanwhile (the first did nothing): claim it again.
      if (!held) continue;
      if (!held.fingerprint.equals(fingerprint)) {
        if (fromForm) throw new AppError('form_already_sent', FORM_ALREADY_SENT, [{ field: 'action', message: FORM_ALREADY_SENT }]);
        throw new AppError('idempotency_key_reused', 'Clé déjà utilisée avec un contenu différent.', [
          { field: 'Idempotency-Key', message: 'Clé déjà utilisée avec un contenu différent.' },
        ]);
      }
      if (held.outcome) return { first: held.outcome };
      if (waited >= WAIT_FOR_FIRST_MS) throw new ActionRefused(STILL_UNDER_WAY);
      await sleep(LOOK_EVERY_MS);
    }
  }

  private replay(first: RepeatableOutcome, res: Response): unknown {
    if (!('done' in first)) res.setHeader(REPLAYED, 'true');
    if ('redirect' in first) {
      res.redirect(first.status, first.redirect);
      return undefined;
    }
    if ('value' in first) {
      if (first.etag) res.setHeader('ETag', first.etag);
      return first.value;
    }
    throw new ActionRefused(ALREADY_DONE);
  }
}

/** On a response that is the first sending's, given again (as the intake's and the buyer's messages say it too). */
const REPLAYED = 'Idempotent-Replayed';
const REPLAYED_HEADER = {
  description: '`true` quand la réponse est celle d’un premier envoi avec la même clé d’idempotence : rien n’a été refait',
  schema: { type: 'string', enum: ['true'] },
};
const WRITES: ReadonlySet<unknown> = new Set([RequestMethod.POST, RequestMethod.PUT, RequestMethod.PATCH, RequestMethod.DELETE]);
/** What every staff write may answer besides its own refusals, unless the route describes the status itself. */
const WRITE_REFUSALS: Record<string, () => MethodDecorator> = {
  413: () => ApiPayloadTooLargeResponse({ type: ErrorResponseDto, description: 'Corps de plus de 100 Ko' }),
  415: () =>
    ApiUnsupportedMediaTypeResponse({
      type: ErrorResponseDto,
      description: 'Corps dans un type, un jeu de caractères ou un encodage que l’action ne lit pas (application/json en UTF-8 attendu)',
    }),
  422: () =>
    ApiUnprocessableEntityResponse({
      type: ErrorResponseDto,
      description:
        'Clé d’idempotence déjà utilisée, dans les 24 heures, pour un envoi au contenu différent (code `idempotency_key_reused`)',
    }),
};

/** The refusals of a JSON write that takes no Idempotency-Key (the directory's): too big (413), not JSON (415). */
export const ApiJsonWriteRefusals = (): MethodDecorator => applyDecorators(WRITE_REFUSALS[413](), WRITE_REFUSALS[415]());

/**
 * The OpenAPI side of RepeatedActionInterceptor, for a staff API controller (ApiStaffAccess): each of its writes takes
 * an Idempotency-Key (SENT_ONCE, unless the route says what its own repeat gives), may answer 413, 415 and 422 as the
 * body parsers and the interceptor do, and its success carries the Idempotent-Replayed header when replayed.
 * A class decorator, run after the routes' own: it reads what they declared.
 */
export function ApiRepeatableWrites(): ClassDecorator {
  return (target) => {
    const prototype = target.prototype as object;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const descriptor = Object.getOwnPropertyDescriptor(prototype, name)!;
      const handler: unknown = descriptor.value;
      if (typeof handler !== 'function' || !WRITES.has(Reflect.getMetadata(METHOD_METADATA, handler))) continue;
      const parameters = (Reflect.getMetadata(DECORATORS.API_PARAMETERS, handler) ?? []) as ParameterObject[];
      if (!parameters.some((parameter) => parameter.in === 'header' && parameter.name === 'idempotency-key')) {
        ApiIdempotencyKey(SENT_ONCE)(prototype, name, descriptor);
      }
      const own = (Reflect.getMetadata(DECORATORS.API_RESPONSE, handler) ?? {}) as Record<string, ApiResponseOptions>;
      for (const [status, decorator] of Object.entries(WRITE_REFUSALS)) if (!own[status]) decorator()(prototype, name, descriptor);
      const responses = Reflect.getMetadata(DECORATORS.API_RESPONSE, handler) as Record<string, ApiResponseOptions>;
      for (const [status, response] of Object.entries(responses)) {
        if (status.startsWith('2')) {
          responses[status] = { ...response, headers: { ...response.headers, [REPLAYED]: REPLAYED_HEADER } } as ApiResponseOptions;
        }
      }
    }
  };
}

/**
 * A staff write taking files (multipart, read by `upload` after the global interceptors): its repeats are judged as
 * every other write's, once its fields and files are read. `@RepeatableUpload(UploadInterceptor())` on the route.
 */
export function RepeatableUpload(upload: Type<NestInterceptor>): MethodDecorator {
  return UseInterceptors(upload, RepeatedActionInterceptor);
}
