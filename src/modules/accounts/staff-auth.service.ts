import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { AnswerDraftsRepository } from '../answer-drafts/answer-drafts.repository';
import { randomToken, sha256 } from '../../common/tokens';
import { AppConfig } from '../../config/app-config';
import { AccountsRepository } from './accounts.repository';
import type { StaffPrincipal, StaffSessionRef } from './accounts.types';
import { clearCookie, readCookie, SESSION_COOKIE, setCookie } from './cookies';
import { CsrfService } from './csrf.service';
import { renewalDue, SessionLifetime, sessionLifetime } from './session-lifetime.policy';
import { asksLeftDrafts, staffNavigation } from './staff-navigation.policy';

/** An API token's last_used_at is written at most this often: not one UPDATE per call. */
const TOUCH_EVERY_MS = 60_000;
/** Bearer tokens carry a prefix so that a leaked one is easy to recognise (secret scanners, logs). */
export const API_TOKEN_PREFIX = 'gvt_';
const BEARER = /^Bearer\s+(gvt_[A-Za-z0-9_-]{43})\s*$/;

export interface StaffAuth {
  principal: StaffPrincipal;
  session: StaffSessionRef;
}

export type StaffRequest = Request & { staffAuth?: StaffAuth | null };

/**
 * Who is calling: a bearer token when an Authorization header is present (and then only it),
 * otherwise the session cookie. Pages rendered after it get `staff`, `staffNavigation` and `csrfToken` in res.locals.
 */
@Injectable()
export class StaffAuthService {
  private readonly lifetime: SessionLifetime;

  constructor(
    private readonly accounts: AccountsRepository,
    private readonly csrf: CsrfService,
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
    private readonly drafts: AnswerDraftsRepository,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.lifetime = sessionLifetime(config);
  }

  async authenticate(req: StaffRequest, res: Response): Promise<StaffAuth | null> {
    if (req.staffAuth !== undefined) return req.staffAuth;
    const authorization = req.header('authorization');
    const auth = authorization !== undefined ? await this.fromBearer(authorization) : await this.fromCookie(req);
    req.staffAuth = auth;
    if (auth) {
      res.locals.staff = auth.principal;
      const asks = asksLeftDrafts(auth.principal, { method: req.method, path: req.originalUrl, withSession: auth.session.id !== null });
      const leftDrafts = asks && (await this.drafts.hasLeft(auth.principal.id));
      res.locals.staffNavigation = staffNavigation(auth.principal, req.path, leftDrafts);
      if (auth.session.id) res.locals.csrfToken = this.csrf.tokenFor(auth.session.id);
    }
    return auth;
  }

  /**
   * A new session for the account, replacing the browser's current one (no session fixation). Sliding: each use
   * renews its idle time (fromCookie), up to its maximum age, which is also the cookie's.
   */
  async openSession(req: StaffRequest, res: Response, userId: string, db: DataSource | EntityManager = this.dataSource): Promise<void> {
    await this.closeSession(req, res);
    const token = randomToken();
    const now = this.clock.now();
    await this.accounts.insertSession(db, {
      id: randomUUID(),
      tokenHash: sha256(token),
      userId,
      now,
      expiresAt: new Date(now.getTime() + this.lifetime.maxMs),
    });
    await this.accounts.recordSignIn(db, userId, now);
    setCookie(req, res, SESSION_COOKIE, token, this.lifetime.maxMs);
  }

  /** Sign-out: the session row is revoked, not only the cookie dropped. */
  async closeSession(req: StaffRequest, res: Response): Promise<void> {
    const token = readCookie(req, SESSION_COOKIE);
    if (!token) return;
    const live = await this.accounts.findLiveSession(sha256(token), this.clock.now(), this.lifetime);
    if (live) await this.accounts.revokeSession(live.sessionId, this.clock.now());
    clearCookie(req, res, SESSION_COOKIE);
    req.staffAuth = undefined;
  }

  /** Returns the token, shown once: only its hash is kept. */
  async createApiToken(userId: string, label: string, db: DataSource | EntityManager = this.dataSource): Promise<string> {
    const token = `${API_TOKEN_PREFIX}${randomToken()}`;
    await this.accounts.insertApiToken(db, { id: randomUUID(), userId, label, tokenHash: sha256(token), now: this.clock.now() });
    return token;
  }

  private async fromCookie(req: Request): Promise<StaffAuth | null> {
    const token = readCookie(req, SESSION_COOKIE);
    if (!token) return null;
    const now = this.clock.now();
    const live = await this.accounts.findLiveSession(sha256(token), now, this.lifetime);
    if (!live) return null;
    if (renewalDue(new Date(live.lastSeenAt), now, this.lifetime.idleMs)) await this.accounts.touchSession(live.sessionId, now);
    return { principal: live.principal, session: { id: live.sessionId } };
  }

  private async fromBearer(authorization: string): Promise<StaffAuth | null> {
    const token = BEARER.exec(authorization)?.[1];
    if (!token) return null;
    const live = await this.accounts.findLiveApiToken(sha256(token));
    if (!live) return null;
    const now = this.clock.now();
    if (!live.lastUsedAt || now.getTime() - new Date(live.lastUsedAt).getTime() > TOUCH_EVERY_MS) {
      await this.accounts.touchApiToken(live.tokenId, now);
    }
    return { principal: live.principal, session: { id: null } };
  }
}
