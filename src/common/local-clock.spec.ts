import { clockOf, localDay, sharedClockDepartment, wallClock, zoneOffset } from './local-clock';

describe('clockOf', () => {
  it.each([
    ['974', 'Indian/Reunion', 'heure de La Réunion'],
    [' 971 ', 'America/Guadeloupe', 'heure de la Guadeloupe'],
    ['973', 'America/Cayenne', 'heure de la Guyane'],
    ['2A', 'Europe/Paris', 'heure de Paris'],
    ['75', 'Europe/Paris', 'heure de Paris'],
    ['999', 'Europe/Paris', 'heure de Paris'],
    [null, 'Europe/Paris', 'heure de Paris'],
  ])('%j keeps %s (« %s »)', (code, zone, label) => {
    expect(clockOf(code)).toEqual({ zone, label });
  });
});

describe('sharedClockDepartment', () => {
  it.each([
    ['a network of La Réunion alone', ['974'], '974'],
    ['a network of Guadeloupe and Martinique (two clocks, though the same hour)', ['971', '972'], '75'],
    ['the national network: Corse and overseas', ['2A', '2B', '971', '972', '973', '976'], '75'],
    ['a metropolitan network', ['38', '69', '73'], '75'],
    ['no département at all', [], '75'],
  ])('%s → %s', (_label, codes, expected) => {
    expect(sharedClockDepartment(codes)).toBe(expected);
  });
});

describe('localDay', () => {
  it.each([
    ['Paris, 00:30 on 5 December (still the 4th in UTC)', '38', '2026-12-04T23:30:00Z', '2026-12-05'],
    ['Paris, 23:30 on 4 December', '75', '2026-12-04T22:30:00Z', '2026-12-04'],
    ['Paris in summer, 01:30 on 1 July', '69', '2026-06-30T23:30:00Z', '2026-07-01'],
    ['Guadeloupe, 21:00 on 4 December (the 5th in Paris)', '971', '2026-12-05T01:00:00Z', '2026-12-04'],
    ['La Réunion, 00:30 on 5 December', '974', '2026-12-04T20:30:00Z', '2026-12-05'],
    ['an unknown code keeps Paris', '999', '2026-12-04T23:30:00Z', '2026-12-05'],
  ])('%s → %s', (_label, code, instant, expected) => {
    expect(localDay(code, new Date(instant))).toBe(expected);
  });
});

describe('wallClock', () => {
  /** What Intl reads, asked afresh each time: the offsets kept per quarter hour must never differ from it. */
  function intlReading(zone: string, instant: number) {
    const format = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      hourCycle: 'h23',
      ...{ year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' },
    } as const);
    const parts = Object.fromEntries(format.formatToParts(instant).map((part) => [part.type, part.value]));
    return ['year', 'month', 'day', 'hour', 'minute', 'second'].map((field) => Number(parts[field]) % (field === 'hour' ? 24 : Infinity));
  }
  const reading = (zone: string, instant: number) => {
    const clock = wallClock(zone, instant);
    return [clock.year, clock.month, clock.day, clock.hour, clock.minute, clock.second];
  };

  it.each([
    ['Paris, the spring change (02:00 → 03:00)', 'Europe/Paris', '2026-03-29T00:00:00Z'],
    ['Paris, the autumn change (03:00 → 02:00)', 'Europe/Paris', '2026-10-25T00:00:00Z'],
    ['Paris, the year 2000 (spring)', 'Europe/Paris', '2000-03-26T00:00:00Z'],
    ['Guadeloupe, no summer time', 'America/Guadeloupe', '2026-03-29T00:00:00Z'],
    ['La Réunion, New Year', 'Indian/Reunion', '2026-12-31T18:00:00Z'],
    ['a half-hour zone changing (Adelaide, April)', 'Australia/Adelaide', '2026-04-04T15:00:00Z'],
    ['a quarter-hour zone (Kathmandu)', 'Asia/Kathmandu', '2026-06-30T17:00:00Z'],
  ])('%s: the same as Intl every 7 minutes 30.5 seconds for 4 hours, read in any order', (_label, zone, from) => {
    const start = Date.parse(from);
    const instants = Array.from({ length: 33 }, (_, i) => start + i * 450_500);
    for (const instant of [...instants].reverse().concat(instants)) {
      expect([new Date(instant).toISOString(), reading(zone, instant)]).toEqual([
        new Date(instant).toISOString(),
        intlReading(zone, instant),
      ]);
    }
  });

  it('keeps the milliseconds out of the offset: an instant and the one 999 ms later read the same second', () => {
    const instant = Date.parse('2026-12-05T10:15:30.000Z');
    expect(zoneOffset('Europe/Paris', instant + 999)).toBe(3_600_000);
    expect(reading('Europe/Paris', instant + 999)).toEqual([2026, 12, 5, 11, 15, 30]);
  });

  it('reads instants before 1970 from Intl itself: Paris left its mean time (9 min 21 s ahead) at 23:51:39 UTC, mid-quarter', () => {
    const instants = ['1911-03-10T23:45:00Z', '1911-03-10T23:51:38Z', '1911-03-10T23:51:40Z', '1911-03-10T23:55:00Z'].map(Date.parse);
    for (const instant of instants) expect(reading('Europe/Paris', instant)).toEqual(intlReading('Europe/Paris', instant));
    expect(reading('Europe/Paris', instants[0])).toEqual([1911, 3, 10, 23, 54, 21]);
    expect(reading('Europe/Paris', instants[3])).toEqual([1911, 3, 10, 23, 55, 0]);
  });

  it('refuses an invalid date, as Intl does', () => {
    expect(() => wallClock('Europe/Paris', Number.NaN)).toThrow(RangeError);
  });
});
