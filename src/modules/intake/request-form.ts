import type { FieldError, Pointer } from '../../common/errors/app-errors';
import { inFormWords, isoDayOf, typedEuros } from '../../common/validation';
import type { ReferenceService } from '../reference/reference.service';
import type { AdviceRequest } from '../requests/request.entities';
import {
  KIND_LABELS,
  ORGANISATION_TYPE_LABELS,
  ORGANISATION_TYPES,
  PURCHASE_STAGE_LABELS,
  PURCHASE_STAGES,
  REQUEST_KINDS,
} from '../requests/request.types';
import { QUESTION_MAX_LENGTH, QUESTION_MIN_LENGTH, QUESTION_MIN_WORDS, QUESTION_PLACEHOLDER } from './eligibility.policy';

/** The form's field names are the API's dotted paths, so one set of errors serves both. */
export const FORM_FIELDS = [
  'buyer.firstName',
  'buyer.lastName',
  'buyer.email',
  'buyer.phone',
  'buyer.organisationName',
  'buyer.organisationType',
  'buyer.siret',
  'internalReferentConsulted',
  'departmentCode',
  'kind',
  'segment',
  'purchaseStage',
  'estimatedAmount',
  'neededBy',
  'subject',
  'question',
  'consent',
] as const;

/**
 * The form reached from a tracking link: the buyer's choice (`samePurchase`, « yes » when the question is about the
 * same purchase), and that request's reference and token in hidden fields, proven again when the form is sent.
 * First on the page, before the buyer's fields.
 */
export const FOLLOW_UP_FIELDS = ['samePurchase', 'followsUp.reference', 'followsUp.trackingToken'] as const;

export type FormValues = Partial<Record<(typeof FORM_FIELDS)[number] | (typeof FOLLOW_UP_FIELDS)[number], string>>;

/** Keeps only the known fields, as the buyer typed them, to show them back on error. */
export function pickFormValues(body: Record<string, unknown>): FormValues {
  const values: FormValues = {};
  for (const field of [...FOLLOW_UP_FIELDS, ...FORM_FIELDS]) if (typeof body[field] === 'string') values[field] = body[field] as string;
  return values;
}

/** The hidden link of a form reached from a tracking page: the earlier request, proven by its token. */
export function followUpLink(reference: string, token: string): FormValues {
  return { 'followsUp.reference': reference, 'followsUp.trackingToken': token };
}

/** Without its link (a wrong token, a form not reached from a tracking page) the choice means nothing: dropped. */
export function withoutFollowUp(values: FormValues): FormValues {
  const { samePurchase: _choice, 'followsUp.reference': _reference, 'followsUp.trackingToken': _token, ...rest } = values;
  return rest;
}

/** A form reached from a tracking link asks whether it is the same purchase: the buyer must say (null: answered, or not asked). */
export function followUpChoiceProblem(values: FormValues): FieldError | null {
  const reference = values['followsUp.reference'];
  if (!reference || values.samePurchase === 'yes' || values.samePurchase === 'no') return null;
  return {
    field: 'samePurchase',
    message: `Indiquez si votre question porte sur le même achat que votre demande ${reference} ou sur un autre achat.`,
  };
}

type PreviousRequest = Pick<
  AdviceRequest,
  'buyerFirstName' | 'buyerLastName' | 'buyerEmail' | 'buyerPhone' | 'organisationName' | 'organisationType' | 'siret' | 'departmentCode'
>;

/** A buyer's next question starts from their previous request: who they are and where they buy, nothing of the question. */
export function followUpValues(previous: PreviousRequest): FormValues {
  const values: FormValues = {
    'buyer.firstName': previous.buyerFirstName,
    'buyer.lastName': previous.buyerLastName,
    'buyer.email': previous.buyerEmail,
    'buyer.phone': previous.buyerPhone ?? undefined,
    'buyer.organisationName': previous.organisationName,
    'buyer.organisationType': previous.organisationType,
    'buyer.siret': previous.siret ?? undefined,
    departmentCode: previous.departmentCode,
  };
  // Erased personal data (retention) leave empty strings: nothing to carry over.
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value)) as FormValues;
}

/**
 * Turns the form's strings into the API's JSON shape: empty means absent, "yes"/"no" are
 * booleans, the amount a number when it is one (otherwise left as typed, for a clear error).
 */
