import type { AssignmentEndReason, DeclineReason } from './request-assignment.entity';
import {
  coordinatorFallbackText,
  EXCLUDING_END_REASONS,
  excludedAfter,
  FacilitatorCandidate,
  followedReferenceHeldBy,
  followUpHolderText,
  IneligibilityReason,
  letGoText,
  rankFacilitators,
  RoutingRequest,
  WAITING_REASONS,
  WaitingReason,
  precisionRerouteRefusal,
  waitingReasonText,
  waitsForSomeone,
  whyCoordinatorFallback,
  whyNotEligible,
  whyWaiting,
} from './ranking.policy';

// Isère (38) is in Auvergne-Rhône-Alpes (84); Corse-du-Sud (2A) in Corse (94).
const ENV: RoutingRequest = { kind: 'environmental', departmentCode: '38', regionCode: '84', networkCode: 'aura', segmentCode: 'cleaning' };
const SOCIAL: RoutingRequest = {
  kind: 'social_clause',
  departmentCode: '2A',
  regionCode: '94',
  networkCode: 'corse',
  segmentCode: 'catering',
};

function facilitator(id: string, overrides: Partial<FacilitatorCandidate> = {}): FacilitatorCandidate {
  return {
    id,
    kind: 'environmental',
    networkCode: 'aura',
    departmentCodes: [],
    regionCodes: [],
    isCoordinator: false,
    active: true,
    absentToday: false,
    backOn: null,
    capacity: 5,
    openCount: 0,
    segments: [],
    lastAssignedAt: null,
    ...overrides,
  };
}

/** A social-clause facilitator of the request's département. */
function local(id: string, overrides: Partial<FacilitatorCandidate> = {}): FacilitatorCandidate {
  return facilitator(id, { kind: 'social_clause', networkCode: 'corse', departmentCodes: ['2A'], ...overrides });
}

/** A social-clause coordinator of the request's région, not listing its département. */
function coordinator(id: string, overrides: Partial<FacilitatorCandidate> = {}): FacilitatorCandidate {
  return facilitator(id, {
    kind: 'social_clause',
    networkCode: 'corse',
    departmentCodes: ['2B'],
    regionCodes: ['94'],
    isCoordinator: true,
    ...overrides,
  });
}

const day = (iso: string): Date => new Date(`${iso}T09:00:00Z`);
const ids = (list: FacilitatorCandidate[]): string[] => list.map((c) => c.id);

describe('whyNotEligible', () => {
  it.each<[string, IneligibilityReason | null, RoutingRequest, FacilitatorCandidate]>([
    ['environmental adviser of the whole network', null, ENV, facilitator('a')],
    ['environmental adviser listing the département', null, ENV, facilitator('a', { departmentCodes: ['69', '38'] })],
    ['environmental adviser listing other départements', 'territory', ENV, facilitator('a', { departmentCodes: ['69', '73'] })],
    ['environmental adviser of another network', 'territory', ENV, facilitator('a', { networkCode: 'bfc' })],
    [
      'environmental adviser of another network listing the département',
      'territory',
      ENV,
      facilitator('a', { networkCode: 'bfc', departmentCodes: ['38'] }),
    ],
    ['social-clause facilitator on an environmental request', 'kind', ENV, local('a', { networkCode: 'aura', departmentCodes: ['38'] })],
    [
      'environmental adviser on a social-clause request',
      'kind',
      SOCIAL,
      facilitator('a', { networkCode: 'corse', departmentCodes: ['2A'] }),
    ],
    ['social-clause facilitator of the département', null, SOCIAL, local('a')],
    ['social-clause facilitator of another département', 'territory', SOCIAL, local('a', { departmentCodes: ['2B'] })],
    ['social-clause facilitator with no département', 'territory', SOCIAL, local('a', { departmentCodes: [] })],
    ['département codes compared exactly (2a is not 2A)', 'territory', SOCIAL, local('a', { departmentCodes: ['2a'] })],
    ['coordinator of the région (fallback, applied by the ranking)', null, SOCIAL, coordinator('a')],
    ['coordinator of another région', 'territory', SOCIAL, coordinator('a', { regionCodes: ['93'] })],
    ['région listed but not a coordinator', 'territory', SOCIAL, coordinator('a', { isCoordinator: false })],
    ['inactive', 'inactive', ENV, facilitator('a', { active: false })],
    ['absent today', 'absent', ENV, facilitator('a', { absentToday: true })],
    ['one below capacity', null, ENV, facilitator('a', { capacity: 3, openCount: 2 })],
    ['at capacity', 'full', ENV, facilitator('a', { capacity: 3, openCount: 3 })],
    ['over capacity', 'full', ENV, facilitator('a', { capacity: 3, openCount: 4 })],
    ['zero capacity', 'full', ENV, facilitator('a', { capacity: 0, openCount: 0 })],
    ['social-clause coordinator at capacity', 'full', SOCIAL, coordinator('a', { capacity: 1, openCount: 1 })],
  ])('%s → %s', (_label, expected, request, candidate) => {
    expect(whyNotEligible(request, candidate)).toBe(expected);
  });

  it.each<[string, IneligibilityReason | null, ReadonlySet<string> | undefined]>([
    ['listed in the excluded set', 'excluded', new Set(['a'])],
    ['excluded set naming others', null, new Set(['b', 'c'])],
    ['empty excluded set', null, new Set<string>()],
    ['no excluded set', null, undefined],
  ])('%s → %s', (_label, expected, excluded) => {
    expect(whyNotEligible(ENV, facilitator('a'), excluded)).toBe(expected);
  });

  it.each<[string, Partial<FacilitatorCandidate>, IneligibilityReason]>([
    ['kind before territory', { kind: 'social_clause', networkCode: 'bfc' }, 'kind'],
    ['territory before inactive', { networkCode: 'bfc', active: false }, 'territory'],
    ['inactive before absent', { active: false, absentToday: true }, 'inactive'],
    ['absent before full', { absentToday: true, openCount: 5 }, 'absent'],
    ['full before excluded', { openCount: 5 }, 'full'],
  ])('reports the first failing rule: %s', (_label, overrides, expected) => {
    expect(whyNotEligible(ENV, facilitator('a', overrides), new Set(['a']))).toBe(expected);
  });
});

