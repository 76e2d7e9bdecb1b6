import type {
  ContractOutcome,
  EnvironmentalConsideration,
  Lever,
  Obstacle,
  SocialConsideration,
  SurveyWave,
  Theme,
  Usefulness,
} from './survey.types';

/** What buyers and animators read for each stored code: the survey pages and the reporting pages share these. */
export const SURVEY_WAVE_LABELS: Record<SurveyWave, string> = {
  satisfaction: 'Questionnaire de satisfaction',
  impact: 'Évaluation d’impact',
};

export const USEFULNESS_LABELS: Record<Usefulness, string> = {
  yes: 'Oui',
  partly: 'En partie',
  no: 'Non',
};

/** The one-click answers of the invitation e-mail: each link says what it answers, read alone in a list of links. */
export const ONE_CLICK_USEFULNESS_LABELS: Record<Usefulness, string> = {
  yes: 'Oui, elle m’a été utile',
  partly: 'En partie utile',
  no: 'Non, pas utile',
};

export const CONTRACT_OUTCOME_LABELS: Record<ContractOutcome, string> = {
  yes: 'Oui, la consultation est publiée ou le marché est notifié',
  not_yet: 'Pas encore',
  abandoned: 'Le projet d’achat est abandonné',
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

/** The wording of the French open contract data (DECP). */
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
  bids_mismatch: 'Les offres ne correspondaient pas',
  no_management_support: 'Pas de soutien de la hiérarchie',
};
