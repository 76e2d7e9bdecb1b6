import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { Facilitator } from '../directory/directory.entities';
import { Network } from '../reference/reference.entities';
import type { AccountLinkPurpose, StaffRole, ThrottleKind } from './accounts.types';

/** A person who works in the desk: facilitator (of the directory, same e-mail), animator or admin. */
@Entity('staff_users')
@Check('staff_users_role_check', `"role" IN ('facilitator', 'animator', 'admin')`)
// A facilitator's account is their directory record's; an animator's may be too (one who answers requests); an admin's never.
@Check(
  'staff_users_facilitator_check',
  `("role" <> 'facilitator' OR "facilitator_id" IS NOT NULL) AND ("role" <> 'admin' OR "facilitator_id" IS NULL)`,
)
export class StaffUser {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** Stored lower-case. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ type: 'varchar', length: 100 })
  firstName!: string;

  @Column({ type: 'varchar', length: 100 })
  lastName!: string;

  @Column({ type: 'varchar', length: 20 })
  role!: StaffRole;

  @Index({ unique: true, where: 'facilitator_id IS NOT NULL' })
  @Column({ type: 'uuid', nullable: true })
  facilitatorId!: string | null;

  @ManyToOne(() => Facilitator, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'facilitator_id' })
  facilitator?: Facilitator;

  /** Null until the person sets it through an invitation link. */
  @Column({ type: 'text', nullable: true })
  passwordHash!: string | null;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  lastSignInAt!: Date | null;
}

/** The networks an animator runs. */
@Entity('staff_user_networks')
export class StaffUserNetwork {
  @PrimaryColumn({ type: 'uuid' })
  userId!: string;

  @PrimaryColumn({ type: 'varchar', length: 32 })
  networkCode!: string;

  @ManyToOne(() => StaffUser, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: StaffUser;

  @ManyToOne(() => Network)
  @JoinColumn({ name: 'network_code' })
  network?: Network;
}

/** A signed-in browser; the cookie holds the token, the row only its hash. */
@Entity('staff_sessions')
@Index(['userId'])
@Index(['expiresAt'])
export class StaffSession {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Index({ unique: true })
  @Column({ type: 'bytea' })
  tokenHash!: Buffer;

  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne(() => StaffUser, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: StaffUser;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  /** Idle timeout counts from here. */
  @Column({ type: 'timestamptz' })
  lastSeenAt!: Date;

  /** Absolute end, whatever the activity. */
  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}

/** A bearer token for the JSON API, shown once to its owner. */
@Entity('api_tokens')
@Index(['userId'])
export class ApiToken {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne(() => StaffUser, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: StaffUser;

  @Column({ type: 'varchar', length: 100 })
  label!: string;

  @Index({ unique: true })
  @Column({ type: 'bytea' })
  tokenHash!: Buffer;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}

/** A single-use link sent by e-mail: invitation or password reset. */
@Entity('account_links')
@Check('account_links_purpose_check', `"purpose" IN ('invitation', 'password_reset')`)
@Index(['userId'])
@Index(['expiresAt'])
export class AccountLink {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne(() => StaffUser, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: StaffUser;

  @Column({ type: 'varchar', length: 20 })
  purpose!: AccountLinkPurpose;

  @Index({ unique: true })
  @Column({ type: 'bytea' })
  tokenHash!: Buffer;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt!: Date | null;
}

/**
 * Failed sign-ins and password-reset requests, counted for throttling in PostgreSQL so that every
 * api process sees the same counts (no Redis needed to sign in); rows older than a day are purged.
 */
@Entity('throttle_events')
@Check('throttle_events_kind_check', `"kind" IN ('sign_in_failure', 'password_reset', 'tracking_links')`)
@Index(['kind', 'accountKey', 'createdAt'])
@Index(['kind', 'clientAddress', 'createdAt'])
export class ThrottleEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'varchar', length: 20 })
  kind!: ThrottleKind;

  /** The e-mail as typed, lower-cased, whether or not an account has it. */
  @Column({ type: 'varchar', length: 254 })
  accountKey!: string;

  @Column({ type: 'varchar', length: 64 })
  clientAddress!: string;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;
}
