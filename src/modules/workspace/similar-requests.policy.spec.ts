import { similarityQuery } from './similar-requests.policy';

describe('similarityQuery', () => {
  it.each([
    ['subject and question words, once each, in order', 'Fournitures de bureau', 'Des fournitures AGEC ?', 'fournitures or bureau or agec'],
    ['the words every question has left out', 'Quel marché public ?', 'Comment faut-il acheter ? Merci', 'acheter'],
    ['short words and numbers left out', 'Lot 2 : 2026', 'Un an de vie', null],
    ['accents and apostrophes', 'Contrat d’électricité', 'L’énergie verte', 'contrat or électricité or énergie or verte'],
    ['operators and quotes are mere words', '"bois" -plastique OR papier', '', 'bois or plastique or papier'],
    ['letters beside digits kept', 'Norme ISO14001', '', 'norme or iso14001'],
    ['nothing', '', '', null],
  ])('%s', (_label, subject, question, expected) => {
    expect(similarityQuery(subject, question)).toBe(expected);
  });

  it('keeps at most 30 words', () => {
    const words = Array.from(
      { length: 40 },
      (_, i) => `mot${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`,
    );
    expect(similarityQuery(words.join(' '), '')!.split(' or ')).toEqual(words.slice(0, 30));
  });
});
