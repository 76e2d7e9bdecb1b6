/// <reference lib="dom" />
/**
 * The buyer answers both follow-up surveys from the links of the real e-mails (.eml files under MAIL_DIR): the
 * satisfaction one from its one-click link, without JavaScript; the impact one with JavaScript, after an error.
 * Then the network's animator reviews both and exports them as CSV. Time moves with the app's clock, not by
 * waiting. axe-core audits every state of both pages.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Page } from 'playwright-core';
import { Clock } from '../../src/common/clock';
import { localDay } from '../../src/common/local-clock';
import { MailService } from '../../src/modules/mail/mail.service';
import { closePage, expectNoAxeViolations, InPage, openPage, signInStaff, submitByButton, tick, useBrowserApp } from '../support/browser';
import { insertStaff } from '../support/staff';
import { closedAsAnswered, DAY_MS, pastDue, runDueSurveys, timeMachine } from '../support/surveys';

jest.setTimeout(60_000);

const session = useBrowserApp();
const time = timeMachine(() => session.testApp);
afterEach(() => time.back());

/** Delivers the survey e-mails (the worker's mail job, run here) and reads them as the buyer's mail client would. */
async function surveyEmails(): Promise<Array<{ subject: string; eml: string }>> {
  const t = session.testApp;
  const rows: Array<{ id: string; subject: string }> = await t.dataSource.query(
    `SELECT id, subject FROM mail_messages WHERE template = 'survey' ORDER BY created_at`,
  );
  for (const { id } of rows) await t.app.get(MailService).deliver(id);
  return Promise.all(
    rows.map(async ({ id, subject }) => ({
      subject,
      eml: (await readFile(resolve(t.config.MAIL_DIR, `${id}.eml`), 'utf8')).replace(/=\r?\n/g, '').replace(/=3D/g, '='),
    })),
  );
}

const linkIn = (eml: string, suffix = '') =>
  new RegExp(`(http://[^\\s"<]+/questionnaire/[A-Za-z0-9_-]{43}${suffix.replace('?', '\\?')})`).exec(eml)![1];

async function auditedPage(url: string, label: string): Promise<Page> {
  const page = await openPage(session.forAudit);
  await page.goto(url);
  await expectNoAxeViolations(page, label);
  return page;
}

