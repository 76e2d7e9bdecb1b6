import { CallHandler, ExecutionContext, Inject, Injectable, mixin, NestInterceptor, Type } from '@nestjs/common';
import type { Request, Response } from 'express';
import multer from 'multer';
import { Observable } from 'rxjs';
import { AppConfig } from '../../config/app-config';
import { AppError, FieldError } from '../../common/errors/app-errors';
import { MULTIPART_FIELD_MAX_BYTES, MULTIPART_MAX_FIELDS } from '../../web/form-left-behind';
import { refused, unsafeFields } from '../../web/input-guard';
import { fileTooLarge } from './attachments.service';

/** The form field files are sent in, unless a route names another. */
export const FILES_FIELD = 'fichiers';

/** The 413 of an API route taking JSON or files, as OpenAPI describes it. */
export const TOO_LARGE_WITH_FILES = 'Corps JSON de plus de 100 Ko, ou un fichier au-delà de la taille maximale';

/**
 * Parses a multipart/form-data body for one route (body parsing is global for JSON and urlencoded only):
 * files held in memory within ATTACHMENT_MAX_BYTES and ATTACHMENTS_PER_MESSAGE, text fields in req.body,
 * files in req.files. Use: `@UseInterceptors(UploadInterceptor())` then `@UploadedFiles() files`. Its limits
 * answer 413 (file too large) or 400 with a French message; the content is checked later by AttachmentsService.
 * Guards run before interceptors: a guard reading a form field (a CSRF token) sees an empty body on these routes.
 * `keepForm` (pages): a file over a limit does not end the request with an error page; its refusal is left for the
 * handler (`uploadRefusalOf`), which gives the form back with the text typed before the files (read by then).
 * `maxBytes`: a route whose files are no attachments (a CSV import) has its own size limit.
 */
export function UploadInterceptor(
  field: string = FILES_FIELD,
  options: { keepForm?: boolean; maxBytes?: number } = {},
): Type<NestInterceptor> {
  @Injectable()
  class MultipartUpload implements NestInterceptor {
    private readonly parse: ReturnType<multer.Multer['array']>;

    private readonly maxBytes: number;

    constructor(@Inject(AppConfig) private readonly config: AppConfig) {
      this.maxBytes = options.maxBytes ?? config.ATTACHMENT_MAX_BYTES;
      this.parse = multer({
        storage: multer.memoryStorage(),
        // Browsers send file names as UTF-8 without saying so.
        defParamCharset: 'utf8',
        limits: {
          fileSize: this.maxBytes,
          files: config.ATTACHMENTS_PER_MESSAGE,
          fieldSize: MULTIPART_FIELD_MAX_BYTES,
          fields: MULTIPART_MAX_FIELDS,
        },
      }).array(field, config.ATTACHMENTS_PER_MESSAGE);
    }

    async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
      const http = context.switchToHttp();
      const req = http.getRequest<Request>();
      await new Promise<void>((resolve, reject) =>
        this.parse(req, http.getResponse<Response>(), (error: unknown) => {
          if (!error) return resolve();
          const refusal = uploadError(error, this.config, this.maxBytes);
          if (!options.keepForm || refusal.code === 'malformed_body') return reject(refusal);
          Object.assign(req, { files: [], [REFUSAL]: refusal });
          resolve();
        }),
      );
      // The global input guard ran before this body was read.
      const unsafe = unsafeFields(req.body);
      if (unsafe.length) throw refused(unsafe);
      return next.handle();
    }
  }
  return mixin(MultipartUpload);
}

const REFUSAL = Symbol('upload refusal');

/** The limit a `keepForm` upload went over, for the handler to show on its form; undefined when every file was taken. */
export function uploadRefusalOf(req: Request): AppError | undefined {
  return (req as Request & { [REFUSAL]?: AppError })[REFUSAL];
}

/** multer's and busboy's errors, in French and with the right status. */
export function uploadError(error: unknown, config: AppConfig, maxBytes = config.ATTACHMENT_MAX_BYTES): AppError {
  const code = error instanceof multer.MulterError ? error.code : null;
  const refuse = (message: string) => new AppError('validation_failed', message, [{ field: FILES_FIELD, message }]);
  switch (code) {
    case 'LIMIT_FILE_SIZE':
      return fileTooLarge((error as multer.MulterError & { filename?: string }).filename ?? '', maxBytes);
    case 'LIMIT_FILE_COUNT':
      return refuse(`Joignez au plus ${config.ATTACHMENTS_PER_MESSAGE} fichiers.`);
    // multer says so both of one file too many and of a file sent under another field's name (an API client's slip).
    case 'LIMIT_UNEXPECTED_FILE': {
      const field = (error as multer.MulterError).field;
      return field && field !== FILES_FIELD
        ? refuse(`Les fichiers s’envoient dans le champ « ${FILES_FIELD} » : le champ « ${field} » n’en reçoit pas.`)
        : refuse(`Joignez au plus ${config.ATTACHMENTS_PER_MESSAGE} fichiers, avec le bouton prévu pour cela.`);
    }
    case null:
      return new AppError('malformed_body', 'Le formulaire envoyé est incomplet ou mal formé. Réessayez.', [
        { field: '', message: 'Le formulaire envoyé est incomplet ou mal formé. Réessayez.' },
      ]);
    default:
      return refuse('Le formulaire envoyé est trop volumineux : raccourcissez le texte ou envoyez moins de champs.');
  }
}

/** A browser cannot be given back the files of a form sent back with errors: the summary asks for them again. */
export function filesToChooseAgain(chosenFiles: string[], errors: FieldError[]): FieldError[] {
  if (!chosenFiles.length || errors.some((error) => error.field === FILES_FIELD)) return [];
  const message =
    chosenFiles.length > 1
      ? `Choisissez de nouveau vos fichiers (${chosenFiles.join(', ')}) : ils ne sont pas gardés quand le formulaire revient avec une erreur.`
      : `Choisissez de nouveau votre fichier (${chosenFiles[0]}) : il n’est pas gardé quand le formulaire revient avec une erreur.`;
  return [{ field: FILES_FIELD, message }];
}
