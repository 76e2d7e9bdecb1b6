import { Environment } from 'nunjucks';
import { addFrenchFilters } from './french-format';

const env = addFrenchFilters(new Environment());
const render = (template: string, value: unknown) => env.renderString(template, { value });

describe('French filters', () => {
  it.each([
    ['frDate', '2027-12-20T09:00:00Z', '20 décembre 2027'],
    ['frDateTime', '2027-12-20T09:00:00Z', '20 décembre 2027 à 10:00'],
    ['frDateTime', '2026-07-15T08:30:00Z', '15 juillet 2026 à 10:30'],
    ['frDeadline', '2027-12-20T09:00:00Z', '20 décembre 2027 à 10:00 (heure de Paris)'],
    ['frDeadline', '', ''],
    ['frNumber', 120000, '120\u202f000'],
    ['frNumber', null, ''],
  ])('%s(%j) → %j', (filter, value, expected) => {
    expect(render(`{{ value | ${filter} }}`, value)).toBe(expected);
  });
});
