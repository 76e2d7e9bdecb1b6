import type { FieldError } from '../common/errors/app-errors';

export interface FormModel {
  values: Record<string, unknown>;
  errors: Record<string, string>;
  errorList: FieldError[];
}

/** What form-macros.njk reads: the values as typed, and the errors by field and as a list for the summary. */
export function formModel(values: Record<string, unknown> = {}, errors: FieldError[] = []): FormModel {
  return { values, errors: Object.fromEntries(errors.map((e) => [e.field, e.message])), errorList: errors };
}
