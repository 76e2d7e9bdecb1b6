import { localDay } from '../../common/local-clock';
import { endOfWorkingDayOf, withinOfficeHours } from '../../common/working-days.policy';
import type { CloseReason } from '../requests/request.types';
import type { SurveyDeclineWay, SurveyStatus, SurveyWave } from './survey.types';

/** The delays of config (SURVEY_*), as the policy needs them. */
export interface SurveyDelays {
  satisfactionDelayDays: number;
  impactDelayMonths: number;
  reminderDays: number;
  expiryDays: number;
}

const DAY_MS = 86_400_000;

/**
 * Only a request closed as `answered` is surveyed: the buyer got advice to judge. A withdrawn request was given
 * none; a duplicate is surveyed through the request it duplicates; a redirected one was out of the desk's scope;
 * a `no_reply` one ended without advice (the buyer never gave the precision asked).
 */
export function surveyedWaves(closeReason: CloseReason | null): SurveyWave[] {
  return closeReason === 'answered' ? ['satisfaction', 'impact'] : [];
}

/**
 * When a wave leaves after a closure: satisfaction a few days later, impact months later (once the contract may
 * exist), within the office hours of the request's département (a closure at 02:11 is not asked about at 02:11).
 */
export function sendingDueAt(wave: SurveyWave, closedAt: Date, delays: SurveyDelays, departmentCode: string): Date {
  const due =
    wave === 'satisfaction'
      ? new Date(closedAt.getTime() + delays.satisfactionDelayDays * DAY_MS)
      : addMonths(closedAt, delays.impactDelayMonths);
  return withinOfficeHours(due, departmentCode);
}

/** Calendar months, kept on the last day of a shorter month (31 August + 6 months = 28 or 29 February). */
export function addMonths(date: Date, months: number): Date {
  const result = new Date(date.getTime());
  const day = result.getUTCDate();
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
  result.setUTCDate(Math.min(day, lastDay));
  return result;
}

/** A survey as the step decision reads it. */
export interface SurveyState {
  status: SurveyStatus;
  dueAt: Date;
  expiresAt: Date | null;
  /**
   * The buyer may be asked: the request is (still) closed as answered — a reopened one is not surveyed until it
   * closes again — and its personal data are not erased.
   */
  buyerMayBeAsked: boolean;
  /** The buyer's address wants no survey at all (their choice, or staff on their word): checked again before each e-mail. */
  optedOut: boolean;
}

export type SurveyStep = 'send' | 'remind' | 'expire' | 'cancel' | 'decline' | 'nothing';

/** Not answered yet: a reopening withdraws these until the next closure. */
export const UNANSWERED_STATUSES: readonly SurveyStatus[] = ['scheduled', 'sent', 'reminded'];

/** What a buyer's refusal ends for good: every wave not answered yet, a withdrawn one included (it would come back at the next closure). */
export const DECLINABLE_STATUSES: readonly SurveyStatus[] = [...UNANSWERED_STATUSES, 'cancelled'];

/**
 * The next step of a survey at `now`. A reminder that would come after the expiry is skipped (the sweep may have
 * been stopped longer than the reminder delay). Completed, expired, cancelled and declined surveys never move. A survey
 * not answered yet of a request no longer closed as answered, or erased, is cancelled: the buyer is not asked to judge
 * advice still being given, nor asked at all once forgotten (a reopening and an erasure cancel it at once; this
 * catches any other path). One not answered yet of an address that opted out of every survey is declined for good,
 * queued or not: no e-mail goes after the opt-out.
 */
export function nextStep(survey: SurveyState, now: Date): SurveyStep {
  // For good, before a reopening's cancel: the next closure would not schedule it again either.
  if (UNANSWERED_STATUSES.includes(survey.status) && survey.optedOut) return 'decline';
  if (UNANSWERED_STATUSES.includes(survey.status) && !survey.buyerMayBeAsked) return 'cancel';
  if (!['scheduled', 'sent', 'reminded'].includes(survey.status) || now < survey.dueAt) return 'nothing';
  if (survey.status === 'scheduled') return 'send';
  if (survey.status === 'sent' && (!survey.expiresAt || now < survey.expiresAt)) return 'remind';
  return 'expire';
}

/**
 * The step a survey takes along with another of the same address and wave that goes now (one e-mail for both): its own
 * next step, looked at from its due time when that falls later the same day in its département — a buyer whose requests
 * closed the same day hears of them in one message, not one every hour. 'nothing' when due another day, or while its
 * département's office is closed now (a sweep back at 02:00, a Réunion morning that is night in Paris): it waits for its hour.
 */
