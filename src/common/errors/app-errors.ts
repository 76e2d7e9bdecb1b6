import { HttpStatus } from '@nestjs/common';

export interface FieldError {
  field: string;
  message: string;
}

/** Every error the service answers on purpose, with its HTTP status, mapped once here. */
export const ERROR_STATUS = {
  validation_failed: HttpStatus.BAD_REQUEST,
  malformed_body: HttpStatus.BAD_REQUEST,
  /** A form whose anti-forgery token is missing, wrong or from an ended session. */
  form_expired: HttpStatus.BAD_REQUEST,
  not_eligible: HttpStatus.UNPROCESSABLE_ENTITY,
  idempotency_key_reused: HttpStatus.UNPROCESSABLE_ENTITY,
  unauthorized: HttpStatus.UNAUTHORIZED,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  /** A move decided on the request as it was read (`seenState`), refused because it changed since: the body gives it as it is now. */
  changed_meanwhile: HttpStatus.CONFLICT,
  /** A one-time form sent again with other content (a duplicated tab): refused, its text given back. */
  form_already_sent: HttpStatus.CONFLICT,
  /** A save whose If-Match names no longer the resource as it is (RFC 9110 §13.1.1). */
  precondition_failed: HttpStatus.PRECONDITION_FAILED,
  /** What a link opened and no longer does, said so rather than « not found » (a survey past its date). */
  gone: HttpStatus.GONE,
  payload_too_large: HttpStatus.PAYLOAD_TOO_LARGE,
  unsupported_media_type: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  rate_limited: HttpStatus.TOO_MANY_REQUESTS,
  service_unavailable: HttpStatus.SERVICE_UNAVAILABLE,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface Pointer {
  label: string;
  url: string;
}

/** A page shown to a person instead of the error page (the sign-in page, when a session ended under a form). */
export interface ErrorPage {
  view: string;
  locals: Record<string, unknown>;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors: FieldError[] = [],
    /** `heading`: the page's title for people, where the status' own would misname what happened (a 410 the buyer asked for). */
    /** `seenState`: the request as it is now, to send with a move retried knowingly (a `changed_meanwhile` refusal to one who sees it). */
    readonly extra: {
      pointers?: Pointer[];
      retryAfterSeconds?: number;
      redirectTo?: string;
      heading?: string;
      page?: ErrorPage;
      seenState?: string;
    } = {},
  ) {
    super(message);
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export class ValidationFailed extends AppError {
  constructor(errors: FieldError[]) {
    super('validation_failed', 'La demande contient des erreurs.', errors);
  }
}

/** A move the request's state does not allow now (409): shown beside the action the person tried. */
export class ActionRefused extends AppError {
  constructor(message: string) {
    super('conflict', message, [{ field: 'action', message }]);
  }
}

/** A move refused (409) as the request is now, said above its page or form rather than beside a field. */
export function isRefusal(error: AppError): boolean {
  return error.code === 'conflict' || error.code === 'changed_meanwhile';
}

export class NotFound extends AppError {
  /** `message`: only for one who may know why it is gone (a former holder); anyone else reads the bare words. */
  constructor(message = 'Page ou demande introuvable.') {
    super('not_found', message);
  }
}
