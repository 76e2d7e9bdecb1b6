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
});
