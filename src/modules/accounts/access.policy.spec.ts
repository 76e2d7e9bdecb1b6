import {
  isSelfOrManager,
  canManageAccount,
  canManageFacilitator,
  canReassign,
  canRedirect,
  canSeeRequest,
  canTakeFromPool,
  RequestScope,
  visibleNetworks,
} from './access.policy';
import type { StaffPrincipal } from './accounts.types';

const base = { email: 'x@example.org', firstName: 'X', lastName: 'Y' };
const admin: StaffPrincipal = { ...base, id: 'u-admin', role: 'admin', facilitatorId: null, networkCodes: [] };
const animator: StaffPrincipal = { ...base, id: 'u-anim', role: 'animator', facilitatorId: null, networkCodes: ['aura-ee', 'res-occ'] };
const facilitator: StaffPrincipal = { ...base, id: 'u-fac', role: 'facilitator', facilitatorId: 'f-1', networkCodes: ['aura-ee'] };

const mine: RequestScope = { networkCode: 'aura-ee', assignedFacilitatorId: 'f-1', status: 'in_progress' };
const colleagues: RequestScope = { networkCode: 'aura-ee', assignedFacilitatorId: 'f-2', status: 'assigned' };
const pool: RequestScope = { networkCode: 'aura-ee', assignedFacilitatorId: null, status: 'unassigned' };
const notRoutedYet: RequestScope = { networkCode: 'aura-ee', assignedFacilitatorId: null, status: 'submitted' };
const foreignPool: RequestScope = { networkCode: 'bfc-ee', assignedFacilitatorId: null, status: 'unassigned' };
const foreign: RequestScope = { networkCode: 'bfc-ee', assignedFacilitatorId: 'f-9', status: 'answered' };
const mineElsewhere: RequestScope = { networkCode: 'bfc-ee', assignedFacilitatorId: 'f-1', status: 'awaiting_buyer' };

describe('access policy', () => {
  it.each([
    ['admin', admin, [mine, colleagues, pool, notRoutedYet, foreignPool, foreign, mineElsewhere], []],
    ['animator', animator, [mine, colleagues, pool, notRoutedYet], [foreignPool, foreign, mineElsewhere]],
    ['facilitator', facilitator, [mine, pool, mineElsewhere], [colleagues, notRoutedYet, foreignPool, foreign]],
  ] as const)('canSeeRequest: %s', (_label, principal, seen, hidden) => {
    for (const r of seen) expect([r, canSeeRequest(principal, r)]).toEqual([r, true]);
    for (const r of hidden) expect([r, canSeeRequest(principal, r)]).toEqual([r, false]);
  });

  it.each([
    [admin, pool, false],
    [animator, pool, false],
    [facilitator, pool, true],
    [facilitator, foreignPool, false],
    [facilitator, notRoutedYet, false],
    [facilitator, colleagues, false],
  ])('canTakeFromPool(%#)', (principal, r, expected) => {
    expect(canTakeFromPool(principal, r)).toBe(expected);
  });

  it.each([
    [admin, foreign, true],
    [animator, colleagues, true],
    [animator, foreign, false],
    [facilitator, mine, false],
    [facilitator, pool, false],
  ])('canReassign(%#)', (principal, r, expected) => {
    expect(canReassign(principal, r)).toBe(expected);
  });

  it.each([
    [admin, foreign, true],
    [animator, colleagues, true],
    [animator, foreign, false],
    [facilitator, mine, true],
    [facilitator, mineElsewhere, true],
    [facilitator, colleagues, false],
    [facilitator, pool, false],
  ])('canRedirect(%#)', (principal, r, expected) => {
    expect(canRedirect(principal, r)).toBe(expected);
  });

  it.each([
    [admin, { role: 'admin', networkCodes: [] }, true],
    [admin, { role: 'facilitator', networkCodes: ['bfc-ee'] }, true],
    [animator, { role: 'facilitator', networkCodes: ['aura-ee'] }, true],
    [animator, { role: 'animator', networkCodes: ['aura-ee', 'res-occ'] }, true],
    [animator, { role: 'animator', networkCodes: ['aura-ee', 'bfc-ee'] }, false],
    [animator, { role: 'facilitator', networkCodes: ['bfc-ee'] }, false],
    [animator, { role: 'animator', networkCodes: [] }, false],
    [animator, { role: 'admin', networkCodes: [] }, false],
    [facilitator, { role: 'facilitator', networkCodes: ['aura-ee'] }, false],
  ] as const)('canManageAccount(%#)', (principal, target, expected) => {
    expect(canManageAccount(principal, { role: target.role, networkCodes: [...target.networkCodes] })).toBe(expected);
  });

  it.each([
    [admin, 'bfc-ee', true],
    [animator, 'res-occ', true],
    [animator, 'bfc-ee', false],
    [facilitator, 'aura-ee', false],
  ])('canManageFacilitator(%#)', (principal, network, expected) => {
    expect(canManageFacilitator(principal, network)).toBe(expected);
  });

  it.each([
    ['a facilitator, their own', facilitator, { id: 'f-1', networkCode: 'aura-ee' }, true],
    ['a facilitator, a colleague of the network', facilitator, { id: 'f-2', networkCode: 'aura-ee' }, false],
    ['a facilitator, someone of another network', facilitator, { id: 'f-9', networkCode: 'bfc-ee' }, false],
    ['an animator, a facilitator of their network', animator, { id: 'f-2', networkCode: 'res-occ' }, true],
    ['an animator, a facilitator of another network', animator, { id: 'f-9', networkCode: 'bfc-ee' }, false],
    ['an admin, anyone', admin, { id: 'f-9', networkCode: 'bfc-ee' }, true],
  ] as const)('isSelfOrManager: %s', (_label, principal, target, expected) => {
    expect(isSelfOrManager(principal, target)).toBe(expected);
  });

  it('visibleNetworks: all for an admin, their own for others', () => {
    expect(visibleNetworks(admin)).toBeNull();
    expect(visibleNetworks(animator)).toEqual(['aura-ee', 'res-occ']);
    expect(visibleNetworks(facilitator)).toEqual(['aura-ee']);
  });
});
