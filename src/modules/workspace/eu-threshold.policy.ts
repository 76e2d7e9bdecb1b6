import type { OrganisationType } from '../requests/request.types';

/**
 * The European thresholds (€ excl. VAT) above which a public contract follows a formalised procedure, for the two years
 * the Commission sets them at a time (avis relatif aux seuils de procédure, annexe du code de la commande publique).
 * A request outside every period listed gets no notice rather than a stale figure.
 */
export const EU_THRESHOLDS: ReadonlyArray<{ from: string; to: string; works: number; centralGovernment: number; otherBuyers: number }> = [
  { from: '2026-01-01', to: '2027-12-31', works: 5_404_000, centralGovernment: 140_000, otherBuyers: 216_000 },
];

/** Buyers whose supplies and services contracts take the central government's lower threshold. */
const CENTRAL_GOVERNMENT: readonly OrganisationType[] = ['state_administration', 'state_public_body'];

export interface ThresholdNotice {
  threshold: number;
  /** Which threshold, as the staff page names it: « travaux », « fournitures et services de l’État »… */
  scope: string;
  period: string;
}

/**
 * Whether the buyer's estimated amount reaches the European threshold that applies to them on the request's day:
 * the facilitator is then reminded of what that brings (a formalised procedure; social execution conditions, L2112-2-1).
 * A company outside the code, or a request with no amount, gets none.
 */
export function euThresholdNotice(
  request: { estimatedAmount: number | null; organisationType: OrganisationType; segmentCode: string },
  day: string,
): ThresholdNotice | null {
  if (request.estimatedAmount === null || request.organisationType === 'private_not_subject') return null;
  const thresholds = EU_THRESHOLDS.find((period) => period.from <= day && day <= period.to);
  if (!thresholds) return null;
  const period = `${thresholds.from.slice(0, 4)}–${thresholds.to.slice(0, 4)}`;
  const notice =
    request.segmentCode === 'construction'
      ? { threshold: thresholds.works, scope: 'marchés de travaux' }
      : CENTRAL_GOVERNMENT.includes(request.organisationType)
        ? {
            threshold: thresholds.centralGovernment,
            scope: 'fournitures et services de l’État et de ses établissements publics (hors EPIC)',
          }
        : { threshold: thresholds.otherBuyers, scope: 'fournitures et services des autres acheteurs' };
  return request.estimatedAmount >= notice.threshold ? { ...notice, period } : null;
}
