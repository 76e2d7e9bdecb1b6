import { apiRepeatKey, formRepeatKey } from '../../common/idempotency-key';
import type { RepeatableOutcome } from './staff-action-key.entity';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Fields that name the sending, not what it asks: left out of its fingerprint. */
const SENDING_FIELDS = new Set(['_csrf', 'formToken']);

/**
 * What names a staff write sent again as the same one: a page form's one-time token, else the API's `Idempotency-Key`
 * (checked: a malformed one is refused); undefined for a read, or a write that names itself by neither.
 */
export function sendingKey(method: string, body: unknown, idempotencyKey: string | undefined): string | undefined {
  if (!UNSAFE_METHODS.has(method)) return undefined;
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  return formRepeatKey(fields.formToken) ?? apiRepeatKey(idempotencyKey);
}

/** The fields a sending asks with (what tells a repeat from another sending under the same key). */
export function askedFields(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null) return {};
  return Object.fromEntries(Object.entries(body).filter(([name]) => !SENDING_FIELDS.has(name)));
}

export interface SentResponse {
  /** The handler wrote the response itself (a page's redirect or re-rendered form), else Nest sends `value`. */
  headersSent: boolean;
  statusCode: number;
  location: string | undefined;
  /** The API result's ETag (an answer template's version): a repeat gives it back with the body, for If-Match. */
  etag: string | undefined;
}

/**
 * What a repeat of this sending is to be answered with; null when it did nothing (a form sent back with its errors, a
 * refusal), so that the same form may be sent again once corrected.
 */
export function outcomeToKeep(response: SentResponse, value: unknown): RepeatableOutcome | null {
  if (!response.headersSent) return { value: value ?? null, ...(response.etag ? { etag: response.etag } : {}) };
  if (response.statusCode >= 400) return null;
  if (response.statusCode >= 300 && response.location) return { redirect: response.location, status: response.statusCode };
  return { done: true };
}