export function formToRequestBody(values: FormValues): Record<string, unknown> {
  const present = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value);
  const typedAmount = present(values.estimatedAmount);
  const yesNo = (value: string | undefined) => (value === 'yes' ? true : value === 'no' ? false : undefined);
  const body: Record<string, unknown> = {
    buyer: {
      firstName: present(values['buyer.firstName']),
      lastName: present(values['buyer.lastName']),
      email: present(values['buyer.email']),
      phone: present(values['buyer.phone']),
      organisationName: present(values['buyer.organisationName']),
      organisationType: present(values['buyer.organisationType']),
      siret: present(values['buyer.siret']),
    },
    departmentCode: present(values.departmentCode),
    kind: present(values.kind),
    segment: present(values.segment),
    subject: present(values.subject),
    question: present(values.question),
    purchaseStage: present(values.purchaseStage),
    estimatedAmount: typedAmount === undefined ? undefined : typedEuros(typedAmount),
    neededBy: isoDayOf(present(values.neededBy)),
    internalReferentConsulted: yesNo(values.internalReferentConsulted),
    consent: values.consent === 'yes' ? true : undefined,
    // The same purchase: linked to the earlier request, by its reference and token (checked again when recorded).
    followsUp:
      values.samePurchase === 'yes' && present(values['followsUp.reference']) && present(values['followsUp.trackingToken'])
        ? { reference: values['followsUp.reference'], trackingToken: values['followsUp.trackingToken'] }
        : undefined,
  };
  return JSON.parse(JSON.stringify(body));
}

export interface Ineligibility {
  reason: string;
  pointers: Pointer[];
  field?: string;
}

export interface FormPageModel {
  title: string;
  formToken: string;
  form: { values: FormValues; errors: Record<string, string>; errorList: FieldError[] };
  /** Why the desk cannot take the request, where to look, and the answer that decided it (its form field). */
  ineligible?: Ineligibility;
  departments: Array<{ value: string; label: string }>;
  segments: Array<{ value: string; label: string }>;
  organisationTypes: Array<{ value: string; label: string }>;
  purchaseStages: Array<{ value: string; label: string }>;
  kinds: Array<{ value: string; label: string; hint: string }>;
  questionPlaceholder: string;
  /** The question's bounds, said in its hint from the figures the validation checks. */
  questionRules: { minLength: number; minWords: number; maxLength: number };
}

const KIND_HINTS = {
  environmental: 'Conseiller du réseau régional de l’achat public durable, pour les acheteurs soumis au code de la commande publique',
  // What « clauses sociales » covers, said where the kind is chosen; the one kind a private company not subject to the code may ask.
  social_clause:
    'Facilitateur de clauses sociales de votre territoire : clauses d’insertion, marchés réservés aux structures d’insertion, entreprises adaptées ou ESAT, critères sociaux. Ouvert aussi aux entreprises privées non soumises au code de la commande publique.',
};

export function formPageModel(
  reference: ReferenceService,
  formToken: string,
  values: FormValues = {},
  errors: FieldError[] = [],
  ineligible?: Ineligibility,
): FormPageModel {
  // The eligibility refusal has its own callout; it is not repeated in the error summary, which follows the page's order.
  const fieldErrors = ineligible ? [] : inPageOrder(inFormWords(errors));
  return {
    // Said first by a screen reader, as « Erreur — » is for a form with errors.
    title: ineligible ? 'Demande non recevable — Poser une question' : 'Poser une question',
    formToken,
    form: { values, errors: Object.fromEntries(fieldErrors.map((e) => [e.field, e.message])), errorList: fieldErrors },
    ineligible,
    departments: reference.departmentOptions(),
    segments: reference.segmentOptions(),
    organisationTypes: ORGANISATION_TYPES.map((t) => ({ value: t, label: ORGANISATION_TYPE_LABELS[t] })),
    purchaseStages: PURCHASE_STAGES.map((s) => ({ value: s, label: PURCHASE_STAGE_LABELS[s] })),
    kinds: REQUEST_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k], hint: KIND_HINTS[k] })),
    questionPlaceholder: QUESTION_PLACEHOLDER,
    questionRules: { minLength: QUESTION_MIN_LENGTH, minWords: QUESTION_MIN_WORDS, maxLength: QUESTION_MAX_LENGTH },
  };
}

/** Field errors in the order the form shows its fields (the validator reports them in its own). */
export function inPageOrder(errors: FieldError[]): FieldError[] {
  const order: readonly string[] = [...FOLLOW_UP_FIELDS, ...FORM_FIELDS];
  const position = (field: string) => {
    const index = order.indexOf(field);
    return index < 0 ? order.length : index;
  };
  return [...errors].sort((a, b) => position(a.field) - position(b.field));
}
