import { Injectable } from '@nestjs/common';
import argon2 from 'argon2';

/** argon2id with the library's defaults (64 MiB, 3 passes); the hash string carries its parameters. */
@Injectable()
export class PasswordHasher {
  private dummy?: Promise<string>;

  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id });
  }

  /**
   * With no stored hash (unknown account, password not set yet) a dummy hash is verified all the
   * same, so the answer takes as long and says nothing about which accounts exist.
   */
  async verify(storedHash: string | null, password: string): Promise<boolean> {
    this.dummy ??= this.hash('guichet-vert/mot-de-passe-fictif');
    const hash = storedHash ?? (await this.dummy);
    const ok = await argon2.verify(hash, password).catch(() => false);
    return ok && storedHash !== null;
  }
}
