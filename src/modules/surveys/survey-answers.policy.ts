import { frenchDay, frenchNumber } from '../../common/french-format';
import type { FieldError } from '../../common/errors/app-errors';
import type { OrganisationType, PurchaseStage, RequestKind } from '../requests/request.types';
import { ENVIRONMENTAL_CONSIDERATION_LABELS, LEVER_LABELS, SOCIAL_CONSIDERATION_LABELS } from './survey-labels';
import { isCalendarDay, isoDayOf, typedEuros, typedText, withoutSpaces } from '../../common/validation';
import {
  CONTRACT_OUTCOMES,
  ContractOutcome,
  ENVIRONMENTAL_CONSIDERATIONS,
  EnvironmentalConsideration,
  Lever,
  LEVERS,
  Obstacle,
  OBSTACLES,
  SOCIAL_CONSIDERATIONS,
  SocialConsideration,
  SurveyWave,
  Theme,
  THEMES,
  USEFULNESS,
  Usefulness,
} from './survey.types';

export const COMMENT_MAX = 3000;
const REFERENCE_MAX = 100;
const AMOUNT_MAX = 10_000_000_000;
const HOURS_MAX = 1_000_000;

/** Every answer column, as stored; the columns of the other wave stay empty. */
export interface SurveyAnswers {
  usefulness: Usefulness | null;
  quickEnough: boolean | null;
  comment: string | null;
  contractOutcome: ContractOutcome | null;
  contractDate: string | null;
  contractReference: string | null;
  levers: Lever[];
  awardCriterionWeight: number | null;
  insertionHours: number | null;
  themes: Theme[];
  environmentalConsiderations: EnvironmentalConsideration[];
  socialConsiderations: SocialConsideration[];
  contractAmount: string | null;
  obstacles: Obstacle[];
  wouldUseAgain: boolean | null;
  reuseConsent: boolean | null;
}

export const EMPTY_ANSWERS: SurveyAnswers = {
  usefulness: null,
  quickEnough: null,
  comment: null,
  contractOutcome: null,
  contractDate: null,
  contractReference: null,
  levers: [],
  awardCriterionWeight: null,
  insertionHours: null,
  themes: [],
  environmentalConsiderations: [],
  socialConsiderations: [],
  contractAmount: null,
  obstacles: [],
  wouldUseAgain: null,
  reuseConsent: null,
};

/** What a request's impact survey asks its buyer: survey-form words it, checkAnswers requires it. */
export interface ImpactQuestions {
  /** An environmental request's survey asks both kinds of consideration; a social-clause one, the social ones only. */
  environmental: boolean;
  /** False for a company outside the public-procurement code: its contract or subcontract has no DECP, no notice. */
  publicProcurement: boolean;
}

export function impactQuestionsOf(request: { kind: RequestKind; organisationType: OrganisationType }): ImpactQuestions {
  return { environmental: request.kind === 'environmental', publicProcurement: request.organisationType !== 'private_not_subject' };
}

/**
 * The buyer's calendar: today, and the earliest day a published or signed contract may bear — the day the desk
 * received the request, when the purchase was not yet published then (null: any day before today; earliestContractDay).
 */
export interface AnswerContext {
  today: string;
  notBefore: string | null;
  questions: ImpactQuestions;
}

/** Stages before a consultation is published: its publication and its signature can only come after the request. */
const BEFORE_PUBLICATION: readonly PurchaseStage[] = ['need_definition', 'sourcing', 'drafting_tender'];

/**
 * The day the desk received the request when the purchase was not yet published then (a contract dated before it owes
 * nothing to the advice); null once published: the buyer asked about a consultation or a contract already dated. Null
 * too for a request split off another: its row was made on the split, the buyer asked earlier.
 */
export function earliestContractDay(purchaseStage: PurchaseStage, receivedOn: string, splitOff = false): string | null {
  return BEFORE_PUBLICATION.includes(purchaseStage) && !splitOff ? receivedOn : null;
}

/** Refused, with the answers the refusal does not concern (null: none given), for the buyer to complete later. */
export type AnswersCheck = { ok: true; answers: SurveyAnswers } | { ok: false; errors: FieldError[]; kept: SurveyAnswers | null };

/**
 * Checks a posted form (or JSON body) for one wave: closed vocabularies, the figures a lever needs (the award
 * criterion's weight, the insertion hours), a date when the contract exists (between the request and today), the
 * considerations the request's survey asks, "none" alone in a DECP list.
 * French messages, one per field, in the order of the form.
 */
