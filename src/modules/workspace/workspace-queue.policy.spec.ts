import { compareQueueItems, isLate, nextDeadline, parseQueueFilters, pausesFromHistory, QueueItem } from './workspace-queue.policy';

const at = (iso: string) => new Date(iso);
const base: QueueItem = {
  status: 'assigned',
  departmentCode: '75',
  createdAt: at('2025-03-03T08:00:00Z'),
  takeChargeDueAt: at('2025-03-05T08:00:00Z'),
  takenAt: null,
  pauses: [],
};

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
  ])('%j → %j', (query, expected) => {
    expect(parseQueueFilters(query as Record<string, unknown>)).toMatchObject(expected);
  });
});

describe('nextDeadline and isLate', () => {
  it.each<[string, Partial<QueueItem>, string | null, string | null]>([
    ['assigned: take-charge deadline', {}, 'take_charge', '2025-03-05T08:00:00.000Z'],
    [
      'in progress: answer deadline, 10 working days',
      { status: 'in_progress', takenAt: at('2025-03-03T08:00:00Z') },
      'answer',
      '2025-03-17T08:00:00.000Z',
    ],
    [
      'in progress after a pause of one week: pushed back by it',
      {
        status: 'in_progress',
        takenAt: at('2025-03-03T08:00:00Z'),
        pauses: [{ from: at('2025-03-04T08:00:00Z'), to: at('2025-03-11T08:00:00Z') }],
      },
      'answer',
      '2025-03-24T08:00:00.000Z',
    ],
    ['awaiting the buyer: no deadline', { status: 'awaiting_buyer', takenAt: at('2025-03-03T08:00:00Z') }, null, null],
    ['in the pool: none', { status: 'unassigned', takeChargeDueAt: null }, null, null],
    ['answered: none', { status: 'answered' }, null, null],
  ])('%s', (_label, change, kind, dueAt) => {
    const deadline = nextDeadline({ ...base, ...change }, 10);
    expect(deadline?.kind ?? null).toBe(kind);
    expect(deadline?.dueAt.toISOString() ?? null).toBe(dueAt);
  });

  it.each([
    ['2025-03-05T07:59:59Z', false],
    ['2025-03-05T08:00:00Z', false],
    ['2025-03-05T08:00:01Z', true],
  ])('late at %s: %s', (now, late) => {
    expect(isLate(nextDeadline(base, 10), at(now))).toBe(late);
  });

  it('no deadline is never late', () => {
    expect(isLate(null, at('2100-01-01T00:00:00Z'))).toBe(false);
  });
});

describe('compareQueueItems', () => {
  it('sorts by deadline, then the undated oldest first', () => {
    const item = (name: string, due: string | null, created: string) => ({
      name,
      deadline: due ? { kind: 'answer' as const, dueAt: at(due) } : null,
      createdAt: at(created),
    });
    const sorted = [
      item('undated-new', null, '2025-03-02T00:00:00Z'),
      item('later', '2025-03-10T00:00:00Z', '2025-01-01T00:00:00Z'),
      item('undated-old', null, '2025-03-01T00:00:00Z'),
      item('late', '2025-02-01T00:00:00Z', '2025-03-01T00:00:00Z'),
    ].sort(compareQueueItems);
    expect(sorted.map((s) => s.name)).toEqual(['late', 'later', 'undated-old', 'undated-new']);
  });
});

describe('pausesFromHistory', () => {
  const e = (fromStatus: string | null, toStatus: string | null, iso: string) => ({ fromStatus, toStatus, createdAt: at(iso) });
  it.each([
    ['no pause', [e(null, 'submitted', '2025-03-01T00:00:00Z'), e('assigned', 'in_progress', '2025-03-02T00:00:00Z')], []],
    [
      'a closed pause, then an open one',
      [
        e('in_progress', 'awaiting_buyer', '2025-03-03T00:00:00Z'),
        e('awaiting_buyer', 'in_progress', '2025-03-04T00:00:00Z'),
        e('in_progress', 'in_progress', '2025-03-04T10:00:00Z'),
        e('in_progress', 'awaiting_buyer', '2025-03-05T00:00:00Z'),
      ],
      [
        { from: at('2025-03-03T00:00:00Z'), to: at('2025-03-04T00:00:00Z') },
        { from: at('2025-03-05T00:00:00Z'), to: null },
      ],
    ],
    [
      'a pause ended by closing',
      [e('in_progress', 'awaiting_buyer', '2025-03-03T00:00:00Z'), e('awaiting_buyer', 'closed', '2025-03-06T00:00:00Z')],
      [{ from: at('2025-03-03T00:00:00Z'), to: at('2025-03-06T00:00:00Z') }],
    ],
  ])('%s', (_label, events, pauses) => {
    expect(pausesFromHistory(events)).toEqual(pauses);
  });
});
