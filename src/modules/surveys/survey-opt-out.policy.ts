import { hmac } from '../../common/tokens';

/**
 * The keys an address's survey opt-out is found under: an HMAC of the address as the mailbox reads it (trimmed,
 * any case), under each secret a rotation still accepts, the current one first — the one a new opt-out is stored
 * under. None for an erased request's empty address: there is no one to ask.
 */
export function surveyOptOutHashes(secrets: readonly string[], email: string): Buffer[] {
  const address = email.trim().toLowerCase();
  return address ? secrets.map((secret) => hmac(secret, `survey-opt-out:${address}`)) : [];
}
