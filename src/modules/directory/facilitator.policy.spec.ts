import {
  affectsRouting,
  changedFields,
  changeSummary,
  FacilitatorProfile,
  organisationOf,
  resolveProfile,
  Territory,
} from './facilitator.policy';

const DEPARTMENTS: Record<string, string> = { '38': 'aura-ee', '69': 'aura-ee', '73': 'aura-ee', '35': 'reseco', '44': 'reseco' };
const territory: Territory = {
  networkCodes: () => ['aura-ee', 'reseco'],
  networkName: (code) => ({ 'aura-ee': 'AURA-EE / RREDD', reseco: 'RESECO' })[code] ?? code,
  networkOfDepartment: (code) => DEPARTMENTS[code],
  departmentsOfNetwork: (network) => Object.keys(DEPARTMENTS).filter((code) => DEPARTMENTS[code] === network),
  segmentExists: (code) => ['catering', 'furniture'].includes(code),
};

const adviser: FacilitatorProfile = {
  email: 'claire.dupont@example.org',
  firstName: 'Claire',
  lastName: 'Dupont',
  kind: 'environmental',
  organisation: null,
  networkCode: 'aura-ee',
  departmentCodes: [],
  segments: [],
  capacity: 10,
  isCoordinator: false,
  active: true,
};
const socialClause: FacilitatorProfile = { ...adviser, kind: 'social_clause', departmentCodes: ['38'] };

describe('resolveProfile', () => {
  it.each<[string, FacilitatorProfile, Partial<FacilitatorProfile>]>([
    ['lower-cases and trims the e-mail', { ...adviser, email: ' Claire.DUPONT@Example.org ' }, { email: 'claire.dupont@example.org' }],
    [
      'trims a structure and makes its inner spaces single',
      { ...adviser, organisation: '  PLIE  du Grand\tNarbonne ' },
      { organisation: 'PLIE du Grand Narbonne' },
    ],
    ['takes a blank structure for none (the network)', { ...adviser, organisation: '   ' }, { organisation: null }],
    ['keeps an environmental adviser without départements (whole network)', adviser, { departmentCodes: [] }],
    ['sorts départements and drops repeats', { ...adviser, departmentCodes: ['73', '38', '73'] }, { departmentCodes: ['38', '73'] }],
    [
      'sorts segments and drops repeats',
      { ...adviser, segments: ['furniture', 'catering', 'furniture'] },
      { segments: ['catering', 'furniture'] },
    ],
    [
      'keeps the départements a social-clause facilitator lists',
      { ...socialClause, departmentCodes: ['69', '38'] },
      { departmentCodes: ['38', '69'] },
    ],
    [
      'spells out the whole network for a social-clause facilitator listing none',
      { ...socialClause, departmentCodes: [] },
      { departmentCodes: ['38', '69', '73'] },
    ],
    [
      'keeps a coordinator without départements (fallback only)',
      { ...socialClause, isCoordinator: true, departmentCodes: [] },
      { departmentCodes: [] },
    ],
  ])('%s', (_label, draft, expected) => {
    const result = resolveProfile(draft, territory);
    expect(result).toEqual({ ok: true, profile: expect.objectContaining(expected) });
  });

  it.each<[string, Partial<FacilitatorProfile>, string, RegExp]>([
    ['an unknown network', { networkCode: 'atlantis' }, 'networkCode', /Réseau inconnu : « atlantis ». Codes possibles : aura-ee, reseco/],
    ['an unknown département', { departmentCodes: ['38', '999'] }, 'departmentCodes', /^Département inconnu : 999\./],
    ['unknown départements', { departmentCodes: ['998', '999'] }, 'departmentCodes', /^Départements inconnus : 998, 999\./],
    [
      'a département outside the network',
      { departmentCodes: ['38', '35'] },
      'departmentCodes',
      /^Ce département n’est pas sur le territoire du réseau « AURA-EE \/ RREDD » : 35 \(RESECO\)\.$/,
    ],
    [
      'an unknown département and one outside the network, told at once',
      { departmentCodes: ['38', '35', '999'] },
      'departmentCodes',
      /^Département inconnu : 999\. Utilisez les codes INSEE \(01, 2A, 971…\)\. Ce département n’est pas sur le territoire du réseau « AURA-EE \/ RREDD » : 35 \(RESECO\)\.$/,
    ],
    ['an unknown segment', { segments: ['catering', 'rockets'] }, 'segments', /^Segment d’achat inconnu : rockets\.$/],
    ['an environmental coordinator', { isCoordinator: true }, 'isCoordinator', /^Seuls les facilitateurs de clauses sociales/],
  ])('refuses %s', (_label, change, field, message) => {
    const result = resolveProfile({ ...adviser, ...change }, territory);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual([{ field, message: expect.stringMatching(message) }]);
  });

  it('reports every problem at once, and no territory check against an unknown network', () => {
    const result = resolveProfile(
      { ...adviser, networkCode: 'atlantis', departmentCodes: ['38'], segments: ['rockets'], isCoordinator: true },
      territory,
    );
    expect(!result.ok && result.errors.map((e) => e.field)).toEqual(['networkCode', 'segments', 'isCoordinator']);
  });
});

