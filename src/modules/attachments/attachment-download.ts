import type { Response } from 'express';
import type { AttachmentDownload } from './attachments.repository';

type ContentDisposition = (fileName: string, options?: { type?: 'attachment' | 'inline'; fallback?: string | boolean }) => string;
// The package ships no types; this is its documented signature.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const contentDisposition: ContentDisposition = require('content-disposition');

/**
 * Sends a stored file: always as a download (never rendered by the browser in the site's origin), under its
 * stored type, never sniffed, never cached (private files; the buyer's link carries a token).
 */
export function sendAttachment(res: Response, file: AttachmentDownload): void {
  res.setHeader('Content-Type', file.mediaType);
  res.setHeader('Content-Length', String(file.content.length));
  res.setHeader('Content-Disposition', contentDisposition(file.fileName, { type: 'attachment', fallback: asciiFallback(file.fileName) }));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
  res.end(file.content);
}

/** Header bytes outside ASCII are read differently by different clients: plain ASCII in `filename`, UTF-8 in `filename*`. */
function asciiFallback(fileName: string): string {
  return fileName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '_');
}
