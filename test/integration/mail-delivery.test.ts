import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { runAsOne } from '../../src/database/sql-statement';
import { MailService } from '../../src/modules/mail/mail.service';
import { MailRepository } from '../../src/modules/mail/mail.repository';
import { MailTransport } from '../../src/modules/mail/mail-transport';
import { QueueService } from '../../src/queue/queue.service';
import { Sweeps } from '../../src/queue/sweeps';
import { bodyOf, startTestApp, submitRequest, TestApp, validRequestBody, waitFor, useTestApp } from '../support/test-app';
import { startSmtpStub } from '../support/smtp-stub';
import { captureIo } from '../support/cli';
import { mailResend, mailUndelivered } from '../../src/cli/mail.command';
import { acknowledgementMessage } from '../support/mail-fixtures';

describe('acknowledgement e-mail through the mail queue', () => {
  let t!: TestApp;
  const mailFiles = async () => (await readdir(resolve(t.config.MAIL_DIR)).catch(() => [] as string[])).filter((f) => f.endsWith('.eml'));

  // A sender of its own: the ids in the headers must take its domain.
  const MAIL_FROM = 'Guichet vert — Essais <ne-pas-repondre@essais.guichet-vert.test>';
  const DOMAIN = 'essais.guichet-vert.test';
  useTestApp((app) => (t = app), { MAIL_DIR: `${process.env.MAIL_DIR}/delivery`, MAIL_FROM }, { api: true, worker: true });
  /** The message's headers as written to its file, each on one line. */
  const headersOf = async (id: string) => {
    const eml = await readFile(resolve(t.config.MAIL_DIR, `${id}.eml`), 'utf8');
    return eml.slice(0, eml.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
  };

  it('sends one French message with the reference and the link, records it, then drops its content', async () => {
    const created = await bodyOf(
      fetch(`${t.url}/api/v1/requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(validRequestBody(7)),
      }),
    );
    const [mail] = await waitFor(
      async () => {
        const rows = await t.dataSource.query(
          `SELECT id, status, attempts, context, text_body, html_body, sent_at, recipient, subject FROM mail_messages`,
        );
        return rows[0]?.status === 'sent' && rows;
      },
      10_000,
      'message envoyé',
    );
    expect(mail).toMatchObject({ attempts: 1, context: null, text_body: null, html_body: null, recipient: 'camille.martin+7@example.fr' });
    expect(mail.subject).toContain(created.reference);

    const eml = await readFile(resolve(t.config.MAIL_DIR, `${mail.id}.eml`), 'utf8');
    expect(eml).toContain('Content-Type: text/plain');
    expect(eml).toContain('Content-Type: text/html');
    expect(eml).toContain(`Message-ID: <${mail.id}@${DOMAIN}>`);
    const decoded = eml.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex) => String.fromCharCode(parseInt(hex, 16)));
    const text = Buffer.from(decoded, 'latin1').toString('utf8');
    expect(text).toContain('Nous avons bien reçu votre demande');
    // the buyer keeps a copy of what they asked, in both parts
    expect(text.split(String(validRequestBody(7).question)).length - 1).toBe(2);
    expect(decoded).toContain(created.trackingUrl.split('?')[0]);
  });

  it('never sends twice: a duplicated job, a direct retry and a sweep all find the message already sent', async () => {
    await fetch(`${t.url}/api/v1/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(validRequestBody(8)),
    });
    const [{ id }] = await waitFor(
      async () => {
        const rows = await t.dataSource.query(`SELECT id FROM mail_messages WHERE status = 'sent'`);
        return rows.length === 1 && rows;
      },
      10_000,
      'message envoyé',
    );

    // the same job published again under another id, and a worker calling deliver directly
    await t.app
      .get(QueueService)
      .queue('mail')
      .add('mail.send', { mailId: id }, { jobId: `duplicate-${id}` });
    await t.app.get(MailService).deliver(id);
    await t.dataSource.query(`UPDATE mail_messages SET updated_at = now() - interval '1 hour' WHERE id = $1`, [id]);
    expect(await t.app.get(Sweeps).requeueUndeliveredMail()).toBe(0);
    await new Promise((r) => setTimeout(r, 500));

    const [row] = await t.dataSource.query(`SELECT attempts, status FROM mail_messages WHERE id = $1`, [id]);
    expect(row).toEqual({ attempts: 1, status: 'sent' });
    expect((await mailFiles()).filter((f) => f.startsWith(id))).toHaveLength(1);
  });

  it('re-queues from PostgreSQL a message whose job was lost with Redis', async () => {
    // A message committed while its job never reached Redis (as after a Redis data loss).
    await t.dataSource.query(
      `INSERT INTO mail_messages (id, request_id, template, recipient, subject, text_body, html_body, status, updated_at)
       VALUES ('00000000-0000-4000-8000-000000000001', NULL, 'request-acknowledgement', 'perdu@example.fr', 'Sujet', 'texte', '<p>html</p>', 'queued', now() - interval '1 hour')`,
    );
    expect(await t.app.get(Sweeps).requeueUndeliveredMail()).toBe(1);
    await waitFor(
      async () => {
        const [row] = await t.dataSource.query(`SELECT status FROM mail_messages WHERE id = '00000000-0000-4000-8000-000000000001'`);
        return row.status === 'sent';
      },
      10_000,
      'message remis en file puis envoyé',
    );
  });

  it('keeps a queued message as its template’s context and renders it when it is sent', async () => {
    const mail = t.app.get(MailService);
    const [insert] = mail.prepare({
      requestId: null,
      recipient: 'rendu@example.fr',
      ...acknowledgementMessage({ firstName: 'Dominique <b>' }),
    });
    await runAsOne(t.dataSource, [insert]); // the message without its job: the test delivers it itself
    const [queued] = await t.dataSource.query(`SELECT id, context, text_body, html_body FROM mail_messages`);
    expect(queued).toMatchObject({ text_body: null, html_body: null, context: expect.objectContaining({ reference: 'GV-2026-000042' }) });

    await mail.deliver(queued.id);
    const eml = await readFile(resolve(t.config.MAIL_DIR, `${queued.id}.eml`), 'utf8');
    const decoded = Buffer.from(
      eml.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      'latin1',
    ).toString('utf8');
    expect(decoded).toContain('GV-2026-000042');
    expect(decoded).toContain('http://localhost:3000/suivi/GV-2026-000042?t=jeton');
    expect(decoded).toContain('Dominique &lt;b&gt;');
    expect(await t.dataSource.query(`SELECT status, context FROM mail_messages`)).toEqual([{ status: 'sent', context: null }]);
  });

  it('gives a survey invitation the one-click unsubscribe headers mail clients show as a button (RFC 8058); other mail has none', async () => {
    const mail = t.app.get(MailService);
    const declineUrl = 'http://localhost:3000/questionnaire/jeton/refus';
    const survey = {
      template: 'survey',
      subject: 'Demande GV-2026-000042 « Papier recyclé » : qu’est devenu votre achat ? — réseau RESECO — Guichet vert',
      context: {
        firstName: 'Camille',
        reference: 'GV-2026-000042',
        subject: 'Papier recyclé',
        wave: 'impact',
        networkName: 'RESECO',
        reminder: false,
        expiresAt: new Date('2027-01-15T10:00:00Z'),
        surveyUrl: 'http://localhost:3000/questionnaire/jeton',
        declineUrl,
        oneClick: [],
      },
    };
    // The messages without their jobs: the test delivers them itself, before any worker could.
    await runAsOne(t.dataSource, [
      mail.prepare({ requestId: null, recipient: 'enquete@example.fr', ...survey })[0],
      mail.prepare({ requestId: null, recipient: 'accuse@example.fr', ...acknowledgementMessage() })[0],
      mail.prepare({
        requestId: null,
        recipient: 'facilitatrice@example.fr',
        template: 'assignment-withdrawn',
        subject: 'Demande GV-2026-000042 : elle vous est retirée',
        context: { firstName: 'Sacha', reference: 'GV-2026-000042', subject: 'Papier recyclé', why: 'deadline', reason: null },
      })[0],
    ]);
    const ids: Array<{ id: string; recipient: string }> = await t.dataSource.query(`SELECT id, recipient FROM mail_messages`);
    const sentHeaders = async (recipient: string) => {
      const { id } = ids.find((row) => row.recipient === recipient)!;
      await mail.deliver(id);
      return headersOf(id);
    };
    const surveyHeaders = await sentHeaders('enquete@example.fr');
    expect(surveyHeaders).toContain(`List-Unsubscribe: <${declineUrl}>`);
    expect(surveyHeaders).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(await sentHeaders('accuse@example.fr')).not.toContain('List-Unsubscribe');
    // Every message says a program sent it, so out-of-office replies leave it alone.
    expect(surveyHeaders).toContain('Auto-Submitted: auto-generated');
    expect(await sentHeaders('accuse@example.fr')).toContain('Auto-Submitted: auto-generated');
    // Exchange and Outlook heed their own header instead: no out-of-office reply to the no-reply sender, staff's or buyers'.
    const staffHeaders = await sentHeaders('facilitatrice@example.fr');
    expect(staffHeaders).toContain('Auto-Submitted: auto-generated');
    for (const headers of [staffHeaders, surveyHeaders, await sentHeaders('accuse@example.fr')]) {
      expect(headers).toContain('X-Auto-Response-Suppress: OOF, AutoReply');
    }
  });

  it('threads the messages of one request in mail clients by one opaque id of the sender’s domain; a message of no request has none', async () => {
    const reference = await submitRequest(t, 9);
    const [request] = await t.dataSource.query(`SELECT id FROM requests WHERE reference = $1`, [reference]);
    const acknowledgement = await waitFor(
      async () => {
        const [row] = await t.dataSource.query(
          `SELECT id FROM mail_messages WHERE request_id = $1 AND template = 'request-acknowledgement' AND status = 'sent'`,
          [request.id],
        );
        return row;
      },
      10_000,
      'accusé de réception envoyé',
    );
    // A staff message of the same request, and one of no request (an invitation, a digest), without their jobs.
    const mail = t.app.get(MailService);
    await runAsOne(t.dataSource, [
      mail.prepare({ requestId: request.id, recipient: 'conseillere@example.fr', ...acknowledgementMessage() })[0],
      mail.prepare({ requestId: null, recipient: 'invitation@example.fr', ...acknowledgementMessage() })[0],
    ]);
    const [staff, unattached]: Array<{ id: string }> = await t.dataSource.query(
      `SELECT id FROM mail_messages WHERE recipient IN ('conseillere@example.fr', 'invitation@example.fr') ORDER BY recipient`,
    );
    await mail.deliver(staff.id);
    await mail.deliver(unattached.id);

    const conversation = `<${request.id}@${DOMAIN}>`;
    for (const id of [acknowledgement.id, staff.id]) {
      const headers = await headersOf(id);
      expect(headers).toContain(`Message-ID: <${id}@${DOMAIN}>`);
      expect(headers).toContain(`In-Reply-To: ${conversation}`);
      expect(headers).toContain(`References: ${conversation}`);
    }
    // Nothing of the buyer in the id every recipient of the request sees: the request's UUID alone.
    const thread = (await headersOf(acknowledgement.id)).match(/^References: <(.*)>$/m)![1];
    expect(thread).toBe(`${request.id}@${DOMAIN}`);
    for (const personal of ['camille', 'martin', 'example.fr', reference.toLowerCase()]) expect(thread).not.toContain(personal);

    const unattachedHeaders = await headersOf(unattached.id);
    expect(unattachedHeaders).toContain(`Message-ID: <${unattached.id}@${DOMAIN}>`);
    expect(unattachedHeaders).not.toMatch(/^(In-Reply-To|References):/im);
  });
});

describe('mail delivery in batches', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app), { MAIL_DIR: `${process.env.MAIL_DIR}/batches` });

  /** Queued messages committed in order, a second apart, as intake leaves them for the worker. */
  async function queueMessages(count: number, emptyBody: number[] = []): Promise<string[]> {
    const ids = Array.from({ length: count }, () => randomUUID());
    await t.dataSource.query(
      `INSERT INTO mail_messages (id, template, recipient, subject, text_body, html_body, status, created_at, updated_at)
       SELECT id, 'request-acknowledgement', 'lot@example.fr', 'Sujet', CASE WHEN n = ANY($2::int[]) THEN NULL ELSE 'texte' END,
              '<p>html</p>', 'queued', now() - make_interval(secs => 100 - n), now() - make_interval(secs => 100 - n)
         FROM unnest($1::uuid[]) WITH ORDINALITY AS m(id, n)`,
      [ids, emptyBody],
    );
    return ids;
  }
  const statuses = async () =>
    (await t.dataSource.query(`SELECT status, attempts FROM mail_messages ORDER BY created_at`)) as Array<{
      status: string;
      attempts: number;
    }>;

  it('sends only the message a single job names, once; the others wait for their own jobs', async () => {
    const ids = await queueMessages(3);
    await t.app.get(MailService).deliver(ids[1]);
    await t.app.get(MailService).deliver(ids[1]);
    expect((await statuses()).map((m) => m.status)).toEqual(['queued', 'sent', 'queued']);

    for (const id of ids) await t.app.get(MailService).deliver(id);
    expect((await statuses()).every((m) => m.status === 'sent' && m.attempts === 1)).toBe(true);
    const files = (await readdir(resolve(t.config.MAIL_DIR))).filter((f) => f.endsWith('.eml'));
    expect(files.sort()).toEqual(ids.map((id) => `${id}.eml`).sort());
  });

  it('fails the job when its message fails, so the queue retries it, and sends it on that retry', async () => {
    const [id] = await queueMessages(1, [1]);
    await expect(t.app.get(MailService).deliver(id)).rejects.toThrow('message sans contenu');
    expect(await statuses()).toEqual([{ status: 'failed', attempts: 1 }]);
    expect(await t.dataSource.query(`SELECT 1 FROM outbox_events`)).toEqual([]);

    await t.dataSource.query(`UPDATE mail_messages SET text_body = 'texte' WHERE id = $1`, [id]);
    await t.app.get(MailService).deliver(id);
    expect(await statuses()).toEqual([{ status: 'sent', attempts: 2 }]);
  });

  it('records each message of a batch as sent once it has gone: a crash mid-batch would not send the earlier ones again', async () => {
    const ids = await queueMessages(4);
    const transport = t.app.get(MailTransport);
    const send = transport.send.bind(transport);
    let reachThird!: () => void;
    let releaseThird!: () => void;
    const thirdReached = new Promise<void>((resolve) => (reachThird = resolve));
    const thirdReleased = new Promise<void>((resolve) => (releaseThird = resolve));
    const spy = jest.spyOn(transport, 'send').mockImplementation(async (mail) => {
      if (mail.id === ids[2]) {
        reachThird();
        await thirdReleased;
      }
      await send(mail);
    });
    try {
      const delivery = t.app.get(MailService).deliverAll(ids);
      await thirdReached;
      // The worker could die now, the third message on its way: the two before it are already recorded.
      const during = await waitFor(
        async () => {
          const rows = await statuses();
          return rows[1].status === 'sent' && rows;
        },
        5_000,
        'deux premiers messages enregistrés',
      );
      expect(during.map((m) => m.status)).toEqual(['sent', 'sent', 'sending', 'sending']);
      releaseThird();
      await delivery;
      expect(await statuses()).toEqual(Array(4).fill({ status: 'sent', attempts: 1 }));
    } finally {
      releaseThird();
      spy.mockRestore();
    }
  });

  it('sends exactly the messages a batch job lists, each once; a failing one gets its own retry job', async () => {
    const ids = await queueMessages(24, [5]);
    const listed = ids.slice(0, 23);
    await t.app.get(MailService).deliverAll(listed);

    const after = await statuses();
    // the unlisted one is left to its own job; the faulty one fails without failing the batch
    expect(after.map((m) => m.status)).toEqual([...Array(4).fill('sent'), 'failed', ...Array(18).fill('sent'), 'queued']);
    expect(after.slice(0, 23).every((m) => m.attempts === 1)).toBe(true);
    const retries = await t.dataSource.query(`SELECT job_id FROM outbox_events WHERE published_at IS NULL`);
    expect(retries).toEqual([{ job_id: `mail-${ids[4]}-retry-1` }]);

    // the batch job delivered again (a retry, a copy) sends nothing more, not even the failed one
    await t.app.get(MailService).deliverAll(listed);
    expect(await statuses()).toEqual(after);
    // this test's files: the folder also holds those of the tests before it
    const files = (await readdir(resolve(t.config.MAIL_DIR))).filter((f) => ids.some((id) => f === `${id}.eml`));
    expect(files.sort()).toEqual(
      listed
        .filter((id) => id !== ids[4])
        .map((id) => `${id}.eml`)
        .sort(),
    );
  });
});

