import { randomUUID } from 'node:crypto';
import { Environment } from 'nunjucks';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { runAsOne, SqlStatement } from '../../src/database/sql-statement';
import { AttachmentsService } from '../../src/modules/attachments/attachments.service';
import { AutoCloseService } from '../../src/modules/auto-close/auto-close.service';
import { MailComposer } from '../../src/modules/mail/mail-composer';
import { BuyerNotificationsService } from '../../src/modules/buyer-notifications/buyer-notifications.service';
import { RequestMessagesRepository } from '../../src/modules/requests/request-messages.repository';
import { HelpItem, helpItemOf, MessageKind } from '../../src/modules/requests/request-message.types';
import type { RequestStatus } from '../../src/modules/requests/request.types';
import { RequestsRepository } from '../../src/modules/requests/requests.repository';
import { replyWindowEnd } from '../../src/modules/requests/reply-window.policy';
import { Clock } from '../../src/common/clock';
import { addFrenchFilters } from '../../src/common/french-format';
import { withinOfficeHours } from '../../src/common/working-days.policy';
import { insertFacilitator } from './facilitators';
import { insertStaff } from './staff';
import { TestApp, validRequestBody, waitFor } from './test-app';

export interface TrackedTestRequest {
  id: string;
  reference: string;
  token: string;
  facilitatorId: string;
}

