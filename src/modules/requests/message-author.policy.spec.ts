import { ofPhrase } from '../../common/french-format';
import { atSentenceStart, authorNamedInBuyerMail, authorShownToBuyer, facilitatorFirstName, MessageAuthor } from './message-author.policy';

describe('authorShownToBuyer', () => {
  it.each<[string, MessageAuthor, string]>([
    ['the buyer', { type: 'buyer', role: null, staffName: null, firstName: null, networkName: null }, 'Vous'],
    [
      'a facilitator',
      { type: 'staff', role: 'facilitator', staffName: 'Sam Essai', firstName: 'Dominique', networkName: 'RESECO' },
      'Dominique, du réseau RESECO',
    ],
    [
      'a facilitator without network',
      { type: 'staff', role: 'facilitator', staffName: 'Sam Essai', firstName: 'Dominique', networkName: null },
      'Dominique',
    ],
    [
      'an animator, never by name',
      { type: 'staff', role: 'animator', staffName: 'Sam Essai', firstName: null, networkName: 'RESECO' },
      'L’équipe d’animation du réseau RESECO',
    ],
    [
      'an administrator',
      { type: 'staff', role: 'admin', staffName: 'Sam Essai', firstName: null, networkName: 'RESECO' },
      'L’équipe du Guichet vert',
    ],
    [
      'an account since removed',
      { type: 'staff', role: null, staffName: null, firstName: null, networkName: 'RESECO' },
      'L’équipe du Guichet vert',
    ],
  ])('%s', (_case, author, expected) => {
    expect(authorShownToBuyer(author)).toBe(expected);
  });
});

describe('facilitatorFirstName', () => {
  it.each<[string, MessageAuthor, string | null]>([
    [
      'a facilitator',
      { type: 'staff', role: 'facilitator', staffName: 'Sam Essai', firstName: 'Dominique', networkName: 'RESECO' },
      'Dominique',
    ],
    ['an animator', { type: 'staff', role: 'animator', staffName: 'Sam Essai', firstName: 'Dominique', networkName: 'RESECO' }, null],
    ['an account since removed', { type: 'staff', role: null, staffName: null, firstName: null, networkName: 'RESECO' }, null],
    ['the buyer', { type: 'buyer', role: null, staffName: null, firstName: null, networkName: null }, null],
  ])('%s', (_case, author, expected) => {
    expect(facilitatorFirstName(author)).toBe(expected);
  });
});

describe('authorNamedInBuyerMail: the author inside an e-mail’s sentence, never the present holder', () => {
  it.each<[string, MessageAuthor, string, string]>([
    [
      'a facilitator',
      { type: 'staff', role: 'facilitator', staffName: 'Sam Essai', firstName: 'Dominique', networkName: 'RESECO' },
      'Dominique',
      'La réponse de Dominique',
    ],
    [
      'an animator, as their team',
      { type: 'staff', role: 'animator', staffName: 'Sam Essai', firstName: null, networkName: 'Réseau Grand Est' },
      'l’équipe d’animation du réseau Grand Est',
      'La réponse de l’équipe d’animation du réseau Grand Est',
    ],
    [
      'an administrator',
      { type: 'staff', role: 'admin', staffName: 'Sam Essai', firstName: null, networkName: 'RESECO' },
      'l’équipe du Guichet vert',
      'La réponse de l’équipe du Guichet vert',
    ],
    [
      'an account since removed',
      { type: 'staff', role: null, staffName: null, firstName: null, networkName: 'RESECO' },
      'l’équipe du Guichet vert',
      'La réponse de l’équipe du Guichet vert',
    ],
  ])('%s', (_case, author, named, sentence) => {
    expect(authorNamedInBuyerMail(author)).toBe(named);
    // As the e-mail's « de » filter joins it.
    expect(`La réponse ${ofPhrase(authorNamedInBuyerMail(author))}`).toBe(sentence);
  });

  it.each([
    ['l’équipe d’animation du réseau RESECO', 'L’équipe d’animation du réseau RESECO'],
    ['Dominique', 'Dominique'],
    ['élise', 'Élise'],
  ])('atSentenceStart(%j) → %j', (phrase, expected) => {
    expect(atSentenceStart(phrase)).toBe(expected);
  });
});
