import type { Survey } from '../surveys/survey.entity';
import type {
  ContractOutcome,
  EnvironmentalConsideration,
  Lever,
  Obstacle,
  SocialConsideration,
  SurveyWave,
  Theme,
  Usefulness,
} from '../surveys/survey.types';

/** What the animators read for the survey codes (pages and CSV alike). */
export const WAVE_LABELS: Record<SurveyWave, string> = {
  satisfaction: 'Satisfaction',
  impact: 'Impact à six mois',
};

export const USEFULNESS_LABELS: Record<Usefulness, string> = {
  yes: 'Utile',
  partly: 'En partie utile',
  no: 'Pas utile',
};

export const CONTRACT_OUTCOME_LABELS: Record<ContractOutcome, string> = {
  yes: 'Consultation publiée ou marché signé',
  not_yet: 'Pas encore',
  abandoned: 'Achat abandonné',
};

export const LEVER_LABELS: Record<Lever, string> = {
  need_definition: 'Définition du besoin',
  technical_specification: 'Spécification technique',
  label: 'Label',
  award_criterion: 'Critère d’attribution',
  execution_clause: 'Clause d’exécution',
  reserved_contract: 'Marché réservé',
  insertion_clause: 'Clause d’insertion',
};

export const THEME_LABELS: Record<Theme, string> = {
  reuse_recycled: 'Réemploi, matières recyclées',
  carbon: 'Carbone',
  energy: 'Énergie',
  biodiversity: 'Biodiversité',
  waste: 'Déchets',
  egalim_organic: 'Qualité EGAlim, bio',
  fair_trade: 'Commerce équitable',
  insertion_disability: 'Insertion, handicap',
};

export const ENVIRONMENTAL_CONSIDERATION_LABELS: Record<EnvironmentalConsideration, string> = {
  environmental_clause: 'Clause environnementale',
  environmental_criterion: 'Critère environnemental',
  none: 'Pas de considération environnementale',
};

export const SOCIAL_CONSIDERATION_LABELS: Record<SocialConsideration, string> = {
  social_clause: 'Clause sociale',
  social_criterion: 'Critère social',
  reserved_contract: 'Marché réservé',
  none: 'Pas de considération sociale',
};

export const OBSTACLE_LABELS: Record<Obstacle, string> = {
  no_suppliers: 'Pas de fournisseurs',
  cost: 'Coût',
  legal_risk: 'Risque juridique',
  time_or_skills: 'Manque de temps ou de compétences',
  bids_mismatch: 'Offres inadaptées',
  no_management_support: 'Pas de soutien de la direction',
};

/** A list of codes as one French phrase ("Label, Carbone"); unknown codes are shown as stored. */
export function labelList<C extends string>(codes: readonly C[] | null, labels: Record<C, string>): string {
  return (codes ?? []).map((code) => labels[code] ?? code).join(', ');
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
  value: (answers: SurveyAnswers) => string | number | null;
}

/** Each wave's questions in their order, answered in French: a line each on the detail page, a column each in the CSV. */
export const SATISFACTION_ANSWERS: AnswerColumn[] = [
  { label: 'Utilité du conseil', value: (a) => (a.usefulness ? USEFULNESS_LABELS[a.usefulness] : null) },
  { label: 'Réponse assez rapide', value: (a) => yesNo(a.quickEnough) },
];

export const IMPACT_ANSWERS: AnswerColumn[] = [
  { label: 'Consultation ou marché', value: (a) => (a.contractOutcome ? CONTRACT_OUTCOME_LABELS[a.contractOutcome] : null) },
  { label: 'Date de publication ou de signature', value: (a) => a.contractDate },
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
