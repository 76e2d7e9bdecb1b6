/// <reference lib="dom" />
/**
 * The whole loop in a real browser, every step through the real pages, queues and e-mails: a buyer submits the
 * form, the facilitator it is routed to signs in, takes it in charge and asks a precision; the buyer follows the
 * link of the e-mail and answers; the facilitator answers with a regulation reference and an uploaded file; the
 * buyer reads the answer and downloads the file. The buyer works without JavaScript, the facilitator with it.
 */
import { readFileSync } from 'node:fs';
import { Page } from 'playwright-core';
import {
  closePage,
  expectNoAxeViolations,
  fillRequestForm,
  InPage,
  isereBuyer,
  openPage,
  signInStaff,
  submitByButton,
  submitRequestForm,
  useBrowserApp,
} from '../support/browser';
import { sentMailFile, trackingLinkIn } from '../support/conversation';
import { insertFacilitator } from '../support/facilitators';
import { samplePdf } from '../support/sample-files';
import { insertStaff } from '../support/staff';
import { waitFor } from '../support/test-app';

jest.setTimeout(90_000);

const session = useBrowserApp({ BUYER_MAIL_DEBOUNCE_SECONDS: '1' }, { api: true, worker: true });

const statusOf = async (reference: string): Promise<string> =>
  (await session.testApp.dataSource.query(`SELECT status FROM requests WHERE reference = $1`, [reference]))[0]?.status;

async function goTo(page: Page, url: string): Promise<void> {
  expect((await page.goto(url))!.status()).toBe(200);
}

