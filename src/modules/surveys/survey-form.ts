import type { Survey } from './survey.entity';
import {
  CONTRACT_OUTCOME_LABELS,
  ENVIRONMENTAL_CONSIDERATION_LABELS,
  LEVER_LABELS,
  OBSTACLE_LABELS,
  SOCIAL_CONSIDERATION_LABELS,
  THEME_LABELS,
  USEFULNESS_LABELS,
} from './survey-labels';
import { SurveyWave, USEFULNESS } from './survey.types';

const LIST_FIELDS = ['levers', 'themes', 'environmentalConsiderations', 'socialConsiderations', 'obstacles'] as const;
const YES_NO = [
  { value: 'yes', label: 'Oui' },
  { value: 'no', label: 'Non' },
];

const optionsOf = (labels: Record<string, string>) => Object.entries(labels).map(([value, label]) => ({ value, label }));

/** The choices the survey page offers, in the order of the vocabularies. */
export const SURVEY_OPTIONS = {
  usefulness: optionsOf(USEFULNESS_LABELS),
  yesNo: YES_NO,
  contractOutcome: optionsOf(CONTRACT_OUTCOME_LABELS),
  levers: optionsOf(LEVER_LABELS),
  themes: optionsOf(THEME_LABELS),
  environmentalConsiderations: optionsOf(ENVIRONMENTAL_CONSIDERATION_LABELS),
  socialConsiderations: optionsOf(SOCIAL_CONSIDERATION_LABELS),
  obstacles: optionsOf(OBSTACLE_LABELS),
};

type FormValues = Record<string, unknown>;

const yesNo = (value: boolean | null) => (value === null ? '' : value ? 'yes' : 'no');
const textOf = (value: unknown) => (value === null || value === undefined ? '' : String(value));

/** The saved answers, as the form shows them. */
export function savedValues(survey: Survey): FormValues {
  return {
    usefulness: textOf(survey.usefulness),
    quickEnough: yesNo(survey.quickEnough),
    comment: textOf(survey.comment),
    contractOutcome: textOf(survey.contractOutcome),
    contractDate: textOf(survey.contractDate),
    contractReference: textOf(survey.contractReference),
    awardCriterionWeight: textOf(survey.awardCriterionWeight),
    insertionHours: textOf(survey.insertionHours),
    contractAmount: textOf(survey.contractAmount),
    wouldUseAgain: yesNo(survey.wouldUseAgain),
    reuseConsent: survey.reuseConsent ? 'yes' : '',
    ...Object.fromEntries(LIST_FIELDS.map((field) => [field, survey[field]])),
  };
}

/** A one-click link of the satisfaction e-mail only preselects its answer; the buyer still confirms on the page. */
export function preselectedValues(wave: SurveyWave, query: Record<string, unknown>): FormValues {
  const usefulness = USEFULNESS.find((code) => code === query.usefulness);
  return wave === 'satisfaction' && usefulness ? { usefulness } : {};
}

/** A refused form shown again as typed: one ticked box arrives as a string, several as a list. */
export function postedValues(body: Record<string, unknown>): FormValues {
  const values: FormValues = { ...body };
  for (const field of LIST_FIELDS) {
    const value = body[field];
    values[field] = Array.isArray(value) ? value : typeof value === 'string' && value ? [value] : [];
  }
  return values;
}
