import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { isEmail } from 'class-validator';
import type { FieldError } from '../../common/errors/app-errors';
import { MAILBOX_OPTIONS } from '../../common/validation';

export const PASSWORD_MIN_LENGTH = 12;
/** argon2 works on bytes; past this a long paste is refused rather than hashed. */
export const PASSWORD_MAX_LENGTH = 200;

/** zxcvbn's scale: 3 is « safely unguessable » (about 10^10 guesses), what it advises against offline attacks too. */
const MIN_STRENGTH = 3;

let estimator: ZxcvbnFactory | undefined;
function passwordEstimator(): ZxcvbnFactory {
  if (!estimator) {
    // Loaded on the first password checked, not at import: its dictionaries take some 35 MB, in every process else.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { ZxcvbnFactory: Factory } = require('@zxcvbn-ts/core') as typeof import('@zxcvbn-ts/core');
    const common = require('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
    const french = require('@zxcvbn-ts/language-fr') as typeof import('@zxcvbn-ts/language-fr');
    /* eslint-enable @typescript-eslint/no-require-imports */
    estimator = new Factory({
      dictionary: { ...common.dictionary, ...french.dictionary },
      graphs: common.adjacencyGraphs,
      translations: french.translations,
    });
  }
  return estimator;
}

/**
 * The password rule, with French field errors (none when the password is acceptable): long enough, and not easy to
 * guess — repeated characters, keyboard rows, common words and passwords, the person's own address (zxcvbn).
 */
export function passwordProblems(password: unknown, email: string, field = 'password'): FieldError[] {
  if (typeof password !== 'string' || password === '') return [{ field, message: 'Saisissez un mot de passe.' }];
  if ([...password].length < PASSWORD_MIN_LENGTH) {
    return [{ field, message: `Le mot de passe doit compter au moins ${PASSWORD_MIN_LENGTH} caractères.` }];
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    return [{ field, message: `Le mot de passe doit compter au plus ${PASSWORD_MAX_LENGTH} caractères.` }];
  }
  if (password.trim().toLowerCase() === email.trim().toLowerCase()) {
    return [{ field, message: 'Le mot de passe ne doit pas être votre adresse électronique.' }];
  }
  const { score, feedback } = passwordEstimator().check(
    password,
    email
      .toLowerCase()
      .split(/[@.\-_+]/)
      .filter(Boolean),
  );
  if (score < MIN_STRENGTH) {
    const advice = [feedback.warning, ...feedback.suggestions].filter(Boolean).map((text) => sentence(text!));
    const hint = advice.length ? advice.join(' ') : 'Allongez-le, par exemple avec une phrase de plusieurs mots.';
    return [{ field, message: `Ce mot de passe est trop facile à deviner. ${hint}` }];
  }
  return [];
}

/** zxcvbn's French advice, as a sentence of the message: French quotes, a final stop. */
function sentence(text: string): string {
  const quoted = text.replace(/'([^']+)'/g, '« $1 »');
  return /[.!?]$/.test(quoted) ? quoted : `${quoted}.`;
}

const DEFAULT_RETURN = '/espace';

/**
 * Where to go after sign-in: only a local path (a single leading "/", no backslash, no control
 * character), so that a crafted link cannot send the person to another site.
 */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2000) return DEFAULT_RETURN;
  if (!value.startsWith('/') || value.startsWith('//') || /[\\\u0000-\u001f\u007f]/.test(value)) return DEFAULT_RETURN;
  return value;
}

export function normalizeEmail(value: unknown): string {
  return typeof value === 'string' ? value.trim().toLowerCase() : '';
}

/**
 * Staff and directory addresses: letters with accents before the @ are refused — few mail servers take them, and
 * they are mostly a name typed as spoken (« hélène.dupré@… ») for an address that has none.
 */
export const STAFF_EMAIL_OPTIONS = { ...MAILBOX_OPTIONS, allow_utf8_local_part: false };

/** The French message for an address that cannot be one (over 254 characters included), or null. */
export function emailProblem(email: string): string | null {
  return isEmail(email, MAILBOX_OPTIONS) ? null : 'Indiquez une adresse électronique valide, par exemple nom@exemple.fr.';
}

/** emailProblem, for a staff account's address (see STAFF_EMAIL_OPTIONS). */
export function staffEmailProblem(email: string): string | null {
  return (
    emailProblem(email) ??
    (isEmail(email, STAFF_EMAIL_OPTIONS)
      ? null
      : 'Adresse électronique sans lettre accentuée avant le @, par exemple helene.dupre@exemple.fr.')
  );
}
