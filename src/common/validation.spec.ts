import 'reflect-metadata';
import { Type } from 'class-transformer';
import { plainToInstance } from 'class-transformer';
import { IsDefined, IsInt, IsString, MinLength, ValidateNested, validateSync, ValidationError } from 'class-validator';
import { ValidationFailed } from './errors/app-errors';
import {
  flattenValidationErrors,
  inFormWords,
  isCalendarDay,
  isoDayOf,
  isUuid,
  notInList,
  trimStrings,
  typedText,
  validateBody,
} from './validation';

function error(property: string, constraints?: Record<string, string>, children: ValidationError[] = []): ValidationError {
  return Object.assign(new ValidationError(), { property, constraints, children });
}

describe('flattenValidationErrors', () => {
  it.each([
    ['isDefined over everything else', { minLength: 'trop court', isString: 'pas un texte', isDefined: 'obligatoire' }, 'obligatoire'],
    ['isDefined over isIn', { isIn: 'pas dans la liste', isDefined: 'obligatoire' }, 'obligatoire'],
    ['isString over the length rules', { maxLength: 'trop long', isString: 'pas un texte' }, 'pas un texte'],
    ['isInt over min and max', { min: 'négatif', max: 'trop grand', isInt: 'pas un entier' }, 'pas un entier'],
    ['isIn over matches', { matches: 'mauvais format', isIn: 'pas dans la liste' }, 'pas dans la liste'],
    ['isBoolean over equals', { equals: 'doit être vrai', isBoolean: 'oui ou non' }, 'oui ou non'],
    [
      'isNotEmptyObject over nestedValidation',
      { nestedValidation: 'nested property x must be…', isNotEmptyObject: 'un objet' },
      'un objet',
    ],
    ['the first one when none has priority', { minLength: 'trop court', matches: 'mauvais format' }, 'trop court'],
  ])('picks %s', (_label, constraints, message) => {
    expect(flattenValidationErrors([error('field', constraints)])).toEqual([{ field: 'field', message }]);
  });

  it('names an unknown field', () => {
    expect(flattenValidationErrors([error('foo', { whitelistValidation: 'property foo should not exist' })])).toEqual([
      { field: 'foo', message: 'Champ inconnu : « foo ».' },
    ]);
  });

  it('says so in French when a nested value is not an object', () => {
    expect(flattenValidationErrors([error('buyer', { nestedValidation: 'nested property buyer must be either object or array' })])).toEqual(
      [{ field: 'buyer', message: 'Ce champ doit être un objet.' }],
    );
  });

  it('builds dotted paths for nested children, at any depth, in order', () => {
    const tree = [
      error('subject', { isDefined: 'objet obligatoire' }),
      error('buyer', undefined, [
        error('firstName', { isDefined: 'prénom obligatoire', isString: 'texte' }),
        error('nickname', { whitelistValidation: 'should not exist' }),
        error('address', undefined, [error('postcode', { matches: 'code postal' })]),
      ]),
    ];
    expect(flattenValidationErrors(tree)).toEqual([
      { field: 'subject', message: 'objet obligatoire' },
      { field: 'buyer.firstName', message: 'prénom obligatoire' },
      { field: 'buyer.nickname', message: 'Champ inconnu : « buyer.nickname ».' },
      { field: 'buyer.address.postcode', message: 'code postal' },
    ]);
  });

  it('prefixes with the parent path it is given', () => {
    expect(flattenValidationErrors([error('email', { isEmail: 'adresse' })], 'buyer')).toEqual([
      { field: 'buyer.email', message: 'adresse' },
    ]);
  });

  it('gives nothing for no errors, or for an error without constraints nor children', () => {
    expect(flattenValidationErrors([])).toEqual([]);
    expect(flattenValidationErrors([error('x', {})])).toEqual([]);
  });

  describe('on a real class-validator tree', () => {
    class Inner {
      @IsDefined({ message: 'code obligatoire' })
      @IsString({ message: 'code texte' })
      @MinLength(2, { message: 'code trop court' })
      code!: string;
    }
    class Outer {
      @IsDefined({ message: 'nombre obligatoire' })
      @IsInt({ message: 'nombre entier' })
      count!: number;

      @ValidateNested()
      @Type(() => Inner)
      inner!: Inner;
    }
    const check = (plain: object) =>
      flattenValidationErrors(validateSync(plainToInstance(Outer, plain), { whitelist: true, forbidNonWhitelisted: true }));

    it.each([
      [
        'missing fields',
        { inner: {} },
        [
          { field: 'count', message: 'nombre obligatoire' },
          { field: 'inner.code', message: 'code obligatoire' },
        ],
      ],
      [
        'wrong types',
        { count: 'x', inner: { code: 3 } },
        [
          { field: 'count', message: 'nombre entier' },
          { field: 'inner.code', message: 'code texte' },
        ],
      ],
      ['a rule after the type', { count: 1, inner: { code: 'a' } }, [{ field: 'inner.code', message: 'code trop court' }]],
      [
        'unknown fields at both levels',
        { count: 1, extra: 1, inner: { code: 'ab', more: 2 } },
        [
          { field: 'extra', message: 'Champ inconnu : « extra ».' },
          { field: 'inner.more', message: 'Champ inconnu : « inner.more ».' },
        ],
      ],
      ['a valid object', { count: 1, inner: { code: 'ab' } }, []],
    ])('%s', (_label, plain, expected) => {
      expect(check(plain)).toEqual(expected);
    });
  });
});

