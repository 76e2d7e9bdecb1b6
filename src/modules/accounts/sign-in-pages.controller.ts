import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppError, FieldError } from '../../common/errors/app-errors';
import { rememberFormPage } from '../../web/form-left-behind';
import { formModel } from '../../web/form-model';
import { AccountsService } from './accounts.service';
import { emailProblem, normalizeEmail, safeReturnPath } from './credentials.policy';
import { CSRF_FIELD, CsrfService } from './csrf.service';
import { signInPage } from './sign-in-page';
import { SignInService } from './sign-in.service';
import { StaffAuthService, StaffRequest } from './staff-auth.service';

type Form = Record<string, unknown>;
const LINK_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Pages reached without a session: sign-in, sign-out, choosing a password from a link, forgotten password. */
@ApiExcludeController()
@Controller()
export class SignInPagesController {
  constructor(
    private readonly signIn: SignInService,
    private readonly accounts: AccountsService,
    private readonly auth: StaffAuthService,
    private readonly csrf: CsrfService,
  ) {}

  @Get('connexion')
  signInForm(@Req() req: Request, @Res() res: Response, @Query('retour') retour: unknown) {
    this.renderSignIn(req, res, 200, { email: '', retour: safeReturnPath(retour) });
  }

  @Post('connexion')
  async signInSubmit(@Req() req: StaffRequest, @Res() res: Response, @Body() body: Form = {}) {
    this.csrf.assertPreSession(req, body[CSRF_FIELD]);
    const values = { email: typeof body.email === 'string' ? body.email.trim() : '', retour: safeReturnPath(body.retour) };
    try {
      const userId = await this.signIn.verify(body.email, body.password, clientAddress(req));
      await this.auth.openSession(req, res, userId);
      res.redirect(303, values.retour);
    } catch (error) {
      if (!(error instanceof AppError) || !['unauthorized', 'rate_limited'].includes(error.code)) throw error;
      if (error.extra.retryAfterSeconds) res.setHeader('Retry-After', String(error.extra.retryAfterSeconds));
      this.renderSignIn(req, res, error.status, values, error.errors.length ? error.errors : [{ field: 'email', message: error.message }]);
    }
  }

  @Post('deconnexion')
  async signOut(@Req() req: StaffRequest, @Res() res: Response, @Body() body: Form = {}) {
    const auth = await this.auth.authenticate(req, res);
    // The sign-out button sits on every staff page: a stale one leads back to the workspace.
    rememberFormPage(res, '/espace');
    if (auth) this.csrf.assertValid(auth.session, body[CSRF_FIELD]);
    await this.auth.closeSession(req, res);
    res.redirect(303, '/connexion?deconnecte=1');
  }

  /** Shows the form only: the link is used up by the POST, never by a visit (mail scanners open links). */
  @Get('mot-de-passe/nouveau/:token')
  async newPasswordForm(@Req() req: Request, @Res() res: Response, @Param('token') token: string) {
    const account = await this.accounts.accountOfLink(checkedLinkToken(token));
    await this.renderNewPassword(req, res, 200, token, account, {});
  }

  @Post('mot-de-passe/nouveau/:token')
  async newPasswordSubmit(@Req() req: StaffRequest, @Res() res: Response, @Param('token') token: string, @Body() body: Form = {}) {
    this.csrf.assertPreSession(req, body[CSRF_FIELD]);
    try {
      await this.accounts.setPasswordWithLink(checkedLinkToken(token), body.password, body.revokeApiTokens === 'yes', (manager, userId) =>
        this.auth.openSession(req, res, userId, manager),
      );
      res.redirect(303, '/espace');
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'validation_failed') throw error;
      await this.renderNewPassword(req, res, 400, token, await this.accounts.accountOfLink(token), body, error.errors);
    }
  }

  @Get('mot-de-passe/oubli')
  forgotForm(@Req() req: Request, @Res() res: Response) {
    this.renderForgot(req, res, 200, {});
  }

  /** The same answer whether or not an account has the address. */
  @Post('mot-de-passe/oubli')
  @HttpCode(200)
  async forgotSubmit(@Req() req: Request, @Res() res: Response, @Body() body: Form = {}) {
    this.csrf.assertPreSession(req, body[CSRF_FIELD]);
    const email = normalizeEmail(body.email);
    const problem = emailProblem(email);
    if (problem) return this.renderForgot(req, res, 400, { email: body.email }, [{ field: 'email', message: problem }]);
    try {
      if (await this.signIn.allowReset(email, clientAddress(req))) await this.accounts.sendPasswordReset(email);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'rate_limited') throw error;
      res.setHeader('Retry-After', String(error.extra.retryAfterSeconds));
      return this.renderForgot(req, res, 429, { email }, [{ field: 'email', message: error.message }]);
    }
    res.render('password-forgot-sent', { title: 'Demande envoyée' });
  }

  private renderSignIn(req: Request, res: Response, status: number, values: { email: string; retour: string }, errors: FieldError[] = []) {
    const page = signInPage(this.csrf, req, res, values, errors);
    res.status(status).render(page.view, page.locals);
  }

  private async renderNewPassword(
    req: Request,
    res: Response,
    status: number,
    token: string,
    account: { id: string; firstName: string; email: string },
    typed: Form,
    errors: FieldError[] = [],
  ) {
    res.status(status).render('password-new', {
      title: 'Choisir votre mot de passe',
      // Never the password typed: only the choice about the tokens comes back.
      form: formModel({ revokeApiTokens: typed.revokeApiTokens }, errors),
      account,
      apiTokens: await this.accounts.liveApiTokenCount(account.id),
      token,
      csrf: this.csrf.preSessionToken(req, res),
    });
  }

  private renderForgot(req: Request, res: Response, status: number, values: Form, errors: FieldError[] = []) {
    res.status(status).render('password-forgot', {
      title: 'Mot de passe oublié',
      form: formModel(values, errors),
      csrf: this.csrf.preSessionToken(req, res),
    });
  }
}

function checkedLinkToken(token: string): string {
  if (!LINK_TOKEN.test(token)) throw new AppError('not_found', 'Page ou demande introuvable.');
  return token;
}

/** req.ip honours TRUST_PROXY: behind the reverse proxy, the client's own address. */
function clientAddress(req: Request): string {
  return req.ip ?? 'inconnue';
}
