const HOUR_MS = 3_600_000;

export interface SessionLifetime {
  /** Without a request for this long, the session ends. */
  idleMs: number;
  /** After sign-in, the session ends at this age whatever the activity. */
  maxMs: number;
}

export function sessionLifetime(config: { STAFF_SESSION_IDLE_MINUTES: number; STAFF_SESSION_MAX_HOURS: number }): SessionLifetime {
  return { idleMs: config.STAFF_SESSION_IDLE_MINUTES * 60_000, maxMs: config.STAFF_SESSION_MAX_HOURS * HOUR_MS };
}

/**
 * Whether a request renews the session (writes its last_seen_at): at most once an hour, so a page view is not a write,
 * and at least four times per idle time when it is short, so a session in use never reaches its end between two writes.
 */
export function renewalDue(lastSeenAt: Date, now: Date, idleMs: number): boolean {
  return now.getTime() - lastSeenAt.getTime() >= Math.min(HOUR_MS, idleMs / 4);
}
