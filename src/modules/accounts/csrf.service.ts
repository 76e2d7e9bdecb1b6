import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { AppError } from '../../common/errors/app-errors';
import { hmac, randomToken, sha256 } from '../../common/tokens';
import { AppConfig } from '../../config/app-config';
import type { StaffSessionRef } from './accounts.types';
import { PRE_SESSION_COOKIE, readCookie, setCookie } from './cookies';

/** The hidden field every staff form carries. */
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const PRE_SESSION_MAX_AGE_MS = 24 * 3600 * 1000;

export function formExpired(): AppError {
  return new AppError('form_expired', 'Le formulaire a expiré. Ce que vous avez envoyé n’a pas été enregistré.');
}

/**
 * Cross-site request forgery protection. Signed-in forms carry HMAC(APP_SECRET, session id);
 * forms shown before sign-in (sign-in, password pages) carry HMAC(APP_SECRET, pre-session cookie),
 * a signed double submit. Comparisons take constant time.
 */
@Injectable()
export class CsrfService {
  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  tokenFor(sessionId: string): string {
    return signed(this.config.APP_SECRET, `csrf:session:${sessionId}`);
  }

  /**
   * Throws form_expired (400) unless the token fits the session. Bearer-token calls (session id
   * null) carry no cookie, so a forged cross-site request cannot use them: nothing to check.
   * Call it yourself where the guard could not (a multipart body parsed after the guards).
   */
  assertValid(session: StaffSessionRef, token: unknown): void {
    if (session.id === null) return;
    if (!this.signedByAny(token, `csrf:session:${session.id}`)) throw formExpired();
  }

  /** The token for a form shown before sign-in; sets the pre-session cookie when missing. */
  preSessionToken(req: Request, res: Response): string {
    let value = readCookie(req, PRE_SESSION_COOKIE);
    if (!value) {
      value = randomToken();
      setCookie(req, res, PRE_SESSION_COOKIE, value, PRE_SESSION_MAX_AGE_MS);
    }
    return signed(this.config.APP_SECRET, `csrf:pre-session:${value}`);
  }

  assertPreSession(req: Request, token: unknown): void {
    const value = readCookie(req, PRE_SESSION_COOKIE);
    if (!value || !this.signedByAny(token, `csrf:pre-session:${value}`)) throw formExpired();
  }

  /** Signed by the current secret or, during a rotation, an earlier one: a form shown before it still sends. */
  private signedByAny(presented: unknown, value: string): boolean {
    return this.config.openingSecrets.some((secret) => sameToken(presented, signed(secret, value)));
  }
}

function signed(secret: string, value: string): string {
  return hmac(secret, value).toString('base64url');
}

function sameToken(presented: unknown, expected: string): boolean {
  return typeof presented === 'string' && timingSafeEqual(sha256(presented), sha256(expected));
}
