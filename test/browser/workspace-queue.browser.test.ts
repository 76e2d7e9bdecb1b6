/**
 * The staff queue on a phone (375 px): a facilitator reads each request's deadline without scrolling sideways.
 */
import { closePage, expectNoAxeViolations, openPage, signInStaff, useBrowserApp } from '../support/browser';
import { submittedAndTaken } from '../support/conversation';
import { insertStaff } from '../support/staff';

jest.setTimeout(60_000);

const session = useBrowserApp();

it('sur un téléphone (375 px), l’échéance de la première demande se lit sans défilement horizontal', async () => {
  const t = session.testApp;
  const { reference, facilitatorId } = await submittedAndTaken(t, 1, { email: 'alix@example.org' });
  await t.dataSource.query(
    `UPDATE request_assignments SET answer_due_at = now() + interval '5 days'
      WHERE request_id = (SELECT id FROM requests WHERE reference = $1)`,
    [reference],
  );
  await insertStaff(t.dataSource, { role: 'facilitator', facilitatorId, networks: ['aura-ee'], email: 'alix@example.org' });
  const page = await openPage(session.forAudit, { width: 375, height: 800 });
  await signInStaff(page, t.url, 'alix@example.org');
  expect(new URL(page.url()).pathname).toBe('/espace');

  // The filters fold away under « Filtres »: the first request shows in the first screen.
  const filters = page.locator('summary', { hasText: 'Filtres' });
  expect(await filters.isVisible()).toBe(true);
  expect(await page.getByLabel('Rechercher').isVisible()).toBe(false);
  const firstRow = page.locator('tbody tr').first();
  const rowTop = (await firstRow.boundingBox())!.y;
  expect(rowTop).toBeLessThan(800);
  expect(await firstRow.getByRole('link').first().textContent()).toBe(reference);
  const deadline = firstRow.getByText(/Réponse : /).filter({ visible: true });
  await deadline.scrollIntoViewIfNeeded();
  const box = (await deadline.boundingBox())!;
  // Within the window's width, the table box not scrolled sideways to show it.
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(375);
  expect(await page.locator('.fr-table__container').evaluate((box) => box.scrollLeft)).toBe(0);
  await expectNoAxeViolations(page, 'file des demandes, téléphone');
  // On a wide screen, the deadline keeps its column.
  await page.setViewportSize({ width: 1280, height: 800 });
  expect(await page.getByRole('columnheader', { name: /Échéance/ }).isVisible()).toBe(true);
  expect(await firstRow.locator('.gv-file-echeance').isVisible()).toBe(false);
  expect(await filters.isVisible()).toBe(false);
  expect(await page.getByLabel('Rechercher').isVisible()).toBe(true);
  // Back on a phone, the disclosure opens on a tap.
  await page.setViewportSize({ width: 375, height: 800 });
  await filters.click();
  expect(await page.getByLabel('Rechercher').isVisible()).toBe(true);
  await closePage(page);
});
