import { Clock } from '../../src/common/clock';
import { localDay } from '../../src/common/local-clock';
import { frenchFilters, mailsTo, staffWrites } from '../support/conversation';
import { closeAs, closedAsAnswered, DAY_MS, pastDue, runDueSurveys, surveyLinkIn, surveysOf, timeMachine } from '../support/surveys';
import { bearerFor, csrfIn, insertStaff, StaffClient } from '../support/staff';
import { TestApp, useTestApp } from '../support/test-app';

const XSS = '"><img src=x onerror=alert(1)><script>alert(2)</script>';

describe('the buyer’s survey pages', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app), { SMTP_URL: 'smtp://127.0.0.1:9', LOG_LEVEL: 'info' });
  const time = timeMachine(() => t);
  afterEach(() => time.back());

  /** A request closed as answered, its survey(s) sent: the links of the e-mails, satisfaction first. */
  async function sentSurveys(n: number, wave: 'satisfaction' | 'impact' = 'satisfaction') {
    const request = await closedAsAnswered(t, n);
    await pastDue(t, time, request.id, wave);
    await runDueSurveys(t);
    const mails = await mailsTo(t, 'survey');
    return { request, links: mails.map((m) => surveyLinkIn(m.text_body)) };
  }
  const post = (link: string, form: Record<string, string | string[]>) => {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(form)) for (const v of ([] as string[]).concat(value)) body.append(name, v);
    return fetch(link, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  };
  const snapshot = async (requestId: string) => ({
    surveys: await t.dataSource.query(`SELECT * FROM surveys WHERE request_id = $1 ORDER BY wave`, [requestId]),
    events: await t.dataSource.query(`SELECT count(*)::int AS n FROM request_events WHERE request_id = $1`, [requestId]),
  });

  it('a GET, even from a one-click link, only shows the form with the answer preselected: nothing is recorded', async () => {
    const { request, links } = await sentSurveys(1);
    const before = await snapshot(request.id);
    for (const url of [links[0], `${links[0]}?usefulness=yes`]) {
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
    // Each one-click link of the e-mail says what it answers, read alone in a list of links (RGAA 6.1).
    const [invitation] = await mailsTo(t, 'survey');
    for (const label of ['Oui, elle m’a été utile', 'En partie utile', 'Non, pas utile']) {
      expect(invitation.html_body).toMatch(new RegExp(`<a href="[^"]+\\?usefulness=[a-z]+"[^>]*>${label}</a>`));
    }
    // The e-mail promises no one-click answer: its buttons open the page, which asks to confirm.
    expect(invitation.html_body).not.toContain('Un clic suffit');
    expect(invitation.html_body).toContain('la réponse du facilitateur vous a-t-elle été utile ? Deux questions, une minute.');
    // The second question is required: only the comment is said to be optional.
    const secondQuestion =
      'vous confirmez votre réponse et répondez à une seconde question, courte elle aussi ; le commentaire est facultatif.';
    expect(invitation.html_body).toContain(secondQuestion);
    expect(invitation.text_body).toContain(secondQuestion);
    const html = await (await fetch(`${links[0]}?usefulness=partly`)).text();
    expect(html).toMatch(/id="f-usefulness-partly" name="usefulness" value="partly" checked/);
    // The page says so first, and opens there: nothing is recorded until the form is sent.
    expect(html).toContain('<div class="fr-alert fr-alert--info fr-mb-4w" id="choix-preselectionne" tabindex="-1" data-focus-on-load>');
    expect(html).toContain('Votre choix est pré-sélectionné, pas encore enregistré');
    expect(html.indexOf('id="choix-preselectionne"')).toBeLessThan(html.indexOf('<form method="post"'));
    expect(await (await fetch(links[0])).text()).not.toContain('choix-preselectionne');
    expect(html).not.toMatch(/value="yes" checked/);
    expect(html).toContain('<legend');
    expect(html).toContain(request.reference);
    // Who reads the comment, said before it is written.
    expect(html).toContain('Lu par les animateurs du réseau, qui peuvent le transmettre au facilitateur qui vous a répondu.');
    expect(await snapshot(request.id)).toEqual(before);
  });

  it('the tracking page links to the open survey, until it expires', async () => {
    const { request, links } = await sentSurveys(5);
    const tracking = `${t.url}/suivi/${request.reference}?t=${encodeURIComponent(request.token)}`;
    const html = await (await fetch(tracking)).text();
    expect(html).toContain(
      `href="${links[0]}">Répondre au questionnaire<span class="fr-sr-only"> : Questionnaire de satisfaction</span></a>`,
    );
    const [{ expires_at: expiresAt }] = await surveysOf(t, request.id);
    time.past(new Date(expiresAt!));
    expect(await (await fetch(tracking)).text()).not.toContain('/questionnaire/');
    // Expired unanswered, once the sweep has marked it so: its link says it is closed.
    await runDueSurveys(t);
    expect((await surveysOf(t, request.id))[0]).toEqual(expect.objectContaining({ status: 'expired' }));
    const closed = await fetch(links[0]);
    expect(closed.status).toBe(410);
    expect(await closed.text()).toContain('Ce questionnaire est clos : il ne reçoit plus de réponses.');
  });

  it('stays open all of the day its e-mail and page announce, in the buyer’s time', async () => {
    const request = await closedAsAnswered(t, 6);
    await t.dataSource.query(`UPDATE requests SET department_code = '974' WHERE id = $1`, [request.id]);
    await pastDue(t, time, request.id);
    await runDueSurveys(t);
    const [mail] = await mailsTo(t, 'survey');
    const link = surveyLinkIn(mail.text_body);
    const [{ expires_at: expiresAt }] = await surveysOf(t, request.id);
    const lastDay = localDay('974', new Date(new Date(expiresAt!).getTime() - 60_000));
    const said = frenchFilters.renderString('{{ at | frDate("974") }}', { at: `${lastDay}T12:00:00+04:00` });
    expect(mail.text_body).toContain(`jusqu’au ${said}.`);
    // 23:00 on La Réunion on the day announced: the page names that day, and takes answers.
    time.past(new Date(`${lastDay}T23:00:00+04:00`));
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`Vous pouvez répondre jusqu’au ${said}.`);
    expect((await post(link, { usefulness: 'yes', quickEnough: 'yes' })).status).toBe(303);
    // Midnight passed there: closed.
    time.past(new Date(expiresAt!));
    expect((await fetch(link)).status).toBe(410);
  });

  it('records on POST, refuses a wrong answer with the form kept, and stays editable until expiry', async () => {
    const { request, links } = await sentSurveys(2);
    const link = links[0];

    const refused = await post(link, { usefulness: 'partly', comment: XSS });
    expect(refused.status).toBe(400);
    const refusedHtml = await refused.text();
    expect(refusedHtml).toContain('1 erreur empêche l’envoi de vos réponses');
    expect(refusedHtml).toContain('Indiquez si la réponse est arrivée assez vite.');
    expect(refusedHtml).toMatch(/value="partly" checked/);
    expect(refusedHtml).toContain('&lt;script&gt;alert(2)&lt;/script&gt;</textarea>');
    expect(refusedHtml).not.toContain('<script>alert(2)');
    expect((await surveysOf(t, request.id))[0].status).toBe('sent');

    const saved = await post(link, { usefulness: 'partly', quickEnough: 'yes', comment: XSS });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`${new URL(link).pathname}?fait=enregistre`);
    const [first] = await t.dataSource.query(
      `SELECT status, usefulness, quick_enough, comment, completed_at, answered_at FROM surveys WHERE request_id = $1 AND wave = 'satisfaction'`,
      [request.id],
    );
    expect(first).toEqual(expect.objectContaining({ status: 'completed', usefulness: 'partly', quick_enough: true, comment: XSS }));
    expect(first.completed_at).toEqual(first.answered_at);
    const page = await (await fetch(`${link}?fait=enregistre`)).text();
    expect(page).toContain('Merci, vos réponses sont enregistrées');
    // The outcome is the page's title too, what a screen reader announces first.
    expect(page).toContain(`<title>Réponses enregistrées — Questionnaire de satisfaction — demande ${request.reference}`);
    expect(page).toMatch(/value="partly" checked/);

    time.forward(10 * DAY_MS);
    expect((await post(link, { usefulness: 'yes', quickEnough: 'no' })).status).toBe(303);
    const [second] = await t.dataSource.query(
      `SELECT status, usefulness, quick_enough, comment, completed_at, answered_at FROM surveys WHERE request_id = $1 AND wave = 'satisfaction'`,
      [request.id],
    );
    expect(second).toEqual(expect.objectContaining({ status: 'completed', usefulness: 'yes', quick_enough: false, comment: null }));
    expect(second.completed_at).toEqual(first.completed_at);
    expect(new Date(second.answered_at).getTime()).toBeGreaterThan(new Date(first.answered_at).getTime());
    const completedEvents = await t.dataSource.query(
      `SELECT actor_type, reason, is_public FROM request_events WHERE request_id = $1 AND type = 'survey_completed'`,
      [request.id],
    );
    expect(completedEvents).toEqual([{ actor_type: 'buyer', reason: 'satisfaction', is_public: false }]);

    // A completed survey is never reminded, and its link closes at expiry.
    await runDueSurveys(t);
    expect(await mailsTo(t, 'survey')).toHaveLength(1);
    time.past(new Date((await surveysOf(t, request.id))[0].expires_at!));
    // Closed, said so: the link was right (410, not « not found »).
    const closed = await fetch(link);
    expect(closed.status).toBe(410);
    const closedPage = await closed.text();
    expect(closedPage).toContain('<h1>Questionnaire clos</h1>');
    expect(closedPage).toContain('Ce questionnaire est clos : vos réponses sont enregistrées, elles ne peuvent plus être modifiées.');
    expect((await post(link, { usefulness: 'no', quickEnough: 'no' })).status).toBe(410);
    expect((await surveysOf(t, request.id))[0]).toEqual(expect.objectContaining({ status: 'completed' }));
  });

  it('records every field of the impact survey', async () => {
    const { request, links } = await sentSurveys(3, 'impact');
    const impact = links[1]; // sent after the satisfaction one, both being due
    // « Obligatoires sauf mention » : every group one may leave empty says so.
    const form = await (await fetch(impact)).text();
    expect(form).toContain('Quels leviers avez-vous utilisés ? (facultatif)');
    expect(form).toContain('Considérations environnementales du marché (si la consultation est publiée ou le marché notifié)');
    expect(form).toContain('Considérations sociales du marché (si la consultation est publiée ou le marché notifié)');
    const refused = await post(impact, { contractOutcome: 'yes', levers: ['award_criterion'], wouldUseAgain: 'yes' });
    expect(refused.status).toBe(400);
    const html = await refused.text();
    for (const message of [
      'Indiquez la date de publication ou de notification.',
      'Indiquez le poids du critère en pourcentage : un nombre entier de 1 à 100, sans décimale.',
      'Indiquez les considérations environnementales du marché',
    ])
      expect(html).toContain(message);
    expect(html).toMatch(/id="f-levers-award_criterion" name="levers" value="award_criterion" checked/);

    // Signed after the request, before today.
    const contractDate = localDay(null, new Date(t.app.get(Clock).now().getTime() - 7 * DAY_MS));
    const answered = {
      contractOutcome: 'yes',
      contractDate,
      contractReference: 'AO-2026-17',
      levers: ['label', 'award_criterion', 'insertion_clause'],
      awardCriterionWeight: '15',
      insertionHours: '400',
      themes: ['reuse_recycled', 'insertion_disability'],
      environmentalConsiderations: 'environmental_criterion',
      socialConsiderations: ['social_clause', 'reserved_contract'],
      contractAmount: '1 500 000',
      obstacles: 'cost',
      wouldUseAgain: 'yes',
      comment: 'Très utile.',
      reuseConsent: 'yes',
    };
    const saved = await post(impact, answered);
    expect(saved.status).toBe(303);
    const [row] = await t.dataSource.query(`SELECT * FROM surveys WHERE request_id = $1 AND wave = 'impact'`, [request.id]);
    expect(row).toEqual(
      expect.objectContaining({
        status: 'completed',
        contract_outcome: 'yes',
        contract_reference: 'AO-2026-17',
        levers: ['label', 'award_criterion', 'insertion_clause'],
        award_criterion_weight: 15,
        insertion_hours: 400,
        themes: ['reuse_recycled', 'insertion_disability'],
        environmental_considerations: ['environmental_criterion'],
        social_considerations: ['social_clause', 'reserved_contract'],
        contract_amount: '1500000',
        obstacles: ['cost'],
        would_use_again: true,
        comment: 'Très utile.',
        reuse_consent: true,
        usefulness: null,
      }),
    );
    const [{ date }] = await t.dataSource.query(`SELECT contract_date::text AS date FROM surveys WHERE id = $1`, [row.id]);
    expect(date).toBe(contractDate);
    const page = await (await fetch(impact)).text();
    expect(page).toMatch(/value="reserved_contract" checked/);
    // Shown grouped as French writes it (narrow no-break spaces), and saved again as is.
    expect(page).toContain('value="1\u202f500\u202f000"');
    expect((await post(impact, { ...answered, contractAmount: '1\u202f500\u202f000' })).status).toBe(303);
    expect((await t.dataSource.query(`SELECT contract_amount FROM surveys WHERE id = $1`, [row.id]))[0].contract_amount).toBe('1500000');
  });

  it('a social-clause request’s impact survey asks and requires its social considerations only; a company outside the code reads of its own contract', async () => {
    const { request, links } = await sentSurveys(7, 'impact');
    const impact = links[1];
    await t.dataSource.query(`UPDATE requests SET kind = 'social_clause' WHERE id = $1`, [request.id]);
    const form = await (await fetch(impact)).text();
    expect(form).not.toContain('Considérations environnementales');
    expect(form).not.toContain('name="environmentalConsiderations"');
    expect(form).toContain('Considérations sociales du marché (si la consultation est publiée ou le marché notifié)');
    expect(form).toContain('Au sens des données essentielles de la commande publique.');
    // The walk-through's answer: an insertion clause of 1 800 hours, nothing environmental.
    const contractDate = localDay(null, new Date(t.app.get(Clock).now().getTime() - DAY_MS));
    const answer = {
      contractOutcome: 'yes',
      contractDate,
      levers: 'insertion_clause',
      insertionHours: '1 800',
      socialConsiderations: 'social_clause',
      wouldUseAgain: 'yes',
    };
    expect((await post(impact, answer)).status).toBe(303);
    const [row] = await t.dataSource.query(
      `SELECT insertion_hours, environmental_considerations, social_considerations FROM surveys WHERE request_id = $1 AND wave = 'impact'`,
      [request.id],
    );
    expect(row).toEqual({ insertion_hours: 1800, environmental_considerations: [], social_considerations: ['social_clause'] });

    await t.dataSource.query(`UPDATE requests SET organisation_type = 'private_not_subject' WHERE id = $1`, [request.id]);
    const privateForm = await (await fetch(impact)).text();
    expect(privateForm).toContain('Vos réponses mesurent ce que le conseil a changé dans votre marché ou contrat.');
    expect(privateForm).toContain('Considérations sociales de votre marché ou contrat');
    for (const publicOnly of ['marchés publics', 'données essentielles', 'avis de publication', 'Considérations environnementales'])
      expect(privateForm).not.toContain(publicOnly);
    const decline = await (await fetch(`${impact}/refus`)).text();
    expect(decline).not.toContain('marchés publics');
  });

  it('refuses a contract dated before a request made before publication, in French on the field; not one asked about a signed contract', async () => {
    const { request, links } = await sentSurveys(8, 'impact');
    const [{ received }] = await t.dataSource.query(
      `SELECT to_char(created_at AT TIME ZONE 'Europe/Paris' - interval '1 day', 'DD/MM/YYYY') AS received FROM requests WHERE id = $1`,
      [request.id],
    );
    const datedBefore = {
      contractOutcome: 'yes',
      contractDate: received,
      levers: 'label',
      environmentalConsiderations: 'environmental_clause',
      socialConsiderations: 'none',
      wouldUseAgain: 'yes',
    };
    const refused = await post(links[1], datedBefore);
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toMatch(
      /La date de publication ou de notification ne peut pas précéder votre demande, reçue par le guichet vert le \d+(er)? \S+ \d{4}\./,
    );
    expect(html).toContain(`value="${received}"`);
    expect((await surveysOf(t, request.id)).find((s) => s.wave === 'impact')!.completed_at).toBeNull();

    // A buyer who asked about a contract already signed gives its real date, before the request.
    await t.dataSource.query(`UPDATE requests SET purchase_stage = 'contract_execution' WHERE id = $1`, [request.id]);
    expect((await post(links[1], datedBefore)).status).toBe(303);
  });

  it('once answered, the page says when the answers were saved, offers no refusal, and an e-mail button does not hide it', async () => {
    const { links } = await sentSurveys(9);
    const decline = 'Ne plus recevoir de questionnaire pour cette demande';
    expect(await (await fetch(links[0])).text()).toContain(decline);
    expect((await post(links[0], { usefulness: 'yes', quickEnough: 'yes' })).status).toBe(303);
    const said = frenchFilters.renderString('{{ at | frDate("75") }}', { at: t.app.get(Clock).now() });
    // Reopened through the e-mail's « Non, pas utile »: the saved answer shows, and the page says it is one.
    const page = await (await fetch(`${links[0]}?usefulness=no`)).text();
    expect(page).toContain(`Vous avez déjà répondu : vos réponses ont été enregistrées le ${said}.`);
    expect(page).toContain('vous pouvez les modifier avec ce même lien jusqu’au');
    expect(page).toMatch(/value="yes" checked/);
    expect(page).not.toContain('choix-preselectionne');
    expect(page).not.toContain(decline);
    // Just saved: the success notice alone.
    const saved = await (await fetch(`${links[0]}?fait=enregistre`)).text();
    expect(saved).toContain('Merci, vos réponses sont enregistrées');
    expect(saved).not.toContain('Vous avez déjà répondu');
    // Sent back with errors, the fields hold what was just typed: no « Les voici ».
    const refused = await post(links[0], { usefulness: 'peut-être', quickEnough: 'yes' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).not.toContain('Vous avez déjà répondu');
  });

  it('takes « today » for the contract date on the buyer’s calendar, not Paris’s', async () => {
    const { request, links } = await sentSurveys(5, 'impact');
    await t.dataSource.query(`UPDATE requests SET department_code = '974' WHERE id = $1`, [request.id]);
    // 21:30 UTC: 01:30 the next day on La Réunion, still 22:30 the day before in Paris.
    const now = t.app.get(Clock).now();
    const evening = new Date(now);
    evening.setUTCHours(21, 30, 0, 0);
    if (evening <= now) evening.setUTCDate(evening.getUTCDate() + 1);
    time.past(evening);
    const reunionToday = localDay('974', t.app.get(Clock).now());
    expect(reunionToday > localDay('75', t.app.get(Clock).now())).toBe(true);
    const saved = await post(links[1], {
      contractOutcome: 'yes',
      contractDate: reunionToday,
      levers: 'label',
      environmentalConsiderations: 'environmental_criterion',
      socialConsiderations: 'social_clause',
      wouldUseAgain: 'yes',
    });
    expect(saved.status).toBe(303);
    const [{ date }] = await t.dataSource.query(
      `SELECT contract_date::text AS date FROM surveys WHERE request_id = $1 AND wave = 'impact'`,
      [request.id],
    );
    expect(date).toBe(reunionToday);
  });

  it('a refused form keeps what the buyer typed, counted nowhere, until they complete it or their data are erased', async () => {
    const { request, links } = await sentSurveys(11, 'impact');
    const [satisfaction, impact] = links;
    const { email } = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] });
    const staff = new StaffClient(t.url);
    await staff.signIn(email);
    const today = localDay(null, t.app.get(Clock).now());
    const period = `du=${localDay(null, new Date(t.app.get(Clock).now().getTime() - 400 * DAY_MS))}&au=${today}`;
    // What staff read of the surveys: indicators, exports, evaluations.
    const staffViews = async () =>
      Promise.all(
        [
          `/espace/indicateurs?${period}`,
          `/espace/export/indicateurs.csv?${period}`,
          '/espace/export/evaluations.csv',
          '/espace/evaluations',
        ].map(async (path) => {
          const response = await staff.get(path);
          expect(response.status).toBe(200);
          return (await response.text()).replace(/name="_csrf" value="[^"]*"/g, '');
        }),
      );
    const before = await staffViews();

    // Bruno has everything but the publication date at hand.
    const bruno = {
      contractOutcome: 'yes',
      levers: ['label', 'execution_clause'],
      themes: ['carbon', 'energy'],
      environmentalConsiderations: 'environmental_clause',
      socialConsiderations: 'none',
      contractAmount: '2 400 000',
      comment: 'Consultation publiée au BOAMP.\nMerci pour les clauses types.',
    };
    const refused = await post(impact, bruno);
    expect(refused.status).toBe(400);
    const refusedHtml = await refused.text();
    expect(refusedHtml).toContain('Indiquez la date de publication ou de notification.');
    expect(refusedHtml).toContain('Indiquez si vous feriez de nouveau appel au guichet.');
    expect(refusedHtml).toContain('Vos réponses sont gardées : vous pourrez compléter plus tard avec le même lien');
    expect((await post(satisfaction, { usefulness: 'partly', comment: 'Réponse claire.' })).status).toBe(400);

    // The link reopened later: the kept answers, said not sent yet, with what they lack.
    const reopened = await (await fetch(impact)).text();
    expect(reopened).toContain('Vos réponses sont gardées, pas encore envoyées');
    expect(reopened).toContain('<li><a href="#f-contractDate">Indiquez la date de publication ou de notification.</a></li>');
    expect(reopened).toContain('<li><a href="#f-wouldUseAgain">Indiquez si vous feriez de nouveau appel au guichet.</a></li>');
    expect(reopened).toMatch(/value="yes" checked/);
    expect(reopened).toMatch(/name="levers" value="execution_clause" checked/);
    expect(reopened).toMatch(/name="themes" value="energy" checked/);
    expect(reopened).toMatch(/name="socialConsiderations" value="none" checked/);
    expect(reopened).toContain(`value="${(2_400_000).toLocaleString('fr-FR')}"`);
    expect(reopened).toContain('Consultation publiée au BOAMP.\nMerci pour les clauses types.</textarea>');
    expect(reopened).not.toContain('reponses-deja-enregistrees');
    const satisfactionPage = await (await fetch(satisfaction)).text();
    expect(satisfactionPage).toMatch(/value="partly" checked/);
    expect(satisfactionPage).toContain('Indiquez si la réponse est arrivée assez vite.');

    // Unanswered for everyone else: no completion, no history line, nothing counted, and the reminder goes.
    expect((await surveysOf(t, request.id)).map((s) => [s.wave, s.status, s.completed_at])).toEqual([
      ['satisfaction', 'sent', null],
      ['impact', 'sent', null],
    ]);
    const [kept] = await t.dataSource.query(`SELECT contract_amount, comment FROM surveys WHERE request_id = $1 AND wave = 'impact'`, [
      request.id,
    ]);
    expect(kept).toEqual({ contract_amount: null, comment: null });
    expect(await staffViews()).toEqual(before);
    await pastDue(t, time, request.id, 'impact');
    await runDueSurveys(t);
    expect((await mailsTo(t, 'survey')).filter((m) => m.subject.startsWith('Rappel — ') && m.subject.includes('votre achat'))).toHaveLength(
      1,
    );

    // Completed with the same link: recorded as any answer, the kept ones gone.
    const contractDate = localDay(null, new Date(t.app.get(Clock).now().getTime() - 7 * DAY_MS));
    expect((await post(impact, { ...bruno, contractDate, wouldUseAgain: 'yes' })).status).toBe(303);
    const [done] = await t.dataSource.query(
      `SELECT status, contract_amount, partial_answers FROM surveys WHERE request_id = $1 AND wave = 'impact'`,
      [request.id],
    );
    expect(done).toEqual({ status: 'completed', contract_amount: '2400000', partial_answers: null });
    expect(await (await fetch(impact)).text()).not.toContain('reponses-gardees');

    // Erased with the buyer's personal data (days later: signed in again).
    await staff.signIn(email);
    const keptOn = () => t.dataSource.query(`SELECT wave FROM surveys WHERE request_id = $1 AND partial_answers IS NOT NULL`, [request.id]);
    expect(await keptOn()).toEqual([{ wave: 'satisfaction' }]);
    const erase = `/espace/demandes/${request.reference}/effacement`;
    const csrf = csrfIn(await (await staff.get(`/espace/demandes/${request.reference}`)).text());
    expect((await staff.post(erase, { _csrf: csrf, confirm: '1' })).status).toBe(303);
    expect(await keptOn()).toEqual([]);
  });

  it('a reopening drops what a refused form kept: the link sent after the next closure opens an empty form', async () => {
    const { request, links } = await sentSurveys(12);
    expect((await post(links[0], { usefulness: 'partly', comment: 'Réponse claire.' })).status).toBe(400);
    const kept = () => t.dataSource.query(`SELECT wave FROM surveys WHERE request_id = $1 AND partial_answers IS NOT NULL`, [request.id]);
    expect(await kept()).toEqual([{ wave: 'satisfaction' }]);

    const reopened = await fetch(`${t.url}/api/v1/staff/requests/${request.reference}/reopen`, {
      method: 'POST',
      headers: { authorization: await bearerFor(t, { role: 'animator', networks: ['aura-ee'] }) },
    });
    expect(reopened.status).toBe(200);
    expect((await surveysOf(t, request.id)).map((s) => s.status)).toEqual(['cancelled', 'cancelled']);
    expect(await kept()).toEqual([]);

    // Closed again: the survey leaves with a new link, its form as the buyer never touched it.
    await staffWrites(t, request, 'answer', 'Voici le complément.');
    await closeAs(t, request, 'answered');
    await pastDue(t, time, request.id);
    await runDueSurveys(t);
    const fresh = surveyLinkIn((await mailsTo(t, 'survey')).at(-1)!.text_body);
    expect(fresh).not.toBe(links[0]);
    const page = await (await fetch(fresh)).text();
    expect(page).not.toContain('reponses-gardees');
    expect(page).not.toMatch(/value="partly" checked/);
    expect(page).not.toContain('Réponse claire.');
  });

  it('a wrong, unknown or malformed token is the same French 404, and tokens never reach the logs', async () => {
    const { links } = await sentSurveys(4);
    const token = new URL(links[0]).pathname.split('/').pop()!;
    const wrong = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const path of [`/questionnaire/${wrong}`, '/questionnaire/abc', '/questionnaire/%3Cscript%3E', `/questionnaire/${wrong}/refus`]) {
      const get = await fetch(`${t.url}${path}`);
      expect(get.status).toBe(404);
      expect(await get.text()).toContain('introuvable');
      expect((await post(`${t.url}${path}`, { usefulness: 'yes', quickEnough: 'yes' })).status).toBe(404);
    }
    expect(t.logs.some((line) => line.includes('/questionnaire/…'))).toBe(true);
    expect(t.logs.filter((line) => line.includes(token) || line.includes(wrong))).toEqual([]);
  });
});
