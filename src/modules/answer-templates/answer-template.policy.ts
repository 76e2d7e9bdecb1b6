import { frenchNumber } from '../../common/french-format';
import { CHANGE_KINDS } from '../audit/journal-filters.policy';
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

/**
 * A template's passage for the facilitator to replace: « [À compléter …] » (any case, with or without the accent). The
 * answer's text box carries it to the browser, whose error summary selects the passage an error names.
 */
export const PASSAGE_TO_COMPLETE = /\[\s*[àa]\s+compl[ée]ter[^\]\n]{0,200}\]/i;

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

/** Said of an If-Match header that saveCondition cannot read: an ETag goes between double quotes. */
export const IF_MATCH_UNREADABLE =
  'L’en-tête If-Match donne l’ETag reçu tel quel, entre guillemets droits (par exemple "5"), ou plusieurs séparés par des virgules.';

const VERSION = /^[1-9]\d{0,8}$/;

/** What a save must find to be written: the versions If-Match lists (null: no If-Match, or « * »), the `version` said (null: none). */
export interface SaveCondition {
  ifMatch: readonly number[] | null;
  version: number | null;
}

/** A condition saveCondition cannot read: refused (400) on the field, or header, that holds it. */
export interface UnreadableCondition {
  error: FieldError;
}

/**
 * The condition of a save, from the edit form's hidden field or the API's `version` (`field`: where it was said, the
 * one an unreadable version is refused on), and the API's If-Match (strong comparison: a weak tag, or one not ours,
 * never matches). The header is read first, as it is checked first.
 */
