import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, OneToOne, PrimaryColumn } from 'typeorm';
import { AdviceRequest } from '../requests/request.entities';
import { RequestMessage } from '../requests/request-message.entities';
import type { MessageAuthorType } from '../requests/request-message.types';

/** A file sent with a request's message; its bytes are in attachment_contents so listings stay light. */
@Entity('attachments')
@Index(['requestId', 'createdAt'])
export class Attachment {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @ManyToOne(() => AdviceRequest, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'request_id' })
  request?: AdviceRequest;

  @Column({ type: 'uuid' })
  requestId!: string;

  @ManyToOne(() => RequestMessage, { nullable: true, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'message_id' })
  message?: RequestMessage | null;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  messageId!: string | null;

  /** The name as given, cleaned for display (see sanitiseFileName). */
  @Column({ type: 'varchar', length: 200 })
  fileName!: string;

  /** Detected from the content, never taken from the client. */
  @Column({ type: 'varchar', length: 100 })
  mediaType!: string;

  @Column({ type: 'integer' })
  size!: number;

  @Column({ type: 'bytea' })
  sha256!: Buffer;

  @Column({ type: 'varchar', length: 10 })
  uploadedByType!: MessageAuthorType;

  @Column({ type: 'uuid', nullable: true })
  uploadedById!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** In PostgreSQL, so that restoring the database restores the files with it. */
@Entity('attachment_contents')
export class AttachmentContent {
  @PrimaryColumn({ type: 'uuid' })
  attachmentId!: string;

  @OneToOne(() => Attachment, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'attachment_id' })
  attachment?: Attachment;

  @Column({ type: 'bytea' })
  content!: Buffer;
}
