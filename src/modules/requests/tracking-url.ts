/** The buyer's private link; the token travels only in it and in the acknowledgement e-mail. */
export function trackingUrl(publicUrl: string, reference: string, token: string): string {
  return `${publicUrl}/suivi/${encodeURIComponent(reference)}?t=${encodeURIComponent(token)}`;
}