describe('rankFacilitators', () => {
  describe('ranking keys', () => {
    it.each<[string, FacilitatorCandidate[], string[]]>([
      [
        'expertise beats lower load',
        [facilitator('idle'), facilitator('expert', { segments: ['it', 'cleaning'], openCount: 4 })],
        ['expert', 'idle'],
      ],
      [
        'expertise beats never assigned and id',
        [facilitator('a'), facilitator('z', { segments: ['cleaning'], lastAssignedAt: day('2025-06-02') })],
        ['z', 'a'],
      ],
      ['another segment is no expertise', [facilitator('b', { segments: ['catering'] }), facilitator('a')], ['a', 'b']],
      [
        'lower load beats older lastAssignedAt',
        [
          facilitator('old', { openCount: 2, lastAssignedAt: day('2024-01-15') }),
          facilitator('light', { openCount: 1, lastAssignedAt: day('2025-06-02') }),
        ],
        ['light', 'old'],
      ],
      [
        'load is a ratio, not a count',
        [facilitator('small', { capacity: 2, openCount: 1 }), facilitator('big', { capacity: 10, openCount: 3 })],
        ['big', 'small'],
      ],
      [
        'equal ratios tie on load (1/2 and 2/4), then the older assignment wins',
        [
          facilitator('a', { capacity: 2, openCount: 1, lastAssignedAt: day('2025-06-02') }),
          facilitator('b', { capacity: 4, openCount: 2, lastAssignedAt: day('2025-05-02') }),
        ],
        ['b', 'a'],
      ],
      [
        'never assigned beats assigned',
        [facilitator('a', { lastAssignedAt: day('2020-01-01') }), facilitator('b', { lastAssignedAt: null })],
        ['b', 'a'],
      ],
      [
        'longest since last assignment first',
        [
          facilitator('recent', { lastAssignedAt: day('2025-06-02') }),
          facilitator('oldest', { lastAssignedAt: day('2025-01-06') }),
          facilitator('middle', { lastAssignedAt: day('2025-03-03') }),
        ],
        ['oldest', 'middle', 'recent'],
      ],
      ['id breaks a full tie', [facilitator('c'), facilitator('a'), facilitator('b')], ['a', 'b', 'c']],
      [
        'id breaks a tie between two never assigned',
        [facilitator('f2', { openCount: 1 }), facilitator('f10', { openCount: 1 })],
        ['f10', 'f2'],
      ],
      [
        'id breaks a tie on the same assignment time',
        [facilitator('y', { lastAssignedAt: day('2025-02-03') }), facilitator('x', { lastAssignedAt: day('2025-02-03') })],
        ['x', 'y'],
      ],
      [
        'all keys together',
        [
          facilitator('e', { openCount: 0, lastAssignedAt: day('2025-01-01') }),
          facilitator('d', { segments: ['cleaning'], openCount: 3 }),
          facilitator('c', { segments: ['cleaning'], openCount: 1, lastAssignedAt: day('2025-04-01') }),
          facilitator('b', { segments: ['cleaning'], openCount: 1, lastAssignedAt: null }),
          facilitator('a', { openCount: 0, lastAssignedAt: day('2025-01-01') }),
        ],
        ['b', 'c', 'd', 'a', 'e'],
      ],
    ])('%s', (_label, candidates, expected) => {
      expect(ids(rankFacilitators(ENV, candidates))).toEqual(expected);
    });

    it.each<[string, FacilitatorCandidate[], string[]]>([
      [
        'others before the one it was transferred away from',
        [facilitator('a', { segments: ['cleaning'] }), facilitator('b', { openCount: 4 })],
        ['b', 'a'],
      ],
      ['them still, when nobody else can take it', [facilitator('a'), facilitator('b', { absentToday: true })], ['a']],
    ])('back from the other kind: %s', (_label, candidates, expected) => {
      expect(ids(rankFacilitators({ ...ENV, transferredOutBy: ['a'] }, candidates))).toEqual(expected);
    });

    // The buyer said it is about the same purchase as GV-2026-000012, which 'held' took in charge.
    const FOLLOW_UP: RoutingRequest = { ...ENV, followsUp: { reference: 'GV-2026-000012', heldBy: 'held' } };
    it.each<[string, RoutingRequest, FacilitatorCandidate[], string[]]>([
      [
        'its holder first, before expertise and a lighter load',
        FOLLOW_UP,
        [facilitator('expert', { segments: ['cleaning'] }), facilitator('held', { openCount: 4 })],
        ['held', 'expert'],
      ],
      [
        'the usual order when its holder is absent',
        FOLLOW_UP,
        [facilitator('expert', { segments: ['cleaning'] }), facilitator('held', { absentToday: true }), facilitator('other')],
        ['expert', 'other'],
      ],
      [
        'the usual order when its holder is full',
        FOLLOW_UP,
        [
          facilitator('other', { openCount: 3 }),
          facilitator('held', { capacity: 2, openCount: 2 }),
          facilitator('expert', { segments: ['cleaning'] }),
        ],
        ['expert', 'other'],
      ],
      [
        'the usual order when its holder does not cover the département',
        FOLLOW_UP,
        [facilitator('held', { departmentCodes: ['69'] }), facilitator('other', { openCount: 2 })],
        ['other'],
      ],
      ['the usual order when its holder is inactive', FOLLOW_UP, [facilitator('held', { active: false }), facilitator('other')], ['other']],
      [
        'the usual order when its holder is of the other kind',
        FOLLOW_UP,
        [local('held', { networkCode: 'aura', departmentCodes: ['38'] }), facilitator('other')],
        ['other'],
      ],
      [
        'the usual order when nobody held the earlier request',
        { ...ENV, followsUp: { reference: 'GV-2026-000012', heldBy: null } },
        [facilitator('b', { openCount: 1 }), facilitator('a', { openCount: 2 })],
        ['b', 'a'],
      ],
      [
        'after the others when it was transferred away from them',
        { ...FOLLOW_UP, transferredOutBy: ['held'] },
        [facilitator('held'), facilitator('other', { openCount: 4 })],
        ['other', 'held'],
      ],
      [
        'social clause: a coordinator holder still waits behind the département’s facilitators',
        { ...SOCIAL, followsUp: { reference: 'GV-2026-000012', heldBy: 'c' } },
        [coordinator('c'), local('a', { openCount: 4 })],
        ['a'],
      ],
      [
        'social clause: a département facilitator holder first',
        { ...SOCIAL, followsUp: { reference: 'GV-2026-000012', heldBy: 'held' } },
        [local('a', { segments: ['catering'] }), local('held', { openCount: 3 })],
        ['held', 'a'],
      ],
    ])('a follow-up: %s', (_label, request, candidates, expected) => {
      expect(ids(rankFacilitators(request, candidates))).toEqual(expected);
    });

    it.each<[string, RoutingRequest, string, string | null]>([
      ['given to the holder', FOLLOW_UP, 'held', 'Suite de GV-2026-000012, confiée au même facilitateur'],
      ['given to another', FOLLOW_UP, 'other', null],
      ['nobody held the earlier one', { ...ENV, followsUp: { reference: 'GV-2026-000012', heldBy: null } }, 'other', null],
      ['no follow-up', ENV, 'held', null],
    ])('the history line of a follow-up %s, and the earlier reference its e-mail names', (_label, request, chosen, expected) => {
      expect(followUpHolderText(request, facilitator(chosen))).toBe(expected);
      expect(followedReferenceHeldBy(request, facilitator(chosen))).toBe(expected && 'GV-2026-000012');
    });

    it('gives the same order whatever the input order, and leaves the input alone', () => {
      const candidates = [
        facilitator('c'),
        facilitator('a', { lastAssignedAt: day('2025-02-03') }),
        facilitator('b'),
        facilitator('d', { segments: ['cleaning'], openCount: 2 }),
      ];
      const before = [...candidates];
      const expected = ['d', 'b', 'c', 'a'];
      expect(ids(rankFacilitators(ENV, candidates))).toEqual(expected);
      expect(ids(rankFacilitators(ENV, [...candidates].reverse()))).toEqual(expected);
      expect(candidates).toEqual(before);
    });

    it('returns the candidates themselves', () => {
      const only = facilitator('a');
      expect(rankFacilitators(ENV, [only])[0]).toBe(only);
    });
  });

  describe('environmental territory', () => {
    it.each<[string, FacilitatorCandidate[], string[]]>([
      [
        'whole-network adviser kept, one listing other départements left out',
        [facilitator('elsewhere', { departmentCodes: ['69', '73'], segments: ['cleaning'] }), facilitator('whole')],
        ['whole'],
      ],
      [
        'listing the département gives no priority over the whole network',
        [facilitator('listed', { departmentCodes: ['38'], openCount: 1 }), facilitator('whole')],
        ['whole', 'listed'],
      ],
      ['other network left out', [facilitator('bfc', { networkCode: 'bfc' }), facilitator('aura')], ['aura']],
      [
        'no regional fallback for environmental coordinators',
        [facilitator('coord', { departmentCodes: ['69'], regionCodes: ['84'], isCoordinator: true })],
        [],
      ],
    ])('%s', (_label, candidates, expected) => {
      expect(ids(rankFacilitators(ENV, candidates))).toEqual(expected);
    });
  });

  describe('social-clause territory and coordinator fallback', () => {
    it.each<[string, FacilitatorCandidate[], string[]]>([
      [
        'département facilitator preferred over coordinator, even with worse load and no expertise',
        [coordinator('coord', { segments: ['catering'] }), local('dept', { capacity: 5, openCount: 4, lastAssignedAt: day('2025-06-02') })],
        ['dept'],
      ],
      [
        'coordinator used when there is no département facilitator at all',
        [coordinator('coord'), local('other', { departmentCodes: ['2B'] })],
        ['coord'],
      ],
      ['coordinator of another région not used', [coordinator('coord', { regionCodes: ['93'] })], []],
      ['only the région’s coordinators in the fallback', [coordinator('paca', { regionCodes: ['93'] }), coordinator('corse')], ['corse']],
      [
        'coordinators ranked among themselves',
        [
          coordinator('c1', { openCount: 2 }),
          coordinator('c2', { openCount: 1 }),
          coordinator('c3', { openCount: 3, segments: ['catering'] }),
        ],
        ['c3', 'c2', 'c1'],
      ],
      [
        'coordinator listing the département counts as a département facilitator',
        [coordinator('coord', { departmentCodes: ['2A', '2B'], openCount: 1 }), local('dept', { openCount: 2 }), coordinator('fallback')],
        ['coord', 'dept'],
      ],
      [
        'coordinator fallback still needs an active, present coordinator below capacity',
        [
          local('dept', { active: false }),
          coordinator('off', { active: false }),
          coordinator('away', { absentToday: true }),
          coordinator('busy', { openCount: 5 }),
        ],
        [],
      ],
    ])('%s', (_label, candidates, expected) => {
      expect(ids(rankFacilitators(SOCIAL, candidates))).toEqual(expected);
    });

    it.each<[string, Partial<FacilitatorCandidate>, ReadonlySet<string>]>([
      ['full', { capacity: 2, openCount: 2 }, new Set()],
      ['absent', { absentToday: true }, new Set()],
      ['inactive', { active: false }, new Set()],
      ['excluded', {}, new Set(['dept'])],
    ])('coordinator used when the only département facilitator is %s', (_label, overrides, excluded) => {
      const candidates = [local('dept', overrides), coordinator('coord', { openCount: 4 })];
      expect(ids(rankFacilitators(SOCIAL, candidates, excluded))).toEqual(['coord']);
    });

    it('coordinator not used while one of several département facilitators remains eligible', () => {
      const candidates = [local('d1', { absentToday: true }), local('d2', { openCount: 4 }), local('d3'), coordinator('coord')];
      expect(ids(rankFacilitators(SOCIAL, candidates, new Set(['d3'])))).toEqual(['d2']);
    });

    it('an excluded coordinator is not the fallback', () => {
      expect(ids(rankFacilitators(SOCIAL, [local('dept', { active: false }), coordinator('coord')], new Set(['coord'])))).toEqual([]);
    });
  });

  describe('excluded set and empty results', () => {
    it.each<[string, RoutingRequest, FacilitatorCandidate[], ReadonlySet<string> | undefined, string[]]>([
      ['excluded adviser left out', ENV, [facilitator('a', { segments: ['cleaning'] }), facilitator('b')], new Set(['a']), ['b']],
      ['everyone excluded', ENV, [facilitator('a'), facilitator('b')], new Set(['a', 'b']), []],
      ['no candidates', ENV, [], undefined, []],
      ['no candidates, social clause', SOCIAL, [], undefined, []],
      [
        'nobody eligible for a different reason each',
        ENV,
        [
          local('kind'),
          facilitator('territory', { networkCode: 'bfc' }),
          facilitator('inactive', { active: false }),
          facilitator('absent', { absentToday: true }),
          facilitator('full', { openCount: 5 }),
          facilitator('excluded'),
        ],
        new Set(['excluded']),
        [],
      ],
    ])('%s', (_label, request, candidates, excluded, expected) => {
      expect(ids(rankFacilitators(request, candidates, excluded))).toEqual(expected);
    });
  });

  describe('property: a sorted permutation of exactly the eligible ones', () => {
    /** mulberry32: small, seeded, deterministic. */
    function random(seed: number): () => number {
      let state = seed >>> 0;
      return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
    }

    const DEPARTMENTS = ['38', '69', '2A', '2B', '971'];
    const REGIONS = ['84', '94', '01'];
    const NETWORKS = ['aura', 'corse', 'guadeloupe'];
    const SEGMENTS = ['cleaning', 'catering', 'it'];
    const DATES = [null, day('2025-01-06'), day('2025-03-03'), day('2025-06-02')];

    function scenario(next: () => number) {
      const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
      const subset = <T>(list: readonly T[], chance: number): T[] => list.filter(() => next() < chance);
      const often = <T>(usual: T, list: readonly T[]): T => (next() < 0.7 ? usual : pick(list));
      const request: RoutingRequest = {
        kind: pick(['environmental', 'social_clause'] as const),
        departmentCode: pick(DEPARTMENTS),
        regionCode: pick(REGIONS),
        networkCode: pick(NETWORKS),
        segmentCode: pick(SEGMENTS),
      };
      const count = Math.floor(next() * 16);
      // Unique ids shuffled (Fisher–Yates), so the id tie-break is tested against input order.
      const numbers = Array.from({ length: count }, (_, i) => i);
      for (let i = numbers.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [numbers[i], numbers[j]] = [numbers[j], numbers[i]];
      }
      // Biased towards the request so that many are eligible and ties on every key are common.
      const candidates = numbers.map((n) => {
        const capacity = pick([0, 2, 4]);
        const departmentCodes = subset(DEPARTMENTS, 0.25);
        return facilitator(`f${n}`, {
          kind: often(request.kind, ['environmental', 'social_clause'] as const),
          networkCode: often(request.networkCode, NETWORKS),
          departmentCodes: next() < 0.4 ? [...departmentCodes, request.departmentCode] : departmentCodes,
          regionCodes: next() < 0.5 ? [request.regionCode] : subset(REGIONS, 0.3),
          isCoordinator: next() < 0.4,
          active: next() < 0.85,
          absentToday: next() < 0.15,
          capacity,
          openCount: Math.floor(next() * (capacity + 1)),
          segments: subset(SEGMENTS, 0.4),
          lastAssignedAt: pick(DATES),
        });
      });
      const excluded = new Set(subset(candidates, 0.15).map((c) => c.id));
      return { request, candidates, excluded };
    }

    /** The rules restated independently of the module under test. */
    function expectedEligible(request: RoutingRequest, candidates: FacilitatorCandidate[], excluded: ReadonlySet<string>) {
      const available = (c: FacilitatorCandidate) =>
        c.kind === request.kind && c.active && !c.absentToday && c.openCount < c.capacity && !excluded.has(c.id);
      if (request.kind === 'environmental') {
        return candidates.filter(
          (c) =>
            available(c) &&
            c.networkCode === request.networkCode &&
            (c.departmentCodes.length === 0 || c.departmentCodes.includes(request.departmentCode)),
        );
      }
      const locals = candidates.filter((c) => available(c) && c.departmentCodes.includes(request.departmentCode));
      if (locals.length > 0) return locals;
      return candidates.filter((c) => available(c) && c.isCoordinator && c.regionCodes.includes(request.regionCode));
    }

    function rankingKey(request: RoutingRequest, c: FacilitatorCandidate): [number, number, number, string] {
      return [
        c.segments.includes(request.segmentCode) ? 0 : 1,
        c.openCount / c.capacity,
        c.lastAssignedAt === null ? -Infinity : c.lastAssignedAt.getTime(),
        c.id,
      ];
    }

    function keyBefore(a: [number, number, number, string], b: [number, number, number, string]): boolean {
      for (let i = 0; i < a.length; i++) {
        if (a[i] < b[i]) return true;
        if (a[i] > b[i]) return false;
      }
      return false;
    }

    const RUNS = 300;

    it.each([1, 42, 2024, 31337, 987654321])('seed %i', (seed) => {
      const next = random(seed);
      const seen = { nonEmpty: 0, empty: 0, socialFallback: 0, idTieBreak: 0 };
      for (let run = 0; run < RUNS; run++) {
        const { request, candidates, excluded } = scenario(next);
        const ranked = rankFacilitators(request, candidates, excluded);
        const expected = expectedEligible(request, candidates, excluded);

        expect([...ids(ranked)].sort()).toEqual([...ids(expected)].sort());
        expect(new Set(ranked).size).toBe(ranked.length);
        for (const c of ranked) {
          expect(candidates).toContain(c);
          expect(whyNotEligible(request, c, excluded)).toBeNull();
        }
        for (let i = 1; i < ranked.length; i++) {
          const [before, after] = [rankingKey(request, ranked[i - 1]), rankingKey(request, ranked[i])];
          expect(keyBefore(before, after)).toBe(true);
          if (before.slice(0, 3).every((key, k) => key === after[k])) seen.idTieBreak++;
        }

        if (ranked.length > 0) seen.nonEmpty++;
        else seen.empty++;
        if (request.kind === 'social_clause' && ranked.some((c) => !c.departmentCodes.includes(request.departmentCode))) {
          seen.socialFallback++;
        }
      }
      // The generator must reach every branch, or the property proves little.
      expect(seen.nonEmpty).toBeGreaterThan(0);
      expect(seen.empty).toBeGreaterThan(0);
      expect(seen.socialFallback).toBeGreaterThan(0);
      expect(seen.idTieBreak).toBeGreaterThan(0);
    });
  });
});

