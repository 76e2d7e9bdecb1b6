import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { StaffUser } from '../accounts/accounts.entities';
import { AdviceRequest } from '../requests/request.entities';

/**
 * An answer being written and not sent yet: its text and typed help items (never files), one per request and staff
 * member. Personal data of the request: gone when the answer is sent, the request closes or its data are erased.
 */
@Entity('answer_drafts')
// The answer's own limit (STAFF_TEXT_MAX): a draft holds nothing the answer could not send.
@Check('answer_drafts_body_length_check', `char_length("body") <= 10000`)
// A facilitator's pages ask whether they left any (the navigation's « Mes brouillons laissés »): by author.
@Index('answer_drafts_staff_user_idx', ['staffUserId'])
export class AnswerDraft {
  @PrimaryColumn({ type: 'uuid' })
  requestId!: string;

  @ManyToOne(() => AdviceRequest, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'request_id' })
  request?: AdviceRequest;

  @PrimaryColumn({ type: 'uuid' })
  staffUserId!: string;

  @ManyToOne(() => StaffUser, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'staff_user_id' })
  staffUser?: StaffUser;

  @Column({ type: 'text' })
  body!: string;

  /** The help items as typed in the form (answer-draft.policy's DraftItem), a file pointed to by its name only. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  items!: unknown[];

  @Column({ type: 'timestamptz' })
  savedAt!: Date;
}
