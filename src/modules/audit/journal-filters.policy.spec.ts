import { journalFilters, journalUrl } from './journal-filters.policy';

describe('journalFilters: what a reader narrows the journal to', () => {
  const mine = ['aura-ee', 'reseco'];
  it.each<[string, Record<string, unknown>, ReturnType<typeof journalFilters>]>([
    ['nothing', {}, { search: null, kind: null, network: null }],
    ['words, trimmed', { q: '  Camille ' }, { search: 'Camille', kind: null, network: null }],
    ['blank words', { q: '   ' }, { search: null, kind: null, network: null }],
    ['a kind of change', { quoi: 'annuaire' }, { search: null, kind: 'annuaire', network: null }],
    ['an unknown kind, left out', { quoi: 'toString' }, { search: null, kind: null, network: null }],
    ['one of their networks', { reseau: 'reseco' }, { search: null, kind: null, network: 'reseco' }],
    ['another’s network, left out', { reseau: '3ar' }, { search: null, kind: null, network: null }],
    ['a repeated parameter, left out', { q: ['a', 'b'], reseau: ['reseco'] }, { search: null, kind: null, network: null }],
  ])('%s', (_label, query, expected) => {
    expect(journalFilters(query, mine)).toEqual(expected);
  });

  it('bounds the words', () => {
    expect(journalFilters({ q: 'x'.repeat(500) }, mine).search).toHaveLength(100);
  });
});

describe('journalUrl: the « older » link keeps the filters', () => {
  it.each<[Parameters<typeof journalUrl>[0], string | null, string]>([
    [{ search: null, kind: null, network: null }, null, '/espace/journal'],
    [{ search: null, kind: null, network: null }, '42', '/espace/journal?avant=42'],
    [
      { search: 'd’Arcy & co', kind: 'comptes', network: 'reseco' },
      '42',
      '/espace/journal?q=d%E2%80%99Arcy+%26+co&quoi=comptes&reseau=reseco&avant=42',
    ],
  ])('%j before %s', (filters, before, url) => {
    expect(journalUrl(filters, before)).toBe(url);
  });
});
