import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { SqlStatement } from '../../database/sql-statement';
import type { StaffRole } from '../accounts/accounts.types';
import { MessageAuthor } from './message-author.policy';
import { BUYER_VISIBLE_KINDS, HelpItem, MessageAuthorType, MessageKind } from './request-message.types';

export interface NewRequestMessage {
  /** Chosen by the caller, so that files uploaded with the message can point to it in the same transaction. */
  id: string;
  requestId: string;
  kind: MessageKind;
  authorType: MessageAuthorType;
  authorId: string | null;
  body: string;
}

/** A file as a message lists it (its bytes are read only on download). */
export interface MessageFile {
  id: string;
  fileName: string;
  mediaType: string;
  size: number;
}

export interface HelpItemView extends HelpItem {
  id: string;
  position: number;
  legalReference: { label: string; url: string } | null;
  attachment: MessageFile | null;
}

export interface MessageView {
  id: string;
  kind: MessageKind;
  authorType: MessageAuthorType;
  authorId: string | null;
  /** The author's role, first name and network, as far as they are known: what the buyer is told of who wrote. */
  author: MessageAuthor;
  body: string;
  createdAt: Date;
  items: HelpItemView[];
  /** Files sent with the message that no help item names (an item's file is shown with the item). */
  otherFiles: MessageFile[];
}

/** A message as the staff read it: its author by their account's full name (the request's files are listed apart). */
export function staffMessageView({
  author,
  otherFiles: _otherFiles,
  ...message
}: MessageView): Omit<MessageView, 'author' | 'otherFiles'> & { authorName: string | null } {
  return { ...message, authorName: author.staffName };
}

/** Who reads: staff see everything, the buyer only the conversation (no internal notes). */
export type Audience = 'staff' | 'buyer';

