import type { Environment } from 'nunjucks';
import { clockOf, lastMinuteOf } from './local-clock';
import { workingEndOf } from './working-days.policy';

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A date (`withTime`: and time) in a département's time; Paris's without one. */
function localFormat(departmentCode: unknown, withTime: boolean): Intl.DateTimeFormat {
  const { zone } = clockFor(departmentCode);
  const key = `${zone}:${withTime}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat('fr-FR', { timeZone: zone, dateStyle: 'long', ...(withTime ? { timeStyle: 'short' } : {}) });
    dateFormats.set(key, format);
  }
  return format;
}

/** A template may pass anything: what is not a département code reads as Paris. */
function clockFor(departmentCode: unknown) {
  return clockOf(typeof departmentCode === 'string' ? departmentCode : null);
}

/** A date written out in French: the first of the month is « 1er », which Intl leaves as « 1 ». */
function frenchDate(format: Intl.DateTimeFormat, value: string | Date): string {
  return format
    .formatToParts(new Date(value))
    .map((part) => (part.type === 'day' && Number(part.value) === 1 ? '1er' : part.value))
    .join('');
}

/**
 * A time limit in a département's time. One that falls at the stroke of midnight ends the day before: written as that
 * day (`withTime`: « au soir », the whole of that day, where « à 24:00 » read oddly), never as the next day « à 00:00 »;
 * after days off, as the last working day before them (`workingEndOf`).
 */
function deadlineText(value: string | Date, departmentCode: unknown, withTime: boolean): string {
  const instant = workingEndOf(new Date(value), typeof departmentCode === 'string' ? departmentCode : null);
  const timed = localFormat(departmentCode, true);
  const time = timed.formatToParts(instant).filter((part) => part.type === 'hour' || part.type === 'minute');
  const atMidnight = time.length === 2 && time.every((part) => Number(part.value) === 0);
  if (!atMidnight) return frenchDate(withTime ? timed : localFormat(departmentCode, false), instant);
  const dayBefore = frenchDate(localFormat(departmentCode, false), lastMinuteOf(instant));
  return withTime ? `${dayBefore} au soir` : dayBefore;
}

const calendarDays = new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', dateStyle: 'long' });

/** A calendar day ('YYYY-MM-DD', no time, no zone) written out in French: « 1er décembre 2026 ». */
export function frenchDay(day: string): string {
  return frenchDate(calendarDays, `${day}T00:00:00Z`);
}

/** A count as French writes it: « 10 000 », a narrow no-break space between thousands. */
export function frenchNumber(value: number): string {
  return value.toLocaleString('fr-FR');
}

const VOWEL = 'aeiouàâäéèêëîïôöùûüœæ';
/**
 * What « de » elides before: a vowel; a y sounded [i], before a consonant (« d’Yves », but « de Yann », « de Yolande »);
 * a mute h, as in the first names below (« d’Hélène », « d’Henri »). Spelling cannot tell a mute h from an aspirated
 * one (« de Hugues », « de Haute-Savoie »): any other h keeps « de ».
 */
const ELIDED = new RegExp(
  `^([${VOWEL}]|y[^${VOWEL}y\\s]|h(?:${[
    'adrien',
    'armonie',
    'ector',
    'élène',
    'éloïse',
    'enri',
    'ermine',
    'ervé',
    'ippolyte',
    'onoré',
    'ortense',
    'ubert',
    'ugo\\b',
  ].join('|')}))`,
  'i',
);

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
 * The article of the nouns structures are named by (« Maison de l’emploi de Carcassonne », « PLIE du Grand Narbonne »),
 * by their first word, without accents and lower-cased: the name alone does not say whether it takes « du » or « de la ».
 */
const MASCULINE_STRUCTURES = ['plie', 'departement', 'conseil', 'gip', 'ccas', 'cias', 'epci', 'esat', 'syndicat', 'centre'];
const MORE_MASCULINE = ['groupement', 'service', 'comite', 'etablissement', 'office', 'pays', 'grand', 'hopital', 'institut'];
/** Mute h: « de l’Hôpital ». */
const MUTE_H_STRUCTURES = ['hopital'];
const PLURAL_STRUCTURES = ['services', 'ateliers', 'chantiers'];
const FEMININE_STRUCTURES = ['maison', 'mission', 'communaute', 'metropole', 'agglomeration', 'agglo', 'region', 'ville', 'mairie'];
const MORE_FEMININE = ['commune', 'collectivite', 'direction', 'agence', 'association', 'union', 'federation', 'plateforme', 'chambre'];
const STRUCTURE_ARTICLES = new Map<string, 'le' | 'la' | 'les'>([
  ...PLURAL_STRUCTURES.map((noun) => [noun, 'les'] as const),
  ...[...MASCULINE_STRUCTURES, ...MORE_MASCULINE].map((noun) => [noun, 'le'] as const),
  ...[...FEMININE_STRUCTURES, ...MORE_FEMININE].map((noun) => [noun, 'la'] as const),
]);

/**
 * « de » before a structure's name, with the article its first noun takes: « de la Maison de l’emploi de Carcassonne »,
 * « du PLIE du Grand Narbonne », « de l’Agence… »; a name typed with its article keeps it (« La Mission locale »); any
 * other name is read as a proper name, without article (« de France Travail », « d’Ensemble »).
 */
export function ofOrganisation(name: string): string {
  const article = /^(le|la|les) (.*)$/i.exec(name) ?? /^(l)[’'](.*)$/i.exec(name);
  if (article) return ofPhrase(`${article[1].toLowerCase()}${article[1].length === 1 ? '’' : ' '}${article[2]}`);
  const noun = name
    .split(/[\s’'-]/)[0]
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
  const known = STRUCTURE_ARTICLES.get(noun);
  if (known === undefined) return ofPhrase(name);
  if (known === 'les') return `des ${name}`;
  if (ELIDED.test(name) || MUTE_H_STRUCTURES.includes(noun)) return `de l’${name}`;
  return known === 'le' ? `du ${name}` : `de la ${name}`;
}

/**
 * A network's name after the word « réseau » of a sentence: « Réseau Grand Est » is « du réseau Grand Est », not « du
 * réseau Réseau Grand Est »; « RESECO » stays as it is.
 */
export function afterNetworkWord(name: string): string {
  return name.replace(/^réseau\s+/i, '');
}

/**
 * The full stop after a quotation that ends a sentence: none when the quotation ends with its own
 * (« … la garde. » and « … ? » close the sentence already).
 */
export function stopAfterQuote(quoted: string): string {
  return /[.!?…]\s*$/.test(quoted) ? '' : '.';
}

/**
 * A buyer's text cut to `max` characters at a word, with « … », for a mail's subject or preview: a request's subject
 * tells several mails apart, but may run to a few hundred characters.
 */
export function shortened(text: string, max = 50): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const characters = Array.from(flat);
  if (characters.length <= max) return flat;
  // By characters, not UTF-16 units: a cut emoji would show as « � » in a subject.
  const cut = characters.slice(0, max).join('');
  const space = cut.lastIndexOf(' ');
  // One long word: cut inside it rather than keep a stub of a few letters.
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.!?'’(«—-]+$/, '')}…`;
}