describe('typedText', () => {
  it.each([
    ['a browser’s line breaks', ' Bonjour,\r\nVoici.\r\n\r\nCordialement ', 'Bonjour,\nVoici.\n\nCordialement'],
    ['an API client’s', 'a\nb', 'a\nb'],
    ['an old Mac’s', 'a\rb', 'a\nb'],
    ['a word processor’s manual break and page break', 'a\vb\fc', 'a\nb\nc'],
    ['NEL and Unicode’s line and paragraph separators', 'a\u0085b\u2028c\u2029d', 'a\nb\nc\nd'],
    ['blank', ' \r\n\t ', ''],
    // A Mac may send « é » as « e » + U+0301: stored composed, it counts once in a length and matches a search.
    ['decomposed accents, composed', 'Ce\u0301line He\u0301bert', 'C\u00e9line H\u00e9bert'],
    ['composed text, unchanged', 'Cl\u00e9ment Gu\u00e9rin', 'Cl\u00e9ment Gu\u00e9rin'],
    ['a number', 42, ''],
    ['null', null, ''],
    ['an array', ['a'], ''],
  ])('keeps %s as stored text', (_label, input, expected) => {
    expect(typedText(input)).toBe(expected);
  });
});

describe('trimStrings', () => {
  it.each([
    ['a string', '  38 ', '38'],
    ['a blank string', ' \t\n ', ''],
    ['a number', 42, 42],
    ['a boolean', false, false],
    ['null', null, null],
    ['undefined', undefined, undefined],
    ['an array', [' a ', 1, [' b ']], ['a', 1, ['b']]],
    [
      'nested objects',
      { buyer: { firstName: ' Camille ', tags: [' x ', { y: ' z ' }] }, count: 3, consent: true, neededBy: null },
      { buyer: { firstName: 'Camille', tags: ['x', { y: 'z' }] }, count: 3, consent: true, neededBy: null },
    ],
    ['inner spaces kept', { subject: '  Fournitures  de bureau\n' }, { subject: 'Fournitures  de bureau' }],
  ])('trims %s', (_label, input, expected) => {
    expect(trimStrings(input)).toEqual(expected);
  });

  it('does not change its input', () => {
    const input = { buyer: { firstName: ' Camille ' }, list: [' a '] };
    trimStrings(input);
    expect(input).toEqual({ buyer: { firstName: ' Camille ' }, list: [' a '] });
  });
});

