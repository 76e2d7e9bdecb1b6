import { renewalDue, sessionLifetime } from './session-lifetime.policy';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const seen = new Date('2026-03-02T08:00:00Z');
const after = (ms: number) => new Date(seen.getTime() + ms);

describe('session lifetime', () => {
  it('reads the configured minutes and hours', () => {
    expect(sessionLifetime({ STAFF_SESSION_IDLE_MINUTES: 120, STAFF_SESSION_MAX_HOURS: 12 })).toEqual({
      idleMs: 2 * HOUR,
      maxMs: 12 * HOUR,
    });
  });

  it.each([
    ['a page a minute later', 2 * HOUR, MINUTE, false],
    ['just under an hour later', 8 * HOUR, HOUR - 1, false],
    ['an hour later', 8 * HOUR, HOUR, true],
    ['a quarter of a 2 h idle time later', 2 * HOUR, 30 * MINUTE, true],
    ['less than a quarter of a 2 h idle time later', 2 * HOUR, 29 * MINUTE, false],
    ['a quarter of a 20 min idle time later', 20 * MINUTE, 5 * MINUTE, true],
  ])('renews on %s: %s', (_label, idleMs, elapsed, due) => {
    expect(renewalDue(seen, after(elapsed), idleMs)).toBe(due);
  });
});
