import type { Environment } from 'nunjucks';

const PARIS_DATE = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'long' });
const PARIS_DATE_TIME = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'long', timeStyle: 'short' });

/** A date written out in French: the first of the month is « 1er », which Intl leaves as « 1 ». */
function frenchDate(format: Intl.DateTimeFormat, value: string | Date): string {
  return format
    .formatToParts(new Date(value))
    .map((part) => (part.type === 'day' && Number(part.value) === 1 ? '1er' : part.value))
    .join('');
}

// Names and nouns starting with a vowel take « d’ »; h is left alone (« de Hugues » and « d’Hélène » both occur).
const ELIDED = /^[aeiouyàâäéèêëîïôöùûüœæ]/i;

/**
 * « de » joined to what follows as French writes it: « du modèle », « des filtres », « d’Élise », « de la fiche ».
 * `text` is a noun phrase with its article (« le modèle ») or a name.
 */
export function ofPhrase(text: string): string {
  if (text.startsWith('le ')) return `du ${text.slice(3)}`;
  if (text.startsWith('les ')) return `des ${text.slice(4)}`;
  if (ELIDED.test(text)) return `d’${text}`;
  return `de ${text}`;
}

/**
 * The full stop after a quotation that ends a sentence: none when the quotation ends with its own
 * (« … la garde. » and « … ? » close the sentence already).
 */
export function stopAfterQuote(quoted: string): string {
  return /[.!?…]\s*$/.test(quoted) ? '' : '.';
}

/** Dates, numbers and « de » as French readers expect them, in pages and e-mails alike. */
export function addFrenchFilters(env: Environment): Environment {
  env.addFilter('frDate', (value: string | Date) => (value ? frenchDate(PARIS_DATE, value) : ''));
  env.addFilter('frDateTime', (value: string | Date) => (value ? frenchDate(PARIS_DATE_TIME, value) : ''));
  // A time limit says its time zone, as tender notices do: read overseas as local time, it would be hours off.
  env.addFilter('frDeadline', (value: string | Date) => (value ? `${frenchDate(PARIS_DATE_TIME, value)} (heure de Paris)` : ''));
  env.addFilter('frNumber', (value: number | string | null | undefined) =>
    value === null || value === undefined || value === '' ? '' : Number(value).toLocaleString('fr-FR'),
  );
  env.addFilter('de', (text: string) => ofPhrase(String(text)));
  env.addFilter('stopAfterQuote', (text: unknown) => stopAfterQuote(String(text ?? '')));
  return env;
}
