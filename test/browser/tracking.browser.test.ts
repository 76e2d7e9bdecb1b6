/// <reference lib="dom" />
/**
 * The buyer's conversation on the tracking page in a real browser, with and without JavaScript: a question to
 * answer, then an answer with a regulation reference and a file to download, then a reply. The staff side is
 * written straight into the tables (its pages come later). Hostile text from either side stays inert.
 */
import { readFileSync } from 'node:fs';
import { Page } from 'playwright-core';
import { helpItemOf } from '../../src/modules/requests/request-message.types';
import { closePage, useBrowserApp, expectNoAxeViolations, openPage } from '../support/browser';
import { staffWrites, submittedAndTaken } from '../support/conversation';
import { samplePdf } from '../support/sample-files';

jest.setTimeout(60_000);

const PAYLOADS = '<script>window.pwned = 1</script> "><img src=x onerror="window.pwned = 2">';

const session = useBrowserApp();

async function send(page: Page, button: string): Promise<void> {
  const loaded = page.waitForEvent('load');
  await page.getByRole('button', { name: button }).click();
  await loaded;
}

async function expectInert(page: Page, javaScript: boolean): Promise<void> {
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect(await page.locator('.gv-message script').count()).toBe(0);
  if (javaScript) expect(await page.evaluate(() => (globalThis as unknown as { pwned?: number }).pwned)).toBeUndefined();
  expect(await page.locator('.gv-message').first().textContent()).toContain('<script>window.pwned = 1</script>');
}

describe.each([
  ['avec JavaScript', true, 1],
  ['sans JavaScript', false, 2],
])('conversation sur la page de suivi %s', (_label, javaScript, n) => {
  it('répond à une précision, lit la réponse, télécharge le fichier et répond', async () => {
    const request = await submittedAndTaken(session.testApp, n);
    await staffWrites(session.testApp, request, 'clarification_question', `Quel est le montant ? ${PAYLOADS}`);
    const link = `${session.testApp.url}/suivi/${request.reference}?t=${encodeURIComponent(request.token)}`;
    const page = await openPage(javaScript ? session.withJs : session.withoutJs);
    await page.goto(link);
    expect(await page.locator('#precision-attendue').isVisible()).toBe(true);
    // The alert leads to the form that answers it.
    expect(await page.locator('#precision-attendue a').getAttribute('href')).toBe('#formulaire-precision');
    expect(await page.locator('#formulaire-precision').isVisible()).toBe(true);
    await expectInert(page, javaScript);

    // Empty: the error summary, then the precision itself (with a hostile text of the buyer's own).
    await send(page, 'Envoyer ma précision');
    expect(await page.locator('#resume-erreurs').textContent()).toContain('Écrivez votre précision.');
    await page.fill('#f-message', `Environ 80 000 € HT. ${PAYLOADS}`);
    await send(page, 'Envoyer ma précision');
    expect(await page.locator('#statut').textContent()).toBe('En cours de traitement');
    expect(await page.locator('.gv-message').nth(1).textContent()).toContain('Environ 80 000 € HT.');
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    // The action is announced once: with JavaScript the address loses « fait », and a reload says nothing more.
    expect(await page.locator('#confirmation-action').isVisible()).toBe(true);
    if (javaScript) {
      await page.waitForURL((url) => !url.searchParams.has('fait'));
      // The keyboard goes on from the notice, not from the top of the page.
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('confirmation-action');
      expect(new URL(page.url()).searchParams.get('t')).toBe(request.token);
      await page.reload();
      expect(await page.locator('#confirmation-action').count()).toBe(0);
    }

    await staffWrites(
      session.testApp,
      request,
      'answer',
      `Appliquez l’article ci-dessous. ${PAYLOADS}`,
      [
        helpItemOf('regulation', { legalReferenceCode: 'ccp-l2111-1' }),
        helpItemOf('guide', { title: 'Guide EGAlim', url: 'https://ma-cantine.agriculture.gouv.fr/' }),
      ],
      [{ name: 'Exemple de DCE.pdf', content: samplePdf() }],
    );
    await page.goto(link);
    expect(await page.locator('#statut').textContent()).toBe('Réponse envoyée');
    // Each message's card is as tall as its content (DSFR cards fill their grid cell: a whole column here).
    const slack = await page
      .locator('.gv-message')
      .evaluateAll((cards) =>
        cards.map(
          (card) =>
            card.getBoundingClientRect().bottom - card.querySelector('.fr-card__content')!.lastElementChild!.getBoundingClientRect().bottom,
        ),
      );
    expect(slack).toHaveLength(3);
    for (const gap of slack) expect(gap).toBeLessThan(80);
    // The answer reads first, then the help that goes with it.
    const answer = page.locator('.gv-message').nth(2);
    const textBottom = (await answer.locator('.gv-message-body').boundingBox())!;
    expect((await answer.getByRole('heading', { name: 'Pour aller plus loin' }).boundingBox())!.y).toBeGreaterThan(
      textBottom.y + textBottom.height - 1,
    );
    const legal = page.locator('.gv-help-item[data-type="regulation"] a');
    expect(await legal.getAttribute('href')).toMatch(/^https:\/\/www\.legifrance\.gouv\.fr\//);
    // A guide's link reads as its title, not as its address (RGAA 6.1).
    const guide = page.getByRole('link', { name: 'Guide EGAlim' });
    expect(await guide.getAttribute('href')).toBe('https://ma-cantine.agriculture.gouv.fr/');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /Exemple de DCE\.pdf/ }).click()]);
    expect(download.suggestedFilename()).toBe('Exemple de DCE.pdf');
    const path = await download.path();
    expect(readFileSync(path).equals(samplePdf())).toBe(true);
    expect(await page.locator('img[src="x"]').count()).toBe(0);

    await page.fill('#f-message', 'Merci ! Et pour le lot 2 ?');
    await send(page, 'Envoyer ma réponse');
    expect(await page.locator('#statut').textContent()).toBe('En cours de traitement');
    expect(await page.locator('#historique').textContent()).toContain('Votre réponse a été transmise');
    await expectInert(page, javaScript);
    await closePage(page);
  });
});

