import { checkHelpItems, HelpItemInput, helpItemInputs, MAX_HELP_ITEMS, namedFileIndex, typedHelpItemLines } from './help-item.policy';
import { helpItemOf } from './request-message.types';

const FILE = '6f1c0a4e-2b1d-4c6e-9a51-0d3f2e7b8c90';
const known = (code: string) => code === 'ccp-l2152-7';
const check = (input: HelpItemInput) => checkHelpItems([input], new Set([FILE]), known);

describe('checkHelpItems', () => {
  it.each<[string, HelpItemInput]>([
    ['guide with a link', { type: 'guide', title: 'Guide de l’achat durable', url: 'https://www.ecologie.gouv.fr/guide' }],
    ['guide with a file', { type: 'guide', title: 'Guide', attachmentId: FILE }],
    ['tender file', { type: 'tender_file', attachmentId: FILE }],
    ['regulation', { type: 'regulation', legalReferenceCode: 'ccp-l2152-7' }],
    [
      'peer with consent',
      { type: 'peer', peerName: 'A. Dupont', peerOrganisation: 'Ville de Lyon', peerContact: 'a@lyon.fr', peerConsent: true },
    ],
    ['peer with a form checkbox', { type: 'peer', peerName: 'A', peerOrganisation: 'B', peerContact: 'C', peerConsent: 'on' }],
    ['referral to a network', { type: 'referral', referralTarget: 'circular_economy' }],
    // The social-clause side refers too: to inclusive structures, employment services, or the environmental desk.
    ['referral to inclusive structures', { type: 'referral', referralTarget: 'inclusion_structures' }],
    ['referral to employment services', { type: 'referral', referralTarget: 'employment_services' }],
    ['referral to an environmental adviser', { type: 'referral', referralTarget: 'environmental_adviser' }],
    ['referral elsewhere, said where', { type: 'referral', referralTarget: 'other', details: 'La CCI de votre région' }],
  ])('accepts %s', (_label, input) => {
    const { items, errors } = check(input);
    expect(errors).toEqual([]);
    expect(items).toHaveLength(1);
  });

  it.each<[string, HelpItemInput, string, string]>([
    ['unknown type', { type: 'video' }, 'type', 'Choisissez le type d’aide'],
    ['guide without title', { type: 'guide', url: 'https://exemple.fr/g' }, 'title', 'Indiquez le titre'],
    ['guide without link or file', { type: 'guide', title: 'Guide' }, 'url', 'Indiquez l’adresse du guide ou joignez le document.'],
    ['guide with a javascript: link', { type: 'guide', title: 'G', url: 'javascript:alert(1)' }, 'url', 'commençant par https://'],
    ['guide with an ftp link', { type: 'guide', title: 'G', url: 'ftp://exemple.fr/g' }, 'url', 'commençant par https://'],
    ['guide with a link without host', { type: 'guide', title: 'G', url: 'https://' }, 'url', 'commençant par https://'],
    ['guide with a title too long', { type: 'guide', title: 'x'.repeat(201), url: 'https://exemple.fr' }, 'title', '200 caractères'],
    ['tender file without file', { type: 'tender_file', title: 'DCE' }, 'attachmentId', 'Joignez le fichier'],
    [
      'file of another answer',
      { type: 'tender_file', attachmentId: '00000000-0000-0000-0000-000000000000' },
      'attachmentId',
      'Joignez ci-dessous le fichier « 00000000-0000-0000-0000-000000000000 », ou retirez son nom.',
    ],
    ['unknown legal reference', { type: 'regulation', legalReferenceCode: 'ccp-l9999' }, 'legalReferenceCode', 'dans la liste'],
    ['regulation without reference', { type: 'regulation' }, 'legalReferenceCode', 'dans la liste'],
    ['peer without consent', { type: 'peer', peerName: 'A', peerOrganisation: 'B', peerContact: 'C' }, 'peerConsent', 'a accepté'],
    [
      'peer with consent refused',
      { type: 'peer', peerName: 'A', peerOrganisation: 'B', peerContact: 'C', peerConsent: false },
      'peerConsent',
      'a accepté',
    ],
    [
      'peer without contact',
      { type: 'peer', peerName: 'A', peerOrganisation: 'B', peerConsent: true },
      'peerContact',
      'comment le joindre',
    ],
    ['referral without target', { type: 'referral' }, 'referralTarget', 'Choisissez vers qui'],
    ['referral to an unknown target', { type: 'referral', referralTarget: 'cci' }, 'referralTarget', 'Choisissez vers qui'],
    ['referral elsewhere without details', { type: 'referral', referralTarget: 'other' }, 'details', 'Précisez vers qui'],
  ])('refuses %s', (_label, input, field, message) => {
    const { items, errors } = check(input);
    expect(items).toEqual([]);
    expect(errors).toEqual(expect.arrayContaining([{ field: `items[0].${field}`, message: expect.stringContaining(message) }]));
  });

  it('keeps only the fields of the item’s type, trimmed', () => {
    const { items } = check({ type: 'regulation', legalReferenceCode: ' ccp-l2152-7 ', url: 'https://exemple.fr', peerName: 'X' });
    expect(items[0]).toEqual(helpItemOf('regulation', { legalReferenceCode: 'ccp-l2152-7' }));
  });

  it('lists an item’s errors in the order the form shows its fields', () => {
    const { errors } = check({ type: 'guide', url: 'pas une adresse', title: '' });
    expect(errors.map((e) => e.field)).toEqual(['items[0].title', 'items[0].url']);
  });

  it('numbers errors by item and limits the count', () => {
    const { errors } = checkHelpItems([{ type: 'guide', title: 'G', url: 'https://e.fr' }, { type: 'peer' }], new Set(), known);
    expect(errors.every((e) => e.field.startsWith('items[1].'))).toBe(true);
    const many = checkHelpItems(
      Array.from({ length: MAX_HELP_ITEMS + 1 }, () => ({ type: 'referral', referralTarget: 'social_clause' })),
      new Set(),
      known,
    );
    expect(many.errors).toEqual([{ field: 'items', message: 'Une réponse porte au plus 20 éléments d’aide.' }]);
  });
});