const full = { openCount: 5 };
const away = { absentToday: true, backOn: '2026-12-15' };

describe('whyWaiting', () => {
  it.each<[string, RoutingRequest, FacilitatorCandidate[], string[], WaitingReason | null]>([
    ['someone can take it', ENV, [facilitator('a', full), facilitator('b')], [], null],
    ['nobody at all', SOCIAL, [], [], 'uncovered'],
    ['only the other kind', SOCIAL, [facilitator('a', { networkCode: 'corse' })], [], 'uncovered'],
    ['only another département', SOCIAL, [local('a', { departmentCodes: ['2B'] })], [], 'uncovered'],
    ['only another network', ENV, [facilitator('a', { networkCode: 'bfc' })], [], 'uncovered'],
    ['the coordinator no longer receives requests', SOCIAL, [coordinator('c', { active: false })], [], 'uncovered'],
    ['a coordinator of another région', SOCIAL, [coordinator('c', { regionCodes: ['93'] })], [], 'uncovered'],
    ['every one who covers it let it go', ENV, [facilitator('a'), facilitator('b', full)], ['a', 'b'], 'let_go'],
    ['all absent', ENV, [facilitator('a', away), facilitator('b', away)], [], 'absent'],
    ['all full', SOCIAL, [local('a', full), coordinator('c', full)], [], 'full'],
    ['some absent, some full', SOCIAL, [local('a', away), coordinator('c', full)], [], 'unavailable'],
    ['absent and full at once counts as absent', ENV, [facilitator('a', { ...away, ...full })], [], 'absent'],
    ['the one who let it go aside, the other absent', ENV, [facilitator('a'), facilitator('b', away)], ['a'], 'absent'],
    ['the département absent, the coordinator free', SOCIAL, [local('a', away), coordinator('c')], [], null],
  ])('%s', (_label, request, candidates, excluded, expected) => {
    expect(whyWaiting(request, candidates, new Set(excluded))?.reason ?? null).toBe(expected);
    // Waiting exactly when the ranking offers nobody.
    expect(rankFacilitators(request, candidates, new Set(excluded)).length === 0).toBe(expected !== null);
  });
});

