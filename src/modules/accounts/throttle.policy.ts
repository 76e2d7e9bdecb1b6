import type { EmailedLinkKind } from './accounts.types';

/** A limit: at most `max` events per `windowMinutes`, sliding. */
export interface ThrottleLimit {
  max: number;
  windowMinutes: number;
}

/**
 * Sign-in failures. Per account as typed from one client address: the guesses at one password from one place. Per
 * client address: many accounts tried from one place. Per account from everywhere: guesses spread over many places,
 * set above the per-address limit so that no single place can lock a person out of their own account.
 */
export const SIGN_IN_LIMITS: { perEmailFromAddress: ThrottleLimit; perAddress: ThrottleLimit; perEmail: ThrottleLimit } = {
  perEmailFromAddress: { max: 5, windowMinutes: 15 },
  perAddress: { max: 20, windowMinutes: 15 },
  perEmail: { max: 50, windowMinutes: 15 },
};
/**
 * Requests that e-mail a link (a password reset, a buyer's tracking links): per client address refused with
 * 429; per address typed, extra ones are silently not sent, so the answer says nothing of what exists.
 */
export const EMAILED_LINK_LIMITS: Record<EmailedLinkKind, { perAddress: ThrottleLimit; perEmail: ThrottleLimit }> = {
  password_reset: { perAddress: { max: 10, windowMinutes: 15 }, perEmail: { max: 3, windowMinutes: 60 } },
  tracking_links: { perAddress: { max: 10, windowMinutes: 15 }, perEmail: { max: 3, windowMinutes: 60 } },
};

/**
 * « Aucune demande à cette adresse » goes to any address typed: from many client addresses, the per-client limits
 * would let the desk mail strangers by the thousand and spoil its sender's reputation. Past this, none is sent.
 */
export const NO_REQUEST_MAILS_LIMIT: ThrottleLimit = { max: 100, windowMinutes: 60 };

export function windowStart(limit: ThrottleLimit, now: Date): Date {
  return new Date(now.getTime() - limit.windowMinutes * 60_000);
}

/**
 * Given the time of the max-th most recent event inside the window (null when fewer), the seconds
 * to wait before one more is allowed, or null when it is allowed now.
 */
export function secondsUntilAllowed(limit: ThrottleLimit, nthRecent: Date | null, now: Date): number | null {
  if (!nthRecent) return null;
  const freeAt = nthRecent.getTime() + limit.windowMinutes * 60_000;
  return freeAt > now.getTime() ? Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000)) : null;
}
