import { HttpException } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { formLeftBehind } from '../../web/form-left-behind';
import { scrubPersonalData } from '../logging/logger';
import { AppError, ErrorCode, ErrorPage } from './app-errors';

const HTTP_MESSAGES: Record<number, string> = {
  400: 'La requête est invalide.',
  401: 'Authentification requise.',
  403: 'Accès refusé.',
  404: 'Page ou demande introuvable.',
  405: 'Méthode non autorisée.',
  413: 'Le contenu envoyé dépasse la taille autorisée (100 Ko).',
  415: 'Type de contenu non pris en charge : envoyez du JSON (Content-Type: application/json).',
  429: 'Trop de demandes envoyées depuis votre adresse. Réessayez plus tard.',
  500: 'Une erreur inattendue est survenue. Elle a été enregistrée ; réessayez dans quelques instants.',
  503: 'Le service est momentanément indisponible. Réessayez dans quelques instants.',
};

/** body-parser's own errors, for a body that never reached a controller. */
const BODY_PARSER_ERRORS: Record<string, { code: ErrorCode; message: string }> = {
  'entity.parse.failed': { code: 'malformed_body', message: 'Le corps de la requête n’est pas un JSON valide.' },
  'entity.too.large': { code: 'payload_too_large', message: HTTP_MESSAGES[413] },
  'encoding.unsupported': { code: 'unsupported_media_type', message: 'Encodage non pris en charge : utilisez UTF-8.' },
  'charset.unsupported': { code: 'unsupported_media_type', message: 'Jeu de caractères non pris en charge : utilisez UTF-8.' },
  // input-guard.ts's refuseMalformedUtf8.
  'entity.utf8.malformed': { code: 'malformed_body', message: 'Le corps de la requête n’est pas un texte UTF-8 valide.' },
  'request.aborted': { code: 'malformed_body', message: 'La requête a été interrompue.' },
  'parameters.too.many': { code: 'payload_too_large', message: 'Le formulaire envoyé compte trop de champs.' },
};
/**
 * PostgreSQL out of reach or restarting: its connection errors (class 08, 57P01–03: shut down, starting up; 53300: no
 * connection slot left; 3D000, 28000, 28P01: its database gone or its password changed under the running service), the
 * socket's, or pg's own words for a connection lost. An outage: 503 and when to try again, not a 500.
 */
