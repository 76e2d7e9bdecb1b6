import {
  isLate,
  missedTakeCharge,
  QueueCountRow,
  queueCounts,
  queueOrder,
  tabsApply,
  listedStatuses,
  neededSooner,
  ordersBySubmission,
  parseQueueFilters,
  queueFilterProblems,
  queuePeriodProblems,
  searchedReference,
} from './workspace-queue.policy';

const at = (iso: string) => new Date(iso);
describe('parseQueueFilters', () => {
  it.each([
    [{}, { tab: 'mine', status: null, kind: null, segment: null, department: null, lateOnly: false, page: 1 }],
    [
      { tab: 'pool', status: 'assigned', kind: 'social_clause', segment: 'food', department: '2A', late: '1', page: '3' },
      { tab: 'pool', status: 'assigned', kind: 'social_clause', segment: 'food', department: '2A', lateOnly: true, page: 3 },
    ],
    [
      { tab: 'x', status: 'nope', kind: 1, segment: "a' OR 1=1", department: ['75'], late: 'non', page: '-2' },
      { tab: 'mine', status: null, kind: null, segment: null, department: null, lateOnly: false, page: 1 },
    ],
    [{ page: 'abc' }, { page: 1 }],
    [{}, { escalatedOnly: false }],
    [{ escalated: '1' }, { escalatedOnly: true, lateOnly: false }],
    [{ escalated: 'on' }, { escalatedOnly: true }],
    // The escalated filter replaces the tabs: read as the default tab, with its default order.
    [
      { escalated: '1', tab: 'pool' },
      { escalatedOnly: true, tab: 'mine', sort: 'deadline' },
    ],
    [{ escalated: 'oui' }, { escalatedOnly: false }],
    [
      { escalated: '0', late: '1' },
      { escalatedOnly: false, lateOnly: true },
    ],
    [{ q: '  GV-2026-000123 ' }, { search: 'GV-2026-000123' }],
    [{ q: '   ' }, { search: null }],
    [{ q: ['a', 'b'] }, { search: null }],
    [{ q: 'x'.repeat(120) }, { search: 'x'.repeat(100) }],
    [{ facilitator: ' 0F8FAD5B-D9CB-469F-A165-70867728950E ' }, { facilitator: '0f8fad5b-d9cb-469f-a165-70867728950e' }],
    [{ facilitator: "1' OR '1'='1" }, { facilitator: null }],
    [{}, { facilitator: null }],
    [{}, { sort: 'deadline' }],
    [{ sort: 'needed_by' }, { sort: 'needed_by' }],
    [{ sort: 'submitted' }, { sort: 'submitted' }],
    [{ sort: 'random()' }, { sort: 'deadline' }],
    [
      { du: '01/12/2026', au: '2026-12-31' },
      { from: '2026-12-01', to: '2026-12-31' },
    ],
    [{ du: '2026-02-30' }, { from: null, to: null }],
  ])('%j → %j', (query, expected) => {
    expect(parseQueueFilters(query as Record<string, unknown>)).toMatchObject(expected);
  });
});

describe('queueFilterProblems (the API’s strict reading)', () => {
  const known = {
    isSegment: (c: string) => c === 'catering',
    isDepartment: (c: string) => ['38', '2A'].includes(c),
    isNetwork: (c: string) => c === 'aura-ee',
  };
  it.each([
    ['no parameter', {}, []],
    [
      'every parameter understood',
      { tab: 'pool', status: 'answered', kind: 'social_clause', segment: 'catering', department: '2A', late: '1', page: '12' },
      [],
    ],
    ['late off, spaces trimmed', { late: '0', status: ' assigned ' }, []],
    ['a status typo', { status: 'asigned' }, ['status']],
    ['an unknown tab and kind', { tab: 'all', kind: 'green' }, ['tab', 'kind']],
    ['a segment or département the reference data lacks', { segment: 'food', department: '20' }, ['segment', 'department']],
    ['late as a word', { late: 'non' }, ['late']],
    ['escalated only', { escalated: '1' }, []],
    ['escalated off', { escalated: '0' }, []],
    ['escalated as a word', { escalated: 'oui' }, ['escalated']],
    ['escalated twice', { escalated: ['1', '1'] }, ['escalated']],
    ['page 0', { page: '0' }, ['page']],
    ['a negative page', { page: '-2' }, ['page']],
    ['a page beyond five digits', { page: '100000' }, ['page']],
    ['a repeated parameter', { status: ['assigned', 'answered'] }, ['status']],
    ['an unknown parameter', { order: 'due' }, ['order']],
    ['an order', { sort: 'needed_by' }, []],
    ['an unknown order', { sort: 'due' }, ['sort']],
    ['a period, French or ISO', { du: '01/12/2026', au: '2026-12-31' }, []],
    ['a day that does not exist', { du: '2026-02-30' }, ['du']],
    ['a period the wrong way round', { du: '31/12/2026', au: '2026-12-01' }, ['du']],
    ['one day', { du: '2026-12-01', au: '01/12/2026' }, []],
    ['a search', { q: 'cantine' }, []],
    ['a search over 100 characters', { q: 'x'.repeat(101) }, ['q']],
    ['a facilitator', { facilitator: '0f8fad5b-d9cb-469f-a165-70867728950e' }, []],
    ['a facilitator that is no id', { facilitator: 'alex' }, ['facilitator']],
    ['a network', { network: 'aura-ee' }, []],
    ['a network the reference data lacks', { network: 'atlantis' }, ['network']],
  ])('%s', (_label, query, fields) => {
    const problems = queueFilterProblems(query as Record<string, unknown>, known);
    expect(problems.map((p) => p.field)).toEqual(fields);
    for (const problem of problems) expect(problem.message).toMatch(/^[A-ZÀ-Ý].*\.$/u);
  });
});

