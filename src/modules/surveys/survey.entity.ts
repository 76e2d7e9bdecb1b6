import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { AdviceRequest } from '../requests/request.entities';
import type { SurveyAnswers } from './survey-answers.policy';
import type {
  ContractOutcome,
  EnvironmentalConsideration,
  Lever,
  Obstacle,
  SocialConsideration,
  SurveyDeclineWay,
  SurveyStatus,
  SurveyWave,
  Theme,
  Usefulness,
} from './survey.types';

/**
 * One follow-up survey of one closed request: its schedule, its private link, the buyer's answers and the
 * animators' review. One row per request and wave; a reopened request's pending survey is cancelled, and
 * rescheduled when it closes again. Answers are typed columns, not JSON, so the indicators aggregate them.
 */
@Entity('surveys')
@Index('surveys_request_wave_idx', ['requestId', 'wave'], { unique: true })
// The sweep finds surveys due to be sent, reminded or expired.
@Index('surveys_pending_idx', ['status', 'dueAt'], { where: "status IN ('scheduled', 'sent', 'reminded')" })
// The indicators count evaluations by wave and when they were answered.
@Index('surveys_completed_idx', ['wave', 'completedAt'], { where: 'completed_at IS NOT NULL' })
// The review lists them the latest first, both waves, and counts them (DESC and INCLUDE: see migration ReviewAndIndicatorsIndexes).
@Index('surveys_review_idx', { synchronize: false })
// Response rates count the surveys sent in a period (INCLUDE, which TypeORM cannot declare: see migration RequestMilestones).
@Index('surveys_sent_idx', { synchronize: false })
// Told only of a declined survey: whatever leaves `declined` (a late answer, a renewal) forgets how it came there.
@Check('surveys_declined_via_check', `"declined_via" IS NULL OR ("status" = 'declined' AND "declined_via" IN ('link', 'staff', 'opt_out'))`)
export class Survey {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @ManyToOne(() => AdviceRequest, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'request_id' })
  request?: AdviceRequest;

  @Column({ type: 'uuid' })
  requestId!: string;

  @Column({ type: 'varchar', length: 20 })
  wave!: SurveyWave;

  @Column({ type: 'varchar', length: 20 })
  status!: SurveyStatus;

  /** The facilitator who answered the request: the one an animator may share the evaluation with. */
  @Column({ type: 'uuid', nullable: true })
  facilitatorId!: string | null;

  /** When its next step is due: sending (scheduled), the reminder (sent), expiry (reminded). */
  @Column({ type: 'timestamptz' })
  dueAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  /**
   * How it was declined: a correction of the address declared a typo puts back one its old mailbox refused from the link,
   * not one staff or an opt-out ended (SURVEY_DECLINE_WAYS).
   */
  @Column({ type: 'varchar', length: 10, nullable: true })
  declinedVia!: SurveyDeclineWay | null;

  @Column({ type: 'timestamptz', nullable: true })
  remindedAt!: Date | null;

  /** Once sent: after this the link answers 404 and the survey is `expired` (unless completed). */
  @Column({ type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  /** First answer; later edits (until expiry) only move `answeredAt`. */
  @Column({ type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  answeredAt!: Date | null;

  /** SHA-256 of the random token in the buyer's link; set when sent. */
  @Index('surveys_token_hash_idx', { unique: true, where: 'token_hash IS NOT NULL' })
  @Column({ type: 'bytea', nullable: true })
  tokenHash!: Buffer | null;

  /** The token sealed with APP_SECRET, so the reminder carries the same link. */
  @Column({ type: 'bytea', nullable: true })
  tokenSealed!: Buffer | null;

  // Wave 1: satisfaction.
  @Column({ type: 'varchar', length: 10, nullable: true })
  usefulness!: Usefulness | null;

  @Column({ type: 'boolean', nullable: true })
  quickEnough!: boolean | null;

  // Both waves.
  @Column({ type: 'text', nullable: true })
  comment!: string | null;

  // Wave 2: impact.
  @Column({ type: 'varchar', length: 10, nullable: true })
  contractOutcome!: ContractOutcome | null;

  @Column({ type: 'date', nullable: true })
  contractDate!: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  contractReference!: string | null;

  @Column({ type: 'varchar', array: true, default: '{}' })
  levers!: Lever[];

  /** Weight of the sustainable award criterion, in percent (lever `award_criterion`). */
  @Column({ type: 'smallint', nullable: true })
  awardCriterionWeight!: number | null;

  /** Hours of work reserved for people in insertion (lever `insertion_clause`). */
  @Column({ type: 'integer', nullable: true })
  insertionHours!: number | null;

  @Column({ type: 'varchar', array: true, default: '{}' })
  themes!: Theme[];

  @Column({ type: 'varchar', array: true, default: '{}' })
  environmentalConsiderations!: EnvironmentalConsideration[];

  @Column({ type: 'varchar', array: true, default: '{}' })
  socialConsiderations!: SocialConsideration[];

  /** Euros excluding VAT, whole euros. */
  @Column({ type: 'bigint', nullable: true })
  contractAmount!: string | null;

  @Column({ type: 'varchar', array: true, default: '{}' })
  obstacles!: Obstacle[];

  @Column({ type: 'boolean', nullable: true })
  wouldUseAgain!: boolean | null;

  @Column({ type: 'boolean', nullable: true })
  reuseConsent!: boolean | null;

  /**
   * The valid part of a refused form, for the buyer to complete with the same link: not an answer, read by the survey's
   * page only (JSON: never aggregated). Cleared by the answer, the expiry, a reopening (the survey is sent again later
   * with a new link), a correction of the address and the erasure of the request's data.
   */
  @Column({ type: 'jsonb', nullable: true })
  partialAnswers!: SurveyAnswers | null;

  // The animators' review.
  @Column({ type: 'timestamptz', nullable: true })
  reviewedAt!: Date | null;

  /** Staff account id of the reviewer. */
  @Column({ type: 'uuid', nullable: true })
  reviewedBy!: string | null;

  @Column({ type: 'text', nullable: true })
  reviewNote!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  sharedWithFacilitatorAt!: Date | null;

  /** Staff account id of who shared it (null for shares made before it was kept). */
  @Column({ type: 'uuid', nullable: true })
  sharedBy!: string | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
