/**
 * The indicators page in a real browser: audited by axe-core (with figures, and with a wrong period), and used
 * without JavaScript (the GET form changes the period).
 */
import type { Page } from 'playwright-core';
import { expectNamedScrollingTables, expectNoAxeViolations, useBrowserApp } from '../support/browser';
import { seedIndicators } from '../support/indicators';
import { insertStaff, STAFF_PASSWORD } from '../support/staff';

jest.setTimeout(60_000);

const session = useBrowserApp();

async function signedIn(context: typeof session.forAudit): Promise<Page> {
  const { email } = await insertStaff(session.testApp.dataSource, { role: 'animator', networks: ['aura-ee'] });
  const page = await context.newPage();
  await page.goto(`${session.testApp.url}/connexion`);
  await page.fill('#f-email', email);
  await page.fill('#f-password', STAFF_PASSWORD);
  await Promise.all([
    page.waitForURL((url) => !url.pathname.startsWith('/connexion')),
    page.getByRole('button', { name: 'Se connecter' }).click(),
  ]);
  return page;
}

beforeAll(async () => {
  await seedIndicators(session.testApp.dataSource);
});

it('indicateurs : aucune violation axe, avec chiffres, graphiques et alertes, ou avec une période erronée', async () => {
  const page = await signedIn(session.forAudit);
  await page.goto(`${session.testApp.url}/espace/indicateurs?du=2026-02-01&au=2026-02-28`);
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Indicateurs du guichet');
  expect(await page.locator('svg.gv-chart').count()).toBe(3);
  expect(await page.getByRole('img', { name: /Par statut actuel/ }).count()).toBe(1);
  expect(await page.locator('.fr-alert--warning').count()).toBe(6);
  await expectNoAxeViolations(page, 'indicateurs');

  await page.goto(`${session.testApp.url}/espace/indicateurs?du=2026-02-01&au=2026-13-01`);
  expect(await page.locator('#resume-erreurs').textContent()).toContain(
    'La date de fin n’est pas une date valide : écrivez-la JJ/MM/AAAA.',
  );
  await expectNoAxeViolations(page, 'indicateurs, période erronée');
  await page.close();
});

it('sur un téléphone (375 px), les tableaux qui défilent se parcourent au clavier : aucune violation axe', async () => {
  const page = await signedIn(session.forAudit);
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto(`${session.testApp.url}/espace/indicateurs?du=2026-02-01&au=2026-02-28`);
  await expectNoAxeViolations(page, 'indicateurs, téléphone');
  // Tabbing into a table box says which table it is.
  expect(await expectNamedScrollingTables(page)).toEqual(
    expect.arrayContaining(['Demandes reçues', 'Par statut actuel', 'Délais de prise en charge et de réponse']),
  );
  const [{ reference }] = await session.testApp.dataSource.query(`SELECT reference FROM requests ORDER BY reference LIMIT 1`);
  await page.goto(`${session.testApp.url}/espace/demandes/${reference}`);
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(reference);
  await expectNoAxeViolations(page, 'demande, téléphone');
  expect(await expectNamedScrollingTables(page)).toContain('Historique complet de la demande');
  await page.goto(`${session.testApp.url}/espace`);
  expect(await expectNamedScrollingTables(page)).toEqual([expect.stringMatching(/^Demandes attribuées de mes réseaux, /)]);
  await expectNoAxeViolations(page, 'file des demandes, téléphone');
  await page.close();
});

it('sans JavaScript, le formulaire change la période', async () => {
  const page = await signedIn(session.withoutJs);
  await page.goto(`${session.testApp.url}/espace/indicateurs`);
  await page.fill('#f-du', '2026-02-01');
  await page.fill('#f-au', '2026-02-28');
  await Promise.all([page.waitForURL(/du=2026-02-01/), page.getByRole('button', { name: 'Afficher' }).click()]);
  expect(new URL(page.url()).searchParams.get('reseau')).toBe('aura-ee');
  const total = page.getByRole('row', { name: /Demandes reçues/ });
  expect(await total.locator('td').allTextContents()).toEqual(['5', '2', expect.stringContaining('hausse de 3')]);
  const onTime = page.getByRole('row', { name: /Premières réponses données dans leur délai/ });
  expect(await onTime.locator('td').allTextContents()).toEqual(['50 %', '100 %', expect.stringContaining('baisse')]);
  await page.close();
});
