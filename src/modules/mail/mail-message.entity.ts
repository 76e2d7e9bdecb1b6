import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** `abandoned`: refused for good by the mail server, or still not sent after MAIL_RETRY_HOURS (mail-retry.policy.ts). */
export type MailStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'abandoned';

/**
 * Every e-mail the service sends, with its delivery status. What it says (its template's context, rendered
 * when it is sent) is kept only until it is delivered, because it may carry a private link.
 */
@Entity('mail_messages')
@Index('mail_messages_undelivered_idx', ['status', 'updatedAt'], { where: "status <> 'sent'" })
export class MailMessage {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  requestId!: string | null;

  @Column({ type: 'varchar', length: 60 })
  template!: string;

  @Column({ type: 'varchar', length: 254 })
  recipient!: string;

  @Column({ type: 'varchar', length: 250 })
  subject!: string;

  /** The template's values, as JSON: rendering at sending time keeps the rendered bodies out of the submission's write. */
  @Column({ type: 'jsonb', nullable: true })
  context!: Record<string, unknown> | null;

  /** Bodies of the messages queued before they were rendered at sending time. */
  @Column({ type: 'text', nullable: true })
  textBody!: string | null;

  @Column({ type: 'text', nullable: true })
  htmlBody!: string | null;

  @Column({ type: 'varchar', length: 10 })
  status!: MailStatus;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ type: 'text', nullable: true })
  lastError!: string | null;

  /** A claim: while it runs, no other worker sends this message. */
  @Column({ type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  /** Why it was given up: the mail server refused it for good (`permanent`), or it was not sent in time (`expired`). */
  @Column({ type: 'varchar', length: 10, nullable: true })
  abandonedBecause!: 'permanent' | 'expired' | null;

  /** When an operator sent an abandoned message again (`npm run cli -- mail:resend`): its retry time starts anew. */
  @Column({ type: 'timestamptz', nullable: true })
  resentAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