describe('queuePeriodProblems (the page’s period)', () => {
  const notADay = 'Date attendue : AAAA-MM-JJ (ou JJ/MM/AAAA).';
  it.each([
    ['no period', {}, []],
    ['empty fields, as the form sends them', { du: '', au: '' }, []],
    ['one day', { du: '2026-12-01' }, []],
    ['in order, as typed in French', { du: '01/12/2026', au: '10/12/2026' }, []],
    ['the same day twice', { du: '2026-12-01', au: '2026-12-01' }, []],
    ['reversed', { du: '2026-12-10', au: '2026-12-01' }, [{ field: 'du', message: 'La date de début doit précéder la date de fin.' }]],
    ['not a day', { du: 'abc' }, [{ field: 'du', message: notADay }]],
    [
      'a day that does not exist (31 February): said, the order not weighed',
      { du: '2026-12-10', au: '31/02/2026' },
      [{ field: 'au', message: notADay }],
    ],
    ['other filters are not its business', { department: '999', sort: 'urgence' }, []],
  ])('%s', (_label, query, expected) => {
    expect(queuePeriodProblems(query)).toEqual(expected);
  });
});

describe('listedStatuses', () => {
  const open = ['submitted', 'unassigned', 'assigned', 'in_progress', 'awaiting_buyer', 'answered'];
  it.each([
    ['nothing chosen: the open ones', { status: null, search: null }, open],
    ['a status chosen', { status: 'closed', search: null }, ['closed']],
    ['a search: closed ones too', { status: null, search: 'GV-2026' }, [...open, 'closed']],
    ['a search within a status', { status: 'answered', search: 'GV-2026' }, ['answered']],
  ] as const)('%s', (_label, filters, statuses) => {
    expect([...listedStatuses(filters)].sort()).toEqual([...statuses].sort());
  });
});

describe('ordersBySubmission', () => {
  const base = { tab: 'mine', status: null, search: null, sort: 'deadline', lateOnly: false } as const;
  it.each([
    [{}, false],
    [{ sort: 'submitted' }, true],
    [{ sort: 'submitted', lateOnly: true }, false],
    [{ status: 'closed' }, true],
    [{ status: 'answered' }, true],
    [{ status: 'awaiting_buyer', lateOnly: true }, true],
    [{ status: 'closed', sort: 'needed_by' }, false],
    [{ status: 'assigned' }, false],
    [{ status: 'in_progress', sort: 'submitted' }, true],
    [{ search: 'cantine' }, false],
    [{ tab: 'pool' }, true],
    [{ tab: 'pool', sort: 'needed_by' }, false],
  ] as const)('%j → %s', (filters, expected) => {
    expect(ordersBySubmission({ ...base, ...filters })).toBe(expected);
  });
});

describe('searchedReference', () => {
  it.each([
    ['GV-2026-000123', 'GV-2026-000123'],
    ['gv-2026-000123', 'GV-2026-000123'],
    ['GV-2026-1234567', 'GV-2026-1234567'],
    ['GV-2026-00012', null],
    ['000123', null],
    ['GV-2026-000123 cantine', null],
    ['XGV-2026-000123', null],
  ])('%s → %s', (search, reference) => {
    expect(searchedReference(search)).toBe(reference);
  });
});

describe('isLate', () => {
  const deadline = { kind: 'take_charge' as const, dueAt: at('2025-03-05T08:00:00Z') };
  it.each([
    ['2025-03-05T07:59:59Z', false],
    ['2025-03-05T08:00:00Z', false],
    ['2025-03-05T08:00:01Z', true],
  ])('late at %s: %s', (now, late) => {
    expect(isLate(deadline, at(now))).toBe(late);
  });

  it('no deadline is never late', () => {
    expect(isLate(null, at('2100-01-01T00:00:00Z'))).toBe(false);
  });
});