const DATABASE_AWAY_CODES = new Set([
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '3D000',
  '28000',
  '28P01',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const DATABASE_AWAY_MESSAGE = /Connection terminated|timeout exceeded when trying to connect|not queryable/;
/** TypeORM's words for a transaction whose connection PostgreSQL ended under it (its listener released it). */
const CONNECTION_RELEASED_UNDER_IT = new Set(['QueryRunnerAlreadyReleasedError', 'QueryRunnerProviderAlreadyReleasedError']);
const DATABASE_AWAY_RETRY_SECONDS = 30;

function databaseAway(error: unknown): boolean {
  const { code, message, driverError, name } = (error ?? {}) as {
    code?: unknown;
    message?: unknown;
    driverError?: unknown;
    name?: unknown;
  };
  if (typeof code === 'string' && (DATABASE_AWAY_CODES.has(code) || code.startsWith('08'))) return true;
  if (typeof name === 'string' && CONNECTION_RELEASED_UNDER_IT.has(name)) return true;
  if (typeof message === 'string' && DATABASE_AWAY_MESSAGE.test(message)) return true;
  return driverError !== undefined && databaseAway(driverError);
}

/** Any other error of body-parser's (a body announced as gzip that is not): its status, our words. */
const UNREADABLE_BODY = 'Le corps de la requête n’a pas pu être lu : vérifiez son encodage (Content-Encoding).';

interface ErrorBody {
  statusCode: number;
  message: string;
  errors: Array<{ field: string; message: string }>;
  code?: string;
  pointers?: Array<{ label: string; url: string }>;
  seenState?: string;
}

function toErrorBody(error: unknown): { body: ErrorBody; retryAfter?: number; redirectTo?: string; heading?: string; page?: ErrorPage } {
  if (error instanceof AppError) {
    return {
      body: {
        statusCode: error.status,
        message: error.message,
        errors: error.errors,
        code: error.code,
        ...(error.extra.pointers ? { pointers: error.extra.pointers } : {}),
        ...(error.extra.seenState ? { seenState: error.extra.seenState } : {}),
      },
      retryAfter: error.extra.retryAfterSeconds,
      redirectTo: error.extra.redirectTo,
      page: error.extra.page,
      heading: error.extra.heading,
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return { body: { statusCode: status, message: HTTP_MESSAGES[status] ?? HTTP_MESSAGES[400], errors: [] } };
  }
  const parserError = BODY_PARSER_ERRORS[(error as { type?: string })?.type ?? ''];
  if (parserError) return toErrorBody(new AppError(parserError.code, parserError.message, [{ field: '', message: parserError.message }]));
  if (isHttpError(error) && error.status === 400) {
    return toErrorBody(new AppError('malformed_body', UNREADABLE_BODY, [{ field: '', message: UNREADABLE_BODY }]));
  }
  if (databaseAway(error)) {
    return toErrorBody(new AppError('service_unavailable', HTTP_MESSAGES[503], [], { retryAfterSeconds: DATABASE_AWAY_RETRY_SECONDS }));
  }
  return { body: { statusCode: 500, message: HTTP_MESSAGES[500], errors: [] } };
}

/** An error made by http-errors (body-parser's), which says its own status. */
function isHttpError(error: unknown): error is { status: number } {
  return (
    error instanceof Error && (error as { expose?: unknown }).expose === true && typeof (error as { status?: unknown }).status === 'number'
  );
}

/**
 * A program rather than a person: the API's and health checks' paths, a bearer token (a script's, on any route that
 * takes one: the CSV exports), or a client that takes JSON and not HTML. The staff guard asks it too, to answer such a
 * client's missing identity as the API does.
 */
export function wantsJson(req: Request): boolean {
  return (
    req.path.startsWith('/api/') ||
    req.path.startsWith('/health') ||
    /^Bearer\s/i.test(req.headers.authorization ?? '') ||
    (!req.accepts('html') && !!req.accepts('json'))
  );
}

const UNNAMED_ERROR = 'Une erreur est survenue';
/** A form of a request's page, or of a page under it: the request it was about. */
const REQUEST_FORM = /^\/espace\/demandes\/(GV-\d{4}-\d{6,})\//i;

/** The title of an error page for people, by status, naming the request a form refused was about when known. */
function pageHeading(body: ErrorBody, path: string): string {
  if (body.statusCode === 404) return 'Page introuvable';
  if (body.statusCode === 410) return 'Page plus disponible';
  if (body.statusCode === 429) return 'Trop de demandes';
  const form = body.code === 'form_expired' ? 'Formulaire expiré' : body.code === 'form_already_sent' ? 'Formulaire déjà envoyé' : null;
  if (!form) return UNNAMED_ERROR;
  const reference = REQUEST_FORM.exec(path)?.[1];
  return reference ? `${form} — ${reference.toUpperCase()}` : form;
}

/**
 * The single place an error becomes a response: JSON with field errors for API clients, a French
 * page for people. Unexpected errors are logged without any personal data.
 */
export function respondWithError(error: unknown, req: Request, res: Response, logger: Logger): void {
  const { body, retryAfter, redirectTo, page, heading } = toErrorBody(error);
  if (body.statusCode >= 500) {
    const err = error as Error;
    // An outage answered 503 is the operator's to see too, once per request but not as a fault of the code.
    logger[body.statusCode === 503 ? 'warn' : 'error'](
      {
        requestId: res.getHeader('X-Request-Id'),
        // A stack's first line repeats the message: scrubbed as well.
        err: { name: err?.name, message: scrubPersonalData(String(err?.message)), stack: err?.stack && scrubPersonalData(err.stack) },
      },
      body.statusCode === 503 ? 'service momentanément indisponible' : 'erreur inattendue',
    );
  }
  if (res.headersSent) return;
  if (retryAfter) res.setHeader('Retry-After', String(retryAfter));
  res.status(body.statusCode);
  if (wantsJson(req)) {
    res.json(body);
    return;
  }
  // A person sent to sign in first, rather than shown an error.
  if (redirectTo) {
    res.redirect(303, redirectTo);
    return;
  }
  if (page) {
    res.render(page.view, page.locals);
    return;
  }
  // Staff pages lead back to the workspace; a buyer's link cut short in an e-mail, to the way to get it again.
  const inWorkspace = req.path === '/espace' || req.path.startsWith('/espace/');
  const shownHeading = heading ?? pageHeading(body, req.path);
  res.render('error', {
    // The tab says what happened as the heading does (RGAA 8.6); « Erreur » only when the heading says no more.
    title: shownHeading === UNNAMED_ERROR ? 'Erreur' : shownHeading,
    inWorkspace,
    notFound: body.statusCode === 404,
    // What the form held, to copy, and the way back to it: sending it again would only repeat the stale token.
    leftBehind: body.code === 'form_expired' || body.code === 'form_already_sent' ? formLeftBehind(req, res) : null,
    heading: shownHeading,
    message:
      body.statusCode !== 404
        ? body.message
        : inWorkspace
          ? 'La page ou la demande que vous cherchez n’existe pas, ou elle n’est pas de votre ressort.'
          : 'La page ou la demande que vous cherchez n’existe pas, ou le lien est incomplet. Vérifiez l’adresse reçue par courriel.',
  });
}
