import { absencePeriodProblems, overlapMessage } from './absence.policy';

describe('absencePeriodProblems', () => {
  it.each([
    ['one day', '2026-07-14', '2026-07-14', []],
    ['several days', '2026-07-14', '2026-08-02', []],
    ['across a year end', '2026-12-24', '2027-01-02', []],
    ['29 February of a leap year', '2028-02-29', '2028-03-01', []],
    ['29 February of another year', '2027-02-29', '2027-03-01', [{ field: 'startsOn', message: 'Cette date n’existe pas.' }]],
    ['a 13th month', '2026-07-01', '2026-13-01', [{ field: 'endsOn', message: 'Cette date n’existe pas.' }]],
    [
      'an end before the start',
      '2026-07-14',
      '2026-07-13',
      [{ field: 'endsOn', message: 'La fin de l’absence ne peut pas précéder son début.' }],
    ],
  ])('%s', (_label, startsOn, endsOn, problems) => {
    expect(absencePeriodProblems({ startsOn, endsOn })).toEqual(problems);
  });
});

describe('overlapMessage', () => {
  it('names the other absence with French dates', () => {
    expect(overlapMessage({ startsOn: '2026-07-01', endsOn: '2026-07-15' })).toBe(
      'Cette absence chevauche celle du 01/07/2026 au 15/07/2026 : modifiez les dates, ou supprimez d’abord l’autre absence.',
    );
  });
});
