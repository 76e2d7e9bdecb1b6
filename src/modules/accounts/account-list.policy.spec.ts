import { accountState, filterAccounts, networksWithoutAnimator, parseAccountFilters } from './account-list.policy';

const account = (overrides: Partial<Parameters<typeof filterAccounts>[0][number]> = {}) => ({
  firstName: 'Élise',
  lastName: 'Martin',
  email: 'elise.martin@example.org',
  role: 'facilitator' as const,
  networkCodes: ['aura-ee'],
  active: true,
  passwordHash: 'hash',
  ...overrides,
});

describe('parseAccountFilters', () => {
  it.each([
    [{}, { search: null, role: null, network: null, state: null }],
    [
      { q: '  martin ', role: 'animator', reseau: 'reseco', etat: 'pending' },
      { search: 'martin', role: 'animator', network: 'reseco', state: 'pending' },
    ],
    [
      { q: ['a'], role: 'boss', etat: 'gone' },
      { search: null, role: null, network: null, state: null },
    ],
  ])('%j', (query, filters) => {
    expect(parseAccountFilters(query)).toEqual(filters);
  });
});

describe('accountState', () => {
  it.each([
    [true, 'hash', 'active'],
    [true, null, 'pending'],
    [false, 'hash', 'inactive'],
    [false, null, 'inactive'],
  ] as const)('active %s, password %s: %s', (active, passwordHash, state) => {
    expect(accountState({ active, passwordHash })).toBe(state);
  });
});

describe('filterAccounts', () => {
  const elise = account();
  const noe = account({ firstName: 'Noé', lastName: 'Durand', email: 'noe@reseco.fr', role: 'animator', networkCodes: ['reseco'] });
  const pending = account({ firstName: 'Inès', lastName: 'Attente', email: 'ines@example.org', passwordHash: null });
  const gone = account({ firstName: 'Paul', lastName: 'Parti', email: 'paul@example.org', active: false });
  const all = [elise, noe, pending, gone];
  const none = { search: null, role: null, network: null, state: null };
  it.each([
    ['no filter', none, all],
    ['a name without its accent', { ...none, search: 'elise' }, [elise]],
    ['an address, any case', { ...none, search: 'RESECO.FR' }, [noe]],
    ['two words, both needed', { ...none, search: 'noé durand' }, [noe]],
    ['two words, one missing', { ...none, search: 'noé martin' }, []],
    ['a role', { ...none, role: 'animator' as const }, [noe]],
    ['a network', { ...none, network: 'aura-ee' }, [elise, pending, gone]],
    ['invited, waiting', { ...none, state: 'pending' as const }, [pending]],
    ['deactivated', { ...none, state: 'inactive' as const }, [gone]],
    ['every filter at once', { search: 'martin', role: 'facilitator' as const, network: 'aura-ee', state: 'active' as const }, [elise]],
  ])('%s', (_label, filters, expected) => {
    expect(filterAccounts(all, filters)).toEqual(expected);
  });
});

describe('networksWithoutAnimator: whose alerts go to a contact address nobody signs in with', () => {
  const animator = (networkCodes: string[], active = true, passwordHash: string | null = 'hash') => ({
    firstName: 'A',
    lastName: 'B',
    email: 'a@example.org',
    role: 'animator' as const,
    networkCodes,
    active,
    passwordHash,
  });
  it.each<[string, ReturnType<typeof animator>[], string[]]>([
    ['nobody', [], ['reseco', '3ar']],
    ['one animator for one', [animator(['reseco'])], ['3ar']],
    ['one animator for both', [animator(['reseco', '3ar'])], []],
    ['an invitation not yet accepted runs nothing', [animator(['reseco'], true, null)], ['reseco', '3ar']],
    ['a deactivated animator runs nothing', [animator(['reseco'], false)], ['reseco', '3ar']],
    ['a facilitator is no animator', [{ ...animator(['reseco']), role: 'facilitator' as never }], ['reseco', '3ar']],
  ])('%s', (_label, accounts, expected) => {
    expect(networksWithoutAnimator(accounts, ['reseco', '3ar'])).toEqual(expected);
  });
});
