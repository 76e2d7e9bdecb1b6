import { frenchNumber } from '../../common/french-format';
import type { FieldError } from '../../common/errors/app-errors';
import { typedText } from '../../common/validation';
import { STAFF_TEXT_MAX } from '../requests/request-message.types';
import { KIND_LABELS, REQUEST_KINDS, RequestKind } from '../requests/request.types';

export const TEMPLATE_TITLE_MAX = 120;

export interface TemplateInput {
  networkCode: string;
  title: string;
  body: string;
  kind: RequestKind | null;
}

/**
 * A template as typed (form or JSON), checked (pure): a network among those the person manages (`networks`,
 * null for all), a one-line title, a text within the answer's own limit, and the kind of request it suits (empty or
 * null: both). French errors by field.
 */
export function checkTemplate(
  raw: Record<string, unknown>,
  networks: readonly string[] | null,
): { value: TemplateInput; errors: FieldError[] } {
  const kindText = typedText(raw.kind);
  const kind = REQUEST_KINDS.find((k) => k === kindText) ?? null;
  const value = { networkCode: typedText(raw.networkCode), title: typedText(raw.title), body: typedText(raw.body), kind };
  const errors: FieldError[] = [];
  if (!value.networkCode || (networks !== null && !networks.includes(value.networkCode))) {
    errors.push({ field: 'networkCode', message: 'Choisissez le réseau du modèle.' });
  }
  if (kindText && !kind) {
    errors.push({ field: 'kind', message: 'Choisissez le type de demande : environnementale, clause sociale, ou les deux.' });
  }
  if (!value.title) errors.push({ field: 'title', message: 'Donnez un titre au modèle.' });
  else if (value.title.length > TEMPLATE_TITLE_MAX || value.title.includes('\n')) {
    errors.push({ field: 'title', message: `Le titre tient sur une ligne de ${TEMPLATE_TITLE_MAX} caractères au plus.` });
  }
  if (!value.body) errors.push({ field: 'body', message: 'Écrivez le texte du modèle.' });
  else if (value.body.length > STAFF_TEXT_MAX) {
    errors.push({ field: 'body', message: `Le texte ne doit pas dépasser ${frenchNumber(STAFF_TEXT_MAX)} caractères.` });
  }
  return { value, errors };
}

/** A template's passage for the facilitator to replace: « [À compléter …] » (any case, with or without the accent). */
const PASSAGE_TO_COMPLETE = /\[\s*[àa]\s+compl[ée]ter[^\]\n]{0,200}\]/i;

/**
 * The first passage of a template still to be replaced in an answer, or null: an answer sent with it would show the
 * buyer the template's instructions instead of advice.
 */
export function passageToComplete(text: string): string | null {
  return PASSAGE_TO_COMPLETE.exec(text)?.[0] ?? null;
}

/**
 * The answer's text once a template is taken in: after what was already typed, a blank line between, so that nothing
 * typed is ever lost to a template; the template alone in an empty answer.
 */
export function withTemplate(typed: unknown, template: string): string {
  const text = typeof typed === 'string' ? typed.replace(/\r\n?/g, '\n').replace(/\s+$/, '') : '';
  return text.trim() ? `${text}\n\n${template}` : template;
}

/** Said of a version that saveCondition cannot read (form or API). */
export const VERSION_UNREADABLE = 'La version du modèle est un nombre entier, celle que vous avez lue.';

const VERSION = /^[1-9]\d{0,8}$/;

/** What a save must find to be written: the versions it may go over (null: any), and how a miss is answered. */
export interface SaveCondition {
  versions: readonly number[] | null;
  /** 409 for a `version` the person's page or the client sent, 412 for an If-Match (RFC 9110 §13.1.1). */
  refusal: 'conflict' | 'precondition_failed';
}

/**
 * The condition of a save: the edit form's hidden field or the API's `version` first, else the API's If-Match. None
 * said (a client from before versions, or If-Match « * »): any version. Undefined when unreadable.
 */
export function saveCondition(version: unknown, ifMatch?: string): SaveCondition | undefined {
  if (version !== undefined && version !== null && version !== '') {
    const text = typeof version === 'number' ? String(version) : typeof version === 'string' ? version.trim() : '';
    return VERSION.test(text) ? { versions: [Number(text)], refusal: 'conflict' } : undefined;
  }
  const header = ifMatch?.trim() ?? '';
  if (header === '' || header === '*') return { versions: null, refusal: 'conflict' };
  const tags = header.split(',').map((tag) => tag.trim());
  if (!tags.every((tag) => /^(W\/)?"[^"]*"$/.test(tag))) return undefined;
  // Strong comparison: a weak tag never matches, one not ours neither; any of the list may.
  const versions = tags.filter((tag) => tag.startsWith('"') && VERSION.test(tag.slice(1, -1))).map((tag) => Number(tag.slice(1, -1)));
  return { versions, refusal: 'precondition_failed' };
}

/**
 * The API's rule when no version is said (nothing, or If-Match « * »): the version this very request read, so that a
 * colleague's change made in between is refused rather than written over or deleted.
 */
export function orAsRead(condition: SaveCondition | undefined, read: number): SaveCondition | undefined {
  return condition?.versions === null ? { versions: [read], refusal: 'conflict' } : condition;
}

/** The requests a template suits, as pages and the journal say it. */
export function templateKindLabel(kind: RequestKind | null): string {
  return kind ? KIND_LABELS[kind] : 'Les deux types';
}

/**
 * A template's line in the network's journal (pure): created (`before` null), deleted (`after` null) or changed, by its
 * title and network, a change saying what moved. Never the text itself: only that it changed.
 */
export function templateJournalLine(
  before: TemplateInput | null,
  after: TemplateInput | null,
  networkName: (code: string) => string,
): string {
  const of = (t: TemplateInput) => `« ${t.title} » (${networkName(t.networkCode)})`;
  if (!before) return `Modèle de réponse créé : ${of(after!)}`;
  if (!after) return `Modèle de réponse supprimé : ${of(before)}`;
  const changes = [
    before.title !== after.title ? `titre, auparavant « ${before.title} »` : null,
    before.networkCode !== after.networkCode ? `réseau, de ${networkName(before.networkCode)} à ${networkName(after.networkCode)}` : null,
    before.kind !== after.kind ? `demandes, de « ${templateKindLabel(before.kind)} » à « ${templateKindLabel(after.kind)} »` : null,
    before.body !== after.body ? 'texte' : null,
  ].filter((change) => change !== null);
  return `Modèle de réponse modifié : ${of(after)} — ${changes.length ? changes.join(' ; ') : 'enregistré sans changement'}`;
}

/** The ETag an API client sends back as If-Match to save over this version and no other. */
export function etagOf(version: number): string {
  return `"${version}"`;
}