describe('mail the server refuses, over SMTP', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app));

  async function queued(ageHours = 0): Promise<string> {
    const id = randomUUID();
    await t.dataSource.query(
      `INSERT INTO mail_messages (id, template, recipient, subject, text_body, html_body, status, created_at, updated_at)
       VALUES ($1, 'request-acknowledgement', 'camille.martin@example.fr', 'Sujet', 'texte', '<p>html</p>', 'queued',
               now() - make_interval(hours => $2), now())`,
      [id, ageHours],
    );
    return id;
  }
  const row = async (id: string) =>
    (await t.dataSource.query(`SELECT status, attempts, last_error FROM mail_messages WHERE id = $1`, [id]))[0];

  it('gives up at once what it refuses for good (5xx), says why in an error line; tries a passing refusal (4xx) again for 48 h', async () => {
    const smtp = await startSmtpStub();
    const sender = await startTestApp({ SMTP_URL: smtp.url });
    try {
      const mail = sender.app.get(MailService);
      smtp.behave({ rcpt: '550 5.1.1 <camille.martin@example.fr>: user unknown' });
      const unknown = await queued();
      // Not rethrown: its job must not try it again.
      await mail.deliver(unknown);
      expect(await row(unknown)).toEqual({
        status: 'abandoned',
        attempts: 1,
        last_error: expect.stringContaining('550 5.1.1 <[adresse masquée]>: user unknown'),
      });
      const given = sender.logs.filter((line) => line.includes('message abandonné'));
      expect(given).toHaveLength(1);
      expect(JSON.parse(given[0])).toMatchObject({ level: 50, mailId: unknown, why: 'permanent' });
      expect(given[0]).not.toContain('camille.martin@example.fr');
      // Nor does the sweep bring it back.
      await t.dataSource.query(`UPDATE mail_messages SET updated_at = now() - interval '1 hour'`);
      expect(await sender.app.get(MailRepository).findStalled()).toEqual([]);

      smtp.behave({ afterData: '451 4.3.0 try again later' });
      const busy = await queued();
      await expect(mail.deliver(busy)).rejects.toThrow('451 4.3.0');
      expect(await row(busy)).toMatchObject({ status: 'failed', attempts: 1 });
      smtp.behave({});
      await mail.deliver(busy);
      expect(await row(busy)).toMatchObject({ status: 'sent', attempts: 2 });
      expect(smtp.accepted).toHaveLength(1);

      // A passing refusal still, two days after it was queued: given up.
      smtp.behave({ afterData: '451 4.3.0 try again later' });
      const stale = await queued(49);
      await mail.deliver(stale);
      expect(await row(stale)).toMatchObject({ status: 'abandoned', attempts: 1 });
      expect(sender.logs.some((line) => line.includes('toujours pas envoyé après 48 h'))).toBe(true);
    } finally {
      await sender.close();
      await smtp.close();
    }
  });

  it('gives the envelope MAIL_RETURN_PATH as its sender, so late bounces reach a read mailbox; MAIL_FROM’s address without it', async () => {
    const smtp = await startSmtpStub();
    const returning = await startTestApp({ SMTP_URL: smtp.url, MAIL_RETURN_PATH: 'rebonds@guichet-vert.example.fr' });
    const plain = await startTestApp({ SMTP_URL: smtp.url, MAIL_FROM: 'Guichet vert <ne-pas-repondre@guichet-vert.example.fr>' });
    try {
      await returning.app.get(MailService).deliver(await queued());
      await plain.app.get(MailService).deliver(await queued());
      expect(smtp.envelopeSenders).toEqual(['rebonds@guichet-vert.example.fr', 'ne-pas-repondre@guichet-vert.example.fr']);
      // The reader still sees the desk's sender.
      expect(smtp.accepted[0]).toContain('From: Guichet vert <ne-pas-repondre@');
      expect(smtp.accepted[0]).toContain('To: camille.martin@example.fr');
    } finally {
      await returning.close();
      await plain.close();
      await smtp.close();
    }
  });

  it('lists the messages given up for the operator, and sends them again once the cause is mended (mail:resend)', async () => {
    const smtp = await startSmtpStub();
    const sender = await startTestApp({ SMTP_URL: smtp.url });
    try {
      const mail = sender.app.get(MailService);
      smtp.behave({ afterData: '554 5.7.1 message refused' });
      const refused = await queued();
      // Two days old and still not sent: given up at its next failure.
      smtp.behave({ afterData: '451 4.3.0 try again later' });
      const stale = await queued(49);
      await mail.deliver(stale);
      smtp.behave({ afterData: '554 5.7.1 message refused' });
      await mail.deliver(refused);
      expect([(await row(refused)).status, (await row(stale)).status]).toEqual(['abandoned', 'abandoned']);

      const listing = captureIo();
      expect(await mailUndelivered(sender.app, [], listing)).toBe(0);
      expect(listing.out()).toMatch(/^2 messages abandonnés :\n/);
      expect(listing.out()).toContain(
        `  ${refused}  —  request-acknowledgement  camille.martin@example.fr\n    refusé définitivement — Message failed: 554 5.7.1 message refused`,
      );
      expect(listing.out()).toContain(`  ${stale}  —  request-acknowledgement  camille.martin@example.fr\n    pas envoyé à temps — `);
      expect(listing.out()).toContain('npm run cli -- mail:resend');

      // Without ids, what the mail server refused for good stays given up: sent unchanged, it would be refused again.
      const all = captureIo();
      expect(await mailResend(sender.app, [], all)).toBe(0);
      expect(all.out()).toBe(
        '1 message remis en file : les workers les envoient dans les minutes qui viennent.\n' +
          '1 message refusé définitivement par le serveur de messagerie (adresse inconnue…) non renvoyé : corrigez l’adresse, ' +
          'puis nommez-le avec --id (liste : npm run cli -- mail:undelivered).\n',
      );
      expect([(await row(refused)).status, (await row(stale)).status]).toEqual(['abandoned', 'queued']);

      const wrong = captureIo();
      expect(await mailResend(sender.app, ['--id', 'pas-un-identifiant'], wrong)).toBe(2);
      expect(wrong.err()).toContain('identifiant invalide : pas-un-identifiant');

      // The first named, and a message that is no longer given up: that one is said.
      const one = captureIo();
      const unknown = randomUUID();
      expect(await mailResend(sender.app, ['--id', refused, '--id', unknown], one)).toBe(1);
      expect(one.out()).toBe('1 message remis en file : les workers les envoient dans les minutes qui viennent.\n');
      expect(one.err()).toContain(unknown);
      expect(await row(refused)).toMatchObject({ status: 'queued' });
      const jobs = await sender.dataSource.query(`SELECT job_id FROM outbox_events WHERE payload->>'mailId' = $1`, [refused]);
      expect(jobs).toEqual([{ job_id: expect.stringMatching(new RegExp(`^mail-${refused}-resent-\\d+$`)) }]);

      const rest = captureIo();
      expect(await mailResend(sender.app, [], rest)).toBe(0);
      expect(rest.out()).toBe('Aucun message abandonné à renvoyer.\n');
      // The stale one's retry time started anew: a passing trouble now is tried again, not given up.
      smtp.behave({ afterData: '451 4.3.0 try again later' });
      await expect(mail.deliver(stale)).rejects.toThrow('451 4.3.0');
      expect(await row(stale)).toMatchObject({ status: 'failed' });

      smtp.behave({});
      await mail.deliver(refused);
      await mail.deliver(stale);
      expect([(await row(refused)).status, (await row(stale)).status]).toEqual(['sent', 'sent']);
      expect(smtp.accepted).toHaveLength(2);
      const none = captureIo();
      await mailUndelivered(sender.app, [], none);
      expect(none.out()).toBe('Aucun message abandonné.\n');
    } finally {
      await sender.close();
      await smtp.close();
    }
  });

  it('keeps trying, never gives up, what a wrong mail setup refuses (login, sender): it goes once the setup is mended', async () => {
    const smtp = await startSmtpStub();
    const sender = await startTestApp({ SMTP_URL: smtp.url.replace('smtp://', 'smtp://desk:wrong-password@') });
    try {
      const mail = sender.app.get(MailService);
      smtp.behave({ auth: '535 5.7.8 Authentication credentials invalid' });
      const first = await queued();
      await expect(mail.deliver(first)).rejects.toThrow('535 5.7.8');
      expect(await row(first)).toMatchObject({ status: 'failed', attempts: 1 });

      smtp.behave({ auth: '235 2.7.0 Authentication successful', mailFrom: '550 5.7.1 sender not allowed' });
      const second = await queued();
      await expect(mail.deliver(second)).rejects.toThrow('550 5.7.1');
      expect(await row(second)).toMatchObject({ status: 'failed', attempts: 1 });
      expect(sender.logs.some((line) => line.includes('message abandonné'))).toBe(false);

      // Mended: both go, each once.
      smtp.behave({ auth: '235 2.7.0 Authentication successful' });
      await mail.deliver(first);
      await mail.deliver(second);
      expect([await row(first), await row(second)]).toEqual([
        expect.objectContaining({ status: 'sent', attempts: 2 }),
        expect.objectContaining({ status: 'sent', attempts: 2 }),
      ]);
      expect(smtp.accepted).toHaveLength(2);
    } finally {
      await sender.close();
      await smtp.close();
    }
  });
});
