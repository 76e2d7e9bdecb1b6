import type { StaffPrincipal } from '../accounts/accounts.types';
import {
  evaluationActions,
  evaluationQuery,
  parseEvaluationFilters,
  reviewedMeanwhile,
  reviewSeenReadable,
  scoreColumns,
} from './evaluations.policy';
import { parseEvaluationExportFilters, parseRequestExportFilters } from './export.policy';

const staff = (role: StaffPrincipal['role'], networkCodes: string[] = [], facilitatorId: string | null = null): StaffPrincipal => ({
  id: 'u',
  email: 'x@example.org',
  firstName: 'A',
  lastName: 'B',
  role,
  facilitatorId,
  networkCodes,
});

describe('evaluations.policy', () => {
  it('reads every filter', () => {
    const { filters, errors } = parseEvaluationFilters({
      du: '2026-01-01',
      au: '2026-03-31',
      reseau: 'aura-ee',
      kind: 'social_clause',
      segment: 'catering',
      department: '2A',
      facilitator: 'AAAAAAAA-0000-4000-8000-000000000000',
      wave: 'impact',
      score: 'outcome.not_yet',
      reviewed: 'non',
      page: '3',
    });
    expect(errors).toEqual([]);
    expect(filters).toEqual({
      from: '2026-01-01',
      to: '2026-03-31',
      network: 'aura-ee',
      kind: 'social_clause',
      segment: 'catering',
      department: '2A',
      facilitator: 'aaaaaaaa-0000-4000-8000-000000000000',
      wave: 'impact',
      score: 'outcome.not_yet',
      reviewed: false,
      page: 3,
    });
  });

  it('reads a day typed the French way', () => {
    const { filters, errors } = parseEvaluationFilters({ du: '01/02/2026', au: '28.02.2026' });
    expect(errors).toEqual([]);
    expect(filters).toMatchObject({ from: '2026-02-01', to: '2026-02-28' });
  });

  it('reads nothing as no filter', () => {
    const { filters, errors } = parseEvaluationFilters({ du: '', kind: '  ' });
    expect(errors).toEqual([]);
    expect(Object.values(filters).filter((v) => v !== null)).toEqual([1]);
  });

  it.each([
    [{ du: '2026-02-30' }, 'du'],
    [{ au: '31/11/2026' }, 'au'],
    [{ au: '22 novembre' }, 'au'],
    [{ du: '2026-05-01', au: '2026-04-01' }, 'du'],
    [{ kind: 'autre' }, 'kind'],
    [{ wave: 'both' }, 'wave'],
    [{ score: 'yes' }, 'score'],
    [{ reviewed: 'peut-être' }, 'reviewed'],
    [{ facilitator: "1' OR 1=1" }, 'facilitator'],
    [{ segment: 'a b;c' }, 'segment'],
    [{ reseau: '<script>' }, 'reseau'],
  ])('refuses %j with an error on %s', (query, field) => {
    const { errors } = parseEvaluationFilters(query);
    expect(errors.map((e) => e.field)).toEqual([field]);
    expect(errors[0].message).toMatch(/[a-zé]/);
  });

  it.each([
    ['usefulness.partly', { usefulness: 'partly', outcome: null }],
    ['outcome.abandoned', { usefulness: null, outcome: 'abandoned' }],
    [null, { usefulness: null, outcome: null }],
  ] as const)('score %s reads %j', (score, expected) => {
    expect(scoreColumns(score)).toEqual(expected);
  });

  it('keeps the filters in links, page aside unless asked', () => {
    const { filters } = parseEvaluationFilters({ du: '2026-01-01', wave: 'satisfaction', reviewed: 'oui', page: '2' });
    expect(evaluationQuery(filters)).toBe('du=2026-01-01&wave=satisfaction&reviewed=oui');
    expect(evaluationQuery(filters, { page: 3, wave: null })).toBe('du=2026-01-01&reviewed=oui&page=3');
  });

  it.each([
    ['admin', staff('admin'), 'aura-ee', 'f1', null, { review: true, share: true }],
    ['animator of the network', staff('animator', ['aura-ee']), 'aura-ee', 'f1', null, { review: true, share: true }],
    ['animator, already shared', staff('animator', ['aura-ee']), 'aura-ee', 'f1', new Date(), { review: true, share: false }],
    ['animator, nobody answered', staff('animator', ['aura-ee']), 'aura-ee', null, null, { review: true, share: false }],
    ['animator of another network', staff('animator', ['maximilien']), 'aura-ee', 'f1', null, { review: false, share: false }],
    ['facilitator who answered', staff('facilitator', ['aura-ee'], 'f1'), 'aura-ee', 'f1', new Date(), { review: false, share: false }],
  ])('%s', (_label, who, networkCode, facilitatorId, sharedWithFacilitatorAt, expected) => {
    expect(evaluationActions(who, { networkCode, facilitatorId, sharedWithFacilitatorAt })).toEqual(expected);
  });
});