export function checkAnswers(
  wave: SurveyWave,
  body: Record<string, unknown>,
  { today, notBefore, questions }: AnswerContext,
): AnswersCheck {
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) => errors.push({ field, message });
  const answers: SurveyAnswers = {
    ...EMPTY_ANSWERS,
    levers: [],
    themes: [],
    environmentalConsiderations: [],
    socialConsiderations: [],
    obstacles: [],
  };

  if (wave === 'satisfaction') {
    answers.usefulness = oneOf(USEFULNESS, body.usefulness);
    if (!answers.usefulness) fail('usefulness', 'Indiquez si la réponse vous a été utile.');
    answers.quickEnough = yesNo(body.quickEnough);
    if (answers.quickEnough === null) fail('quickEnough', 'Indiquez si la réponse est arrivée assez vite.');
  } else {
    answers.contractOutcome = oneOf(CONTRACT_OUTCOMES, body.contractOutcome);
    if (!answers.contractOutcome) fail('contractOutcome', 'Indiquez où en est votre achat.');
    // The date belongs to a published or signed contract; typed before choosing « Pas encore », it is not kept.
    const date = answers.contractOutcome === 'yes' ? isoDayOf(text(body.contractDate)) : '';
    // In the words of the form's labels (impactWording): a company outside the code launches, it does not publish.
    const dateOf = questions.publicProcurement ? 'date de publication ou de notification' : 'date de lancement ou de signature';
    if (date && !isCalendarDay(date)) fail('contractDate', 'Saisissez une date valide (jour, mois, année).');
    else if (date > today) fail('contractDate', `La ${dateOf} ne peut pas être postérieure à aujourd’hui.`);
    else if (date && notBefore && date < notBefore)
      fail('contractDate', `La ${dateOf} ne peut pas précéder votre demande, reçue par le guichet vert le ${frenchDay(notBefore)}.`);
    else if (answers.contractOutcome === 'yes' && !date) fail('contractDate', `Indiquez la ${dateOf}.`);
    else answers.contractDate = date || null;
    answers.contractReference = text(body.contractReference) || null;
    if ((answers.contractReference?.length ?? 0) > REFERENCE_MAX)
      fail('contractReference', `La référence fait au plus ${REFERENCE_MAX} caractères.`);

    const levers = someOf(LEVERS, body.levers);
    if (!levers) fail('levers', 'Choisissez parmi les leviers proposés.');
    answers.levers = levers ?? [];
    if (answers.levers.includes('award_criterion')) {
      answers.awardCriterionWeight = wholeNumber(typedNumber(body.awardCriterionWeight).replace(/%$/, ''), 1, 100);
      if (answers.awardCriterionWeight === null)
        // « 12,5 » is a percentage too: the message says the rule it breaks, a whole number.
        fail('awardCriterionWeight', 'Indiquez le poids du critère en pourcentage : un nombre entier de 1 à 100, sans décimale.');
    }
    if (answers.levers.includes('insertion_clause')) {
      answers.insertionHours = wholeNumber(typedNumber(body.insertionHours).replace(/h$/i, ''), 1, HOURS_MAX);
      if (answers.insertionHours === null) fail('insertionHours', 'Indiquez le nombre d’heures d’insertion, un nombre entier.');
    }
    // A figure typed for a lever left unticked was dropped without a word: the buyer is asked which of the two is right.
    for (const [field, lever] of [
      ['awardCriterionWeight', 'award_criterion'],
      ['insertionHours', 'insertion_clause'],
    ] as const) {
      if (levers && !levers.includes(lever) && typedNumber(body[field]) !== '')
        fail(field, `Vous avez indiqué ce nombre sans cocher le levier « ${LEVER_LABELS[lever]} » : cochez-le, ou effacez ce nombre.`);
    }
    const themes = someOf(THEMES, body.themes);
    if (!themes) fail('themes', 'Choisissez parmi les thèmes proposés.');
    answers.themes = themes ?? [];

    // Not asked, not read: a social-clause survey has no environmental block to fill (nor to send back).
    const environmental = questions.environmental ? someOf(ENVIRONMENTAL_CONSIDERATIONS, body.environmentalConsiderations) : [];
    const social = someOf(SOCIAL_CONSIDERATIONS, body.socialConsiderations);
    for (const [field, chosen, what] of [
      ...(questions.environmental ? ([['environmentalConsiderations', environmental, 'environnementales']] as const) : []),
      ['socialConsiderations', social, 'sociales'] as const,
    ]) {
      if (!chosen) fail(field, `Choisissez parmi les considérations ${what} proposées.`);
      else if (chosen.includes('none') && chosen.length > 1)
        fail(field, `« Pas de considération » ne se combine pas avec une autre réponse.`);
      else if (answers.contractOutcome === 'yes' && !chosen.length)
        fail(
          field,
          `Indiquez les considérations ${what} ${questions.publicProcurement ? 'du marché' : 'de votre marché ou contrat'}, ou « Pas de considération ».`,
        );
    }
    answers.environmentalConsiderations = environmental ?? [];
    answers.socialConsiderations = social ?? [];
    const contradiction = leverDenied(answers, questions);
    if (contradiction && !errors.some((error) => error.field === contradiction.field)) fail(contradiction.field, contradiction.message);

    const amount = typedNumber(body.contractAmount);
    if (amount) {
      const euros = typedEuros(amount);
      if (typeof euros !== 'number' || euros < 0 || euros > AMOUNT_MAX)
        fail('contractAmount', 'Saisissez le montant en euros, un nombre entier (par exemple 80 000).');
      else answers.contractAmount = String(euros);
    }
    const obstacles = someOf(OBSTACLES, body.obstacles);
    if (!obstacles) fail('obstacles', 'Choisissez parmi les difficultés proposées.');
    answers.obstacles = obstacles ?? [];
    answers.wouldUseAgain = yesNo(body.wouldUseAgain);
    if (answers.wouldUseAgain === null) fail('wouldUseAgain', 'Indiquez si vous feriez de nouveau appel au guichet.');
  }
  // Asked in both waves: a satisfaction comment is what a network most often quotes.
  answers.reuseConsent = body.reuseConsent === 'yes' || body.reuseConsent === true;

  const comment = typedText(body.comment);
  if (comment.length > COMMENT_MAX)
    fail(
      'comment',
      `Votre commentaire doit faire au plus ${frenchNumber(COMMENT_MAX)} caractères (il en fait ${frenchNumber(comment.length)}).`,
    );
  answers.comment = comment || null;
  return errors.length ? { ok: false, errors, kept: keptAnswers(answers, errors) } : { ok: true, answers };
}