describe('helpItemInputs', () => {
  const guide = { type: 'guide', title: 'Guide', url: 'https://x.fr' };
  it.each<[string, unknown, HelpItemInput[], Array<{ field: string; message: string }>]>([
    ['none sent', undefined, [], []],
    ['an empty list', [], [], []],
    ['a JSON list', [guide], [guide], []],
    ['a form’s items, parsed as an object', { 0: guide }, [guide], []],
    ['a form’s blank slot (no type chosen) is dropped', [guide, { type: '', title: '' }], [guide], []],
    [
      'a form’s item with every type’s fields, the checkbox « on »',
      [{ ...guide, peerName: '', peerConsent: 'on' }],
      [{ ...guide, peerName: '', peerConsent: 'on' }],
      [],
    ],
    ['a JSON consent as a boolean', [{ type: 'peer', peerConsent: true }], [{ type: 'peer', peerConsent: true }], []],
    ['not a list', 'x', [], [{ field: 'items', message: 'Les éléments d’aide forment une liste.' }]],
    [
      'entries that are not objects',
      [null, 5, 'x', [guide], guide],
      [guide],
      ['items[0]', 'items[1]', 'items[2]', 'items[3]'].map((field) => ({
        field,
        message: 'Chaque élément d’aide est un objet : son type et ses champs.',
      })),
    ],
    [
      'a field no item has, and a value that is not text',
      [{ ...guide, bogus: 1, details: { a: 1 } }],
      [{ ...guide, bogus: 1, details: { a: 1 } } as HelpItemInput],
      [
        { field: 'items[0].bogus', message: 'Champ inconnu : « items[0].bogus ».' },
        { field: 'items[0].details', message: 'Ce champ attend un texte.' },
      ],
    ],
  ])('%s', (_label, items, inputs, errors) => {
    expect(helpItemInputs(items)).toEqual({ inputs, errors });
  });
});

