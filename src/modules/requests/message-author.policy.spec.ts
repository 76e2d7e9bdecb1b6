import { authorShownToBuyer, facilitatorFirstName, MessageAuthor } from './message-author.policy';

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
