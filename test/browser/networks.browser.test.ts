/**
 * « Réseaux » in a real browser, audited by axe-core: an admin reads the networks, opens one's contact address,
 * sees the error summary for a wrong one, then saves a good one.
 */
import { closePage, expectNoAxeViolations, openPage, signInStaff, submitByButton, useBrowserApp } from '../support/browser';
import { insertStaff } from '../support/staff';

jest.setTimeout(60_000);

const session = useBrowserApp();

it('un administrateur corrige l’adresse de contact d’un réseau', async () => {
  const t = session.testApp;
  const admin = await insertStaff(t.dataSource, { role: 'admin' });
  const page = await openPage(session.forAudit);
  await signInStaff(page, t.url, admin.email);
  await page.getByRole('link', { name: 'Réseaux', exact: true }).click();
  await expectNoAxeViolations(page, 'réseaux');
  await page.getByRole('link', { name: 'Modifier l’adresse de contact d’ARNia' }).click();
  await expectNoAxeViolations(page, 'adresse de contact');
  await page.fill('#f-contactEmail', 'pas-une-adresse');
  expect(await submitByButton(page, 'Enregistrer l’adresse')).toBe(400);
  expect(await page.locator('#resume-erreurs').textContent()).toContain('Indiquez une adresse électronique valide');
  await expectNoAxeViolations(page, 'adresse de contact refusée');
  await page.fill('#f-contactEmail', 'animation@arnia.fr');
  expect(await submitByButton(page, 'Enregistrer l’adresse')).toBe(303);
  expect(await page.locator('#confirmation').textContent()).toContain('L’adresse de contact est enregistrée');
  expect(await page.locator('#reseau-arnia').textContent()).toContain('animation@arnia.fr');
  // The change is in the journal, audited too.
  await page.getByRole('link', { name: 'Journal', exact: true }).click();
  expect(await page.locator('main').textContent()).toContain('Adresse de contact du réseau ARNia : contact@arnia.fr → animation@arnia.fr');
  await expectNoAxeViolations(page, 'journal');
  await closePage(page);
  // Reference rows outlive each test's reset: the seed's address comes back for the next suites.
  await t.dataSource.query(`UPDATE networks SET contact_email = 'contact@arnia.fr' WHERE code = 'arnia'`);
});

it('à 200 % du texte, le menu d’un administrateur tient dans la page sans défilement horizontal (RGAA 10.4)', async () => {
  const t = session.testApp;
  const admin = await insertStaff(t.dataSource, { role: 'admin' });
  const page = await openPage(session.forAudit);
  await signInStaff(page, t.url, admin.email);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.evaluate(() => (document.documentElement.style.fontSize = '200%'));
  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, window: window.innerWidth }));
  expect(widths.page).toBeLessThanOrEqual(widths.window);
  for (const name of ['Réseaux', 'Journal']) expect(await page.getByRole('link', { name, exact: true }).isVisible()).toBe(true);
  await closePage(page);
});