it('the buyer answers both waves from the e-mailed links, with and without JavaScript; the animator reviews them and exports CSV', async () => {
  const t = session.testApp;
  const request = await closedAsAnswered(t, 1);
  time.forward(190 * DAY_MS); // both waves are due
  await runDueSurveys(t);
  const [satisfaction, impact] = await surveyEmails();
  expect(satisfaction.subject).toContain('la réponse vous a-t-elle été utile');
  expect(impact.subject).toContain('qu’est devenu votre achat');

  // Wave 1, without JavaScript, from the one-click "En partie": preselected, not recorded until sent.
  const oneClick = linkIn(satisfaction.eml, '?usefulness=partly');
  let page = await openPage(session.withoutJs);
  await page.goto(oneClick);
  expect(await page.locator('h1').textContent()).toBe('Questionnaire de satisfaction');
  expect(await page.locator('#f-usefulness-partly').isChecked()).toBe(true);
  const [{ status: before }] = await t.dataSource.query(`SELECT status FROM surveys WHERE request_id = $1 AND wave = 'satisfaction'`, [
    request.id,
  ]);
  expect(before).toBe('sent');
  expect(await submitByButton(page, 'Enregistrer mes réponses')).toBe(400);
  expect(await page.locator('#resume-erreurs').textContent()).toContain('Indiquez si la réponse est arrivée assez vite.');
  expect(await page.locator('#f-usefulness-partly').isChecked()).toBe(true);
  await tick(page, 'f-quickEnough-yes');
  await page.fill('#f-comment', 'Réponse claire, <b>merci</b>.');
  expect(await submitByButton(page, 'Enregistrer mes réponses')).toBe(303);
  expect(await page.locator('#reponses-enregistrees').textContent()).toContain('Merci, vos réponses sont enregistrées');
  expect(await page.locator('#f-comment').inputValue()).toBe('Réponse claire, <b>merci</b>.');
  await closePage(page);

  // Wave 2, with JavaScript, from the e-mail's button.
  page = await openPage(session.withJs);
  await page.goto(linkIn(impact.eml));
  expect(await page.locator('h1').textContent()).toBe('Évaluation d’impact');
  await tick(page, 'f-contractOutcome-yes');
  await tick(page, 'f-levers-award_criterion');
  await tick(page, 'f-wouldUseAgain-yes');
  expect(await submitByButton(page, 'Enregistrer mes réponses')).toBe(400);
  const summary = await page.locator('#resume-erreurs').textContent();
  expect(summary).toContain('Indiquez la date de publication ou de notification.');
  expect(summary).toContain('Indiquez le poids du critère');
  await page.locator('#resume-erreurs a[href="#f-contractDate"]').click();
  // Signed after the request (months ago, by the app's clock), before today.
  await page.fill('#f-contractDate', localDay(null, new Date(session.testApp.app.get(Clock).now().getTime() - 7 * DAY_MS)));
  await page.fill('#f-awardCriterionWeight', '20');
  await tick(page, 'f-levers-label');
  await tick(page, 'f-themes-carbon');
  await tick(page, 'f-environmentalConsiderations-environmental_criterion');
  await tick(page, 'f-socialConsiderations-none');
  await page.fill('#f-contractAmount', '90000');
  await tick(page, 'f-obstacles-cost');
  await tick(page, 'f-reuseConsent-yes');
  expect(await submitByButton(page, 'Enregistrer mes réponses')).toBe(303);
  expect(await page.locator('#reponses-enregistrees').isVisible()).toBe(true);
  await closePage(page);

  const answers = await t.dataSource.query(
    `SELECT wave, status, usefulness, quick_enough, contract_outcome, levers, award_criterion_weight, social_considerations, reuse_consent
       FROM surveys WHERE request_id = $1 ORDER BY wave DESC`,
    [request.id],
  );
  expect(answers).toEqual([
    expect.objectContaining({ wave: 'satisfaction', status: 'completed', usefulness: 'partly', quick_enough: true }),
    expect.objectContaining({
      wave: 'impact',
      status: 'completed',
      contract_outcome: 'yes',
      levers: ['label', 'award_criterion'],
      award_criterion_weight: 20,
      social_considerations: ['none'],
      reuse_consent: true,
    }),
  ]);

  // The network's animator finds both evaluations, reviews the impact one and exports them.
  const [{ network_code: network }] = await t.dataSource.query(`SELECT network_code FROM requests WHERE id = $1`, [request.id]);
  const { email } = await insertStaff(t.dataSource, { role: 'animator', networks: [network] });
  page = await openPage(session.withJs);
  await signInStaff(page, t.url, email);
  await page.getByRole('link', { name: 'Évaluations' }).click();
  await page.waitForLoadState('load');
  const rows = page.locator('tbody tr');
  expect(await rows.count()).toBe(2);
  expect(await rows.allTextContents()).toEqual([expect.stringContaining(request.reference), expect.stringContaining(request.reference)]);
  await page.selectOption('#f-wave', 'impact');
  await page.getByRole('button', { name: 'Filtrer' }).click();
  await page.waitForLoadState('load');
  await page.getByRole('link', { name: new RegExp(request.reference) }).click();
  await page.waitForLoadState('load');
  const detail = await page.locator('main').textContent();
  expect(detail).toContain('Critère d’attribution');
  expect(detail).toContain('Critère environnemental');
  await page.fill('#f-note', 'Bon exemple de critère carbone.');
  expect(await submitByButton(page, 'Marquer comme revue')).toBe(303);
  expect(await page.locator('[role=status]').textContent()).toContain('L’évaluation est marquée comme revue.');

  await page.getByRole('link', { name: 'Retour aux évaluations' }).click();
  await page.waitForLoadState('load');
  await page.selectOption('#f-wave', '');
  await page.getByRole('button', { name: 'Filtrer' }).click();
  await page.waitForLoadState('load');
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: /^Exporter en CSV \(/ }).click();
  const csv = readFileSync((await (await download).path())!, 'utf8');
  const lines = csv.split('\r\n').filter(Boolean);
  expect(
    lines[0].startsWith(
      '\uFEFFDemande;Questionnaire;Demande déposée le (heure de Paris);Demande clôturée le (heure de Paris);Envoyé le (heure de Paris);Répondu le (heure de Paris);',
    ),
  ).toBe(true);
  expect(lines.slice(1).sort()).toEqual([
    expect.stringContaining(`${request.reference};Impact sur le marché;`),
    expect.stringContaining(`${request.reference};Satisfaction;`),
  ]);
  expect(csv).toContain(';Bon exemple de critère carbone.;');
  expect(csv).toContain('Réponse claire, <b>merci</b>.');
  await closePage(page);
});