describe('organisationOf', () => {
  it.each<[string | null, string | null]>([
    [null, null],
    ['', null],
    [' \t ', null],
    [' Maison de l’emploi  de Carcassonne ', 'Maison de l’emploi de Carcassonne'],
  ])('%j is stored as %j', (typed, stored) => {
    expect(organisationOf(typed)).toBe(stored);
  });
});

describe('changedFields and affectsRouting', () => {
  it.each<[string, Partial<FacilitatorProfile>, Array<keyof FacilitatorProfile>, boolean]>([
    ['nothing but the order of the lists', {}, [], false],
    ['the first name', { firstName: 'Claude' }, ['firstName'], false],
    ['the e-mail', { email: 'claire@example.org' }, ['email'], false],
    ['the structure', { organisation: 'PLIE du Grand Narbonne' }, ['organisation'], false],
    ['the capacity', { capacity: 3 }, ['capacity'], true],
    ['the active flag', { active: false }, ['active'], true],
    ['the kind', { kind: 'social_clause' }, ['kind'], true],
    ['the network', { networkCode: 'reseco' }, ['networkCode'], true],
    ['the départements', { departmentCodes: ['38'] }, ['departmentCodes'], true],
    ['the segments', { segments: ['catering'] }, ['segments'], true],
    ['the coordinator flag', { isCoordinator: true }, ['isCoordinator'], true],
    ['the name and the capacity', { lastName: 'Durand', capacity: 1 }, ['lastName', 'capacity'], true],
  ])('%s', (_label, change, fields, routing) => {
    const before = { ...adviser, departmentCodes: ['38', '73'], segments: ['catering', 'furniture'] };
    const after = { ...before, departmentCodes: ['73', '38'], segments: ['furniture', 'catering'], ...change };
    expect(changedFields(before, after)).toEqual(fields);
    expect(affectsRouting(fields)).toBe(routing);
  });
});

describe('changeSummary: the journal says from what to what', () => {
  const NAMES = {
    network: territory.networkName,
    segment: (code: string) => ({ catering: 'Restauration', furniture: 'Mobilier' })[code] ?? code,
  };
  it.each<[string, Partial<FacilitatorProfile>, string]>([
    ['the network, by name', { networkCode: 'reseco' }, 'réseau : RESECO (avant : AURA-EE / RREDD)'],
    ['the kind', { kind: 'social_clause' }, 'type : Clauses sociales (avant : Considérations environnementales)'],
    ['the capacity', { capacity: 3 }, 'capacité : 3 (avant : 10)'],
    ['départements gained and lost', { departmentCodes: ['69', '38'] }, 'départements : + 69 − 73'],
    ['segments emptied, by label', { segments: [] }, 'segments : − Restauration ; Mobilier'],
    [
      'the flags',
      { isCoordinator: true, active: false },
      'coordination régionale : oui (avant : non), « Reçoit des demandes » : non (avant : oui)',
    ],
    ['a structure given', { organisation: 'PLIE du Grand Narbonne' }, 'structure : « PLIE du Grand Narbonne » (avant : aucune)'],
    ['names and address, named only', { firstName: 'Claude', email: 'claude@example.org' }, 'adresse, prénom'],
  ])('%s', (_label, patch, expected) => {
    const before = { ...adviser, departmentCodes: ['38', '73'], segments: ['catering', 'furniture'] };
    const after = { ...before, ...patch };
    expect(changeSummary({ before, after, changed: changedFields(before, after) }, NAMES)).toBe(expected);
  });

  it.each([
    ['PLIE du Grand Narbonne', 'structure : « PLIE du Grand Narbonne » (avant : « Maison de l’emploi de Carcassonne »)'],
    [null, 'structure : aucune (avant : « Maison de l’emploi de Carcassonne »)'],
  ])('a structure changed or removed: %j', (organisation, expected) => {
    const before = { ...adviser, organisation: 'Maison de l’emploi de Carcassonne' };
    const after = { ...before, organisation };
    expect(changeSummary({ before, after, changed: changedFields(before, after) }, NAMES)).toBe(expected);
  });
});