it('passes axe on the tracking page with a question, the withdrawal confirmation and an answer', async () => {
  const request = await submittedAndTaken(session.testApp, 3);
  await staffWrites(session.testApp, request, 'clarification_question', 'Quel est le montant ?');
  const page = await openPage(session.forAudit);
  const link = `${session.testApp.url}/suivi/${request.reference}?t=${encodeURIComponent(request.token)}`;
  await page.goto(link);
  await expectNoAxeViolations(page, 'suivi avec demande de précision');
  await send(page, 'Envoyer ma précision');
  await expectNoAxeViolations(page, 'suivi avec erreur');
  await page.fill('#f-message', 'Environ 80 000 € HT.');
  await send(page, 'Envoyer ma précision');
  await page.click('#lien-retrait');
  await page.waitForURL(/\/retrait\?/);
  await expectNoAxeViolations(page, 'confirmation du retrait');
  await staffWrites(
    session.testApp,
    request,
    'answer',
    'La réponse.',
    [helpItemOf('regulation', { legalReferenceCode: 'ccp-l2111-1' })],
    [{ name: 'Guide.pdf', content: samplePdf() }],
  );
  await page.goto(link);
  await expectNoAxeViolations(page, 'suivi avec réponse');
  // Answered, the request is closed as resolved or left to close, not withdrawn.
  expect(await page.locator('#lien-retrait').count()).toBe(0);
  await send(page, 'Ma question est résolue');
  expect(await page.locator('#motif-cloture').textContent()).toContain('Réponse apportée');
  await closePage(page);
});

it('prints the request, the answer and the history without the forms, the header’s links or the footer', async () => {
  const request = await submittedAndTaken(session.testApp, 4);
  await staffWrites(session.testApp, request, 'answer', 'La réponse écrite du facilitateur.');
  const page = await openPage(session.withoutJs);
  await page.goto(`${session.testApp.url}/suivi/${request.reference}?t=${encodeURIComponent(request.token)}`);
  const hidden = ['#f-message', '#question-resolue', '#pied-de-page', '.fr-header__tools'];
  for (const selector of hidden) expect(await page.locator(selector).isVisible()).toBe(true);

  await page.emulateMedia({ media: 'print' });
  for (const selector of hidden) expect(await page.locator(selector).isVisible()).toBe(false);
  expect(await page.locator('.gv-message').first().isVisible()).toBe(true);
  expect(await page.locator('.gv-message').first().textContent()).toContain('La réponse écrite du facilitateur.');
  expect(await page.locator('#historique').isVisible()).toBe(true);
  await closePage(page);
});

it('starts the next request from the tracking page with the buyer’s details, and from a wrong link with none', async () => {
  const request = await submittedAndTaken(session.testApp, 5);
  const page = await openPage(session.withoutJs);
  await page.goto(`${session.testApp.url}/suivi/${request.reference}?t=${encodeURIComponent(request.token)}`);
  const loaded = page.waitForEvent('load');
  await page.click('#lien-nouvelle-demande');
  await loaded;
  expect(await page.locator('#suite-de-demande').textContent()).toContain(`repris de votre demande ${request.reference}`);
  expect(await page.inputValue('#f-buyer-email')).toBe('camille.martin+5@example.fr');
  expect(await page.inputValue('#f-buyer-organisationName')).toBe('Département de l’Isère');
  expect(await page.inputValue('#f-departmentCode')).toBe('38');
  // The question itself starts blank: a new request is a new purchase.
  expect(await page.inputValue('#f-subject')).toBe('');
  expect(await page.inputValue('#f-question')).toBe('');
  const audited = await openPage(session.forAudit);
  await audited.goto(page.url());
  await expectNoAxeViolations(audited, 'formulaire repris d’une demande');
  await closePage(audited);

  await page.goto(`${session.testApp.url}/demande?suite=${request.reference}&t=faux`);
  expect(await page.locator('#suite-de-demande').count()).toBe(0);
  expect(await page.inputValue('#f-buyer-email')).toBe('');
  await closePage(page);
});
