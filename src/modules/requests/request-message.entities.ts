import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Attachment } from '../attachments/attachment.entities';
import { LegalReference } from '../reference/reference.entities';
import { AdviceRequest } from './request.entities';
import type { HelpItemType, MessageAuthorType, MessageKind, ReferralTarget } from './request-message.types';

/** One written exchange of a request: a question to the buyer, their precision, an answer, a reply, or a staff note. */
@Entity('request_messages')
@Index(['requestId', 'createdAt'])
export class RequestMessage {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @ManyToOne(() => AdviceRequest, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'request_id' })
  request?: AdviceRequest;

  @Column({ type: 'uuid' })
  requestId!: string;

  @Column({ type: 'varchar', length: 30 })
  kind!: MessageKind;

  @Column({ type: 'varchar', length: 10 })
  authorType!: MessageAuthorType;

  /** The staff member who wrote it; null for the buyer (who has no account). */
  @Column({ type: 'uuid', nullable: true })
  authorId!: string | null;

  /** As typed (light Markdown); rendered through renderRichText. */
  @Column({ type: 'text' })
  body!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** One typed piece of help an answer carries; which fields are filled depends on the type (see help-item.policy.ts). */
@Entity('answer_help_items')
@Index(['messageId', 'position'], { unique: true })
export class AnswerHelpItem {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @ManyToOne(() => RequestMessage, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'message_id' })
  message?: RequestMessage;

  @Column({ type: 'uuid' })
  messageId!: string;

  @Column({ type: 'smallint' })
  position!: number;

  @Column({ type: 'varchar', length: 20 })
  type!: HelpItemType;

  @Column({ type: 'varchar', length: 200, nullable: true })
  title!: string | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  url!: string | null;

  @ManyToOne(() => Attachment, { nullable: true })
  @JoinColumn({ name: 'attachment_id' })
  attachment?: Attachment | null;

  @Column({ type: 'uuid', nullable: true })
  attachmentId!: string | null;

  @ManyToOne(() => LegalReference, { nullable: true })
  @JoinColumn({ name: 'legal_reference_code' })
  legalReference?: LegalReference | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  legalReferenceCode!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  peerName!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  peerOrganisation!: string | null;

  /** E-mail or phone, as the peer agreed to share it. */
  @Column({ type: 'varchar', length: 254, nullable: true })
  peerContact!: string | null;

  @Column({ type: 'boolean', nullable: true })
  peerConsent!: boolean | null;

  @Column({ type: 'varchar', length: 30, nullable: true })
  referralTarget!: ReferralTarget | null;

  @Column({ type: 'text', nullable: true })
  details!: string | null;
}
