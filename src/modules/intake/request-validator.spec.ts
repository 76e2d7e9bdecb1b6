import 'reflect-metadata';
import { AppError, FieldError, ValidationFailed } from '../../common/errors/app-errors';
import type { DepartmentRef, ReferenceService } from '../reference/reference.service';
import { CreateRequestDto } from './dto/create-request.dto';
import { exampleRequestBody } from './dto/create-request.example';
import { PRIVATE_POINTERS, STATE_POINTERS } from './eligibility.policy';
import { RequestValidator } from './request-validator';
import { localDay } from '../../common/local-clock';

/** A few rows of reference data, served from memory like the real service does after boot. */
const DEPARTMENTS: Record<string, DepartmentRef> = {
  '38': { code: '38', name: 'Isère', regionCode: '84', regionName: 'Auvergne-Rhône-Alpes', networkCode: 'ara' },
  '2A': { code: '2A', name: 'Corse-du-Sud', regionCode: '94', regionName: 'Corse', networkCode: 'corse' },
  '971': { code: '971', name: 'Guadeloupe', regionCode: '01', regionName: 'Guadeloupe', networkCode: 'guadeloupe' },
};
const SEGMENTS: Record<string, { code: string; label: string }> = {
  office_supplies: { code: 'office_supplies', label: 'Fournitures de bureau' },
  other: { code: 'other', label: 'Autre' },
};
const reference = {
  department: (code: string) => DEPARTMENTS[code],
  segment: (code: string) => SEGMENTS[code],
} as unknown as ReferenceService;

const validator = new RequestValidator(reference);

const NEXT_YEAR = new Date().getUTCFullYear() + 1;

function validBody(): Record<string, unknown> {
  return exampleRequestBody(0, { purchaseStage: 'drafting_tender' });
}
const QUESTION = validBody().question as string;

/** validBody() with some top-level or buyer fields replaced; undefined removes the field. */
function bodyWith(changes: Record<string, unknown>, buyerChanges: Record<string, unknown> = {}): Record<string, unknown> {
  const body = { ...validBody(), ...changes };
  if (!('buyer' in changes)) body.buyer = { ...(validBody().buyer as Record<string, unknown>), ...buyerChanges };
  for (const target of [body, body.buyer].filter((t): t is Record<string, unknown> => !!t && typeof t === 'object')) {
    for (const [key, value] of Object.entries(target)) if (value === undefined) delete target[key];
  }
  return body;
}

