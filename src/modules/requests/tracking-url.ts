import { sealFor, unsealForAny } from '../../common/tokens';

/** The buyer's private link; the token travels only in it and in the e-mails to the buyer. */
export function trackingUrl(publicUrl: string, reference: string, token: string): string {
  return `${publicUrl}/suivi/${encodeURIComponent(reference)}?t=${encodeURIComponent(token)}`;
}

/** The token as kept with the request: sealed with the server secret, bound to the request's id. */
export function sealTrackingToken(secret: string, requestId: string, token: string): Buffer {
  return sealFor(secret, 'tracking', requestId, token);
}

/**
 * Any tracking link of this request as a queued e-mail's context holds it (a PostgreSQL regular expression, whatever
 * the token) and the same link with `token`: messages not sent yet are given the new link when the token changes.
 */
export function trackingLinkRewrite(reference: string, token: string): { pattern: string; replacement: string } {
  const path = `/suivi/${encodeURIComponent(reference)}?t=`;
  return {
    pattern: `${path.replace(/[^A-Za-z0-9/]/g, (c) => `\\${c}`)}[A-Za-z0-9_.~%-]+`,
    replacement: `${path}${encodeURIComponent(token)}`,
  };
}

export interface LinkedRequest {
  id: string;
  reference: string;
  trackingTokenSealed: Buffer | null;
}

/** The buyer's link for a later e-mail; null for a request submitted before tokens were kept sealed. */
export function trackingLinkOf(config: { PUBLIC_URL: string; openingSecrets: readonly string[] }, request: LinkedRequest): string | null {
  if (!request.trackingTokenSealed) return null;
  const token = unsealForAny(config.openingSecrets, 'tracking', request.id, request.trackingTokenSealed);
  return trackingUrl(config.PUBLIC_URL, request.reference, token);
}
