import { surveyOptOutHashes } from './survey-opt-out.policy';

const SECRET = 'un-secret-de-test-0123456789-0123456789';
const PREVIOUS = 'un-ancien-secret-0123456789-0123456789';
const hex = (secrets: string[], email: string) => surveyOptOutHashes(secrets, email).map((hash) => hash.toString('hex'));

describe('surveyOptOutHashes', () => {
  const reference = hex([SECRET], 'camille.martin@example.fr')[0];

  it.each([
    ['the same address', 'camille.martin@example.fr', true],
    ['in capitals', 'Camille.Martin@EXAMPLE.fr', true],
    ['with spaces around', '  camille.martin@example.fr ', true],
    ['another address', 'camille.martin2@example.fr', false],
  ])('%s: same key %s', (_label, email, same) => {
    expect(hex([SECRET], email)[0] === reference).toBe(same);
  });

  it.each([
    ['an erased request’s empty address', ''],
    ['blank', '   '],
  ])('%s: no key', (_label, email) => {
    expect(surveyOptOutHashes([SECRET, PREVIOUS], email)).toEqual([]);
  });

  it('one key per secret, the current first; the address never appears in it', () => {
    const keys = hex([SECRET, PREVIOUS], 'camille.martin@example.fr');
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(reference);
    expect(keys[1]).not.toBe(reference);
    expect(keys.join('')).not.toContain(Buffer.from('camille').toString('hex'));
  });
});
