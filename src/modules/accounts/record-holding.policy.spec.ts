import { AccountAtAddress, recordHolding } from './record-holding.policy';

const RECORD = { id: 'record-3ar', networkCode: '3ar', networkName: '3AR' };

const account = (overrides: Partial<AccountAtAddress>): AccountAtAddress => ({
  id: 'account',
  role: 'animator',
  networkCodes: ['3ar'],
  facilitatorId: null,
  active: true,
  ...overrides,
});

describe('recordHolding', () => {
  it.each([
    ['no account at that address', null, 'email', { kind: 'free' }],
    ['the facilitator holding the record', account({ role: 'facilitator', facilitatorId: 'record-3ar' }), 'email', { kind: 'free' }],
    ['the animator holding the record', account({ facilitatorId: 'record-3ar' }), 'networkCode', { kind: 'free' }],
    ['a deactivated account holding the record', account({ facilitatorId: 'record-3ar', active: false }), 'email', { kind: 'free' }],
    [
      'an animator of the network, holding no record',
      account({ networkCodes: ['apure', '3ar'] }),
      'email',
      { kind: 'link', accountId: 'account' },
    ],
  ] as const)('%s', (_label, found, field, holding) => {
    expect(recordHolding(found, RECORD, field)).toEqual(holding);
  });

  it.each([
    ['an admin', account({ role: 'admin', networkCodes: [] }), 'email', 'un administrateur, ou un compte d’un autre réseau que « 3AR »'],
    ['an animator of another network', account({ networkCodes: ['apure'] }), 'email', 'ne peut pas tenir cette fiche'],
    [
      'a facilitator of another network',
      account({ role: 'facilitator', networkCodes: ['apure'], facilitatorId: 'r' }),
      'email',
      'ne peut pas',
    ],
    ['a facilitator holding another record', account({ role: 'facilitator', facilitatorId: 'other' }), 'email', 'ne peut pas'],
    ['an animator of the network holding another record', account({ facilitatorId: 'other' }), 'email', 'ne peut pas'],
    [
      'its holder, an animator of another network',
      account({ networkCodes: ['apure'], facilitatorId: 'record-3ar' }),
      'networkCode',
      'Dans le réseau « 3AR »',
    ],
    ['an animator of the network, deactivated', account({ active: false }), 'email', 'compte désactivé'],
    ['an admin, deactivated', account({ role: 'admin', networkCodes: [], active: false }), 'email', 'un administrateur'],
  ] as const)('refuses %s, on the field changed', (_label, found, field, said) => {
    const holding = recordHolding(found, RECORD, field);
    expect(holding).toMatchObject({ kind: 'refused', error: { field } });
    expect(holding.kind === 'refused' && holding.error.message).toContain(said);
  });
});
