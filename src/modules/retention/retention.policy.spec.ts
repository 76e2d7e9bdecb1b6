import { retentionCutoff } from './retention.policy';

describe('retentionCutoff', () => {
  it.each([
    ['three years back, same instant', '2026-12-03T20:00:00.000Z', 3, '2023-12-03T20:00:00.000Z'],
    ['one year back', '2026-01-01T00:00:00.000Z', 1, '2025-01-01T00:00:00.000Z'],
    ['29 February into a common year gives 1 March', '2028-02-29T09:30:00.000Z', 3, '2025-03-01T09:30:00.000Z'],
    ['29 February into a leap year stays', '2028-02-29T09:30:00.000Z', 4, '2024-02-29T09:30:00.000Z'],
    ['keeps milliseconds', '2026-06-15T12:00:00.123Z', 10, '2016-06-15T12:00:00.123Z'],
  ])('%s: %s − %d years → %s', (_label, now, years, expected) => {
    expect(retentionCutoff(new Date(now), years).toISOString()).toBe(expected);
  });
});
