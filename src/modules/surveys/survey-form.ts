import { frenchNumber } from '../../common/french-format';
import type { ImpactQuestions, SurveyAnswers } from './survey-answers.policy';
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

/**
 * The impact survey's words for its buyer: a public buyer's contract in the terms of public procurement (DECP,
 * publication notice); a company outside the code, its own contract or subcontract, none of those terms.
 */
export function impactWording({ publicProcurement }: ImpactQuestions) {
  if (publicProcurement)
    return {
      intro: 'Vos réponses mesurent ce que le conseil a changé dans les marchés publics.',
      contractOutcome: 'La consultation a-t-elle été publiée ou le marché notifié ?',
      contractOutcomeOptions: SURVEY_OPTIONS.contractOutcome,
      whenContract: 'si la consultation est publiée ou le marché notifié',
      contractDate: 'Date de publication ou de notification',
      contractReference: 'Référence du marché ou de la consultation',
      contractReferenceHint: 'Par exemple le numéro de l’avis de publication.',
      considerationsHint: 'Au sens des données essentielles de la commande publique.',
      contractNoun: 'du marché',
      contractAmount: 'Montant estimé du marché, en euros hors taxes',
    };
  return {
    intro: 'Vos réponses mesurent ce que le conseil a changé dans votre marché ou contrat.',
    contractOutcome: 'La consultation a-t-elle été lancée ou votre marché ou contrat signé ?',
    contractOutcomeOptions: SURVEY_OPTIONS.contractOutcome.map((option) =>
      option.value === 'yes' ? { ...option, label: 'Oui, la consultation est lancée ou le marché ou contrat est signé' } : option,
    ),
    whenContract: 'si la consultation est lancée ou le marché ou contrat signé',
    contractDate: 'Date de lancement ou de signature',
    contractReference: 'Référence de votre marché ou contrat',
    contractReferenceHint: '',
    considerationsHint: '',
    contractNoun: 'de votre marché ou contrat',
    contractAmount: 'Montant estimé de votre marché ou contrat, en euros hors taxes',
  };
}

type FormValues = Record<string, unknown>;

const yesNo = (value: boolean | null) => (value === null ? '' : value ? 'yes' : 'no');
const textOf = (value: unknown) => (value === null || value === undefined ? '' : String(value));

/** The saved answers (or those a refused form kept), as the form shows them. */
export function savedValues(survey: SurveyAnswers): FormValues {
  return {
    usefulness: textOf(survey.usefulness),
    quickEnough: yesNo(survey.quickEnough),
    comment: textOf(survey.comment),
    contractOutcome: textOf(survey.contractOutcome),
    contractDate: textOf(survey.contractDate),
    contractReference: textOf(survey.contractReference),
    awardCriterionWeight: textOf(survey.awardCriterionWeight),
    insertionHours: textOf(survey.insertionHours),
    // Grouped as typed (« 1 500 000 »): submitting the form again reads the spaces away.
    contractAmount: survey.contractAmount === null ? '' : frenchNumber(Number(survey.contractAmount)),
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
