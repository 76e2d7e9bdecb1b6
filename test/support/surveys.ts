import { Clock } from '../../src/common/clock';
import { wallClock, zoneOffset } from '../../src/common/local-clock';
import { isWorkingDay } from '../../src/common/working-days.policy';
import { StaffAuthService } from '../../src/modules/accounts/staff-auth.service';
import type { CloseReason } from '../../src/modules/requests/request.types';
import { SurveysService } from '../../src/modules/surveys/surveys.service';
import { staffWrites, submittedAndTaken, TrackedTestRequest } from './conversation';
import { bearerFor } from './staff';
import { TestApp } from './test-app';

export const DAY_MS = 86_400_000;

/** Closes through the staff API, as the request's own facilitator (the workspace's close path). */
export async function closeAs(t: TestApp, request: TrackedTestRequest, reason: CloseReason): Promise<void> {
  const [{ network_code: network }] = await t.dataSource.query(`SELECT network_code FROM facilitators WHERE id = $1`, [
    request.facilitatorId,
  ]);
  // One account per facilitator: a request closed twice is closed by the same person.
  const [account] = await t.dataSource.query(`SELECT id FROM staff_users WHERE facilitator_id = $1`, [request.facilitatorId]);
  const bearer = account
    ? `Bearer ${await t.app.get(StaffAuthService).createApiToken(account.id, 'tests')}`
    : await bearerFor(t, { role: 'facilitator', facilitatorId: request.facilitatorId, networks: [network] });
  const response = await fetch(`${t.url}/api/v1/staff/requests/${request.reference}/close`, {
    method: 'POST',
    headers: { authorization: bearer, 'content-type': 'application/json' },
    // A duplicate's closure tells the buyer which request goes on.
    body: JSON.stringify(reason === 'duplicate' ? { reason, message: 'Elle se poursuit dans la demande GV-2026-000001.' } : { reason }),
  });
  if (!response.ok) throw new Error(`clôture refusée : ${response.status} ${await response.text()}`);
}

/** A request answered by its facilitator, then closed as answered by them. */
export async function closedAsAnswered(t: TestApp, n: number): Promise<TrackedTestRequest> {
  const request = await submittedAndTaken(t, n);
  await staffWrites(t, request, 'answer', 'Voici la réponse.');
  await closeAs(t, request, 'answered');
  return request;
}

export interface SurveyRow {
  id: string;
  wave: string;
  status: string;
  facilitator_id: string | null;
  due_at: Date;
  sent_at: Date | null;
  reminded_at: Date | null;
  expires_at: Date | null;
  completed_at: Date | null;
  answered_at: Date | null;
}

/** The request's surveys, satisfaction first. */
export function surveysOf(t: TestApp, requestId: string): Promise<SurveyRow[]> {
  return t.dataSource.query(
    `SELECT id, wave, status, facilitator_id, due_at, sent_at, reminded_at, expires_at, completed_at, answered_at
       FROM surveys WHERE request_id = $1 ORDER BY wave DESC`,
    [requestId],
  );
}

/** Moves the app's clock; `back()` (in afterEach) undoes every move of the test. */
export function timeMachine(t: () => TestApp) {
  let travelled = 0;
  const forward = (ms: number) => {
    t().app.get(Clock).travel(ms);
    travelled += ms;
  };
  return {
    forward,
    /** A minute past `instant` (staying put if already there). */
    past(instant: Date) {
      forward(Math.max(0, instant.getTime() + 60_000 - t().app.get(Clock).now().getTime()));
    },
    /**
     * To 10:00 in Paris (13:00 or 14:00 in La Réunion) on the next day worked in both: every network's office hours,
     * when staff digests go, whatever the hour the test runs. Returns that moment.
     */
    toOfficeHours(): Date {
      const now = t().app.get(Clock).now();
      let days = 1;
      while (!isWorkingDay(parisAt(now, days, 10), '75') || !isWorkingDay(parisAt(now, days, 10), '974')) days++;
      const at = parisAt(now, days, 10);
      forward(at.getTime() - now.getTime());
      return at;
    },
    back() {
      t().app.get(Clock).travel(-travelled);
      travelled = 0;
    },
  };
}

/** `hour`:00 in Paris, `days` after the Paris calendar day of `from` (its week day: `getUTCDay()` of noon's). */
export function parisAt(from: Date, days: number, hour: number): Date {
  const { year, month, day } = wallClock('Europe/Paris', from.getTime());
  const wall = Date.UTC(year, month - 1, day + days, hour);
  return new Date(wall - zoneOffset('Europe/Paris', wall));
}

/** `run` (a staff digest asked for directly, as its job would) at a working day's office hours, the clock back after. */
export async function inOfficeHours<T>(t: TestApp, run: () => Promise<T>): Promise<T> {
  const time = timeMachine(() => t);
  time.toOfficeHours();
  try {
    return await run();
  } finally {
    time.back();
  }
}

/**
 * A minute past the wave's next step (its sending, then its reminder, then its expiry): due times wait for office
 * hours, so a fixed number of days after the closure may not reach them.
 */
export async function pastDue(
  t: TestApp,
  time: ReturnType<typeof timeMachine>,
  requestId: string,
  wave: 'satisfaction' | 'impact' = 'satisfaction',
): Promise<void> {
  const survey = (await surveysOf(t, requestId)).find((s) => s.wave === wave)!;
  time.past(new Date(survey.due_at));
}

/** The survey link in an e-mail body (text or HTML). */
export function surveyLinkIn(body: string): string {
  const match = /(http:\/\/[^\s"<]+\/questionnaire\/[A-Za-z0-9_-]{43})/.exec(body);
  if (!match) throw new Error('pas de lien de questionnaire dans le message');
  return match[1];
}

/** The buyer's satisfaction answers, posted from the survey's page (by default complete; `body` for a partial one). */
export function answerSatisfaction(link: string, body = 'usefulness=yes&quickEnough=yes'): Promise<Response> {
  return fetch(link, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
}

/** Runs every due step at once, as the worker's sweep does. */
export function runDueSurveys(t: TestApp): Promise<number> {
  return t.app.get(SurveysService).runDue(100);
}

/**
 * 03:00 in Paris on the first Saturday a week or more after `now` whose Monday is worked (or not: a holiday), and the
 * office's next opening after it, 09:00 in Paris.
 */
export function saturdayNight(now: Date, mondayWorked: boolean): { saturday: Date; opening: Date } {
  const worked = (days: number) => isWorkingDay(parisAt(now, days, 12), '75');
  let days = 7;
  while (parisAt(now, days, 12).getUTCDay() !== 6 || worked(days + 2) !== mondayWorked) days++;
  let opening = days + 2;
  while (!worked(opening)) opening++;
  return { saturday: parisAt(now, days, 3), opening: parisAt(now, opening, 9) };
}
