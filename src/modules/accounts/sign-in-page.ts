import type { Request, Response } from 'express';
import type { ErrorPage, FieldError } from '../../common/errors/app-errors';
import type { FormLeftBehind } from '../../web/form-left-behind';
import { formModel } from '../../web/form-model';
import type { CsrfService } from './csrf.service';

/**
 * The sign-in page: asked for, sent back with an error, or shown in place of a staff form whose session ended
 * (`leftBehind`: what it held, to copy, and its page to return to once signed in).
 */
export function signInPage(
  csrf: CsrfService,
  req: Request,
  res: Response,
  values: { email: string; retour: string },
  errors: FieldError[] = [],
  leftBehind: FormLeftBehind | null = null,
): ErrorPage {
  return {
    view: 'sign-in',
    locals: {
      title: leftBehind ? 'Session expirée' : 'Connexion',
      form: formModel(values, errors),
      csrf: csrf.preSessionToken(req, res),
      signedOut: req.query.deconnecte === '1',
      leftBehind,
    },
  };
}
