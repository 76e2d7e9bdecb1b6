import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RepeatableOutcome, StaffActionKey } from './staff-action-key.entity';

@Injectable()
export class StaffActionKeysRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Claims the key, committed at once so that a concurrent repeat sees it; false when a sending already holds it. A claim
   * left without outcome for two minutes is taken over: its process died mid-sending, and the key must not refuse
   * every retry for a day. (Had it applied its action just before dying, a retry may apply it once more — the answer,
   * named by its key, never is.)
   */
  async reserve(keyHash: Buffer, fingerprint: Buffer): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO staff_action_keys (key_hash, fingerprint) VALUES ($1, $2)
       ON CONFLICT (key_hash) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, created_at = now()
        WHERE staff_action_keys.outcome IS NULL AND staff_action_keys.created_at < now() - interval '2 minutes'
       RETURNING key_hash`,
      [keyHash, fingerprint],
    );
    return rows.length === 1;
  }

  find(keyHash: Buffer): Promise<StaffActionKey | null> {
    return this.dataSource.getRepository(StaffActionKey).findOne({ where: { keyHash } });
  }

  async complete(keyHash: Buffer, outcome: RepeatableOutcome): Promise<void> {
    await this.dataSource.query(`UPDATE staff_action_keys SET outcome = $2 WHERE key_hash = $1`, [keyHash, JSON.stringify(outcome)]);
  }

  /** The sending failed (nothing done): the same form may be sent again. */
  async release(keyHash: Buffer): Promise<void> {
    await this.dataSource.query(`DELETE FROM staff_action_keys WHERE key_hash = $1`, [keyHash]);
  }

  /** Keys only protect against retries; after a day they are forgotten. */
  async purgeOlderThan(hours: number): Promise<void> {
    await this.dataSource.query(`DELETE FROM staff_action_keys WHERE created_at < now() - make_interval(hours => $1)`, [hours]);
  }
}
