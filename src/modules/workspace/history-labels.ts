import type { AssignmentEndReason } from '../routing/request-assignment.entity';
import { CLOSE_REASON_LABELS, WITHDRAWAL_REASON_LABELS } from '../requests/request.types';
import { SURVEY_WAVE_LABELS } from '../surveys/survey-labels';

/** What each history event means, as staff read it on the request page (the buyer's wording is in tracking). */
const EVENT_LABELS: Record<string, string> = {
  submitted: 'Demande déposée',
  assigned: 'Attribuée',
  unassigned: 'En attente dans la réserve',
  taken_in_charge: 'Prise en charge',
  declined: 'Déclinée',
  given_back: 'Rendue par le facilitateur après sa prise en charge',
  deadline_missed: 'Délai de prise en charge dépassé',
  clarification_requested: 'Précision demandée à l’acheteur',
  precision_reminded: 'Acheteur relancé : sa précision est toujours attendue',
  buyer_clarified: 'Précision apportée par l’acheteur',
  answered: 'Réponse envoyée',
  answer_completed: 'Complément à la réponse envoyé',
  buyer_replied: 'Réponse de l’acheteur, demande rouverte',
  buyer_added_information: 'Information ajoutée par l’acheteur',
  buyer_resolved: 'Clôturée : l’acheteur indique que sa question est résolue',
  closed: 'Clôturée',
  reopened: 'Rouverte',
  auto_closed: 'Clôturée automatiquement',
  withdrawn: 'Retirée par l’acheteur',
  internal_note: 'Note interne',
  transferred: 'Transférée vers l’autre type de facilitateur',
  split: 'Scindée',
  split_from: 'Issue d’une scission',
  reassigned: 'Réaffectée',
  rerouted: 'Renvoyée à l’attribution',
  network_changed: 'Rattachée à un autre réseau',
  taken_from_pool: 'Prise dans la réserve',
  // The public line written for the buyer beside staff's own: its reason is what the buyer reads.
  handed_over: 'Acheteur informé du changement de facilitateur (motif tel qu’il le lit)',
  status_changed: 'Statut modifié',
  survey_sent: 'Questionnaire envoyé',
  survey_reminded: 'Questionnaire relancé',
  survey_resent: 'Questionnaire renvoyé à la nouvelle adresse de l’acheteur',
  survey_completed: 'Questionnaire rempli',
  survey_expired: 'Questionnaire expiré',
  survey_declined: 'Questionnaires refusés par l’acheteur',
  survey_opt_out: 'L’acheteur ne veut plus de questionnaires : plus aucun à son adresse, pour aucune de ses demandes',
  survey_opt_in:
    'L’acheteur accepte de nouveau les questionnaires : à son adresse, pour ses demandes clôturées désormais (ceux annulés pendant son refus le restent)',
  evaluation_reviewed: 'Évaluation revue',
  evaluation_shared: 'Évaluation partagée avec le facilitateur',
  personal_data_erased: 'Données personnelles effacées',
  buyer_contact_corrected: 'Coordonnées de l’acheteur corrigées',
};

/** Every kind of history event there is: each has its line above (the API's enum of `type`, for staff and buyers alike). */
export const REQUEST_EVENT_TYPES: readonly string[] = Object.keys(EVENT_LABELS);

/** Who erased a request's personal data, and why (the retention sweep, or staff on the buyer's request). */
const ERASURE_REASON_LABELS: Record<string, string> = {
  retention_period: 'Durée de conservation écoulée',
  buyer_request: 'À la demande de l’acheteur',
};
/** Reasons stored as codes (closure, survey wave, erasure) read in French; free-text reasons are shown as written. */
const REASON_LABELS: Record<string, string> = {
  ...CLOSE_REASON_LABELS,
  ...SURVEY_WAVE_LABELS,
  ...ERASURE_REASON_LABELS,
  // The buyer's own reason for a withdrawal, as they chose it.
  ...Object.fromEntries(Object.entries(WITHDRAWAL_REASON_LABELS).map(([code, label]) => [code, `Raison de l’acheteur : ${label}`])),
};

/** The event in French; a request given to someone names them (taking from the pool names its taker as actor already). */
export function historyEventLabel(type: string, assigneeName: string | null = null): string {
  const label = Object.hasOwn(EVENT_LABELS, type) ? EVENT_LABELS[type] : type;
  return assigneeName && type !== 'taken_from_pool' ? `${label} à ${assigneeName}` : label;
}

export function historyReasonLabel(reason: string | null): string | null {
  return reason !== null && Object.hasOwn(REASON_LABELS, reason) ? REASON_LABELS[reason] : reason;
}

/** A reason's text cut around the request references it names (« Scindée en GV-2026-000058 »), for the page to link them. */
export function referenceParts(text: string): Array<{ text: string; reference: boolean }> {
  return text
    .split(/(GV-\d{4}-\d{6})/)
    .filter((part) => part !== '')
    .map((part) => ({ text: part, reference: /^GV-\d{4}-\d{6}$/.test(part) }));
}

/** Why a facilitator's time with a request ended, as the request page's « Facilitateurs successifs » says it. */
export const ASSIGNMENT_END_LABELS: Record<AssignmentEndReason, string> = {
  declined: 'A décliné',
  deadline_missed: 'Délai de prise en charge dépassé',
  absence: 'Absent : attribuée de nouveau',
  inactive: 'Ne reçoit plus de demandes : attribuée de nouveau',
  departed: 'Parti (compte désactivé) : attribuée de nouveau',
  reassigned: 'Réaffectée par le réseau',
  withdrawn: 'Remise en attribution automatique',
  transferred: 'Transférée vers l’autre type',
  realigned: 'Territoire passé à un autre réseau : attribuée de nouveau',
  finished: 'Clôturée',
};

/** An assignment's end as the page says it: declined once taken in charge is a request given back. */
export function assignmentEndLabel(assignment: { endReason: AssignmentEndReason | null; takenAt: Date | null }): string | null {
  if (!assignment.endReason) return null;
  return assignment.endReason === 'declined' && assignment.takenAt ? 'A rendu la demande' : ASSIGNMENT_END_LABELS[assignment.endReason];
}