describe('whyWaiting: whether some who cover it let it go', () => {
  it.each<[string, FacilitatorCandidate[], string[], boolean]>([
    ['all absent, none let it go', [facilitator('a', away), facilitator('b', away)], [], false],
    ['the one who let it go aside, the other absent', [facilitator('a'), facilitator('b', away)], ['a'], true],
    ['the one who let it go aside, the other full', [facilitator('a', away), facilitator('b', full)], ['a'], true],
    ['all let it go', [facilitator('a'), facilitator('b')], ['a', 'b'], true],
    ['one of another network let it go', [facilitator('a', { networkCode: 'bfc' }), facilitator('b', full)], ['a'], false],
  ])('%s', (_label, candidates, excluded, expected) => {
    expect(whyWaiting(ENV, candidates, new Set(excluded))?.someLetGo).toBe(expected);
  });
});

describe('whyWaiting: when the first of the absent is back', () => {
  const backOn = (day: string) => ({ absentToday: true, backOn: day });
  it.each<[string, RoutingRequest, FacilitatorCandidate[], string[], string | null]>([
    ['nobody absent', ENV, [facilitator('a', full)], [], null],
    ['the one absent', ENV, [facilitator('a', backOn('2026-12-15'))], [], '2026-12-15'],
    // Their absence ends on a Friday: back on the Monday, not the Saturday.
    ['back after a weekend', ENV, [facilitator('a', backOn('2026-12-19'))], [], '2026-12-21'],
    // Ends on Christmas Eve: Christmas, then the weekend.
    ['back after Christmas and a weekend', ENV, [facilitator('a', backOn('2026-12-25'))], [], '2026-12-28'],
    ['the earliest of several', ENV, [facilitator('a', backOn('2027-01-04')), facilitator('b', backOn('2026-12-21'))], [], '2026-12-21'],
    ['not one who let it go', ENV, [facilitator('a', backOn('2026-12-08')), facilitator('b', backOn('2026-12-21'))], ['a'], '2026-12-21'],
    ['not one of the other kind', SOCIAL, [facilitator('a', backOn('2026-12-08')), local('b', backOn('2026-12-21'))], [], '2026-12-21'],
    ['not one who no longer receives requests', ENV, [facilitator('a', { ...backOn('2026-12-08'), active: false })], [], null],
    [
      'the coordinator covering the département',
      SOCIAL,
      [coordinator('c', backOn('2026-12-09')), local('b', backOn('2026-12-21'))],
      [],
      '2026-12-09',
    ],
  ])('%s', (_label, request, candidates, excluded, expected) => {
    expect(whyWaiting(request, candidates, new Set(excluded))?.backOn).toBe(expected);
  });
});