describe('reviewedMeanwhile', () => {
  const at = new Date('2026-03-12T09:04:05.123Z');
  it.each<[string, unknown, Date | null, boolean]>([
    ['not reviewed when opened, nor now', '', null, false],
    ['not reviewed when opened, reviewed since by a colleague', '', at, true],
    ['the review the page showed, updated by its reader', at.toISOString(), at, false],
    ['another review since the one the page showed', '2026-03-12T08:00:00.000Z', at, true],
    ['the API’s null: not reviewed when read', null, at, true],
    ['nothing said (an API client of before): not checked', undefined, at, false],
    ['an unreadable date: refused, never written over', 'hier', at, true],
  ])('%s', (_label, seen, current, expected) => {
    expect(reviewedMeanwhile(seen, current)).toBe(expected);
  });
});

describe('reviewSeenReadable', () => {
  it.each<[string, unknown, boolean]>([
    ['the page’s date', '2026-03-12T09:04:05.123Z', true],
    ['with an offset, no fraction', '2026-03-12T10:04:05+01:00', true],
    ['not reviewed: the page’s empty field', '', true],
    ['not reviewed: the API’s null', null, true],
    ['nothing said', undefined, true],
    ['a number', 1773306245123, false],
    ['garbage', 'hier', false],
    ['a bare day', '2026-03-12', false],
    ['a date that cannot be', '2026-13-45T09:04:05Z', false],
  ])('%s', (_label, seen, expected) => {
    expect(reviewSeenReadable(seen)).toBe(expected);
  });
});

describe('export.policy', () => {
  /** The reference data as the exports read it: a segment, two départements, the person's networks. */
  const known = {
    isSegment: (c: string) => c === 'catering',
    isDepartment: (c: string) => ['38', '2A'].includes(c),
    isNetwork: (c: string) => ['aura-ee', 'maximilien'].includes(c),
  };
  const parse = (query: Record<string, unknown>) => parseRequestExportFilters(query, known);

  it('reads the requests export filters, and refuses what it cannot read', () => {
    expect(parse({ du: '2026-01-01', status: 'closed', reseau: 'maximilien' })).toEqual({
      filters: {
        from: '2026-01-01',
        to: null,
        network: 'maximilien',
        kind: null,
        segment: null,
        department: null,
        status: 'closed',
        search: null,
        facilitator: null,
        lateOnly: false,
        escalatedOnly: false,
        openOnly: false,
        tab: null,
      },
      errors: [],
    });
    expect(parse({ q: '  recyclé  ' }).filters.search).toBe('recyclé');
    expect(parse({ late: '1' }).filters.lateOnly).toBe(true);
    expect(parse({ escalated: '1' }).filters.escalatedOnly).toBe(true);
    expect(parse({ escalated: 'oui' }).errors.map((e) => e.field)).toEqual(['escalated']);
    expect(parse({ ouvertes: '1' }).filters.openOnly).toBe(true);
    expect(parse({ tab: 'pool' }).filters.tab).toBe('pool');
    expect(parse({ tab: 'reserve' }).errors.map((e) => e.field)).toEqual(['tab']);
    expect(parse({ status: 'lost', q: 'x'.repeat(101), late: 'oui' }).errors.map((e) => e.field)).toEqual(['status', 'q', 'late']);
  });

  it.each<[string, Record<string, string>, Array<{ field: string; message: string }>]>([
    ['codes the reference data holds', { segment: 'catering', department: '2A', reseau: 'aura-ee' }, []],
    ['an unknown segment', { segment: 'rockets' }, [{ field: 'segment', message: 'Segment d’achat inconnu.' }]],
    [
      'an unknown département',
      { department: '999' },
      [{ field: 'department', message: 'Département inconnu : code INSEE attendu, par exemple 38, 2A ou 971.' }],
    ],
    [
      'a network not among the known ones',
      { reseau: 'grand-est' },
      [{ field: 'reseau', message: 'Réseau inconnu ou hors de vos réseaux : code attendu, par exemple aura-ee ou reseco.' }],
    ],
  ])('checks the filters on reference data against it: %s', (_label, query, errors) => {
    expect(parse(query).errors).toEqual(errors);
    expect(parseEvaluationExportFilters(query, known).errors).toEqual(errors);
  });
});
