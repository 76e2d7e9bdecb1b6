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
    ['no account at that address', null, 'recordEmail', { kind: 'free' }],
    ['the facilitator holding the record', account({ role: 'facilitator', facilitatorId: 'record-3ar' }), 'recordEmail', { kind: 'free' }],
    ['the animator holding the record', account({ facilitatorId: 'record-3ar' }), 'recordNetwork', { kind: 'free' }],
    ['a deactivated account holding the record', account({ facilitatorId: 'record-3ar', active: false }), 'recordEmail', { kind: 'free' }],
    [
      'an animator of the network, holding no record',
      account({ networkCodes: ['apure', '3ar'] }),
      'recordEmail',
      { kind: 'link', accountId: 'account' },
    ],
    [
      'an animator of the network, invited or moved to its address',
      account({ networkCodes: ['3ar'] }),
      'accountEmail',
      { kind: 'link', accountId: 'account' },
    ],
    [
      'its holder keeping the network among others',
      account({ networkCodes: ['3ar', 'apure'], facilitatorId: 'record-3ar' }),
      'accountNetworks',
      { kind: 'free' },
    ],
  ] as const)('%s', (_label, found, change, holding) => {
    expect(recordHolding(found, RECORD, change)).toEqual(holding);
  });

  it.each([
    [
      'an admin',
      account({ role: 'admin', networkCodes: [] }),
      'recordEmail',
      'email',
      'un administrateur, ou un compte d’un autre réseau que « 3AR »',
    ],
    ['an animator of another network', account({ networkCodes: ['apure'] }), 'recordEmail', 'email', 'ne peut pas tenir cette fiche'],
    [
      'a facilitator of another network',
      account({ role: 'facilitator', networkCodes: ['apure'], facilitatorId: 'r' }),
      'recordEmail',
      'email',
      'ne peut pas',
    ],
    [
      'a facilitator holding another record',
      account({ role: 'facilitator', facilitatorId: 'other' }),
      'recordEmail',
      'email',
      'ne peut pas',
    ],
    ['an animator of the network holding another record', account({ facilitatorId: 'other' }), 'recordEmail', 'email', 'ne peut pas'],
    [
      'its holder, an animator of another network',
      account({ networkCodes: ['apure'], facilitatorId: 'record-3ar' }),
      'recordNetwork',
      'networkCode',
      'Dans le réseau « 3AR »',
    ],
    ['an animator of the network, deactivated', account({ active: false }), 'recordEmail', 'email', 'compte désactivé'],
    ['an admin, deactivated', account({ role: 'admin', networkCodes: [], active: false }), 'recordEmail', 'email', 'un administrateur'],
    [
      'an admin invited at its address',
      account({ role: 'admin', networkCodes: [] }),
      'accountEmail',
      'email',
      'fiche de facilitateur du réseau « 3AR »',
    ],
    [
      'an animator of other networks moved to its address',
      account({ networkCodes: ['apure'] }),
      'accountEmail',
      'email',
      'Indiquez une autre adresse',
    ],
    [
      'a deactivated animator of the network moved to its address',
      account({ active: false }),
      'accountEmail',
      'email',
      'Ce compte est désactivé',
    ],
    [
      'its holder, an animator losing its network',
      account({ networkCodes: ['apure'], facilitatorId: 'record-3ar' }),
      'accountNetworks',
      'networkCodes',
      'du réseau « 3AR » : gardez ce réseau',
    ],
  ] as const)('refuses %s, on the field changed', (_label, found, change, field, said) => {
    const holding = recordHolding(found, RECORD, change);
    expect(holding).toMatchObject({ kind: 'refused', error: { field } });
    expect(holding.kind === 'refused' && holding.error.message).toContain(said);
  });
});