/** Submits through the API, then plays routing and taking in charge straight into the tables (one facilitator, one place taken). */
export async function submittedAndTaken(
  t: TestApp,
  n: number,
  facilitator: { email?: string; firstName?: string } = {},
): Promise<TrackedTestRequest> {
  const response = await fetch(`${t.url}/api/v1/requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(validRequestBody(n)),
  });
  const { reference, trackingUrl } = await response.json();
  const [{ id }] = await t.dataSource.query(`SELECT id FROM requests WHERE reference = $1`, [reference]);
  // The request's row is held first: a routing job of a test app with workers waits, then finds it taken.
  const facilitatorId = await t.dataSource.transaction(async (manager) => {
    await manager.query(`SELECT 1 FROM requests WHERE id = $1 FOR UPDATE`, [id]);
    const facilitatorId = await insertFacilitator(manager, facilitator);
    await manager.query(`UPDATE facilitators SET open_count = 1 WHERE id = $1`, [facilitatorId]);
    await manager.query(
      `INSERT INTO request_assignments (id, request_id, facilitator_id, assigned_at, take_charge_due_at, taken_at)
       VALUES ($1, $2, $3, now(), now(), now())`,
      [randomUUID(), id, facilitatorId],
    );
    await manager.query(`UPDATE requests SET status = 'in_progress', assigned_facilitator_id = $2 WHERE id = $1`, [id, facilitatorId]);
    return facilitatorId;
  });
  return { id, reference, token: new URL(trackingUrl).searchParams.get('t')!, facilitatorId };
}

/** What the staff workspace will do: a message (with help items and files), the status, its public event, the buyer's e-mail and timer. */
export async function staffWrites(
  t: TestApp,
  request: TrackedTestRequest,
  kind: Extract<MessageKind, 'clarification_question' | 'answer'>,
  body: string,
  items: HelpItem[] = [],
  files: Array<{ name: string; content: Buffer }> = [],
): Promise<string[]> {
  const to: RequestStatus = kind === 'answer' ? 'answered' : 'awaiting_buyer';
  const [{ status }] = await t.dataSource.query(`SELECT status FROM requests WHERE id = $1`, [request.id]);
  const messageId = randomUUID();
  // Written from the facilitator's account, as in the workspace: the buyer's e-mail names its author from it.
  const [account]: Array<{ id: string }> = await t.dataSource.query(`SELECT id FROM staff_users WHERE facilitator_id = $1`, [
    request.facilitatorId,
  ]);
  const authorId = account?.id ?? (await insertStaff(t.dataSource, { role: 'facilitator', facilitatorId: request.facilitatorId })).id;
  const prepared = t.app.get(AttachmentsService).prepare(
    files.map((f) => ({ originalname: f.name, buffer: f.content })),
    { requestId: request.id, messageId, uploadedByType: 'staff', uploadedById: authorId },
  );
  const fileItems = prepared.attachments.map((a) => helpItemOf('tender_file', { title: a.fileName, attachmentId: a.id }));
  const requests = t.app.get(RequestsRepository);
  const now = t.app.get(Clock).now();
  const statements: SqlStatement[] = [
    ...prepared.statements,
    ...t.app
      .get(RequestMessagesRepository)
      .insertStatements({ id: messageId, requestId: request.id, kind, authorType: 'staff', authorId, body }, [...items, ...fileItems]),
    requests.statusStatement(request.id, to),
    requests.eventStatement({
      requestId: request.id,
      type: kind === 'answer' ? 'answered' : 'clarification_requested',
      fromStatus: status,
      toStatus: to,
      actorType: 'staff',
      actorId: request.facilitatorId,
      reason: null,
      isPublic: true,
    }),
    ...t.app.get(BuyerNotificationsService).scheduleStatements(request.id, now),
    ...t.app.get(AutoCloseService).scheduleStatements(request.id, t.app.get(AutoCloseService).dueAt(now, '38')),
  ];
  await runAsOne(t.dataSource, statements);
  return prepared.attachments.map((a) => a.id);
}

/**
 * The messages of that template, oldest first, with their bodies as they will be sent (rendered from their
 * context); a message already sent has none left.
 */
export async function mailsTo(
  t: TestApp,
  template: string,
): Promise<Array<{ recipient: string; subject: string; text_body: string; html_body: string }>> {
  const rows: Array<{ recipient: string; subject: string; context: Record<string, unknown> | null }> = await t.dataSource.query(
    `SELECT recipient, subject, context FROM mail_messages WHERE template = $1 ORDER BY created_at`,
    [template],
  );
  return rows.map(({ recipient, subject, context }) => {
    const { text, html } = context ? composer.compose({ template, subject, context }) : { text: null, html: null };
    return { recipient, subject, text_body: text!, html_body: html! };
  });
}

const composer = new MailComposer();

/** The pages' and e-mails' date and number filters, to write what a test expects as the product writes it. */
export const frenchFilters = addFrenchFilters(new Environment());

/**
 * The nth e-mail (from 1) of that template to that address, once sent, as written under MAIL_DIR
 * (quoted-printable undone); fails if more than n were written.
 */
export async function sentMailFile(t: TestApp, template: string, recipient: string, nth = 1): Promise<string> {
  const mails = await waitFor<Array<{ id: string }>>(
    async () => {
      const rows: Array<{ id: string; status: string }> = await t.dataSource.query(
        `SELECT id, status FROM mail_messages WHERE template = $1 AND recipient = $2 ORDER BY created_at, id`,
        [template, recipient],
      );
      return rows.length >= nth && rows[nth - 1].status === 'sent' && rows;
    },
    15_000,
    `courriel ${template} n° ${nth} envoyé`,
  );
  expect(mails).toHaveLength(nth);
  const mail = mails[nth - 1];
  const raw = await readFile(resolve(t.config.MAIL_DIR, `${mail.id}.eml`), 'latin1');
  const split = raw.indexOf('\r\n\r\n');
  const bytes = raw
    .slice(split)
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return headersRead(raw.slice(0, split)) + Buffer.from(bytes, 'latin1').toString('utf8');
}

/** Mail headers as read: folded lines joined, encoded words (RFC 2047, as a non-ASCII Subject is sent) decoded. */
function headersRead(headers: string): string {
  const word = /=\?utf-8\?([bq])\?([^?]*)\?=/gi;
  const bytesOf = (encoding: string, text: string) =>
    encoding.toLowerCase() === 'b'
      ? Buffer.from(text, 'base64')
      : Buffer.from(
          text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16))),
          'latin1',
        );
  return (
    headers
      .replace(/\r?\n[ \t]+/g, ' ')
      // Adjacent encoded words are one text (the space between them is folding), decoded whole: a character may span two.
      .replace(/=\?utf-8\?[bq]\?[^?]*\?=(?:[ \t]+=\?utf-8\?[bq]\?[^?]*\?=)*/gi, (run) =>
        Buffer.concat([...run.matchAll(word)].map(([, encoding, text]) => bytesOf(encoding, text))).toString('utf8'),
      )
  );
}

/** The buyer's private tracking link for that request, as an e-mail gives it. */
export function trackingLinkIn(mail: string, reference: string): string {
  const link = new RegExp(`(http://[^\\s"<]+/suivi/${reference}\\?t=[^\\s"<]+)`).exec(mail)?.[1];
  if (!link) throw new Error(`pas de lien de suivi de ${reference} dans le courriel`);
  return link;
}

/**
 * How far the app's clock must move for a reply window opened now to be over, in the test requests' département: a
 * fixed number of days falls short when today is a Saturday (counting starts Monday) or holidays follow. A minute past
 * its end, within the buyer's office hours: the closure's e-mail waits for them.
 */
export function pastReplyWindow(t: TestApp): number {
  const now = t.app.get(Clock).now();
  const department = String(validRequestBody(1).departmentCode);
  const end = replyWindowEnd(now, department, t.config.REPLY_WINDOW_WORKING_DAYS);
  return withinOfficeHours(new Date(end.getTime() + 60_000), department).getTime() - now.getTime();
}
