import { Clock } from '../../src/common/clock';
import { endOfWorkingDayOf, withinOfficeHours } from '../../src/common/working-days.policy';
import { AutoCloseService } from '../../src/modules/auto-close/auto-close.service';
import { addMonths } from '../../src/modules/surveys/survey.policy';
import { SurveysSweepService } from '../../src/modules/surveys/surveys-sweep.service';
import { SurveysService } from '../../src/modules/surveys/surveys.service';
import { QueueService } from '../../src/queue/queue.service';
import { mailsTo, pastReplyWindow, staffWrites, submittedAndTaken, TrackedTestRequest } from '../support/conversation';
import { answerSatisfaction, closeAs, closedAsAnswered, DAY_MS, pastDue, surveyLinkIn, surveysOf, timeMachine } from '../support/surveys';
import { flushQueues, TestApp, useTestApp, waitFor } from '../support/test-app';

const NIGHT_MS = 71 * 60_000;

describe('follow-up surveys: scheduling, sending, reminder, expiry', () => {
  let t!: TestApp;
  // An SMTP server that refuses: messages stay unsent, with their bodies, for the test to read.
  useTestApp((app) => (t = app), { SMTP_URL: 'smtp://127.0.0.1:9' }, { api: true, worker: true });
  const time = timeMachine(() => t);
  afterEach(() => time.back());

  const surveyMails = () => mailsTo(t, 'survey');
  /**
   * The survey e-mails this refusing server holds back count as delivered, their text kept for the test to read: the buyer
   * acts on them, and one still unsent whose survey no longer stands would be withheld at its next try.
   */
  const delivered = () =>
    waitFor(async () => {
      await t.dataSource.query(
        `UPDATE mail_messages SET status = 'sent', sent_at = now() WHERE template = 'survey' AND status IN ('queued', 'failed')`,
      );
      return !(await t.dataSource.query(`SELECT 1 FROM mail_messages WHERE template = 'survey' AND status <> 'sent'`)).length;
    });
  const eventsOf = async (request: TrackedTestRequest) =>
    t.dataSource.query(
      `SELECT type, reason, actor_type, is_public, from_status, to_status FROM request_events WHERE request_id = $1 AND type LIKE 'survey_%' ORDER BY id`,
      [request.id],
    );
  const buyerReplies = (request: TrackedTestRequest, message: string) =>
    fetch(`${t.url}/api/v1/requests/${request.reference}/replies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tracking-token': request.token },
      body: JSON.stringify({ message }),
    });
  /** Forward to the next night, 01:11 UTC (02:11 or 03:11 in Paris), whatever the hour the suite runs. */
  const toNight = () => time.forward((DAY_MS - ((t.app.get(Clock).now().getTime() - NIGHT_MS) % DAY_MS)) % DAY_MS);
  /** Answered, then closed at night. */
  async function closedAtNight(n: number): Promise<TrackedTestRequest> {
    const request = await submittedAndTaken(t, n);
    await staffWrites(t, request, 'answer', 'Voici la réponse.');
    toNight();
    await closeAs(t, request, 'answered');
    return request;
  }
  const parisTime = (at: Date) =>
    new Date(at).toLocaleTimeString('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' });
  const near = (actual: Date, expected: number) => expect(Math.abs(new Date(actual).getTime() - expected)).toBeLessThan(60_000);

  it('a closure as answered schedules both waves in its transaction, for the facilitator who held it, with timers', async () => {
    const request = await closedAtNight(1);
    const closedAt = t.app.get(Clock).now().getTime();
    const [satisfaction, impact] = await surveysOf(t, request.id);
    expect([satisfaction.wave, satisfaction.status, satisfaction.facilitator_id]).toEqual([
      'satisfaction',
      'scheduled',
      request.facilitatorId,
    ]);
    expect([impact.wave, impact.status, impact.facilitator_id]).toEqual(['impact', 'scheduled', request.facilitatorId]);
    // Three days and six months later, still at night: both wait for 09:00 in Isère, on its next working day.
    expect(new Date(satisfaction.due_at)).toEqual(withinOfficeHours(new Date(closedAt + 3 * DAY_MS), '38'));
    expect(new Date(impact.due_at)).toEqual(withinOfficeHours(addMonths(new Date(closedAt), 6), '38'));
    for (const { due_at } of [satisfaction, impact]) expect(parisTime(due_at)).toBe('09:00');
    expect(new Date(satisfaction.due_at).getTime()).toBeGreaterThan(closedAt + 3 * DAY_MS);
    const timers = await t.dataSource.query(`SELECT payload, delay_ms FROM outbox_events WHERE job_name = 'survey.due' ORDER BY delay_ms`);
    expect(timers.map((r: { payload: { surveyId: string } }) => r.payload.surveyId)).toEqual([satisfaction.id, impact.id]);
    near(new Date(closedAt + Number(timers[0].delay_ms)), new Date(satisfaction.due_at).getTime());
    expect(timers[1].delay_ms).toBe(7 * DAY_MS); // capped: the sweep covers longer waits
    // Nothing leaves before it is due, whoever asks.
    expect(await t.app.get(SurveysService).step(satisfaction.id)).toBe('nothing');
    expect(await t.app.get(SurveysService).runDue(100)).toBe(0);
  });

  it('the automatic closure at the end of the reply window schedules them too', async () => {
    const request = await submittedAndTaken(t, 2);
    await staffWrites(t, request, 'answer', 'La réponse.');
    time.forward(pastReplyWindow(t));
    expect(await t.app.get(AutoCloseService).closeIfDue(request.id)).toBe(true);
    expect((await surveysOf(t, request.id)).map((s) => [s.wave, s.status])).toEqual([
      ['satisfaction', 'scheduled'],
      ['impact', 'scheduled'],
    ]);
  });

  it.each([
    ['duplicate', 'duplicate'],
    ['redirected', 'redirected'],
  ] as const)('a request closed as %s gets no survey', async (_label, reason) => {
    const request = await submittedAndTaken(t, 3);
    await closeAs(t, request, reason);
    expect(await surveysOf(t, request.id)).toEqual([]);
  });

  it('a request withdrawn by the buyer gets no survey', async () => {
    const request = await submittedAndTaken(t, 4);
    const response = await fetch(`${t.url}/api/v1/requests/${request.reference}/withdrawal`, {
      method: 'POST',
      headers: { 'x-tracking-token': request.token },
    });
    expect(response.status).toBe(200);
    expect(await surveysOf(t, request.id)).toEqual([]);
    expect(await t.dataSource.query(`SELECT 1 FROM outbox_events WHERE job_name = 'survey.due'`)).toEqual([]);
  });

  it('sends after a Redis loss, reminds once with the same link, then expires: each step a private event', async () => {
    const request = await closedAtNight(5);
    // A buyer with several requests closed tells their mails apart by the subject, cut short in the mail's own.
    await t.dataSource.query(`UPDATE requests SET subject = $2 WHERE id = $1`, [
      request.id,
      'Fournitures de bureau écoresponsables pour les écoles et les services techniques de la commune',
    ]);
    const about = `Demande ${request.reference} « Fournitures de bureau écoresponsables pour les… »`;
    await waitFor(async () => (await t.dataSource.query(`SELECT 1 FROM outbox_events WHERE published_at IS NULL`)).length === 0);
    await flushQueues(); // the timers are gone with Redis
    const sweep = t.app.get(SurveysSweepService);

    // The sweep sends it late, in the evening (18:00 in Paris): its reminder waits for a morning, its expiry for the end of its day.
    await pastDue(t, time, request.id);
    time.forward(9 * 3600_000 - 60_000);
    await sweep.run();
    let [satisfaction, impact] = await surveysOf(t, request.id);
    expect([satisfaction.status, impact.status]).toEqual(['sent', 'scheduled']);
    const sentAt = new Date(satisfaction.sent_at!).getTime();
    expect(parisTime(satisfaction.sent_at!)).toBe('18:00');
    expect(new Date(satisfaction.expires_at!)).toEqual(endOfWorkingDayOf(new Date(sentAt + 60 * DAY_MS), '38'));
    expect(new Date(satisfaction.due_at)).toEqual(withinOfficeHours(new Date(sentAt + 14 * DAY_MS), '38'));
    expect(parisTime(satisfaction.due_at)).toBe('09:00');
    let mails = await surveyMails();
    expect(mails).toHaveLength(1);
    expect(mails[0].recipient).toBe('camille.martin+5@example.fr');
    expect(mails[0].subject).toBe(`${about} : la réponse vous a-t-elle été utile ? — Guichet vert`);
    expect(mails[0].html_body).toContain(`${about} : la réponse du facilitateur vous a-t-elle été utile ?`);
    const link = surveyLinkIn(mails[0].text_body);
    expect(mails[0].text_body).toContain(`${link}?usefulness=partly`);
    expect(mails[0].html_body).toContain(link);
    await delivered();

    await sweep.run(); // nothing more is due
    await pastDue(t, time, request.id);
    await sweep.run();
    [satisfaction] = await surveysOf(t, request.id);
    expect(satisfaction.status).toBe('reminded');
    near(satisfaction.due_at, endOfWorkingDayOf(new Date(sentAt + 60 * DAY_MS), '38').getTime());
    mails = await surveyMails();
    expect(mails).toHaveLength(2);
    expect(mails[1].subject).toBe(`Rappel — ${about} : la réponse vous a-t-elle été utile ? — Guichet vert`);
    expect(surveyLinkIn(mails[1].text_body)).toBe(link);
    expect((await fetch(link)).status).toBe(200);

    time.forward(46 * DAY_MS);
    await sweep.run();
    [satisfaction] = await surveysOf(t, request.id);
    expect(satisfaction.status).toBe('expired');
    // Its link says the survey is closed (410), not that it never existed.
    expect((await fetch(link)).status).toBe(410);
    // The reminder, still unsent (this server refuses), is withheld at its next try: its link would only say that.
    await waitFor(async () => (await surveyMails()).length === 1, 20_000, 'rappel retenu');
    expect((await surveyMails())[0].subject).toBe(`${about} : la réponse vous a-t-elle été utile ? — Guichet vert`);
    expect(await eventsOf(request)).toEqual(
      ['survey_sent', 'survey_reminded', 'survey_expired'].map((type) => ({
        type,
        reason: 'satisfaction',
        actor_type: 'system',
        is_public: false,
        from_status: null,
        to_status: null,
      })),
    );
  });

  it('the impact wave leaves months later, on behalf of the network’s animators', async () => {
    const request = await closedAsAnswered(t, 6);
    // A name with its own parentheses is not nested in the subject's.
    const [{ code, name: before }] = await t.dataSource.query(
      `SELECT n.code, n.name FROM networks n JOIN requests r ON r.network_code = n.code WHERE r.id = $1`,
      [request.id],
    );
    await t.dataSource.query(`UPDATE networks SET name = 'APuRe (avec le CERDD et le CD2E)' WHERE code = $1`, [code]);
    time.forward(200 * DAY_MS);
    await t.app.get(SurveysSweepService).run();
    const mails = await surveyMails();
    // Both were due: the satisfaction survey goes too (late, the sweep having been stopped).
    const impact = mails.find((m) => m.subject.includes('qu’est devenu votre achat'))!;
    const [{ name }] = await t.dataSource.query(
      `SELECT n.name FROM networks n JOIN requests r ON r.network_code = n.code WHERE r.id = $1`,
      [request.id],
    );
    const [{ subject }] = await t.dataSource.query(`SELECT subject FROM requests WHERE id = $1`, [request.id]);
    expect(impact.subject).toBe(
      `Demande ${request.reference} « ${subject} » : qu’est devenu votre achat ? — réseau APuRe (avec le CERDD et le CD2E) — Guichet vert`,
    );
    expect(impact.html_body).toContain(`Demande ${request.reference} « ${subject} » : qu’est devenu cet achat ?`);
    expect(impact.text_body).toContain(`Au nom des animateurs du réseau ${name}`);
    expect(impact.text_body).toContain(request.reference);
    expect(impact.text_body).not.toContain('?usefulness=');
    await t.dataSource.query(`UPDATE networks SET name = $2 WHERE code = $1`, [code, before]);
  });

  it('a buyer reply that reopens the request cancels its surveys not yet sent; the next closure schedules them again', async () => {
    const request = await closedAsAnswered(t, 7);
    const [first] = await surveysOf(t, request.id);
    expect((await buyerReplies(request, 'Une question encore.')).status).toBe(200);
    expect((await surveysOf(t, request.id)).map((s) => s.status)).toEqual(['cancelled', 'cancelled']);
    await pastDue(t, time, request.id);
    await t.app.get(SurveysSweepService).run();
    expect(await surveyMails()).toEqual([]);

    await staffWrites(t, request, 'answer', 'Voici le complément.');
    toNight();
    await closeAs(t, request, 'answered');
    const again = await surveysOf(t, request.id);
    expect(again.map((s) => [s.id, s.status])).toEqual([
      [first.id, 'scheduled'],
      [again[1].id, 'scheduled'],
    ]);
    // Counted from the new closure, at night: 09:00 of a working day.
    expect(new Date(again[0].due_at)).toEqual(withinOfficeHours(new Date(t.app.get(Clock).now().getTime() + 3 * DAY_MS), '38'));
    expect(parisTime(again[0].due_at)).toBe('09:00');
  });

  it('a reopening withdraws a survey sent but not answered: its link says so, no reminder goes, the next closure sends a new link', async () => {
    const request = await closedAsAnswered(t, 9);
    const sweep = t.app.get(SurveysSweepService);
    await pastDue(t, time, request.id);
    await sweep.run();
    const [first] = await surveyMails();
    await delivered();
    const link = surveyLinkIn(first.text_body);
    expect((await fetch(link)).status).toBe(200);

    expect((await buyerReplies(request, 'Finalement, une précision sur le lot 2.')).status).toBe(200);
    expect((await surveysOf(t, request.id)).map((s) => s.status)).toEqual(['cancelled', 'cancelled']);
    const withdrawn = await fetch(link);
    expect(withdrawn.status).toBe(200);
    const withdrawnPage = await withdrawn.text();
    expect(withdrawnPage).toContain('<h1>Questionnaire suspendu</h1>');
    expect(withdrawnPage).toContain('Votre demande a été rouverte : ce questionnaire est suspendu.');
    const answered = await answerSatisfaction(link);
    expect(answered.status).toBe(409);
    expect(await answered.text()).toContain('ce questionnaire est suspendu');
    expect((await surveysOf(t, request.id))[0].completed_at).toBeNull();
    // The reminder's time passes while the request is open again: nothing is sent.
    time.forward(15 * DAY_MS);
    await sweep.run();
    expect(await surveyMails()).toHaveLength(1);

    await staffWrites(t, request, 'answer', 'Voici la précision sur le lot 2.');
    await closeAs(t, request, 'answered');
    expect((await surveysOf(t, request.id)).map((s) => s.status)).toEqual(['scheduled', 'scheduled']);
    expect(await (await fetch(link)).text()).toContain('Questionnaire suspendu');
    await pastDue(t, time, request.id);
    await sweep.run();
    const mails = await surveyMails();
    expect(mails).toHaveLength(2);
    const newLink = surveyLinkIn(mails[1].text_body);
    expect(newLink).not.toBe(link);
    expect((await fetch(newLink)).status).toBe(200);
    expect((await fetch(link)).status).toBe(404);
    expect((await eventsOf(request)).map((e: { type: string }) => e.type)).toEqual(['survey_sent', 'survey_sent']);
  });

  it('a buyer who declines from the e-mail is never surveyed about that request again, across a reopening', async () => {
    const request = await closedAsAnswered(t, 11);
    const sweep = t.app.get(SurveysSweepService);
    await pastDue(t, time, request.id);
    await sweep.run();
    const [invitation] = await surveyMails();
    await delivered();
    const link = surveyLinkIn(invitation.text_body);
    const declineLink = `${link}/refus`;
    expect(invitation.text_body).toContain(
      `Pour ne plus recevoir de questionnaire pour cette demande ou pour toutes vos demandes :\n${declineLink}`,
    );
    expect(invitation.html_body).toContain(`href="${declineLink}"`);
    expect(await (await fetch(link)).text()).toContain(`href="${new URL(declineLink).pathname}">Ne plus recevoir de questionnaire`);

    // A GET only asks to confirm: mail scanners follow links.
    const ask = await fetch(declineLink);
    expect(ask.status).toBe(200);
    const askPage = await ask.text();
    expect(askPage).toContain('<h1>Ne plus recevoir de questionnaire</h1>');
    expect(askPage).toContain(`<form method="post" action="${new URL(declineLink).pathname}">`);
    expect((await surveysOf(t, request.id)).map((s) => s.status)).toEqual(['sent', 'scheduled']);

    // The confirmation, or a mail client's one-click POST: the sent wave and the one months away both end.
    const oneClick = () =>
      fetch(declineLink, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
    const declined = await oneClick();
    expect(declined.status).toBe(303);
    expect(declined.headers.get('location')).toBe(`${new URL(declineLink).pathname}?fait=refus`);
    expect((await surveysOf(t, request.id)).map((s) => s.status)).toEqual(['declined', 'declined']);
    expect((await oneClick()).status).toBe(303);
    expect(await eventsOf(request)).toEqual([
      expect.objectContaining({ type: 'survey_sent' }),
      { type: 'survey_declined', reason: 'satisfaction', actor_type: 'buyer', is_public: false, from_status: null, to_status: null },
    ]);
    expect(await (await fetch(declineLink)).text()).toContain('<h1>C’est noté</h1>');
    // The link still opens the form, saying so, and offers no second refusal.
    const form = await (await fetch(link)).text();
    expect(form).toContain('Vous avez indiqué ne plus vouloir recevoir de questionnaire pour cette demande');
    expect(form).not.toContain('/refus">');

    // A reopening and a new closure do not bring them back; no reminder, and the impact wave never leaves.
    expect((await buyerReplies(request, 'Une dernière précision, merci.')).status).toBe(200);
    await staffWrites(t, request, 'answer', 'Voici la précision.');
    await closeAs(t, request, 'answered');
    expect((await surveysOf(t, request.id)).map((s) => s.status)).toEqual(['declined', 'declined']);
    time.forward(10 * DAY_MS);
    await sweep.run();
    expect(await surveyMails()).toHaveLength(1);

    // A change of mind before the link expires: the buyer answers after all; the impact wave stays declined.
    const answered = await answerSatisfaction(link);
    expect(answered.status).toBe(303);
    expect((await surveysOf(t, request.id)).map((s) => s.status)).toEqual(['completed', 'declined']);
    time.forward(200 * DAY_MS);
    await sweep.run();
    expect(await surveyMails()).toHaveLength(1);
    expect((await eventsOf(request)).map((e: { type: string }) => e.type)).toEqual(['survey_sent', 'survey_declined', 'survey_completed']);
  });

  it('a refusal link still works once its survey is suspended by a reopening or over: nothing more is sent', async () => {
    const sweep = t.app.get(SurveysSweepService);
    const refuse = (link: string) =>
      fetch(`${link}/refus`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    // Suspended: the buyer replied after the closure.
    const reopened = await closedAsAnswered(t, 14);
    await pastDue(t, time, reopened.id);
    await sweep.run();
    const suspendedLink = surveyLinkIn((await surveyMails())[0].text_body);
    await delivered();
    expect((await buyerReplies(reopened, 'Une précision encore, merci.')).status).toBe(200);
    const ask = await (await fetch(`${suspendedLink}/refus`)).text();
    expect(ask).toContain('<h1>Ne plus recevoir de questionnaire</h1>');
    expect(ask).not.toContain('Répondre au questionnaire');
    expect((await refuse(suspendedLink)).status).toBe(303);
    expect((await surveysOf(t, reopened.id)).map((s) => s.status)).toEqual(['declined', 'declined']);
    expect(await (await fetch(`${suspendedLink}/refus`)).text()).toContain('<h1>C’est noté</h1>');
    await staffWrites(t, reopened, 'answer', 'Voici la précision.');
    await closeAs(t, reopened, 'answered');
    await pastDue(t, time, reopened.id);
    await sweep.run();
    expect(await surveyMails()).toHaveLength(1);

    // Over: the satisfaction survey expired unanswered; its link still stops the impact wave months away.
    const expired = await closedAsAnswered(t, 15);
    await pastDue(t, time, expired.id);
    await sweep.run();
    const expiredLink = surveyLinkIn((await surveyMails())[1].text_body);
    time.forward(90 * DAY_MS);
    await sweep.run();
    expect((await surveysOf(t, expired.id)).map((s) => s.status)).toEqual(['expired', 'scheduled']);
    expect((await refuse(expiredLink)).status).toBe(303);
    expect((await surveysOf(t, expired.id)).map((s) => s.status)).toEqual(['expired', 'declined']);
  });

  it('a survey already answered stays answered when the request reopens', async () => {
    const request = await closedAsAnswered(t, 10);
    await pastDue(t, time, request.id);
    await t.app.get(SurveysSweepService).run();
    const link = surveyLinkIn((await surveyMails())[0].text_body);
    const saved = await answerSatisfaction(link);
    expect(saved.status).toBe(303);
    expect((await buyerReplies(request, 'Merci, une dernière question.')).status).toBe(200);
    expect((await surveysOf(t, request.id)).map((s) => s.status)).toEqual(['completed', 'cancelled']);
    expect((await fetch(link)).status).toBe(200);
  });

  it('a survey its step finds no longer askable is cancelled as a reopening cancels it: what a refused form kept is dropped', async () => {
    const request = await closedAsAnswered(t, 16);
    await pastDue(t, time, request.id);
    await t.app.get(SurveysSweepService).run();
    const link = surveyLinkIn((await surveyMails())[0].text_body);
    // A refused form: its valid part kept for the same link.
    expect((await answerSatisfaction(link, 'usefulness=partly')).status).toBe(400);
    const [satisfaction] = await surveysOf(t, request.id);
    const kept = `SELECT partial_answers FROM surveys WHERE id = $1`;
    expect((await t.dataSource.query(kept, [satisfaction.id]))[0].partial_answers).not.toBeNull();
    // Out of its closure by a path that did not cancel its surveys: the step catches it.
    await t.dataSource.query(`UPDATE requests SET status = 'in_progress', close_reason = NULL, closed_at = NULL WHERE id = $1`, [
      request.id,
    ]);
    expect(await t.app.get(SurveysService).step(satisfaction.id)).toBe('cancel');
    expect(await t.dataSource.query(kept, [satisfaction.id])).toEqual([{ partial_answers: null }]);
  });

  it('concurrent jobs and sweeps send a survey once', async () => {
    const request = await closedAsAnswered(t, 8);
    const [satisfaction] = await surveysOf(t, request.id);
    await pastDue(t, time, request.id);
    const queue = t.app.get(QueueService).queue('surveys');
    const service = t.app.get(SurveysService);
    const steps = await Promise.all([
      ...[1, 2, 3].map((i) => queue.add('survey.due', { surveyId: satisfaction.id }, { jobId: `again-${i}` }).then(() => 'queued')),
      ...[1, 2, 3, 4].map(() => service.step(satisfaction.id)),
      service.runDue(10).then(String),
    ]);
    // However it went, at most one of them sent it (the queued jobs may have been first).
    expect(steps.filter((s) => s === 'send' || s === '1').length).toBeLessThanOrEqual(1);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the queued jobs ran meanwhile
    expect(await surveyMails()).toHaveLength(1);
    expect((await eventsOf(request)).map((e: { type: string }) => e.type)).toEqual(['survey_sent']);
    expect((await surveysOf(t, request.id))[0].status).toBe('sent');
  });
});
