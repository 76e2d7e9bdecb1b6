import { afterNetworkWord, ofOrganisation } from '../../common/french-format';
import type { StaffRole } from '../accounts/accounts.types';
import type { MessageAuthorType } from './request-message.types';
import type { RequestKind } from './request.types';

/** What is known of a message's author; all but the type are null for the buyer and once the account is gone. */
export interface MessageAuthor {
  type: MessageAuthorType;
  role: StaffRole | null;
  /** The staff account's full name, for the staff's own pages only. */
  staffName: string | null;
  /** A facilitator's first name, as the buyer knows them. */
  firstName: string | null;
  /** The facilitator's network; for anyone else on the staff, the request's. */
  networkName: string | null;
  /** The structure that employs the facilitator (a PLIE, a maison de l’emploi…); null: none, or not a facilitator. */
  organisation: string | null;
}

/** A facilitator as the buyer is told who follows their request. */
export interface FacilitatorShown {
  firstName: string;
  network: string;
  kind: RequestKind;
  organisation: string | null;
}

/**
 * What follows the facilitator's first name for the buyer: their own structure when the record names one (a
 * social-clause facilitator is not part of the regional network), else their role or their network.
 */
export function affiliationOf({ kind, network, organisation }: Omit<FacilitatorShown, 'firstName'>): string {
  if (organisation) return ofOrganisation(organisation);
  return kind === 'social_clause' ? 'qui anime les clauses sociales sur votre territoire' : `du réseau ${afterNetworkWord(network)}`;
}

/**
 * Who the buyer is told wrote a message: a facilitator by first name and network, as the page's header
 * names the one who follows the request; animators and administrators as their team, never by name.
 */
export function authorShownToBuyer(author: MessageAuthor): string {
  if (author.type === 'buyer') return 'Vous';
  const firstName = facilitatorFirstName(author);
  if (firstName && author.organisation) return `${firstName}, ${ofOrganisation(author.organisation)}`;
  if (firstName) return author.networkName ? `${firstName}, du réseau ${afterNetworkWord(author.networkName)}` : firstName;
  return atSentenceStart(teamOf(author));
}

/**
 * How an e-mail to the buyer names a staff message's author inside a sentence (« La réponse d’Alix », « de l’équipe
 * d’animation du réseau … »): as the tracking page does, a facilitator by first name, anyone else as their team.
 */
export function authorNamedInBuyerMail(author: MessageAuthor): string {
  return facilitatorFirstName(author) ?? teamOf(author);
}

/** The team a staff author who is not a facilitator (or whose account is gone) writes for, lower-cased for mid-sentence. */
function teamOf(author: MessageAuthor): string {
  if (author.role === 'animator' && author.networkName) return `l’équipe d’animation du réseau ${afterNetworkWord(author.networkName)}`;
  return 'l’équipe du Guichet vert';
}

/** A phrase as the start of a sentence: its first letter in capital. */
export function atSentenceStart(phrase: string): string {
  return phrase.charAt(0).toUpperCase() + phrase.slice(1);
}

/** The first name the buyer knows a message's author by: a facilitator's only (null for anyone else, or an account gone). */
export function facilitatorFirstName(author: MessageAuthor): string | null {
  return author.role === 'facilitator' ? author.firstName : null;
}
