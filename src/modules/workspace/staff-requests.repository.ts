import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { canSeeRequest, RequestScope } from '../accounts/access.policy';
import type { StaffPrincipal } from '../accounts/accounts.types';

/** A WHERE condition on `requests r` and its parameters, numbered from a given position. */
export interface SqlCondition {
  sql: string;
  params: unknown[];
}

/**
 * The SQL form of access.policy's canSeeRequest, for lists and counts; the policy stays the
 * rule (an integration test checks that both agree on every role and state).
 */
export function visibleRequestsCondition(staff: StaffPrincipal, firstParam: number): SqlCondition {
  switch (staff.role) {
    case 'admin':
      return { sql: 'TRUE', params: [] };
    case 'animator':
      return { sql: `r.network_code = ANY($${firstParam}::text[])`, params: [staff.networkCodes] };
    case 'facilitator':
      return {
        sql: `(r.assigned_facilitator_id = $${firstParam}::uuid
               OR (r.status = 'unassigned' AND r.assigned_facilitator_id IS NULL AND r.network_code = ANY($${firstParam + 1}::text[])))`,
        params: [staff.facilitatorId, staff.networkCodes],
      };
  }
}

export type VisibleRequest = RequestScope & { id: string; reference: string; departmentCode: string };

/** Looks requests up for staff: what they may not see does not exist for them. */
@Injectable()
export class StaffRequestsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The request's id and access scope if this person may see it, else null (the caller answers 404); with its
   * département, whose clock says the times of an action's outcome.
   */
  async findVisible(staff: StaffPrincipal, reference: string): Promise<VisibleRequest | null> {
    const rows: VisibleRequest[] = await this.dataSource.query(
      `SELECT id, reference, network_code AS "networkCode", assigned_facilitator_id AS "assignedFacilitatorId", status,
              department_code AS "departmentCode"
         FROM requests WHERE reference = $1`,
      [reference],
    );
    const request = rows[0];
    return request && canSeeRequest(staff, request) ? request : null;
  }
}
