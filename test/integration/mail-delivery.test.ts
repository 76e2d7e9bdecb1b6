import { readdir, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { MailService } from '../../src/modules/mail/mail.service';
import { QueueService } from '../../src/queue/queue.service';
import { Sweeps } from '../../src/queue/sweeps';
import { bodyOf, TestApp, validRequestBody, waitFor, useTestApp } from '../support/test-app';

describe('acknowledgement e-mail through the mail queue', () => {
  let t!: TestApp;
  const mailFiles = async () => (await readdir(resolve(t.config.MAIL_DIR)).catch(() => [] as string[])).filter((f) => f.endsWith('.eml'));

  useTestApp((app) => (t = app), { MAIL_DIR: `${process.env.MAIL_DIR}/delivery` }, { api: true, worker: true });

  it('sends one French message with the reference and the link, records it, then drops its body', async () => {
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
          `SELECT id, status, attempts, text_body, html_body, sent_at, recipient, subject FROM mail_messages`,
        );
        return rows[0]?.status === 'sent' && rows;
      },
      10_000,
      'message envoyé',
    );
    expect(mail).toMatchObject({ attempts: 1, text_body: null, html_body: null, recipient: 'camille.martin+7@example.fr' });
    expect(mail.subject).toContain(created.reference);

    const eml = await readFile(resolve(t.config.MAIL_DIR, `${mail.id}.eml`), 'utf8');
    expect(eml).toContain('Content-Type: text/plain');
    expect(eml).toContain('Content-Type: text/html');
    expect(eml).toContain(`Message-ID: <${mail.id}@guichet-vert>`);
    const decoded = eml.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex) => String.fromCharCode(parseInt(hex, 16)));
    expect(Buffer.from(decoded, 'latin1').toString('utf8')).toContain('Nous avons bien reçu votre demande');
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
});