describe('a file named in an item that none of the answer’s files matches', () => {
  it('says which names would, or asks for the file', () => {
    const item = { type: 'tender_file', title: 'CCTP', attachmentId: 'cctp-textile.pdf' };
    expect(checkHelpItems([item], new Set([FILE]), known, ['guide-eclairage.pdf', 'annexe.pdf']).errors).toEqual([
      {
        field: 'items[0].attachmentId',
        message:
          'Aucun des fichiers joints ne s’appelle « cctp-textile.pdf » : écrivez le nom de l’un d’eux (« guide-eclairage.pdf », « annexe.pdf »).',
      },
    ]);
    expect(checkHelpItems([item], new Set(), known).errors).toEqual([
      { field: 'items[0].attachmentId', message: 'Joignez ci-dessous le fichier « cctp-textile.pdf », ou retirez son nom.' },
    ]);
  });
});

describe('namedFileIndex: which sent file a help item names', () => {
  const files = ['CCTP restauration.pdf', 'Guide ADEME.PDF', 'annexe.pdf', 'annexe.docx'];
  it.each<[string, string, number | undefined]>([
    ['its exact name', 'CCTP restauration.pdf', 0],
    ['another case, spaces around', '  guide ademe.pdf ', 1],
    ['the name without its extension', 'CCTP restauration', 0],
    ['without extension, in another case', 'guide ademe', 1],
    ['a stem two files share: neither', 'annexe', undefined],
    ['one of those by its full name', 'annexe.docx', 3],
    ['a name no file has', 'CCTP.pdf', undefined],
    ['nothing typed', '   ', undefined],
  ])('%s', (_label, typed, expected) => {
    expect(namedFileIndex(typed, files)).toBe(expected);
  });
});

describe('typedHelpItemLines', () => {
  const labels: Record<string, string> = { 'ccp-l2111-3': 'Code de la commande publique, art. L2111-3 — SPASER' };
  const label = (code: string) => labels[code];

  it('gives each typed item as a line to copy, its fields in the form’s order, blank slots and ticked boxes left out', () => {
    expect(
      typedHelpItemLines(
        [
          { type: 'guide', url: 'https://exemple.fr/guide', title: ' Guide de l’éclairage ', details: '' },
          { type: '', title: 'oublié' },
          { type: 'peer', peerName: 'Alex Durand', peerContact: 'alex@example.org', peerConsent: 'on' },
          null,
        ],
        label,
      ),
    ).toEqual([
      'Guide ou document : Guide de l’éclairage — https://exemple.fr/guide',
      'Mise en relation avec un acheteur pair : Alex Durand — alex@example.org',
    ]);
    expect(typedHelpItemLines(undefined, label)).toEqual([]);
  });

  it.each<[string, Record<string, string>, string]>([
    [
      'a legal text by its label',
      { type: 'regulation', legalReferenceCode: 'ccp-l2111-3', details: 'Voir le SPASER' },
      'Rappel réglementaire : Code de la commande publique, art. L2111-3 — SPASER — Voir le SPASER',
    ],
    ['a legal text unknown, as sent', { type: 'regulation', legalReferenceCode: 'inconnu' }, 'Rappel réglementaire : inconnu'],
    [
      'a referral by its label',
      { type: 'referral', referralTarget: 'circular_economy' },
      'Orientation vers une autre structure : Réseau d’économie circulaire',
    ],
    ['a referral unknown, as sent', { type: 'referral', referralTarget: 'ailleurs' }, 'Orientation vers une autre structure : ailleurs'],
  ])('shows %s, never an internal code', (_label, item, line) => {
    expect(typedHelpItemLines([item], label)).toEqual([line]);
  });
});
