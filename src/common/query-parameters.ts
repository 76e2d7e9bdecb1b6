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

/** A network filter's refusal: unknown, or one the person does not see (KnownCodes within their networks). */
export const NETWORK_OUT_OF_REACH = 'Réseau inconnu ou hors de vos réseaux : code attendu, par exemple aura-ee ou reseco.';

/** The filters on reference data (segments, départements, networks), in the same words wherever read strictly. */
export function referenceChecks(known: KnownCodes): Record<'segment' | 'department' | 'network', ParameterCheck> {
  return {
    segment: { accepts: known.isSegment, message: 'Segment d’achat inconnu.' },
    department: { accepts: known.isDepartment, message: 'Département inconnu : code INSEE attendu, par exemple 38, 2A ou 971.' },
    network: { accepts: known.isNetwork, message: NETWORK_OUT_OF_REACH },
  };
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
