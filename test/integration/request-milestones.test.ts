import { randomUUID } from 'node:crypto';
import { Clock } from '../../src/common/clock';
import { runAsOne } from '../../src/database/sql-statement';
import type { StaffPrincipal } from '../../src/modules/accounts/accounts.types';
import { IndicatorsService } from '../../src/modules/reporting/indicators.service';
import { RequestsRepository } from '../../src/modules/requests/requests.repository';
import { RoutingService } from '../../src/modules/routing/routing.service';
import { WorkspaceService } from '../../src/modules/workspace/workspace.service';
import { insertFacilitator } from '../support/facilitators';
import { submitRequest, TestApp, useTestApp } from '../support/test-app';

/**
 * The indicators read what the actions store: the first take-charge and the first answer, with their working days
 * since submission, written by the same statements as the status; the CLI backfill fills older rows alike.
 */
describe('request milestones', () => {
  let t: TestApp;
  useTestApp((app) => (t = app));

  const moveClockTo = (iso: string) => {
    const clock = t.app.get(Clock);
    clock.travel(new Date(iso).getTime() - clock.now().getTime());
  };
  const row = async (id: string) =>
    (
      await t.dataSource.query(
        `SELECT taken_at AS "takenAt", take_charge_working_days AS "take", answered_at AS "answeredAt", answer_working_days AS "answer",
                answered_on_time AS "onTime", answer_holder_id AS "holder"
           FROM requests WHERE id = $1`,
        [id],
      )
    )[0];

  /** A request submitted on Monday 2 March 2026 at 09:00, Paris (département 38: no local holiday), assigned to a new facilitator. */
  const assignedOnMonday = async (n: number) => {
    const reference = await submitRequest(t, n);
    const [{ id, network }] = await t.dataSource.query(`SELECT id, network_code AS network FROM requests WHERE reference = $1`, [
      reference,
    ]);
    await t.dataSource.query(`UPDATE requests SET created_at = '2026-03-02T09:00:00+01:00', department_code = '38' WHERE id = $1`, [id]);
    const facilitatorId = await insertFacilitator(t.dataSource, { network });
    const assignmentId = randomUUID();
    await t.dataSource.query(
      `INSERT INTO request_assignments (id, request_id, facilitator_id, assigned_at, take_charge_due_at)
       VALUES ($1, $2, $3, '2026-03-02T09:05:00+01:00', '2026-03-05T09:05:00+01:00')`,
      [assignmentId, id, facilitatorId],
    );
    await t.dataSource.query(`UPDATE requests SET status = 'assigned', assigned_facilitator_id = $2 WHERE id = $1`, [id, facilitatorId]);
    const staff: StaffPrincipal = {
      id: randomUUID(),
      email: `f${n}@example.org`,
      firstName: 'Dominique',
      lastName: 'Test',
      role: 'facilitator',
      facilitatorId,
      networkCodes: [network],
    };
    return { reference, id, assignmentId, staff };
  };

  it('stores the first take-charge and answer once, in working days, and the backfill recomputes them', async () => {
    const { reference, id, assignmentId, staff } = await assignedOnMonday(1);

    // Wednesday 15:00: two days and six hours.
    moveClockTo('2026-03-04T15:00:00+01:00');
    expect(await t.app.get(RoutingService).takeCharge(id, assignmentId)).toBe(true);
    const taken = await row(id);
    expect(taken.take).toBe('2.25');
    expect(Math.abs(new Date(taken.takenAt).getTime() - Date.parse('2026-03-04T15:00:00+01:00'))).toBeLessThan(5_000);
    expect(taken.answeredAt).toBeNull();

    // Friday 09:00: four working days after the submission.
    moveClockTo('2026-03-06T09:00:00+01:00');
    await t.app.get(WorkspaceService).answer(staff, reference, { body: 'Voici notre réponse.' }, []);
    const answered = await row(id);
    expect(answered.answer).toBe('4.00');
    expect(answered.take).toBe('2.25');
    // Taken on Wednesday, answered two days later: well within the 10 working days, by the facilitator holding it.
    expect(answered.onTime).toBe(true);
    expect(answered.holder).toBe(staff.facilitatorId);

    // A later answer (after a reopening) keeps the first one.
    const requests = t.app.get(RequestsRepository);
    await runAsOne(t.dataSource, [
      requests.statusStatement(id, 'answered', null, { kind: 'answered', at: new Date(), workingDays: 42, onTime: false }),
    ]);
    await runAsOne(t.dataSource, [requests.statusStatement(id, 'in_progress', null, { kind: 'taken', at: new Date(), workingDays: 42 })]);
    expect(await row(id)).toEqual(answered);

    // Rows older than the columns: the backfill computes the same figures, and only once.
    await t.dataSource.query(`UPDATE requests SET take_charge_working_days = NULL, answer_working_days = NULL WHERE id = $1`, [id]);
    const indicators = t.app.get(IndicatorsService);
    expect(await indicators.backfillDurations()).toBe(1);
    expect(await row(id)).toEqual(answered);
    expect(await indicators.backfillDurations()).toBe(0);
  });

  it('judges a first answer given after its deadline late, and one never given a deadline not at all', async () => {
    const { reference, id, assignmentId, staff } = await assignedOnMonday(2);
    moveClockTo('2026-03-02T10:00:00+01:00');
    expect(await t.app.get(RoutingService).takeCharge(id, assignmentId)).toBe(true);
    const [{ due }] = await t.dataSource.query(`SELECT answer_due_at AS due FROM request_assignments WHERE id = $1`, [assignmentId]);
    expect(Math.abs(new Date(due).getTime() - Date.parse('2026-03-16T10:00:00+01:00'))).toBeLessThan(5_000);

    // Due Monday 16 March at 10:00 (Paris); answered that day at 10:30.
    moveClockTo('2026-03-16T10:30:00+01:00');
    await t.app.get(WorkspaceService).answer(staff, reference, { body: 'Voici notre réponse, un peu tard.' }, []);
    expect((await row(id)).onTime).toBe(false);

    // Answered with no deadline kept (no assignment): not judged, so left out of the share.
    const untimed = await submitRequest(t, 3);
    const [{ id: untimedId }] = await t.dataSource.query(`SELECT id FROM requests WHERE reference = $1`, [untimed]);
    await runAsOne(t.dataSource, [
      t.app.get(RequestsRepository).statusStatement(untimedId, 'answered', null, { kind: 'answered', at: new Date(), workingDays: 1 }),
    ]);
    expect((await row(untimedId)).onTime).toBeNull();
  });
});
