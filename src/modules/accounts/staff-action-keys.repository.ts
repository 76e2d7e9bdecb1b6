import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { RepeatableOutcome, StaffActionKey } from './staff-action-key.entity';

@Injectable()
export class StaffActionKeysRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Claims the key, committed at once so that a concurrent repeat sees it: this sending's claim, or null when a sending
   * already holds it. A claim left without outcome for two minutes is taken over: its process died mid-sending, and the
   * key must not refuse every retry for a day. (Had it applied its action just before dying, a retry may apply it once
   * more — the answer, named by its key, never is.) Taken over, it gets a new claim: a first sending that was only slow
   * (a long lock wait) can then neither complete nor release what is now the retry's.
   */
  async reserve(keyHash: Buffer, fingerprint: Buffer): Promise<string | null> {
    const claim = randomUUID();
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO staff_action_keys (key_hash, fingerprint, claim) VALUES ($1, $2, $3)
       ON CONFLICT (key_hash) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, claim = EXCLUDED.claim, created_at = now()
        WHERE staff_action_keys.outcome IS NULL AND staff_action_keys.created_at < now() - interval '2 minutes'
       RETURNING key_hash`,
      [keyHash, fingerprint, claim],
    );
    return rows.length === 1 ? claim : null;
  }

  find(keyHash: Buffer): Promise<StaffActionKey | null> {
    return this.dataSource.getRepository(StaffActionKey).findOne({ where: { keyHash } });
  }

  /** Keeps how the sending was answered, if its claim still holds the key. */
  async complete(keyHash: Buffer, claim: string, outcome: RepeatableOutcome): Promise<void> {
    await this.dataSource.query(`UPDATE staff_action_keys SET outcome = $3 WHERE key_hash = $1 AND claim = $2`, [
      keyHash,
      claim,
      JSON.stringify(outcome),
    ]);
  }

  /** The sending failed (nothing done): the same form may be sent again — unless another sending holds the key now. */
  async release(keyHash: Buffer, claim: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM staff_action_keys WHERE key_hash = $1 AND claim = $2`, [keyHash, claim]);
  }

  /** Keys only protect against retries; after a day they are forgotten. */
  async purgeOlderThan(hours: number): Promise<void> {
    await this.dataSource.query(`DELETE FROM staff_action_keys WHERE created_at < now() - make_interval(hours => $1)`, [hours]);
  }
}
