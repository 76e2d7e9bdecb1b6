import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { FieldError, ValidationFailed } from './errors/app-errors';

/** Which message to show when a field breaks several rules: missing, then wrong type, then length, then the rest. */
const PRIORITY = [
  'isDefined',
  'whitelistValidation',
  'isString',
  'isIn',
  'isInt',
  'isBoolean',
  'isNotEmptyObject',
  'nestedValidation',
  'minLength',
  'maxLength',
];

/**
 * Field errors as a page shows them: a message shared with the API names the API's date format beside the form's
 * (« … JJ/MM/AAAA dans le formulaire, AAAA-MM-JJ dans l’API. »); a person filling in a form reads the form's alone.
 */
export function inFormWords(errors: FieldError[]): FieldError[] {
  return errors.map((error) => ({
    ...error,
    message: error.message
      .replace(/ dans le formulaire, AAAA-MM-JJ dans l’API\.$/, '.')
      .replace(/ \(AAAA-MM-JJ dans l’API\)\.$/, '.')
      .replace(/ \(codes de l’API : [^)]*\)\.$/, '.'),
  }));
}

/** A choice refused: the form's words, then the codes an API client may send (inFormWords leaves them out). */
export function notInList(message: string, codes: readonly string[]): string {
  return `${message} (codes de l’API : ${codes.join(', ')}).`;
}

/** A field no one asked for, named as the API names fields. */
export function unknownField(field: string): FieldError {
  return { field, message: `Champ inconnu : « ${field} ».` };
}

/** Turns class-validator's tree into one French message per field, named by its dotted path. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const result: FieldError[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const constraints = error.constraints ?? {};
    const names = Object.keys(constraints);
    if (names.length) {
      const chosen = PRIORITY.find((name) => name in constraints) ?? names[0];
      result.push(
        chosen === 'whitelistValidation'
          ? unknownField(field)
          : { field, message: chosen === 'nestedValidation' ? 'Ce champ doit être un objet.' : constraints[chosen] },
      );
    }
    if (error.children?.length) result.push(...flattenValidationErrors(error.children, field));
  }
  return result;
}

/**
 * Typed text as stored: trimmed, its line breaks in one form ("\r\n" from browsers; VT and FF pasted from word
 * processors, NEL, Unicode's line and paragraph separators), its accents composed (NFC: « é » sent by a Mac as « e »
 * and a combining accent counts once in a length limit and matches a search); "" for anything but a string.
 */
export function typedText(value: unknown): string {
  if (typeof value !== 'string') return '';
  const text = value.replace(/\r\n?|[\v\f\u0085\u2028\u2029]/g, '\n').trim();
  // ASCII is its own composed form: most fields skip the normaliser.
  return /[^\x00-\x7f]/.test(text) ? text.normalize('NFC') : text;
}

/**
 * Trims every string of a parsed body, so "  " counts as empty and "38 " as "38", and gives line
 * breaks one form: browsers send "\r\n", API clients usually "\n".
 */
export function trimStrings(value: unknown): unknown {
  if (typeof value === 'string') return typedText(value);
  if (Array.isArray(value)) return value.map(trimStrings);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, trimStrings(v)]));
  }
  return value;
}

/**
 * Checks a parsed JSON body (or query) against a DTO class: shape and types only, one French message
 * per field; unknown fields are refused. Rules needing reference data or the stored state stay in services.
 */
export async function validateBody<T extends object>(dtoClass: ClassConstructor<T>, body: unknown): Promise<T> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new ValidationFailed([{ field: '', message: 'Le corps de la requête doit être un objet JSON.' }]);
  }
  const dto = plainToInstance(dtoClass, trimStrings(body));
  const errors = flattenValidationErrors(await validate(dto, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true }));
  if (errors.length) throw new ValidationFailed(errors);
  return dto;
}

/**
 * An address as mail is sent to it: no quoted local part (`"a b"@exemple.fr` is valid but delivered to another
 * mailbox than the one typed by most mail software, and lets markup into headers).
 */
export const MAILBOX_OPTIONS = { blacklisted_chars: '"' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id as PostgreSQL's uuid type reads it (any version): checked before a lookup, so a malformed id is a 404 or a field error, not a cast error. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
/** A number as people type it: « 1 500 », « 20 % », « 80 000 € » lose their spaces (thin and non-breaking too). */
export function withoutSpaces(typed: string): string {
  return typed.replace(/[\s\u00a0\u202f]/g, '');
}

/**
 * Whole euros as people write them: « 120 000 € », « 120000,00 », « 120.000 » (points between thousands), « -500 » (a
 * number, so the validator says why it is refused); anything else comes back as text, spaces and « € » removed.
 */
export function typedEuros(typed: string): number | string {
  const amount = withoutSpaces(typed).replace(/€/g, '');
  const whole = amount.replace(/[.,]0{1,2}$/, '');
  if (/^-?\d+$/.test(whole)) return Number(whole);
  if (/^-?\d{1,3}(\.\d{3})+$/.test(whole)) return Number(whole.replace(/\./g, ''));
  return amount;
}

const FRENCH_DAY = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;

/**
 * A day typed the French way (« 01/03/2027 », also with . or -) as YYYY-MM-DD, for forms whose browser shows no
 * date picker; anything else is returned as it is, for the usual check to judge.
 */
export function isoDayOf<T>(value: T): T {
  const french = typeof value === 'string' ? FRENCH_DAY.exec(value.trim()) : null;
  if (!french) return value;
  const [, day, month, year] = french;
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}` as T;
}

/** Before it, a day is a typing slip (0202 for 2026), and PostgreSQL refuses year 0 and periods reaching before year 1. */
const FIRST_YEAR = 1900;

/** A day written YYYY-MM-DD that exists in the calendar (2026-02-30 does not), from 1900 on. */
export function isCalendarDay(value: string): boolean {
  if (!ISO_DAY.test(value) || Number(value.slice(0, 4)) < FIRST_YEAR) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** A form's box ticked (`"1"`, alone or among others) or an API's `true`. */
export function isTicked(value: unknown): boolean {
  return value === true || value === '1' || (Array.isArray(value) && value.includes('1'));
}

/** An optional box: absent (or the API's `false`) is unticked; anything but a box's value or a boolean is refused, not guessed. */
export function tickedBox(value: unknown, field: string): boolean {
  if (isTicked(value)) return true;
  if (value === undefined || value === false) return false;
  throw new ValidationFailed([{ field, message: 'Cochez la case ou laissez-la vide (dans l’API : true ou false).' }]);
}
