import { parseSplitTopics, reasonProblem, refocusedSubject } from './split.policy';

const segments = new Set(['office_supplies', 'catering']);
const question =
  'Nous voulons aussi intégrer une clause d’insertion dans le marché de nettoyage des locaux, comment fixer le nombre d’heures ?';
const good = { subject: 'Clause d’insertion nettoyage', question, kind: 'social_clause', segment: 'catering' };

describe('split policy', () => {
  it.each([
    ['one topic', [good], 1, []],
    ['empty slots are skipped', [good, { subject: '', question: '', kind: '', segment: '' }, good], 2, []],
    [
      'a slot with only its prefilled kind and segment is skipped',
      [good, { subject: '', question: '', kind: 'environmental', segment: 'catering' }],
      1,
      [],
    ],
    [
      'a subject alone is a topic begun',
      [{ subject: 'Lot nettoyage', question: '', kind: 'environmental', segment: 'catering' }],
      0,
      ['topics.0.question'],
    ],
    ['nothing filled in', [{ subject: '' }], 0, ['topics.0.subject']],
    ['not a list', 'x', 0, ['topics']],
    ['no topics at all', undefined, 0, ['topics.0.subject']],
    ['a slot that is not an object', [good, 'Clause d’insertion'], 0, ['topics.1']],
    ['a misspelt field', [{ ...good, segmnt: 'catering' }], 0, ['topics.0.segmnt']],
    ['too many', Array(6).fill(good), 0, ['topics']],
    ['short subject', [{ ...good, subject: 'abc' }], 0, ['topics.0.subject']],
    ['two-line subject', [{ ...good, subject: 'Un sujet\nsur deux lignes' }], 0, ['topics.0.subject']],
    ['short question', [{ ...good, question: 'Et le reste ?' }], 0, ['topics.0.question']],
    ['long question', [{ ...good, question: 'mot '.repeat(1300) }], 0, ['topics.0.question']],
    ['unknown kind', [good, { ...good, kind: 'other' }], 0, ['topics.1.kind']],
    ['unknown segment', [{ ...good, segment: 'space' }], 0, ['topics.0.segment']],
  ])('%s', (_label, input, count, fields) => {
    const { topics, errors } = parseSplitTopics(input, segments);
    expect(topics).toHaveLength(count);
    expect(errors.map((e) => e.field)).toEqual(fields);
  });

  it.each([
    [
      'Et le reste ?',
      'Nouvelle demande 1 : reprenez la question de l’acheteur sur ce sujet en quelques phrases (au moins 80 caractères et 12 mots différents).',
    ],
    ['mot '.repeat(1300), 'Nouvelle demande 1 : la question fait au plus 5\u202f000 caractères.'],
  ])('speaks to the staff member who splits about the question (%#)', (text, message) => {
    expect(parseSplitTopics([{ ...good, question: text }], segments).errors).toEqual([{ field: 'topics.0.question', message }]);
  });

  it.each([
    ['left empty', '', null, []],
    ['unchanged', 'Restauration et nettoyage', null, []],
    ['refocused', '  Restauration scolaire bio  ', 'Restauration scolaire bio', []],
    ['too short', 'Bio', null, ['subject']],
    ['on two lines', 'Restauration\nscolaire', null, ['subject']],
  ])('the original’s subject, %s', (_label, input, subject, fields) => {
    const result = refocusedSubject(input, 'Restauration et nettoyage');
    expect(result.subject).toBe(subject);
    expect(result.errors.map((e) => e.field)).toEqual(fields);
  });

  it('keeps trimmed values', () => {
    expect(parseSplitTopics([{ ...good, subject: `  ${good.subject} ` }], segments).topics[0].subject).toBe(good.subject);
  });

  it.each([
    [undefined, true],
    ['   ', true],
    ['x'.repeat(1001), true],
    ['Question de clauses sociales', false],
  ])('reasonProblem(%#)', (value, refused) => {
    expect(reasonProblem(value) !== null).toBe(refused);
  });
});
