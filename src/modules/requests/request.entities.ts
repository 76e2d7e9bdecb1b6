import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Department, Network, Segment } from '../reference/reference.entities';
import type { CloseReason, OrganisationType, PurchaseStage, RequestKind, RequestStatus } from './request.types';

@Entity('requests')
@Index(['networkCode', 'status'])
@Index('requests_pool_idx', ['networkCode', 'createdAt'], { where: "status = 'unassigned'" })
// Routing takes the oldest submitted requests in batches; the sweep looks for forgotten ones.
@Index('requests_waiting_idx', ['createdAt'], { where: "status = 'submitted'" })
// The lifecycle sweep looks every minute for requests waiting on their buyer: a few among all requests ever made.
@Index('requests_on_buyer_idx', ['status'], { where: "status IN ('answered', 'awaiting_buyer')" })
// The retention sweep looks for closed requests whose personal data are still there, oldest closure first.
@Index('requests_retention_idx', ['closedAt'], { where: "status = 'closed' AND anonymised_at IS NULL" })
// The indicators' covering indexes (INCLUDE, which TypeORM cannot declare: see migration RequestMilestones).
@Index('requests_indicators_created_idx', { synchronize: false })
@Index('requests_indicators_network_idx', { synchronize: false })
// The late answers' alert, per holding facilitator (partial and covering: see migration LateAnswersIndex).
@Index('requests_answered_holder_idx', { synchronize: false })
// A buyer who lost their links asks by e-mail address, in whatever case they type it (see migration TrackingLinks).
@Index('requests_buyer_email_idx', { synchronize: false })
// The staff search box's trigram index on search_text (an operator class, which TypeORM cannot declare either).
@Index('requests_search_idx', { synchronize: false })
// The staff lists' indexes (one covering with INCLUDE: see migration StaffQueueIndexes), declared there alone.
@Index('requests_facilitator_idx', { synchronize: false })
@Index('requests_open_idx', { synchronize: false })
@Index('requests_status_created_idx', { synchronize: false })
// The later questions about the same purchase, listed on the earlier request's page: a few requests among all.
@Index('requests_follows_up_idx', ['followsUpRequestId'], { where: 'follows_up_request_id IS NOT NULL' })
export class AdviceRequest {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** GV-YYYY-NNNNNN, numbered per year. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 20 })
  reference!: string;

  @Column({ type: 'varchar', length: 20 })
  status!: RequestStatus;

  @Column({ type: 'varchar', length: 20 })
  kind!: RequestKind;

  @Column({ type: 'varchar', length: 100 })
  buyerFirstName!: string;

  @Column({ type: 'varchar', length: 100 })
  buyerLastName!: string;

  @Column({ type: 'varchar', length: 254 })
  buyerEmail!: string;

  @Column({ type: 'varchar', length: 30, nullable: true })
  buyerPhone!: string | null;

  @Column({ type: 'varchar', length: 200 })
  organisationName!: string;

  @Column({ type: 'varchar', length: 30 })
  organisationType!: OrganisationType;

  @Column({ type: 'char', length: 14, nullable: true })
  siret!: string | null;

  @Column({ type: 'boolean', nullable: true })
  internalReferentConsulted!: boolean | null;

  @ManyToOne(() => Department, { nullable: false })
  @JoinColumn({ name: 'department_code' })
  department?: Department;

  @Column({ type: 'varchar', length: 3 })
  departmentCode!: string;

  /** The network whose territory holds the département, fixed at intake. */
  @ManyToOne(() => Network, { nullable: false })
  @JoinColumn({ name: 'network_code' })
  network?: Network;

  @Column({ type: 'varchar', length: 32 })
  networkCode!: string;

  @ManyToOne(() => Segment, { nullable: false })
  @JoinColumn({ name: 'segment_code' })
  segment?: Segment;

  @Column({ type: 'varchar', length: 40 })
  segmentCode!: string;

  @Column({ type: 'varchar', length: 200 })
  subject!: string;

  @Column({ type: 'text' })
  question!: string;

  @Column({ type: 'varchar', length: 30 })
  purchaseStage!: PurchaseStage;

  /** Euros excluding VAT, whole euros. */
  @Column({ type: 'bigint', nullable: true })
  estimatedAmount!: string | null;

  @Column({ type: 'date', nullable: true })
  neededBy!: string | null;

  @Column({ type: 'timestamptz' })
  consentedAt!: Date;

  /**
   * The earlier request about the same purchase that this one follows (the buyer's choice on the form reached from that
   * request's tracking link, or the API's `followsUp` with its token); null for a new purchase.
   */
  @ManyToOne(() => AdviceRequest, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'follows_up_request_id' })
  followsUp?: AdviceRequest | null;

  @Column({ type: 'uuid', nullable: true })
  followsUpRequestId!: string | null;

  /** The facilitator holding the request now (see request_assignments for the whole story). */
  @Column({ type: 'uuid', nullable: true })
  assignedFacilitatorId!: string | null;

  /** Take-charge deadlines missed so far; the second one alerts the network's animators. */
  @Column({ type: 'smallint', default: 0 })
  deadlineMisses!: number;

  /** When the network's animators were told this request waits in the pool; cleared when it falls there again. */
  @Column({ type: 'timestamptz', nullable: true })
  poolAlertedAt!: Date | null;

  /** Set when closed; a buyer's reply may reopen only some closures (see request-state.policy.ts). */
  @Column({ type: 'varchar', length: 20, nullable: true })
  closeReason!: CloseReason | null;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  /** When the buyer's personal data and the conversation were erased, the retention period after closure over. */
  @Column({ type: 'timestamptz', nullable: true })
  anonymisedAt!: Date | null;

  /** First taken in charge, set once (the indicators read these four, never the history). */
  @Column({ type: 'timestamptz', nullable: true })
  takenAt!: Date | null;

  /** Working days from submission to `takenAt`, in the département's calendar. */
  @Column({ type: 'numeric', precision: 7, scale: 2, nullable: true })
  takeChargeWorkingDays!: string | null;

  /** First answered, set once. */
  @Column({ type: 'timestamptz', nullable: true })
  answeredAt!: Date | null;

  /** Working days from submission to `answeredAt`. */
  @Column({ type: 'numeric', precision: 7, scale: 2, nullable: true })
  answerWorkingDays!: string | null;

  /** Whether that first answer came within its deadline; null when no deadline was set, or answered before this was kept. */
  @Column({ type: 'boolean', nullable: true })
  answeredOnTime!: boolean | null;

  /** The facilitator holding the request at its first answer, whose deadline answeredOnTime judges (kept through transfers). */
  @Column({ type: 'uuid', nullable: true })
  answerHolderId!: string | null;

  /** SHA-256 of the tracking token; the token itself is only ever in the buyer's link. */
  @Column({ type: 'bytea' })
  trackingTokenHash!: Buffer;

  /** The token sealed with APP_SECRET, so later e-mails can carry the buyer's link (null before it was kept). */
  @Column({ type: 'bytea', nullable: true })
  trackingTokenSealed!: Buffer | null;

  /** The last public history event the buyer was e-mailed about (see buyer-notifications). */
  @Column({ type: 'bigint', nullable: true })
  buyerNotifiedEventId!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  /**
   * What the staff search box reads (reference, subject, organisation, buyer's name and address), unaccented and
   * lower-cased by PostgreSQL on each write (migration StoredSearchText): never written from here, nor loaded.
   */
  @Column({
    type: 'text',
    generatedType: 'STORED',
    asExpression: `lower(gv_unaccent(reference || E'\\n' || subject || E'\\n' || organisation_name || E'\\n' || buyer_first_name || ' ' || buyer_last_name || E'\\n' || buyer_email))`,
    insert: false,
    update: false,
    select: false,
  })
  searchText?: string;
}

export type ActorType = 'buyer' | 'system' | 'staff';

/** One line of a request's history: who did what, when, from which status to which, and why. */
@Entity('request_events')
@Index(['requestId', 'id'])
export class RequestEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @ManyToOne(() => AdviceRequest, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'request_id' })
  request?: AdviceRequest;

  @Column({ type: 'uuid' })
  requestId!: string;

  @Column({ type: 'varchar', length: 40 })
  type!: string;

  @Column({ type: 'varchar', length: 20, nullable: true })
  fromStatus!: RequestStatus | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  toStatus!: RequestStatus | null;

  @Column({ type: 'varchar', length: 10 })
  actorType!: ActorType;

  @Column({ type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  /** The facilitator a request was given to, on the events that give it (routing, reassignment, taken from the pool). */
  @Column({ type: 'uuid', nullable: true })
  assigneeId!: string | null;

  /** Shown to the buyer on the tracking page. */
  @Column({ type: 'boolean' })
  isPublic!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
