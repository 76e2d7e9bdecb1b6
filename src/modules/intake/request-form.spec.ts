import { FORM_FIELDS, FormValues, formToRequestBody, followUpValues, inPageOrder, pickFormValues } from './request-form';

const FILLED: FormValues = {
  'buyer.firstName': 'Camille',
  'buyer.lastName': 'Martin',
  'buyer.email': 'camille.martin@example.fr',
  'buyer.phone': '04 76 00 00 00',
  'buyer.organisationName': 'Département de l’Isère',
  'buyer.organisationType': 'local_authority',
  'buyer.siret': '223 800 014 00019',
  departmentCode: '38',
  kind: 'environmental',
  segment: 'office_supplies',
  purchaseStage: 'drafting_tender',
  estimatedAmount: '120 000',
  neededBy: '2027-03-01',
  subject: 'Fournitures de bureau',
  question: 'Une question.',
  consent: 'yes',
};

describe('formToRequestBody', () => {
  it('turns a filled form into the API shape', () => {
    expect(formToRequestBody(FILLED)).toEqual({
      buyer: {
        firstName: 'Camille',
        lastName: 'Martin',
        email: 'camille.martin@example.fr',
        phone: '04 76 00 00 00',
        organisationName: 'Département de l’Isère',
        organisationType: 'local_authority',
        siret: '223 800 014 00019',
      },
      departmentCode: '38',
      kind: 'environmental',
      segment: 'office_supplies',
      purchaseStage: 'drafting_tender',
      estimatedAmount: 120000,
      neededBy: '2027-03-01',
      subject: 'Fournitures de bureau',
      question: 'Une question.',
      consent: true,
    });
  });

  it.each([
    ['01/03/2027', '2027-03-01'],
    ['1/3/2027', '2027-03-01'],
    ['2027-03-01', '2027-03-01'],
    ['mars 2027', 'mars 2027'],
  ])('reads the date typed in a browser without a date picker, %j → %j', (typed, neededBy) => {
    expect(formToRequestBody({ ...FILLED, neededBy: typed }).neededBy).toBe(neededBy);
  });

  it('leaves every field absent for an empty form (buyer stays an object)', () => {
    expect(formToRequestBody({})).toEqual({ buyer: {} });
  });

  it.each(FORM_FIELDS.map((field) => [field] as const))('treats an empty or blank %s as absent', (field) => {
    for (const blank of ['', '   ', '\t\n']) {
      const body = formToRequestBody({ ...FILLED, [field]: blank });
      const [head, tail] = field.split('.');
      const holder = (tail ? body[head] : body) as Record<string, unknown>;
      expect(Object.keys(holder)).not.toContain(tail ?? head);
    }
  });

  it.each([
    ['yes', true],
    ['no', false],
    ['', undefined],
    ['oui', undefined],
    ['YES', undefined],
    [undefined, undefined],
  ])('internalReferentConsulted %p → %p', (value, expected) => {
    const body = formToRequestBody({ internalReferentConsulted: value });
    expect(body.internalReferentConsulted).toBe(expected);
    expect('internalReferentConsulted' in body).toBe(expected !== undefined);
  });

  it.each([
    ['yes', true],
    ['no', undefined],
    ['', undefined],
    ['on', undefined],
    [undefined, undefined],
  ])('consent %p → %p', (value, expected) => {
    const body = formToRequestBody({ consent: value });
    expect(body.consent).toBe(expected);
    expect('consent' in body).toBe(expected !== undefined);
  });

  it.each([
    ['120000', 120000],
    ['120 000', 120000],
    ['120000 €', 120000],
    ['120 000 €', 120000],
    ['120\u00a0000\u00a0€', 120000],
    ['120\u202f000 €', 120000],
    ['  5000  ', 5000],
    ['0', 0],
    ['120 000,00 €', 120000],
    ['120000.00', 120000],
    ['120000,0', 120000],
    ['120.000', 120000],
    ['1.500.000 €', 1500000],
    ['1.500.000,00 €', 1500000],
    ['1.000', 1000],
    ['120.00', 120],
    ['-100', -100],
    ['12,5', '12,5'],
    ['12.5', '12.5'],
    ['120 000,50', '120000,50'],
    ['1.5000', '1.5000'],
    ['1e6', '1e6'],
    ['0x10', '0x10'],
  ])('estimatedAmount %p → %p', (value, expected) => {
    expect(formToRequestBody({ estimatedAmount: value }).estimatedAmount).toStrictEqual(expected);
  });

  it.each(['cent mille', 'environ 100 k€', '€'])('leaves the non-number %p a string, for the validator to refuse', (value) => {
    expect(typeof formToRequestBody({ estimatedAmount: value }).estimatedAmount).toBe('string');
  });

  it('keeps strings as typed (trimming is the validator’s job)', () => {
    const body = formToRequestBody({ 'buyer.firstName': '  Camille ', subject: ' Objet ' });
    expect(body).toEqual({ buyer: { firstName: '  Camille ' }, subject: ' Objet ' });
  });
});

