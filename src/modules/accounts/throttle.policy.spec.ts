import { secondsUntilAllowed, SIGN_IN_LIMITS, windowStart } from './throttle.policy';

const limit = { max: 5, windowMinutes: 15 };
const now = new Date('2026-03-02T10:00:00Z');

describe('throttle policy', () => {
  it.each([
    ['fewer events than the limit', null, null],
    ['the oldest counted event 14 min ago', new Date('2026-03-02T09:46:00Z'), 60],
    ['the oldest counted event 14 min 59.5 s ago', new Date('2026-03-02T09:45:00.500Z'), 1],
    ['the oldest counted event exactly 15 min ago', new Date('2026-03-02T09:45:00Z'), null],
    ['the oldest counted event just now', now, 900],
  ])('%s → %j', (_label, nth, expected) => {
    expect(secondsUntilAllowed(limit, nth, now)).toBe(expected);
  });

  it('counts from the start of the sliding window', () => {
    expect(windowStart(limit, now).toISOString()).toBe('2026-03-02T09:45:00.000Z');
  });

  it('never lets one place lock a person out of their account: it is stopped before reaching the per-account limit', () => {
    const { perAddress, perEmail, perEmailFromAddress } = SIGN_IN_LIMITS;
    expect(perEmail.windowMinutes).toBeLessThanOrEqual(perAddress.windowMinutes);
    expect(perEmail.max).toBeGreaterThan(perAddress.max);
    expect(perEmailFromAddress.max).toBeLessThan(perAddress.max);
  });
});