it('passes axe on both survey pages, blank, refused and saved', async () => {
  const t = session.testApp;
  await closedAsAnswered(t, 2);
  time.forward(190 * DAY_MS);
  await runDueSurveys(t);
  const emails = (await surveyEmails()).slice(-2);
  for (const [email, label] of [
    [emails[0], 'satisfaction'],
    [emails[1], 'impact'],
  ] as const) {
    const page = await auditedPage(linkIn(email.eml), `questionnaire ${label}`);
    expect(await submitByButton(page, 'Enregistrer mes réponses')).toBe(400);
    await expectNoAxeViolations(page, `questionnaire ${label} avec erreurs`);
    await closePage(page);
  }
  const page = await auditedPage(`${linkIn(emails[0].eml)}?usefulness=yes`, 'questionnaire présélectionné');
  await tick(page, 'f-quickEnough-no');
  expect(await submitByButton(page, 'Enregistrer mes réponses')).toBe(303);
  await expectNoAxeViolations(page, 'questionnaire enregistré');
  await closePage(page);
});

it('the buyer declines from the e-mail’s link, without JavaScript: asked to confirm, then told; axe on both', async () => {
  const t = session.testApp;
  const request = await closedAsAnswered(t, 3);
  await pastDue(t, time, request.id);
  await runDueSurveys(t);
  const [invitation] = (await surveyEmails()).slice(-1);
  const declineLink = linkIn(invitation.eml, '/refus');

  await closePage(await auditedPage(declineLink, 'refus du questionnaire, à confirmer'));
  const page = await openPage(session.withoutJs);
  await page.goto(declineLink);
  expect(await page.locator('h1').textContent()).toBe('Ne plus recevoir de questionnaire');
  expect(await submitByButton(page, 'Ne plus recevoir de questionnaire pour cette demande')).toBe(303);
  expect(await page.locator('h1').textContent()).toBe('C’est noté');
  expect(await page.title()).toBe(`C’est noté : plus de questionnaire — demande ${request.reference} — Guichet vert`);
  expect(await page.locator('#refus-enregistre').textContent()).toContain(request.reference);
  await closePage(page);
  const statuses = await t.dataSource.query(`SELECT status FROM surveys WHERE request_id = $1`, [request.id]);
  expect(statuses).toEqual([{ status: 'declined' }, { status: 'declined' }]);
  await closePage(await auditedPage(declineLink, 'refus du questionnaire, enregistré'));
});

it('a one-click link of the e-mail opens the page on what it means: chosen, not recorded, to confirm', async () => {
  const t = session.testApp;
  const request = await closedAsAnswered(t, 4);
  await pastDue(t, time, request.id);
  await runDueSurveys(t);
  const [invitation] = (await surveyEmails()).slice(-1);
  const page = await openPage(session.withJs);
  await page.goto(linkIn(invitation.eml, '?usefulness=no'));
  await page.waitForFunction(() => (globalThis as unknown as InPage).document.activeElement?.id === 'choix-preselectionne');
  expect(await page.locator('#choix-preselectionne').textContent()).toContain('Votre choix est pré-sélectionné, pas encore enregistré');
  expect(await page.locator('#f-usefulness-no').isChecked()).toBe(true);
  const [{ status }] = await t.dataSource.query(`SELECT status FROM surveys WHERE request_id = $1 AND wave = 'satisfaction'`, [request.id]);
  expect(status).toBe('sent');
  await closePage(page);
});
