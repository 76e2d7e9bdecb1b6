import { BuyerNotificationsService } from '../../src/modules/buyer-notifications/buyer-notifications.service';
import { exampleRequestBody } from '../../src/modules/intake/dto/create-request.example';
import { sentMailFile, staffWrites, submittedAndTaken } from '../support/conversation';
import { closeAs, closedAsAnswered, pastDue, runDueSurveys, surveyLinkIn, timeMachine } from '../support/surveys';
import { bearerFor, StaffClient } from '../support/staff';
import { submitRequest, TestApp, useTestApp } from '../support/test-app';

/** The Subject of a sent e-mail, as its file gives it. */
const subjectOf = (mail: string) => /^Subject: (.*)$/m.exec(mail)![1].trim();

/** The mails of a buyer with several requests from one address, as their inbox lists and shows them. */
describe('a buyer’s e-mails tell their requests apart and say what they hold', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app), {}, { api: true, worker: true });
  const time = timeMachine(() => t);
  afterEach(() => time.back());

  it('each acknowledgement’s subject names the request by its reference and its purchase, shortened', async () => {
    const email = 'claude.acheteur@example.fr';
    // Each purchase, and how the subject shows it: cut at a word past 50 characters.
    const purchases = [
      ['Papier recyclé pour les écoles', 'Papier recyclé pour les écoles'],
      [
        'Restauration collective : produits durables et de qualité dans les cantines des collèges du département',
        'Restauration collective : produits durables et de…',
      ],
    ];
    // Each read once sent, before the next one is asked for.
    const sent: string[] = [];
    for (const [index, [subject, shown]] of purchases.entries()) {
      const reference = await submitRequest(t, 40 + index, { subject, buyer: { ...(exampleRequestBody(40).buyer as object), email } });
      sent.push(await sentMailFile(t, 'request-acknowledgement', email, index + 1));
      expect(subjectOf(sent[index])).toBe(`Votre demande ${reference} « ${shown} » est bien reçue — Guichet vert`);
    }
    // Signed as every other mail of the desk.
    expect(sent[1]).toContain('Le guichet vert');

    // Their links sent again: worded as every other mail's.
    expect((await new StaffClient(t.url).submit('/suivi', '/suivi', { email })).status).toBe(200);
    const links = await sentMailFile(t, 'tracking-links', email);
    expect(links).toContain('Chaque lien est personnel : il donne accès à la demande, ne le transférez pas.');
    expect(links).not.toContain('transmettez');
    expect(links).toContain('Le guichet vert');
  });

  it('an answer and the closure in one e-mail: the subject names both, as the body ends on the closure', async () => {
    const request = await submittedAndTaken(t, 43);
    await staffWrites(t, request, 'answer', 'Voici la réponse.');
    await closeAs(t, request, 'answered');
    // Both within one debounce window: the job the window would run, run now.
    expect(await t.app.get(BuyerNotificationsService).notify(request.id)).toBe(true);
    const mail = await sentMailFile(t, 'buyer-update', 'camille.martin+43@example.fr');
    expect(subjectOf(mail)).toBe(
      `Votre demande ${request.reference} « Fournitures de bureau et loi AGEC 43 » : la réponse du facilitateur, demande clôturée — Guichet vert`,
    );
    expect(mail).toContain('Clôturée');
    expect(mail).not.toContain('L’équipe du guichet vert');
  });

  it('a corrected address and a split: each mail names the request by its reference and its purchase', async () => {
    const request = await submittedAndTaken(t, 45);
    const holder = await bearerFor(t, { role: 'facilitator', facilitatorId: request.facilitatorId, networks: ['aura-ee'] });
    const api = (path: string, body: unknown) =>
      fetch(`${t.url}/api/v1/staff/requests/${request.reference}${path}`, {
        method: 'POST',
        headers: { authorization: holder, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const about = `${request.reference} « Fournitures de bureau et loi AGEC 45 »`;
    const moved = 'dominique.durand@autre-exemple.fr';
    const corrected = await api('/buyer-contact', { firstName: 'Dominique', lastName: 'Durand', email: moved, organisationName: 'Isère' });
    expect(corrected.status).toBe(200);
    // The former address is told, the new one gets its link: both may hold other requests of the buyer.
    expect(subjectOf(await sentMailFile(t, 'buyer-email-changed', 'camille.martin+45@example.fr'))).toBe(
      `Demande ${about} : l’adresse électronique de suivi a changé — Guichet vert`,
    );
    expect(subjectOf(await sentMailFile(t, 'buyer-tracking-link', moved))).toBe(`Demande ${about} : votre lien de suivi — Guichet vert`);

    const question = 'Nous voulons aussi intégrer une clause d’insertion dans le marché de nettoyage : combien d’heures réserver ?';
    const split = await api('/split', {
      topics: [{ subject: 'Clause d’insertion pour le nettoyage', question, kind: 'social_clause', segment: 'office_supplies' }],
    });
    expect(split.status).toBe(200);
    expect(subjectOf(await sentMailFile(t, 'buyer-split', moved))).toBe(`Votre demande ${about} devient 2 demandes — Guichet vert`);
  });

  it('the survey offers to refuse for this request or all of them, as its page does, and lists its one-click answers', async () => {
    const request = await closedAsAnswered(t, 44);
    await pastDue(t, time, request.id);
    await runDueSurveys(t);
    const mail = await sentMailFile(t, 'survey', 'camille.martin+44@example.fr');
    expect(subjectOf(mail)).toBe(
      `Demande ${request.reference} « Fournitures de bureau et loi AGEC 44 » : la réponse vous a-t-elle été utile ? — Guichet vert`,
    );
    const link = surveyLinkIn(mail);
    expect(mail).toContain(`Pour ne plus recevoir de questionnaire pour cette demande ou pour toutes vos demandes :\n${link}/refus`);
    expect(mail).toContain('>Ne plus recevoir de questionnaire pour cette demande ou pour toutes vos demandes</a>');
    // Three answers, each an item of a list: read as text, they stay apart.
    const list = /<ul[^>]*>([\s\S]*?)<\/ul>/.exec(mail)![1];
    expect(list.match(/<li[^>]*><a href="[^"]+\?usefulness=[a-z]+"[^>]*>[^<]+<\/a><\/li>/g)).toHaveLength(3);
    expect(mail).toContain('Le guichet vert');
    expect(mail).not.toContain('L’équipe du guichet vert');

    // The page it opens offers both refusals; refused for the whole address, it says whom to write to, to change one’s mind.
    const page = await (await fetch(`${link}/refus`)).text();
    expect(page).toContain('Ne plus recevoir de questionnaire pour cette demande</button>');
    expect(page).toContain('Ne plus recevoir aucun questionnaire du guichet vert à cette adresse</button>');
    const refused = await fetch(`${link}/refus`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'portee=adresse',
    });
    expect(refused.status).toBe(303);
    const [{ contact }] = await t.dataSource.query(
      `SELECT n.contact_email AS contact FROM requests r JOIN networks n ON n.code = r.network_code WHERE r.id = $1`,
      [request.id],
    );
    expect(contact).toBeTruthy();
    const done = await (await fetch(`${link}/refus`)).text();
    expect(done).toContain(`Si vous changez d’avis, écrivez au réseau`);
    expect(done).toContain(`<a href="mailto:${contact}">${contact}</a>, en indiquant la référence`);
  });
});