describe('whyCoordinatorFallback', () => {
  it.each<[string, FacilitatorCandidate, FacilitatorCandidate[], string[], WaitingReason | null]>([
    ['nobody covers the département', coordinator('c'), [coordinator('c')], [], 'uncovered'],
    ['its facilitator is absent', coordinator('c'), [local('a', away), coordinator('c')], [], 'absent'],
    ['its facilitators are absent or full', coordinator('c'), [local('a', away), local('b', full), coordinator('c')], [], 'unavailable'],
    ['its facilitator let it go', coordinator('c'), [local('a'), coordinator('c')], ['a'], 'let_go'],
    ['the coordinator lists the département itself', coordinator('c', { departmentCodes: ['2A'] }), [], [], null],
    ['a département facilitator', local('a'), [local('a')], [], null],
  ])('%s', (_label, chosen, candidates, excluded, expected) => {
    expect(whyCoordinatorFallback(SOCIAL, chosen, candidates, new Set(excluded))?.reason ?? null).toBe(expected);
  });

  it('is never one for an environmental request', () => {
    expect(whyCoordinatorFallback(ENV, facilitator('a', { isCoordinator: true, regionCodes: ['84'] }), [], new Set())).toBeNull();
  });
});

describe('the words of a wait', () => {
  it.each<[WaitingReason, boolean, string]>([
    ['uncovered', true, 'Aucun facilitateur ne couvre ce département pour les clauses sociales'],
    ['let_go', true, 'l’ont tous déjà eue et laissée'],
    ['absent', false, 'au retour du premier'],
    ['full', false, 'dès qu’une place se libère'],
    ['unavailable', false, 'absents ou à pleine capacité'],
  ])('%s: waits for someone to act: %s', (reason, stuck, words) => {
    expect(waitsForSomeone(reason)).toBe(stuck);
    expect(waitingReasonText({ reason, backOn: null, someLetGo: false }, 'social_clause')).toContain(words);
    // What will leave the pool by itself says so; the rest says it will not.
    expect(waitingReasonText({ reason, backOn: null, someLetGo: false }, 'social_clause').includes('elle partira d’elle-même')).toBe(
      !stuck,
    );
  });

  it.each<[WaitingReason, string]>([
    ['absent', 'hormis ceux qui l’ont déjà eue et laissée, sont tous absents'],
    ['full', 'hormis ceux qui l’ont déjà eue et laissée, sont tous à pleine capacité'],
    ['unavailable', 'hormis ceux qui l’ont déjà eue et laissée, sont absents ou à pleine capacité'],
  ])('%s, some of those covering it having let it go: speaks of the others only', (reason, words) => {
    expect(waitingReasonText({ reason, backOn: null, someLetGo: true }, 'environmental')).toContain(
      `Les facilitateurs qui couvrent ce département pour les considérations environnementales, ${words}`,
    );
    expect(waitingReasonText({ reason, backOn: null, someLetGo: false }, 'environmental')).not.toContain('hormis');
  });

  it.each<[string | null, string]>([
    ['2026-12-15', 'au retour du premier, le 15 décembre 2026'],
    ['2027-01-01', 'au retour du premier, le 1er janvier 2027'],
    [null, 'au retour du premier'],
  ])('all absent, back on %s: the pool and a refused rerouting say when', (backOn, words) => {
    expect(waitingReasonText({ reason: 'absent', backOn, someLetGo: false }, 'environmental')).toContain(
      `elle partira d’elle-même ${words}.`,
    );
    expect(precisionRerouteRefusal({ reason: 'absent', backOn, someLetGo: false }, 'environmental')).toContain(
      `attendez le ${words.slice(3)}, puis recommencez.`,
    );
  });

  it('names the kind, and has a coordinator line for every reason', () => {
    expect(waitingReasonText({ reason: 'uncovered', backOn: null, someLetGo: false }, 'environmental')).toContain(
      'pour les considérations environnementales',
    );
    for (const reason of WAITING_REASONS)
      expect(coordinatorFallbackText({ reason, backOn: null, someLetGo: false })).toMatch(/^Au coordinateur régional : \S/);
    expect(coordinatorFallbackText({ reason: 'uncovered', backOn: null, someLetGo: false })).toBe(
      'Au coordinateur régional : aucun facilitateur de clauses sociales ne couvre ce département',
    );
    expect(coordinatorFallbackText({ reason: 'absent', backOn: '2026-12-31', someLetGo: false })).toBe(
      'Au coordinateur régional : les facilitateurs de clauses sociales du département sont tous absents (retour du premier, le 31 décembre 2026)',
    );
  });
});

