import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A staff action already sent with this one-time form token or API `Idempotency-Key`: a repeat (retry, double click,
 * second tab) answers as the first did instead of acting again. Forgotten after a day (the sweeps).
 */
@Entity('staff_action_keys')
export class StaffActionKey {
  /** HMAC of the person, the route and their key: the key itself is never stored. */
  @PrimaryColumn({ type: 'bytea' })
  keyHash!: Buffer;

  /** SHA-256 of the form's or body's fields, so a key sent again with other content is told apart. */
  @Column({ type: 'bytea' })
  fingerprint!: Buffer;

  /** Drawn anew at each reservation: only the sending holding the key now may complete or release it. */
  @Column({ type: 'uuid' })
  claim!: string;

  /** How the first sending was answered (a redirect, or the API's body); null while it is being done. */
  @Column({ type: 'jsonb', nullable: true })
  outcome!: RepeatableOutcome | null;

  @Index()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** What a repeat is answered with: the first's redirect, the API's result (and its ETag), or only that it was done (a page shown). */
export type RepeatableOutcome = { redirect: string; status: number } | { value: unknown; etag?: string } | { done: true };
