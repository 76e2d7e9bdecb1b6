import { CLOSE_REASONS } from '../requests/request.types';
import {
  addMonths,
  awaitsAnswer,
  isClosed,
  isOpen,
  isWithdrawn,
  NewAddressStep,
  newAddressStep,
  nextStep,
  sendingDueAt,
  sentSchedule,
  stepAlongside,
  SurveyDelays,
  SurveyState,
  SurveyStep,
  surveyedWaves,
} from './survey.policy';

const DELAYS: SurveyDelays = { satisfactionDelayDays: 3, impactDelayMonths: 6, reminderDays: 14, expiryDays: 60 };
const NOW = new Date('2026-03-10T09:00:00Z');
const BEFORE = new Date(NOW.getTime() - 1);
const AFTER = new Date(NOW.getTime() + 1);

describe('survey policy', () => {
  it.each(CLOSE_REASONS.map((reason) => [reason, reason === 'answered' ? ['satisfaction', 'impact'] : []]))(
    'a request closed as %s gets the waves %j',
    (reason, waves) => {
      expect(surveyedWaves(reason)).toEqual(waves);
    },
  );

  // Instants with their local offset, so the table reads as the département's wall clock.
  it.each([
    ['in office hours: 3 days later', 'satisfaction', '2026-01-31T11:00:00+01:00', '75', '2026-02-03T11:00:00+01:00'],
    ['closed at night: the morning', 'satisfaction', '2026-12-06T02:11:00+01:00', '75', '2026-12-09T09:00:00+01:00'],
    ['due Monday 18:30: Tuesday morning', 'satisfaction', '2026-12-04T18:30:00+01:00', '75', '2026-12-08T09:00:00+01:00'],
    ['on 25 December: after it and the weekend', 'satisfaction', '2026-12-22T15:00:00+01:00', '75', '2026-12-28T09:00:00+01:00'],
    ['26 December is worked in Paris', 'satisfaction', '2025-12-23T10:00:00+01:00', '75', '2025-12-26T10:00:00+01:00'],
    ['26 December is off in Alsace', 'satisfaction', '2025-12-23T10:00:00+01:00', '67', '2025-12-29T09:00:00+01:00'],
    ['La Réunion’s 20 December', 'satisfaction', '2027-12-17T10:00:00+04:00', '974', '2027-12-21T09:00:00+04:00'],
    ['in office hours: 6 months later', 'impact', '2026-01-15T11:00:00+01:00', '75', '2026-07-15T12:00:00+02:00'],
    ['closed at night: the morning, summer time', 'impact', '2026-12-08T02:11:00+01:00', '75', '2027-06-08T09:00:00+02:00'],
    ['clamped to Saturday 28 February: Monday', 'impact', '2025-08-31T12:00:00+02:00', '75', '2026-03-02T09:00:00+01:00'],
    ['clamped to 29 February', 'impact', '2027-08-31T12:00:00+02:00', '75', '2028-02-29T11:00:00+01:00'],
  ] as const)('%s: %s after a closure on %s in %s is due on %s', (_label, wave, closedAt, code, due) => {
    expect(sendingDueAt(wave, new Date(closedAt), DELAYS, code).toISOString()).toBe(new Date(due).toISOString());
  });

  it('adds months across a year', () => {
    expect(addMonths(new Date('2026-10-05T00:00:00Z'), 6)).toEqual(new Date('2027-04-05T00:00:00Z'));
  });

  const state = (
    status: SurveyState['status'],
    dueAt: Date,
    expiresAt: Date | null = null,
    buyerMayBeAsked = true,
    optedOut = false,
  ): SurveyState => ({
    status,
    dueAt,
    expiresAt,
    buyerMayBeAsked,
    optedOut,
  });
  const far = new Date(NOW.getTime() + 40 * 86_400_000);
  const cases: Array<[string, SurveyState, SurveyStep]> = [
    ['scheduled and due', state('scheduled', NOW), 'send'],
    ['scheduled, not yet due', state('scheduled', AFTER), 'nothing'],
    ['scheduled, request reopened', state('scheduled', BEFORE, null, false), 'cancel'],
    ['scheduled, not due, request reopened', state('scheduled', AFTER, null, false), 'cancel'],
    ['sent, reminder due', state('sent', BEFORE, far), 'remind'],
    ['sent, reminder due, request reopened', state('sent', BEFORE, far, false), 'cancel'],
    ['reminded, not yet expired, request reopened', state('reminded', AFTER, AFTER, false), 'cancel'],
    ['completed, request reopened', state('completed', BEFORE, far, false), 'nothing'],
    ['sent, reminder not yet due', state('sent', AFTER, far), 'nothing'],
    ['sent, reminder and expiry both past', state('sent', BEFORE, BEFORE), 'expire'],
    ['reminded, expiry due', state('reminded', NOW, NOW), 'expire'],
    ['reminded, expiry not yet due', state('reminded', AFTER, AFTER), 'nothing'],
    ['completed', state('completed', BEFORE, far), 'nothing'],
    ['expired', state('expired', BEFORE, BEFORE), 'nothing'],
    ['cancelled', state('cancelled', BEFORE, null, false), 'nothing'],
    ['cancelled, request closed again', state('cancelled', BEFORE), 'nothing'],
    ['declined by the buyer, reminder past', state('declined', BEFORE, far), 'nothing'],
    ['declined by the buyer, request reopened', state('declined', BEFORE, far, false), 'nothing'],
    // The address opted out of every survey after this one was queued: it never leaves, nor is reminded.
    ['scheduled and due, address opted out', state('scheduled', NOW, null, true, true), 'decline'],
    ['scheduled, not yet due, address opted out', state('scheduled', AFTER, null, true, true), 'decline'],
    ['scheduled, request reopened, address opted out', state('scheduled', BEFORE, null, false, true), 'decline'],
    ['sent, reminder due, address opted out', state('sent', BEFORE, far, true, true), 'decline'],
    ['reminded, expiry due, address opted out', state('reminded', NOW, NOW, true, true), 'decline'],
    ['completed, address opted out', state('completed', BEFORE, far, true, true), 'nothing'],
    ['expired, address opted out', state('expired', BEFORE, BEFORE, true, true), 'nothing'],
    ['cancelled, address opted out', state('cancelled', BEFORE, null, true, true), 'nothing'],
    ['declined, address opted out', state('declined', BEFORE, far, true, true), 'nothing'],
  ];
  it.each(cases)('%s → %s', (_label, survey, step) => {
    expect(nextStep(survey, NOW)).toBe(step);
  });

  it.each([
    // The 60th day a Saturday: open until the end of Monday.
    ['in office hours', NOW.toISOString(), '75', '2026-05-12T00:00:00+02:00', '2026-03-24T09:00:00Z'],
    [
      'reminder on 8 May at 17:30: Monday morning',
      '2026-04-24T17:30:00+02:00',
      '75',
      '2026-06-24T00:00:00+02:00',
      '2026-05-11T09:00:00+02:00',
    ],
    ['17:30 in La Réunion: its next morning', '2026-12-08T17:30:00+04:00', '974', '2027-02-09T00:00:00+04:00', '2026-12-23T09:00:00+04:00'],
    ['the same instant, 14:30 in Paris', '2026-12-08T17:30:00+04:00', '75', '2027-02-09T00:00:00+01:00', '2026-12-22T17:30:00+04:00'],
    // The 60th day, 14 July, is a public holiday: open until the end of the 15th.
    ['on 15 May', '2026-05-15T10:00:00+02:00', '75', '2026-07-16T00:00:00+02:00', '2026-05-29T10:00:00+02:00'],
  ])(
    'a survey sent %s (%s in %s) stays open to the end of its 60th day, or of the next working day (%s), its reminder in office hours (%s)',
    (_label, sentAt, code, expiresAt, reminderAt) => {
      expect(sentSchedule(new Date(sentAt), DELAYS, code)).toEqual({ expiresAt: new Date(expiresAt), reminderAt: new Date(reminderAt) });
    },
  );

  it.each([
    ['sent', AFTER, true],
    ['reminded', AFTER, true],
    ['completed', AFTER, true],
    ['completed', NOW, false],
    ['sent', NOW, false],
    ['expired', AFTER, false],
    ['scheduled', null, false],
    ['cancelled', null, false],
    // Declined after it was sent: the buyer may still answer until expiry; declined before, it has no link.
    ['declined', AFTER, true],
    ['declined', NOW, false],
    ['declined', null, false],
  ] as const)('a %s survey expiring at %s is open: %s', (status, expiresAt, open) => {
    expect(isOpen({ status, expiresAt }, NOW)).toBe(open);
  });

  it.each([
    ['sent', NOW, true],
    ['expired', BEFORE, true],
    ['completed', BEFORE, true],
    ['reminded', BEFORE, true],
    ['sent', AFTER, false],
    ['scheduled', null, false],
    ['cancelled', BEFORE, false],
  ] as const)('a %s survey expiring at %s is closed (its link says so): %s', (status, expiresAt, closed) => {
    expect(isClosed({ status, expiresAt }, NOW)).toBe(closed);
  });

  it.each([
    ['sent', AFTER, true],
    ['reminded', AFTER, true],
    ['sent', NOW, false],
    ['reminded', NOW, false],
    ['completed', AFTER, false],
    ['declined', AFTER, false],
    ['expired', BEFORE, false],
    ['scheduled', null, false],
    ['cancelled', AFTER, false],
  ] as const)('a %s survey expiring at %s awaits its answer (a new address is asked): %s', (status, expiresAt, awaits) => {
    expect(awaitsAnswer({ status, expiresAt }, NOW)).toBe(awaits);
  });
});

