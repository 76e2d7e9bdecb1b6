import { dailyDigestGoesAt, lostDigestGoesAt, networkDigestAt, networkDigestGoesAt, networkDigestMails } from './network-digest.policy';

const PERIOD_MS = 15 * 60_000;

// December 2026: Tuesday the 1st; Paris is UTC+1 (office hours 08:00Z–16:00Z), La Réunion UTC+4 (05:00Z–13:00Z).
describe('networkDigestAt', () => {
  it.each<[string, string, string, string]>([
    ['a Tuesday at 10:00 Paris: at the end of the period', '2026-12-01T09:00:00Z', '75', '2026-12-01T09:15:00.000Z'],
    ['a Tuesday at 10:07 Paris: at the end of the same period', '2026-12-01T09:07:00Z', '75', '2026-12-01T09:15:00.000Z'],
    ['a Friday at 16:44 Paris: the period ends in office hours', '2026-12-04T15:44:00Z', '75', '2026-12-04T15:45:00.000Z'],
    [
      'a Friday at 16:50 Paris: the period ends at 17:00, closed, so Monday 09:00',
      '2026-12-04T15:50:00Z',
      '75',
      '2026-12-07T08:00:00.000Z',
    ],
    ['a Saturday at 03:00 Paris: Monday 09:00', '2026-12-05T02:00:00Z', '75', '2026-12-07T08:00:00.000Z'],
    ['a Sunday at 23:50 Paris: Monday 09:00 too, the same job', '2026-12-06T22:50:00Z', '75', '2026-12-07T08:00:00.000Z'],
    ['a Monday at 08:40 Paris: the opening', '2026-12-07T07:40:00Z', '75', '2026-12-07T08:00:00.000Z'],
    ['a Monday at 08:50 Paris: the period ends at the opening', '2026-12-07T07:50:00Z', '75', '2026-12-07T08:00:00.000Z'],
    ['Christmas Eve at 18:00 Paris: past Christmas and the weekend', '2026-12-24T17:00:00Z', '75', '2026-12-28T08:00:00.000Z'],
    ['the Saturday before Easter Monday: Tuesday 09:00, summer time', '2027-03-27T02:00:00Z', '75', '2027-03-30T07:00:00.000Z'],
    ['a Saturday at 03:00 in La Réunion: Monday 09:00 there', '2026-12-04T23:00:00Z', '974', '2026-12-07T05:00:00.000Z'],
    ['07:00 in Paris is 10:00 in La Réunion: its network’s digest goes', '2026-12-01T06:00:00Z', '974', '2026-12-01T06:15:00.000Z'],
    ['07:00 in Paris: Paris’s networks wait for 09:00', '2026-12-01T06:00:00Z', '75', '2026-12-01T08:00:00.000Z'],
    ['the weekend before 20 December, La Réunion’s own holiday: Tuesday there', '2027-12-17T23:00:00Z', '974', '2027-12-21T05:00:00.000Z'],
    ['the same weekend in Paris: Monday 20 December is worked', '2027-12-17T23:00:00Z', '75', '2027-12-20T08:00:00.000Z'],
  ])('%s', (_, now, departmentCode, expected) => {
    expect(networkDigestAt(new Date(now), PERIOD_MS, departmentCode).toISOString()).toBe(expected);
  });
});

describe('networkDigestGoesAt', () => {
  it.each<[string, string, string, boolean]>([
    ['a Tuesday at 10:00 Paris', '2026-12-01T09:00:00Z', '75', true],
    ['a Tuesday at 09:00 Paris, the opening', '2026-12-01T08:00:00Z', '75', true],
    ['a Tuesday at 08:59 Paris', '2026-12-01T07:59:00Z', '75', false],
    ['a Tuesday at 16:59 Paris', '2026-12-01T15:59:00Z', '75', true],
    ['a Tuesday at 17:00 Paris, closed', '2026-12-01T16:00:00Z', '75', false],
    ['a Saturday at 03:00 Paris', '2026-12-05T02:00:00Z', '75', false],
    ['a Saturday at 10:00 Paris', '2026-12-05T09:00:00Z', '75', false],
    ['Christmas at 10:00 Paris', '2026-12-25T09:00:00Z', '75', false],
    ['a Tuesday at 10:00 in La Réunion (07:00 Paris)', '2026-12-01T06:00:00Z', '974', true],
    ['a Tuesday at 16:30 Paris is 19:30 in La Réunion', '2026-12-01T15:30:00Z', '974', false],
  ])('%s', (_, now, departmentCode, expected) => {
    expect(networkDigestGoesAt(new Date(now), departmentCode)).toBe(expected);
  });
});