it('de la demande à la réponse téléchargée, par les vraies pages', async () => {
  const t = session.testApp;
  const facilitatorId = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Alix', email: 'alix@example.org' });
  await insertStaff(t.dataSource, { role: 'facilitator', facilitatorId, networks: ['aura-ee'], email: 'alix@example.org' });
  const buyer = isereBuyer(1);

  // The buyer asks, without JavaScript.
  const buyerPage = await openPage(session.withoutJs);
  await goTo(buyerPage, `${t.url}/demande`);
  await fillRequestForm(buyerPage, buyer);
  expect((await submitRequestForm(buyerPage)).status()).toBe(201);
  const reference = (await buyerPage.locator('#reference').textContent())!.trim();
  await waitFor(async () => (await statusOf(reference)) === 'assigned', 15_000, 'demande attribuée');

  // The facilitator signs in, finds it in the queue, takes it in charge and asks a precision (pages audited on the way).
  const staffPage = await openPage(session.forAudit);
  await signInStaff(staffPage, t.url, 'alix@example.org');
  expect(new URL(staffPage.url()).pathname).toBe('/espace');
  await expectNoAxeViolations(staffPage, 'file des demandes');
  await staffPage.getByRole('link', { name: reference }).click();
  await staffPage.waitForURL(`**/espace/demandes/${reference}`);
  await expectNoAxeViolations(staffPage, 'demande attribuée');
  expect(await submitByButton(staffPage, 'Je prends en charge')).toBe(303);
  expect(await staffPage.getByRole('status').textContent()).toContain('Vous avez pris cette demande en charge.');
  expect(await statusOf(reference)).toBe('in_progress');
  // The buyer is told who took it in charge before anything else happens.
  expect(await sentMailFile(t, 'buyer-update', buyer.email)).toContain('a pris votre demande en charge');
  await expectNoAxeViolations(staffPage, 'demande en cours');
  await staffPage.getByLabel('Votre question').fill('Quel est le volume annuel de ramettes ?');
  expect(await submitByButton(staffPage, 'Envoyer la question')).toBe(303);
  expect(await statusOf(reference)).toBe('awaiting_buyer');

  // The buyer follows the link of the e-mail and answers on the tracking page.
  const questionMail = await sentMailFile(t, 'buyer-update', buyer.email, 2);
  expect(questionMail).toContain('Quel est le volume annuel de ramettes ?');
  expect(questionMail).toMatch(
    /Répondez depuis votre page de suivi d’ici le \d{1,2}(er)? \S+ \d{4} à \d\d:\d\d \(heure de Paris\) : sans réponse/,
  );
  const link = trackingLinkIn(questionMail, reference);
  await goTo(buyerPage, link);
  expect(await buyerPage.locator('#precision-attendue').isVisible()).toBe(true);
  await buyerPage.fill('#f-message', 'Environ 2 000 ramettes par an.');
  expect(await submitByButton(buyerPage, 'Envoyer ma précision')).toBe(303);
  expect(await buyerPage.locator('#statut').textContent()).toBe('En cours de traitement');

  // The facilitator sees the precision and answers with a regulation reference and a file chosen on the computer.
  await goTo(staffPage, `${t.url}/espace/demandes/${reference}`);
  expect(await staffPage.locator('main').textContent()).toContain('Environ 2 000 ramettes par an.');
  // Sent empty first: the summary leads to the answer's own field (not to another form's), and the page stays accessible.
  expect(await submitByButton(staffPage, 'Envoyer la réponse')).toBe(400);
  expect(await staffPage.locator('#resume-erreurs a').getAttribute('href')).toBe('#f-answer-body');
  expect(await staffPage.locator('#f-answer-body').getAttribute('aria-invalid')).toBe('true');
  // The page opens on that summary, far down as the form is: it has the focus.
  await staffPage.waitForFunction(() => (globalThis as unknown as InPage).document.activeElement?.id === 'resume-erreurs');
  await expectNoAxeViolations(staffPage, 'réponse avec erreur');
  await staffPage.getByLabel('Votre réponse').fill('Fixez un **taux minimal** de papier recyclé, comme le permet l’article ci-dessous.');
  // Each help item shows the fields of its type once chosen; the next one appears then.
  const visible = (selector: string) => staffPage.locator(selector).isVisible();
  expect([
    await visible('#f-answer-items-0-type'),
    await visible('#f-answer-items-0-legalReferenceCode'),
    await visible('#f-answer-items-1-type'),
  ]).toEqual([true, false, false]);
  await staffPage.selectOption('#f-answer-items-0-type', 'regulation');
  expect([
    await visible('#f-answer-items-0-legalReferenceCode'),
    await visible('#f-answer-items-0-details'),
    await visible('#f-answer-items-0-url'),
  ]).toEqual([true, true, false]);
  expect([await visible('#f-answer-items-1-type'), await visible('#f-answer-items-2-type')]).toEqual([true, false]);
  await staffPage.selectOption('#f-answer-items-0-legalReferenceCode', 'ccp-l2111-1');
  await staffPage.selectOption('#f-answer-items-1-type', 'tender_file');
  expect([
    await visible('#f-answer-items-1-title'),
    await visible('#f-answer-items-1-attachmentId'),
    await visible('#f-answer-items-1-peerName'),
  ]).toEqual([true, true, false]);
  // More items than the three first shown: each next one appears as the one before gets a type.
  expect(await visible('#f-answer-items-3-type')).toBe(false);
  await staffPage.selectOption('#f-answer-items-2-type', 'referral');
  await staffPage.selectOption('#f-answer-items-2-referralTarget', 'circular_economy');
  expect(await visible('#f-answer-items-3-type')).toBe(true);
  await staffPage.selectOption('#f-answer-items-3-type', 'referral');
  await staffPage.selectOption('#f-answer-items-3-referralTarget', 'other');
  await staffPage.fill('#f-answer-items-3-details', 'La chambre régionale d’agriculture');
  expect([await visible('#f-answer-items-4-type'), await visible('#f-answer-items-5-type')]).toEqual([true, false]);
  await staffPage.fill('#f-answer-items-1-title', 'CCTP d’un département voisin');
  await staffPage.setInputFiles('#f-answer-fichiers', { name: 'Exemple de DCE.pdf', mimeType: 'application/pdf', buffer: samplePdf() });
  // The file chosen is offered in the item's file field; named without its extension, it is found all the same.
  expect(
    await staffPage.locator('#fichiers-choisis option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value)),
  ).toEqual(['Exemple de DCE.pdf']);
  expect(await staffPage.getAttribute('#f-answer-items-1-attachmentId', 'list')).toBe('fichiers-choisis');
  await staffPage.fill('#f-answer-items-1-attachmentId', 'exemple de DCE');
  expect(await submitByButton(staffPage, 'Envoyer la réponse')).toBe(303);
  expect(await staffPage.getByRole('status').textContent()).toContain('Votre réponse est envoyée à l’acheteur.');
  expect(await statusOf(reference)).toBe('answered');
  // The four help items are in the answer, the two beyond the first three shown included.
  const answered = await staffPage.locator('section[aria-labelledby="titre-echanges"]').textContent();
  expect(answered).toContain('Réseau d’économie circulaire');
  expect(answered).toContain('La chambre régionale d’agriculture');
  await expectNoAxeViolations(staffPage, 'demande répondue');
  // Printed, the request page keeps the request and the conversation, not the forms.
  await staffPage.emulateMedia({ media: 'print' });
  expect(await staffPage.locator('section[aria-labelledby="titre-note"]').isVisible()).toBe(false);
  expect(await staffPage.locator('section[aria-labelledby="titre-echanges"]').isVisible()).toBe(true);
  expect(await staffPage.locator('section[aria-labelledby="titre-question"]').isVisible()).toBe(true);
  await staffPage.emulateMedia({ media: 'screen' });
  await closePage(staffPage);

  // The buyer is told by e-mail, reads the answer and downloads the file through the private link.
  const answerMail = await sentMailFile(t, 'buyer-update', buyer.email, 3);
  expect(answerMail).toContain('taux minimal');
  // The e-mail gives the date the tracking page gives, and names the file as the page does.
  const replyUntil = /Vous pouvez répondre au facilitateur depuis votre page de suivi jusqu’au ([^;<]+\(heure de Paris\)) ;/.exec(
    answerMail,
  )?.[1];
  expect(replyUntil).toBeDefined();
  expect(answerMail).toContain('« Ma question est résolue »');
  const mailedFile = /- (Exemple de DCE\.pdf \(PDF – [\d,]+ (octets|ko)\))/.exec(answerMail)?.[1];
  expect(mailedFile).toBeDefined();
  await goTo(buyerPage, trackingLinkIn(answerMail, reference));
  expect(await buyerPage.locator('main').textContent()).toContain(`Vous pouvez lui répondre jusqu’au ${replyUntil} :`);
  expect(await buyerPage.locator('#statut').textContent()).toBe('Réponse envoyée');
  expect(await buyerPage.locator('main').textContent()).toContain('taux minimal');
  const legal = buyerPage.locator('.gv-help-item[data-type="regulation"] a');
  expect(await legal.getAttribute('href')).toMatch(/^https:\/\/www\.legifrance\.gouv\.fr\//);
  const fileLink = buyerPage.getByRole('link', { name: /Exemple de DCE\.pdf/ });
  expect(await fileLink.textContent()).toMatch(/PDF – [\d,]+ (octets|ko)/);
  expect(mailedFile).toBe(`Exemple de DCE.pdf (${/PDF – [\d,]+ (octets|ko)/.exec((await fileLink.textContent())!)![0]})`);
  const [download] = await Promise.all([buyerPage.waitForEvent('download'), fileLink.click()]);
  expect(download.suggestedFilename()).toBe('Exemple de DCE.pdf');
  expect(readFileSync((await download.path())!).equals(samplePdf())).toBe(true);
  const direct = await buyerPage.request.get(new URL((await fileLink.getAttribute('href'))!, t.url).toString());
  expect(direct.headers()['content-disposition']).toMatch(/^attachment; filename="Exemple de DCE\.pdf"/);
  expect(direct.headers()['content-type']).toBe('application/pdf');
  await closePage(buyerPage);

  const audit = await openPage(session.forAudit);
  await goTo(audit, link);
  await expectNoAxeViolations(audit, 'suivi avec la réponse');
  await closePage(audit);
});
