import { CLOSE_REASONS } from '../requests/request.types';
import {
  addMonths,
  isClosed,
  isOpen,
  isWithdrawn,
  nextStep,
  sendingDueAt,
  sentSchedule,
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

  it.each([
    ['satisfaction', '2026-01-31T10:00:00Z', '2026-02-03T10:00:00Z'],
    ['impact', '2026-01-15T10:00:00Z', '2026-07-15T10:00:00Z'],
    ['impact', '2025-08-31T10:00:00Z', '2026-02-28T10:00:00Z'],
    ['impact', '2027-08-31T10:00:00Z', '2028-02-29T10:00:00Z'],
  ] as const)('%s after a closure on %s is due on %s', (wave, closedAt, due) => {
    expect(sendingDueAt(wave, new Date(closedAt), DELAYS)).toEqual(new Date(due));
  });

  it('adds months across a year', () => {
    expect(addMonths(new Date('2026-10-05T00:00:00Z'), 6)).toEqual(new Date('2027-04-05T00:00:00Z'));
  });

  const state = (status: SurveyState['status'], dueAt: Date, expiresAt: Date | null = null, buyerMayBeAsked = true): SurveyState => ({
    status,
    dueAt,
    expiresAt,
    buyerMayBeAsked,
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
  ];
  it.each(cases)('%s → %s', (_label, survey, step) => {
    expect(nextStep(survey, NOW)).toBe(step);
  });

  it('a sent survey expires after the expiry delay and is reminded before', () => {
    expect(sentSchedule(NOW, DELAYS)).toEqual({
      expiresAt: new Date('2026-05-09T09:00:00Z'),
      reminderAt: new Date('2026-03-24T09:00:00Z'),
    });
  });

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