describe('validateBody', () => {
  class Named {
    @IsDefined({ message: 'nom obligatoire' })
    @IsString({ message: 'nom texte' })
    @MinLength(1, { message: 'nom obligatoire' })
    name!: string;
  }
  const errorsOf = (body: unknown) =>
    validateBody(Named, body).then(
      () => [],
      (error: ValidationFailed) => error.errors,
    );

  it.each<[string, unknown, Array<{ field: string; message: string }>]>([
    ['a body that is not an object', [], [{ field: '', message: 'Le corps de la requête doit être un objet JSON.' }]],
    ['null', null, [{ field: '', message: 'Le corps de la requête doit être un objet JSON.' }]],
    ['a blank value, trimmed first', { name: '   ' }, [{ field: 'name', message: 'nom obligatoire' }]],
    ['a wrong type', { name: 3 }, [{ field: 'name', message: 'nom texte' }]],
    ['an unknown field', { name: 'a', age: 3 }, [{ field: 'age', message: 'Champ inconnu : « age ».' }]],
    ['a valid body', { name: 'a' }, []],
  ])('on %s', async (_label, body, errors) => {
    expect(await errorsOf(body)).toEqual(errors);
  });

  it('returns an instance of the class, strings trimmed', async () => {
    const dto = await validateBody(Named, { name: ' Claire ' });
    expect(dto).toBeInstanceOf(Named);
    expect(dto.name).toBe('Claire');
  });
});

describe('isUuid', () => {
  it.each([
    ['a version 4 id', '0f8fad5b-d9cb-469f-a165-70867728950e', true],
    ['upper case', '0F8FAD5B-D9CB-469F-A165-70867728950E', true],
    ['any version PostgreSQL accepts', '00000000-0000-0000-0000-000000000000', true],
    ['no dashes', '0f8fad5bd9cb469fa16570867728950e', false],
    ['spaces around', ' 0f8fad5b-d9cb-469f-a165-70867728950e', false],
    ['an injection', "1' OR '1'='1", false],
    ['empty', '', false],
  ])('%s', (_label, value, expected) => {
    expect(isUuid(value)).toBe(expected);
  });
});

describe('isoDayOf', () => {
  it.each([
    ['01/03/2027', '2027-03-01'],
    ['1/3/2027', '2027-03-01'],
    [' 31.12.2026 ', '2026-12-31'],
    ['15-06-2027', '2027-06-15'],
    ['2027-03-01', '2027-03-01'],
    ['31/02/2027', '2027-02-31'],
    ['demain', 'demain'],
    ['01/03/27', '01/03/27'],
    [undefined, undefined],
  ])('%j → %j', (value, expected) => {
    expect(isoDayOf(value)).toBe(expected);
  });
});

describe('isCalendarDay', () => {
  it.each([
    ['a day', '2026-12-04', true],
    ['a leap day', '2028-02-29', true],
    ['no leap day that year', '2027-02-29', false],
    ['the 30th of February', '2026-02-30', false],
    ['a thirteenth month', '2026-13-01', false],
    ['not zero-padded', '2026-1-5', false],
    ['French order', '04/12/2026', false],
    ['a time too', '2026-12-04T10:00', false],
  ])('%s', (_label, value, expected) => {
    expect(isCalendarDay(value)).toBe(expected);
  });
});

describe('inFormWords', () => {
  it.each([
    ['Date non valide : écrivez-la JJ/MM/AAAA dans le formulaire, AAAA-MM-JJ dans l’API.', 'Date non valide : écrivez-la JJ/MM/AAAA.'],
    [
      'Date de début : saisissez une date au format JJ/MM/AAAA (AAAA-MM-JJ dans l’API).',
      'Date de début : saisissez une date au format JJ/MM/AAAA.',
    ],
    ['Indiquez votre adresse électronique.', 'Indiquez votre adresse électronique.'],
    [notInList('Choisissez une étape de la liste', ['need_definition', 'sourcing']), 'Choisissez une étape de la liste.'],
  ])('%s', (message, shown) => {
    expect(inFormWords([{ field: 'du', message }])).toEqual([{ field: 'du', message: shown }]);
  });
});
