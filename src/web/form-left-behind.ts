import type { Request, Response } from 'express';
import multer from 'multer';
import { carriesHelpItems, formPagePath, TypedText, typedTexts } from './form-left-behind.policy';

/** What form-left-behind.njk shows of a form sent and not taken: its free text and help items to copy, and where the form was. */
export interface FormLeftBehind {
  texts: TypedText[];
  /** The answer's help items, one line each, by the labels the form showed. */
  items: string[];
  page: string;
}

/** The help items of an answer form as lines, by the form's labels (typedHelpItemLines, with the seeded legal references). */
export type HelpItemLines = (items: unknown) => string[];

/** Text fields of a multipart form: the same bound as urlencoded bodies (100 KB). */
export const MULTIPART_FIELD_MAX_BYTES = 100 * 1024;
export const MULTIPART_MAX_FIELDS = 200;
const FORM_PAGE = 'formPage';
const HELP_ITEM_LINES = 'helpItemLines';

/** Files are read through and dropped: only the text typed matters here. */
const dropFiles: multer.StorageEngine = {
  _handleFile(_req, file, callback) {
    file.stream.on('error', callback).on('end', () => callback(null, {}));
    file.stream.resume();
  },
  _removeFile(_req, _file, callback) {
    callback(null);
  },
};
const readTextFields = multer({
  storage: dropFiles,
  limits: { fieldSize: MULTIPART_FIELD_MAX_BYTES, fields: MULTIPART_MAX_FIELDS },
}).any();

/**
 * The guard sets where a staff form was (formReturnPath), and how to name its help items, before its token is checked;
 * other forms post to their own page.
 */
export function rememberFormPage(res: Response, page: string, helpItemLines?: HelpItemLines): void {
  res.locals[FORM_PAGE] = page;
  res.locals[HELP_ITEM_LINES] = helpItemLines;
}

/**
 * Reads a multipart form (the answer, with its files) no handler read: refused before its interceptor (no session),
 * its body is still unread. A body that does not parse gives what it gave before the fault, or nothing.
 */
export async function readUnreadForm(req: Request, res: Response): Promise<void> {
  if (req.body !== undefined || !req.is('multipart/form-data')) return;
  await new Promise<void>((resolve) => readTextFields(req, res, () => resolve()));
}

/** The form's free text and help items, and the page it was on. */
export function formLeftBehind(req: Request, res: Response): FormLeftBehind {
  // Forms outside the workspace (sign-in, password, tracking links) are sent to their own page.
  const page = typeof res.locals[FORM_PAGE] === 'string' ? (res.locals[FORM_PAGE] as string) : formPagePath(req.path, () => true);
  if (!postedFromThisSite(req)) return { texts: [], items: [], page };
  const helpItemLines = res.locals[HELP_ITEM_LINES] as HelpItemLines | undefined;
  const items = helpItemLines && carriesHelpItems(req.path) ? helpItemLines((req.body as Record<string, unknown> | undefined)?.items) : [];
  return { texts: typedTexts(req.body, req.path), items, page };
}

/**
 * Only a form of this site is given back: another site posting here would have its words shown on our pages. Browsers
 * say where a form came from (Sec-Fetch-Site); one that does not is taken as this site's.
 */
export function postedFromThisSite(req: Request): boolean {
  return (req.header('sec-fetch-site') ?? 'same-origin') === 'same-origin';
}
