import { maskedEmail } from './masked-email';

describe('maskedEmail', () => {
  it.each([
    ['camille.martin@exemple.fr', 'c•••@exemple.fr'],
    // As many dots whatever the length: a one-letter address reads like a long one.
    ['c@exemple.fr', 'c•••@exemple.fr'],
    ['Camille@Exemple.fr', 'C•••@Exemple.fr'],
    ['élodie@mairie-exemple.fr', 'é•••@mairie-exemple.fr'],
    ['𝒸amille@exemple.fr', '𝒸•••@exemple.fr'],
    ['c.martin@sous.domaine.exemple.fr', 'c•••@sous.domaine.exemple.fr'],
    // Not an address: nothing of it shown.
    ['@exemple.fr', '•••'],
    ['camille.martin', '•••'],
    ['', '•••'],
  ])('%s → %s', (address, expected) => {
    expect(maskedEmail(address)).toBe(expected);
  });
});
