/**
 * The accounts list's filters (pure): words in a name or an address, a role, a network, a state. Read leniently from
 * the page's query: a value not understood is no filter.
 */
import { STAFF_ROLES, StaffRole } from './accounts.types';

/** Accounts on one page of the list. */
export const ACCOUNTS_PAGE_SIZE = 50;

export const ACCOUNT_STATES = ['active', 'pending', 'inactive'] as const;
export type AccountState = (typeof ACCOUNT_STATES)[number];

export interface AccountFilters {
  search: string | null;
  role: StaffRole | null;
  network: string | null;
  state: AccountState | null;
}

export interface ListedAccount {
  firstName: string;
  lastName: string;
  email: string;
  role: StaffRole;
  networkCodes: string[];
  active: boolean;
  passwordHash: string | null;
}

export function parseAccountFilters(query: Record<string, unknown>): AccountFilters {
  const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim().slice(0, 100) : null);
  return {
    search: text(query.q),
    role: STAFF_ROLES.find((role) => role === query.role) ?? null,
    network: text(query.reseau),
    state: ACCOUNT_STATES.find((state) => state === query.etat) ?? null,
  };
}

/** The list's address with these filters, at that page (the first page needs no number). */
export function accountListUrl(filters: AccountFilters, page = 1): string {
  const values = {
    q: filters.search,
    role: filters.role,
    reseau: filters.network,
    etat: filters.state,
    page: page > 1 ? String(page) : null,
  };
  const params = new URLSearchParams(Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== null));
  return params.size ? `/espace/comptes?${params.toString()}` : '/espace/comptes';
}

/** Active, invited without a password chosen yet, or deactivated: what the list's « État » column says. */
export function accountState(account: Pick<ListedAccount, 'active' | 'passwordHash'>): AccountState {
  if (!account.active) return 'inactive';
  return account.passwordHash === null ? 'pending' : 'active';
}

/** The accounts matching every filter set; the search ignores case and accents, in the name or the address. */
export function filterAccounts<A extends ListedAccount>(accounts: readonly A[], filters: AccountFilters): A[] {
  const words = filters.search ? folded(filters.search).split(/\s+/) : [];
  return accounts.filter(
    (account) =>
      (!filters.role || account.role === filters.role) &&
      (!filters.network || account.networkCodes.includes(filters.network)) &&
      (!filters.state || accountState(account) === filters.state) &&
      words.every((word) => folded(`${account.firstName} ${account.lastName} ${account.email}`).includes(word)),
  );
}

function folded(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * The networks, among these, that no signed-up animator runs: their alerts (pool, delays, absences) go to their
 * contact address, whose reader has no account to act with (networkRecipients). `accounts` must hold every animator.
 */
export function networksWithoutAnimator(accounts: readonly ListedAccount[], networkCodes: readonly string[]): string[] {
  const run = new Set(accounts.filter((a) => a.role === 'animator' && accountState(a) === 'active').flatMap((a) => a.networkCodes));
  return networkCodes.filter((code) => !run.has(code));
}