describe('stepAlongside: a survey going in the same e-mail as another of its address', () => {
  // 09:00 in Paris (10:00 local time): a Tuesday.
  const at = (iso: string) => new Date(iso);
  const state = (over: Partial<SurveyState>): SurveyState => ({
    status: 'scheduled',
    dueAt: NOW,
    expiresAt: null,
    buyerMayBeAsked: true,
    optedOut: false,
    ...over,
  });
  it.each<[string, Partial<SurveyState>, string, SurveyStep]>([
    ['due now: sent', { dueAt: BEFORE }, '75', 'send'],
    ['due this afternoon: sent along', { dueAt: at('2026-03-10T15:30:00Z') }, '75', 'send'],
    ['due tomorrow: waits for its day', { dueAt: at('2026-03-11T08:00:00Z') }, '75', 'nothing'],
    ['due at 23:30 in Paris, still today there', { dueAt: at('2026-03-10T22:30:00Z') }, '75', 'send'],
    ['the same instant is tomorrow on La Réunion', { dueAt: at('2026-03-10T22:30:00Z') }, '974', 'nothing'],
    [
      'its reminder due this afternoon: reminded along',
      { status: 'sent', dueAt: at('2026-03-10T15:00:00Z'), expiresAt: at('2026-05-10T00:00:00Z') },
      '75',
      'remind',
    ],
    ['its request reopened: cancelled, not sent', { dueAt: at('2026-03-10T15:00:00Z'), buyerMayBeAsked: false }, '75', 'cancel'],
  ])('%s', (_label, over, department, step) => {
    expect(stepAlongside(state(over), department, NOW)).toBe(step);
  });

  // Pulled forward only while its own département's office is open now: never sent at night along with another.
  it.each<[string, string, string, string, SurveyStep]>([
    ['a sweep back at 02:00 in Paris, due at 09:00: waits', '2026-03-10T01:00:00Z', '2026-03-10T08:00:00Z', '75', 'nothing'],
    ['09:00 on La Réunion is 06:00 in Paris: the Paris one waits', '2026-03-10T05:00:00Z', '2026-03-10T08:00:00Z', '75', 'nothing'],
    ['09:00 on La Réunion, another Réunion one due at 11:00: along', '2026-03-10T05:00:00Z', '2026-03-10T07:00:00Z', '974', 'send'],
    ['16:59 in Paris, due at 17:30: along', '2026-03-10T15:59:00Z', '2026-03-10T16:30:00Z', '75', 'send'],
    ['17:00 in Paris, office closed: waits', '2026-03-10T16:00:00Z', '2026-03-10T16:30:00Z', '75', 'nothing'],
    ['overdue at night: its own due step, as its timer would take', '2026-03-10T01:00:00Z', '2026-03-09T16:00:00Z', '75', 'send'],
  ])('%s', (_label, now, dueAt, department, step) => {
    expect(stepAlongside(state({ dueAt: at(dueAt) }), department, at(now))).toBe(step);
  });
});

