import type { NextFunction, Request, Response } from 'express';
import { isUtf8 } from 'node:buffer';
import { AppError, FieldError, NotFound } from '../common/errors/app-errors';
import { unknownField } from '../common/validation';

const NUL_MESSAGE = 'Ce champ contient un caractère non autorisé (caractère nul).';
const CONTROL_MESSAGE = 'Ce champ contient un caractère de contrôle non autorisé (invisible, hors tabulation et retour à la ligne).';
const LONE_SURROGATE_MESSAGE = 'Ce champ contient un caractère mal codé (demi-paire UTF-16 isolée) : utilisez un texte UTF-8 valide.';
const TOO_DEEP_MESSAGE = 'Ce champ imbrique trop de niveaux d’objets ou de listes.';
const NOT_AN_OBJECT = 'Le corps de la requête doit être un objet JSON.';
/** What a person reads on the error page (an API client reads the fields). */
const REFUSED = 'Le contenu envoyé comporte un caractère non autorisé, un champ inconnu ou trop imbriqué : il n’a pas été enregistré.';
/** A reading (GET) records nothing: its refusal says so in its own words. */
const REFUSED_READING = 'L’adresse demandée comporte un caractère non autorisé ou un paramètre inconnu.';
/**
 * Names no field of this service has, which object mappers treat specially rather than as unknown fields: every member
 * of Object.prototype (class-validator's whitelist finds `toString` or `valueOf` there and lets them through).
 */
const RESERVED_KEYS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);
/** No field of this service nests more than a few levels; the walk below stops there rather than overflow the stack. */
const MAX_DEPTH = 16;
// A lone surrogate in JSON text (`"\ud800"`) parses into a string no UTF-8 column can hold as typed.
const LONE_SURROGATE = /\p{Cs}/u;
// Control characters no one types (a bell, an escape…): they would reach e-mails and exports as they are. Tabs and line
// breaks stay, and the other ways of breaking a line (VT and FF from word processors, NEL) become "\n" (typedText).
const CONTROL = /[\x01-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]/;

/**
 * Input refused before any controller: a NUL character (no PostgreSQL text can hold one) in the path
 * (404: nothing is named so), the query or the body (400 naming each field); another control character; a lone UTF-16 surrogate (jsonb
 * refuses it, text would silently change it); a JSON body that is not an object (`null` would reach handlers
 * that read its fields), or nested deeper than any of ours; a body or query field named as a member of every object
 * (`__proto__`, `constructor`, `toString`…).
 */
export function inputGuard(req: Request, _res: Response, next: NextFunction): void {
  // A path that does not percent-decode, or decodes to a NUL, names no page.
  if (req.path.includes('%') && !decodesCleanly(req.path)) return next(new NotFound());
  // Requests without a query string (the intake, health checks) skip its parsing.
  if (req.url.includes('?')) {
    const inQuery = unsafeFields(req.query);
    if (inQuery.length) return next(refused(inQuery, req.method === 'GET' || req.method === 'HEAD'));
  }
  const body: unknown = req.body;
  if (body === undefined) return next();
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return next(new AppError('validation_failed', NOT_AN_OBJECT, [{ field: '', message: NOT_AN_OBJECT }]));
  }
  const inBody = unsafeFields(body);
  next(inBody.length ? refused(inBody) : undefined);
}

/**
 * body-parser's `verify` step for JSON: its UTF-8 decoding is lenient, so bytes that are not UTF-8 would be stored as
 * U+FFFD, the text changed without a word. Refused with the type error-responder.ts maps to a 400.
 */
export function refuseMalformedUtf8(_req: unknown, _res: unknown, body: Buffer, encoding: string | null): void {
  if (encoding !== null && /^utf-?8$/i.test(encoding) && !isUtf8(body)) {
    throw Object.assign(new Error('malformed UTF-8'), { type: 'entity.utf8.malformed' });
  }
}

export function refused(errors: FieldError[], reading = false): AppError {
  return new AppError('validation_failed', reading ? REFUSED_READING : REFUSED, errors);
}

function decodesCleanly(path: string): boolean {
  try {
    return !decodeURIComponent(path).includes('\0');
  } catch {
    return false;
  }
}

/**
 * Every field holding a NUL or a lone surrogate, named as a reserved key, or nested too deep, as the API names
 * fields (`buyer.firstName`, `helpItems.0.label`).
 */
export function unsafeFields(value: unknown, path = '', found: FieldError[] = [], depth = 0): FieldError[] {
  if (typeof value === 'string') {
    if (value.includes('\0')) found.push({ field: path, message: NUL_MESSAGE });
    else if (CONTROL.test(value)) found.push({ field: path, message: CONTROL_MESSAGE });
    else if (LONE_SURROGATE.test(value)) found.push({ field: path, message: LONE_SURROGATE_MESSAGE });
  } else if (value !== null && typeof value === 'object') {
    if (depth === MAX_DEPTH) {
      found.push({ field: path, message: TOO_DEEP_MESSAGE });
      return found;
    }
    for (const [key, inner] of Object.entries(value)) {
      const field = path ? `${path}.${key}` : key;
      if (RESERVED_KEYS.has(key)) found.push(unknownField(field));
      else unsafeFields(inner, field, found, depth + 1);
    }
  }
  return found;
}
