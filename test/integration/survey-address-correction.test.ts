import { Client } from 'pg';
import { Clock } from '../../src/common/clock';
import { sha256 } from '../../src/common/tokens';
import { QueueService } from '../../src/queue/queue.service';
import { JOB_QUEUES } from '../../src/queue/queue.registry';
import { NotFound } from '../../src/common/errors/app-errors';
import { MailService } from '../../src/modules/mail/mail.service';
import { surveyOptOutHashes } from '../../src/modules/surveys/survey-opt-out.policy';
import { sendingDueAt, SurveyDelays } from '../../src/modules/surveys/survey.policy';
import { SurveysService } from '../../src/modules/surveys/surveys.service';
import { staffWrites, TrackedTestRequest } from '../support/conversation';
import { bearerFor } from '../support/staff';
import {
  answerSatisfaction,
  closeAs,
  closedAsAnswered,
  DAY_MS,
  pastDue,
  runDueSurveys,
  surveyLinkIn,
  surveysOf,
  timeMachine,
} from '../support/surveys';
import { sessionsWaitingOnLocks, TestApp, useTestApp, waitFor } from '../support/test-app';

/** A buyer's address corrected by staff: the survey links follow the mailbox, not the mistyped one. */
describe('follow-up surveys after a correction of the buyer’s address', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app), { MAIL_DIR: `${process.env.MAIL_DIR}/survey-correction` });
  const time = timeMachine(() => t);
  afterEach(() => time.back());

  const NEW_ADDRESS = 'camille.martin@example.org';
  /** `typo`: staff say the old address was never the buyer's (the box), not that the buyer changed mailbox. */
  const correct = async (request: TrackedTestRequest, email = NEW_ADDRESS, { typo }: { typo?: boolean } = {}) => {
    const response = await fetch(`${t.url}/api/v1/staff/requests/${request.reference}/buyer-contact`, {
      method: 'POST',
      headers: { authorization: await bearerFor(t, { role: 'animator', networks: ['aura-ee'] }), 'content-type': 'application/json' },
      body: JSON.stringify({
        firstName: 'Camille',
        lastName: 'Martin',
        email,
        organisationName: 'Isère',
        ...(typo === undefined ? {} : { previousAddressWasWrong: typo }),
      }),
    });
    expect(response.status).toBe(200);
  };
  /** Closed as answered, its satisfaction survey sent (its e-mail queued, not delivered). */
  async function surveySent(n: number): Promise<TrackedTestRequest> {
    const request = await closedAsAnswered(t, n);
    await pastDue(t, time, request.id);
    await runDueSurveys(t);
    return request;
  }
  /** The survey e-mails, queued or gone, with the link each carries while not delivered. */
  const surveyMails = async (): Promise<Array<{ id: string; recipient: string; status: string; link: string | null }>> =>
    (
      await t.dataSource.query(
        `SELECT id, recipient, status, context->>'surveyUrl' AS url FROM mail_messages WHERE template = 'survey' ORDER BY created_at, id`,
      )
    ).map(({ url, ...mail }: { url: string | null; id: string; recipient: string; status: string }) => ({
      ...mail,
      link: url && surveyLinkIn(url),
    }));
  /** Every survey e-mail delivered, each twice, as a job delivered again or a sweep would: what went, and to whom. */
  const deliverAll = async (): Promise<string[]> => {
    const mail = t.app.get(MailService);
    for (const { id } of await surveyMails()) {
      await mail.deliver(id);
      await mail.deliverAll([id]);
    }
    return (await surveyMails()).filter((m) => m.status === 'sent').map((m) => m.recipient);
  };
  const refuseAll = (link: string) =>
    fetch(`${link}/refus`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'portee=adresse',
    });
  const optedOut = async (email: string) => {
    const [hash] = surveyOptOutHashes(t.config.openingSecrets, email);
    return (await t.dataSource.query(`SELECT 1 FROM survey_opt_outs WHERE email_hash = $1`, [hash])).length > 0;
  };
  const optOut = (email: string) =>
    t.dataSource.query(`INSERT INTO survey_opt_outs (email_hash, source) VALUES ($1, 'buyer')`, [
      surveyOptOutHashes(t.config.openingSecrets, email)[0],
    ]);
  const postForm = (link: string, body: string) =>
    fetch(link, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  /** A timer in the outbox, or already relayed to its queue (looked for in that order, as the relay moves it). */
  const timerArmed = async (jobId: string) =>
    (await t.dataSource.query(`SELECT 1 FROM outbox_events WHERE job_id = $1`, [jobId])).length > 0 ||
    (await t.app.get(QueueService).queue(JOB_QUEUES['survey.due']).getJob(jobId)) !== undefined;
  const statuses = async (request: TrackedTestRequest) => (await surveysOf(t, request.id)).map((s) => s.status);
  const declinedVia = async (request: TrackedTestRequest) =>
    (await t.dataSource.query(`SELECT declined_via FROM surveys WHERE request_id = $1 ORDER BY wave DESC`, [request.id])).map(
      (s: { declined_via: string | null }) => s.declined_via,
    );
  /** The request's survey lines, as its history keeps them for staff. */
  const surveyEvents = (request: TrackedTestRequest) =>
    t.dataSource.query(
      `SELECT type, reason, actor_type, is_public FROM request_events WHERE request_id = $1 AND type LIKE 'survey_%' ORDER BY id`,
      [request.id],
    );
  /** The old mailbox's « no more questionnaires for this request », from its e-mail's link. */
  const refuse = (link: string) =>
    fetch(`${link}/refus`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  const RESENT = { type: 'survey_resent', reason: 'satisfaction', actor_type: 'system', is_public: false };

  it('a survey already sent: its old link answers 404 like a wrong one, the new address gets it once with a new link', async () => {
    const request = await surveySent(1);
    const [{ link: oldLink }] = await surveyMails();
    expect(await deliverAll()).toEqual(['camille.martin+1@example.fr']);
    expect((await fetch(oldLink!)).status).toBe(200);

    await correct(request);
    const wrongLink = oldLink!.replace(/.{43}$/, 'x'.repeat(43));
    for (const link of [oldLink!, wrongLink]) {
      expect((await fetch(link)).status).toBe(404);
      expect((await fetch(`${link}/refus`)).status).toBe(404);
      expect((await answerSatisfaction(link)).status).toBe(404);
    }

    // The new address is asked with a link of its own; delivered twice over, one e-mail goes.
    const [, fresh, ...more] = await surveyMails();
    expect(more).toEqual([]);
    expect([fresh.recipient, fresh.status]).toEqual([NEW_ADDRESS, 'queued']);
    expect(fresh.link).not.toBe(oldLink);
    expect(await deliverAll()).toEqual(['camille.martin+1@example.fr', NEW_ADDRESS]);
    expect((await fetch(fresh.link!)).status).toBe(200);
    // A private line in the request's history, which never names the address.
    expect(await surveyEvents(request)).toEqual([expect.objectContaining({ type: 'survey_sent' }), RESENT]);
    expect((await answerSatisfaction(fresh.link!)).status).toBe(303);
    expect(await statuses(request)).toEqual(['completed', 'scheduled']);

    // The impact survey, not sent yet, goes months later to the new address with a link of its own.
    time.forward(200 * DAY_MS);
    await runDueSurveys(t);
    const impact = (await surveyMails()).at(-1)!;
    expect(impact.recipient).toBe(NEW_ADDRESS);
    expect((await fetch(impact.link!)).status).toBe(200);
  });

  it('a survey e-mail not delivered yet, even one a dead worker held, is replaced: one e-mail, to the new address only', async () => {
    const request = await surveySent(2);
    const [queued] = await surveyMails();
    // Claimed by a worker that died mid-send: its claim has lapsed, a sweep would take it up again.
    await t.dataSource.query(
      `UPDATE mail_messages SET status = 'sending', attempts = 1, locked_until = now() - interval '1 minute' WHERE id = $1`,
      [queued.id],
    );

    await correct(request);
    const [fresh, ...more] = await surveyMails();
    expect(more).toEqual([]);
    expect(fresh.recipient).toBe(NEW_ADDRESS);
    expect(fresh.link).not.toBe(queued.link);
    expect((await fetch(queued.link!)).status).toBe(404);
    expect((await fetch(fresh.link!)).status).toBe(200);
    expect(await deliverAll()).toEqual([NEW_ADDRESS]);
  });

  it('the refusal of every survey from the old link ends nothing of the corrected address; from the new one it does', async () => {
    const request = await surveySent(3);
    const [{ link: oldLink }] = await surveyMails();

    await correct(request);
    expect((await refuseAll(oldLink!)).status).toBe(404);
    // A refusal whose link was checked just before the correction committed: checked again under the request's lock.
    const inFlight = t.app.get(SurveysService).optOut(request.id, { actorType: 'buyer', actorId: null }, sha256(oldLink!.slice(-43)));
    await expect(inFlight).rejects.toBeInstanceOf(NotFound);
    expect(await optedOut(NEW_ADDRESS)).toBe(false);
    expect(await statuses(request)).toEqual(['sent', 'scheduled']);

    const [{ link: newLink }] = await surveyMails();
    expect((await refuseAll(newLink!)).status).toBe(303);
    expect(await optedOut(NEW_ADDRESS)).toBe(true);
    expect(await statuses(request)).toEqual(['declined', 'declined']);
  });

  it('a refusal from a mistyped mailbox’s link is not the buyer’s: the corrected address is asked, once, and its impact wave follows', async () => {
    const request = await surveySent(8);
    const [{ link: oldLink }] = await surveyMails();
    expect((await refuse(oldLink!)).status).toBe(303);
    expect(await statuses(request)).toEqual(['declined', 'declined']);
    expect(await declinedVia(request)).toEqual(['link', 'link']);

    await correct(request, 'camille.martin+8@example.org', { typo: true });
    expect(await statuses(request)).toEqual(['sent', 'scheduled']);
    expect(await declinedVia(request)).toEqual([null, null]);
    const [survey] = await surveysOf(t, request.id);
    const now = t.app.get(Clock).now().getTime();
    expect(new Date(survey.expires_at!).getTime()).toBeGreaterThan(now + (t.config.SURVEY_EXPIRY_DAYS - 1) * DAY_MS);
    expect(await timerArmed(`survey-${survey.id}-${new Date(survey.due_at).getTime()}`)).toBe(true);
    // One e-mail, to the new address, with a new link; the old one answers 404.
    const fresh = (await surveyMails()).at(-1)!;
    expect(fresh.link).not.toBe(oldLink);
    expect(await deliverAll()).toEqual(['camille.martin+8@example.org']);
    expect((await fetch(oldLink!)).status).toBe(404);
    const page = await (await fetch(fresh.link!)).text();
    expect(page).not.toContain('Vous avez indiqué ne plus vouloir recevoir de questionnaire');
    expect(await surveyEvents(request)).toEqual([
      expect.objectContaining({ type: 'survey_sent' }),
      expect.objectContaining({ type: 'survey_declined', actor_type: 'buyer' }),
      RESENT,
    ]);
    // The impact wave, which the old mailbox's refusal ended before it left, leaves for the new address.
    time.forward(200 * DAY_MS);
    await runDueSurveys(t);
    expect((await statuses(request))[1]).toBe('sent');
    expect((await surveyMails()).at(-1)!.recipient).toBe('camille.martin+8@example.org');

    // The old mailbox's refusal of every survey at its address: its own opt-out, not the new address's.
    const wholeAddress = await surveySent(11);
    const { link } = (await surveyMails()).find((mail) => mail.recipient === 'camille.martin+11@example.fr')!;
    expect((await refuseAll(link!)).status).toBe(303);
    expect(await declinedVia(wholeAddress)).toEqual(['link', 'link']);
    await correct(wholeAddress, 'camille.martin+11@example.org', { typo: true });
    expect(await statuses(wholeAddress)).toEqual(['sent', 'scheduled']);
    // That mailbox's objection stays its own: not lifted, not moved to the corrected address.
    expect(await optedOut('camille.martin+11@example.fr')).toBe(true);
    expect(await optedOut('camille.martin+11@example.org')).toBe(false);
    expect((await surveyMails()).at(-1)!.recipient).toBe('camille.martin+11@example.org');
  });

  it('a buyer who changed mailbox keeps what they refused from the old one: unticked, nothing goes to the new address', async () => {
    // « Ne plus recevoir de questionnaire » for this request, then for every request of the address, from its links.
    const forRequest = await surveySent(12);
    const { link } = (await surveyMails()).find((mail) => mail.recipient === 'camille.martin+12@example.fr')!;
    expect((await refuse(link!)).status).toBe(303);
    const forAddress = await surveySent(13);
    const { link: addressLink } = (await surveyMails()).find((mail) => mail.recipient === 'camille.martin+13@example.fr')!;
    expect((await refuseAll(addressLink!)).status).toBe(303);

    await correct(forRequest, 'camille.martin+12@example.org');
    await correct(forAddress, 'camille.martin+13@example.org', { typo: false });
    for (const request of [forRequest, forAddress]) {
      expect(await statuses(request)).toEqual(['declined', 'declined']);
      // The buyer's word now, as if staff had recorded it: no later correction undoes it.
      expect(await declinedVia(request)).toEqual(['staff', 'staff']);
    }
    expect(await optedOut('camille.martin+13@example.fr')).toBe(true);
    time.forward(200 * DAY_MS);
    await runDueSurveys(t);
    expect((await surveyMails()).filter((mail) => mail.recipient.endsWith('@example.org'))).toEqual([]);
    for (const request of [forRequest, forAddress]) {
      expect(await statuses(request)).toEqual(['declined', 'declined']);
      expect((await surveyEvents(request)).map((e: { type: string }) => e.type)).not.toContain('survey_resent');
    }
  });

  it('a refusal the buyer made from an earlier address stays when a later one is corrected as a typo, or back to it', async () => {
    // Refused from A; the buyer moved (A→B unticked); then B was mistyped (B→B′ ticked), or A was right after all (B→A ticked).
    const requests: TrackedTestRequest[] = [];
    for (const [n, last] of [
      [15, 'camille.martin+15@example.net'],
      [16, 'camille.martin+16@example.fr'],
    ] as const) {
      const request = await surveySent(n);
      requests.push(request);
      const { link } = (await surveyMails()).find((mail) => mail.recipient === `camille.martin+${n}@example.fr`)!;
      expect((await refuse(link!)).status).toBe(303);
      await correct(request, `camille.martin+${n}@example.org`, { typo: false });
      await correct(request, last, { typo: true });
      expect(await statuses(request)).toEqual(['declined', 'declined']);
      expect(await declinedVia(request)).toEqual(['staff', 'staff']);
    }
    time.forward(200 * DAY_MS);
    await runDueSurveys(t);
    // The first e-mail of each, to A, went with the refusal; nothing since, neither to B′ nor back to A.
    expect((await surveyMails()).filter((mail) => /\+1[56]@/.test(mail.recipient))).toEqual([]);
    for (const request of requests) {
      expect(await statuses(request)).toEqual(['declined', 'declined']);
      expect((await surveyEvents(request)).map((e: { type: string }) => e.type)).not.toContain('survey_resent');
    }
  });

  it('a refusal from a link a reopening withdrew, the request closed again since: the typo’s correction schedules it from that closure', async () => {
    const request = await closedAsAnswered(t, 14);
    // Sent now, on the database's clock as well as the service's: the closure after the reopening comes later on both.
    await t.dataSource.query(`UPDATE surveys SET due_at = now() - interval '1 minute' WHERE request_id = $1 AND wave = 'satisfaction'`, [
      request.id,
    ]);
    await runDueSurveys(t);
    const [{ link: oldLink }] = await surveyMails();
    const replied = await fetch(`${t.url}/api/v1/requests/${request.reference}/replies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tracking-token': request.token },
      body: JSON.stringify({ message: 'Une précision encore, merci.' }),
    });
    expect(replied.status).toBe(200);
    expect(await statuses(request)).toEqual(['cancelled', 'cancelled']);
    // The mistyped mailbox refuses from the withdrawn link; the request is answered and closed again.
    expect((await refuse(oldLink!)).status).toBe(303);
    await staffWrites(t, request, 'answer', 'Voici la précision.');
    await closeAs(t, request, 'answered');
    expect(await statuses(request)).toEqual(['declined', 'declined']);
    const [{ closed_at: closedAt }] = await t.dataSource.query(`SELECT closed_at FROM requests WHERE id = $1`, [request.id]);

    // Corrected once the withdrawn link's date has passed.
    time.past(new Date((await surveysOf(t, request.id))[0].expires_at!));
    await correct(request, 'camille.martin+14@example.org', { typo: true });
    expect(await statuses(request)).toEqual(['scheduled', 'scheduled']);
    const [satisfaction, impact] = await surveysOf(t, request.id);
    // Due as that closure made them: the satisfaction wave past (the next sweep sends it), the impact one months ahead.
    const delays: SurveyDelays = {
      satisfactionDelayDays: t.config.SURVEY_SATISFACTION_DELAY_DAYS,
      impactDelayMonths: t.config.SURVEY_IMPACT_DELAY_MONTHS,
      reminderDays: t.config.SURVEY_REMINDER_DAYS,
      expiryDays: t.config.SURVEY_EXPIRY_DAYS,
    };
    expect(new Date(satisfaction.due_at)).toEqual(sendingDueAt('satisfaction', closedAt, delays, '38'));
    expect(new Date(impact.due_at)).toEqual(sendingDueAt('impact', closedAt, delays, '38'));
    await runDueSurveys(t);
    expect(await statuses(request)).toEqual(['sent', 'scheduled']);
    expect((await surveyMails()).at(-1)!.recipient).toBe('camille.martin+14@example.org');
  });

  it('a refusal by staff, or the opt-out of the new address, stays: nothing goes to the corrected address', async () => {
    // Staff recorded the buyer's objection (their word, not a mailbox's).
    const byStaff = await surveySent(9);
    const refused = await fetch(`${t.url}/api/v1/staff/requests/${byStaff.reference}/refuse-surveys`, {
      method: 'POST',
      headers: { authorization: await bearerFor(t, { role: 'animator', networks: ['aura-ee'] }) },
    });
    expect(refused.status).toBe(200);
    expect(await declinedVia(byStaff)).toEqual(['staff', 'staff']);
    await correct(byStaff, 'camille.martin+9@example.org', { typo: true });
    expect(await statuses(byStaff)).toEqual(['declined', 'declined']);
    // Refused from the mistyped mailbox's link, corrected into an address that opted out.
    const intoOptedOut = await surveySent(10);
    const { link } = (await surveyMails()).find((mail) => mail.recipient === 'camille.martin+10@example.fr')!;
    expect((await refuse(link!)).status).toBe(303);
    await optOut('camille.martin+10@example.org');
    await correct(intoOptedOut, 'camille.martin+10@example.org', { typo: true });
    expect(await statuses(intoOptedOut)).toEqual(['declined', 'declined']);
    expect(await declinedVia(intoOptedOut)).toEqual(['opt_out', 'opt_out']);

    time.forward(200 * DAY_MS);
    await runDueSurveys(t);
    expect(await deliverAll()).toEqual([]);
    expect(await statuses(byStaff)).toEqual(['declined', 'declined']);
    expect(await statuses(intoOptedOut)).toEqual(['declined', 'declined']);
    for (const request of [byStaff, intoOptedOut]) {
      expect((await surveyEvents(request)).map((e: { type: string }) => e.type)).not.toContain('survey_resent');
    }
  });

  it('a survey asked again at the new address starts afresh: its own dates and reminder, nothing the old mailbox typed', async () => {
    const request = await surveySent(6);
    const [{ link: oldLink }] = await surveyMails();
    // The old mailbox's holder leaves a refused form (its valid part kept), and is reminded.
    expect((await postForm(oldLink!, 'usefulness=partly')).status).toBe(400);
    await pastDue(t, time, request.id);
    await runDueSurveys(t);
    expect(await statuses(request)).toEqual(['reminded', 'scheduled']);
    time.forward(DAY_MS);

    await correct(request);
    const [survey] = await surveysOf(t, request.id);
    const now = t.app.get(Clock).now().getTime();
    // Sent as a fresh sending: its reminder and expiry counted from now, its reminder's timer armed.
    expect(survey.status).toBe('sent');
    expect(new Date(survey.due_at).getTime()).toBeGreaterThan(now + (t.config.SURVEY_REMINDER_DAYS - 1) * DAY_MS);
    expect(new Date(survey.expires_at!).getTime()).toBeGreaterThan(now + (t.config.SURVEY_EXPIRY_DAYS - 1) * DAY_MS);
    expect(await timerArmed(`survey-${survey.id}-${new Date(survey.due_at).getTime()}`)).toBe(true);
    const fresh = (await surveyMails()).at(-1)!;
    expect(fresh.recipient).toBe(NEW_ADDRESS);
    const page = await (await fetch(fresh.link!)).text();
    expect(page).not.toContain('reponses-gardees');
    expect(page).not.toMatch(/value="partly" checked/);
    expect(await t.dataSource.query(`SELECT 1 FROM surveys WHERE request_id = $1 AND partial_answers IS NOT NULL`, [request.id])).toEqual(
      [],
    );
  });

  it('an answer or a refusal from the old link checked just before a correction committed is refused under the lock', async () => {
    const request = await surveySent(7);
    const [{ link: oldLink }] = await surveyMails();
    const token = oldLink!.slice(-43);
    const service = t.app.get(SurveysService);
    for (const inFlight of [
      () => service.decline(token),
      () => service.answer(token, { usefulness: 'yes', quickEnough: 'yes' }),
      () => service.answer(token, { usefulness: 'partly' }),
    ]) {
      const [{ token_hash: before }] = await t.dataSource.query(
        `SELECT token_hash FROM surveys WHERE request_id = $1 AND wave = 'satisfaction'`,
        [request.id],
      );
      // A correction holding the request's lock, the survey's link renewed, not committed yet.
      const correction = new Client({ connectionString: t.config.DATABASE_URL });
      await correction.connect();
      try {
        await correction.query('BEGIN');
        await correction.query(`SELECT 1 FROM requests WHERE id = $1 FOR UPDATE`, [request.id]);
        await correction.query(`UPDATE surveys SET token_hash = $2 WHERE token_hash = $1`, [before, sha256(`renewed-${Math.random()}`)]);
        const refused = inFlight();
        await waitFor(async () => (await sessionsWaitingOnLocks(t.dataSource)) > 0, 5_000, 'l’action attend la correction', 20);
        await correction.query('COMMIT');
        await expect(refused).rejects.toBeInstanceOf(NotFound);
      } finally {
        await correction.end();
      }
      await t.dataSource.query(`UPDATE surveys SET token_hash = $1 WHERE request_id = $2 AND wave = 'satisfaction'`, [before, request.id]);
    }
    expect(await statuses(request)).toEqual(['sent', 'scheduled']);
    expect(await t.dataSource.query(`SELECT 1 FROM surveys WHERE request_id = $1 AND partial_answers IS NOT NULL`, [request.id])).toEqual(
      [],
    );
  });

  it('a survey e-mail is not sent to an address that opted out, were it corrected into it or opting out after it was queued', async () => {
    // Queued for the old address, which is corrected into one that opted out.
    const corrected = await surveySent(4);
    await optOut(NEW_ADDRESS);
    await correct(corrected);
    // Declined at once: its page is not offered on the request's tracking page of the new address.
    expect(await statuses(corrected)).toEqual(['declined', 'scheduled']);
    expect(await t.app.get(SurveysService).openSurveyLinks(corrected.reference)).toEqual([]);
    // Queued, and its address opts out before it goes.
    const queued = await surveySent(5);
    await optOut('camille.martin+5@example.fr');

    expect(await deliverAll()).toEqual([]);
    expect(await surveyMails()).toEqual([]);
    // Declined, as the next step of a survey of an address that opted out is.
    expect(await statuses(queued)).toEqual(['declined', 'scheduled']);
    time.forward(200 * DAY_MS);
    await runDueSurveys(t);
    expect(await surveyMails()).toEqual([]);
    expect(await statuses(corrected)).toEqual(['declined', 'declined']);
    expect(await statuses(queued)).toEqual(['declined', 'declined']);
  });
});
