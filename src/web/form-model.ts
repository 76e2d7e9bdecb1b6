import { AppError, FieldError } from '../common/errors/app-errors';
import { inFormWords } from '../common/validation';

export interface FormModel {
  values: Record<string, unknown>;
  errors: Record<string, string>;
  errorList: FieldError[];
  /** Set where one page holds several forms: their fields' ids start with it. */
  idPrefix?: string;
}

/** What form-macros.njk reads: the values as typed, and the errors by field and as a list for the summary. */
export function formModel(values: Record<string, unknown> = {}, fieldErrors: FieldError[] = []): FormModel {
  const errors = inFormWords(fieldErrors);
  return { values, errors: Object.fromEntries(errors.map((e) => [e.field, e.message])), errorList: errors };
}

/** The errors a form shows to the person (a typo, a refused move, a file too large or of a refused type). */
const FIELD_ERROR_CODES = ['validation_failed', 'conflict', 'changed_meanwhile', 'payload_too_large', 'unsupported_media_type'];

/**
 * Field errors and refused moves re-render the form (with the error's status, or one the caller chooses);
 * anything else goes to the error page.
 */
export async function onFieldErrors<T>(
  work: () => Promise<T>,
  refuse: (errors: FieldError[], error: AppError) => Promise<void> | void,
  done: (result: T) => void,
): Promise<void> {
  let result: T;
  try {
    result = await work();
  } catch (error) {
    // A limit reached is shown on the form only where the service named the field it concerns.
    const onAField =
      error instanceof AppError && (FIELD_ERROR_CODES.includes(error.code) || (error.code === 'rate_limited' && error.errors.length > 0));
    if (onAField) return refuse(error.errors, error);
    throw error;
  }
  done(result);
}
