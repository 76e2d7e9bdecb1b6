import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A submission already made with this key (API Idempotency-Key or the form's one-time token).
 * The reply, which holds the private tracking link, is stored encrypted with a key derived from
 * the client's own idempotency key: only the client who sent it can read it back.
 */
@Entity('idempotency_keys')
export class IdempotencyKey {
  /** HMAC of the client's key: the key itself is never stored. */
  @PrimaryColumn({ type: 'bytea' })
  keyHash!: Buffer;

  /** SHA-256 of the submitted content, so a key reused for another content is refused. */
  @Column({ type: 'bytea' })
  fingerprint!: Buffer;

  @Column({ type: 'uuid', nullable: true })
  requestId!: string | null;

  @Column({ type: 'bytea', nullable: true })
  sealedResponse!: Buffer | null;

  @Index()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
