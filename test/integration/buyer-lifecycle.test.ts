import { LOGGER } from '../../src/common/logging/logging.module';
import { AppConfig } from '../../src/config/app-config';
import { Clock } from '../../src/common/clock';
import { runAsOne } from '../../src/database/sql-statement';
import type { StaffPrincipal } from '../../src/modules/accounts/accounts.types';
import { AutoCloseService } from '../../src/modules/auto-close/auto-close.service';
import { LifecycleSweepService } from '../../src/modules/auto-close/lifecycle-sweep.service';
import { BuyerNotificationsRepository } from '../../src/modules/buyer-notifications/buyer-notifications.repository';
import { BuyerNotificationsService } from '../../src/modules/buyer-notifications/buyer-notifications.service';
import { MailService } from '../../src/modules/mail/mail.service';
import { PrecisionRemindersService } from '../../src/modules/buyer-notifications/precision-reminders.service';
import { clarificationReminderAt, replyWindowEnd } from '../../src/modules/requests/reply-window.policy';
import { helpItemOf } from '../../src/modules/requests/request-message.types';
import { RequestMessagesRepository } from '../../src/modules/requests/request-messages.repository';
import { RequestsRepository } from '../../src/modules/requests/requests.repository';
import { WorkspaceService } from '../../src/modules/workspace/workspace.service';
import { OutboxRepository } from '../../src/queue/outbox.repository';
import { QueueService } from '../../src/queue/queue.service';
import { addWorkingDays, isWorkingDay, withinOfficeHours } from '../../src/common/working-days.policy';
import { wallClock, zoneOffset } from '../../src/common/local-clock';
import { timeMachine } from '../support/surveys';
import {
  frenchFilters,
  mailsTo,
  pastReplyWindow,
  staffWrites,
  submittedAndTaken,
  trackingLinkIn,
  TrackedTestRequest,
} from '../support/conversation';
import { samplePdf } from '../support/sample-files';
import { insertStaff } from '../support/staff';
import { bodyOf, flushQueues, TestApp, useTestApp, waitFor } from '../support/test-app';

const DEBOUNCE_SECONDS = 1;

