import { canSeeRequest } from '../../src/modules/accounts/access.policy';
import type { StaffPrincipal } from '../../src/modules/accounts/accounts.types';
import { visibleRequestsCondition } from '../../src/modules/workspace/staff-requests.repository';
import { insertFacilitator } from '../support/facilitators';
import { bodyOf, TestApp, useTestApp, validRequestBody } from '../support/test-app';

/** The SQL filter of staff lists must say exactly what the access policy says, for every role and state. */
describe('staff visibility: SQL condition and access policy agree', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app), {}, { api: true, worker: false });

  it('selects, for each principal, exactly the requests canSeeRequest allows', async () => {
    const auraFacilitator = await insertFacilitator(t.dataSource, { network: 'aura-ee' });
    const resecoFacilitator = await insertFacilitator(t.dataSource, { network: 'reseco' });
    const states: Array<{ department: string; status: string; facilitator: string | null }> = [];
    for (const department of ['38', '35']) {
      for (const status of ['submitted', 'unassigned', 'assigned', 'in_progress', 'awaiting_buyer', 'answered', 'closed']) {
        for (const facilitator of status === 'submitted' || status === 'unassigned' ? [null] : [auraFacilitator, resecoFacilitator]) {
          states.push({ department, status, facilitator });
        }
      }
    }
    const references: string[] = [];
    for (const [n, state] of states.entries()) {
      const { reference } = await bodyOf(
        fetch(`${t.url}/api/v1/requests`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(validRequestBody(500 + n, { departmentCode: state.department })),
        }),
      );
      await t.dataSource.query(`UPDATE requests SET status = $2, assigned_facilitator_id = $3 WHERE reference = $1`, [
        reference,
        state.status,
        state.facilitator,
      ]);
      references.push(reference);
    }
    const rows: Array<{ reference: string; networkCode: string; assignedFacilitatorId: string | null; status: string }> =
      await t.dataSource.query(
        `SELECT reference, network_code AS "networkCode", assigned_facilitator_id AS "assignedFacilitatorId", status FROM requests`,
      );
    expect(new Set(rows.map((r) => r.networkCode))).toEqual(new Set(['aura-ee', 'reseco']));

    const principal = (role: StaffPrincipal['role'], networkCodes: string[], facilitatorId: string | null = null): StaffPrincipal => ({
      id: `${role}-${networkCodes.join()}`,
      email: 'x@example.org',
      firstName: 'X',
      lastName: 'Y',
      role,
      facilitatorId,
      networkCodes,
    });
    const principals = [
      principal('admin', []),
      principal('animator', ['aura-ee']),
      principal('animator', ['reseco', 'aura-ee']),
      principal('animator', ['maximilien']),
      principal('facilitator', ['aura-ee'], auraFacilitator),
      principal('facilitator', ['reseco'], resecoFacilitator),
    ];
    for (const staff of principals) {
      const condition = visibleRequestsCondition(staff, 1);
      const selected: Array<{ reference: string }> = await t.dataSource.query(
        `SELECT r.reference FROM requests r WHERE ${condition.sql} ORDER BY r.reference`,
        condition.params,
      );
      const allowed = rows.filter((r) => canSeeRequest(staff, r)).map((r) => r.reference);
      expect({ staff: staff.id, visible: selected.map((r) => r.reference) }).toEqual({ staff: staff.id, visible: allowed.sort() });
    }
    // The facilitator of aura-ee sees the requests given to them and aura-ee's pool, not reseco's pool.
    const facilitatorView = rows.filter((r) => canSeeRequest(principals[4], r));
    expect(facilitatorView.filter((r) => r.status === 'unassigned').map((r) => r.networkCode)).toEqual(['aura-ee']);
    expect(facilitatorView.filter((r) => r.status !== 'unassigned').every((r) => r.assignedFacilitatorId === auraFacilitator)).toBe(true);
    expect(references).toHaveLength(rows.length);
  });
});
