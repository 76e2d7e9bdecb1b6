import type { FieldError } from '../../common/errors/app-errors';

/**
 * The networks chosen for an animator's account (pure): at least one, each among those the person choosing may give
 * (an admin: every network; an animator: their own, as they may manage only accounts within them).
 */
export function chosenNetworks(input: unknown, allowed: readonly string[]): { networkCodes: string[]; errors: FieldError[] } {
  const values = ([] as unknown[]).concat(input ?? []).filter((value): value is string => typeof value === 'string' && value !== '');
  const networkCodes = [...new Set(values)];
  const refused = networkCodes.filter((code) => !allowed.includes(code));
  if (refused.length) {
    return {
      networkCodes: [],
      errors: [{ field: 'networkCodes', message: `Réseau que vous ne pouvez pas confier : ${refused.join(', ')}.` }],
    };
  }
  if (!networkCodes.length) return { networkCodes, errors: [{ field: 'networkCodes', message: 'Choisissez au moins un réseau.' }] };
  return { networkCodes: networkCodes.sort(), errors: [] };
}
