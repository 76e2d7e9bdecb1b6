import type { MailToQueue } from '../mail/mail.service';
import type { NetworkRecipients } from './routing.repository';

/** How many requests one digest to the animators names; it counts the rest and links to the queue that lists them all. */
export const DIGEST_NAMED = 50;

/**
 * A digest to a network, one message to each of its recipients (its animators, or its contact address while it has
 * none), each told which network it is about and whether it reached the contact address. None to a network without either.
 */
export function networkDigestMails(
  network: NetworkRecipients | null,
  digest: (network: NetworkRecipients) => Omit<MailToQueue, 'recipient'>,
): MailToQueue[] {
  if (!network?.emails.length) return [];
  const mail = digest(network);
  const context = { ...mail.context, networkName: network.networkName, toNetworkContact: network.toContact };
  return network.emails.map((recipient) => ({ ...mail, recipient, context }));
}