describe('networkDigestGoesAt, for a job planned at a time', () => {
  it.each<[string, string, string, string, boolean]>([
    ['planned at the opening, run 10 s before (the hosts’ clocks differ)', '2026-12-01T07:59:50Z', '2026-12-01T08:00:00Z', '75', true],
    ['planned at the opening, run a minute before', '2026-12-01T07:59:00Z', '2026-12-01T08:00:00Z', '75', true],
    ['planned at the opening, run two minutes before: the sweep sends it', '2026-12-01T07:58:00Z', '2026-12-01T08:00:00Z', '75', false],
    ['planned at the opening, run on time', '2026-12-01T08:00:00Z', '2026-12-01T08:00:00Z', '75', true],
    ['planned at the opening, run after the close (workers down all day)', '2026-12-01T16:30:00Z', '2026-12-01T08:00:00Z', '75', false],
    ['planned Monday 09:00, run on Saturday', '2026-12-05T09:00:00Z', '2026-12-07T08:00:00Z', '75', false],
    ['planned at the opening in La Réunion, run 10 s before', '2026-12-01T04:59:50Z', '2026-12-01T05:00:00Z', '974', true],
  ])('%s', (_, now, at, departmentCode, expected) => {
    expect(networkDigestGoesAt(new Date(now), departmentCode, new Date(at))).toBe(expected);
  });
});

describe('lostDigestGoesAt', () => {
  const HOURS = 3600_000;
  it.each<[string, string, number, string, boolean]>([
    ['a Tuesday at 09:10 Paris: the opening’s job may still come', '2026-12-01T08:10:00Z', PERIOD_MS, '75', false],
    ['a Tuesday at 09:15:30 Paris: a period past the opening, not a minute more', '2026-12-01T08:15:30Z', PERIOD_MS, '75', false],
    ['a Tuesday at 09:16 Paris: a period and a minute past the opening', '2026-12-01T08:16:00Z', PERIOD_MS, '75', true],
    ['a Tuesday at 16:59 Paris', '2026-12-01T15:59:00Z', PERIOD_MS, '75', true],
    ['a Tuesday at 17:00 Paris, closed', '2026-12-01T16:00:00Z', PERIOD_MS, '75', false],
    ['a Saturday at 10:00 Paris', '2026-12-05T09:00:00Z', PERIOD_MS, '75', false],
    ['a Monday at 09:16 Paris, after the weekend', '2026-12-07T08:16:00Z', PERIOD_MS, '75', true],
    ['4 hours: a Tuesday at 13:00 Paris', '2026-12-01T12:00:00Z', 4 * HOURS, '75', false],
    ['4 hours: a Tuesday at 13:01 Paris', '2026-12-01T12:01:00Z', 4 * HOURS, '75', true],
    ['4 hours: a Tuesday at 16:59 Paris', '2026-12-01T15:59:00Z', 4 * HOURS, '75', true],
    ['8 hours (past the bound of the setting): never in a day', '2026-12-01T15:59:00Z', 8 * HOURS, '75', false],
    ['16 hours (past the bound): not at the next opening either', '2026-12-02T08:01:00Z', 16 * HOURS, '75', false],
    ['a Tuesday at 09:16 in La Réunion (06:16 Paris)', '2026-12-01T05:16:00Z', PERIOD_MS, '974', true],
    ['the same instant in Paris, closed', '2026-12-01T05:16:00Z', PERIOD_MS, '75', false],
  ])('%s', (_, now, periodMs, departmentCode, expected) => {
    expect(lostDigestGoesAt(new Date(now), periodMs, departmentCode)).toBe(expected);
  });
});

