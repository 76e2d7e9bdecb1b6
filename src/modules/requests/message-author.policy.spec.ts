import { ofPhrase } from '../../common/french-format';
import {
  affiliationOf,
  atSentenceStart,
  authorNamedInBuyerMail,
  authorShownToBuyer,
  facilitatorFirstName,
  MessageAuthor,
} from './message-author.policy';

describe('authorShownToBuyer', () => {
  it.each<[string, MessageAuthor, string]>([
    ['the buyer', { type: 'buyer', role: null, staffName: null, firstName: null, networkName: null, organisation: null }, 'Vous'],
    [
      'a facilitator',
      { type: 'staff', role: 'facilitator', staffName: 'Sam Essai', firstName: 'Dominique', networkName: 'RESECO', organisation: null },
      'Dominique, du réseau RESECO',
    ],
    [
      'a facilitator with a structure, named instead of the network',
      {
        type: 'staff',
        role: 'facilitator',
        staffName: 'Sam Essai',
        firstName: 'Camille',
        networkName: 'Rés’Occ',
        organisation: 'Maison de l’emploi de Carcassonne',
      },
      'Camille, de la Maison de l’emploi de Carcassonne',
    ],
    [
      'a facilitator without network',
      { type: 'staff', role: 'facilitator', staffName: 'Sam Essai', firstName: 'Dominique', networkName: null, organisation: null },
      'Dominique',
    ],
    [
      'an animator, never by name',
      { type: 'staff', role: 'animator', staffName: 'Sam Essai', firstName: null, networkName: 'RESECO', organisation: null },
      'L’équipe d’animation du réseau RESECO',
    ],
    [
      'an administrator',
      { type: 'staff', role: 'admin', staffName: 'Sam Essai', firstName: null, networkName: 'RESECO', organisation: null },
      'L’équipe du Guichet vert',
    ],
    [
      'an account since removed',
      { type: 'staff', role: null, staffName: null, firstName: null, networkName: 'RESECO', organisation: null },
      'L’équipe du Guichet vert',
    ],
  ])('%s', (_case, author, expected) => {
    expect(authorShownToBuyer(author)).toBe(expected);
  });
});

describe('affiliationOf: after the first name of who follows the request', () => {
  it.each<[string, Parameters<typeof affiliationOf>[0], string]>([
    ['an environmental adviser', { kind: 'environmental', network: 'Réseau Grand Est', organisation: null }, 'du réseau Grand Est'],
    [
      'a social-clause facilitator without structure',
      { kind: 'social_clause', network: 'Rés’Occ', organisation: null },
      'qui anime les clauses sociales sur votre territoire',
    ],
    [
      'a social-clause facilitator with a structure',
      { kind: 'social_clause', network: 'Rés’Occ', organisation: 'Maison de l’emploi de Carcassonne' },
      'de la Maison de l’emploi de Carcassonne',
    ],
    [
      'an adviser with a structure',
      { kind: 'environmental', network: 'RESECO', organisation: 'PLIE du Grand Narbonne' },
      'du PLIE du Grand Narbonne',
    ],
  ])('%s', (_case, facilitator, expected) => {
    expect(affiliationOf(facilitator)).toBe(expected);
  });
});

describe('facilitatorFirstName', () => {
  it.each<[string, MessageAuthor, string | null]>([
    [
      'a facilitator',
      { type: 'staff', role: 'facilitator', staffName: 'Sam Essai', firstName: 'Dominique', networkName: 'RESECO', organisation: null },
      'Dominique',
    ],
    [
      'an animator',
      { type: 'staff', role: 'animator', staffName: 'Sam Essai', firstName: 'Dominique', networkName: 'RESECO', organisation: null },
      null,
    ],
    [
      'an account since removed',
      { type: 'staff', role: null, staffName: null, firstName: null, networkName: 'RESECO', organisation: null },
      null,
    ],
    ['the buyer', { type: 'buyer', role: null, staffName: null, firstName: null, networkName: null, organisation: null }, null],
  ])('%s', (_case, author, expected) => {
    expect(facilitatorFirstName(author)).toBe(expected);
  });
});

describe('authorNamedInBuyerMail: the author inside an e-mail’s sentence, never the present holder', () => {
  it.each<[string, MessageAuthor, string, string]>([
    [
      'a facilitator',
      { type: 'staff', role: 'facilitator', staffName: 'Sam Essai', firstName: 'Dominique', networkName: 'RESECO', organisation: null },
      'Dominique',
      'La réponse de Dominique',
    ],
    [
      'an animator, as their team',
      { type: 'staff', role: 'animator', staffName: 'Sam Essai', firstName: null, networkName: 'Réseau Grand Est', organisation: null },
      'l’équipe d’animation du réseau Grand Est',
      'La réponse de l’équipe d’animation du réseau Grand Est',
    ],
    [
      'an administrator',
      { type: 'staff', role: 'admin', staffName: 'Sam Essai', firstName: null, networkName: 'RESECO', organisation: null },
      'l’équipe du Guichet vert',
      'La réponse de l’équipe du Guichet vert',
    ],
    [
      'an account since removed',
      { type: 'staff', role: null, staffName: null, firstName: null, networkName: 'RESECO', organisation: null },
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
