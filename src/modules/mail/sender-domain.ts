import { domainToASCII } from 'node:url';

/**
 * The domain of MAIL_FROM's address (« Nom <adresse@domaine> » or the address alone, as config validation admits
 * it), for the right-hand side of the ids in the desk's headers: a fully-qualified domain, or spam filters score the
 * message (Rspamd MID_RHS_NOT_FQDN). In ASCII and lower case, since a header id cannot carry an accented domain.
 */
export function senderDomain(mailFrom: string): string {
  const domain = mailFrom.slice(mailFrom.lastIndexOf('@') + 1).replace(/>$/, '');
  // No ASCII form (a character no domain admits): as written, which the mail server then judges like the sender.
  return domainToASCII(domain) || domain.toLowerCase();
}
