import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { StaffUser } from '../accounts/accounts.entities';

/** Who did what among the desk's settings (accounts, directory, networks, answer templates): read by admins and, for theirs, animators. */
@Entity('audit_events')
@Index('audit_events_subject_idx', ['subjectId'], { where: 'subject_id IS NOT NULL' })
export class AuditEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Index()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  /** Null for the command line, or once the account is gone. */
  @Column({ type: 'uuid', nullable: true })
  actorId!: string | null;

  @ManyToOne(() => StaffUser, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'actor_id' })
  actor?: StaffUser;

  /** As the person was named then: a later change of name or address does not rewrite the past. */
  @Column({ type: 'varchar', length: 360 })
  actorName!: string;

  @Column({ type: 'varchar', length: 40 })
  action!: string;

  /** The networks it concerns: their animators read it (none: admins only). */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  networkCodes!: string[];

  /** What it is about, when that is looked up again (an answer template's id: who deleted it, and when). */
  @Column({ type: 'uuid', nullable: true })
  subjectId!: string | null;

  /** What changed, in French, as the journal shows it. */
  @Column({ type: 'text' })
  summary!: string;
}
