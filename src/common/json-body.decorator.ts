import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { AppError } from './errors/app-errors';
import { unknownField } from './validation';

/** The anti-forgery token a signed-in browser may send with its JSON (staff.guard.ts reads it). */
const ALWAYS_ALLOWED = ['_csrf'];

/** A body in another format than JSON: what the API says to its client (415). */
export function notJson(what = 'la demande'): AppError {
  return new AppError('unsupported_media_type', `Envoyez ${what} en JSON, avec l’en-tête Content-Type: application/json.`, [
    { field: '', message: 'Content-Type attendu : application/json.' },
  ]);
}

/**
 * The JSON body of an API action, refused as the intake refuses one: in another format (415: a text or form body was
 * read as empty, and its message said « absent »), or with a field the action does not take (400, each named: a
 * misspelt field was silently ignored). No body at all reads as `{}`.
 */
const jsonBody = createParamDecorator(
  ({ fields, withFiles }: { fields: string[] | null; withFiles: boolean }, context: ExecutionContext): Record<string, unknown> => {
    const req = context.switchToHttp().getRequest<Request>();
    // `req.is` answers null when the request has no body, false when its type is another; an empty body of no type
    // (`curl -X POST`, fetch without a body: `Content-Length: 0`) is no body either.
    const types = withFiles ? ['application/json', 'multipart/form-data'] : ['application/json'];
    if (req.headers['content-length'] !== '0' && req.is(types) === false) {
      throw withFiles ? notJsonNorMultipart() : notJson('le corps de la requête');
    }
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (fields !== null) refuseUnknownFields(body, fields);
    return body;
  },
);

/** A body neither JSON nor a form with files (415). */
function notJsonNorMultipart(): AppError {
  const message = 'Content-Type attendu : application/json, ou multipart/form-data avec des fichiers.';
  return new AppError(
    'unsupported_media_type',
    'Envoyez le corps de la requête en JSON, ou en multipart/form-data pour joindre des fichiers.',
    [{ field: '', message }],
  );
}

/** A field the action does not take, each named (400): a misspelt one would otherwise be silently ignored. */
export function refuseUnknownFields(body: Record<string, unknown>, fields: readonly string[]): void {
  const unknown = Object.keys(body).filter((key) => !fields.includes(key) && !ALWAYS_ALLOWED.includes(key));
  if (unknown.length) {
    throw new AppError('validation_failed', 'La demande contient des erreurs.', unknown.map(unknownField));
  }
}

/** `@JsonBody('reason', 'message')`: the fields the action takes; `@JsonBody()`, none (no body, or `{}`). */
export const JsonBody = (...fields: string[]): ParameterDecorator => jsonBody({ fields, withFiles: false });

/**
 * `@JsonBodyForDto()`: the same 415, the fields left to the DTO that validateBody checks the body against: it names an
 * unknown field among the other fields' errors, in one answer.
 */
export const JsonBodyForDto = (): ParameterDecorator => jsonBody({ fields: null, withFiles: false });

/** The same, a multipart form with files also taken (parsed before by UploadInterceptor): its text fields. */
export const JsonOrMultipartBody = (...fields: string[]): ParameterDecorator => jsonBody({ fields, withFiles: true });
