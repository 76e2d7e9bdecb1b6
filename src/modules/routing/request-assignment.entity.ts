import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Facilitator } from '../directory/directory.entities';
import { AdviceRequest } from '../requests/request.entities';

/**
 * `reassigned`: staff gave the request to someone they chose; `withdrawn`: staff took it away and let routing choose.
 * Either way routing never offers it to that facilitator again, as after a decline or a miss (excludedAfter). `absence`,
 * `inactive` (record out of routing), `departed` (account deactivated too): the holder became unavailable (AwayCause).
 * `realigned`: its territory moved to another network before anyone took it in charge (network-realignment).
 */
export type AssignmentEndReason =
  | 'declined'
  | 'deadline_missed'
  | 'absence'
  | 'inactive'
  | 'departed'
  | 'reassigned'
  | 'withdrawn'
  | 'transferred'
  | 'realigned'
  | 'finished';
export type DeclineReason = 'not_my_territory' | 'not_my_expertise' | 'unavailable';

/**
 * One facilitator holding one request, from assignment to its end. At most one is current per
 * request (unique index on the open ones): a request can never be assigned twice.
 */
@Entity('request_assignments')
// Who already held a request (declines, missed deadlines) is read on every routing decision.
@Index('request_assignments_request_idx', ['requestId'])
@Index('request_assignments_current_idx', ['requestId'], { unique: true, where: 'ended_at IS NULL' })
@Index('request_assignments_open_by_facilitator_idx', ['facilitatorId'], { where: 'ended_at IS NULL' })
// The indicators' alerts count a quarter's assignments (INCLUDE: see migration RequestMilestones).
@Index('request_assignments_assigned_idx', { synchronize: false })
@Index('request_assignments_due_idx', ['takeChargeDueAt'], { where: 'ended_at IS NULL AND taken_at IS NULL' })
@Index('request_assignments_reminder_idx', ['takeChargeReminderAt'], { where: 'ended_at IS NULL AND taken_at IS NULL' })
@Index('request_assignments_answer_reminder_idx', ['answerReminderAt'], { where: 'ended_at IS NULL AND answer_reminder_at IS NOT NULL' })
@Index('request_assignments_answer_overdue_idx', ['answerDueAt'], {
  where: 'ended_at IS NULL AND answer_due_at IS NOT NULL AND answer_overdue_announced_at IS NULL',
})
export class RequestAssignment {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  requestId!: string;

  @ManyToOne(() => AdviceRequest, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'request_id' })
  request?: AdviceRequest;

  @Column({ type: 'uuid' })
  facilitatorId!: string;

  @ManyToOne(() => Facilitator)
  @JoinColumn({ name: 'facilitator_id' })
  facilitator?: Facilitator;

  @Column({ type: 'timestamptz' })
  assignedAt!: Date;

  /** Working days counted from the assignment, in the request's département calendar. */
  @Column({ type: 'timestamptz' })
  takeChargeDueAt!: Date;

  /** When to remind the facilitator who has not taken it in charge (reminders.policy); null once sent, or none. */
  @Column({ type: 'timestamptz', nullable: true })
  takeChargeReminderAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  takenAt!: Date | null;

  /** Once taken: when the answer is due, the buyer's pauses deducted (null while one is open). The queue sorts on it. */
  @Column({ type: 'timestamptz', nullable: true })
  answerDueAt!: Date | null;

  /** When to remind the facilitator that the answer is due (reminders.policy); null once sent, or none. */
  @Column({ type: 'timestamptz', nullable: true })
  answerReminderAt!: Date | null;

  /**
   * When the network's animators were told the answer is overdue, in their daily digest; null until then, and
   * again when the deadline moves (a pause ended), so a deadline missed twice is told twice.
   */
  @Column({ type: 'timestamptz', nullable: true })
  answerOverdueAnnouncedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  endedAt!: Date | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  endReason!: AssignmentEndReason | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  declineReason!: DeclineReason | null;
}
