/// <reference lib="dom" />
/**
 * The answer editor never loses text, in a real browser: a long text pasted is kept whole and counted live (the count
 * said to screen readers near the limit), the server's refusal gives it back; a template chosen goes after what was typed; leaving
 * the page with an answer not sent asks first; Enter in a help item's field sends the answer, never a template.
 */
import { closePage, expectNoAxeViolations, openPage, signInStaff, submitByButton, useBrowserApp } from '../support/browser';
import { submittedAndTaken } from '../support/conversation';
import { insertStaff } from '../support/staff';

jest.setTimeout(60_000);

const session = useBrowserApp();

it('un long texte collé n’est pas tronqué : le compteur le dit, le serveur le rend entier', async () => {
  const t = session.testApp;
  const request = await submittedAndTaken(t, 1);
  const [{ network }] = await t.dataSource.query(`SELECT network_code AS network FROM requests WHERE id = $1`, [request.id]);
  const { email } = await insertStaff(t.dataSource, { role: 'facilitator', facilitatorId: request.facilitatorId, networks: [network] });
  await session.withJs.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.url });
  const page = await openPage(session.withJs);
  await signInStaff(page, t.url, email);
  await page.goto(`${t.url}/espace/demandes/${request.reference}`);

  const box = page.locator('#f-answer-body');
  const count = page.locator('#f-answer-body-count');
  const live = page.locator('#f-answer-body-count-live');
  expect(await count.textContent()).toBe('Il vous reste 10\u202f000 caractères sur 10\u202f000.');
  // The label already says « 10 000 caractères au plus »: the count does not describe the box again.
  expect(await box.getAttribute('aria-describedby')).toBeNull();
  await box.pressSequentially('Bonjour');
  expect(await count.textContent()).toBe('Il vous reste 9\u202f993 caractères sur 10\u202f000.');
  // Far from the limit, screen readers hear nothing once typing pauses; in its last tenth, they hear what is left.
  await page.waitForTimeout(1_500);
  expect(await live.textContent()).toBe('');
  await box.fill('a'.repeat(9_500));
  await page.waitForFunction(
    () => document.getElementById('f-answer-body-count-live')?.textContent === 'Il vous reste 500 caractères sur 10\u202f000.',
  );
  // Near the limit, the count describes the box: tabbing back into it says what is left.
  expect(await box.getAttribute('aria-describedby')).toBe('f-answer-body-count');
  await box.fill('Bonjour');
  await page.waitForFunction(() => document.getElementById('f-answer-body-count-live')?.textContent === '');
  expect(await box.getAttribute('aria-describedby')).toBeNull();

  // 13 000 characters pasted, the signature last: none cut, the count says by how much it is over.
  const signature = '\n\nCordialement,\nCamille, facilitatrice';
  const long = 'Voici une réponse longue. '.repeat(500).slice(0, 13_000 - 'Bonjour'.length - signature.length) + signature;
  await box.fill('Bonjour');
  await box.press('End');
  await page.evaluate((text) => navigator.clipboard.writeText(text), long);
  await box.press('ControlOrMeta+V');
  const pasted = await box.inputValue();
  expect(pasted.length).toBe(13_000);
  expect(pasted.endsWith('Camille, facilitatrice')).toBe(true);
  expect(await count.textContent()).toBe('3\u202f000 caractères de trop : raccourcissez le texte à 10\u202f000 caractères au plus.');
  expect(await count.getAttribute('class')).toBe('fr-message fr-message--error');
  await page.waitForFunction(() => document.getElementById('f-answer-body-count-live')?.textContent?.includes('de trop'));

  // Sent, refused: the whole text comes back with the server's message, counted again.
  expect(await submitByButton(page, 'Envoyer la réponse')).toBe(400);
  expect((await box.inputValue()).length).toBe(13_000);
  expect(await page.locator('#resume-erreurs').textContent()).toContain('La réponse ne doit pas dépasser 10\u202f000 caractères.');
  expect(await count.textContent()).toContain('3\u202f000 caractères de trop');
  // Opened past the limit: the server's error and the count both describe the box.
  expect(await box.getAttribute('aria-describedby')).toBe('f-answer-body-error f-answer-body-count');
  await closePage(page);

  const audit = await openPage(session.forAudit);
  await signInStaff(audit, t.url, email);
  await audit.goto(`${t.url}/espace/demandes/${request.reference}`);
  await audit.locator('#f-answer-body').fill('Un début de réponse');
  await expectNoAxeViolations(audit, 'réponse en cours, compteur de caractères');
  await closePage(audit);

  // The buyer's question too: no hard limit, the count from the form's own limit.
  const buyer = await openPage(session.withJs);
  await buyer.goto(`${t.url}/demande`);
  expect(await buyer.locator('#f-question').getAttribute('maxlength')).toBeNull();
  expect(await buyer.locator('#f-question-count').textContent()).toBe('Il vous reste 5\u202f000 caractères sur 5\u202f000.');
  await closePage(buyer);
});

