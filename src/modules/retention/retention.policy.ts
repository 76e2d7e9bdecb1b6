/**
 * Requests closed before this instant have outlived the retention period the privacy notice states:
 * the same calendar instant `years` years earlier (29 February gives 1 March in a common year).
 */
export function retentionCutoff(now: Date, years: number): Date {
  const cutoff = new Date(now.getTime());
  cutoff.setUTCFullYear(now.getUTCFullYear() - years);
  return cutoff;
}