describe('buyer e-mails (debounced, never twice) and automatic closure', () => {
  let t!: TestApp;
  useTestApp(
    (app) => (t = app), // An SMTP server that refuses: messages stay unsent, with their bodies, for the test to read.
    { BUYER_MAIL_DEBOUNCE_SECONDS: String(DEBOUNCE_SECONDS), SMTP_URL: 'smtp://127.0.0.1:9' },
    { api: true, worker: true },
  );

  const buyerMails = () => mailsTo(t, 'buyer-update');
  const settle = () => new Promise((resolve) => setTimeout(resolve, DEBOUNCE_SECONDS * 1000 + 1500));
  const state = async (r: TrackedTestRequest) =>
    (await t.dataSource.query(`SELECT status, close_reason, buyer_notified_event_id FROM requests WHERE id = $1`, [r.id]))[0];

  /** A public change by staff with no job at all, as if Redis had lost it. */
  async function changeWithoutJob(r: TrackedTestRequest) {
    const requests = t.app.get(RequestsRepository);
    await runAsOne(t.dataSource, [
      requests.statusStatement(r.id, 'closed', 'redirected'),
      requests.eventStatement({
        requestId: r.id,
        type: 'closed',
        fromStatus: 'in_progress',
        toStatus: 'closed',
        actorType: 'staff',
        actorId: r.facilitatorId,
        reason: 'redirected',
        isPublic: true,
      }),
    ]);
  }

  it('sends one e-mail for three quick changes, with the question, the answer, its help and the private link', async () => {
    const request = await submittedAndTaken(t, 1);
    await staffWrites(t, request, 'clarification_question', 'Quel <script>alert(1)</script> montant ?');
    await t.dataSource.query(`UPDATE requests SET status = 'in_progress' WHERE id = $1`, [request.id]);
    await staffWrites(
      t,
      request,
      'answer',
      'Voyez **l’article** ci-dessous.',
      [
        helpItemOf('regulation', { legalReferenceCode: 'ccp-l2111-1' }),
        helpItemOf('peer', {
          peerName: 'Alex Durand',
          peerOrganisation: 'Ville de Grenoble',
          peerContact: 'alex@example.org',
          peerConsent: true,
        }),
        helpItemOf('referral', { referralTarget: 'circular_economy', details: 'Le réseau régional' }),
      ],
      [{ name: 'Exemple de DCE.pdf', content: samplePdf() }],
    );
    // Third change: the buyer hears of the answer and of the closure in the same e-mail.
    await t.dataSource.query(`UPDATE requests SET status = 'closed', close_reason = 'answered' WHERE id = $1`, [request.id]);
    await runAsOne(t.dataSource, [
      t.app.get(RequestsRepository).eventStatement({
        requestId: request.id,
        type: 'closed',
        fromStatus: 'answered',
        toStatus: 'closed',
        actorType: 'staff',
        actorId: null,
        reason: 'answered',
        isPublic: true,
      }),
      ...t.app.get(BuyerNotificationsService).scheduleStatements(request.id, t.app.get(Clock).now()),
    ]);

    await waitFor(async () => (await buyerMails()).length > 0, 10_000, 'courriel à l’acheteur');
    await settle();
    const mails = await buyerMails();
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail.recipient).toBe('camille.martin+1@example.fr');
    // The subject names the request by its purchase too (a buyer may have several), then the answer, the news the
    // buyer waits for, and the closure that follows it, on which the body ends.
    expect(mail.subject).toBe(
      `Votre demande ${request.reference} « Fournitures de bureau et loi AGEC 1 » : la réponse du facilitateur, demande clôturée — Guichet vert`,
    );
    const link = `${t.config.PUBLIC_URL}/suivi/${request.reference}?t=${encodeURIComponent(request.token)}`;
    for (const body of [mail.text_body, mail.html_body]) {
      // The facilitator named as the tracking page names them (the test facilitator is Dominique).
      expect(body).toContain('Dominique vous demande une précision');
      expect(body).toContain('La réponse de Dominique');
      expect(body).toContain('Demande clôturée');
      // A referral's type says « structure »: PLIE or France Travail, among its targets, are no networks.
      expect(body).toContain('Orientation vers une autre structure : Réseau d’économie circulaire');
      expect(body).toContain('Exemple de DCE.pdf');
      expect(body).toContain('https://www.legifrance.gouv.fr/');
      // Closed in the same e-mail: no invitation to reply to the question or the answer any more.
      expect(body).not.toContain('Répondez depuis votre page de suivi');
      expect(body).not.toContain('Vous pouvez répondre au facilitateur');
    }
    // Closed by a person before the buyer's time was over: that time still runs, as the reply action counts it.
    const tracked = await bodyOf(
      fetch(`${t.url}/api/v1/requests/${request.reference}`, { headers: { 'x-tracking-token': request.token } }),
    );
    const until = frenchFilters.renderString('{{ at | frDeadline }}', { at: tracked.actions.replyUntil });
    expect(until).toMatch(/^\d{1,2}(er)? \S+ \d{4} (à \d\d:\d\d|au soir) \(heure de Paris\)$/);
    expect(mail.text_body).toContain(
      `Une remarque sur la réponse ? Vous pouvez encore y répondre depuis votre page de suivi jusqu’au ${until} : la demande sera rouverte.`,
    );
    expect(mail.text_body).toContain('Alex Durand, Ville de Grenoble, alex@example.org');
    expect(mail.html_body).toContain('Alex Durand, Ville de Grenoble, <a href="mailto:alex@example.org">alex@example.org</a>');
    expect(mail.text_body).toContain(link);
    expect(mail.html_body).toContain(link.replace(/&/g, '&amp;'));
    expect(mail.html_body).toContain('<strong>l’article</strong>');
    expect(mail.html_body).not.toContain('<script>alert(1)</script>');
    expect(mail.html_body).toContain('&lt;script&gt;');
  });

  it('an answer e-mail: its text part plain, the peer’s address a mailto link, its files named, the reply date the tracking page shows', async () => {
    const request = await submittedAndTaken(t, 30);
    await staffWrites(
      t,
      request,
      'answer',
      'La loi **EGAlim** impose *au moins* 50 % de produits durables :\n- voyez [ma-cantine](https://ma-cantine.agriculture.gouv.fr/)\n- et le guide',
      [
        helpItemOf('peer', {
          peerName: 'Alex Durand',
          peerOrganisation: 'Ville de Grenoble',
          peerContact: 'alex@example.org',
          peerConsent: true,
        }),
      ],
      [{ name: 'guide.pdf', content: samplePdf() }],
    );
    const recipient = 'camille.martin+30@example.fr';
    await waitFor(async () => (await buyerMails()).some((m) => m.recipient === recipient), 10_000, 'courriel de réponse');
    const mail = (await buyerMails()).find((m) => m.recipient === recipient)!;

    expect(mail.text_body).toContain(
      'La loi EGAlim impose au moins 50 % de produits durables :\n\n- voyez ma-cantine (https://ma-cantine.agriculture.gouv.fr/)\n- et le guide',
    );
    expect(mail.text_body).not.toMatch(/\*\*|\]\(/);
    expect(mail.html_body).toContain('<a href="mailto:alex@example.org">alex@example.org</a>');
    // The files as the tracking page names them; the e-mail keeps their names and sizes, never their bytes.
    const file = `guide.pdf (PDF – ${samplePdf().length} octets)`;
    expect(mail.text_body).toContain(`Fichiers joints, à télécharger depuis votre page de suivi (lien ci-dessous) :\n- ${file}`);
    expect(mail.html_body).toContain(`<li>${file}</li>`);
    const [{ context }] = await t.dataSource.query(`SELECT context FROM mail_messages WHERE recipient = $1 AND template = 'buyer-update'`, [
      recipient,
    ]);
    expect(context.changes[0].answers[0].files).toEqual([{ name: 'guide.pdf', detail: `PDF – ${samplePdf().length} octets` }]);

    // Its link lands on the answer, which the tracking page, long on a phone, announces at its top.
    const link = trackingLinkIn(mail.text_body, request.reference);
    expect(new URL(link).hash).toBe('#reponse');
    expect(mail.html_body).toContain(`href="${link}"`);
    const html = await (await fetch(link)).text();
    expect(html).toContain('<h2 class="fr-alert__title">La réponse de Dominique est arrivée</h2>');
    expect(html).toContain('<a href="#reponse">Aller à la réponse</a>');
    expect(html).toMatch(/<h3 class="fr-card__title" id="reponse">Dominique, du réseau [^<]+ — Réponse<\/h3>/);
    // Advice, not a legal opinion: said under the answer, on the page and in the e-mail.
    const scope = 'il ne constitue pas une consultation juridique, et les choix de votre marché restent de votre responsabilité.';
    expect(html).toContain(scope);
    for (const body of [mail.text_body, mail.html_body]) expect(body).toContain(scope);

    const tracked = await bodyOf(
      fetch(`${t.url}/api/v1/requests/${request.reference}`, { headers: { 'x-tracking-token': request.token } }),
    );
    const until = frenchFilters.renderString('{{ at | frDeadline }}', { at: tracked.actions.replyUntil });
    expect(until).toMatch(/^\d{1,2}(er)? \S+ \d{4} (à \d\d:\d\d|au soir) \(heure de Paris\)$/);
    for (const body of [mail.text_body, mail.html_body.replace(/<\/?strong>/g, '')]) {
      expect(body).toContain(
        `Vous pouvez répondre au facilitateur depuis votre page de suivi jusqu’au ${until} ; ensuite, la demande sera clôturée.`,
      );
      expect(body).toContain('avec le bouton « Ma question est résolue » : la demande est clôturée aussitôt.');
      expect(body).not.toContain('jours ouvrés ; ensuite');
    }
  });

  it('a precision asked: the e-mail gives the day the request closes without a reply, as its automatic closure counts it', async () => {
    const request = await submittedAndTaken(t, 31);
    await staffWrites(t, request, 'clarification_question', 'Quel est le montant estimé ?');
    const recipient = 'camille.martin+31@example.fr';
    await waitFor(async () => (await buyerMails()).some((m) => m.recipient === recipient), 10_000, 'courriel de précision');
    const mail = (await buyerMails()).find((m) => m.recipient === recipient)!;
    const [{ at, department_code }] = await t.dataSource.query(
      `SELECT e.created_at AS at, r.department_code FROM request_events e JOIN requests r ON r.id = e.request_id
        WHERE e.request_id = $1 AND e.to_status = 'awaiting_buyer'`,
      [request.id],
    );
    const closesAt = t.app.get(AutoCloseService).dueAt(at, department_code);
    const by = frenchFilters.renderString('{{ at | frDeadline }}', { at: closesAt });
    for (const body of [mail.text_body, mail.html_body.replace(/<\/?strong>/g, '')]) {
      expect(body).toContain(`Répondez depuis votre page de suivi d’ici le ${by} : sans réponse, la demande sera clôturée.`);
    }
  });

  /** The facilitator who holds the request, as the workspace knows them once signed in. */
  /** The holder's own account: the buyer's e-mail names a message's author from it. */
  const holderOf = async (request: TrackedTestRequest): Promise<StaffPrincipal> => ({
    id: (await insertStaff(t.dataSource, { role: 'facilitator', facilitatorId: request.facilitatorId })).id,
    email: 'facilitateur@example.org',
    firstName: 'Dominique',
    lastName: 'Test',
    role: 'facilitator',
    facilitatorId: request.facilitatorId,
    networkCodes: ['aura-ee'],
  });

  it('closing with a message: the buyer reads it, escaped, in the e-mail and in the tracking API', async () => {
    const request = await submittedAndTaken(t, 20);
    const staff = await holderOf(request);
    const message = 'Adressez-vous à la CCI de l’Isère, qui accompagne les entreprises. <b>Bonne suite</b>';
    await t.app.get(WorkspaceService).close(staff, request.reference, 'redirected', message);

    const recipient = 'camille.martin+20@example.fr';
    await waitFor(async () => (await buyerMails()).some((m) => m.recipient === recipient), 10_000, 'courriel à l’acheteur');
    const mail = (await buyerMails()).find((m) => m.recipient === recipient)!;
    expect(mail.subject).toBe(
      `Votre demande ${request.reference} « Fournitures de bureau et loi AGEC 20 » : demande clôturée — Guichet vert`,
    );
    expect(mail.text_body).toContain('Motif : Réorientée (hors du champ du guichet).');
    expect(mail.text_body).not.toContain('Vous pouvez encore y répondre');
    expect(mail.text_body).toContain(message);
    expect(mail.html_body).toContain('Adressez-vous à la CCI de l’Isère, qui accompagne les entreprises. &lt;b&gt;Bonne suite&lt;/b&gt;');

    const tracked = await bodyOf(
      fetch(`${t.url}/api/v1/requests/${request.reference}`, { headers: { 'x-tracking-token': request.token } }),
    );
    expect(tracked.status).toBe('closed');
    expect(tracked.conversation).toEqual([
      expect.objectContaining({ kind: 'closing_message', kindLabel: 'Message de clôture', fromBuyer: false, body: message }),
    ]);
  });

  it('a complement to the answer: the status stays, the buyer’s time to reply starts again, the e-mail names it', async () => {
    const request = await submittedAndTaken(t, 21);
    const workspace = t.app.get(WorkspaceService);
    const recipient = 'camille.martin+21@example.fr';
    const mailsToBuyer = async () => (await buyerMails()).filter((m) => m.recipient === recipient);
    expect(await workspace.answer(await holderOf(request), request.reference, { body: 'Voici la réponse.' }, [])).toBe('answer');
    await waitFor(async () => (await mailsToBuyer()).length === 1, 10_000, 'courriel de réponse');
    // Answered weeks ago: its window would be over.
    for (const table of ['request_events', 'request_messages']) {
      await t.dataSource.query(`UPDATE ${table} SET created_at = created_at - interval '30 days' WHERE request_id = $1`, [request.id]);
    }

    const file = { originalname: 'guide.pdf', buffer: samplePdf() };
    expect(await workspace.answer(await holderOf(request), request.reference, { body: 'J’ai oublié le guide.' }, [file])).toBe(
      'complement',
    );
    expect(await state(request)).toEqual(expect.objectContaining({ status: 'answered', close_reason: null }));
    expect(await t.app.get(AutoCloseService).closeIfDue(request.id)).toBe(false);
    await waitFor(async () => (await mailsToBuyer()).length === 2, 10_000, 'courriel du complément');
    const mail = (await mailsToBuyer())[1];
    expect(mail.subject).toBe(
      `Votre demande ${request.reference} « Fournitures de bureau et loi AGEC 21 » : complément à la réponse du facilitateur — Guichet vert`,
    );
    expect(mail.text_body).toContain('--- Complément à la réponse de Dominique ---');
    expect(mail.text_body).toContain('J’ai oublié le guide.');
    expect(mail.text_body).toContain('guide.pdf (PDF');
    expect(mail.text_body).not.toContain('Voici la réponse.');
    const tracked = await bodyOf(
      fetch(`${t.url}/api/v1/requests/${request.reference}`, { headers: { 'x-tracking-token': request.token } }),
    );
    expect(tracked.conversation.map((m: { kind: string; kindLabel: string; body: string }) => [m.kind, m.kindLabel, m.body])).toEqual([
      ['answer', 'Réponse', 'Voici la réponse.'],
      ['answer', 'Complément à la réponse', 'J’ai oublié le guide.'],
    ]);
    expect(tracked.history.at(-1)).toEqual(expect.objectContaining({ type: 'answer_completed', label: 'Complément à la réponse reçu' }));
  });

  it('a job delivered again, or the sweep after it, sends nothing more', async () => {
    const request = await submittedAndTaken(t, 2);
    await staffWrites(t, request, 'clarification_question', 'Une précision ?');
    await waitFor(async () => (await buyerMails()).length > 0, 10_000, 'courriel à l’acheteur');
    const mark = (await state(request)).buyer_notified_event_id;
    expect(mark).not.toBeNull();

    await t.app.get(QueueService).queue('lifecycle').add('buyer.notify', { requestId: request.id }, { jobId: 'again' });
    expect(await t.app.get(BuyerNotificationsService).notify(request.id)).toBe(false);
    await t.app.get(LifecycleSweepService).run();
    await settle();
    expect(await buyerMails()).toHaveLength(1);
    expect((await state(request)).buyer_notified_event_id).toBe(mark);
  });

  it('the sweep sends the e-mail whose job was lost, once the debounce delay is over', async () => {
    const request = await submittedAndTaken(t, 3);
    await changeWithoutJob(request);
    await flushQueues();
    await t.app.get(LifecycleSweepService).run();
    expect(await buyerMails()).toHaveLength(0); // still within the debounce delay
    await new Promise((resolve) => setTimeout(resolve, DEBOUNCE_SECONDS * 1000 + 100));
    await t.app.get(LifecycleSweepService).run();
    const mails = await buyerMails();
    expect(mails).toHaveLength(1);
    expect(mails[0].text_body).toContain('Motif : Réorientée (hors du champ du guichet).');
  });

  it('a request whose e-mail cannot be composed holds up none of the others in the sweep', async () => {
    const broken = await submittedAndTaken(t, 5);
    const sound = await submittedAndTaken(t, 6);
    // A sealed token that opens under no key, as split-off requests once had: composing its link fails.
    await t.dataSource.query(`UPDATE requests SET tracking_token_sealed = $2 WHERE id = $1`, [broken.id, Buffer.alloc(60, 7)]);
    await changeWithoutJob(broken);
    await changeWithoutJob(sound);
    await flushQueues();
    await new Promise((resolve) => setTimeout(resolve, DEBOUNCE_SECONDS * 1000 + 100));
    await t.app.get(LifecycleSweepService).run();
    expect((await buyerMails()).map((m) => m.recipient)).toEqual(['camille.martin+6@example.fr']);
    expect(t.logs.some((line) => line.includes('nouvelles non envoyées à l’acheteur de cette demande') && line.includes(broken.id))).toBe(
      true,
    );
  });

  it('a sweep reads the history written since the last clean one; the hourly full pass catches an event committed out of order', async () => {
    const clock = t.app.get(Clock);
    const lastEventId = async (r: TrackedTestRequest) =>
      Number((await t.dataSource.query(`SELECT max(id) AS id FROM request_events WHERE request_id = $1`, [r.id]))[0].id);
    const late = await submittedAndTaken(t, 7);
    await changeWithoutJob(late); // not yet past the debounce delay at the next sweep
    // Ids jump far ahead, and a later event is already past the delay: the next sweep ends beyond the first.
    await t.dataSource.query(`SELECT setval('request_events_id_seq', $1)`, [(await lastEventId(late)) + 5000]);
    const early = await submittedAndTaken(t, 8);
    await changeWithoutJob(early);
    await t.dataSource.query(`UPDATE request_events SET created_at = now() - interval '1 hour' WHERE id = $1`, [await lastEventId(early)]);
    await flushQueues();

    await t.app.get(LifecycleSweepService).run();
    expect((await buyerMails()).map((m) => m.recipient)).toEqual(['camille.martin+8@example.fr']);
    await new Promise((resolve) => setTimeout(resolve, DEBOUNCE_SECONDS * 1000 + 100));
    await t.app.get(LifecycleSweepService).run();
    expect(await buyerMails()).toHaveLength(1); // below where the last sweep ended, less its margin

    clock.travel(3600_000);
    try {
      await t.app.get(LifecycleSweepService).run();
    } finally {
      clock.travel(-3600_000);
    }
    expect((await buyerMails()).map((m) => m.recipient)).toEqual(['camille.martin+8@example.fr', 'camille.martin+7@example.fr']);
  });

  it('the hourly pass reads the last week of history, a worker’s first pass all of it: news whose job was lost goes out', async () => {
    const clock = t.app.get(Clock);
    const sweep = t.app.get(LifecycleSweepService);
    /** The sweep's state lives in memory: a worker just started has its own. */
    const startedWorker = () =>
      new BuyerNotificationsService(
        t.dataSource,
        t.app.get(BuyerNotificationsRepository),
        t.app.get(RequestsRepository),
        t.app.get(RequestMessagesRepository),
        t.app.get(OutboxRepository),
        t.app.get(MailService),
        clock,
        t.app.get(AppConfig),
        t.app.get(LOGGER),
      );
    const daysOld = (r: TrackedTestRequest, days: number) =>
      t.dataSource.query(`UPDATE request_events SET created_at = now() - $2 * interval '1 day' WHERE request_id = $1`, [r.id, days]);
    const jumpIds = async (r: TrackedTestRequest) => {
      const [{ id }] = await t.dataSource.query(`SELECT max(id) AS id FROM request_events WHERE request_id = $1`, [r.id]);
      await t.dataSource.query(`SELECT setval('request_events_id_seq', $1)`, [Number(id) + 5000]);
    };
    sweep.onApplicationShutdown(); // this test runs every pass itself
    try {
      const worker = startedWorker();
      await worker.sendOverdue(clock.now(), 500); // its first pass: nothing to send yet
      const old = await submittedAndTaken(t, 9);
      await changeWithoutJob(old);
      await daysOld(old, 8);
      await jumpIds(old);
      const quiet = await submittedAndTaken(t, 10); // no news; its history, also eight days old, ends where the hourly pass starts
      await daysOld(quiet, 8);
      // News of three days ago (an automatic closure held over a long weekend, its job lost): still within reach.
      const held = await submittedAndTaken(t, 12);
      await changeWithoutJob(held);
      await daysOld(held, 3);
      await jumpIds(held);
      const quietSince = await submittedAndTaken(t, 13); // no news, two and a half days old
      await daysOld(quietSince, 2.5);
      const recent = await submittedAndTaken(t, 11);
      await changeWithoutJob(recent);
      await flushQueues();
      await new Promise((resolve) => setTimeout(resolve, DEBOUNCE_SECONDS * 1000 + 100));

      clock.travel(3600_000);
      try {
        await worker.sendOverdue(clock.now(), 500);
      } finally {
        clock.travel(-3600_000);
      }
      expect((await buyerMails()).map((m) => m.recipient).sort()).toEqual(['camille.martin+11@example.fr', 'camille.martin+12@example.fr']);
      await startedWorker().sendOverdue(clock.now(), 500);
      expect((await buyerMails()).map((m) => m.recipient).slice(2)).toEqual(['camille.martin+9@example.fr']);
    } finally {
      sweep.onApplicationBootstrap();
    }
  });

  it('closes an answered request at the end of the reply window as answered: place freed, system event, buyer told', async () => {
    const clock = t.app.get(Clock);
    const request = await submittedAndTaken(t, 4);
    await staffWrites(t, request, 'answer', 'La réponse.');
    await waitFor(async () => (await buyerMails()).length === 1, 10_000, 'courriel de réponse');
    expect(await t.app.get(AutoCloseService).closeIfDue(request.id)).toBe(false); // the window is still open
    const past = pastReplyWindow(t);
    clock.travel(past);
    try {
      await t.app.get(LifecycleSweepService).run();
      expect(await state(request)).toEqual(expect.objectContaining({ status: 'closed', close_reason: 'answered' }));
      const [{ open_count }] = await t.dataSource.query(`SELECT open_count FROM facilitators WHERE id = $1`, [request.facilitatorId]);
      expect(open_count).toBe(0);
      const events = await t.dataSource.query(
        `SELECT type, from_status, to_status, actor_type, reason, is_public FROM request_events WHERE request_id = $1 ORDER BY id DESC LIMIT 1`,
        [request.id],
      );
      expect(events).toEqual([
        { type: 'auto_closed', from_status: 'answered', to_status: 'closed', actor_type: 'system', reason: 'answered', is_public: true },
      ]);
      // A second pass, or the timer arriving late, changes nothing.
      expect(await t.app.get(AutoCloseService).closeIfDue(request.id)).toBe(false);
      await waitFor(async () => (await buyerMails()).length === 2, 10_000, 'courriel de clôture');
      const closure = (await buyerMails())[1];
      expect(closure.subject).toContain('demande clôturée');
      expect(closure.text_body).toContain(
        'Motif : Réponse apportée. Le délai pour réagir à la réponse est passé sans message de votre part.',
      );
      expect(closure.text_body).not.toContain('Vous pouvez encore y répondre');
    } finally {
      clock.travel(-past);
    }
  });

  it.each([
    ['38', 'Europe/Paris', 'heure de Paris', 40],
    ['974', 'Indian/Reunion', 'heure de La Réunion', 42],
  ] as const)(
    'a request answered at 22:40 on a Friday (département %s) closes, and its buyer is e-mailed, only within office hours',
    async (department, zone, clockLabel, n) => {
      const clock = t.app.get(Clock);
      const time = timeMachine(() => t);
      /** `hour`:`minute` on the zone's clock, `days` after the calendar day of `from` there. */
      const localAt = (from: Date, days: number, hour: number, minute: number) => {
        const { year, month, day } = wallClock(zone, from.getTime());
        const wall = Date.UTC(year, month - 1, day + days, hour, minute);
        return new Date(wall - zoneOffset(zone, wall));
      };
      // A Friday some weeks ahead whose Thursday and Friday are worked there.
      let friday = localAt(clock.now(), 14, 22, 40);
      while (new Date(friday.getTime() + zoneOffset(zone, friday.getTime())).getUTCDay() !== 5 || !isWorkingDay(friday, department)) {
        friday = localAt(friday, 1, 22, 40);
      }
      const thursday = localAt(friday, -1, 22, 40);
      expect(isWorkingDay(thursday, department)).toBe(true);

      const answered = await submittedAndTaken(t, n);
      const asking = await submittedAndTaken(t, n + 1);
      const mailsOf = async (r: TrackedTestRequest) =>
        (await buyerMails()).filter((m) => m.recipient === `camille.martin+${r.id === answered.id ? n : n + 1}@example.fr`);
      for (const r of [answered, asking])
        await t.dataSource.query(`UPDATE requests SET department_code = $2 WHERE id = $1`, [r.id, department]);
      await staffWrites(t, answered, 'answer', 'La réponse.');
      await staffWrites(t, asking, 'clarification_question', 'Quel volume ?');
      for (const r of [answered, asking]) await waitFor(async () => (await mailsOf(r)).length === 1, 10_000, 'premier courriel');
      // Answered on Friday at 22:40, the precision asked on Thursday at 22:40, the buyer's time.
      for (const [r, at] of [
        [answered, friday],
        [asking, thursday],
      ] as const) {
        for (const table of ['request_events', 'request_messages']) {
          await t.dataSource.query(`UPDATE ${table} SET created_at = $2 WHERE request_id = $1`, [r.id, at]);
        }
      }
      const days = t.config.REPLY_WINDOW_WORKING_DAYS;
      const answeredEnd = replyWindowEnd(friday, department, days);
      const askingEnd = replyWindowEnd(thursday, department, days);
      // Told the hour it closes, at the opening of the buyer's office: the hour the closure keeps.
      const tracked = await bodyOf(
        fetch(`${t.url}/api/v1/requests/${answered.reference}`, { headers: { 'x-tracking-token': answered.token } }),
      );
      expect(tracked.actions.replyUntil).toBe(answeredEnd.toISOString());
      expect(frenchFilters.renderString('{{ at | frDeadline(d) }}', { at: tracked.actions.replyUntil, d: department })).toMatch(
        new RegExp(`à 09:00 \\(${clockLabel}\\)$`),
      );
      try {
        // The evening of the day the precision's window ended at 09:00 (a worker down all day): it closes, but the
        // buyer's e-mail waits for the morning, whether its job or a sweep comes to it.
        time.forward(localAt(askingEnd, 0, 17, 30).getTime() - clock.now().getTime());
        await t.app.get(LifecycleSweepService).run();
        expect(await state(asking)).toEqual(expect.objectContaining({ status: 'closed', close_reason: 'no_reply' }));
        await settle();
        await t.app.get(LifecycleSweepService).run();
        expect(await t.app.get(BuyerNotificationsService).notify(asking.id)).toBe(false);
        expect(await mailsOf(asking)).toHaveLength(1);

        // 22:41 ten working days after the answer, when the answer's window used to end: still open.
        time.forward(addWorkingDays(friday, days, department).getTime() + 60_000 - clock.now().getTime());
        await t.app.get(LifecycleSweepService).run();
        expect(await state(answered)).toEqual(expect.objectContaining({ status: 'answered', close_reason: null }));
        await settle();
        expect(await mailsOf(asking)).toHaveLength(1);

        // The buyer's office opens: the answered request closes, and each buyer is e-mailed once.
        time.past(answeredEnd);
        const opening = clock.now(); // read once: the test clock runs on between two readings
        expect(withinOfficeHours(opening, department)).toEqual(opening);
        await t.app.get(LifecycleSweepService).run();
        expect(await state(answered)).toEqual(expect.objectContaining({ status: 'closed', close_reason: 'answered' }));
        await waitFor(async () => (await mailsOf(answered)).length === 2, 10_000, 'courriel de clôture');
        await waitFor(async () => (await mailsOf(asking)).length === 2, 10_000, 'courriel de clôture retenu');
        await settle();
        await t.app.get(LifecycleSweepService).run();
        for (const r of [answered, asking]) {
          const mails = await mailsOf(r);
          expect(mails).toHaveLength(2);
          expect(mails[1].subject).toContain('demande clôturée');
        }
        expect((await mailsOf(asking))[1].text_body).toContain('Motif :');
        expect(askingEnd.getTime()).toBeLessThan(answeredEnd.getTime());
      } finally {
        time.back();
      }
    },
  );

  it('reminds once a buyer who still owes the precision, three working days before the request closes without it', async () => {
    const clock = t.app.get(Clock);
    const reminders = t.app.get(PrecisionRemindersService);
    const silent = await submittedAndTaken(t, 7);
    await staffWrites(t, silent, 'clarification_question', 'Quel est le <b>volume</b> annuel ?');
    // Too early: nothing.
    expect(await reminders.remindDue(50)).toBe(0);
    const [{ askedAt }] = await t.dataSource.query(
      `SELECT created_at AS "askedAt" FROM request_events WHERE request_id = $1 AND to_status = 'awaiting_buyer'`,
      [silent.id],
    );
    const due = clarificationReminderAt(askedAt, '38', t.config.REPLY_WINDOW_WORKING_DAYS)!;
    const travel = due.getTime() - clock.now().getTime() + 60_000;
    clock.travel(travel);
    try {
      expect(await reminders.remindDue(50)).toBe(1);
      expect(await reminders.remindDue(50)).toBe(0);
      const [mail] = await mailsTo(t, 'buyer-precision-reminder');
      expect(mail.recipient).toBe((await t.dataSource.query(`SELECT buyer_email AS e FROM requests WHERE id = $1`, [silent.id]))[0].e);
      expect(mail.subject).toBe(
        `Votre demande ${silent.reference} « Fournitures de bureau et loi AGEC 7 » : une précision vous est toujours demandée — Guichet vert`,
      );
      expect(mail.text_body).toContain('Quel est le <b>volume</b> annuel ?');
      expect(mail.html_body).toContain('Quel est le &lt;b&gt;volume&lt;/b&gt; annuel ?');
      const closesAt = replyWindowEnd(askedAt, '38', t.config.REPLY_WINDOW_WORKING_DAYS);
      expect(mail.text_body).toContain(`avant le ${frenchFilters.renderString('{{ at | frDeadline("38") }}', { at: closesAt })}`);
      expect(mail.text_body).toContain(`/suivi/${silent.reference}?t=`);
      const [event] = await t.dataSource.query(
        `SELECT is_public FROM request_events WHERE request_id = $1 AND type = 'precision_reminded'`,
        [silent.id],
      );
      expect(event).toEqual({ is_public: false });
    } finally {
      clock.travel(-travel);
    }
  });

  it('a reminder due at 10:00 while the worker was down is not sent by the sweep at 22:00, but once at the next opening', async () => {
    const clock = t.app.get(Clock);
    const time = timeMachine(() => t);
    const silent = await submittedAndTaken(t, 44);
    const remindersOf = async () =>
      (await mailsTo(t, 'buyer-precision-reminder')).filter((m) => m.recipient === 'camille.martin+44@example.fr');
    await staffWrites(t, silent, 'clarification_question', 'Quel volume ?');
    /** `hour`:00 in Paris, `days` after the calendar day of `from` there. */
    const parisAt = (from: Date, days: number, hour: number) => {
      const { year, month, day } = wallClock('Europe/Paris', from.getTime());
      const wall = Date.UTC(year, month - 1, day + days, hour);
      return new Date(wall - zoneOffset('Europe/Paris', wall));
    };
    // Asked at 10:00 on a working day some weeks ahead: reminded at 10:00, seven working days later.
    let askedAt = parisAt(clock.now(), 14, 10);
    while (!isWorkingDay(askedAt, '38')) askedAt = parisAt(askedAt, 1, 10);
    for (const table of ['request_events', 'request_messages']) {
      await t.dataSource.query(`UPDATE ${table} SET created_at = $2 WHERE request_id = $1`, [silent.id, askedAt]);
    }
    const due = clarificationReminderAt(askedAt, '38', t.config.REPLY_WINDOW_WORKING_DAYS)!;
    expect(wallClock('Europe/Paris', due.getTime()).hour).toBe(10);
    try {
      // The worker is down from 10:00 until 22:00: its first sweep finds the reminder due, and leaves it for the morning.
      time.forward(parisAt(due, 0, 22).getTime() - clock.now().getTime());
      await t.app.get(LifecycleSweepService).run();
      expect(await remindersOf()).toHaveLength(0);

      // The buyer's office opens: one reminder, and no second at the next sweep.
      const opening = withinOfficeHours(clock.now(), '38');
      expect(wallClock('Europe/Paris', opening.getTime()).hour).toBe(9);
      time.past(opening);
      await t.app.get(LifecycleSweepService).run();
      await t.app.get(LifecycleSweepService).run();
      expect(await remindersOf()).toHaveLength(1);
      expect(await state(silent)).toEqual(expect.objectContaining({ status: 'awaiting_buyer' }));
    } finally {
      time.back();
    }
  });

  it('a note written while the request waits on the buyer moves neither its closure nor its reminder', async () => {
    const clock = t.app.get(Clock);
    const answered = await submittedAndTaken(t, 8);
    await staffWrites(t, answered, 'answer', 'La réponse.');
    const asking = await submittedAndTaken(t, 9);
    await staffWrites(t, asking, 'clarification_question', 'Quel volume ?');
    // A line that keeps the status (an internal note), written days after the answer or question.
    const noteLater = (r: TrackedTestRequest, status: string) =>
      t.dataSource.query(
        `INSERT INTO request_events (request_id, type, from_status, to_status, actor_type, is_public, created_at)
         VALUES ($1, 'internal_note', $2, $2, 'staff', false, now() + interval '5 days')`,
        [r.id, status],
      );
    await noteLater(answered, 'answered');
    const reminders = t.app.get(PrecisionRemindersService);
    const [{ askedAt }] = await t.dataSource.query(
      `SELECT created_at AS "askedAt" FROM request_events WHERE request_id = $1 AND to_status = 'awaiting_buyer'`,
      [asking.id],
    );
    const remindAt = clarificationReminderAt(askedAt, '38', t.config.REPLY_WINDOW_WORKING_DAYS)!.getTime() - clock.now().getTime() + 60_000;
    clock.travel(remindAt);
    try {
      expect(await reminders.remindDue(50)).toBe(1);
      await noteLater(asking, 'awaiting_buyer');
      expect(await reminders.remindDue(50)).toBe(0);
    } finally {
      clock.travel(-remindAt);
    }
    const past = pastReplyWindow(t);
    clock.travel(past);
    try {
      await t.app.get(LifecycleSweepService).run();
      expect(await state(answered)).toEqual(expect.objectContaining({ status: 'closed', close_reason: 'answered' }));
      expect(await state(asking)).toEqual(expect.objectContaining({ status: 'closed', close_reason: 'no_reply' }));
    } finally {
      clock.travel(-past);
    }
  });

  it('closes a precision never given as no_reply through its timer job; a request the buyer answered is left alone', async () => {
    const clock = t.app.get(Clock);
    const silent = await submittedAndTaken(t, 5);
    const answering = await submittedAndTaken(t, 6);
    await staffWrites(t, silent, 'clarification_question', 'Une précision ?');
    await staffWrites(t, answering, 'clarification_question', 'Une précision ?');
    const reply = await fetch(`${t.url}/api/v1/requests/${answering.reference}/clarification`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tracking-token': answering.token },
      body: JSON.stringify({ message: 'La voici.' }),
    });
    expect(reply.status).toBe(200);
    const past = pastReplyWindow(t);
    clock.travel(past);
    try {
      const queue = t.app.get(QueueService).queue('lifecycle');
      for (const r of [silent, answering]) await queue.add('request.auto-close', { requestId: r.id }, { jobId: `test-${r.id}` });
      await waitFor(async () => (await state(silent)).status === 'closed', 10_000, 'clôture automatique');
      expect(await state(silent)).toEqual(expect.objectContaining({ status: 'closed', close_reason: 'no_reply' }));
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await state(answering)).toEqual(expect.objectContaining({ status: 'in_progress', close_reason: null }));
    } finally {
      clock.travel(-past);
    }
  });
});
