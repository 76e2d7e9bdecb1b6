import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { shortened } from '../../src/common/french-format';
import { MailRepository } from '../../src/modules/mail/mail.repository';
import { MailService } from '../../src/modules/mail/mail.service';
import { MailTransport } from '../../src/modules/mail/mail-transport';
import { RetentionService } from '../../src/modules/retention/retention.service';
import { surveyOptOutHashes } from '../../src/modules/surveys/survey-opt-out.policy';
import { sentMailFile, staffWrites, submittedAndTaken, TrackedTestRequest } from '../support/conversation';
import { bearerFor, insertStaff } from '../support/staff';
import { answerSatisfaction, closeAs, pastDue, runDueSurveys, surveysOf, timeMachine } from '../support/surveys';
import { TestApp, useTestApp } from '../support/test-app';

/**
 * A grouped survey e-mail is checked again as it goes (no mail worker here: the test delivers it once the change is
 * made): what no longer stands since it was queued is left out, its subject recounted.
 */
describe('a grouped survey e-mail at sending time', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app), { MAIL_DIR: `${process.env.MAIL_DIR}/survey-grouping-sending` });
  const time = timeMachine(() => t);
  afterEach(() => time.back());

  const ADDRESS = 'claire.dupont@example.fr';
  const subjectOf = (n: number) => `Achat numéro ${n} de fournitures écoresponsables pour les écoles et les services de la commune`;
  async function closedFor(n: number): Promise<TrackedTestRequest> {
    const request = await submittedAndTaken(t, n);
    await t.dataSource.query(`UPDATE requests SET buyer_email = $2, subject = $3 WHERE id = $1`, [request.id, ADDRESS, subjectOf(n)]);
    await staffWrites(t, request, 'answer', 'Voici la réponse.');
    await closeAs(t, request, 'answered');
    return request;
  }
  /** Three requests of one address, their satisfaction surveys queued in one e-mail: its id, each request's link. */
  async function groupQueued(): Promise<{ buyer: TrackedTestRequest[]; mailId: string; links: string[] }> {
    const buyer = [await closedFor(1), await closedFor(2), await closedFor(3)];
    await pastDue(t, time, buyer[2].id);
    await runDueSurveys(t);
    const [mail] = await t.dataSource.query(`SELECT id, context FROM mail_messages WHERE template = 'survey-group'`);
    const entries: Array<{ reference: string; surveyUrl: string }> = mail.context.entries;
    const links = buyer.map((request) => entries.find((entry) => entry.reference === request.reference)!.surveyUrl);
    return { buyer, mailId: mail.id, links };
  }
  const statuses = async (requests: TrackedTestRequest[]) =>
    Promise.all(requests.map(async (request) => (await surveysOf(t, request.id)).map((s) => s.status)));
  const headerOf = (mail: string, name: string) => new RegExp(`^${name}: (.*)$`, 'm').exec(mail)?.[1];

  /** What makes a request's link no longer stand before the e-mail goes. */
  const changes: Array<[string, (request: TrackedTestRequest, link: string) => Promise<void>]> = [
    [
      'refused from its own link',
      async (_request, link) => {
        const response = await fetch(`${link}/refus`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
        expect(response.status).toBe(303);
      },
    ],
    [
      'withdrawn by a reopening',
      async (request) => {
        const response = await fetch(`${t.url}/api/v1/requests/${request.reference}/replies`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-tracking-token': request.token },
          body: JSON.stringify({ message: 'Finalement, une précision sur le lot 2.' }),
        });
        expect(response.status).toBe(200);
      },
    ],
    [
      'whose link a correction of its address renewed',
      async (request) => {
        const response = await fetch(`${t.url}/api/v1/staff/requests/${request.reference}/buyer-contact`, {
          method: 'POST',
          headers: { authorization: await bearerFor(t, { role: 'animator', networks: ['aura-ee'] }), 'content-type': 'application/json' },
          body: JSON.stringify({ firstName: 'Claire', lastName: 'Dupont', email: 'claire.dupont@example.org', organisationName: 'Isère' }),
        });
        expect(response.status).toBe(200);
      },
    ],
  ];

  it.each(changes)('a request %s meanwhile: the e-mail goes listing the two others, its subject recounted', async (_label, change) => {
    const { buyer, mailId, links } = await groupQueued();
    await change(buyer[1], links[1]);
    await t.app.get(MailService).deliver(mailId);

    const mail = await sentMailFile(t, 'survey-group', ADDRESS);
    expect(headerOf(mail, 'Subject')).toBe('Vos 2 demandes : les réponses vous ont-elles été utiles ? — Guichet vert');
    for (const i of [0, 2]) {
      expect(mail).toContain(`Demande ${buyer[i].reference} (« ${shortened(subjectOf(i + 1))} »)`);
      expect(mail).toContain(`${links[i]}?usefulness=yes`);
    }
    expect(mail).not.toContain(buyer[1].reference);
    expect(mail).not.toContain(links[1]);
    // Still the address's refusal, now by the links the e-mail carries.
    expect(mail).toContain(`${links[0]}.${links[2].slice(links[2].lastIndexOf('/') + 1)}/refus?portee=adresse`);
  });

  it('one request left: it goes as an ungrouped survey’s e-mail would, with its request’s refusal', async () => {
    const { buyer, mailId, links } = await groupQueued();
    await changes[0][1](buyer[0], links[0]);
    await changes[1][1](buyer[2], links[2]);
    await t.app.get(MailService).deliver(mailId);

    const mail = await sentMailFile(t, 'survey', ADDRESS);
    const { reference } = buyer[1];
    expect(headerOf(mail, 'Subject')).toBe(
      `Demande ${reference} « ${shortened(subjectOf(2))} » : la réponse vous a-t-elle été utile ? — Guichet vert`,
    );
    // The single survey's text, not the grouped one's in the singular.
    expect(mail).toContain(`Votre demande ${reference} (« ${subjectOf(2)} ») est clôturée.`);
    expect(mail).not.toContain('Vos demandes ci-dessous');
    expect(mail).toContain(`${links[1]}?usefulness=yes`);
    expect(mail).toContain(`Pour ne plus recevoir de questionnaire pour cette demande ou pour toutes vos demandes :\n${links[1]}/refus\n`);
    expect(mail).not.toContain('portee=adresse');
    expect(headerOf(mail, 'List-Unsubscribe')).toBe(`<${links[1]}/refus>`);
    // In the request's thread, as its other e-mails.
    expect(headerOf(mail, 'References')).toContain(buyer[1].id);
  });

  it('a reminder leaves out a survey answered since it was queued', async () => {
    const { buyer, mailId } = await groupQueued();
    await t.app.get(MailService).deliver(mailId);
    await pastDue(t, time, buyer[2].id);
    await runDueSurveys(t);
    const [reminder] = await t.dataSource.query(`SELECT id FROM mail_messages WHERE template = 'survey-group' AND status <> 'sent'`);
    // Answered between the reminder's queuing and its sending: no « Rappel » for it.
    await t.dataSource.query(
      `UPDATE surveys SET status = 'completed', completed_at = now(), answered_at = now() WHERE request_id = $1 AND wave = 'satisfaction'`,
      [buyer[0].id],
    );
    await t.app.get(MailService).deliver(reminder.id);

    const mail = await sentMailFile(t, 'survey-group', ADDRESS, 2);
    expect(headerOf(mail, 'Subject')).toBe('Rappel — Vos 2 demandes : les réponses vous ont-elles été utiles ? — Guichet vert');
    expect(mail).not.toContain(buyer[0].reference);
    for (const request of buyer.slice(1)) expect(mail).toContain(request.reference);
  });

  it.each([
    [
      'does not go once the survey is answered since it was queued, as a grouped one',
      async (_requestId: string, link: string) => expect((await answerSatisfaction(link)).status).toBe(303),
    ],
    [
      'does not go once the survey expired since it was queued (a late worker, an SMTP retry): its link would say it is over',
      async (requestId: string) => {
        await pastDue(t, time, requestId);
        await runDueSurveys(t);
        expect((await surveysOf(t, requestId))[0].status).toBe('expired');
      },
    ],
  ])('a single survey’s reminder %s', async (_label, change) => {
    const request = await closedFor(1);
    await pastDue(t, time, request.id);
    await runDueSurveys(t);
    const [first] = await t.dataSource.query(`SELECT id, context FROM mail_messages WHERE template = 'survey'`);
    await t.app.get(MailService).deliver(first.id);
    await pastDue(t, time, request.id);
    await runDueSurveys(t);
    const [reminder] = await t.dataSource.query(`SELECT id FROM mail_messages WHERE template = 'survey' AND status <> 'sent'`);
    await change(request.id, first.context.surveyUrl);
    await t.app.get(MailService).deliver(reminder.id);

    expect(await t.dataSource.query(`SELECT status FROM mail_messages WHERE id = $1`, [reminder.id])).toEqual([]);
    expect((await readdir(resolve(t.config.MAIL_DIR))).filter((f) => f.startsWith(reminder.id))).toHaveLength(0);
  });

  /** A request's satisfaction survey queued in an e-mail of its own: the request, the e-mail's id, its link. */
  async function singleQueued(): Promise<{ request: TrackedTestRequest; mailId: string; link: string }> {
    const request = await closedFor(1);
    await pastDue(t, time, request.id);
    await runDueSurveys(t);
    const [mail] = await t.dataSource.query(`SELECT id, context FROM mail_messages WHERE template = 'survey'`);
    return { request, mailId: mail.id, link: mail.context.surveyUrl };
  }

  it.each([
    ['withdrawn by a reopening (its surveys cancelled)', changes[1][1], false],
    ['refused from its own link', changes[0][1], false],
    // The correction drops the e-mails not sent yet: not one a worker holds, which the rule alone stops.
    ['whose link a correction of its address renewed, a worker holding the e-mail', changes[2][1], true],
  ])('a single survey’s first e-mail does not go for a request %s since it was queued', async (_label, change, held) => {
    const { request, mailId, link } = await singleQueued();
    if (held) await deliverClaimed(mailId, () => change(request, link));
    else {
      await change(request, link);
      await t.app.get(MailService).deliver(mailId);
    }

    expect(await t.dataSource.query(`SELECT 1 FROM mail_messages WHERE id = $1`, [mailId])).toEqual([]);
    expect((await readdir(resolve(t.config.MAIL_DIR)).catch(() => [] as string[])).filter((f) => f.startsWith(mailId))).toEqual([]);
  });

  it('a single survey’s first e-mail whose link stands goes as it was queued', async () => {
    const { mailId, link } = await singleQueued();
    await t.app.get(MailService).deliver(mailId);

    expect(await sentMailFile(t, 'survey', ADDRESS)).toContain(`${link}?usefulness=yes`);
    expect(await t.dataSource.query(`SELECT status FROM mail_messages WHERE id = $1`, [mailId])).toEqual([{ status: 'sent' }]);
  });

  it('sent, it keeps which requests it listed: an erasure takes out its own, the others’ record stays', async () => {
    const { buyer, mailId } = await groupQueued();
    await t.app.get(MailService).deliver(mailId);
    const admin = await insertStaff(t.dataSource, { role: 'admin' });
    const listed = async () =>
      (await t.dataSource.query(`SELECT status, context FROM mail_messages WHERE id = $1`, [mailId])).map(
        (row: { status: string; context: { entries: Array<{ requestId: string }> } }) => [
          row.status,
          row.context.entries.map((entry) => entry.requestId),
        ],
      );

    await t.app.get(RetentionService).eraseOnRequest(buyer[0].id, admin.id);
    expect(await listed()).toEqual([['sent', [buyer[1].id, buyer[2].id]]]);
    for (const request of buyer.slice(1)) await t.app.get(RetentionService).eraseOnRequest(request.id, admin.id);
    expect(await listed()).toEqual([]);
  });

  it('cut down to one request, it is kept as that request’s survey e-mail: erasing another request of the address leaves it', async () => {
    const { buyer, mailId, links } = await groupQueued();
    await changes[0][1](buyer[0], links[0]);
    await changes[1][1](buyer[2], links[2]);
    await t.app.get(MailService).deliver(mailId);
    const admin = await insertStaff(t.dataSource, { role: 'admin' });

    await t.app.get(RetentionService).eraseOnRequest(buyer[0].id, admin.id);
    expect(await t.dataSource.query(`SELECT template, request_id, status FROM mail_messages WHERE id = $1`, [mailId])).toEqual([
      { template: 'survey', request_id: buyer[1].id, status: 'sent' },
    ]);
  });

  /** Delivers the message, running `meanwhile` after it was revised, as it goes. */
  async function deliverWith(mailId: string, meanwhile: () => Promise<unknown>): Promise<void> {
    const transport = t.app.get(MailTransport);
    const send = transport.send.bind(transport);
    const spy = jest.spyOn(transport, 'send').mockImplementation(async (mail) => {
      await meanwhile();
      await send(mail);
    });
    try {
      await t.app.get(MailService).deliver(mailId);
    } finally {
      spy.mockRestore();
    }
  }

  /** Delivers the message, running `meanwhile` once a worker claimed it, before its template's rule reads it. */
  async function deliverClaimed(mailId: string, meanwhile: () => Promise<unknown>): Promise<void> {
    const mails = t.app.get(MailRepository);
    const claim = mails.claim.bind(mails);
    const spy = jest.spyOn(mails, 'claim').mockImplementation(async (...args) => {
      const claimed = await claim(...args);
      await meanwhile();
      return claimed;
    });
    try {
      await t.app.get(MailService).deliver(mailId);
    } finally {
      spy.mockRestore();
    }
  }

  it('a request erased while it goes: its record does not come back with the e-mail’s', async () => {
    const { buyer, mailId } = await groupQueued();
    const admin = await insertStaff(t.dataSource, { role: 'admin' });
    await deliverWith(mailId, () => t.app.get(RetentionService).eraseOnRequest(buyer[0].id, admin.id));

    const [mail] = await t.dataSource.query(`SELECT status, request_id, context FROM mail_messages WHERE id = $1`, [mailId]);
    expect(mail).toEqual({
      status: 'sent',
      request_id: null,
      context: { entries: [{ requestId: buyer[1].id }, { requestId: buyer[2].id }] },
    });
  });

  it('cut down to one request erased while it goes: no record of it is left', async () => {
    const { buyer, mailId, links } = await groupQueued();
    await changes[0][1](buyer[0], links[0]);
    await changes[1][1](buyer[2], links[2]);
    const admin = await insertStaff(t.dataSource, { role: 'admin' });
    await deliverWith(mailId, () => t.app.get(RetentionService).eraseOnRequest(buyer[1].id, admin.id));

    expect(await t.dataSource.query(`SELECT 1 FROM mail_messages WHERE id = $1`, [mailId])).toEqual([]);
  });

  it('eleven surveys due together: one e-mail lists ten, the eleventh goes in its own', async () => {
    const buyer: TrackedTestRequest[] = [];
    for (let n = 1; n <= 11; n++) buyer.push(await closedFor(n));
    await pastDue(t, time, buyer[10].id);
    await runDueSurveys(t);

    const mails = await t.dataSource.query(
      `SELECT template, jsonb_array_length(context->'entries') AS listed FROM mail_messages WHERE template LIKE 'survey%' ORDER BY template`,
    );
    expect(mails).toEqual([
      { template: 'survey', listed: null },
      { template: 'survey-group', listed: 10 },
    ]);
    expect((await statuses(buyer)).map(([satisfaction]) => satisfaction)).toEqual(Array(11).fill('sent'));
  });

  it('a refusal link of more tokens than an e-mail lists is not found', async () => {
    const { links } = await groupQueued();
    const key = (n: number) => `${links[0]}${`.${links[1].slice(links[1].lastIndexOf('/') + 1)}`.repeat(n - 1)}/refus?portee=adresse`;
    expect((await fetch(key(10))).status).toBe(200);
    expect((await fetch(key(11))).status).toBe(404);
  });

  it('the address’s opt-out drops the grouped e-mail not sent yet', async () => {
    const { buyer, links } = await groupQueued();
    const response = await fetch(`${links[1]}/refus`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'portee=adresse',
    });
    expect(response.status).toBe(303);
    expect(await t.dataSource.query(`SELECT 1 FROM mail_messages WHERE template LIKE 'survey%'`)).toEqual([]);
    expect((await statuses(buyer)).map(([satisfaction]) => satisfaction)).toEqual(['declined', 'declined', 'declined']);
  });

  it('the address opted out meanwhile: the e-mail is withheld, every survey of the group declined', async () => {
    const { buyer, mailId } = await groupQueued();
    // Recorded as another request's opt-out would, after the e-mail was queued.
    const [hash] = surveyOptOutHashes(t.config.openingSecrets, ADDRESS.toUpperCase());
    await t.dataSource.query(`INSERT INTO survey_opt_outs (email_hash, source) VALUES ($1, 'buyer')`, [hash]);
    await t.app.get(MailService).deliver(mailId);

    expect(await t.dataSource.query(`SELECT 1 FROM mail_messages WHERE template LIKE 'survey%'`)).toEqual([]);
    expect((await readdir(resolve(t.config.MAIL_DIR)).catch(() => [] as string[])).filter((f) => f.startsWith(mailId))).toEqual([]);
    expect(await statuses(buyer)).toEqual([
      ['declined', 'scheduled'],
      ['declined', 'scheduled'],
      ['declined', 'scheduled'],
    ]);
  });
});
