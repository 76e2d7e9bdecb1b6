import { absenceOn, absencePeriodProblems, announcementHorizon, overlapMessage, shouldAnnounceAbsence } from './absence.policy';

describe('absencePeriodProblems', () => {
  const TODAY = '2026-07-10';
  const impossible = (field: string, label: string) => ({ field, message: `${label} : date impossible (jour, mois ou année).` });
  it.each([
    ['one day', '2026-07-14', '2026-07-14', []],
    ['several days', '2026-07-14', '2026-08-02', []],
    ['across a year end', '2026-12-24', '2027-01-02', []],
    ['29 February of a leap year', '2028-02-29', '2028-03-01', []],
    ['begun, ending today', '2026-07-01', TODAY, []],
    ['a leap year, 366 days', '2028-01-01', '2028-12-31', []],
    ['29 February of another year', '2027-02-29', '2027-03-01', [impossible('startsOn', 'Premier jour d’absence')]],
    ['a 13th month', '2026-07-01', '2026-13-01', [impossible('endsOn', 'Dernier jour d’absence')]],
    [
      'both days impossible, each named',
      '1800-01-01',
      '1800-01-05',
      [impossible('startsOn', 'Premier jour d’absence'), impossible('endsOn', 'Dernier jour d’absence')],
    ],
    [
      'an end before the start',
      '2026-07-14',
      '2026-07-13',
      [{ field: 'endsOn', message: 'Dernier jour d’absence : il ne peut pas précéder le premier.' }],
    ],
    [
      'already over',
      '2026-07-01',
      '2026-07-09',
      [
        {
          field: 'endsOn',
          message:
            'Dernier jour d’absence : cette absence est déjà terminée ; seules les absences en cours ou à venir comptent pour l’attribution.',
        },
      ],
    ],
    [
      'longer than a year',
      '2027-01-01',
      '2028-01-02',
      [
        {
          field: 'endsOn',
          message:
            'Dernier jour d’absence : une absence dure au plus 366 jours ; un départ se signale à l’animation du réseau, qui retire la fiche du routage.',
        },
      ],
    ],
  ])('%s', (_label, startsOn, endsOn, problems) => {
    expect(absencePeriodProblems({ startsOn, endsOn }, TODAY)).toEqual(problems);
  });
});

describe('overlapMessage', () => {
  it('names the other absence with French dates', () => {
    expect(overlapMessage({ startsOn: '2026-07-01', endsOn: '2026-07-15' })).toBe(
      'Cette absence chevauche celle du 01/07/2026 au 15/07/2026 : modifiez les dates, ou supprimez d’abord l’autre absence.',
    );
  });
});

describe('shouldAnnounceAbsence', () => {
  const TODAY = '2026-07-01';
  it.each([
    ['begins today, requests held', '2026-07-01', '2026-07-05', 2, true],
    ['already begun', '2026-06-28', '2026-07-03', 1, true],
    ['begins in 14 days', '2026-07-15', '2026-07-20', 1, true],
    ['begins in 15 days', '2026-07-16', '2026-07-20', 1, false],
    ['across a month end, within the horizon', '2026-07-10', '2026-08-02', 3, true],
    ['no request held', '2026-07-01', '2026-07-05', 0, false],
    ['already over (recorded afterwards)', '2026-06-20', '2026-06-30', 4, false],
  ])('%s', (_label, startsOn, endsOn, held, expected) => {
    expect(shouldAnnounceAbsence({ startsOn, endsOn }, TODAY, held)).toBe(expected);
  });
});

describe('announcementHorizon', () => {
  it.each([
    ['within a month', '2026-07-01', '2026-07-15'],
    ['across a year end', '2026-12-25', '2027-01-08'],
    ['across a leap day', '2028-02-20', '2028-03-05'],
    ['across the switch to summer time', '2027-03-20', '2027-04-03'],
  ])('%s', (_label, today, expected) => {
    expect(announcementHorizon(today)).toBe(expected);
  });
});

describe('absenceOn', () => {
  const absences = [
    { startsOn: '2026-12-21', endsOn: '2026-12-31' },
    { startsOn: '2027-02-15', endsOn: '2027-02-15' },
  ];
  it.each([
    ['the day before', '2026-12-20', null],
    ['the first day', '2026-12-21', absences[0]],
    ['the last day, inclusive', '2026-12-31', absences[0]],
    ['between two absences', '2027-01-04', null],
    ['a one-day absence', '2027-02-15', absences[1]],
  ])('%s', (_label, day, expected) => {
    expect(absenceOn(day, absences)).toBe(expected);
  });
});
