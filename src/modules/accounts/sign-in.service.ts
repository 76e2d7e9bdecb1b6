import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-errors';
import { AccountsRepository } from './accounts.repository';
import type { ThrottleKind } from './accounts.types';
import { normalizeEmail } from './credentials.policy';
import { PasswordHasher } from './password-hasher';
import {
  RESET_PER_ACCOUNT,
  RESET_PER_ADDRESS,
  secondsUntilAllowed,
  SIGN_IN_PER_ACCOUNT,
  SIGN_IN_PER_ADDRESS,
  ThrottleLimit,
  windowStart,
} from './throttle.policy';

export const WRONG_CREDENTIALS = 'Adresse électronique ou mot de passe incorrect.';

/** Checks credentials under a throttle kept in PostgreSQL, per account as typed and per client address. */
@Injectable()
export class SignInService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
  ) {}

  /**
   * Returns the account id. Whatever is wrong (unknown address, wrong password, no password yet,
   * deactivated account) the answer is the same, after the same argon2 work.
   */
  async verify(emailInput: unknown, password: unknown, clientAddress: string): Promise<string> {
    const email = normalizeEmail(emailInput);
    await this.refuseWhenThrottled('sign_in_failure', email, clientAddress, SIGN_IN_PER_ACCOUNT, SIGN_IN_PER_ADDRESS);
    const account = email ? await this.accounts.findByEmail(email) : null;
    const ok = await this.hasher.verify(account?.passwordHash ?? null, typeof password === 'string' ? password : '');
    if (account && ok && account.active) {
      await this.accounts.clearThrottle('sign_in_failure', email);
      return account.id;
    }
    await this.record('sign_in_failure', email, clientAddress);
    throw new AppError('unauthorized', WRONG_CREDENTIALS, [{ field: 'email', message: WRONG_CREDENTIALS }]);
  }

  /**
   * Password-reset requests: too many from one address answer 429; too many for one account are
   * silently not sent (returns false), so the answer still says nothing about the account.
   */
  async allowReset(email: string, clientAddress: string): Promise<boolean> {
    await this.refuseWhenThrottled('password_reset', email, clientAddress, null, RESET_PER_ADDRESS);
    const now = this.clock.now();
    const nth = await this.accounts.nthRecentEvent(
      'password_reset',
      'account',
      email,
      windowStart(RESET_PER_ACCOUNT, now),
      RESET_PER_ACCOUNT.max,
    );
    await this.record('password_reset', email, clientAddress);
    return secondsUntilAllowed(RESET_PER_ACCOUNT, nth, now) === null;
  }

  private async refuseWhenThrottled(
    kind: ThrottleKind,
    email: string,
    clientAddress: string,
    perAccount: ThrottleLimit | null,
    perAddress: ThrottleLimit,
  ): Promise<void> {
    const now = this.clock.now();
    const waits = await Promise.all([
      perAccount && email ? this.wait(kind, 'account', email, perAccount, now) : null,
      this.wait(kind, 'address', clientAddress, perAddress, now),
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

  private async wait(kind: ThrottleKind, by: 'account' | 'address', key: string, limit: ThrottleLimit, now: Date): Promise<number | null> {
    return secondsUntilAllowed(limit, await this.accounts.nthRecentEvent(kind, by, key, windowStart(limit, now), limit.max), now);
  }

  private async record(kind: ThrottleKind, email: string, clientAddress: string): Promise<void> {
    await this.accounts.recordThrottleEvent(kind, email, clientAddress, this.clock.now());
  }
}