describe('the refusal of a rerouting awaiting the buyer’s precision', () => {
  it.each<[WaitingReason, string, string]>([
    ['uncovered', 'Aucun autre facilitateur ne couvre ce département pour les clauses sociales', 'Ajoutez un facilitateur à l’annuaire'],
    ['let_go', 'l’ont tous déjà eue et laissée', 'Choisissez l’un d’eux dans la liste'],
    ['absent', 'sont tous absents', 'attendez le retour du premier'],
    ['full', 'sont tous à pleine capacité', 'libérez une place'],
    ['unavailable', 'sont absents ou à pleine capacité', 'libérez une place'],
  ])('%s: says why nobody else, and what to do', (reason, why, todo) => {
    const text = precisionRerouteRefusal({ reason, backOn: null, someLetGo: false }, 'social_clause');
    expect(text).toContain(why);
    expect(text).toContain(todo);
    expect(text).toContain('elle attend la précision de l’acheteur');
  });
});

describe('whom routing leaves out after their time with the request ended', () => {
  it.each<[AssignmentEndReason, boolean, string]>([
    ['declined', true, 'they declined it, or gave it back'],
    ['deadline_missed', true, 'they let the take-charge deadline pass'],
    ['withdrawn', true, 'staff took it from them and let routing choose'],
    // The animator moved it away (« surchargée »): a missed deadline of the next holder must not give it back to them.
    ['reassigned', true, 'staff took it from them for someone of their choice'],
    ['absence', false, 'away for a while: offered again once back'],
    ['inactive', false, 'out of routing: offered again once back in it'],
    ['departed', false, 'gone: no candidate anyway'],
    ['transferred', false, 'went to the other kind: ranked last instead'],
    ['realigned', false, 'its territory moved to another network'],
    ['finished', false, 'closed: a reopening gives it back to them'],
  ])('%s → %s (%s)', (end, expected) => {
    expect(excludedAfter(end)).toBe(expected);
    expect(EXCLUDING_END_REASONS.includes(end)).toBe(expected);
  });
});

