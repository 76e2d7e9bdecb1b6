import { AppError, FieldError } from '../common/errors/app-errors';

export interface FormModel {
  values: Record<string, unknown>;
  errors: Record<string, string>;
  errorList: FieldError[];
}

/** What form-macros.njk reads: the values as typed, and the errors by field and as a list for the summary. */
export function formModel(values: Record<string, unknown> = {}, errors: FieldError[] = []): FormModel {
  return { values, errors: Object.fromEntries(errors.map((e) => [e.field, e.message])), errorList: errors };
}

/** Field errors and refused moves re-render the form (400 by the caller); anything else goes to the error page. */
export async function onFieldErrors(
  work: () => Promise<unknown>,
  refuse: (errors: FieldError[]) => Promise<void> | void,
  done: () => void,
): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof AppError && ['validation_failed', 'conflict'].includes(error.code)) return refuse(error.errors);
    throw error;
  }
  done();
}
