import type { FieldError } from '../../common/errors/app-errors';
import type { StaffRole } from './accounts.types';

/** The staff account at a directory record's address, as far as holding the record goes. */
export interface AccountAtAddress {
  id: string;
  role: StaffRole;
  /** A facilitator's: their record's network; an animator's: those they animate; an admin's: none. */
  networkCodes: string[];
  facilitatorId: string | null;
  active: boolean;
}

/** A record as written, with the name of its network for the messages. */
export interface HeldRecord {
  id: string;
  networkCode: string;
  networkName: string;
}

export type RecordHolding =
  /** No account at that address, or the one already holding the record. */
  | { kind: 'free' }
  /** An animator of the record's network who answers requests too: their account takes it, as an invitation would. */
  | { kind: 'link'; accountId: string }
  | { kind: 'refused'; error: FieldError };

/**
 * Whether a record may be at the address of a staff account (pure): e-mails about its requests go to that address, so
 * only an account that opens them may be there — the facilitator holding it, or an animator of its network holding no
 * other record. `field`: what was changed (the address, or the network), where a refusal is said.
 */
export function recordHolding(account: AccountAtAddress | null, record: HeldRecord, field: 'email' | 'networkCode'): RecordHolding {
  if (!account) return { kind: 'free' };
  const ofNetwork = account.networkCodes.includes(record.networkCode);
  if (account.facilitatorId === record.id && ofNetwork) return { kind: 'free' };
  if (account.role !== 'animator' || !ofNetwork || account.facilitatorId !== null) {
    const message =
      field === 'email'
        ? `Cette adresse est celle d’un compte de l’espace qui ne peut pas tenir cette fiche : un administrateur, ou un compte d’un autre réseau que « ${record.networkName} », n’ouvrirait pas les demandes qu’elle reçoit. Indiquez l’adresse de la personne qui les traitera.`
        : `Dans le réseau « ${record.networkName} », cette fiche serait à l’adresse d’un compte de l’espace qui ne peut pas la tenir : il n’ouvrirait pas les demandes qu’elle reçoit. Changez d’abord l’adresse de la fiche, ou les réseaux de ce compte.`;
    return { kind: 'refused', error: { field, message } };
  }
  if (!account.active) {
    const message =
      'Cette adresse est celle d’un compte désactivé de l’espace : réactivez-le d’abord depuis la page des comptes pour qu’il tienne cette fiche, ou indiquez une autre adresse.';
    return { kind: 'refused', error: { field, message } };
  }
  return { kind: 'link', accountId: account.id };
}