/** The answers of a refused form its errors do not concern (each error names its answer); null when none was given. */
function keptAnswers(answers: SurveyAnswers, errors: FieldError[]): SurveyAnswers | null {
  const kept: SurveyAnswers = { ...answers };
  for (const { field } of errors) if (field in EMPTY_ANSWERS) Object.assign(kept, { [field]: EMPTY_ANSWERS[field as keyof SurveyAnswers] });
  // An unticked consent is no answer either.
  const given = Object.values(kept).some((value) => (Array.isArray(value) ? value.length > 0 : value !== null && value !== false));
  return given ? kept : null;
}

/**
 * A lever used that the considerations deny, in the DECP's own terms: an insertion clause is a social clause, a reserved
 * contract a social consideration, an award criterion weighs the environment or the social. The indicators count both.
 */
function leverDenied(answers: SurveyAnswers, questions: ImpactQuestions): FieldError | null {
  const socialDenied = answers.socialConsiderations.includes('none');
  for (const [lever, consideration] of [
    ['insertion_clause', 'social_clause'],
    ['reserved_contract', 'reserved_contract'],
  ] as const) {
    if (socialDenied && answers.levers.includes(lever))
      return {
        field: 'socialConsiderations',
        message: `Vous avez coché le levier « ${LEVER_LABELS[lever]} » : cochez « ${SOCIAL_CONSIDERATION_LABELS[consideration]} », ou décochez ce levier.`,
      };
  }
  if (!answers.levers.includes('award_criterion') || !socialDenied) return null;
  // Social considerations alone asked: the criterion can only be social.
  if (!questions.environmental)
    return {
      field: 'socialConsiderations',
      message: `Vous avez coché le levier « ${LEVER_LABELS.award_criterion} » : cochez « ${SOCIAL_CONSIDERATION_LABELS.social_criterion} », ou décochez ce levier.`,
    };
  if (answers.environmentalConsiderations.includes('none'))
    return {
      field: 'environmentalConsiderations',
      message: `Vous avez coché le levier « ${LEVER_LABELS.award_criterion} » : cochez « ${ENVIRONMENTAL_CONSIDERATION_LABELS.environmental_criterion} » ou « ${SOCIAL_CONSIDERATION_LABELS.social_criterion} », selon ce qu’il évalue, ou décochez ce levier.`,
    };
  return null;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

function oneOf<T extends string>(codes: readonly T[], value: unknown): T | null {
  return codes.find((code) => code === value) ?? null;
}

/** A form sends one value as a string and several as an array; anything outside the vocabulary refuses the list. */
function someOf<T extends string>(codes: readonly T[], value: unknown): T[] | null {
  const values = value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value];
  if (!values.every((v) => codes.includes(v as T))) return null;
  return codes.filter((code) => values.includes(code));
}

function yesNo(value: unknown): boolean | null {
  return value === 'yes' || value === true ? true : value === 'no' || value === false ? false : null;
}

/** An answer's number as typed, spaces removed (withoutSpaces); a number sent as JSON, as its digits. */
function typedNumber(value: unknown): string {
  return withoutSpaces(typeof value === 'number' ? String(value) : text(value));
}

function wholeNumber(value: unknown, min: number, max: number): number | null {
  const raw = typeof value === 'number' ? String(value) : text(value);
  if (!/^\d+$/.test(raw)) return null;
  const n = Number(raw);
  return n >= min && n <= max ? n : null;
}
