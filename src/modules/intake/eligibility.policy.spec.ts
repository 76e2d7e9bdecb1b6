import { ORGANISATION_TYPES, OrganisationType, RequestKind } from '../requests/request.types';
import {
  decideEligibility,
  isStateBuyer,
  PRIVATE_POINTERS,
  QUESTION_MIN_LENGTH,
  QUESTION_PLACEHOLDER,
  questionProblem,
  STATE_POINTERS,
} from './eligibility.policy';

type Consulted = boolean | undefined;

const STATE_TYPES: OrganisationType[] = ['state_administration', 'state_public_body'];
const OTHER_TYPES: OrganisationType[] = ['local_authority', 'hospital', 'social_housing', 'other_public', 'private_subject'];
const KINDS: RequestKind[] = ['environmental', 'social_clause'];
const CONSULTED: Consulted[] = [true, false, undefined];

function combinations<T extends unknown[]>(...lists: { [K in keyof T]: T[K][] }): T[] {
  return lists.reduce<unknown[][]>((acc, list) => acc.flatMap((prefix) => list.map((item) => [...prefix, item])), [[]]) as T[];
}

describe('isStateBuyer', () => {
  it.each(ORGANISATION_TYPES.map((type) => [type, STATE_TYPES.includes(type)] as const))('%s → %s', (type, expected) => {
    expect(isStateBuyer(type)).toBe(expected);
  });
});

describe('decideEligibility', () => {
  describe('private_not_subject', () => {
    it.each(CONSULTED)('environmental (internalReferentConsulted %s) is refused with the private pointers', (consulted) => {
      const decision = decideEligibility({
        organisationType: 'private_not_subject',
        kind: 'environmental',
        internalReferentConsulted: consulted,
      });
      expect(decision).toEqual({
        eligible: false,
        field: 'buyer.organisationType',
        reason: expect.stringContaining('commande publique'),
        pointers: PRIVATE_POINTERS,
      });
      if (!decision.eligible) {
        expect(decision.pointers.map((p) => p.url)).toEqual(
          expect.arrayContaining(['https://www.cci.fr/', 'https://lesentreprises-sengagent.gouv.fr/']),
        );
      }
    });

    it.each(CONSULTED)('social_clause (internalReferentConsulted %s) is eligible', (consulted) => {
      expect(
        decideEligibility({ organisationType: 'private_not_subject', kind: 'social_clause', internalReferentConsulted: consulted }),
      ).toEqual({ eligible: true });
    });
  });

  describe('State buyers', () => {
    it.each(combinations<[OrganisationType, RequestKind]>(STATE_TYPES, KINDS))(
      '%s / %s without consulting the internal referent is refused on internalReferentConsulted',
      (organisationType, kind) => {
        const decision = decideEligibility({ organisationType, kind, internalReferentConsulted: false });
        expect(decision).toEqual({
          eligible: false,
          field: 'internalReferentConsulted',
          reason: expect.stringContaining('référent achats responsables'),
          pointers: STATE_POINTERS,
        });
      },
    );

    it.each(combinations<[OrganisationType, RequestKind]>(STATE_TYPES, KINDS))(
      '%s / %s after consulting the internal referent is eligible',
      (organisationType, kind) => {
        expect(decideEligibility({ organisationType, kind, internalReferentConsulted: true })).toEqual({ eligible: true });
      },
    );

    it.each(combinations<[OrganisationType, RequestKind]>(STATE_TYPES, KINDS))(
      '%s / %s with the answer missing is not refused here (the validator asks for it)',
      (organisationType, kind) => {
        expect(decideEligibility({ organisationType, kind })).toEqual({ eligible: true });
      },
    );
  });

  describe('other buyers', () => {
    it.each(combinations<[OrganisationType, RequestKind, Consulted]>(OTHER_TYPES, KINDS, CONSULTED))(
      '%s / %s / internalReferentConsulted %s is eligible',
      (organisationType, kind, internalReferentConsulted) => {
        expect(decideEligibility({ organisationType, kind, internalReferentConsulted })).toEqual({ eligible: true });
      },
    );
  });
});

describe('questionProblem', () => {
  const REAL_QUESTION =
    'Nous renouvelons le marché de nettoyage des locaux de la collectivité. Quels critères environnementaux ' +
    'pouvons-nous demander sur les produits utilisés, et comment les vérifier lors de l’analyse des offres ?';

  it.each([
    ['the placeholder as is', QUESTION_PLACEHOLDER],
    ['the placeholder with surrounding spaces', `   ${QUESTION_PLACEHOLDER}  \n`],
    ['the placeholder with other spacing', QUESTION_PLACEHOLDER.replace(/ /g, '  \n\t')],
    ['the placeholder in upper case', QUESTION_PLACEHOLDER.toUpperCase()],
    ['the placeholder in lower case', QUESTION_PLACEHOLDER.toLowerCase()],
  ])('refuses %s', (_label, question) => {
    expect(questionProblem(question)).toBe('Remplacez l’exemple par votre propre question.');
  });

  const TOO_SHORT = /au moins 80 caractères et 12 mots/;
  it.each([
    ['an empty text', ''],
    ['blank text', '     '],
    ['a short sentence', 'Comment acheter du papier recyclé ?'],
    ['enough words but too few characters', 'On a un si bon ami de la ville à qui tu as dit de le voir ici ?'],
    [
      'enough characters but too few words',
      'Approvisionnement écoresponsable, ' + 'développement durable, considérations environnementales, '.repeat(2),
    ],
    [
      'long numbers and symbols that are not words',
      '123456 789012 345678 901234 567890 123456 789012 345678 901234 567890 123456 789012 ?? !! a b c d',
    ],
  ])('refuses %s as too short', (_label, question) => {
    expect(questionProblem(question)).toMatch(TOO_SHORT);
  });

  it('uses the minimum length in its message', () => {
    expect(questionProblem('trop court')).toContain(String(QUESTION_MIN_LENGTH));
  });

  it.each([
    ['one word repeated', 'achat '.repeat(30)],
    ['two words repeated', 'achat durable '.repeat(20)],
    ['five words repeated, case aside', 'Achat Durable PUBLIC vert social achat durable public VERT Social '.repeat(3)],
  ])('refuses %s', (_label, question) => {
    expect(questionProblem(question)).toBe(
      'Votre question semble répéter les mêmes mots : décrivez votre achat et ce que vous cherchez à savoir.',
    );
  });

  it.each([
    ['a real paragraph', REAL_QUESTION],
    ['a real paragraph with surrounding spaces', `\n  ${REAL_QUESTION}  \n`],
    ['a paragraph over several lines', REAL_QUESTION.replace('. ', '.\n\n')],
    ['the placeholder with a real addition', `${QUESTION_PLACEHOLDER} Notre budget est de 50 000 euros par an.`],
  ])('accepts %s', (_label, question) => {
    expect(questionProblem(question)).toBeNull();
  });
});
