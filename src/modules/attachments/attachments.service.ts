import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { isUuid } from '../../common/validation';
import { AppConfig } from '../../config/app-config';
import { AppError, FieldError, NotFound } from '../../common/errors/app-errors';
import { sha256 } from '../../common/tokens';
import { SqlStatement } from '../../database/sql-statement';
import type { MessageAuthorType } from '../requests/request-message.types';
import { TrackingService } from '../requests/tracking.service';
import { AttachmentDownload, AttachmentsRepository, AttachmentSummary } from './attachments.repository';
import { cleanFileName, displayFileName } from './file-name.policy';
import { ACCEPTED_TYPES, detectFileType } from './file-type.policy';

/** A file as the upload interceptor hands it over (a subset of Express.Multer.File). */
export interface UploadedFile {
  originalname: string;
  buffer: Buffer;
}

export interface AttachmentOwner {
  requestId: string;
  /** The message the files come with, inserted in the same transaction; null for a file not yet tied to one. */
  messageId: string | null;
  uploadedByType: MessageAuthorType;
  uploadedById: string | null;
}

export interface PreparedAttachment {
  id: string;
  fileName: string;
  mediaType: string;
  size: number;
}

@Injectable()
export class AttachmentsService {
  constructor(
    private readonly attachments: AttachmentsRepository,
    private readonly tracking: TrackingService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /**
   * Checks every file (size, count, type from the content) and returns the statements that store them, for the
   * caller to run with its own change. Any refused file refuses them all: `unsupported_media_type` (415) with one
   * French error per refused file, under the field `fichiers` (an empty one: `validation_failed`, 400).
   */
  prepare(files: UploadedFile[], owner: AttachmentOwner): { attachments: PreparedAttachment[]; statements: SqlStatement[] } {
    if (files.length > this.config.ATTACHMENTS_PER_MESSAGE) {
      const message = `Joignez au plus ${this.config.ATTACHMENTS_PER_MESSAGE} fichiers.`;
      throw new AppError('validation_failed', message, [{ field: 'fichiers', message }]);
    }
    const tooLarge = files.find((file) => file.buffer.length > this.config.ATTACHMENT_MAX_BYTES);
    if (tooLarge) throw fileTooLarge(tooLarge.originalname, this.config.ATTACHMENT_MAX_BYTES);
    // An empty file is not of a refused type: it was not read (moved, or still being written), to be chosen again.
    const empty = files.filter((file) => file.buffer.length === 0);
    if (empty.length) {
      const errors = empty.map((file) => ({
        field: 'fichiers',
        message: `« ${cleanFileName(file.originalname)} » est vide : choisissez de nouveau le fichier.`,
      }));
      throw new AppError('validation_failed', errors.map((e) => e.message).join(' '), errors);
    }
    const refused: FieldError[] = [];
    const prepared = files.map((file) => {
      const detected = detectFileType(file.buffer);
      if (!detected.ok) {
        refused.push({ field: 'fichiers', message: `« ${cleanFileName(file.originalname)} » : ${detected.reason}` });
        return null;
      }
      return {
        id: randomUUID(),
        fileName: displayFileName(file.originalname, detected.extension),
        mediaType: detected.mediaType,
        size: file.buffer.length,
        content: file.buffer,
      };
    });
    if (refused.length) {
      // The others are not kept either (all or nothing): the browser forgets them with the form, so say it.
      const others = files.filter((_file, index) => prepared[index] !== null).map((file) => `« ${cleanFileName(file.originalname)} »`);
      if (others.length) {
        const last = refused[refused.length - 1];
        last.message += ` ${others.length > 1 ? `Les autres fichiers (${others.join(', ')}) ne sont pas enregistrés non plus : choisissez-les de nouveau.` : `${others[0]} n’est pas enregistré non plus : choisissez-le de nouveau.`}`;
      }
      throw new AppError('unsupported_media_type', refused.map((r) => r.message).join(' '), refused);
    }
    const accepted = prepared as Array<PreparedAttachment & { content: Buffer }>;
    return {
      attachments: accepted.map(({ content: _content, ...attachment }) => attachment),
      statements: accepted.flatMap(({ content, ...attachment }) =>
        this.attachments.insertStatements({ ...attachment, ...owner, sha256: sha256(content) }, content),
      ),
    };
  }

  listForRequest(requestId: string): Promise<AttachmentSummary[]> {
    return this.attachments.listForRequest(requestId);
  }

  /** For staff, once access to the request is checked: any file of the request. */
  async readForRequest(requestId: string, attachmentId: string): Promise<AttachmentDownload> {
    return this.found(isUuid(attachmentId) ? await this.attachments.findDownload(requestId, attachmentId, false) : null);
  }

  /** For the buyer's private link: files of answers already sent, and their own; anything else is the tracking page's 404. */
  async readForBuyer(reference: unknown, token: unknown, attachmentId: string): Promise<AttachmentDownload> {
    const request = await this.tracking.authorise(reference, token);
    return this.found(isUuid(attachmentId) ? await this.attachments.findDownload(request.id, attachmentId, true) : null);
  }

  private found(download: AttachmentDownload | null): AttachmentDownload {
    if (!download) throw new NotFound();
    return download;
  }
}

/** The limits an upload field states in its hint, and the types its file chooser offers (the content decides). */
export function uploadLimitsOf(config: AppConfig): { files: number; megabytes: number; accept: string } {
  const accept = [...Object.values(ACCEPTED_TYPES).map((type) => `.${type.extension}`), '.jpeg'].join(',');
  return { files: config.ATTACHMENTS_PER_MESSAGE, megabytes: megabytesOf(config.ATTACHMENT_MAX_BYTES), accept };
}

/** ATTACHMENT_MAX_BYTES as people read it: whole megabytes, at least 1. */
export function megabytesOf(maxBytes: number): number {
  return Math.floor(maxBytes / (1024 * 1024)) || 1;
}

export function fileTooLarge(fileName: string, maxBytes: number): AppError {
  const message = `Le fichier « ${cleanFileName(fileName)} » dépasse la taille maximale de ${megabytesOf(maxBytes)} Mo.`;
  return new AppError('payload_too_large', message, [{ field: 'fichiers', message }]);
}
