/**
 * How long a message that cannot go out is tried again. A mail server's own queue keeps trying for days (RFC 5321
 * §4.5.4.1 suggests four or five); a desk's news loses its point sooner, and an outage of a few hours must lose none.
 */
export const MAIL_RETRY_HOURS = 48;

export type FailureVerdict = { retry: true } | { retry: false; why: 'permanent' | 'expired' };

/**
 * The SMTP commands whose refusal is about the message itself (its recipient, its content). A 5xx to any other — a
 * login, the sender, the connection — says the desk's mail setup is wrong: every message would get it until an
 * operator mends it, so none is given up for it.
 */
const MESSAGE_COMMANDS = new Set(['RCPT TO', 'DATA']);

/**
 * After a failed sending: try again, unless the mail server refused the message for good (a 5xx reply to its
 * recipient or its content: an unknown address, a message refused — sending it again would get the same answer) or it
 * has waited MAIL_RETRY_HOURS already. A 4xx reply, a refused login or sender, a connection refused or cut, a timeout
 * are passing troubles.
 */
export function afterFailure(error: unknown, queuedAt: Date, now: Date): FailureVerdict {
  const { responseCode, command } = (error ?? {}) as { responseCode?: unknown; command?: unknown };
  const refusedForGood = typeof responseCode === 'number' && responseCode >= 500 && responseCode < 600;
  if (refusedForGood && typeof command === 'string' && MESSAGE_COMMANDS.has(command)) return { retry: false, why: 'permanent' };
  if (now.getTime() - queuedAt.getTime() >= MAIL_RETRY_HOURS * 3_600_000) return { retry: false, why: 'expired' };
  return { retry: true };
}
