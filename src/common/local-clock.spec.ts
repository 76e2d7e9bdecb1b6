import { clockOf, sharedClockDepartment } from './local-clock';

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