async function rejection(body: unknown): Promise<AppError> {
  try {
    await validator.validate(body);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('validate() accepted the body');
}

describe('RequestValidator.validate', () => {
  describe('a valid body', () => {
    it('passes and comes back as a CreateRequestDto', async () => {
      const dto = await validator.validate(validBody());
      expect(dto).toBeInstanceOf(CreateRequestDto);
      expect(dto).toMatchObject(validBody());
    });

    it('is normalised: SIRET without spaces, strings trimmed', async () => {
      const dto = await validator.validate(
        bodyWith(
          { departmentCode: ' 2A ', segment: 'other ', subject: '  Fournitures de bureau et loi AGEC\t', question: `\n ${QUESTION} \n` },
          { siret: ' 223 800 014 00019 ', firstName: '  Camille ', email: ' camille.martin@example.fr ' },
        ),
      );
      expect(dto.buyer.siret).toBe('22380001400019');
      expect(dto.buyer.firstName).toBe('Camille');
      expect(dto.buyer.email).toBe('camille.martin@example.fr');
      expect(dto.departmentCode).toBe('2A');
      expect((await validator.validate(bodyWith({ departmentCode: '2a' }))).departmentCode).toBe('2A');
      expect(dto.segment).toBe('other');
      expect(dto.subject).toBe('Fournitures de bureau et loi AGEC');
      expect(dto.question).toBe(QUESTION);
    });

    it.each([
      [
        'without the optional fields',
        bodyWith({ estimatedAmount: undefined, neededBy: undefined }, { phone: undefined, siret: undefined }),
      ],
      ['in an overseas département', bodyWith({ departmentCode: '971' })],
      // Today as the buyer's clock reads it (Isère: Paris), whatever the hour in UTC.
      ['for today', bodyWith({ neededBy: localDay('38', new Date()) })],
      [
        'for today in Guadeloupe, the day before in UTC at night',
        bodyWith({ departmentCode: '971', neededBy: localDay('971', new Date()) }),
      ],
      [
        'with optional fields sent empty, as form-like clients do',
        bodyWith({ estimatedAmount: '', neededBy: '' }, { phone: '', siret: '' }),
      ],
      ['with an amount of 0', bodyWith({ estimatedAmount: 0 })],
      ['with a blank SIRET (treated as absent)', bodyWith({}, { siret: '   ' })],
      ['with an international phone number', bodyWith({}, { phone: '+33 (0)4 76.00.00.00' })],
      ['with a phone number of La Réunion', bodyWith({}, { phone: '0262 12 34 56' })],
      ['with a phone number typed with no-break spaces', bodyWith({}, { phone: '04\u00a076\u00a000\u00a000\u00a000' })],
      [
        'from a State buyer who consulted its referent',
        bodyWith({ internalReferentConsulted: true }, { organisationType: 'state_administration' }),
      ],
      [
        'from a private company asking about social clauses',
        bodyWith({ kind: 'social_clause' }, { organisationType: 'private_not_subject' }),
      ],
    ])('passes %s', async (_label, body) => {
      await expect(validator.validate(body)).resolves.toBeInstanceOf(CreateRequestDto);
    });

    it('drops internalReferentConsulted for a buyer outside the State', async () => {
      const dto = await validator.validate(bodyWith({ internalReferentConsulted: false }));
      expect(dto.internalReferentConsulted).toBeUndefined();
    });

    it('keeps internalReferentConsulted for a State buyer', async () => {
      const dto = await validator.validate(bodyWith({ internalReferentConsulted: true }, { organisationType: 'state_public_body' }));
      expect(dto.internalReferentConsulted).toBe(true);
    });
  });

  describe('a body that is not an object', () => {
    it.each([
      ['an array', []],
      ['an array of objects', [validBody()]],
      ['null', null],
      ['undefined', undefined],
      ['a string', 'buyer=Camille'],
      ['a number', 42],
      ['true', true],
    ])('refuses %s', async (_label, body) => {
      const error = await rejection(body);
      expect(error).toBeInstanceOf(ValidationFailed);
      expect(error.code).toBe('validation_failed');
      expect(error.errors).toEqual([{ field: '', message: 'Le corps de la requête doit être un objet JSON.' }]);
    });
  });

  const FIELD_ERRORS: Array<[string, Record<string, unknown>, Record<string, unknown>, FieldError]> = [
    // missing fields
    ['missing buyer', { buyer: undefined }, {}, { field: 'buyer', message: 'Ce champ est obligatoire.' }],
    ['missing buyer.firstName', {}, { firstName: undefined }, { field: 'buyer.firstName', message: 'Indiquez votre prénom.' }],
    ['blank buyer.firstName', {}, { firstName: '   ' }, { field: 'buyer.firstName', message: 'Indiquez votre prénom.' }],
    ['missing buyer.lastName', {}, { lastName: undefined }, { field: 'buyer.lastName', message: 'Indiquez votre nom.' }],
    ['missing buyer.email', {}, { email: undefined }, { field: 'buyer.email', message: 'Indiquez votre adresse électronique.' }],
    [
      'missing buyer.organisationName',
      {},
      { organisationName: undefined },
      { field: 'buyer.organisationName', message: 'Indiquez le nom de votre organisation.' },
    ],
    [
      'missing buyer.organisationType',
      {},
      { organisationType: undefined },
      { field: 'buyer.organisationType', message: 'Choisissez le type de votre organisation.' },
    ],
    [
      'missing departmentCode',
      { departmentCode: undefined },
      {},
      { field: 'departmentCode', message: 'Choisissez le département de l’achat.' },
    ],
    ['missing kind', { kind: undefined }, {}, { field: 'kind', message: 'Choisissez le type de question.' }],
    ['missing segment', { segment: undefined }, {}, { field: 'segment', message: 'Choisissez le segment d’achat.' }],
    ['missing subject', { subject: undefined }, {}, { field: 'subject', message: 'Indiquez l’objet de votre demande.' }],
    ['missing question', { question: undefined }, {}, { field: 'question', message: 'Posez votre question.' }],
    ['missing purchaseStage', { purchaseStage: undefined }, {}, { field: 'purchaseStage', message: 'Choisissez l’étape de votre achat.' }],
    [
      'missing consent',
      { consent: undefined },
      {},
      {
        field: 'consent',
        message: 'Cochez la case pour confirmer que vous avez pris connaissance du traitement de vos données personnelles.',
      },
    ],
    // values
    [
      'bad e-mail',
      {},
      { email: 'camille.martin@' },
      { field: 'buyer.email', message: 'Indiquez une adresse électronique valide, par exemple nom@exemple.fr.' },
    ],
    [
      'quoted e-mail',
      {},
      { email: '"<script>"@example.org' },
      { field: 'buyer.email', message: 'Indiquez une adresse électronique valide, par exemple nom@exemple.fr.' },
    ],
    [
      'bad phone',
      {},
      { phone: 'appelez-moi' },
      { field: 'buyer.phone', message: 'Indiquez un numéro de téléphone valide, par exemple 04 76 00 00 00.' },
    ],
    [
      'bad SIRET checksum',
      {},
      { siret: '22380001400018' },
      { field: 'buyer.siret', message: 'Ce numéro SIRET n’est pas valide : vérifiez ses 14 chiffres.' },
    ],
    [
      'SIRET with 13 digits',
      {},
      { siret: '223 800 014 0001' },
      { field: 'buyer.siret', message: 'Ce numéro SIRET n’est pas valide : vérifiez ses 14 chiffres.' },
    ],
    [
      'unknown organisationType',
      {},
      { organisationType: 'company' },
      {
        field: 'buyer.organisationType',
        message: expect.stringMatching(
          /^Choisissez un type d’organisation de la liste \(codes de l’API : state_administration, .*, private_not_subject\)\.$/,
        ),
      },
    ],
    [
      'unknown département',
      { departmentCode: '99' },
      {},
      { field: 'departmentCode', message: 'Choisissez un département de la liste (code INSEE, par exemple 38, 2A ou 971).' },
    ],
    [
      'unknown segment',
      { segment: 'spaceships' },
      {},
      {
        field: 'segment',
        message: expect.stringMatching(/^Choisissez un segment d’achat de la liste \(codes de l’API : .*office_supplies.*\)\.$/),
      },
    ],
    [
      'unknown kind',
      { kind: 'legal' },
      {},
      { field: 'kind', message: 'Choisissez « environnemental » ou « clauses sociales » (codes de l’API : environmental, social_clause).' },
    ],
    [
      'unknown purchaseStage',
      { purchaseStage: 'later' },
      {},
      {
        field: 'purchaseStage',
        message:
          'Choisissez une étape de la liste (codes de l’API : need_definition, sourcing, drafting_tender, consultation_published, bid_analysis, contract_execution).',
      },
    ],
    [
      'placeholder question',
      {
        question:
          'Exemple : nous renouvelons notre marché de fournitures de bureau. Comment appliquer l’obligation d’achat de produits issus du réemploi ou intégrant des matières recyclées (loi AGEC, article 58) et comment la vérifier dans les offres ?',
      },
      {},
      { field: 'question', message: 'Remplacez l’exemple par votre propre question.' },
    ],
    [
      'too short question',
      { question: 'Papier recyclé ?' },
      {},
      { field: 'question', message: 'Décrivez votre achat et votre question en quelques phrases (au moins 80 caractères et 12 mots).' },
    ],
    [
      'question over 5000 characters',
      { question: `${QUESTION} `.repeat(30).slice(0, 5001) },
      {},
      { field: 'question', message: 'La question ne doit pas dépasser 5\u202f000 caractères.' },
    ],
    [
      'subject over 150 characters',
      { subject: 'x'.repeat(151) },
      {},
      { field: 'subject', message: 'L’objet ne doit pas dépasser 150 caractères.' },
    ],
    ['subject under 5 characters', { subject: 'AGEC' }, {}, { field: 'subject', message: 'L’objet doit faire au moins 5 caractères.' }],
    [
      'subject with a newline',
      { subject: 'Fournitures de bureau\net loi AGEC' },
      {},
      { field: 'subject', message: 'L’objet tient sur une seule ligne.' },
    ],
    [
      'subject with a carriage return',
      { subject: 'Fournitures de bureau\r\net loi AGEC' },
      {},
      { field: 'subject', message: 'L’objet tient sur une seule ligne.' },
    ],
    ['negative amount', { estimatedAmount: -1 }, {}, { field: 'estimatedAmount', message: 'Le montant estimé ne peut pas être négatif.' }],
    [
      'decimal amount',
      { estimatedAmount: 12.5 },
      {},
      { field: 'estimatedAmount', message: 'Le montant estimé est un nombre entier d’euros hors taxes.' },
    ],
    [
      'neededBy in the past',
      { neededBy: '2020-01-15' },
      {},
      { field: 'neededBy', message: 'La date souhaitée de réponse ne peut pas être passée.' },
    ],
    ['neededBy 30 February', { neededBy: '2027-02-30' }, {}, { field: 'neededBy', message: 'Cette date n’existe pas.' }],
    ['neededBy month 13', { neededBy: `${NEXT_YEAR}-13-01` }, {}, { field: 'neededBy', message: 'Cette date n’existe pas.' }],
    [
      'neededBy in 1850',
      { neededBy: '1850-01-01' },
      {},
      { field: 'neededBy', message: 'La date souhaitée de réponse ne peut pas être passée.' },
    ],
    [
      'neededBy in French order',
      { neededBy: `01/03/${NEXT_YEAR}` },
      {},
      { field: 'neededBy', message: 'Date non valide : écrivez-la JJ/MM/AAAA dans le formulaire, AAAA-MM-JJ dans l’API.' },
    ],
    // wrong types
    [
      'estimatedAmount as a string',
      { estimatedAmount: '120000' },
      {},
      { field: 'estimatedAmount', message: 'Le montant estimé est un nombre entier d’euros hors taxes.' },
    ],
    [
      'consent false',
      { consent: false },
      {},
      {
        field: 'consent',
        message: 'Cochez la case pour confirmer que vous avez pris connaissance du traitement de vos données personnelles.',
      },
    ],
    [
      'consent "yes"',
      { consent: 'yes' },
      {},
      {
        field: 'consent',
        message: 'Cochez la case pour confirmer que vous avez pris connaissance du traitement de vos données personnelles.',
      },
    ],
    [
      'internalReferentConsulted "yes"',
      { internalReferentConsulted: 'yes' },
      {},
      { field: 'internalReferentConsulted', message: 'Répondez par oui ou non.' },
    ],
    [
      'departmentCode as a number',
      { departmentCode: 38 },
      {},
      { field: 'departmentCode', message: 'Le département doit être un code INSEE, par exemple "38" ou "2A".' },
    ],
    ['subject as a number', { subject: 12345 }, {}, { field: 'subject', message: 'L’objet doit être un texte.' }],
    ['question as an array', { question: [QUESTION] }, {}, { field: 'question', message: 'La question doit être un texte.' }],
    [
      'neededBy as a number',
      { neededBy: 20270301 },
      {},
      { field: 'neededBy', message: 'Date non valide : écrivez-la JJ/MM/AAAA dans le formulaire, AAAA-MM-JJ dans l’API.' },
    ],
    ['buyer.firstName as a number', {}, { firstName: 42 }, { field: 'buyer.firstName', message: 'Le prénom doit être un texte.' }],
    [
      'buyer.siret as a number',
      {},
      { siret: 22380001400019 },
      { field: 'buyer.siret', message: 'Le SIRET doit être un texte de 14 chiffres.' },
    ],
    [
      'State buyer with internalReferentConsulted "yes"',
      { internalReferentConsulted: 'yes' },
      { organisationType: 'state_administration' },
      { field: 'internalReferentConsulted', message: 'Répondez par oui ou non.' },
    ],
    [
      'a phone number too short to call',
      {},
      { phone: '06 12 34' },
      { field: 'buyer.phone', message: 'Indiquez un numéro de téléphone valide, par exemple 04 76 00 00 00.' },
    ],
    [
      'a first name on two lines',
      {},
      { firstName: 'Camille\nBcc: x@y.fr' },
      { field: 'buyer.firstName', message: 'Le prénom tient sur une seule ligne.' },
    ],
    [
      'a last name on two lines',
      {},
      { lastName: 'Martin\r\nX' },
      { field: 'buyer.lastName', message: 'Le nom tient sur une seule ligne.' },
    ],
    [
      'an organisation on two lines',
      {},
      { organisationName: 'Ville de\nGrenoble' },
      { field: 'buyer.organisationName', message: 'Le nom de l’organisation tient sur une seule ligne.' },
    ],
    [
      'a first name of zero-width spaces',
      {},
      { firstName: '\u200b\u200b' },
      { field: 'buyer.firstName', message: 'Indiquez votre prénom, en lettres.' },
    ],
    ['a last name of a braille blank', {}, { lastName: '\u2800' }, { field: 'buyer.lastName', message: 'Indiquez votre nom, en lettres.' }],
    [
      'an organisation of combining marks alone',
      {},
      { organisationName: '\u0301\u0301\u0301' },
      { field: 'buyer.organisationName', message: 'Indiquez le nom de votre organisation, en lettres ou en chiffres.' },
    ],
    [
      'a subject of zero-width spaces',
      { subject: '\u200b'.repeat(8) },
      {},
      { field: 'subject', message: 'Indiquez l’objet de votre demande, en lettres ou en chiffres.' },
    ],
    [
      'a subject of emoji alone',
      { subject: '🌱🌱🌱🌱🌱' },
      {},
      { field: 'subject', message: 'Indiquez l’objet de votre demande, en lettres ou en chiffres.' },
    ],
    ['a first name of digits', {}, { firstName: '123' }, { field: 'buyer.firstName', message: 'Indiquez votre prénom, en lettres.' }],
    [
      'an organisation of one character',
      {},
      { organisationName: 'a' },
      { field: 'buyer.organisationName', message: 'Le nom de l’organisation doit faire au moins 2 caractères.' },
    ],
    [
      'an address over 254 characters',
      {},
      { email: `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}.fr` },
      { field: 'buyer.email', message: 'L’adresse électronique ne doit pas dépasser 254 caractères.' },
    ],
    [
      'a subject whose direction a control character reverses',
      { subject: 'Achat \u202etxt.exe\u202c durable' },
      {},
      { field: 'subject', message: 'Ce champ contient un caractère invisible qui inverse le sens du texte : retirez-le.' },
    ],
    [
      'a last name with a direction isolate',
      {},
      { lastName: 'Martin\u2066x\u2069' },
      { field: 'buyer.lastName', message: 'Ce champ contient un caractère invisible qui inverse le sens du texte : retirez-le.' },
    ],
    [
      'a subject broken by a Unicode line separator',
      { subject: 'Papeterie\u2028et AGEC' },
      {},
      { field: 'subject', message: 'L’objet tient sur une seule ligne.' },
    ],
    // unknown fields
    ['unknown top-level field', { priority: 'high' }, {}, { field: 'priority', message: 'Champ inconnu : « priority ».' }],
    ['unknown buyer field', {}, { nickname: 'Cam' }, { field: 'buyer.nickname', message: 'Champ inconnu : « buyer.nickname ».' }],
    // State buyer
    [
      'State buyer without internalReferentConsulted',
      {},
      { organisationType: 'state_administration' },
      {
        field: 'internalReferentConsulted',
        message: 'Acheteur de l’État : indiquez si vous avez d’abord consulté votre référent achats responsables.',
      },
    ],
    [
      'State buyer with internalReferentConsulted null',
      { internalReferentConsulted: null },
      { organisationType: 'state_administration' },
      {
        field: 'internalReferentConsulted',
        message: 'Acheteur de l’État : indiquez si vous avez d’abord consulté votre référent achats responsables.',
      },
    ],
    [
      'State public body without internalReferentConsulted',
      {},
      { organisationType: 'state_public_body' },
      {
        field: 'internalReferentConsulted',
        message: 'Acheteur de l’État : indiquez si vous avez d’abord consulté votre référent achats responsables.',
      },
    ],
  ];

  describe('field errors', () => {
    it.each(FIELD_ERRORS)('%s', async (_label, changes, buyerChanges, expected) => {
      const error = await rejection(bodyWith(changes, buyerChanges));
      expect(error).toBeInstanceOf(ValidationFailed);
      expect(error.code).toBe('validation_failed');
      expect(error.errors).toEqual([expected]);
    });

    const NOT_AN_OBJECT = 'Indiquez les informations sur l’acheteur.';
    it.each([
      ['a string', 'Camille Martin', NOT_AN_OBJECT],
      ['a number', 42, NOT_AN_OBJECT],
      ['true', true, NOT_AN_OBJECT],
      ['an array', [{ firstName: 'Camille' }], NOT_AN_OBJECT],
      ['an array holding a whole valid buyer', [validBody().buyer], NOT_AN_OBJECT],
      ['null', null, 'Ce champ est obligatoire.'],
    ])('refuses buyer as %s on the field buyer', async (_label, buyer, message) => {
      const error = await rejection({ ...validBody(), buyer });
      expect(error).toBeInstanceOf(ValidationFailed);
      expect(error.errors.filter((e) => e.field === 'buyer')).toEqual([{ field: 'buyer', message }]);
      // nothing else of the (valid) rest of the body is blamed
      for (const e of error.errors) expect(e.field).toMatch(/^buyer(\.|$)/);
    });

    it('reports each missing buyer field of an empty buyer object', async () => {
      const error = await rejection(bodyWith({ buyer: {} }));
      expect(error.errors).toEqual([
        { field: 'buyer.firstName', message: 'Indiquez votre prénom.' },
        { field: 'buyer.lastName', message: 'Indiquez votre nom.' },
        { field: 'buyer.email', message: 'Indiquez votre adresse électronique.' },
        { field: 'buyer.organisationName', message: 'Indiquez le nom de votre organisation.' },
        { field: 'buyer.organisationType', message: 'Choisissez le type de votre organisation.' },
      ]);
    });

    it('reports several fields at once, each once', async () => {
      const error = await rejection(bodyWith({ departmentCode: '99', segment: 'spaceships', consent: false }, { email: 'nope' }));
      expect(error.errors.map((e) => e.field).sort()).toEqual(['buyer.email', 'consent', 'departmentCode', 'segment']);
    });

    it('reports every missing field of an empty body', async () => {
      const error = await rejection({});
      expect(error.errors.map((e) => e.field).sort()).toEqual(
        ['buyer', 'consent', 'departmentCode', 'kind', 'purchaseStage', 'question', 'segment', 'subject'].sort(),
      );
      for (const e of error.errors) expect(e.message).not.toMatch(/must|should/);
    });

    it('checks the shape before eligibility', async () => {
      const error = await rejection(bodyWith({ consent: false }, { organisationType: 'private_not_subject' }));
      expect(error).toBeInstanceOf(ValidationFailed);
      expect(error.errors).toEqual([
        {
          field: 'consent',
          message: 'Cochez la case pour confirmer que vous avez pris connaissance du traitement de vos données personnelles.',
        },
      ]);
    });
  });

  describe('eligibility', () => {
    it.each([
      [
        'a private company asking an environmental question',
        bodyWith({}, { organisationType: 'private_not_subject' }),
        'buyer.organisationType',
        PRIVATE_POINTERS,
      ],
      [
        'a State administration that did not consult its referent',
        bodyWith({ internalReferentConsulted: false }, { organisationType: 'state_administration' }),
        'internalReferentConsulted',
        STATE_POINTERS,
      ],
      [
        'a State public body that did not consult its referent (social clause)',
        bodyWith({ internalReferentConsulted: false, kind: 'social_clause' }, { organisationType: 'state_public_body' }),
        'internalReferentConsulted',
        STATE_POINTERS,
      ],
    ])('refuses %s as not_eligible with pointers', async (_label, body, field, pointers) => {
      const error = await rejection(body);
      expect(error).not.toBeInstanceOf(ValidationFailed);
      expect(error.code).toBe('not_eligible');
      expect(error.status).toBe(422);
      expect(error.errors).toEqual([{ field, message: error.message }]);
      expect(error.message.length).toBeGreaterThan(50);
      expect(error.extra.pointers).toEqual(pointers);
    });
  });
});
