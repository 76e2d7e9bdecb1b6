import type { Survey } from '../surveys/survey.entity';
import {
  ENVIRONMENTAL_CONSIDERATION_LABELS,
  LEVER_LABELS,
  OBSTACLE_LABELS,
  SOCIAL_CONSIDERATION_LABELS,
  THEME_LABELS,
} from '../surveys/survey-labels';
import type { ContractOutcome, SurveyWave, Usefulness } from '../surveys/survey.types';

/**
 * The animators' short wording of the verdicts (pages and CSV alike), where the buyer's form asks full questions;
 * the other codes read the same for everyone (survey-labels.ts).
 */
export const WAVE_LABELS: Record<SurveyWave, string> = {
  satisfaction: 'Satisfaction',
  impact: 'Impact sur le marché',
};

export const USEFULNESS_LABELS: Record<Usefulness, string> = {
  yes: 'Utile',
  partly: 'En partie utile',
  no: 'Pas utile',
};

export const CONTRACT_OUTCOME_LABELS: Record<ContractOutcome, string> = {
  yes: 'Consultation publiée ou marché notifié',
  not_yet: 'Pas encore',
  abandoned: 'Achat abandonné',
};

/** A list of codes as their labels, for a page to join or a CSV cell (csvCell); unknown codes are shown as stored. */
export function labelList<C extends string>(codes: readonly C[] | null, labels: Record<C, string>): string[] {
  return (codes ?? []).map((code) => labels[code] ?? code);
}

/** Yes / no / not answered, for booleans of the survey. */
export function yesNo(value: boolean | null): string {
  return value === null ? '' : value ? 'Oui' : 'Non';
}

/** The survey's answer columns, as the detail page and the CSV export read them. */
export type SurveyAnswers = Pick<
  Survey,
  | 'usefulness'
  | 'quickEnough'
  | 'contractOutcome'
  | 'contractDate'
  | 'contractReference'
  | 'levers'
  | 'awardCriterionWeight'
  | 'insertionHours'
  | 'themes'
  | 'environmentalConsiderations'
  | 'socialConsiderations'
  | 'contractAmount'
  | 'obstacles'
  | 'wouldUseAgain'
>;

export interface AnswerColumn {
  label: string;
  /** A list for a multi-valued answer (several labels). */
  value: (answers: SurveyAnswers) => string | number | string[] | null;
  /** An ISO day: kept so in the CSV, written out in French on the page. */
  isDate?: true;
}

/** Each wave's questions in their order, answered in French: a line each on the detail page, a column each in the CSV. */
export const SATISFACTION_ANSWERS: AnswerColumn[] = [
  { label: 'Utilité du conseil', value: (a) => (a.usefulness ? USEFULNESS_LABELS[a.usefulness] : null) },
  { label: 'Réponse assez rapide', value: (a) => yesNo(a.quickEnough) },
];

export const IMPACT_ANSWERS: AnswerColumn[] = [
  { label: 'Consultation ou marché', value: (a) => (a.contractOutcome ? CONTRACT_OUTCOME_LABELS[a.contractOutcome] : null) },
  { label: 'Date de publication, de notification ou de signature', value: (a) => a.contractDate, isDate: true },
  { label: 'Référence du marché', value: (a) => a.contractReference },
  { label: 'Leviers utilisés', value: (a) => labelList(a.levers, LEVER_LABELS) },
  { label: 'Poids du critère d’attribution (%)', value: (a) => a.awardCriterionWeight },
  { label: 'Heures d’insertion', value: (a) => a.insertionHours },
  { label: 'Thèmes', value: (a) => labelList(a.themes, THEME_LABELS) },
  { label: 'Considérations environnementales', value: (a) => labelList(a.environmentalConsiderations, ENVIRONMENTAL_CONSIDERATION_LABELS) },
  { label: 'Considérations sociales', value: (a) => labelList(a.socialConsiderations, SOCIAL_CONSIDERATION_LABELS) },
  { label: 'Montant du marché (€ HT)', value: (a) => (a.contractAmount === null ? null : Number(a.contractAmount)) },
  { label: 'Obstacles rencontrés', value: (a) => labelList(a.obstacles, OBSTACLE_LABELS) },
  { label: 'Referait appel au guichet', value: (a) => yesNo(a.wouldUseAgain) },
];
