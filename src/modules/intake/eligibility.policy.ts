import type { Pointer } from '../../common/errors/app-errors';
import { OrganisationType, otherKind, RequestKind } from '../requests/request.types';

/** The text the form shows as an example; a question left as is asks nothing. */
export const QUESTION_PLACEHOLDER =
  'Exemple : nous renouvelons notre marché de fournitures de bureau. Comment appliquer l’obligation d’achat de produits issus du réemploi ou intégrant des matières recyclées (loi AGEC, article 58) et comment la vérifier dans les offres ?';

export const QUESTION_MIN_LENGTH = 80;
export const QUESTION_MAX_LENGTH = 5000;
export const QUESTION_MIN_WORDS = 12;

const STATE_BUYER_TYPES: readonly OrganisationType[] = ['state_administration', 'state_public_body'];

export function isStateBuyer(type: OrganisationType): boolean {
  return STATE_BUYER_TYPES.includes(type);
}

/** Why a question text cannot be a real question, or null when it can. */
export function questionProblem(question: string): string | null {
  const text = question.trim();
  if (normalise(text) === NORMALISED_PLACEHOLDER) {
    return 'Remplacez l’exemple par votre propre question.';
  }
  const words = text.split(/\s+/).filter((w) => /\p{L}{2,}/u.test(w));
  if (text.length < QUESTION_MIN_LENGTH || words.length < QUESTION_MIN_WORDS) {
    return `Décrivez votre achat et votre question en quelques phrases (au moins ${QUESTION_MIN_LENGTH} caractères et ${QUESTION_MIN_WORDS} mots).`;
  }
  if (new Set(words.map((w) => w.toLowerCase())).size < QUESTION_MIN_WORDS / 2) {
    return 'Votre question semble répéter les mêmes mots : décrivez votre achat et ce que vous cherchez à savoir.';
  }
  return null;
}

function normalise(text: string): string {
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}

const NORMALISED_PLACEHOLDER = normalise(QUESTION_PLACEHOLDER);

export interface EligibilityInput {
  organisationType: OrganisationType;
  kind: RequestKind;
  internalReferentConsulted?: boolean;
}

export type EligibilityDecision = { eligible: true } | { eligible: false; field: string; reason: string; pointers: Pointer[] };

export const STATE_POINTERS: Pointer[] = [
  { label: 'Direction des achats de l’État — réseau des référents achats responsables', url: 'https://www.economie.gouv.fr/dae' },
  { label: 'Plateforme RAPIDD — achats publics durables', url: 'https://rapidd.developpement-durable.gouv.fr/' },
];

export const PRIVATE_POINTERS: Pointer[] = [
  { label: 'Votre chambre de commerce et d’industrie (CCI)', url: 'https://www.cci.fr/' },
  { label: 'Votre chambre de métiers et de l’artisanat', url: 'https://www.artisanat.fr/' },
  { label: 'Les entreprises s’engagent', url: 'https://lesentreprises-sengagent.gouv.fr/' },
  { label: 'Place des Entreprises — conseillers publics pour les entreprises', url: 'https://place-des-entreprises.beta.gouv.fr/' },
];

/**
 * Who the desk may serve. The environmental desk serves buyers subject to the public-procurement
 * code; State buyers first ask their internal referent; social-clause facilitators serve everyone.
 */
export function decideEligibility(input: EligibilityInput): EligibilityDecision {
  if (input.kind === 'environmental' && input.organisationType === 'private_not_subject') {
    return {
      eligible: false,
      field: 'buyer.organisationType',
      reason:
        'Le guichet vert conseille les acheteurs soumis au code de la commande publique. Une entreprise privée qui n’y est pas soumise ne peut pas lui poser de question environnementale ; les réseaux ci-dessous accompagnent les entreprises. Les facilitateurs de clauses sociales, eux, répondent aussi aux acheteurs privés.',
      pointers: PRIVATE_POINTERS,
    };
  }
  if (isStateBuyer(input.organisationType) && input.internalReferentConsulted === false) {
    return {
      eligible: false,
      field: 'internalReferentConsulted',
      reason:
        'Les administrations de l’État et ses établissements publics s’adressent d’abord à leur référent achats responsables interne. Si votre question reste sans réponse après l’avoir consulté, revenez déposer votre demande en le précisant.',
      pointers: STATE_POINTERS,
    };
  }
  return { eligible: true };
}

/**
 * The same rule in staff's words, for a request changing kind: null when that kind's desk may serve this buyer. A
 * transfer would move the whole request (better closed as redirected); a split topic is one to answer otherwise.
 */
export function kindRefusedFor(
  organisationType: OrganisationType,
  kind: RequestKind,
  change: 'transfer' | 'split' = 'transfer',
): string | null {
  if (decideEligibility({ organisationType, kind }).eligible) return null;
  const why =
    'L’acheteur est une entreprise privée non soumise au code de la commande publique : le guichet environnemental ne peut pas traiter';
  return change === 'transfer'
    ? `${why} sa question. Si elle ne relève pas des clauses sociales, clôturez la demande comme réorientée, en lui indiquant vers qui se tourner (CCI, « Les entreprises s’engagent »).`
    : `${why} ce sujet. Indiquez-lui dans votre réponse vers qui se tourner (CCI, « Les entreprises s’engagent »).`;
}

/** Why a request may not be transferred to the other desk, or null: that desk must be able to serve its buyer. */
export function transferRefusal(request: { organisationType: OrganisationType; kind: RequestKind }): string | null {
  return kindRefusedFor(request.organisationType, otherKind(request.kind));
}
