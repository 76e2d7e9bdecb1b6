import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SqlStatement } from '../../database/sql-statement';
import { Attachment } from './attachment.entities';

export type NewAttachment = Omit<Attachment, 'createdAt' | 'request' | 'message'>;

/** What a listing shows: never the bytes. */
export type AttachmentSummary = Pick<Attachment, 'id' | 'messageId' | 'fileName' | 'mediaType' | 'size' | 'uploadedByType' | 'createdAt'>;

export interface AttachmentDownload {
  fileName: string;
  mediaType: string;
  content: Buffer;
}

@Injectable()
export class AttachmentsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The file's description and its bytes, to run in the caller's transaction. */
  insertStatements(attachment: NewAttachment, content: Buffer): SqlStatement[] {
    return [
      {
        sql: `INSERT INTO attachments (id, request_id, message_id, file_name, media_type, size, sha256, uploaded_by_type, uploaded_by_id)
              VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        params: [
          attachment.id,
          attachment.requestId,
          attachment.messageId,
          attachment.fileName,
          attachment.mediaType,
          attachment.size,
          attachment.sha256,
          attachment.uploadedByType,
          attachment.uploadedById,
        ],
      },
      { sql: `INSERT INTO attachment_contents (attachment_id, content) VALUES ($1, $2)`, params: [attachment.id, content] },
    ];
  }

  listForRequest(requestId: string): Promise<AttachmentSummary[]> {
    return this.dataSource.query(
      `SELECT id, message_id AS "messageId", file_name AS "fileName", media_type AS "mediaType", size,
              uploaded_by_type AS "uploadedByType", created_at AS "createdAt"
         FROM attachments WHERE request_id = $1 ORDER BY created_at, id`,
      [requestId],
    );
  }

  /** One file of this request; `forBuyer`: only one the buyer may read — of an answer already sent, or their own. */
  async findDownload(requestId: string, attachmentId: string, forBuyer: boolean): Promise<AttachmentDownload | null> {
    const rows: AttachmentDownload[] = await this.dataSource.query(
      `SELECT a.file_name AS "fileName", a.media_type AS "mediaType", c.content
         FROM attachments a
         JOIN attachment_contents c ON c.attachment_id = a.id
         LEFT JOIN request_messages m ON m.id = a.message_id
        WHERE a.id = $1 AND a.request_id = $2 AND (NOT $3 OR m.kind = 'answer' OR a.uploaded_by_type = 'buyer')`,
      [attachmentId, requestId, forBuyer],
    );
    return rows[0] ?? null;
  }
}
