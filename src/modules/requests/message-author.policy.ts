import { afterNetworkWord } from '../../common/french-format';
import type { StaffRole } from '../accounts/accounts.types';
import type { MessageAuthorType } from './request-message.types';

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
}

/**
 * Who the buyer is told wrote a message: a facilitator by first name and network, as the page's header
 * names the one who follows the request; animators and administrators as their team, never by name.
 */
export function authorShownToBuyer(author: MessageAuthor): string {
  if (author.type === 'buyer') return 'Vous';
  const firstName = facilitatorFirstName(author);
  if (firstName) return author.networkName ? `${firstName}, du réseau ${afterNetworkWord(author.networkName)}` : firstName;
  if (author.role === 'animator' && author.networkName) return `L’équipe d’animation du réseau ${afterNetworkWord(author.networkName)}`;
  return 'L’équipe du Guichet vert';
}

/** The first name the buyer knows a message's author by: a facilitator's only (null for anyone else, or an account gone). */
export function facilitatorFirstName(author: MessageAuthor): string | null {
  return author.role === 'facilitator' ? author.firstName : null;
}
