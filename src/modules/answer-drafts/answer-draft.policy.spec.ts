import { draftContent, draftSavedAt } from './answer-draft.policy';

describe('draftContent', () => {
  it.each([
    ['text alone, trimmed', { body: '  Bonjour,\r\nvoici  ' }, { body: 'Bonjour,\nvoici', items: [] }],
    ['nothing typed: nothing to keep', { body: '   ', items: { 0: { type: '' }, 1: { type: '' } } }, null],
    [
      'typed items kept unchecked, blank fields and slots left out',
      { body: '', items: { 0: { type: 'guide', title: ' Guide ', url: '' }, 1: { type: '' }, 2: { type: 'peer', peerConsent: 'on' } } },
      {
        body: '',
        items: [
          { type: 'guide', title: 'Guide' },
          { type: 'peer', peerConsent: 'on' },
        ],
      },
    ],
    ['an item with a field but no type yet', { items: [{ title: 'À classer' }] }, { body: '', items: [{ title: 'À classer' }] }],
  ])('%s', (_case, input, expected) => {
    const { content, errors } = draftContent(input);
    expect(errors).toEqual([]);
    expect(content).toEqual(expected);
  });

  it.each([
    ['a text over the answer’s limit', { body: 'a'.repeat(10_001) }, 'body'],
    ['a text that is not one', { body: 42 }, 'body'],
    ['a field no help item has', { items: [{ type: 'guide', colour: 'vert' }] }, 'items[0].colour'],
    ['an item field far too long', { items: [{ type: 'guide', title: 'a'.repeat(2001) }] }, 'items[0].title'],
  ])('refuses %s', (_case, input, field) => {
    expect(draftContent(input).errors.map((e) => e.field)).toContain(field);
  });
});

describe('draftSavedAt', () => {
  it.each([
    ['Paris, winter', new Date('2026-12-06T13:32:00Z'), '38', { day: '6 décembre 2026', time: '14 h 32' }],
    ['the first of the month, before ten', new Date('2026-12-01T08:05:00Z'), null, { day: '1er décembre 2026', time: '9 h 05' }],
    ['La Réunion', new Date('2026-12-06T13:32:00Z'), '974', { day: '6 décembre 2026', time: '17 h 32' }],
  ])('%s', (_case, at, department, expected) => {
    expect(draftSavedAt(at, department)).toEqual(expected);
  });
});
