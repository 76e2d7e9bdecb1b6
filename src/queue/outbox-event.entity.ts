import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Work to hand to a queue, written in the same transaction as the change that implies it.
 * The relay publishes it to BullMQ; a row stays unpublished for as long as Redis is unreachable.
 */
@Entity('outbox_events')
@Index('outbox_events_pending_idx', ['id'], { where: 'published_at IS NULL' })
export class OutboxEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'varchar', length: 40 })
  queue!: string;

  @Column({ type: 'varchar', length: 60 })
  jobName!: string;

  /** BullMQ job id: the same work published twice stays one job. */
  @Column({ type: 'varchar', length: 120 })
  jobId!: string;

  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Column({ type: 'integer', default: 0 })
  delayMs!: number;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ type: 'text', nullable: true })
  lastError!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;
}
