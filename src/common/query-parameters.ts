import type { FieldError } from './errors/app-errors';

/** What one query parameter accepts, and what a client reads when its value is not understood. */
export interface ParameterCheck {
  accepts: (value: string) => boolean;
  message: string;
}

/** Codes the reference data knows, for an API's reading of its filters. */
export interface KnownCodes {
  isSegment(code: string): boolean;
  isDepartment(code: string): boolean;
  isNetwork(code: string): boolean;
}

/**
 * An API's reading of its query string: a parameter it does not know, given twice, or whose value it does not
 * understand is a field error, so a client's typo (`status=asigned`, `reseau=aura`) never reads as "no filter".
 * Pages keep a lenient reading: a stale bookmark still opens the list.
 */
export function queryProblems(query: Record<string, unknown>, checks: Record<string, ParameterCheck>): FieldError[] {
  const names = Object.keys(checks);
  return Object.entries(query).flatMap(([field, value]): FieldError[] => {
    const check = Object.hasOwn(checks, field) ? checks[field] : undefined;
    if (!check) {
      const expected = names.length ? `paramètres possibles : ${names.join(', ')}.` : 'cette adresse n’en prend aucun.';
      return [{ field, message: `Paramètre inconnu ; ${expected}` }];
    }
    if (typeof value !== 'string') return [{ field, message: 'Une seule valeur attendue.' }];
    return check.accepts(value.trim()) ? [] : [{ field, message: check.message }];
  });
}

export const PAGE_CHECK: ParameterCheck = {
  accepts: (v) => /^[1-9][0-9]{0,4}$/.test(v),
  message: 'Numéro de page attendu : un entier à partir de 1.',
};

/** A parameter the API knows whose value is judged where it is read (a period, in the page's own words). */
export const READ_ELSEWHERE: ParameterCheck = { accepts: () => true, message: '' };
