/// <reference lib="dom" />
/**
 * The answer's draft in a real browser: 30 s after typing, the script saves it without leaving the page and says so
 * to screen readers (aria-live); the page opened again starts from it; without script the button does the same.
 */
import { closePage, expectNoAxeViolations, openPage, signInStaff, submitByButton, useBrowserApp } from '../support/browser';
import { submittedAndTaken } from '../support/conversation';
import { insertStaff } from '../support/staff';

jest.setTimeout(60_000);

const session = useBrowserApp();

it('saves the answer being written 30 s after typing, says so, and the page opened again starts from it', async () => {
  const t = session.testApp;
  const request = await submittedAndTaken(t, 1);
  const [{ network }] = await t.dataSource.query(`SELECT network_code AS network FROM requests WHERE id = $1`, [request.id]);
  const { email } = await insertStaff(t.dataSource, { role: 'facilitator', facilitatorId: request.facilitatorId, networks: [network] });
  const url = `${t.url}/espace/demandes/${request.reference}`;
  const drafts = () => t.dataSource.query(`SELECT body, items FROM answer_drafts WHERE request_id = $1`, [request.id]);

  const page = await openPage(session.withJs);
  await signInStaff(page, t.url, email);
  await page.clock.install();
  await page.goto(url);
  const status = page.locator('#brouillon-statut');
  expect(await status.getAttribute('aria-live')).toBe('polite');
  await page.locator('#f-answer-body').fill('Bonjour, je vous réponds dès que possible.');
  await page.selectOption('#f-answer-items-0-type', 'regulation');
  // Not before 30 s: typing alone sends nothing.
  await page.clock.runFor(20_000);
  expect(await drafts()).toEqual([]);
  const saved = page.waitForResponse((r) => r.url().endsWith('/reponse') && r.request().method() === 'POST');
  await page.clock.runFor(11_000);
  expect((await saved).status()).toBe(200);
  await page.waitForFunction(() =>
    /^Brouillon enregistré à \d{1,2} h \d{2}$/.test(document.getElementById('brouillon-statut')?.textContent ?? ''),
  );
  expect(await drafts()).toEqual([{ body: 'Bonjour, je vous réponds dès que possible.', items: [{ type: 'regulation' }] }]);
  // Still the same page, the text where it was.
  expect(await page.locator('#f-answer-body').inputValue()).toBe('Bonjour, je vous réponds dès que possible.');
  await closePage(page);

  // Opened again: the form starts from the draft, the notice says when it was saved.
  const again = await openPage(session.withJs);
  await signInStaff(again, t.url, email);
  await again.goto(url);
  expect(await again.locator('#f-answer-body').inputValue()).toBe('Bonjour, je vous réponds dès que possible.');
  expect(await again.locator('#f-answer-items-0-type').inputValue()).toBe('regulation');
  expect(await again.locator('#brouillon').textContent()).toMatch(
    /Brouillon enregistré le .+ à \d{1,2} h \d{2} : votre réponse ci-dessous le reprend/,
  );
  await closePage(again);

  // Without script, the button: the page comes back with its notice, focusable content unchanged.
  const plain = await openPage(session.withoutJs);
  await signInStaff(plain, t.url, email);
  await plain.goto(url);
  await plain.locator('#f-answer-body').fill('Une autre version.');
  expect(await submitByButton(plain, 'Enregistrer le brouillon')).toBe(200);
  expect(await plain.locator('#brouillon').textContent()).toContain('Les fichiers ne sont pas gardés dans le brouillon');
  expect((await drafts())[0].body).toBe('Une autre version.');
  await closePage(plain);

  const audit = await openPage(session.forAudit);
  await signInStaff(audit, t.url, email);
  await audit.goto(url);
  await expectNoAxeViolations(audit, 'réponse reprise d’un brouillon');
  await closePage(audit);
});
