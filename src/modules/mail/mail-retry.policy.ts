/**
 * How long a message that cannot go out is tried again. A mail server's own queue keeps trying for days (RFC 5321
 * §4.5.4.1 suggests four or five); a desk's news loses its point sooner, and an outage of a few hours must lose none.
 */
export const MAIL_RETRY_HOURS = 48;

export type FailureVerdict = { retry: true } | { retry: false; why: 'permanent' | 'expired' };

/**
 * After a failed sending: try again, unless the mail server refused the message for good (a 5xx reply: an unknown
 * address, a message refused — sending it again would get the same answer) or it has waited MAIL_RETRY_HOURS already.
 * A 4xx reply, a connection refused or cut, a timeout are passing troubles.
 */
export function afterFailure(error: unknown, queuedAt: Date, now: Date): FailureVerdict {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  if (typeof code === 'number' && code >= 500 && code < 600) return { retry: false, why: 'permanent' };
  if (now.getTime() - queuedAt.getTime() >= MAIL_RETRY_HOURS * 3_600_000) return { retry: false, why: 'expired' };
  return { retry: true };
}
