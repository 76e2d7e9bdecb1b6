/**
 * The two follow-up waves and the closed vocabularies of their answers. Codes are stored; labels are what the
 * buyer and the animators read. Considerations follow the French open contract data (DECP) vocabulary.
 */
export const SURVEY_WAVES = ['satisfaction', 'impact'] as const;
export type SurveyWave = (typeof SURVEY_WAVES)[number];

/** `declined`: the buyer asked not to be surveyed about this request (every wave not answered yet, for good). */
export const SURVEY_STATUSES = ['scheduled', 'sent', 'reminded', 'completed', 'expired', 'cancelled', 'declined'] as const;
export type SurveyStatus = (typeof SURVEY_STATUSES)[number];

/**
 * How a survey came to be `declined`: `link`, from the refusal page of a survey e-mail (for the request, or for the
 * address) — whoever held the mailbox, a stranger's when the address was mistyped; `staff`, the buyer's objection
 * recorded by staff, or a `link` one staff confirmed by correcting that address without declaring it a typo; `opt_out`, found by a step (or a correction) to be of an address that opted out, no one refusing
 * this one. Null when not declined, or declined before it was recorded and nothing told how.
 */
export const SURVEY_DECLINE_WAYS = ['link', 'staff', 'opt_out'] as const;
export type SurveyDeclineWay = (typeof SURVEY_DECLINE_WAYS)[number];

export const USEFULNESS = ['yes', 'partly', 'no'] as const;
export type Usefulness = (typeof USEFULNESS)[number];

export const CONTRACT_OUTCOMES = ['yes', 'not_yet', 'abandoned'] as const;
export type ContractOutcome = (typeof CONTRACT_OUTCOMES)[number];

export const LEVERS = [
  'need_definition',
  'technical_specification',
  'label',
  'award_criterion',
  'execution_clause',
  'reserved_contract',
  'insertion_clause',
] as const;
export type Lever = (typeof LEVERS)[number];

export const THEMES = [
  'reuse_recycled',
  'carbon',
  'energy',
  'biodiversity',
  'waste',
  'egalim_organic',
  'fair_trade',
  'insertion_disability',
] as const;
export type Theme = (typeof THEMES)[number];

/** DECP `considerationsEnvironnementales`. */
export const ENVIRONMENTAL_CONSIDERATIONS = ['environmental_clause', 'environmental_criterion', 'none'] as const;
export type EnvironmentalConsideration = (typeof ENVIRONMENTAL_CONSIDERATIONS)[number];

/** DECP `considerationsSociales`. */
export const SOCIAL_CONSIDERATIONS = ['social_clause', 'social_criterion', 'reserved_contract', 'none'] as const;
export type SocialConsideration = (typeof SOCIAL_CONSIDERATIONS)[number];

export const OBSTACLES = ['no_suppliers', 'cost', 'legal_risk', 'time_or_skills', 'bids_mismatch', 'no_management_support'] as const;
export type Obstacle = (typeof OBSTACLES)[number];