export function stepAlongside(survey: SurveyState, departmentCode: string, now: Date): SurveyStep {
  const laterToday =
    survey.dueAt > now &&
    localDay(departmentCode, survey.dueAt) === localDay(departmentCode, now) &&
    withinOfficeHours(now, departmentCode).getTime() === now.getTime();
  return nextStep(survey, laterToday ? survey.dueAt : now);
}

/**
 * The dates a sent survey starts with: its link expires, counted from the sending, at the end of that day (of the next
 * working day when it is off) in the request's département, since the buyer is told « jusqu’au » that day; its reminder
 * is due first, within the office hours of the request's département.
 */
export function sentSchedule(now: Date, delays: SurveyDelays, departmentCode: string): { expiresAt: Date; reminderAt: Date } {
  return {
    expiresAt: endOfWorkingDayOf(new Date(now.getTime() + delays.expiryDays * DAY_MS), departmentCode),
    reminderAt: withinOfficeHours(new Date(now.getTime() + delays.reminderDays * DAY_MS), departmentCode),
  };
}

/** A link sent before a reopening: its survey was cancelled, or is scheduled again for the next closure. */
export function isWithdrawn(survey: { status: SurveyStatus; sentAt: Date | null }): boolean {
  return survey.sentAt !== null && (survey.status === 'cancelled' || survey.status === 'scheduled');
}

/**
 * Statuses whose link opens the form until expiry: sent, reminded, answered (editable), and declined after it was sent —
 * a buyer who said no may still answer (a click by mistake, a change of mind).
 */
const LINKED_STATUSES: readonly SurveyStatus[] = ['sent', 'reminded', 'completed', 'declined'];

/** Sent, and past its closing date (marked expired by the sweep, or not yet): its link says it is over rather than « not found ». */
export function isClosed(survey: { status: SurveyStatus; expiresAt: Date | null }, now: Date): boolean {
  if (survey.status === 'expired') return true;
  return LINKED_STATUSES.includes(survey.status) && survey.expiresAt !== null && now >= survey.expiresAt;
}

/** The link opens the form while the survey was sent and has not expired; a completed survey stays editable until then. */
export function isOpen(survey: { status: SurveyStatus; expiresAt: Date | null }, now: Date): boolean {
  return LINKED_STATUSES.includes(survey.status) && survey.expiresAt !== null && now < survey.expiresAt;
}

/** Asked and not answered, its link still open: a new address of the buyer is asked in its turn, with a new link. */
export function awaitsAnswer(survey: { status: SurveyStatus; expiresAt: Date | null }, now: Date): boolean {
  return (survey.status === 'sent' || survey.status === 'reminded') && isOpen(survey, now);
}

/**
 * What a correction of the buyer's address does to a survey of the request, besides renewing its link: `send` it afresh
 * to the new address, `schedule` it again (its sending still to come), `cancel` it (the request is reopened, the next
 * closure schedules it), `decline` it (the new address opted out), `confirm` a refusal from its link as the buyer's own
 * or leave it as it is (`relink`).
 */
export type NewAddressStep = 'send' | 'schedule' | 'cancel' | 'decline' | 'confirm' | 'relink';

/**
 * A survey asked and not answered goes to the new address. One refused from a link is put back only when staff say the
 * old address was never the buyer's (`previousAddressWasWrong`: its holder said no, not the buyer); a buyer who changed
 * mailbox and refused from it keeps their objection, as one recorded by staff or an opt-out does — confirmed as theirs, so
 * that a later correction declaring the next address a typo does not undo a refusal made before it. Put back, it stands as
 * it would: asked afresh while its link was open, scheduled again when never sent — or sent before the request's latest
 * closure (`closedAt`), a link that closure withdrew, its sending then due from it —, cancelled while the request is
 * reopened; past its date, it is over either way. Both are declined when the new address opted out. One answered,
 * expired or still to be sent keeps its state.
 */
export function newAddressStep(
  survey: Pick<SurveyState, 'status' | 'expiresAt' | 'buyerMayBeAsked' | 'optedOut'> & {
    declinedVia: SurveyDeclineWay | null;
    sentAt: Date | null;
  },
  correction: { previousAddressWasWrong: boolean; closedAt: Date | null },
  now: Date,
): NewAddressStep {
  const refusedFromLink = survey.status === 'declined' && survey.declinedVia === 'link';
  if (refusedFromLink && !correction.previousAddressWasWrong) return 'confirm';
  const asked = awaitsAnswer(survey, now);
  if (!asked && !refusedFromLink) return 'relink';
  // The new address's own objection: checked before anything goes there.
  if (survey.optedOut) return 'decline';
  if (asked) return 'send';
  if (!survey.buyerMayBeAsked) return 'cancel';
  if (survey.sentAt === null || (correction.closedAt !== null && survey.sentAt < correction.closedAt)) return 'schedule';
  return isOpen(survey, now) ? 'send' : 'relink';
}