/**
 * A request as every buyer mail's subject names it, its reference then its shortened subject: a buyer with several
 * requests tells their mails apart in one inbox.
 */
export function requestInSubject(reference: string, subject: string): string {
  return `${reference} « ${shortened(subject)} »`;
}

/**
 * Dates, numbers and « de » as French readers expect them, in pages and e-mails alike. Dates are written in Paris
 * time, or in a département's own when its code follows (`{{ at | frDateTime(request.departmentCode) }}`).
 */
export function addFrenchFilters(env: Environment): Environment {
  env.addFilter('afterNetworkWord', (value: string) => afterNetworkWord(String(value ?? '')));
  env.addFilter('frDate', (value: string | Date, departmentCode?: unknown) =>
    value ? frenchDate(localFormat(departmentCode, false), value) : '',
  );
  env.addFilter('frDateTime', (value: string | Date, departmentCode?: unknown) =>
    value ? frenchDate(localFormat(departmentCode, true), value) : '',
  );
  // A time limit says its time zone, as tender notices do: a reader elsewhere would be hours off.
  env.addFilter('frDeadline', (value: string | Date, departmentCode?: unknown) =>
    value ? `${deadlineText(value, departmentCode, true)} (${clockFor(departmentCode).label})` : '',
  );
  // The last day of a time limit, for a buyer told « d’ici le … ».
  env.addFilter('frDueDate', (value: string | Date, departmentCode?: unknown) => (value ? deadlineText(value, departmentCode, false) : ''));
  // Staff pages list requests of any département: a time is named only where it is not Paris's.
  const namedIfNotParis = (text: string, departmentCode: unknown) => {
    const clock = clockFor(departmentCode);
    return clock.zone === clockOf(null).zone ? text : `${text} (${clock.label})`;
  };
  env.addFilter('frLocalDateTime', (value: string | Date, departmentCode?: unknown) =>
    value ? namedIfNotParis(frenchDate(localFormat(departmentCode, true), value), departmentCode) : '',
  );
  env.addFilter('frLocalDeadline', (value: string | Date, departmentCode?: unknown) =>
    value ? namedIfNotParis(deadlineText(value, departmentCode, true), departmentCode) : '',
  );
  env.addFilter('frNumber', (value: number | string | null | undefined) =>
    value === null || value === undefined || value === '' ? '' : frenchNumber(Number(value)),
  );
  env.addFilter('de', (text: string) => ofPhrase(String(text)));
  env.addFilter('shortened', (text: unknown) => shortened(String(text ?? '')));
  env.addFilter('stopAfterQuote', (text: unknown) => stopAfterQuote(String(text ?? '')));
  return env;
}
