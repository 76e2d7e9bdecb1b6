import { frenchNumber } from '../../common/french-format';
import type { FieldError } from '../../common/errors/app-errors';
import { unknownField } from '../../common/validation';
import {
  HELP_ITEM_TYPE_LABELS,
  HELP_ITEM_TYPES,
  HelpItem,
  HelpItemType,
  REFERRAL_TARGET_LABELS,
  REFERRAL_TARGETS,
} from './request-message.types';

/** As received from a form or the API: anything may be missing or of the wrong type. */
export interface HelpItemInput {
  type?: unknown;
  title?: unknown;
  url?: unknown;
  /** The id given to a file uploaded with the answer (or already stored for this request). */
  attachmentId?: unknown;
  legalReferenceCode?: unknown;
  peerName?: unknown;
  peerOrganisation?: unknown;
  peerContact?: unknown;
  peerConsent?: unknown;
  referralTarget?: unknown;
  details?: unknown;
}

export const MAX_HELP_ITEMS = 20;
const TITLE_MAX = 200;
const URL_MAX = 2000;
const DETAILS_MAX = 2000;
const WEB_ADDRESS = /^https?:\/\/[^\s/?#]+\.[^\s/?#]+[^\s]*$/i;

/** The order in which the answer form shows an item's fields: its errors are listed in that order. */
const FORM_ORDER: ReadonlyArray<keyof HelpItem> = [
  'title',
  'url',
  'attachmentId',
  'legalReferenceCode',
  'peerName',
  'peerOrganisation',
  'peerContact',
  'peerConsent',
  'referralTarget',
  'details',
];

/** Every field an item may carry, whatever its type: a form posts them all, and `cleaned` keeps its type's. */
const INPUT_FIELDS: ReadonlySet<string> = new Set(['type', ...FORM_ORDER]);

/**
 * The items as received, from JSON (an array) or a form (`items[0][type]`… parsed as an object or array). A form's
 * blank slots (no type chosen) are dropped; what is not an item — not a list, an entry that is not an object, a field
 * no item has or whose value is not text — is an error, not silently left out.
 */
export function helpItemInputs(items: unknown): { inputs: HelpItemInput[]; errors: FieldError[] } {
  if (items === undefined || items === null || items === '') return { inputs: [], errors: [] };
  if (typeof items !== 'object') return { inputs: [], errors: [{ field: 'items', message: 'Les éléments d’aide forment une liste.' }] };
  const errors: FieldError[] = [];
  const inputs: HelpItemInput[] = [];
  (Array.isArray(items) ? items : Object.values(items)).forEach((item: unknown, index) => {
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      errors.push({ field: `items[${index}]`, message: 'Chaque élément d’aide est un objet : son type et ses champs.' });
      return;
    }
    for (const [field, value] of Object.entries(item)) {
      if (!INPUT_FIELDS.has(field)) errors.push(unknownField(`items[${index}].${field}`));
      else if (value !== null && typeof value !== 'string' && !(field === 'peerConsent' && typeof value === 'boolean'))
        errors.push({ field: `items[${index}].${field}`, message: 'Ce champ attend un texte.' });
    }
    if ((item as HelpItemInput).type !== '') inputs.push(item as HelpItemInput);
  });
  return { inputs, errors };
}

/** What each type carries; the rest is dropped. */
export const HELP_ITEM_FIELDS: Record<HelpItemType, ReadonlyArray<keyof HelpItem>> = {
  guide: ['title', 'url', 'attachmentId'],
  tender_file: ['title', 'attachmentId'],
  regulation: ['legalReferenceCode', 'details'],
  peer: ['peerName', 'peerOrganisation', 'peerContact', 'peerConsent', 'details'],
  referral: ['referralTarget', 'details'],
};

/**
 * Checks and cleans an answer's help items. Errors name the field as `items[i].field`, in French.
 * `attachmentIds` are the files this answer may point to (its uploads); `isKnownLegalReference` is the seeded list.
 */
