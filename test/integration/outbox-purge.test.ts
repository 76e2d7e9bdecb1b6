import { Sweeps } from '../../src/queue/sweeps';
import { TestApp, useTestApp } from '../support/test-app';

describe('outbox: published rows do not pile up', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app), {}, { api: false, worker: true });

  it('the sweep deletes rows published over a week ago, keeps recent ones and never touches a pending one', async () => {
    await t.dataSource.query(
      `INSERT INTO outbox_events (queue, job_name, job_id, payload, published_at, created_at)
       VALUES ('mail', 'mail.send', 'old-published', '{}', now() - interval '8 days', now() - interval '8 days'),
              ('mail', 'mail.send', 'recent-published', '{}', now() - interval '6 days', now() - interval '6 days'),
              ('mail', 'mail.send', 'old-pending', '{}', NULL, now() - interval '8 days')`,
    );
    await t.app.get(Sweeps).run();

    const kept = await t.dataSource.query(`SELECT job_id FROM outbox_events ORDER BY job_id`);
    expect(kept.map((r: { job_id: string }) => r.job_id)).toEqual(['old-pending', 'recent-published']);
  });

  it('the sweep deletes the delivery records of messages tied to no request after 90 days; a request’s stay with it', async () => {
    const [{ id: requestId }] = await t.dataSource.query(`SELECT gen_random_uuid() AS id`);
    await t.dataSource.query(
      `INSERT INTO mail_messages (id, request_id, template, recipient, subject, status, created_at, updated_at)
       VALUES (gen_random_uuid(), NULL, 'tracking-links', 'old-sent@example.org', 's', 'sent', now() - interval '91 days', now() - interval '91 days'),
              (gen_random_uuid(), NULL, 'tracking-links', 'old-abandoned@example.org', 's', 'abandoned', now() - interval '91 days', now() - interval '91 days'),
              (gen_random_uuid(), NULL, 'tracking-links', 'recent@example.org', 's', 'sent', now() - interval '89 days', now() - interval '89 days'),
              (gen_random_uuid(), NULL, 'tracking-links', 'old-failed@example.org', 's', 'failed', now() - interval '91 days', now() - interval '91 days'),
              (gen_random_uuid(), $1, 'request-acknowledgement', 'request@example.org', 's', 'sent', now() - interval '91 days', now() - interval '91 days')`,
      [requestId],
    );
    await t.app.get(Sweeps).run();
    const kept = await t.dataSource.query(`SELECT recipient FROM mail_messages ORDER BY recipient`);
    expect(kept.map((r: { recipient: string }) => r.recipient)).toEqual([
      'old-failed@example.org',
      'recent@example.org',
      'request@example.org',
    ]);
  });
});