@Injectable()
export class RequestMessagesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The message and its help items (in order), to run as one with the status change, its event and its e-mail. */
  insertStatements(message: NewRequestMessage, items: HelpItem[] = []): SqlStatement[] {
    return [
      {
        sql: `INSERT INTO request_messages (id, request_id, kind, author_type, author_id, body) VALUES ($1, $2, $3, $4, $5, $6)`,
        params: [message.id, message.requestId, message.kind, message.authorType, message.authorId, message.body],
      },
      ...items.map((item, position) => ({
        sql: `INSERT INTO answer_help_items (id, message_id, position, type, title, url, attachment_id, legal_reference_code,
                peer_name, peer_organisation, peer_contact, peer_consent, referral_target, details)
              VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
        params: [
          randomUUID(),
          message.id,
          position,
          item.type,
          item.title,
          item.url,
          item.attachmentId,
          item.legalReferenceCode,
          item.peerName,
          item.peerOrganisation,
          item.peerContact,
          item.peerConsent,
          item.referralTarget,
          item.details,
        ],
      })),
    ];
  }

  /** The text of a message already stored under this id (a form sent twice carries the same id), or null; by `authorId` only, if given. */
  async bodyOf(manager: EntityManager, messageId: string, authorId: string | null = null): Promise<string | null> {
    const rows: Array<{ body: string }> = await manager.query(
      `SELECT body FROM request_messages WHERE id = $1 AND ($2::uuid IS NULL OR author_id = $2)`,
      [messageId, authorId],
    );
    return rows[0]?.body ?? null;
  }

  /** The buyer's latest message on the request (its id), or null: what a facilitator writing an answer has read. */
  async latestFromBuyer(manager: EntityManager, requestId: string): Promise<string | null> {
    const rows: Array<{ id: string }> = await manager.query(
      `SELECT id FROM request_messages WHERE request_id = $1 AND author_type = 'buyer' ORDER BY created_at DESC, id DESC LIMIT 1`,
      [requestId],
    );
    return rows[0]?.id ?? null;
  }

  /** Whether this message is the request's first of its kind (the answer itself, not a complement to it). */
  async isFirstOfKind(manager: EntityManager, messageId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM request_messages m
        WHERE m.id = $1 AND NOT EXISTS (
          SELECT 1 FROM request_messages e
           WHERE e.request_id = m.request_id AND e.kind = m.kind AND (e.created_at, e.id) < (m.created_at, m.id))`,
      [messageId],
    );
    return rows.length > 0;
  }

  /**
   * Whether this author wrote this very text as this kind of message on the request since `since`: a page sent anew
   * after « Retour » (whose form token is new) repeats it.
   */
  async writtenSince(
    manager: EntityManager,
    message: Pick<NewRequestMessage, 'requestId' | 'kind' | 'authorType' | 'authorId' | 'body'>,
    since: Date,
  ): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM request_messages
        WHERE request_id = $1 AND kind = $2 AND author_type = $3 AND author_id IS NOT DISTINCT FROM $4 AND body = $5
          AND created_at > $6 LIMIT 1`,
      [message.requestId, message.kind, message.authorType, message.authorId, message.body, since],
    );
    return rows.length > 0;
  }

  /** When the n-th most recent message of this kind since `since` was written (null: fewer), for a limit on them. */
  async nthLatestAt(db: DataSource | EntityManager, requestId: string, kind: MessageKind, since: Date, n: number): Promise<Date | null> {
    const rows: Array<{ at: Date }> = await db.query(
      `SELECT created_at AS at FROM request_messages WHERE request_id = $1 AND kind = $2 AND created_at > $3
        ORDER BY created_at DESC OFFSET $4 LIMIT 1`,
      [requestId, kind, since, n - 1],
    );
    return rows[0]?.at ?? null;
  }

  /** When the latest message of this kind was written (the latest answer opens the buyer's reply window). */
  async latestAt(db: DataSource | EntityManager, requestId: string, kind: MessageKind): Promise<Date | null> {
    const rows: Array<{ at: Date }> = await db.query(
      `SELECT max(created_at) AS at FROM request_messages WHERE request_id = $1 AND kind = $2`,
      [requestId, kind],
    );
    return rows[0]?.at ?? null;
  }

  /**
   * A request's messages, oldest first, each with its help items (legal reference and file resolved).
   * Within a transaction, pass its manager: a second connection taken meanwhile could wait forever on a
   * lock queued behind the transaction's own (or on a pool the transactions have emptied).
   */
  async messagesOf(requestId: string, audience: Audience, db: DataSource | EntityManager = this.dataSource): Promise<MessageView[]> {
    const kinds = audience === 'buyer' ? [...BUYER_VISIBLE_KINDS] : null;
    const rows: MessageRow[] = await db.query(
      `SELECT m.id, m.kind, m.author_type AS "authorType", m.author_id AS "authorId", m.body, m.created_at AS "createdAt",
              su.role AS "authorRole", su.first_name || ' ' || su.last_name AS "authorStaffName",
              f.first_name AS "authorFirstName", COALESCE(fn.name, rn.name) AS "authorNetworkName", f.organisation AS "authorOrganisation"
         FROM request_messages m
         JOIN requests r ON r.id = m.request_id
         JOIN networks rn ON rn.code = r.network_code
         LEFT JOIN staff_users su ON m.author_type = 'staff' AND su.id = m.author_id
         LEFT JOIN facilitators f ON f.id = su.facilitator_id
         LEFT JOIN networks fn ON fn.code = f.network_code
        WHERE m.request_id = $1 AND ($2::text[] IS NULL OR m.kind = ANY($2))
        ORDER BY m.created_at, m.id`,
      [requestId, kinds],
    );
    const messages = rows.map(({ authorRole, authorStaffName, authorFirstName, authorNetworkName, authorOrganisation, ...message }) => ({
      ...message,
      author: {
        type: message.authorType,
        role: authorRole,
        staffName: authorStaffName,
        firstName: authorFirstName,
        networkName: authorNetworkName,
        organisation: authorOrganisation,
      },
    }));
    if (!messages.length) return [];
    const items: ItemRow[] = await db.query(
      `SELECT i.id, i.message_id AS "messageId", i.position, i.type, i.title, i.url, i.attachment_id AS "attachmentId",
                i.legal_reference_code AS "legalReferenceCode", i.peer_name AS "peerName", i.peer_organisation AS "peerOrganisation",
                i.peer_contact AS "peerContact", i.peer_consent AS "peerConsent", i.referral_target AS "referralTarget", i.details,
                lr.label AS "lrLabel", lr.url AS "lrUrl", a.file_name AS "fileName", a.media_type AS "mediaType", a.size
           FROM answer_help_items i
           LEFT JOIN legal_references lr ON lr.code = i.legal_reference_code
           LEFT JOIN attachments a ON a.id = i.attachment_id
          WHERE i.message_id = ANY($1)
          ORDER BY i.position`,
      [messages.map((m) => m.id)],
    );
    const files: Array<MessageFile & { messageId: string }> = await db.query(
      `SELECT a.id, a.message_id AS "messageId", a.file_name AS "fileName", a.media_type AS "mediaType", a.size
         FROM attachments a
        WHERE a.message_id = ANY($1)
        ORDER BY a.created_at, a.id`,
      [messages.map((m) => m.id)],
    );
    const named = new Set(items.map((item) => item.attachmentId));
    return messages.map((message) => ({
      ...message,
      items: items.filter((row) => row.messageId === message.id).map(toItemView),
      otherFiles: files
        .filter((file) => file.messageId === message.id && !named.has(file.id))
        .map(({ messageId: _messageId, ...file }) => ({ ...file, size: Number(file.size) })),
    }));
  }
}

/** A message as read, with what is known of its author. */
type MessageRow = Omit<MessageView, 'items' | 'author' | 'otherFiles'> & {
  authorRole: StaffRole | null;
  authorStaffName: string | null;
  authorFirstName: string | null;
  authorNetworkName: string | null;
  authorOrganisation: string | null;
};

/** A help item as read, with its legal reference and file joined. */
type ItemRow = HelpItem & {
  id: string;
  messageId: string;
  position: number;
  lrLabel: string | null;
  lrUrl: string | null;
  fileName: string | null;
  mediaType: string | null;
  size: number | null;
};

function toItemView({ messageId: _messageId, lrLabel, lrUrl, fileName, mediaType, size, ...item }: ItemRow): HelpItemView {
  return {
    ...item,
    legalReference: lrLabel && lrUrl ? { label: lrLabel, url: lrUrl } : null,
    attachment: item.attachmentId && fileName ? { id: item.attachmentId, fileName, mediaType: mediaType ?? '', size: Number(size) } : null,
  };
}