describe('isWithdrawn: a link sent before a reopening', () => {
  const sentAt = new Date('2026-03-01T09:00:00Z');
  it.each([
    ['cancelled after being sent', 'cancelled', sentAt, true],
    ['scheduled again after being sent', 'scheduled', sentAt, true],
    ['cancelled before it was ever sent (no link exists)', 'cancelled', null, false],
    ['scheduled, never sent', 'scheduled', null, false],
    ['sent', 'sent', sentAt, false],
    ['completed', 'completed', sentAt, false],
    ['expired', 'expired', sentAt, false],
    ['declined by the buyer', 'declined', sentAt, false],
  ] as const)('%s', (_label, status, sent, expected) => {
    expect(isWithdrawn({ status, sentAt: sent })).toBe(expected);
  });
});

describe('newAddressStep: a survey when the buyer’s address is corrected', () => {
  const sentAt = new Date('2026-03-01T09:00:00Z');
  const closedAt = new Date('2026-02-20T09:00:00Z');
  const open = new Date(NOW.getTime() + 86_400_000);
  type Row = [string, Parameters<typeof newAddressStep>[0], Parameters<typeof newAddressStep>[1], NewAddressStep];
  const survey = (
    status: SurveyState['status'],
    declinedVia: 'link' | 'staff' | 'opt_out' | null,
    sent: Date | null,
    expiresAt: Date | null,
    { buyerMayBeAsked = true, optedOut = false } = {},
  ) => ({ status, declinedVia, sentAt: sent, expiresAt, buyerMayBeAsked, optedOut });
  // Staff ticked « the old address was not the buyer’s »; or not (the buyer changed mailbox).
  const typo = { previousAddressWasWrong: true, closedAt };
  const moved = { previousAddressWasWrong: false, closedAt };
  // Closed again after the link was sent: a reopening withdrew it, the old mailbox refused from the withdrawn link.
  const closedSince = { previousAddressWasWrong: true, closedAt: new Date(sentAt.getTime() + 86_400_000) };
  it.each<Row>([
    ['asked, its link open', survey('sent', null, sentAt, open), moved, 'send'],
    ['reminded, its link open', survey('reminded', null, sentAt, open), moved, 'send'],
    ['asked, the new address opted out', survey('sent', null, sentAt, open, { optedOut: true }), moved, 'decline'],
    ['asked, past its date', survey('sent', null, sentAt, BEFORE), typo, 'relink'],
    ['not sent yet', survey('scheduled', null, null, null), typo, 'relink'],
    ['answered', survey('completed', null, sentAt, open), typo, 'relink'],
    ['expired', survey('expired', null, sentAt, BEFORE), typo, 'relink'],
    ['cancelled by a reopening', survey('cancelled', null, sentAt, open, { buyerMayBeAsked: false }), typo, 'relink'],
    // The old mailbox's holder, a stranger, refused: the buyer never did.
    ['refused from its link while open, a typo', survey('declined', 'link', sentAt, open), typo, 'send'],
    ['refused from another wave’s link, never sent, a typo', survey('declined', 'link', null, null), typo, 'schedule'],
    [
      'refused from its link, the request reopened since',
      survey('declined', 'link', sentAt, open, { buyerMayBeAsked: false }),
      typo,
      'cancel',
    ],
    ['refused, never sent, the request reopened since', survey('declined', 'link', null, null, { buyerMayBeAsked: false }), typo, 'cancel'],
    ['refused from its link, past its date', survey('declined', 'link', sentAt, BEFORE), typo, 'relink'],
    [
      'refused from a withdrawn link, closed again since, past its date',
      survey('declined', 'link', sentAt, BEFORE),
      closedSince,
      'schedule',
    ],
    [
      'refused from a withdrawn link, closed again since, its date to come',
      survey('declined', 'link', sentAt, open),
      closedSince,
      'schedule',
    ],
    ['refused from its link, the new address opted out', survey('declined', 'link', sentAt, open, { optedOut: true }), typo, 'decline'],
    ['refused, never sent, the new address opted out', survey('declined', 'link', null, null, { optedOut: true }), typo, 'decline'],
    // The buyer changed mailbox: what they refused from the old one is still their word, which no later correction undoes.
    ['refused from its link while open, the buyer’s own old address', survey('declined', 'link', sentAt, open), moved, 'confirm'],
    ['refused, never sent, the buyer’s own old address', survey('declined', 'link', null, null), moved, 'confirm'],
    [
      'refused from a withdrawn link, closed again since, the buyer’s own',
      survey('declined', 'link', sentAt, BEFORE),
      { ...closedSince, previousAddressWasWrong: false },
      'confirm',
    ],
    [
      'refused from its link, the buyer’s own, the new address opted out',
      survey('declined', 'link', sentAt, open, { optedOut: true }),
      moved,
      'confirm',
    ],
    // Refused from A, corrected A→B unticked (confirmed above), then B→B′ or B→A ticked: B's typo undoes nothing said from A.
    ['refused from A, confirmed by A→B, then corrected from B as a typo', survey('declined', 'staff', sentAt, open), typo, 'relink'],
    // The buyer's own objection, or their address's: it stays.
    ['declined by staff', survey('declined', 'staff', sentAt, open), typo, 'relink'],
    ['declined by an opt-out', survey('declined', 'opt_out', sentAt, open), typo, 'relink'],
    ['declined, how unknown', survey('declined', null, sentAt, open), typo, 'relink'],
  ])('%s', (_label, state, correction, step) => {
    expect(newAddressStep(state, correction, NOW)).toBe(step);
  });
});
