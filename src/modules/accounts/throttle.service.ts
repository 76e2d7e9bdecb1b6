import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-errors';
import { AccountsRepository, ThrottledBy } from './accounts.repository';
import type { EmailedLinkKind, ThrottleKind } from './accounts.types';
import { EMAILED_LINK_LIMITS, secondsUntilAllowed, ThrottleLimit, windowStart } from './throttle.policy';

/**
 * Attempts counted in PostgreSQL, shared by every api instance: per e-mail address as typed and per client address, and
 * for a few kinds over every address and client at once (allowOverall).
 */
@Injectable()
export class ThrottleService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly clock: Clock,
  ) {}

  /** 429 with the wait when any of the limits given is reached. */
  async refuseWhenThrottled(
    kind: ThrottleKind,
    email: string,
    clientAddress: string,
    limits: { perEmail?: ThrottleLimit; perEmailFromAddress?: ThrottleLimit; perAddress: ThrottleLimit },
  ): Promise<void> {
    const now = this.clock.now();
    const waits = await Promise.all([
      limits.perEmail && email ? this.wait(kind, { accountKey: email }, limits.perEmail, now) : null,
      limits.perEmailFromAddress && email ? this.wait(kind, { accountKey: email, clientAddress }, limits.perEmailFromAddress, now) : null,
      this.wait(kind, { clientAddress }, limits.perAddress, now),
    ]);
    const seconds = Math.max(...waits.map((w) => w ?? 0));
    if (seconds > 0) {
      const minutes = Math.ceil(seconds / 60);
      throw new AppError(
        'rate_limited',
        `Trop de tentatives. Par sécurité, réessayez dans ${minutes} minute${minutes > 1 ? 's' : ''}.`,
        [],
        { retryAfterSeconds: seconds },
      );
    }
  }

  /**
   * A request to e-mail a link: too many from one client address answer 429; too many for one e-mail address
   * are silently not sent (returns false), so the answer still says nothing about what that address has.
   */
  async allowEmailedLink(kind: EmailedLinkKind, email: string, clientAddress: string): Promise<boolean> {
    const limits = EMAILED_LINK_LIMITS[kind];
    await this.refuseWhenThrottled(kind, email, clientAddress, { perAddress: limits.perAddress });
    const now = this.clock.now();
    const wait = await this.wait(kind, { accountKey: email }, limits.perEmail, now);
    await this.record(kind, email, clientAddress);
    return wait === null;
  }

  /** Whether one more of this kind fits under the limit counted over every address and client; counted when it does. */
  async allowOverall(kind: ThrottleKind, limit: ThrottleLimit, email: string, clientAddress: string): Promise<boolean> {
    const now = this.clock.now();
    return this.accounts.recordWithinOverallLimit(kind, email, clientAddress, now, windowStart(limit, now), limit.max);
  }

  async record(kind: ThrottleKind, email: string, clientAddress: string): Promise<void> {
    await this.accounts.recordThrottleEvent(kind, email, clientAddress, this.clock.now());
  }

  async clear(kind: ThrottleKind, email: string): Promise<void> {
    await this.accounts.clearThrottle(kind, email);
  }

  private async wait(kind: ThrottleKind, of: ThrottledBy, limit: ThrottleLimit, now: Date): Promise<number | null> {
    return secondsUntilAllowed(limit, await this.accounts.nthRecentEvent(kind, of, windowStart(limit, now), limit.max), now);
  }
}
