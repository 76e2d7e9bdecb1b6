import { ApiHeader } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { AppError } from './errors/app-errors';
import { hmac, isFormToken, uuidFromDigest } from './tokens';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{8,200}$/;

/** The optional `Idempotency-Key` header of an API write, checked: 8 to 200 visible ASCII characters, else a field error. */
export function checkedIdempotencyKey(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(value)) {
    throw new AppError('validation_failed', 'La demande contient des erreurs.', [
      { field: 'Idempotency-Key', message: 'La clé d’idempotence fait de 8 à 200 caractères visibles, sans espace.' },
    ]);
  }
  return value;
}

/** What the key does on a staff write that names itself by nothing else (RepeatedActionInterceptor). */
export const SENT_ONCE =
  'un nouvel envoi avec la même clé (pendant 24 heures) reçoit la réponse du premier, sans que l’action soit faite une seconde fois.';

/** The header as OpenAPI documents it; `repeated` says what a second sending with the same key gives. */
export function ApiIdempotencyKey(repeated: string): MethodDecorator & ClassDecorator {
  return ApiHeader({
    name: 'idempotency-key',
    required: false,
    description: `8 à 200 caractères visibles (ASCII, sans espace) ; ${repeated}`,
    schema: { type: 'string', minLength: 8, maxLength: 200, pattern: IDEMPOTENCY_KEY.source },
  });
}

/**
 * What names a write sent again as the same one (see repeatableId): a page form's one-time token, or an API client's
 * `Idempotency-Key` header, checked; undefined when none came (each sending is then a new one).
 */
export function formRepeatKey(formToken: unknown): string | undefined {
  return isFormToken(formToken) ? `form:${formToken}` : undefined;
}

/** Whether the key came from a page's form (whose « Retour » gives it a new token), not from an API client. */
export function isFormRepeatKey(repeatKey: string | undefined): boolean {
  return repeatKey?.startsWith('form:') ?? false;
}

/** From a page, within this time, a message with the very text of one its author sent is that one sent again. */
const REPEATED_PAGE_MINUTES = 15;

/** Since when a text written again from a page reads as the same sending (see REPEATED_PAGE_MINUTES). */
export function repeatedPageSince(now: Date): Date {
  return new Date(now.getTime() - REPEATED_PAGE_MINUTES * 60_000);
}

export function apiRepeatKey(idempotencyKeyHeader: string | undefined): string | undefined {
  const key = checkedIdempotencyKey(idempotencyKeyHeader);
  return key === undefined ? undefined : `api:${key}`;
}

/** The id a write named by `repeatKey` gives its row: the same on every sending, unguessable without the secret. */
export function repeatableId(secret: string, repeatKey: string | undefined, ...scope: string[]): string {
  return repeatKey === undefined ? randomUUID() : uuidFromDigest(hmac(secret, [...scope, repeatKey].join(':')));
}
