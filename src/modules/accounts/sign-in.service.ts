import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors/app-errors';
import { AccountsRepository } from './accounts.repository';
import { normalizeEmail } from './credentials.policy';
import { PasswordHasher } from './password-hasher';
import { SIGN_IN_LIMITS } from './throttle.policy';
import { ThrottleService } from './throttle.service';

export const WRONG_CREDENTIALS = 'Adresse électronique ou mot de passe incorrect.';

/** Checks credentials under a throttle kept in PostgreSQL (see SIGN_IN_LIMITS). */
@Injectable()
export class SignInService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly hasher: PasswordHasher,
    private readonly throttle: ThrottleService,
  ) {}

  /**
   * Returns the account id. Whatever is wrong (unknown address, wrong password, no password yet,
   * deactivated account) the answer is the same, after the same argon2 work.
   */
  async verify(emailInput: unknown, password: unknown, clientAddress: string): Promise<string> {
    const email = normalizeEmail(emailInput);
    await this.throttle.refuseWhenThrottled('sign_in_failure', email, clientAddress, SIGN_IN_LIMITS);
    const account = email ? await this.accounts.findByEmail(email) : null;
    const ok = await this.hasher.verify(account?.passwordHash ?? null, typeof password === 'string' ? password : '');
    if (account && ok && account.active) {
      await this.throttle.clear('sign_in_failure', email);
      return account.id;
    }
    await this.throttle.record('sign_in_failure', email, clientAddress);
    throw new AppError('unauthorized', WRONG_CREDENTIALS, [{ field: 'email', message: WRONG_CREDENTIALS }]);
  }

  /** Password-reset requests, throttled as every e-mailed link is (see ThrottleService.allowEmailedLink). */
  allowReset(email: string, clientAddress: string): Promise<boolean> {
    return this.throttle.allowEmailedLink('password_reset', email, clientAddress);
  }
}