export function saveCondition(version: unknown, ifMatch?: string, field = 'version'): SaveCondition | UnreadableCondition {
  const header = ifMatch?.trim() ?? '';
  let listed: number[] | null = null;
  if (header !== '' && header !== '*') {
    const tags = header.split(',').map((tag) => tag.trim());
    if (!tags.every((tag) => /^(W\/)?"[^"]*"$/.test(tag))) return { error: { field: 'If-Match', message: IF_MATCH_UNREADABLE } };
    listed = tags.filter((tag) => tag.startsWith('"') && VERSION.test(tag.slice(1, -1))).map((tag) => Number(tag.slice(1, -1)));
  }
  if (version === undefined || version === null || version === '') return { ifMatch: listed, version: null };
  const text = typeof version === 'number' ? String(version) : typeof version === 'string' ? version.trim() : '';
  return VERSION.test(text) ? { ifMatch: listed, version: Number(text) } : { error: { field, message: VERSION_UNREADABLE } };
}

/**
 * The version an API deletion says, in its body (read as a number) or its address (?version=): either, or both alike;
 * two that differ are refused on both (400) rather than one silently preferred. `field`: where it was said, for
 * saveCondition to refuse an unreadable one there.
 */
export function deletionVersion(
  inBody: number | undefined,
  inQuery: unknown,
): { version: unknown; field: 'version' | '?version'; errors: FieldError[] } {
  const queried = inQuery !== undefined && inQuery !== '';
  if (inBody === undefined) return { version: inQuery, field: queried ? '?version' : 'version', errors: [] };
  if (!queried) return { version: inBody, field: 'version', errors: [] };
  const shown = String(inQuery).trim();
  if (shown === String(inBody)) return { version: inBody, field: 'version', errors: [] };
  return {
    version: null,
    field: 'version',
    errors: [
      {
        field: 'version',
        message: `Le champ version (${inBody}) et l’adresse (?version=${shown}) désignent deux versions différentes : envoyez l’une ou l’autre, ou la même.`,
      },
      {
        field: '?version',
        message: `L’adresse (?version=${shown}) et le champ version (${inBody}) désignent deux versions différentes : envoyez l’une ou l’autre, ou la même.`,
      },
    ],
  };
}

export function isUnreadable(condition: SaveCondition | UnreadableCondition): condition is UnreadableCondition {
  return 'error' in condition;
}

/** A version no template has: a page's hidden version tampered with, refused as stale so the template as it is now is shown. */
const STALE: SaveCondition = { ifMatch: null, version: 0 };

/** The condition of a page's save or deletion: its hidden version, tampered with taken as stale (no field error to correct). */
export function formCondition(version: unknown): SaveCondition {
  const condition = saveCondition(version);
  return isUnreadable(condition) ? STALE : condition;
}

/**
 * The API's rule when no version is said (nothing, or If-Match « * »): the version this very request read, so that a
 * colleague's change made in between is refused rather than written over or deleted.
 */
export function orAsRead(condition: SaveCondition | UnreadableCondition, read: number): SaveCondition | UnreadableCondition {
  return !isUnreadable(condition) && condition.ifMatch === null && condition.version === null
    ? { ifMatch: null, version: read }
    : condition;
}

/**
 * Why a save is refused by the template's version now: If-Match first (RFC 9110 §13.1.1), none of its tags current
 * (412); then the `version` said, stale (409) — unless If-Match does not even list it: the two disagree, the client's
 * precondition fails (412). Null: it may be written.
 */
export type ConditionRefusal = 'stale_if_match' | 'versions_differ' | 'stale_version';

export function conditionRefusal({ ifMatch, version }: SaveCondition, current: number): ConditionRefusal | null {
  if (ifMatch !== null && !ifMatch.includes(current)) return 'stale_if_match';
  if (version === null || version === current) return null;
  return ifMatch !== null && !ifMatch.includes(version) ? 'versions_differ' : 'stale_version';
}

/** The requests a template suits, as pages and the journal say it. */
export function templateKindLabel(kind: RequestKind | null): string {
  return kind ? KIND_LABELS[kind] : 'Les deux types';
}

/**
 * A template's line in the network's journal (pure): created (`before` null), deleted (`after` null) or changed, by its
 * title and network, a change saying what moved; null for a change that moves nothing (not written: no line, no new
 * version). Never the text itself: only that it changed.
 */
export function templateJournalLine(
  before: TemplateInput | null,
  after: TemplateInput | null,
  networkName: (code: string) => string,
): string | null {
  const of = (t: TemplateInput) => `« ${t.title} » (${networkName(t.networkCode)})`;
  if (!before) return `Modèle de réponse créé : ${of(after!)}`;
  if (!after) return `Modèle de réponse supprimé : ${of(before)}`;
  const changes = [
    before.title !== after.title ? `titre, auparavant « ${before.title} »` : null,
    before.networkCode !== after.networkCode ? `réseau, de ${networkName(before.networkCode)} à ${networkName(after.networkCode)}` : null,
    before.kind !== after.kind ? `demandes, de « ${templateKindLabel(before.kind)} » à « ${templateKindLabel(after.kind)} »` : null,
    before.body !== after.body ? 'texte' : null,
  ].filter((change) => change !== null);
  return changes.length ? `Modèle de réponse modifié : ${of(after)} — ${changes.join(' ; ')}` : null;
}

/** The journal's actions about a template, each line naming it (its subject). */
export const TEMPLATE_ACTIONS = CHANGE_KINDS.modeles.actions;
export type TemplateAction = (typeof TEMPLATE_ACTIONS)[number];

/**
 * What became of a template a person no longer sees, as they may know it (pure): `deleted` in their networks (the
 * journal's last line there about it is its deletion), `moved` out of them (it still exists, and a line there shows it
 * was theirs), else `gone`, nothing claimed: never made, never theirs (another network's is not named), or its lines
 * past the journal's keeping. `latestLine`: the last line about it they may read (null: none).
 */
export type TemplateFate = 'deleted' | 'moved' | 'gone';

export function templateFate(stillExists: boolean, latestLine: TemplateAction | null): TemplateFate {
  if (latestLine === null) return 'gone';
  if (stillExists) return 'moved';
  return latestLine === 'template_deleted' ? 'deleted' : 'gone';
}

/** The ETag an API client sends back as If-Match to save over this version and no other. */
export function etagOf(version: number): string {
  return `"${version}"`;
}
