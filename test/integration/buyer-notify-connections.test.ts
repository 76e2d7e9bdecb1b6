import { runAsOne } from '../../src/database/sql-statement';
import { BuyerNotificationsService } from '../../src/modules/buyer-notifications/buyer-notifications.service';
import { RequestsRepository } from '../../src/modules/requests/requests.repository';
import { submitRequest, TestApp, useTestApp } from '../support/test-app';

/** The api alone, on the smallest pool the configuration allows: nothing else takes its two connections. */
describe('buyer e-mails on a small connection pool', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app), { DATABASE_POOL_SIZE: '2' }, { api: true, worker: false });

  async function closedWithNews(n: number): Promise<string> {
    const reference = await submitRequest(t, n);
    const [{ id }] = await t.dataSource.query(`SELECT id FROM requests WHERE reference = $1`, [reference]);
    await runAsOne(t.dataSource, [
      t.app.get(RequestsRepository).eventStatement({
        requestId: id,
        type: 'closed',
        fromStatus: 'submitted',
        toStatus: 'closed',
        actorType: 'staff',
        actorId: null,
        reason: 'redirected',
        isPublic: true,
      }),
    ]);
    return id;
  }

  it('writes two buyers’ e-mails at once, each read inside its own transaction (no second connection to wait for)', async () => {
    const ids = [await closedWithNews(1), await closedWithNews(2)];
    const notifications = t.app.get(BuyerNotificationsService);

    const outcome = await Promise.race([
      Promise.all(ids.map((id) => notifications.notify(id))),
      new Promise<'stuck'>((resolve) => setTimeout(() => resolve('stuck'), 10_000).unref()),
    ]);

    expect(outcome).toEqual([true, true]);
    const mails = await t.dataSource.query(`SELECT request_id FROM mail_messages WHERE template = 'buyer-update'`);
    expect(mails.map((m: { request_id: string }) => m.request_id).sort()).toEqual([...ids].sort());
  });
});
