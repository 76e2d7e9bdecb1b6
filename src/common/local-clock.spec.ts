import { clockOf, localDay, sharedClockDepartment } from './local-clock';

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
