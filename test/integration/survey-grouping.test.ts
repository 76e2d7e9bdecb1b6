import { shortened } from '../../src/common/french-format';
import { MailComposer } from '../../src/modules/mail/mail-composer';
import { RetentionService } from '../../src/modules/retention/retention.service';
import { SurveysProcessor } from '../../src/modules/surveys/surveys.processor';
import { SurveysService } from '../../src/modules/surveys/surveys.service';
import { bearerFor, insertStaff } from '../support/staff';
import { mailsTo, staffWrites, submittedAndTaken, TrackedTestRequest } from '../support/conversation';
import { closeAs, pastDue, runDueSurveys, surveyLinkIn, surveysOf, timeMachine } from '../support/surveys';
import { bodyOf, TestApp, useTestApp } from '../support/test-app';

/** A buyer with several requests closed the same day hears of their surveys in one e-mail per wave and step, not one each. */
describe('survey e-mails grouped by the buyer’s address', () => {
  let t!: TestApp;
  // An SMTP server that refuses: messages stay unsent, with their context, for the test to read.
  useTestApp((app) => (t = app), { SMTP_URL: 'smtp://127.0.0.1:9' }, { api: true, worker: true });
  const time = timeMachine(() => t);
  afterEach(() => time.back());

  const ADDRESS = 'claire.dupont@example.fr';
  const subjectOf = (n: number) => `Achat numéro ${n} de fournitures écoresponsables pour les écoles et les services de la commune`;
  async function closedFor(n: number, email: string): Promise<TrackedTestRequest> {
    const request = await submittedAndTaken(t, n);
    await t.dataSource.query(`UPDATE requests SET buyer_email = $2, subject = $3 WHERE id = $1`, [request.id, email, subjectOf(n)]);
    await staffWrites(t, request, 'answer', 'Voici la réponse.');
    await closeAs(t, request, 'answered');
    return request;
  }
  const rows = () =>
    t.dataSource.query(
      `SELECT template, lower(recipient) AS recipient, subject, request_id, context FROM mail_messages WHERE template LIKE 'survey%' ORDER BY created_at`,
    );
  const statuses = async (requests: TrackedTestRequest[]) =>
    Promise.all(requests.map(async (request) => (await surveysOf(t, request.id)).map((s) => s.status)));
  /** A form posted as a browser (or, for List-Unsubscribe, a mail client) does, its redirection not followed. */
  const postForm = (url: string | URL, body: string) =>
    fetch(url, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  const EVERY_WAVE_DECLINED = [
    ['declined', 'declined'],
    ['declined', 'declined'],
    ['declined', 'declined'],
  ];
  /** Every survey link of a body, in its order. */
  const linksIn = (body: string) => [...new Set(body.match(/http:\/\/[^\s"<?]+\/questionnaire\/[A-Za-z0-9_-]{43}(?![/?])/g))];

  it('three surveys of one address due the same day go as one e-mail listing each; another address gets its own', async () => {
    const buyer = [await closedFor(1, ADDRESS), await closedFor(2, ADDRESS.toUpperCase()), await closedFor(3, ADDRESS)];
    const stranger = await closedFor(4, 'autre.acheteur@example.fr');
    await pastDue(t, time, buyer[2].id);
    await runDueSurveys(t);
    // Replayed: the sweep again, and each survey's own timer job.
    await runDueSurveys(t);
    for (const request of [...buyer, stranger]) {
      for (const { id } of await surveysOf(t, request.id)) {
        expect(await t.app.get(SurveysService).step(id)).toBe('nothing');
        await t.app.get(SurveysProcessor).handlers()['survey.due']!({ surveyId: id });
      }
    }

    // Each survey recorded as sent, so its reminder and the impact wave follow as for one alone.
    expect(await statuses(buyer)).toEqual([
      ['sent', 'scheduled'],
      ['sent', 'scheduled'],
      ['sent', 'scheduled'],
    ]);
    const mails = await rows();
    expect(mails.map((m: { template: string; recipient: string }) => [m.template, m.recipient]).sort()).toEqual([
      ['survey', 'autre.acheteur@example.fr'],
      ['survey-group', ADDRESS],
    ]);
    const [group] = (await mailsTo(t, 'survey-group')) as Array<{ subject: string; text_body: string; html_body: string }>;
    expect(group.subject).toBe('Vos 3 demandes : les réponses vous ont-elles été utiles ? — Guichet vert');
    const links = linksIn(group.text_body);
    expect(links).toHaveLength(3);
    for (const [i, request] of buyer.entries()) {
      expect(group.text_body).toContain(`Demande ${request.reference} (« ${shortened(subjectOf(i + 1))} »)`);
      expect(group.text_body).toContain(`${links[i]}?usefulness=partly`);
      expect(group.html_body).toContain(links[i]);
      // Each link opens its own request's survey.
      const page = await (await fetch(links[i])).text();
      expect(page).toContain(request.reference);
      for (const other of buyer.filter((r) => r !== request)) expect(page).not.toContain(other.reference);
    }

    // The other address's mail is today's, unchanged.
    const [single] = await mailsTo(t, 'survey');
    expect(single.subject).toMatch(
      new RegExp(`^Demande ${stranger.reference} « .+ » : la réponse vous a-t-elle été utile \\? — Guichet vert$`),
    );
    expect(single.text_body).toContain(`${surveyLinkIn(single.text_body)}/refus`);
  });

  it('a grouped e-mail to a mailbox shared by buyers of different names greets none of them by name', async () => {
    const buyer = [await closedFor(1, ADDRESS), await closedFor(2, ADDRESS)];
    await t.dataSource.query(`UPDATE requests SET buyer_first_name = 'Sophie' WHERE id = $1`, [buyer[1].id]);
    await pastDue(t, time, buyer[1].id);
    await runDueSurveys(t);
    const [group] = await mailsTo(t, 'survey-group');
    expect(group.text_body).toMatch(/^Bonjour,\n/);
    expect(group.html_body).toContain('<p>Bonjour,</p>');
  });

  it('their reminders go as one e-mail too', async () => {
    const buyer = [await closedFor(1, ADDRESS), await closedFor(2, ADDRESS.toUpperCase())];
    await pastDue(t, time, buyer[1].id);
    await runDueSurveys(t);
    await pastDue(t, time, buyer[1].id);
    await runDueSurveys(t);
    await runDueSurveys(t);
    expect(await statuses(buyer)).toEqual([
      ['reminded', 'scheduled'],
      ['reminded', 'scheduled'],
    ]);
    const subjects = (await rows()).map((m: { subject: string }) => m.subject);
    expect(subjects).toEqual([
      'Vos 2 demandes : les réponses vous ont-elles été utiles ? — Guichet vert',
      'Rappel — Vos 2 demandes : les réponses vous ont-elles été utiles ? — Guichet vert',
    ]);
  });

  it('a single due survey keeps its own e-mail, with its request’s refusal', async () => {
    const request = await closedFor(1, ADDRESS);
    await pastDue(t, time, request.id);
    await runDueSurveys(t);
    const mails = await rows();
    expect(mails.map((m: { template: string; request_id: string }) => [m.template, m.request_id])).toEqual([['survey', request.id]]);
    expect(mails[0].subject).toBe(
      `Demande ${request.reference} « ${shortened(subjectOf(1))} » : la réponse vous a-t-elle été utile ? — Guichet vert`,
    );
    expect(mails[0].context.declineUrl).toMatch(/\/questionnaire\/[A-Za-z0-9_-]{43}\/refus$/);
  });

  it('the grouped e-mail’s one-click unsubscribe declines its requests’ surveys as from their link, with no opt-out', async () => {
    const buyer = [await closedFor(1, ADDRESS), await closedFor(2, ADDRESS.toUpperCase()), await closedFor(3, ADDRESS)];
    const stranger = await closedFor(4, 'autre.acheteur@example.fr');
    await pastDue(t, time, buyer[2].id);
    await runDueSurveys(t);
    const [group] = (await rows()).filter((m: { template: string }) => m.template === 'survey-group');
    const { unsubscribeUrl } = new MailComposer().compose({ template: 'survey-group', subject: group.subject, context: group.context });
    expect(unsubscribeUrl).toMatch(/\/refus\?portee=adresse$/);
    // RFC 8058: what a mail client posts, with no way for the buyer to say which request they meant.
    expect((await postForm(unsubscribeUrl!, 'List-Unsubscribe=One-Click')).status).toBe(303);
    expect(await statuses(buyer)).toEqual(EVERY_WAVE_DECLINED);
    expect(await statuses([stranger])).toEqual([['sent', 'scheduled']]);
    const ways = await t.dataSource.query(`SELECT DISTINCT declined_via FROM surveys WHERE status = 'declined'`);
    expect(ways).toEqual([{ declined_via: 'link' }]);
    // Not the address-wide opt-out: a request closed later is surveyed as before.
    expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM survey_opt_outs`))[0].n).toBe(0);
    expect(await statuses([await closedFor(5, ADDRESS)])).toEqual([['scheduled', 'scheduled']]);
  });

  it('the grouped e-mail’s one-click unsubscribe leaves alone the address’s requests it does not list', async () => {
    const buyer = [await closedFor(1, ADDRESS), await closedFor(2, ADDRESS)];
    await pastDue(t, time, buyer[1].id);
    await runDueSurveys(t);
    const [group] = (await rows()).filter((m: { template: string }) => m.template === 'survey-group');
    // Closed since: the e-mail does not name it, its buyer never saw a word of it there.
    const later = await closedFor(3, ADDRESS);
    expect((await postForm(group.context.declineUrl, 'List-Unsubscribe=One-Click')).status).toBe(303);
    expect(await statuses(buyer)).toEqual(EVERY_WAVE_DECLINED.slice(1));
    expect(await statuses([later])).toEqual([['scheduled', 'scheduled']]);
  });

  it('a grouped e-mail given up shows on the staff page of each request it lists', async () => {
    const buyer = [await closedFor(1, ADDRESS), await closedFor(2, ADDRESS)];
    await pastDue(t, time, buyer[1].id);
    await runDueSurveys(t);
    await t.dataSource.query(
      `UPDATE mail_messages SET status = 'abandoned', last_error = '550 5.1.1 mailbox full' WHERE template = 'survey-group'`,
    );
    const authorization = await bearerFor(t, { role: 'admin' });
    for (const request of buyer) {
      const page = await bodyOf(fetch(`${t.url}/api/v1/staff/requests/${request.reference}`, { headers: { authorization } }));
      expect(page.undeliveredToBuyer).toEqual([
        {
          subject: 'Vos 2 demandes : les réponses vous ont-elles été utiles ? — Guichet vert',
          reason: '550 5.1.1 mailbox full',
          at: expect.any(String),
        },
      ]);
    }
  });

  it('an erasure takes its request out of a grouped e-mail not sent yet or given up, and drops one sent to its address that kept no requests', async () => {
    const buyer = [await closedFor(1, ADDRESS), await closedFor(2, ADDRESS), await closedFor(3, ADDRESS)];
    await pastDue(t, time, buyer[2].id);
    await runDueSurveys(t);
    const admin = await insertStaff(t.dataSource, { role: 'admin' });
    const groupRows = () => t.dataSource.query(`SELECT status, context FROM mail_messages WHERE template = 'survey-group'`);

    await t.app.get(RetentionService).eraseOnRequest(buyer[0].id, admin.id);
    const [left] = await groupRows();
    expect(left.context.entries.map((e: { requestId: string }) => e.requestId)).toEqual([buyer[1].id, buyer[2].id]);
    expect(JSON.stringify(left.context)).not.toContain(buyer[0].reference);
    expect(JSON.stringify(left.context)).not.toContain(subjectOf(1));

    // Given up, it loses the request's entry too: resent, it lists the others.
    await t.dataSource.query(`UPDATE mail_messages SET status = 'abandoned' WHERE template = 'survey-group'`);
    await t.app.get(RetentionService).eraseOnRequest(buyer[1].id, admin.id);
    expect((await groupRows()).map((row: { context: { entries: unknown[] } }) => row.context.entries.length)).toEqual([1]);

    // Sent before sent ones kept their requests, it has only the address: every such one sent there goes with the erasure.
    await t.dataSource.query(
      `INSERT INTO mail_messages (id, template, recipient, subject, status) VALUES (gen_random_uuid(), 'survey-group', $1, 'Vos 2 demandes', 'sent')`,
      [ADDRESS.toUpperCase()],
    );
    await t.app.get(RetentionService).eraseOnRequest(buyer[2].id, admin.id);
    expect(await groupRows()).toEqual([]);
  });

  it('the grouped e-mail’s refusal still works once its first listed request is erased', async () => {
    const buyer = [await closedFor(1, ADDRESS), await closedFor(2, ADDRESS), await closedFor(3, ADDRESS)];
    await pastDue(t, time, buyer[2].id);
    await runDueSurveys(t);
    const [group] = (await rows()).filter((m: { template: string }) => m.template === 'survey-group');
    const declineUrl: string = group.context.declineUrl;
    const admin = await insertStaff(t.dataSource, { role: 'admin' });
    // The first listed request, whose link the refusal's used to be alone.
    await t.app.get(RetentionService).eraseOnRequest(buyer[0].id, admin.id);

    const page = await fetch(declineUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Ne plus recevoir de questionnaire — toutes vos demandes');
    expect((await postForm(declineUrl, 'List-Unsubscribe=One-Click')).status).toBe(303);
    expect(await statuses(buyer.slice(1))).toEqual(EVERY_WAVE_DECLINED.slice(1));
  });

  it('an erasure of every request a queued grouped e-mail lists drops it', async () => {
    const buyer = [await closedFor(1, ADDRESS), await closedFor(2, ADDRESS)];
    await pastDue(t, time, buyer[1].id);
    await runDueSurveys(t);
    const admin = await insertStaff(t.dataSource, { role: 'admin' });
    for (const request of buyer) await t.app.get(RetentionService).eraseOnRequest(request.id, admin.id);
    expect(await t.dataSource.query(`SELECT status FROM mail_messages WHERE template = 'survey-group'`)).toEqual([]);
  });

  it('the grouped e-mail’s refusal page speaks of all the buyer’s requests, not of the first one alone', async () => {
    const buyer = [await closedFor(1, ADDRESS), await closedFor(2, ADDRESS), await closedFor(3, ADDRESS)];
    await pastDue(t, time, buyer[2].id);
    await runDueSurveys(t);
    const [group] = (await rows()).filter((m: { template: string }) => m.template === 'survey-group');
    const declineUrl: string = group.context.declineUrl;
    expect(declineUrl).toMatch(/\/refus\?portee=adresse$/);

    const page = await (await fetch(declineUrl)).text();
    expect(page).toContain('<title>Ne plus recevoir de questionnaire — toutes vos demandes');
    expect(page).toContain('aucun questionnaire ne vous sera plus envoyé à cette adresse');
    // One choice, the e-mail's: no « this request » button acting on the first request only, and no request named.
    expect(page).not.toContain('pour cette demande</button>');
    expect(page).toContain('<input type="hidden" name="portee" value="adresse">');
    for (const request of buyer) expect(page).not.toContain(request.reference);

    const action = /<form method="post" action="([^"]+)">/.exec(page)![1];
    expect((await postForm(new URL(action, t.url), 'portee=adresse')).status).toBe(303);
    expect(await statuses(buyer)).toEqual(EVERY_WAVE_DECLINED);
    // The page's explicit button, read before it acts: the address's opt-out, for good.
    expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM survey_opt_outs`))[0].n).toBe(1);
    expect(await (await fetch(declineUrl)).text()).toContain('id="refus-adresse-enregistre"');
  });
});
