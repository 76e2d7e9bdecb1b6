import { surveyOptOutHashes } from '../../src/modules/surveys/survey-opt-out.policy';
import { SurveysProcessor } from '../../src/modules/surveys/surveys.processor';
import { insertFacilitator } from '../support/facilitators';
import { frenchFilters, staffWrites, submittedAndTaken, TrackedTestRequest } from '../support/conversation';
import { bearerFor, insertStaff, StaffClient } from '../support/staff';
import { closeAs, closedAsAnswered, DAY_MS, pastDue, runDueSurveys, surveyLinkIn, surveysOf, timeMachine } from '../support/surveys';
import { TestApp, useTestApp } from '../support/test-app';

/** An address that wants no survey at all: no e-mail of any wave goes to it again, whatever the request. */
describe('survey opt-out of a buyer’s address', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app));
  const time = timeMachine(() => t);
  afterEach(() => time.back());

  const statuses = async (request: TrackedTestRequest) => (await surveysOf(t, request.id)).map((s) => s.status);
  const emailOf = async (request: TrackedTestRequest): Promise<string> =>
    (await t.dataSource.query(`SELECT buyer_email FROM requests WHERE id = $1`, [request.id]))[0].buyer_email;
  const setEmail = (request: TrackedTestRequest, email: string) =>
    t.dataSource.query(`UPDATE requests SET buyer_email = $2 WHERE id = $1`, [request.id, email]);
  /** Survey e-mails to the address, in any case, still to go or gone. */
  const surveyMailsTo = async (email: string): Promise<number> =>
    (
      await t.dataSource.query(`SELECT count(*)::int AS n FROM mail_messages WHERE template = 'survey' AND lower(recipient) = lower($1)`, [
        email,
      ])
    )[0].n;
  const optOutEvents = (request: TrackedTestRequest) =>
    t.dataSource.query(`SELECT actor_type, is_public FROM request_events WHERE request_id = $1 AND type = 'survey_opt_out'`, [request.id]);
  const holderBearer = (request: TrackedTestRequest) =>
    bearerFor(t, { role: 'facilitator', facilitatorId: request.facilitatorId, networks: ['aura-ee'] });
  const refuseSurveys = (request: TrackedTestRequest, bearer: string) =>
    fetch(`${t.url}/api/v1/staff/requests/${request.reference}/refuse-surveys`, { method: 'POST', headers: { authorization: bearer } });
  const acceptSurveys = (request: TrackedTestRequest, bearer: string) =>
    fetch(`${t.url}/api/v1/staff/requests/${request.reference}/accept-surveys`, { method: 'POST', headers: { authorization: bearer } });
  const optOutRows = async (): Promise<number> => (await t.dataSource.query(`SELECT count(*)::int AS n FROM survey_opt_outs`))[0].n;
  const staffPage = async (request: TrackedTestRequest, bearer: string) =>
    (await fetch(`${t.url}/api/v1/staff/requests/${request.reference}`, { headers: { authorization: bearer } })).json();

  it('staff record it: every survey to come of that address’s requests ends, in any case, and none is scheduled again', async () => {
    const acted = await closedAsAnswered(t, 1);
    const email = await emailOf(acted);
    // Its satisfaction survey already went (its e-mail not delivered yet); the impact one is months away.
    await pastDue(t, time, acted.id);
    await runDueSurveys(t);
    expect(await statuses(acted)).toEqual(['sent', 'scheduled']);
    expect(await surveyMailsTo(email)).toBe(1);
    // Another request of the same mailbox, its address typed in capitals; one still open; one of someone else.
    const sibling = await closedAsAnswered(t, 2);
    await setEmail(sibling, email.toUpperCase());
    const open = await submittedAndTaken(t, 3);
    await setEmail(open, email.replace('camille', 'Camille'));
    const other = await closedAsAnswered(t, 4);

    // A facilitator of another network, or a colleague not holding it: the action does not exist.
    const stranger = await bearerFor(t, {
      role: 'facilitator',
      facilitatorId: await insertFacilitator(t.dataSource, { network: 'reunion' }),
      networks: ['reunion'],
    });
    const peer = await bearerFor(t, {
      role: 'facilitator',
      facilitatorId: await insertFacilitator(t.dataSource, { network: 'aura-ee' }),
      networks: ['aura-ee'],
    });
    expect((await refuseSurveys(acted, stranger)).status).toBe(404);
    expect((await refuseSurveys(acted, peer)).status).toBe(404);
    const foreignAnimator = await bearerFor(t, { role: 'animator', networks: ['reunion'] });
    expect((await refuseSurveys(acted, foreignAnimator)).status).toBe(404);
    expect(await statuses(acted)).toEqual(['sent', 'scheduled']);

    const holder = await holderBearer(acted);
    const before = await staffPage(acted, holder);
    expect([before.surveysRefused, before.actions.refuseSurveys]).toEqual([false, true]);
    const response = await refuseSurveys(acted, holder);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ reference: acted.reference, status: 'closed', closeReason: 'answered' });

    expect(await statuses(acted)).toEqual(['declined', 'declined']);
    expect(await statuses(sibling)).toEqual(['declined', 'declined']);
    expect(await statuses(other)).toEqual(['scheduled', 'scheduled']);
    // The e-mail not delivered yet does not go; a private line on each request whose surveys it ended.
    expect(await surveyMailsTo(email)).toBe(0);
    expect(await optOutEvents(acted)).toEqual([{ actor_type: 'staff', is_public: false }]);
    expect(await optOutEvents(sibling)).toEqual([{ actor_type: 'staff', is_public: false }]);
    // Staff see it on every request of the address, and the action is no longer offered; a second call changes nothing.
    const after = await staffPage(open, await holderBearer(open));
    expect([after.surveysRefused, after.actions.refuseSurveys]).toEqual([true, false]);
    expect((await refuseSurveys(acted, holder)).status).toBe(200);
    expect(await optOutEvents(acted)).toHaveLength(1);

    // The open request, answered and closed later: no survey at all.
    await staffWrites(t, open, 'answer', 'Voici la réponse.');
    await closeAs(t, open, 'answered');
    expect(await surveysOf(t, open.id)).toEqual([]);
    // Months later, only the other buyer is asked.
    time.forward(200 * DAY_MS);
    await runDueSurveys(t);
    expect(await surveyMailsTo(email)).toBe(0);
    expect(await statuses(other)).toEqual(['sent', 'sent']);
  });

  it('the request page says so and offers the action, confirmed by a box, to the network’s animator too', async () => {
    const request = await closedAsAnswered(t, 5);
    const { email } = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] });
    const animator = new StaffClient(t.url);
    expect((await animator.signIn(email)).status).toBe(303);
    const path = `/espace/demandes/${request.reference}`;
    const page = await (await animator.get(path)).text();
    expect(page).toContain('L’acheteur ne veut plus de questionnaires</button>');
    expect(page).not.toContain('id="questionnaires-refuses"');
    // The page says what it covers, that it can be lifted here, and asks a box ticked first.
    expect(page).toContain('aucun autre ne lui sera envoyé, pour ses demandes présentes ou à venir');
    expect(page).toContain(
      'S’il change d’avis, vous pourrez lever ce refus ici même ; les questionnaires annulés entre-temps le resteront.',
    );
    expect(page).not.toContain('adressez-vous à un administrateur');
    expect(page).toContain('id="f-refuseSurveys-confirm-1" name="confirm" value="1"');

    const unconfirmed = await animator.submit(path, `${path}/questionnaires-refuses`, {});
    expect(unconfirmed.status).toBe(400);
    const refused = await unconfirmed.text();
    expect(refused).toContain('id="resume-erreurs"');
    expect(refused).toContain('Cochez la case pour confirmer : plus aucun questionnaire ne partira à cette adresse.');
    expect(await statuses(request)).toEqual(['scheduled', 'scheduled']);
    expect(await optOutEvents(request)).toEqual([]);

    const done = await animator.submit(path, `${path}/questionnaires-refuses`, { confirm: '1' });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`${path}?fait=questionnaires-refuses`);
    const after = await (await animator.get(`${path}?fait=questionnaires-refuses`)).text();
    expect(after).toContain('l’acheteur ne recevra plus aucun questionnaire de suivi à cette adresse');
    expect(after).toContain('id="questionnaires-refuses"');
    expect(after).not.toContain('L’acheteur ne veut plus de questionnaires</button>');
    expect(after).toContain('L’acheteur ne veut plus de questionnaires : plus aucun à son adresse');
    expect(await statuses(request)).toEqual(['declined', 'declined']);
  });

  it('staff lift it when the buyer changes their mind: a closure from then on is surveyed again, the surveys it ended stay declined', async () => {
    const acted = await closedAsAnswered(t, 11);
    const email = await emailOf(acted);
    const later = await submittedAndTaken(t, 12);
    await setEmail(later, email.toUpperCase());
    const holder = await holderBearer(acted);
    const [{ id: holderId }] = await t.dataSource.query(`SELECT id FROM staff_users WHERE facilitator_id = $1`, [acted.facilitatorId]);
    expect((await refuseSurveys(acted, holder)).status).toBe(200);
    expect(await statuses(acted)).toEqual(['declined', 'declined']);
    const refused = await staffPage(acted, holder);
    // Who recorded it and when, never the address.
    expect(refused.surveysRefusal).toEqual({ source: 'staff', recordedAt: expect.any(String) });
    expect([refused.surveysRefused, refused.actions.refuseSurveys, refused.actions.acceptSurveys]).toEqual([true, false, true]);

    // A facilitator or an animator of another network: the action does not exist.
    const stranger = await bearerFor(t, {
      role: 'facilitator',
      facilitatorId: await insertFacilitator(t.dataSource, { network: 'reunion' }),
      networks: ['reunion'],
    });
    expect((await acceptSurveys(acted, stranger)).status).toBe(404);
    expect((await acceptSurveys(acted, await bearerFor(t, { role: 'animator', networks: ['reunion'] }))).status).toBe(404);
    expect(await optOutRows()).toBe(1);

    const response = await acceptSurveys(acted, holder);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ reference: acted.reference, status: 'closed', closeReason: 'answered' });
    expect(await optOutRows()).toBe(0);
    // A private history line naming who lifted it; a second call finds nothing to lift and writes nothing.
    const optInEvents = () =>
      t.dataSource.query(`SELECT actor_type, actor_id, is_public FROM request_events WHERE request_id = $1 AND type = 'survey_opt_in'`, [
        acted.id,
      ]);
    expect(await optInEvents()).toEqual([{ actor_type: 'staff', actor_id: holderId, is_public: false }]);
    expect((await acceptSurveys(acted, holder)).status).toBe(200);
    expect(await optInEvents()).toHaveLength(1);
    const lifted = await staffPage(later, await holderBearer(later));
    expect([lifted.surveysRefused, lifted.surveysRefusal, lifted.actions.refuseSurveys, lifted.actions.acceptSurveys]).toEqual([
      false,
      null,
      true,
      false,
    ]);

    // The surveys it ended stay ended; the other request of the address, closed now, is surveyed and its e-mail goes.
    await staffWrites(t, later, 'answer', 'Voici la réponse.');
    await closeAs(t, later, 'answered');
    expect(await statuses(later)).toEqual(['scheduled', 'scheduled']);
    await pastDue(t, time, later.id);
    await runDueSurveys(t);
    expect(await statuses(later)).toEqual(['sent', 'scheduled']);
    expect(await statuses(acted)).toEqual(['declined', 'declined']);
    expect(await surveyMailsTo(email)).toBe(1);
  });

  it('the request page says who refused and when, and lifts it once a box is ticked', async () => {
    const request = await closedAsAnswered(t, 13);
    const [hash] = surveyOptOutHashes(t.config.openingSecrets, await emailOf(request));
    const recordedAt = new Date('2026-03-02T09:30:00Z');
    await t.dataSource.query(`INSERT INTO survey_opt_outs (email_hash, source, created_at) VALUES ($1, 'buyer', $2)`, [hash, recordedAt]);
    const [{ department_code: department }] = await t.dataSource.query(`SELECT department_code FROM requests WHERE id = $1`, [request.id]);
    const { email } = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] });
    const animator = new StaffClient(t.url);
    expect((await animator.signIn(email)).status).toBe(303);
    const path = `/espace/demandes/${request.reference}`;
    const page = await (await animator.get(path)).text();
    const when = frenchFilters.renderString('{{ at | frLocalDateTime(d) }}', { at: recordedAt, d: department });
    expect(page).toContain(`pour aucune de ses demandes. Son choix, depuis un questionnaire, le ${when}.</li>`);
    expect(page).not.toContain('L’acheteur ne veut plus de questionnaires</button>');
    expect(page).toContain('L’acheteur accepte de nouveau les questionnaires</button>');
    expect(page).toContain(
      'Les questionnaires annulés pendant son refus le restent, et les demandes clôturées entre-temps n’en recevront pas.',
    );
    expect(page).toContain('id="f-acceptSurveys-confirm-1" name="confirm" value="1"');

    const unconfirmed = await animator.submit(path, `${path}/questionnaires-acceptes`, {});
    expect(unconfirmed.status).toBe(400);
    const refused = await unconfirmed.text();
    expect(refused).toContain('id="resume-erreurs"');
    expect(refused).toContain('Cochez la case pour confirmer : les questionnaires de suivi repartiront à cette adresse.');
    expect(await optOutRows()).toBe(1);

    const done = await animator.submit(path, `${path}/questionnaires-acceptes`, { confirm: '1' });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`${path}?fait=questionnaires-acceptes`);
    const after = await (await animator.get(`${path}?fait=questionnaires-acceptes`)).text();
    expect(after).toContain(
      'l’acheteur recevra de nouveau les questionnaires de suivi à cette adresse, pour ses demandes clôturées à partir de maintenant',
    );
    expect(after).not.toContain('id="questionnaires-refuses"');
    expect(after).not.toContain('L’acheteur accepte de nouveau les questionnaires</button>');
    expect(after).toContain('L’acheteur ne veut plus de questionnaires</button>');
    expect(after).toContain('L’acheteur accepte de nouveau les questionnaires : à son adresse');
    expect(await optOutRows()).toBe(0);

    // Recorded by staff, the page says so.
    await animator.submit(path, `${path}/questionnaires-refuses`, { confirm: '1' });
    expect(await (await animator.get(path)).text()).toContain(
      'pour aucune de ses demandes. Noté par l’équipe du guichet, à sa demande, le ',
    );
  });

  it('the buyer’s own choice from a survey e-mail covers every request of the address; the one-click still covers one', async () => {
    const first = await closedAsAnswered(t, 6);
    const email = await emailOf(first);
    const second = await closedAsAnswered(t, 7);
    await pastDue(t, time, first.id);
    await runDueSurveys(t);
    // Of the same address once each went in its own e-mail: due the same day, they would have gone in one, refused for the address.
    await setEmail(second, email.toUpperCase());
    const [mail] = await t.dataSource.query(`SELECT context FROM mail_messages WHERE template = 'survey' AND request_id = $1`, [first.id]);
    const declineLink = `${surveyLinkIn(String(mail.context.surveyUrl))}/refus`;

    const ask = await (await fetch(declineLink)).text();
    expect(ask).toContain('Ne plus recevoir de questionnaire pour cette demande</button>');
    expect(ask).toContain('name="portee" value="adresse">Ne plus recevoir aucun questionnaire du guichet vert à cette adresse</button>');
    const chosen = await fetch(declineLink, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'portee=adresse',
    });
    expect(chosen.status).toBe(303);
    expect(await statuses(first)).toEqual(['declined', 'declined']);
    expect(await statuses(second)).toEqual(['declined', 'declined']);
    expect(await optOutEvents(first)).toEqual([{ actor_type: 'buyer', is_public: false }]);
    const told = await (await fetch(declineLink)).text();
    expect(told).toContain('id="refus-adresse-enregistre"');
    expect(told).toContain('Vous ne recevrez plus aucun questionnaire du guichet vert à cette adresse');
    // A way on, never by the request's private link: a survey's link must not open the request.
    expect(told).toContain('<a class="fr-btn fr-btn--secondary" href="/suivi">Retrouver mes demandes</a>');
    expect(told).toContain('href="/">Page d’accueil du guichet vert</a>');
    expect(told).not.toContain('?t=');
    expect(told).not.toContain(first.token);

    // A later request of the same address is never surveyed.
    const later = await submittedAndTaken(t, 8);
    await setEmail(later, email);
    await staffWrites(t, later, 'answer', 'Voici la réponse.');
    await closeAs(t, later, 'answered');
    expect(await surveysOf(t, later.id)).toEqual([]);
  });

  it('a survey already queued when the address opts out is not sent by its due job', async () => {
    const request = await closedAsAnswered(t, 10);
    const [satisfaction] = await surveysOf(t, request.id);
    // Recorded as another request's opt-out would, after this one's timer was queued.
    const [hash] = surveyOptOutHashes(t.config.openingSecrets, (await emailOf(request)).toUpperCase());
    await t.dataSource.query(`INSERT INTO survey_opt_outs (email_hash, source) VALUES ($1, 'buyer')`, [hash]);
    await pastDue(t, time, request.id);
    await t.app.get(SurveysProcessor).handlers()['survey.due']!({ surveyId: satisfaction.id });
    expect(await statuses(request)).toEqual(['declined', 'scheduled']);
    expect(await t.dataSource.query(`SELECT 1 FROM mail_messages WHERE template = 'survey'`)).toEqual([]);
  });
});
