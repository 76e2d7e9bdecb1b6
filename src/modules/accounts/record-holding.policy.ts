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
 * What was just changed, so where a refusal is said and in whose words: on the directory, the record's address or
 * network; on the accounts pages, the account's address (an invitation, a new address) or an animator's networks.
 */
export type HoldingChange = 'recordEmail' | 'recordNetwork' | 'accountEmail' | 'accountNetworks';

const FIELD_OF: Record<HoldingChange, string> = {
  recordEmail: 'email',
  recordNetwork: 'networkCode',
  accountEmail: 'email',
  accountNetworks: 'networkCodes',
};

/**
 * Whether a record may be at the address of a staff account (pure): e-mails about its requests go to that address, so
 * only an account that opens them may be there — the facilitator holding it, or an animator of its network holding no
 * other record. `change`: what was changed, where a refusal is said.
 */
export function recordHolding(account: AccountAtAddress | null, record: HeldRecord, change: HoldingChange): RecordHolding {
  if (!account) return { kind: 'free' };
  const ofNetwork = account.networkCodes.includes(record.networkCode);
  if (account.facilitatorId === record.id && ofNetwork) return { kind: 'free' };
  if (account.role !== 'animator' || !ofNetwork || account.facilitatorId !== null) {
    return refused(change, cannotHold(change, record.networkName));
  }
  if (!account.active) return refused(change, deactivated(change));
  return { kind: 'link', accountId: account.id };
}

function refused(change: HoldingChange, message: string): RecordHolding {
  return { kind: 'refused', error: { field: FIELD_OF[change], message } };
}

function cannotHold(change: HoldingChange, networkName: string): string {
  switch (change) {
    case 'recordEmail':
      return `Cette adresse est celle d’un compte de l’espace qui ne peut pas tenir cette fiche : un administrateur, ou un compte d’un autre réseau que « ${networkName} », n’ouvrirait pas les demandes qu’elle reçoit. Indiquez l’adresse de la personne qui les traitera.`;
    case 'recordNetwork':
      return `Dans le réseau « ${networkName} », cette fiche serait à l’adresse d’un compte de l’espace qui ne peut pas la tenir : il n’ouvrirait pas les demandes qu’elle reçoit. Changez d’abord l’adresse de la fiche, ou les réseaux de ce compte.`;
    case 'accountEmail':
      return `Cette adresse est celle d’une fiche de facilitateur du réseau « ${networkName} » : les demandes qu’elle reçoit y sont envoyées, et un administrateur, un compte qui n’anime pas ce réseau ou un compte tenant déjà une autre fiche ne les ouvrirait pas. Indiquez une autre adresse.`;
    case 'accountNetworks':
      return `Ce compte tient la fiche de facilitateur de son adresse, du réseau « ${networkName} » : gardez ce réseau, sans quoi il n’ouvrirait plus les demandes qu’elle reçoit.`;
  }
}

function deactivated(change: HoldingChange): string {
  return change === 'recordEmail' || change === 'recordNetwork'
    ? 'Cette adresse est celle d’un compte désactivé de l’espace : réactivez-le d’abord depuis la page des comptes pour qu’il tienne cette fiche, ou indiquez une autre adresse.'
    : 'Ce compte est désactivé : réactivez-le d’abord pour qu’il tienne la fiche de facilitateur de cette adresse, ou indiquez une autre adresse.';
}
