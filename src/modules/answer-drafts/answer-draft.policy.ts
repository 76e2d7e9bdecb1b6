import type { FieldError } from '../../common/errors/app-errors';
import { frenchNumber } from '../../common/french-format';
import { clockOf } from '../../common/local-clock';
import { typedText } from '../../common/validation';
import { helpItemInputs, MAX_HELP_ITEMS } from '../requests/help-item.policy';
import { STAFF_TEXT_MAX } from '../requests/request-message.types';

/** A help item as typed, kept to be typed again: its fields' text, unchecked (a draft may be unfinished). */
export type DraftItem = Record<string, string | boolean>;

export interface DraftContent {
  body: string;
  items: DraftItem[];
}

/** A help item's field in a draft: as long as the longest the answer takes (an address), no more. */
const ITEM_FIELD_MAX = 2000;

/** « Mes brouillons laissés »: the drafts of requests taken from their writer, named by the navigation and the e-mail saying so. */
export const LEFT_DRAFTS_PATH = '/espace/brouillons';

/** What the notice beside the answer form says: files are never kept, they would be personal data stored for nothing sent. */
export const FILES_NOT_KEPT = 'Les fichiers ne sont pas gardés dans le brouillon : joignez-les au moment d’envoyer la réponse.';

/**
 * A draft's content from the answer form (or the API): the text as typed and the help items with a type, their blank
 * fields left out. Refused only for what the answer would refuse whatever its state: a text over the answer's limit,
 * or what is not a help item. Null when there is nothing to keep (no text, no item): saving it discards the draft.
 */
export function draftContent(input: { body?: unknown; items?: unknown }): { content: DraftContent | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (input.body !== undefined && input.body !== null && typeof input.body !== 'string')
    errors.push({ field: 'body', message: 'Écrivez un texte.' });
  const body = typedText(input.body);
  if (body.length > STAFF_TEXT_MAX)
    errors.push({
      field: 'body',
      message: `Le brouillon ne doit pas dépasser ${frenchNumber(STAFF_TEXT_MAX)} caractères, comme la réponse.`,
    });
  const received = helpItemInputs(input.items);
  errors.push(...received.errors);
  if (received.inputs.length > MAX_HELP_ITEMS)
    errors.push({ field: 'items', message: `Une réponse compte au plus ${frenchNumber(MAX_HELP_ITEMS)} éléments d’aide.` });
  const items = received.inputs.map((input) => {
    const item: DraftItem = {};
    for (const [field, value] of Object.entries(input)) {
      if (typeof value === 'boolean') item[field] = value;
      else if (typeof value === 'string' && value.trim() !== '') item[field] = value.trim();
    }
    return item;
  });
  items.forEach((item, index) => {
    for (const [field, value] of Object.entries(item)) {
      if (typeof value === 'string' && value.length > ITEM_FIELD_MAX)
        errors.push({
          field: `items[${index}].${field}`,
          message: `Ce champ ne doit pas dépasser ${frenchNumber(ITEM_FIELD_MAX)} caractères.`,
        });
    }
  });
  const kept = items.filter((item) => Object.keys(item).length > 0);
  return { content: body || kept.length ? { body, items: kept } : null, errors };
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * When a draft was saved, on the request's clock as the page's other times: « 6 décembre 2026 » and « 14 h 32 », the
 * hour as French prose writes it (the notice reads « Brouillon enregistré le … à 14 h 32 »).
 */
export function draftSavedAt(savedAt: Date, departmentCode: string | null): { day: string; time: string } {
  const { zone } = clockOf(departmentCode);
  let format = dayFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('fr-FR', { timeZone: zone, dateStyle: 'long', timeStyle: 'short' });
    dayFormats.set(zone, format);
  }
  const parts = format.formatToParts(savedAt);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const day = Number(part('day'));
  return {
    day: `${day === 1 ? '1er' : day} ${part('month')} ${part('year')}`,
    time: `${Number(part('hour'))} h ${part('minute')}`,
  };
}
