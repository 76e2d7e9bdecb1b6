import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppError, NotFound } from '../../common/errors/app-errors';
import { canSeeRequest, RequestScope } from '../accounts/access.policy';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { RequestsRepository } from '../requests/requests.repository';
import type { SeenState } from '../requests/seen-state.policy';

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

/** A request as the access rules read it, with its id. */
export type ScopedRequest = RequestScope & { id: string };

export type VisibleRequest = ScopedRequest & { reference: string; departmentCode: string };

/** Looks requests up for staff: what they may not see does not exist for them. */
@Injectable()
export class StaffRequestsRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly requests: RequestsRepository,
  ) {}

  /**
   * The request's id and access scope if this person may see it, else null (the caller answers 404); with its
   * département, whose clock says the times of an action's outcome.
   */
  async findVisible(staff: StaffPrincipal, reference: string): Promise<VisibleRequest | null> {
    return (await this.lookUp(staff, reference)).visible;
  }

  /**
   * The request's id whoever asks (null: none such), and the request as findVisible gives it, in one read: for an
   * action known by that id before its sight is checked (an answer sent again under its repeat key).
   */
  async lookUp(staff: StaffPrincipal, reference: string): Promise<{ id: string | null; visible: VisibleRequest | null }> {
    const request = await this.scopeOf(reference);
    return { id: request?.id ?? null, visible: request && canSeeRequest(staff, request) ? request : null };
  }

  /**
   * The request if this person sees it and `may` act on it; else 404, or the 409 of refuseIfSeenThenChanged to one
   * who sent the state they saw it in.
   */
  async findActionable(
    staff: StaffPrincipal,
    reference: string,
    may: (staff: StaffPrincipal, request: RequestScope) => boolean,
    seen: SeenState | null = null,
  ): Promise<VisibleRequest> {
    const request = await this.findVisible(staff, reference);
    if (request && may(staff, request)) return request;
    await this.refuseIfSeenThenChanged(staff, reference, seen);
    throw new NotFound();
  }

  /**
   * For one who may not act on the request but sent the state they read it in: the 409 saying what changed and who did
   * it. Seeing it, they are told all and given its state now; a facilitator who no longer sees it only when the record
   * bears out that they saw it exactly so right before its latest change (its holder then, or in their network's pool),
   * and only that change (RequestsRepository.refuseIfChangedOutOfSight). Nothing for anyone else, who learns nothing of
   * it (404 follows), whatever state they send.
   */
  async refuseIfSeenThenChanged(staff: StaffPrincipal, reference: string, seen: SeenState | null): Promise<void> {
    const request = seen && (await this.scopeOf(reference));
    if (seen && request) await this.refuseIfChangedFor(staff, request, seen, this.dataSource.manager);
  }

  /**
   * The same under the request's lock (`db`, the transaction holding it; `locked`, the request as read under it), for
   * an action found allowed before it by `may`: one who may no longer take it (changed while they waited — given to a
   * colleague, put back in the pool) is refused, `seen` sent or not, even when the out-of-sight rule tells them nothing,
   * by `gone` — what the action answers without the lock (404 unless told) — lest it go on under someone else's hands,
   * or name its new holder.
   */
  async refuseIfSeenThenChangedUnderLock(
    staff: StaffPrincipal,
    locked: ScopedRequest,
    seen: SeenState | null,
    db: EntityManager,
    {
      may = canSeeRequest,
      gone = () => new NotFound(),
    }: { may?: (staff: StaffPrincipal, request: RequestScope) => boolean; gone?: () => AppError } = {},
  ): Promise<void> {
    if (seen) await this.refuseIfChangedFor(staff, locked, seen, db);
    if (!may(staff, locked)) throw gone();
  }

  private async refuseIfChangedFor(staff: StaffPrincipal, request: ScopedRequest, seen: SeenState, db: EntityManager): Promise<void> {
    if (canSeeRequest(staff, request)) return this.requests.refuseIfChangedSince(db, request.id, seen);
    if (staff.role === 'facilitator' && staff.facilitatorId !== null) {
      await this.requests.refuseIfChangedOutOfSight(
        request.id,
        seen,
        { facilitatorId: staff.facilitatorId, networkCodes: staff.networkCodes },
        db,
      );
    }
  }

  /** Whether this facilitator once held the request (an assignment of theirs, ended since). */
  async heldBefore(facilitatorId: string, reference: string): Promise<boolean> {
    const rows = await this.dataSource.query(
      `SELECT 1 FROM request_assignments ra JOIN requests r ON r.id = ra.request_id
        WHERE r.reference = $1 AND ra.facilitator_id = $2 LIMIT 1`,
      [reference, facilitatorId],
    );
    return rows.length > 0;
  }

  private async scopeOf(reference: string): Promise<VisibleRequest | null> {
    const rows: VisibleRequest[] = await this.dataSource.query(
      `SELECT id, reference, network_code AS "networkCode", assigned_facilitator_id AS "assignedFacilitatorId", status,
              department_code AS "departmentCode"
         FROM requests WHERE reference = $1`,
      [reference],
    );
    return rows[0] ?? null;
  }
}
