import { facilitatorFormOf, FacilitatorFormValues, formToFacilitator, pickFacilitatorForm } from './facilitator-form';
import type { FacilitatorProfile } from './facilitator.policy';

const FILLED: FacilitatorFormValues = {
  email: ' claire.dupont@example.org ',
  firstName: 'Claire',
  lastName: 'Dupont',
  kind: 'social_clause',
  organisation: ' PLIE du Grand Narbonne ',
  networkCode: 'aura-ee',
  departmentCodes: '38 73',
  segments: ['catering', 'cleaning'],
  capacity: '12',
  isCoordinator: 'true',
  active: 'true',
};

describe('formToFacilitator', () => {
  it('turns a filled form into the API shape', () => {
    expect(formToFacilitator(FILLED)).toEqual({
      email: 'claire.dupont@example.org',
      firstName: 'Claire',
      lastName: 'Dupont',
      kind: 'social_clause',
      organisation: 'PLIE du Grand Narbonne',
      networkCode: 'aura-ee',
      departmentCodes: ['38', '73'],
      segments: ['catering', 'cleaning'],
      capacity: 12,
      isCoordinator: true,
      active: true,
    });
  });

  it.each([
    ['blank texts are absent', { email: '  ', firstName: '' }, { email: undefined, firstName: undefined }],
    ['a blank structure is none: the network', { organisation: '  ' }, { organisation: null }],
    [
      'codes split on spaces, commas and semicolons, upper-cased',
      { departmentCodes: ' 2a, 2B;38  73 ' },
      { departmentCodes: ['2A', '2B', '38', '73'] },
    ],
    ['no code: the whole network', { departmentCodes: '' }, { departmentCodes: [] }],
    ['a capacity that is not a whole number stays as typed, for its error', { capacity: '1,5' }, { capacity: '1,5' }],
    ['a blank capacity is absent', { capacity: ' ' }, { capacity: undefined }],
    ['unticked boxes are not sent: false', { isCoordinator: undefined, active: undefined }, { isCoordinator: false, active: false }],
    ['a box sent with another value is not ticked', { active: 'on' }, { active: false }],
  ] as const)('%s', (_label, change, expected) => {
    expect(formToFacilitator({ ...FILLED, ...change })).toMatchObject(expected);
  });
});

describe('pickFacilitatorForm', () => {
  it('keeps the known text fields and the ticked segments, one or several', () => {
    expect(pickFacilitatorForm({ email: 'a@b.fr', segments: 'catering', _csrf: 'x', capacity: 3 })).toEqual({
      email: 'a@b.fr',
      segments: ['catering'],
    });
    expect(pickFacilitatorForm({ segments: ['catering', 'waste', 7] }).segments).toEqual(['catering', 'waste']);
    expect(pickFacilitatorForm({}).segments).toEqual([]);
  });
});

describe('facilitatorFormOf', () => {
  const stored: FacilitatorProfile = {
    email: 'claire.dupont@example.org',
    firstName: 'Claire',
    lastName: 'Dupont',
    kind: 'environmental',
    organisation: null,
    networkCode: 'aura-ee',
    departmentCodes: ['38', '73'],
    segments: ['catering'],
    capacity: 10,
    isCoordinator: false,
    active: true,
  };

  it('shows a stored record as the form holds it, and reads back to the same record', () => {
    const form = facilitatorFormOf(stored);
    expect(form).toMatchObject({ departmentCodes: '38 73', capacity: '10', isCoordinator: undefined, active: 'true' });
    expect(formToFacilitator(form)).toEqual(stored);
    const employed = { ...stored, organisation: 'Maison de l’emploi de Carcassonne' };
    expect(formToFacilitator(facilitatorFormOf(employed))).toEqual(employed);
  });
});
