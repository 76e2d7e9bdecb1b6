import type { CookieOptions, Request, Response } from 'express';

export const SESSION_COOKIE = 'gv_session';
export const PRE_SESSION_COOKIE = 'gv_presession';

/** The one cookie asked for, from the raw header (no cookie-parser: two cookies do not need one). */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.header('cookie') ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) {
      const value = part.slice(index + 1).trim();
      return /^[A-Za-z0-9_-]{1,100}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

/** The Express setting that says the service is reached over HTTPS (its PUBLIC_URL), whatever a request says. */
export const HTTPS_ONLY_COOKIES = 'https only cookies';

/**
 * HttpOnly, SameSite=Lax, Secure whenever the request came over HTTPS (req.secure honours TRUST_PROXY) or the service's
 * address is https: the TLS proxy in front of it may not be trusted to say so (TRUST_PROXY left at 0).
 */
export function cookieOptions(req: Request, maxAgeMs?: number): CookieOptions {
  const secure = req.secure || req.app.get(HTTPS_ONLY_COOKIES) === true;
  return { httpOnly: true, sameSite: 'lax', path: '/', secure, ...(maxAgeMs ? { maxAge: maxAgeMs } : {}) };
}

export function setCookie(req: Request, res: Response, name: string, value: string, maxAgeMs?: number): void {
  res.cookie(name, value, cookieOptions(req, maxAgeMs));
}

export function clearCookie(req: Request, res: Response, name: string): void {
  res.clearCookie(name, cookieOptions(req));
}
