/**
 * The reassignment and split pages in a real browser: audited by axe-core (blank and with errors),
 * and used to the end without JavaScript.
 */
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { CHROMIUM_ARGS, expectNoAxeViolations, signInStaff, submitByButton as submit } from '../support/browser';
import { insertFacilitator } from '../support/facilitators';
import { insertStaff } from '../support/staff';
import { flushQueues, resetDatabase, startTestApp, submitRequest, TestApp, waitFor } from '../support/test-app';

jest.setTimeout(60_000);

const QUESTION =
  'Nous voulons aussi intégrer une clause d’insertion dans le marché de nettoyage des locaux : comment fixer le nombre d’heures réservées ?';

let testApp: TestApp;
let browser: Browser;
/** CSP bypassed only so that axe-core can be injected as an inline script. */
let forAudit: BrowserContext;
let withoutJs: BrowserContext;
let reference: string;
let holder: string;
let other: string;

beforeAll(async () => {
  testApp = await startTestApp({}, { api: true, worker: true });
  await resetDatabase(testApp.dataSource);
  await flushQueues();
  holder = await insertFacilitator(testApp.dataSource, { network: 'aura-ee', firstName: 'Alix' });
  await insertFacilitator(testApp.dataSource, { kind: 'social_clause', network: 'aura-ee', departments: ['38'] });
  reference = await submitRequest(testApp, 1);
  await waitFor(async () => (await testApp.dataSource.query(`SELECT status FROM requests`))[0].status === 'assigned');
  other = await insertFacilitator(testApp.dataSource, { network: 'aura-ee', firstName: 'Dominique' });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  forAudit = await browser.newContext({ locale: 'fr-FR', bypassCSP: true });
  withoutJs = await browser.newContext({ locale: 'fr-FR', javaScriptEnabled: false });
  const { email } = await insertStaff(testApp.dataSource, { role: 'animator', networks: ['aura-ee'] });
  for (const context of [forAudit, withoutJs]) {
    const page = await context.newPage();
    await signInStaff(page, testApp.url, email);
    await page.close();
  }
});

afterAll(async () => {
  await browser?.close();
  await testApp?.close();
});

async function goTo(page: Page, path: string): Promise<void> {
  expect((await page.goto(`${testApp.url}${path}`))!.status()).toBe(200);
}

it('scission et réaffectation : aucune violation axe, vides ou avec erreurs', async () => {
  const page = await forAudit.newPage();
  await goTo(page, `/espace/demandes/${reference}/scission`);
  await expectNoAxeViolations(page, 'scission');
  await page.fill('#f-topics-0-subject', 'abc');
  expect(await submit(page, 'Créer les nouvelles demandes')).toBe(400);
  // Kind and segment come prefilled with the request's: what is left to fix is the subject and the question.
  expect(await page.locator('#resume-erreurs').textContent()).toContain('Nouvelle demande 1 : donnez un objet d’une ligne');
  await expectNoAxeViolations(page, 'scission avec erreurs');

  await goTo(page, `/espace/demandes/${reference}/reaffectation`);
  await expectNoAxeViolations(page, 'réaffectation');
  // Held by Alix: one verb, as the request page's link says it.
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(`Confier la demande ${reference} à un autre facilitateur`);
  expect(await submit(page, 'Confier')).toBe(400);
  await expectNoAxeViolations(page, 'réaffectation avec erreurs');
  await page.close();
});

it('scission puis réaffectation sans JavaScript', async () => {
  const page = await withoutJs.newPage();
  await goTo(page, `/espace/demandes/${reference}/scission`);
  await page.fill('#f-topics-0-subject', 'Clause d’insertion pour le nettoyage');
  await page.fill('#f-topics-0-question', QUESTION);
  await page.selectOption('#f-topics-0-kind', 'social_clause');
  await page.selectOption('#f-topics-0-segment', 'office_supplies');
  expect(await submit(page, 'Créer les nouvelles demandes')).toBe(303);
  const [split] = await testApp.dataSource.query(`SELECT reason FROM request_events WHERE type = 'split'`);
  expect(split.reason).toMatch(/^Scindée en GV-\d{4}-\d{6}$/);

  await goTo(page, `/espace/demandes/${reference}/reaffectation`);
  await page.locator('label', { hasText: 'Dominique' }).click();
  await page.fill('#f-reason', 'Alix est en formation cette semaine');
  expect(await submit(page, 'Confier')).toBe(303);
  const [row] = await testApp.dataSource.query(`SELECT assigned_facilitator_id AS id FROM requests WHERE reference = $1`, [reference]);
  expect(row.id).toBe(other);
  expect(row.id).not.toBe(holder);
  await page.close();
});

it('réaffectation à un facilitateur complet : la question sans violation axe, confirmée sans JavaScript', async () => {
  const full = await insertFacilitator(testApp.dataSource, { network: 'aura-ee', firstName: 'Bérénice', capacity: 0 });
  const path = `/espace/demandes/${reference}/reaffectation`;
  const audited = await forAudit.newPage();
  await goTo(audited, path);
  await audited.locator('label', { hasText: 'Bérénice' }).click();
  await audited.fill('#f-reason', 'Bérénice connaît cet acheteur');
  expect(await submit(audited, 'Confier')).toBe(409);
  expect(await audited.locator('#au-dela-de-la-capacite').textContent()).toContain('La lui confier quand même ?');
  await expectNoAxeViolations(audited, 'réaffectation au-delà de la capacité');
  await audited.close();

  const page = await withoutJs.newPage();
  await goTo(page, path);
  await page.locator('label', { hasText: 'Bérénice' }).click();
  await page.fill('#f-reason', 'Bérénice connaît cet acheteur');
  expect(await submit(page, 'Confier')).toBe(409);
  expect(await submit(page, 'Oui, la lui confier quand même')).toBe(303);
  const [row] = await testApp.dataSource.query(
    `SELECT r.assigned_facilitator_id AS id, f.open_count AS "openCount" FROM requests r JOIN facilitators f ON f.id = r.assigned_facilitator_id WHERE r.reference = $1`,
    [reference],
  );
  expect(row).toEqual({ id: full, openCount: 1 });
  await page.close();
});

/** How wide the page's content is, beyond the window when something overflows. */
const pageWidthIn = () =>
  (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth;

it('les listes de l’animateur tiennent dans la page, sur un écran de bureau comme sur un téléphone', async () => {
  const page = await forAudit.newPage();
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 800 });
    for (const path of ['/espace', '/espace/facilitateurs', '/espace/comptes', '/espace/modeles']) {
      await goTo(page, path);
      // A visually hidden text in a cell used to sit past the table's edge and widen the whole page.
      const pageWidth = await page.evaluate(pageWidthIn);
      expect({ path, width, pageWidth }).toEqual({ path, width, pageWidth: width });
    }
  }
  // The request page on a phone, the contact correction open: its fields stay within their column.
  await goTo(page, `/espace/demandes/${reference}`);
  await page.locator('summary', { hasText: 'Corriger les coordonnées' }).click();
  expect(await page.evaluate(pageWidthIn)).toBe(375);
  // On a desktop screen the queue's columns wrap rather than hide its status and deadline past the table's edge.
  await page.setViewportSize({ width: 1280, height: 800 });
  await goTo(page, '/espace');
  const container = page.locator('.fr-table__container').first();
  const overflow = await container.evaluate((element) => element.scrollWidth - element.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.close();
});