describe('who had a pooled request, as the animators read it', () => {
  it.each<[string, AssignmentEndReason, DeclineReason | null, boolean, string]>([
    ['declined, off territory', 'declined', 'not_my_territory', false, 'Sacha Martin (déclinée : hors de son territoire)'],
    ['declined, off expertise', 'declined', 'not_my_expertise', false, 'Sacha Martin (déclinée : hors de son expertise)'],
    ['declined, unavailable', 'declined', 'unavailable', false, 'Sacha Martin (déclinée : indisponible)'],
    ['declined, no reason kept', 'declined', null, false, 'Sacha Martin (déclinée)'],
    ['given back once taken in charge', 'declined', 'unavailable', true, 'Sacha Martin (rendue : indisponible)'],
    ['deadline passed', 'deadline_missed', null, false, 'Sacha Martin (délai de prise en charge passé)'],
    ['withdrawn by staff', 'withdrawn', null, true, 'Sacha Martin (retirée par l’animation, remise en attribution automatique)'],
    ['reassigned by staff', 'reassigned', null, false, 'Sacha Martin (retirée par l’animation, confiée à un autre facilitateur)'],
  ])('%s', (_label, endReason, declineReason, taken, expected) => {
    expect(letGoText({ by: 'Sacha Martin', endReason, declineReason, taken })).toBe(expected);
  });
});
