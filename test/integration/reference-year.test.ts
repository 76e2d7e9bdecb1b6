import { submitRequest, TestApp, useTestApp } from '../support/test-app';

/**
 * A request's reference carries the year its submission was read at (Paris), and the indicators count it by its
 * created_at: both from one instant, or a request sent at midnight on 31 December is GV-2026 yet counted in 2027.
 */
describe('a request submitted on the last instant of the year', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app), {}, { api: true, worker: false });

  it('is dated by the instant its reference’s year was read, not by the database’s later commit', async () => {
    const lastInstant = new Date('2026-12-31T22:59:59.999Z'); // 23:59:59.999 in Paris
    // The app's clock alone stops there; PostgreSQL's now() is today's, as a commit after midnight would be.
    jest.useFakeTimers({
      now: lastInstant,
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
    let reference: string;
    try {
      reference = await submitRequest(t, 1);
    } finally {
      jest.useRealTimers();
    }

    const [row] = await t.dataSource.query(
      `SELECT created_at AS "createdAt", to_char(created_at AT TIME ZONE 'Europe/Paris', 'YYYY') AS year FROM requests WHERE reference = $1`,
      [reference],
    );
    expect(reference).toMatch(/^GV-2026-/);
    expect(row.createdAt.toISOString()).toBe(lastInstant.toISOString());
    expect(row.year).toBe('2026');
  });
});
