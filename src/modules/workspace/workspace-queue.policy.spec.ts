import { isLate, parseQueueFilters } from './workspace-queue.policy';

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
  ])('%j → %j', (query, expected) => {
    expect(parseQueueFilters(query as Record<string, unknown>)).toMatchObject(expected);
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