describe('dailyDigestGoesAt, run at 08:00', () => {
  it.each<[string, string, string, boolean]>([
    ['a Tuesday at 08:00 Paris: the day’s run, before the opening', '2026-12-01T07:00:00Z', '75', true],
    ['a Tuesday at 08:40 Paris: the day’s run, late', '2026-12-01T07:40:00Z', '75', true],
    ['a Tuesday at 07:59 Paris: Monday’s run missed, the office closed', '2026-12-01T06:59:00Z', '75', false],
    ['a Tuesday at 09:00 Paris: a missed run, at the opening', '2026-12-01T08:00:00Z', '75', true],
    ['a Tuesday at 15:00 Paris: a missed run, in office hours', '2026-12-01T14:00:00Z', '75', true],
    ['a Tuesday at 17:00 Paris: a missed run waits, closed', '2026-12-01T16:00:00Z', '75', false],
    ['a Tuesday at 22:00 Paris: a missed run waits for the morning', '2026-12-01T21:00:00Z', '75', false],
    ['a Saturday at 08:00 Paris: no run on a weekend', '2026-12-05T07:00:00Z', '75', false],
    ['a Saturday at 10:00 Paris: Friday’s missed run waits for Monday', '2026-12-05T09:00:00Z', '75', false],
    ['a Monday at 08:00 Paris: the day’s run', '2026-12-07T07:00:00Z', '75', true],
    ['Christmas at 08:00 Paris: no run on a holiday', '2026-12-25T07:00:00Z', '75', false],
    ['08:00 in La Réunion (05:00 Paris): its network’s run', '2026-12-01T04:00:00Z', '974', true],
    ['05:00 in Paris: Paris’s networks wait', '2026-12-01T04:00:00Z', '75', false],
    ['20:00 in La Réunion (17:00 Paris): a missed run waits there', '2026-12-01T16:00:00Z', '974', false],
  ])('%s', (_, now, departmentCode, expected) => {
    expect(dailyDigestGoesAt(new Date(now), 8, departmentCode)).toBe(expected);
  });
});

describe('networkDigestMails', () => {
  const digest = ({ networkName }: { networkName: string }) => ({
    requestId: null,
    template: 'network-pool-alert',
    subject: `Réserve de ${networkName}`,
    context: { announced: 2 },
  });

  it.each<[string, Parameters<typeof networkDigestMails>[0], Array<[string, boolean]>]>([
    ['no such network', null, []],
    ['neither animator nor contact address', { networkName: 'Réseau A', emails: [], toContact: true, ofSeveral: [] }, []],
    [
      'its animators',
      { networkName: 'Réseau A', emails: ['a@example.org', 'b@example.org'], toContact: false, ofSeveral: [] },
      [
        ['a@example.org', false],
        ['b@example.org', false],
      ],
    ],
    [
      'its contact address',
      { networkName: 'Réseau A', emails: ['contact@example.org'], toContact: true, ofSeveral: [] },
      [['contact@example.org', true]],
    ],
  ])('%s', (_, network, expected) => {
    expect(networkDigestMails(network, digest)).toEqual(
      expected.map(([recipient, toNetworkContact]) => ({
        requestId: null,
        template: 'network-pool-alert',
        recipient,
        subject: 'Réserve de Réseau A',
        context: { announced: 2, networkName: 'Réseau A', toNetworkContact },
      })),
    );
  });

  it('asks, for each recipient, whether they hear of other networks too', () => {
    const network = { networkName: 'Réseau A', emails: ['a@example.org', 'b@example.org'], toContact: false, ofSeveral: ['b@example.org'] };
    const mails = networkDigestMails(network, ({ networkName }, ofSeveral) => ({
      ...digest(network),
      subject: ofSeveral ? networkName : 'Réserve',
    }));
    expect(mails.map((m) => [m.recipient, m.subject])).toEqual([
      ['a@example.org', 'Réserve'],
      ['b@example.org', 'Réseau A'],
    ]);
  });
});
