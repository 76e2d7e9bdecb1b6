import type { StaffPrincipal, StaffRole } from './accounts.types';

/** What the access rules need to know about a request. */
export interface RequestScope {
  networkCode: string;
  assignedFacilitatorId: string | null;
  status: string;
}

/** What the access rules need to know about another staff account. */
export interface AccountScope {
  role: StaffRole;
  networkCodes: string[];
}

const inNetworks = (p: StaffPrincipal, networkCode: string) => p.networkCodes.includes(networkCode);

/** The network's pool: requests no facilitator could take, waiting for one. */
export function isInPool(r: RequestScope): boolean {
  return r.status === 'unassigned' && r.assignedFacilitatorId === null;
}

/**
 * admin: every request; animator: every request of their networks; facilitator: the requests
 * assigned to them, and their network's pool.
 */
export function canSeeRequest(p: StaffPrincipal, r: RequestScope): boolean {
  switch (p.role) {
    case 'admin':
      return true;
    case 'animator':
      return inNetworks(p, r.networkCode);
    case 'facilitator':
      return isHolder(p, r) || canTakeFromPool(p, r);
  }
}

/** The facilitator the request is assigned to. */
export function isHolder(p: StaffPrincipal, r: RequestScope): boolean {
  return p.facilitatorId !== null && p.facilitatorId === r.assignedFacilitatorId;
}

/** A facilitator takes a request from their own network's pool. */
export function canTakeFromPool(p: StaffPrincipal, r: RequestScope): boolean {
  return p.role === 'facilitator' && isInPool(r) && inNetworks(p, r.networkCode);
}

/** Reassigning is the animators' job (their networks), and the admins'. */
export function canReassign(p: StaffPrincipal, r: RequestScope): boolean {
  return p.role === 'admin' || (p.role === 'animator' && inNetworks(p, r.networkCode));
}

/** Transfer to the other kind, split: the facilitator holding the request, and whoever may reassign it. */
export function canRedirect(p: StaffPrincipal, r: RequestScope): boolean {
  return canReassign(p, r) || (p.role === 'facilitator' && isHolder(p, r));
}

/**
 * Invite, list, deactivate: an admin manages every account; an animator the facilitator and
 * animator accounts whose networks are all theirs; a facilitator none.
 */
export function canManageAccount(p: StaffPrincipal, target: AccountScope): boolean {
  if (p.role === 'admin') return true;
  if (p.role !== 'animator' || target.role === 'admin') return false;
  return target.networkCodes.length > 0 && target.networkCodes.every((code) => inNetworks(p, code));
}

/** The facilitator directory (JSON API): admins for all, animators for their networks' facilitators. */
export function canManageFacilitator(p: StaffPrincipal, facilitatorNetworkCode: string): boolean {
  return p.role === 'admin' || (p.role === 'animator' && inNetworks(p, facilitatorNetworkCode));
}

/**
 * A facilitator's record and absences: the facilitator themself (reads their record, declares their absences), and
 * the animators and admins who manage them.
 */
export function isSelfOrManager(p: StaffPrincipal, facilitator: { id: string; networkCode: string }): boolean {
  return (p.role === 'facilitator' && p.facilitatorId === facilitator.id) || canManageFacilitator(p, facilitator.networkCode);
}

/** The networks whose data the principal may read in lists; null means all. */
export function visibleNetworks(p: StaffPrincipal): string[] | null {
  return p.role === 'admin' ? null : p.networkCodes;
}
