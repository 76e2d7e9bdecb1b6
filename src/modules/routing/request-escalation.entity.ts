import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { AdviceRequest } from '../requests/request.entities';

/**
 * A request that missed its take-charge deadline ESCALATION_MISSES times or more: its network's animators hear of it
 * in their next escalation digest, which sets `announcedAt`.
 */
@Entity('request_escalations')
@Index('request_escalations_unannounced_idx', ['requestId'], { where: 'announced_at IS NULL' })
export class RequestEscalation {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  requestId!: string;

  @ManyToOne(() => AdviceRequest, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'request_id' })
  request?: AdviceRequest;

  /** Deadlines missed in a row when this one passed. */
  @Column({ type: 'int' })
  misses!: number;

  @Column({ type: 'timestamptz' })
  escalatedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  announcedAt!: Date | null;
}
