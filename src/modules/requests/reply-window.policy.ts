/**
 * How long the request waits on the buyer (pure): after an answer, the buyer may reply for a number of working
 * days, then the request closes by itself as answered; a precision asked and never given closes it as no_reply.
 */
import { addWorkingDays, withinOfficeHours } from '../../common/working-days.policy';
import { RequestState, transition } from './request-state.policy';
import type { CloseReason, RequestStatus } from './request.types';

/**
 * The end of the window opened at `since` (an answer sent, a precision asked): `days` working days later, at that time
 * of day when the buyer's office is open then, else at its next opening. The request closes then and e-mails the
 * buyer: an answer sent at 22:40 on a Friday closes at 09:00, not at night, and the buyer, told that hour, gets more.
 */
export function replyWindowEnd(since: Date, departmentCode: string, days: number): Date {
  return withinOfficeHours(addWorkingDays(since, days, departmentCode), departmentCode);
}

/** A buyer who still owes the precision asked is reminded when this many working days of their window are left. */
export const CLARIFICATION_REMINDER_DAYS_LEFT = 3;

/**
 * When the buyer asked for a precision at `since` is reminded that the request closes without it: three working days
 * before the window's end, within the buyer's office hours as that end is (a question asked in the evening is not
 * reminded at night); null when the window is too short for a reminder to be of use.
 */
export function clarificationReminderAt(since: Date, departmentCode: string, days: number): Date | null {
  return days > CLARIFICATION_REMINDER_DAYS_LEFT ? replyWindowEnd(since, departmentCode, days - CLARIFICATION_REMINDER_DAYS_LEFT) : null;
}

/**
 * Whether the reminder of a precision asked at `since` may leave at `now`: past its time, before the window ends, and
 * within the buyer's office hours — a sweep catching up after a worker's outage at night leaves it for the opening.
 */
export function clarificationReminderDue(since: Date, now: Date, departmentCode: string, days: number): boolean {
  const remindAt = clarificationReminderAt(since, departmentCode, days);
  return (
    remindAt !== null &&
    now >= remindAt &&
    now < replyWindowEnd(since, departmentCode, days) &&
    withinOfficeHours(now, departmentCode).getTime() === now.getTime()
  );
}

/** The closure the end of the window brings to a request in this status, if any. */
const AUTO_CLOSE_REASONS: Partial<Record<RequestStatus, CloseReason>> = { answered: 'answered', awaiting_buyer: 'no_reply' };

export type AutoClose = { close: false } | { close: true; reason: CloseReason };

/**
 * When the request last entered `status`, from its history (oldest first): the latest event into it from another
 * status, or a complement to the answer (which starts the buyer's time again) — a note written meanwhile keeps the
 * status and moves nothing. RequestsRepository's ENTERS_STATUS says the same in SQL.
 */
export function enteredStatusAt(
  history: ReadonlyArray<{ type: string; fromStatus: string | null; toStatus: string | null; createdAt: Date }>,
  status: RequestStatus,
): Date | null {
  const entering = [...history]
    .reverse()
    .find((event) => event.toStatus === status && (event.fromStatus !== event.toStatus || event.type === 'answer_completed'));
  return entering?.createdAt ?? null;
}

/**
 * When a request in `status` since `since` will close by itself (what `autoClose` decides), or null for a status
 * that does not wait on the buyer.
 */
export function autoCloseAt(status: RequestStatus, since: Date | null, departmentCode: string, days: number): Date | null {
  return AUTO_CLOSE_REASONS[status] && since ? replyWindowEnd(since, departmentCode, days) : null;
}

/** Whether a request in `status` since `since` closes by itself at `now`. */
export function autoClose(status: RequestStatus, since: Date | null, now: Date, departmentCode: string, days: number): AutoClose {
  const reason = AUTO_CLOSE_REASONS[status];
  if (!reason || !since || now < replyWindowEnd(since, departmentCode, days)) return { close: false };
  return { close: true, reason };
}

export type ReplyPermission = { allowed: true; until: Date } | { allowed: false; message: string };

/** Whether the buyer may still reply to the answer sent at `answeredAt` (French refusal otherwise). */
export function replyPermission(
  request: RequestState,
  answeredAt: Date | null,
  now: Date,
  departmentCode: string,
  days: number,
): ReplyPermission {
  const move = transition(request, 'buyer_replied_to_answer');
  if (!move.allowed) return move;
  if (!answeredAt) return { allowed: false, message: 'Aucune réponse n’a encore été envoyée pour cette demande.' };
  const until = replyWindowEnd(answeredAt, departmentCode, days);
  if (now >= until) {
    return {
      allowed: false,
      message: `Le délai pour répondre est dépassé (${days} jours ouvrés après la réponse). Pour une nouvelle question, déposez une nouvelle demande.`,
    };
  }
  return { allowed: true, until };
}
