import { distance } from 'fastest-levenshtein';

/** An environment variable that reads like one of the service's mistyped: its value is never read, a default stands in. */
export interface MisspeltKey {
  key: string;
  meant: string;
}

/**
 * The variables of `envKeys` that are not the service's but lie within a slip or two of one (`DATABSE_URL`,
 * `smtp_url`, `LOGLEVEL`), each with the closest. Short names lie close to common ones (HOST and PORT differ by two
 * letters): one slip only for them.
 */
export function misspeltKeys(envKeys: readonly string[], known: readonly string[]): MisspeltKey[] {
  const ours = new Set(known);
  const found: MisspeltKey[] = [];
  for (const key of envKeys) {
    if (ours.has(key)) continue;
    const typed = key.toUpperCase();
    let closest: { meant: string; slips: number } | undefined;
    for (const meant of known) {
      const slips = distance(typed, meant);
      if (slips <= (meant.length <= 6 ? 1 : 2) && (!closest || slips < closest.slips)) closest = { meant, slips };
    }
    if (closest) found.push({ key, meant: closest.meant });
  }
  return found;
}