describe('neededSooner', () => {
  const answerBy = (iso: string) => ({ kind: 'answer' as const, dueAt: at(iso) });
  it.each<[string, string | null, ReturnType<typeof answerBy> | null, string, boolean]>([
    ['needed the day before the deadline', '2026-12-08', answerBy('2026-12-09T13:00:00Z'), '38', true],
    ['needed the deadline’s own day', '2026-12-09', answerBy('2026-12-09T13:00:00Z'), '38', false],
    ['needed after it', '2026-12-20', answerBy('2026-12-09T13:00:00Z'), '38', false],
    // 9 December 00:00 in Paris is the end of the 8th: needed on the 8th is in time.
    ['a deadline at midnight ends the day before', '2026-12-08', answerBy('2026-12-08T23:00:00Z'), '38', false],
    ['the 7th is before it', '2026-12-07', answerBy('2026-12-08T23:00:00Z'), '38', true],
    // 9 December 01:00 UTC is still the 8th at 21:00 in Guadeloupe.
    ['in the département’s own day', '2026-12-08', answerBy('2026-12-09T01:00:00Z'), '971', false],
    ['no date given', null, answerBy('2026-12-09T13:00:00Z'), '38', false],
    ['no deadline running', '2026-12-08', null, '38', false],
  ])('%s: %s', (_label, neededBy, deadline, code, expected) => {
    expect(neededSooner(neededBy, deadline, code)).toBe(expected);
  });
});

describe('tabsApply', () => {
  it.each([
    [false, true],
    [true, false],
  ])('escalated %s → the tabs apply: %s', (escalatedOnly, expected) => {
    expect(tabsApply({ escalatedOnly })).toBe(expected);
  });
});

describe('queueCounts (each count, what its link or choice lists with the same filters)', () => {
  const rows: QueueCountRow[] = [
    { tab: 'mine', status: 'assigned', n: 2 },
    { tab: 'mine', status: 'in_progress', n: 3 },
    { tab: 'mine', status: 'closed', n: 7 },
    { tab: 'mine', status: 'unassigned', n: 1 },
    { tab: 'pool', status: 'unassigned', n: 4 },
  ];
  it.each([
    [
      'mine, nothing searched: tabs count open ones; statuses, the tab’s',
      { tab: 'mine', search: null, escalatedOnly: false },
      { mine: 6, pool: 4, byStatus: { assigned: 2, in_progress: 3, closed: 7, unassigned: 1 } },
    ],
    ['the pool', { tab: 'pool', search: null, escalatedOnly: false }, { mine: 6, pool: 4, byStatus: { unassigned: 4 } }],
    [
      'a search lists the closed too: the tab counts them',
      { tab: 'mine', search: 'agec', escalatedOnly: false },
      { mine: 13, pool: 4, byStatus: { assigned: 2, in_progress: 3, closed: 7, unassigned: 1 } },
    ],
    [
      'escalated: one list of both tabs, its statuses summed across them',
      { tab: 'mine', search: null, escalatedOnly: true },
      { mine: 6, pool: 4, byStatus: { assigned: 2, in_progress: 3, closed: 7, unassigned: 5 } },
    ],
  ] as const)('%s', (_case, filters, expected) => {
    expect(queueCounts(rows, filters)).toEqual(expected);
  });
  it('counts nothing when nothing matches', () => {
    expect(queueCounts([], { tab: 'mine', search: null, escalatedOnly: false })).toEqual({ mine: 0, pool: 0, byStatus: {} });
  });
});

describe('missedTakeCharge', () => {
  it.each([
    ['assigned', 1, true],
    ['assigned', 3, true],
    ['unassigned', 2, true],
    ['submitted', 1, true],
    ['assigned', 0, false],
    ['in_progress', 2, false],
    ['awaiting_buyer', 1, false],
    ['closed', 2, false],
  ] as const)('%s after %i misses → %s', (status, deadlineMisses, expected) => {
    expect(missedTakeCharge({ status, deadlineMisses })).toBe(expected);
  });
});

describe('queueOrder', () => {
  it.each([
    ['deadline', 'facilitator', 'missed_then_deadline'],
    ['deadline', 'animator', 'deadline'],
    ['deadline', 'admin', 'deadline'],
    ['needed_by', 'facilitator', 'needed_by'],
    ['submitted', 'facilitator', 'submitted'],
    ['submitted', 'animator', 'submitted'],
  ] as const)('%s for a %s → %s', (sort, role, expected) => {
    expect(queueOrder(sort, role)).toBe(expected);
  });
});