export function checkHelpItems(
  inputs: HelpItemInput[],
  attachmentIds: ReadonlySet<string>,
  isKnownLegalReference: (code: string) => boolean,
  attachedNames: readonly string[] = [],
): { items: HelpItem[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (inputs.length > MAX_HELP_ITEMS) {
    return { items: [], errors: [{ field: 'items', message: `Une réponse porte au plus ${MAX_HELP_ITEMS} éléments d’aide.` }] };
  }
  const items = inputs.map((input, index) => {
    const fail = (field: string, message: string) => errors.push({ field: `items[${index}].${field}`, message });
    const type = HELP_ITEM_TYPES.find((t) => t === input.type);
    if (!type) {
      fail('type', 'Choisissez le type d’aide (guide, exemple de DCE, rappel réglementaire, mise en relation ou orientation).');
      return null;
    }
    const item = cleaned(input, type);
    for (const [field, message] of problems(item, attachmentIds, isKnownLegalReference, attachedNames)) fail(field, message);
    return item;
  });
  return { items: errors.length ? [] : (items as HelpItem[]), errors };
}

function problems(
  item: HelpItem,
  attachmentIds: ReadonlySet<string>,
  isKnown: (code: string) => boolean,
  attachedNames: readonly string[],
): Array<[keyof HelpItem, string]> {
  const found: Array<[keyof HelpItem, string]> = [];
  if (item.title !== null && item.title.length > TITLE_MAX)
    found.push(['title', `Le titre ne doit pas dépasser ${frenchNumber(TITLE_MAX)} caractères.`]);
  if (item.details !== null && item.details.length > DETAILS_MAX) {
    found.push(['details', `Les précisions ne doivent pas dépasser ${frenchNumber(DETAILS_MAX)} caractères.`]);
  }
  if (item.url !== null && (item.url.length > URL_MAX || !WEB_ADDRESS.test(item.url))) {
    found.push(['url', 'Indiquez une adresse web complète commençant par https:// ou http://.']);
  }
  if (item.attachmentId !== null && !attachmentIds.has(item.attachmentId))
    found.push(['attachmentId', unmatchedFile(item.attachmentId, attachedNames)]);
  switch (item.type) {
    case 'guide':
      if (!item.title) found.push(['title', 'Indiquez le titre du guide ou du document.']);
      if (!item.url && !item.attachmentId) found.push(['url', 'Indiquez l’adresse du guide ou joignez le document.']);
      break;
    case 'tender_file':
      if (!item.attachmentId) found.push(['attachmentId', 'Joignez le fichier de l’exemple de DCE.']);
      break;
    case 'regulation':
      if (!item.legalReferenceCode || !isKnown(item.legalReferenceCode))
        found.push(['legalReferenceCode', 'Choisissez le texte dans la liste.']);
      break;
    case 'peer':
      if (!item.peerName) found.push(['peerName', 'Indiquez le nom de l’acheteur à contacter.']);
      if (!item.peerOrganisation) found.push(['peerOrganisation', 'Indiquez son organisation.']);
      if (!item.peerContact) found.push(['peerContact', 'Indiquez comment le joindre (courriel ou téléphone).']);
      if (item.peerConsent !== true)
        found.push(['peerConsent', 'Confirmez que cet acheteur a accepté que ses coordonnées soient transmises.']);
      break;
    case 'referral':
      if (!item.referralTarget) found.push(['referralTarget', 'Choisissez vers qui vous orientez l’acheteur.']);
      else if (item.referralTarget === 'other' && !item.details) found.push(['details', 'Précisez vers qui vous orientez l’acheteur.']);
      break;
  }
  return found.sort(([a], [b]) => FORM_ORDER.indexOf(a) - FORM_ORDER.indexOf(b));
}

function cleaned(input: HelpItemInput, type: HelpItemType): HelpItem {
  const keep = new Set(HELP_ITEM_FIELDS[type]);
  const text = (field: keyof HelpItem, value: unknown): string | null =>
    keep.has(field) && typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
  const target = text('referralTarget', input.referralTarget);
  return {
    type,
    title: text('title', input.title),
    url: text('url', input.url),
    attachmentId: text('attachmentId', input.attachmentId),
    legalReferenceCode: text('legalReferenceCode', input.legalReferenceCode),
    peerName: text('peerName', input.peerName),
    peerOrganisation: text('peerOrganisation', input.peerOrganisation),
    peerContact: text('peerContact', input.peerContact),
    peerConsent: keep.has('peerConsent') ? input.peerConsent === true || input.peerConsent === 'true' || input.peerConsent === 'on' : null,
    // An unknown target reads as none chosen: the same message asks to choose one.
    referralTarget: REFERRAL_TARGETS.find((t) => t === target) ?? null,
    details: text('details', input.details),
  };
}

/**
 * Which of the files sent with an answer a help item names (`typed`, as written in its file field): the file's name,
 * whatever the case and surrounding spaces, or that name without its extension when no other file shares it
 * (« CCTP » for « CCTP.pdf »). The index of the file, or undefined.
 */
export function namedFileIndex(typed: string, fileNames: readonly string[]): number | undefined {
  const wanted = typed.trim().toLowerCase();
  if (!wanted) return undefined;
  const names = fileNames.map((name) => name.trim().toLowerCase());
  const exact = names.indexOf(wanted);
  if (exact >= 0) return exact;
  const stems = names.map((name) => name.replace(/\.[^.]+$/, ''));
  const matching = stems.flatMap((stem, index) => (stem === wanted ? [index] : []));
  return matching.length === 1 ? matching[0] : undefined;
}

/** A file named in an item that none of the answer's files matches: which names would. */
function unmatchedFile(typed: string, attachedNames: readonly string[]): string {
  if (!attachedNames.length) return `Joignez ci-dessous le fichier « ${typed} », ou retirez son nom.`;
  return `Aucun des fichiers joints ne s’appelle « ${typed} » : écrivez le nom de l’un d’eux (${attachedNames.map((n) => `« ${n} »`).join(', ')}).`;
}

/**
 * The help items as typed, one line each (« Guide ou document : Titre — https://… »): shown to copy when the answer
 * form is gone with the state that allowed it. A chosen text or referral reads as the form showed it, by its label
 * (`legalReferenceLabel`, from the seeded list), never by its internal code. Items without a type, and boxes ticked,
 * say nothing.
 */
export function typedHelpItemLines(items: unknown, legalReferenceLabel: (code: string) => string | undefined): string[] {
  return helpItemInputs(items).inputs.flatMap((input) => {
    const type = HELP_ITEM_TYPES.find((t) => t === input.type);
    if (!type) return [];
    const typed = FORM_ORDER.flatMap((field) => {
      const value = input[field];
      if (typeof value !== 'string' || value.trim() === '' || value === 'on') return [];
      const text = value.trim();
      if (field === 'legalReferenceCode') return [legalReferenceLabel(text) ?? text];
      if (field === 'referralTarget') {
        const target = REFERRAL_TARGETS.find((t) => t === text);
        return [target ? REFERRAL_TARGET_LABELS[target] : text];
      }
      return [text];
    });
    return [`${HELP_ITEM_TYPE_LABELS[type]} : ${typed.join(' — ')}`];
  });
}
