import { isValidSiret, normaliseSiret } from './siret.policy';

describe('isValidSiret', () => {
  it.each([
    ['22380001400019', true, 'Département de l’Isère'],
    ['13002526500013', true, 'an État body (DINUM)'],
    ['35600000000048', true, 'La Poste head office, plain Luhn'],
    ['35600000012346', true, 'La Poste establishment, digit sum multiple of 5'],
    ['35600000012345', false, 'La Poste establishment, wrong sum'],
    ['22380001400018', false, 'one digit off'],
    ['2238000140001', false, '13 digits'],
    ['223800014000190', false, '15 digits'],
    ['2238000140001A', false, 'a letter'],
  ])('%s → %s (%s)', (siret, expected) => {
    expect(isValidSiret(siret)).toBe(expected);
  });

  it('accepts the usual spaced form once normalised', () => {
    expect(normaliseSiret('223 800 014 00019')).toBe('22380001400019');
  });
});