it('un modèle choisi s’ajoute au texte écrit ; quitter la page avec une réponse non envoyée demande confirmation', async () => {
  const t = session.testApp;
  const request = await submittedAndTaken(t, 2);
  const [{ network }] = await t.dataSource.query(`SELECT network_code AS network FROM requests WHERE id = $1`, [request.id]);
  await t.dataSource.query(`INSERT INTO answer_templates (id, network_code, title, body) VALUES (gen_random_uuid(), $1, $2, $3)`, [
    network,
    'Loi AGEC : réemploi',
    'Les taux minimaux de réemploi sont fixés par décret.',
  ]);
  const { email } = await insertStaff(t.dataSource, { role: 'facilitator', facilitatorId: request.facilitatorId, networks: [network] });
  const url = `${t.url}/espace/demandes/${request.reference}`;

  for (const context of [session.withJs, session.withoutJs]) {
    const page = await openPage(context);
    await signInStaff(page, t.url, email);
    await page.goto(url);
    await page.locator('#f-answer-body').fill('Ce que j’ai déjà écrit.');
    await page.getByText('Partir d’un modèle de réponse du réseau (1)').click();
    // A form's submit: no « leave the page? » question (one left unanswered would stop the page here).
    expect(await submitByButton(page, 'Loi AGEC : réemploi')).toBe(200);
    expect(await page.locator('#f-answer-body').inputValue()).toBe(
      'Ce que j’ai déjà écrit.\n\nLes taux minimaux de réemploi sont fixés par décret.',
    );
    await closePage(page);
  }

  // Enter in a help item's field sends the answer (its hidden default button), not the first template.
  const page = await openPage(session.withJs);
  await signInStaff(page, t.url, email);
  await page.goto(url);
  await page.locator('#f-answer-body').fill('Ma réponse.');
  await page.selectOption('#f-answer-items-0-type', 'guide');
  const sent = page.waitForRequest((r) => r.isNavigationRequest() && r.method() === 'POST');
  await page.locator('#f-answer-items-0-title').fill('Guide sans adresse');
  await page.locator('#f-answer-items-0-title').press('Enter');
  expect((await sent).postData()).not.toContain('name="modele"');
  await page.waitForLoadState('load');
  expect(await page.locator('#resume-erreurs').textContent()).toContain('Indiquez l’adresse du guide ou joignez le document.');
  expect(await page.locator('#modele-repris').count()).toBe(0);

  // Leaving with text typed and not sent: the browser asks first.
  await page.locator('#f-answer-body').fill('Une réponse pas encore envoyée.');
  const asked = new Promise<string>((resolve) => {
    page.once('dialog', (dialog) => {
      resolve(dialog.type());
      void dialog.accept();
    });
    setTimeout(() => resolve('aucune question'), 5_000);
  });
  await page.close({ runBeforeUnload: true });
  expect(await asked).toBe('beforeunload');
});
