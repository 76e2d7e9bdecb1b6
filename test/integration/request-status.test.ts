import { runAsOne } from '../../src/database/sql-statement';
import { nextStatus } from '../../src/modules/requests/request-state.policy';
import { RequestsRepository } from '../../src/modules/requests/requests.repository';
import { TestApp, useTestApp, validRequestBody } from '../support/test-app';

describe('request status changes (policy + statement + history event, one statement)', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app));

  it('closes with a reason and time, and a buyer’s reply reopens it with both cleared', async () => {
    const response = await fetch(`${t.url}/api/v1/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(validRequestBody(1)),
    });
    const { reference } = await response.json();
    const repository = t.app.get(RequestsRepository);
    const request = (await repository.findByReference(reference))!;
    await t.dataSource.query(`UPDATE requests SET status = 'answered' WHERE id = $1`, [request.id]);

    const change = async (
      from: { status: typeof request.status; closeReason: typeof request.closeReason },
      to: typeof request.status,
      reason: typeof request.closeReason,
    ) =>
      runAsOne(t.dataSource, [
        repository.statusStatement(request.id, to, reason),
        repository.eventStatement({
          requestId: request.id,
          type: to,
          fromStatus: from.status,
          toStatus: to,
          actorType: 'system',
          actorId: null,
          reason,
          isPublic: true,
        }),
      ]);

    const closed = nextStatus({ status: 'answered' }, 'close', 'no_reply');
    await change({ status: 'answered', closeReason: null }, closed, 'no_reply');
    let row = (await repository.findByReference(reference))!;
    expect(row).toEqual(expect.objectContaining({ status: 'closed', closeReason: 'no_reply', closedAt: expect.any(Date) }));

    const reopened = nextStatus(row, 'buyer_replied_to_answer');
    await change(row, reopened, null);
    row = (await repository.findByReference(reference))!;
    expect(row).toEqual(expect.objectContaining({ status: 'in_progress', closeReason: null, closedAt: null }));
    const events = await t.dataSource.query(`SELECT from_status, to_status, reason FROM request_events WHERE request_id = $1 ORDER BY id`, [
      request.id,
    ]);
    expect(events.slice(-2)).toEqual([
      { from_status: 'answered', to_status: 'closed', reason: 'no_reply' },
      { from_status: 'closed', to_status: 'in_progress', reason: null },
    ]);
  });
});