describe('pickFormValues', () => {
  it('keeps the known fields and drops the others', () => {
    const posted = { ...FILLED, _csrf: 'token', formToken: 'abc', 'buyer.nickname': 'Cam', admin: 'true', __proto__x: '1' };
    expect(pickFormValues(posted)).toEqual(FILLED);
  });

  it('drops values that are not strings', () => {
    expect(
      pickFormValues({ 'buyer.firstName': ['Camille', 'Claude'], departmentCode: 38, consent: true, kind: { a: 1 }, subject: 'Objet' }),
    ).toEqual({ subject: 'Objet' });
  });

  it('keeps empty strings so the form shows them back as they were', () => {
    expect(pickFormValues({ 'buyer.phone': '', question: '  ' })).toEqual({ 'buyer.phone': '', question: '  ' });
  });

  it('round-trips with formToRequestBody', () => {
    expect(formToRequestBody(pickFormValues({ ...FILLED, extra: 'x' }))).toEqual(formToRequestBody(FILLED));
  });
});

describe('followUpValues', () => {
  const previous = {
    buyerFirstName: 'Camille',
    buyerLastName: 'Martin',
    buyerEmail: 'camille.martin@example.fr',
    buyerPhone: '+33 4 76 00 00 00',
    organisationName: 'Département de l’Isère',
    organisationType: 'local_authority' as const,
    siret: '22380001400019',
    departmentCode: '38',
  };

  it.each([
    [
      'who the buyer is and where they buy',
      previous,
      {
        'buyer.firstName': 'Camille',
        'buyer.lastName': 'Martin',
        'buyer.email': 'camille.martin@example.fr',
        'buyer.phone': '+33 4 76 00 00 00',
        'buyer.organisationName': 'Département de l’Isère',
        'buyer.organisationType': 'local_authority',
        'buyer.siret': '22380001400019',
        departmentCode: '38',
      },
    ],
    [
      'no phone nor SIRET given',
      { ...previous, buyerPhone: null, siret: null },
      {
        'buyer.firstName': 'Camille',
        'buyer.lastName': 'Martin',
        'buyer.email': 'camille.martin@example.fr',
        'buyer.organisationName': 'Département de l’Isère',
        'buyer.organisationType': 'local_authority',
        departmentCode: '38',
      },
    ],
    [
      'personal data erased',
      { ...previous, buyerFirstName: '', buyerLastName: '', buyerEmail: '', buyerPhone: null, organisationName: '', siret: null },
      { 'buyer.organisationType': 'local_authority', departmentCode: '38' },
    ],
  ])('%s', (_label, request, expected) => {
    expect(followUpValues(request)).toEqual(expected);
  });
});

describe('inPageOrder', () => {
  it('lists field errors in the order of the page, unknown fields last, ties kept', () => {
    const errors = [
      { field: 'question', message: 'q' },
      { field: 'somethingElse', message: 'x' },
      { field: 'purchaseStage', message: 's' },
      { field: 'buyer.email', message: 'e1' },
      { field: 'buyer.email', message: 'e2' },
      { field: 'consent', message: 'c' },
    ];
    expect(inPageOrder(errors).map((e) => e.message)).toEqual(['e1', 'e2', 's', 'q', 'c', 'x']);
  });
});
