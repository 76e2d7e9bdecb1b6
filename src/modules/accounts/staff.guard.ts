import { applyDecorators, CanActivate, createParamDecorator, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Reflector } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import { AppError, NotFound } from '../../common/errors/app-errors';
import { ErrorResponseDto } from '../../common/errors/error-response.dto';
import { wantsJson } from '../../common/errors/error-responder';
import { formLeftBehind, postedFromThisSite, readUnreadForm, rememberFormPage } from '../../web/form-left-behind';
import { formReturnPath } from '../../web/form-left-behind.policy';
import { ReferenceService } from '../reference/reference.service';
import { typedHelpItemLines } from '../requests/help-item.policy';
import type { StaffPrincipal, StaffRole, StaffSessionRef } from './accounts.types';
import { CSRF_FIELD, CSRF_HEADER, CsrfService } from './csrf.service';
import { PageRoutes } from './page-routes';
import { ApiRepeatableWrites } from './repeated-action.interceptor';
import { signInPage } from './sign-in-page';
import { StaffAuth, StaffAuthService, StaffRequest } from './staff-auth.service';

const ROLES_KEY = 'gv:staff-roles';
const CSRF_IN_HANDLER_KEY = 'gv:csrf-in-handler';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Only these roles reach the route; any other signed-in person gets 404, as if it did not exist. */
export const StaffRoles = (...roles: StaffRole[]) => SetMetadata(ROLES_KEY, roles);

/**
 * For handlers whose body the guard cannot read yet (multipart, parsed after the guards): the
 * handler must call CsrfService.assertValid(session, token) itself once the body is parsed.
 */
export const CsrfCheckedInHandler = () => SetMetadata(CSRF_IN_HANDLER_KEY, true);

/** OpenAPI for a staff JSON controller: a bearer token (or the session), the 401 without either, and what its writes share. */
export const ApiStaffAccess = () =>
  applyDecorators(
    ApiBearerAuth(),
    ApiRepeatableWrites(),
    ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'Jeton d’accès (créé dans « Mon compte ») ou session requis' }),
  );

/** The signed-in person (set by StaffGuard). */
export const CurrentStaff = createParamDecorator((_data: unknown, context: ExecutionContext): StaffPrincipal => {
  return authOf(context).principal;
});

/** The session behind the request ({ id: null } for a bearer token), for CsrfService.assertValid. */
export const CurrentStaffSession = createParamDecorator((_data: unknown, context: ExecutionContext): StaffSessionRef => {
  return authOf(context).session;
});

function authOf(context: ExecutionContext): StaffAuth {
  const auth = context.switchToHttp().getRequest<StaffRequest>().staffAuth;
  if (!auth) throw new Error('CurrentStaff used on a route without StaffGuard');
  return auth;
}

/**
 * Staff-only routes. No valid identity: pages redirect (303) to /connexion?retour=<path>; /api/ routes and programs
 * (a bearer token, on the CSV exports too: wantsJson) answer 401 JSON with WWW-Authenticate; a form sent from a page
 * gets the sign-in page (401) with what it held and its page to return to. Wrong role: 404. Unsafe methods from a
 * session must carry the CSRF token (hidden field _csrf, or header X-CSRF-Token for scripts).
 */
@Injectable()
export class StaffGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: StaffAuthService,
    private readonly csrf: CsrfService,
    private readonly pages: PageRoutes,
    private readonly reference: ReferenceService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<StaffRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    const fromForm =
      !SAFE_METHODS.has(req.method) && !wantsJson(req) && !!req.is(['application/x-www-form-urlencoded', 'multipart/form-data']);
    // Whatever happens to the form (an ended session, a stale token), the person is led back to its page, at its section.
    if (fromForm)
      rememberFormPage(
        res,
        formReturnPath(req.path, (path) => this.pages.has(path)),
        (items) => typedHelpItemLines(items, (code) => this.reference.legalReference(code)?.label),
      );
    const auth = await this.auth.authenticate(req, res);
    if (!auth) throw fromForm ? await this.sessionEndedUnderForm(req, res) : signInRequired(req, res);
    const roles = this.reflector.getAllAndOverride<StaffRole[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    if (roles && !roles.includes(auth.principal.role)) throw new NotFound();
    const checkedInHandler = this.reflector.getAllAndOverride<boolean>(CSRF_IN_HANDLER_KEY, [context.getHandler(), context.getClass()]);
    if (!SAFE_METHODS.has(req.method) && !checkedInHandler) {
      this.csrf.assertValid(auth.session, (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD] ?? req.header(CSRF_HEADER));
    }
    return true;
  }

  /** Nothing of the form was taken: the sign-in page says so, shows its text and help items to copy, and returns to its page. */
  private async sessionEndedUnderForm(req: Request, res: Response): Promise<AppError> {
    if (postedFromThisSite(req)) await readUnreadForm(req, res);
    const leftBehind = formLeftBehind(req, res);
    return new AppError('unauthorized', 'Votre session a expiré : ce que vous avez envoyé n’a pas été enregistré.', [], {
      page: signInPage(this.csrf, req, res, { email: '', retour: leftBehind.page }, [], leftBehind),
    });
  }
}

/**
 * The same check for plain Express mounts (the queue dashboard): one role, nothing else. The
 * service is looked up at the first request: a worker-only process mounts the board without it.
 */
export function staffOnlyMiddleware(auth: () => StaffAuthService, role: StaffRole) {
  return (req: Request, res: Response, next: NextFunction) => {
    auth()
      .authenticate(req, res)
      .then((found) => next(!found ? signInRequired(req, res) : found.principal.role !== role ? new NotFound() : undefined), next);
  };
}

/** A program (the API, a script's bearer token on an export) is told to authenticate; a person is sent to sign in. */
function signInRequired(req: Request, res: Response): AppError {
  if (wantsJson(req)) {
    res.setHeader('WWW-Authenticate', 'Bearer realm="Guichet vert"');
    return new AppError('unauthorized', 'Authentification requise : jeton d’accès (Authorization: Bearer …) ou session.');
  }
  const retour = req.method === 'GET' ? req.originalUrl : '/espace';
  return new AppError('unauthorized', 'Connectez-vous pour accéder à cette page.', [], {
    redirectTo: `/connexion?retour=${encodeURIComponent(retour)}`,
  });
}
