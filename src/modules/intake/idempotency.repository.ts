import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { SqlStatement } from '../../database/sql-statement';
import { IdempotencyKey } from './idempotency-key.entity';

@Injectable()
export class IdempotencyRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The key stored under any of `keyHashes` (one per secret a rotation still accepts). */
  find(keyHashes: Buffer[]): Promise<IdempotencyKey | null> {
    return this.dataSource.getRepository(IdempotencyKey).findOne({ where: { keyHash: In(keyHashes) } });
  }

  /**
   * Reserves the key in the caller's transaction. Returns false when another submission holds it;
   * a concurrent holder makes this wait for its commit, so the two never both proceed.
   */
  async reserve(manager: EntityManager, keyHash: Buffer, fingerprint: Buffer): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO idempotency_keys (key_hash, fingerprint) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING key_hash`,
      [keyHash, fingerprint],
    );
    return rows.length === 1;
  }

  completeStatement(keyHash: Buffer, requestId: string, sealedResponse: Buffer): SqlStatement {
    return {
      sql: `UPDATE idempotency_keys SET request_id = $2, sealed_response = $3 WHERE key_hash = $1`,
      params: [keyHash, requestId, sealedResponse],
    };
  }

  /** Keys only protect against retries; after a day they are forgotten. */
  async purgeOlderThan(hours: number): Promise<void> {
    await this.dataSource.query(`DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)`, [hours]);
  }
}
