/**
 * What a split asks for (pure): 1 to 5 further topics, each a question of its own, and the reason
 * a transfer or reassignment needs. Shared by the form and the JSON API.
 */
import { frenchNumber } from '../../common/french-format';
import type { FieldError } from '../../common/errors/app-errors';
import { unknownField } from '../../common/validation';
import { QUESTION_MAX_LENGTH, QUESTION_MIN_LENGTH, QUESTION_MIN_WORDS, questionProblem } from '../intake/eligibility.policy';
import { isRequestKind, RequestKind } from '../requests/request.types';

export const MAX_SPLIT_TOPICS = 5;
export const REASON_MAX_LENGTH = 1000;

export interface SplitTopic {
  subject: string;
  question: string;
  kind: RequestKind;
  segment: string;
}

export const SPLIT_TOPIC_FIELDS = ['subject', 'question', 'kind', 'segment'];
const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/** The topics actually filled in (a slot left entirely empty is skipped), or the errors, by field `topics.<n>.<name>`. */
export function parseSplitTopics(input: unknown, segmentCodes: ReadonlySet<string>): { topics: SplitTopic[]; errors: FieldError[] } {
  if (input !== undefined && input !== null && !Array.isArray(input)) {
    return { topics: [], errors: [{ field: 'topics', message: 'Les sujets forment une liste.' }] };
  }
  const slots: unknown[] = input ?? [];
  const errors: FieldError[] = [];
  const topics: SplitTopic[] = [];
  if (slots.length > MAX_SPLIT_TOPICS) {
    return { topics, errors: [{ field: 'topics', message: `Une scission crée au plus ${MAX_SPLIT_TOPICS} nouvelles demandes.` }] };
  }
  slots.forEach((slot, index) => {
    if (slot !== null && (typeof slot !== 'object' || Array.isArray(slot))) {
      errors.push({
        field: `topics.${index}`,
        message: `Nouvelle demande ${index + 1} : un objet JSON avec subject, question, kind et segment est attendu.`,
      });
      return;
    }
    const raw = (slot ?? {}) as Record<string, unknown>;
    // A misspelt field would otherwise leave its topic without it, unsaid.
    errors.push(
      ...Object.keys(raw)
        .filter((key) => !SPLIT_TOPIC_FIELDS.includes(key))
        .map((key) => unknownField(`topics.${index}.${key}`)),
    );
    const topic = { subject: text(raw.subject), question: text(raw.question), kind: text(raw.kind), segment: text(raw.segment) };
    // The form prefills each slot's kind and segment with the request's: a slot without subject nor question is unused.
    if (!topic.subject && !topic.question) return;
    const field = (name: string) => `topics.${index}.${name}`;
    const problems: FieldError[] = [];
    if (!isSubjectLine(topic.subject)) {
      problems.push({ field: field('subject'), message: `Nouvelle demande ${index + 1} : ${SUBJECT_RULE}` });
    }
    // The intake's rules, in staff's words: the question is the buyer's, rewritten for this topic.
    const questionIssue =
      topic.question.length > QUESTION_MAX_LENGTH
        ? `la question fait au plus ${frenchNumber(QUESTION_MAX_LENGTH)} caractères.`
        : questionProblem(topic.question) &&
          `reprenez la question de l’acheteur sur ce sujet en quelques phrases (au moins ${QUESTION_MIN_LENGTH} caractères et ${QUESTION_MIN_WORDS} mots différents).`;
    if (questionIssue) problems.push({ field: field('question'), message: `Nouvelle demande ${index + 1} : ${questionIssue}` });
    if (!isRequestKind(topic.kind)) {
      problems.push({ field: field('kind'), message: `Nouvelle demande ${index + 1} : choisissez le type de question.` });
    }
    if (!segmentCodes.has(topic.segment)) {
      problems.push({ field: field('segment'), message: `Nouvelle demande ${index + 1} : choisissez un segment d’achat de la liste.` });
    }
    errors.push(...problems);
    if (!problems.length) topics.push(topic as SplitTopic);
  });
  if (!errors.length && !topics.length) {
    errors.push({ field: 'topics.0.subject', message: 'Décrivez au moins un autre sujet à détacher de la demande.' });
  }
  return { topics: errors.length ? [] : topics, errors };
}

const SUBJECT_RULE = 'donnez un objet d’une ligne, de 5 à 150 caractères.';
const isSubjectLine = (subject: string) => subject.length >= 5 && subject.length <= 150 && !/[\r\n]/.test(subject);

/**
 * The original request's subject once its other topics leave it (optional: absent or unchanged, it stays as the buyer
 * wrote it), or the error.
 */
export function refocusedSubject(input: unknown, current: string): { subject: string | null; errors: FieldError[] } {
  const subject = text(input);
  if (!subject || subject === current) return { subject: null, errors: [] };
  return isSubjectLine(subject)
    ? { subject, errors: [] }
    : { subject: null, errors: [{ field: 'subject', message: `Objet de cette demande : ${SUBJECT_RULE}` }] };
}

/** The why of a transfer or reassignment, kept in the history; required. */
export function reasonProblem(value: unknown): string | null {
  const reason = text(value);
  if (!reason) return 'Indiquez le motif : il est gardé dans l’historique de la demande.';
  if (reason.length > REASON_MAX_LENGTH) return `Le motif ne doit pas dépasser ${frenchNumber(REASON_MAX_LENGTH)} caractères.`;
  return null;
}
