/**
 * The staff queue on a phone (375 px) or zoomed in: a facilitator reads each request without scrolling sideways, and
 * reaches the list in a few keystrokes once filtered.
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

it('sur un téléphone, chaque demande se lit en carte et, une fois filtrée, la liste prend le focus : quelques tabulations jusqu’à la première demande', async () => {
  const t = session.testApp;
  const { reference, facilitatorId } = await submittedAndTaken(t, 2, { email: 'basile@example.org' });
  await insertStaff(t.dataSource, { role: 'facilitator', facilitatorId, networks: ['aura-ee'], email: 'basile@example.org' });
  const page = await openPage(session.forAudit, { width: 375, height: 800 });
  await signInStaff(page, t.url, 'basile@example.org');

  // No column off screen: the page and the table's box as wide as the window, the status within it.
  const widths = () =>
    page.locator('.fr-table__container').evaluate((box) => ({
      page: box.ownerDocument.documentElement.scrollWidth,
      box: box.scrollWidth - box.clientWidth,
    }));
  // At 200 % zoom on a 1280 px screen too.
  await page.setViewportSize({ width: 640, height: 800 });
  expect(await widths()).toEqual({ page: 640, box: 0 });
  await page.setViewportSize({ width: 375, height: 800 });
  expect(await widths()).toEqual({ page: 375, box: 0 });
  const firstRow = page.locator('tbody tr').first();
  const status = firstRow.getByText('En cours');
  await status.scrollIntoViewIfNeeded();
  const box = (await status.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(375);
  // Each cell says its column's name; screen readers still read a table, its cells named by their headers.
  expect(await firstRow.locator('td[data-label="Statut"]').evaluate((cell) => getComputedStyle(cell, '::before').content)).toMatch(
    /Statut/,
  );
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: Array<{ role?: { value: string }; ignored: boolean }> };
  const roles = nodes.filter((n) => !n.ignored).map((n) => n.role?.value);
  expect(['table', 'row', 'columnheader', 'cell'].filter((role) => !roles.includes(role))).toEqual([]);
  await expectNoAxeViolations(page, 'file des demandes en cartes, téléphone');

  // Searched from the keyboard: the page comes back on the list's heading, the filters folded and counted.
  await page.locator('summary', { hasText: 'Filtres' }).press('Enter');
  await page.getByLabel('Rechercher').fill(reference);
  const loaded = page.waitForEvent('load');
  await page.getByLabel('Rechercher').press('Enter');
  await loaded;
  expect(new URL(page.url()).searchParams.get('q')).toBe(reference);
  expect(await page.locator(':focus').getAttribute('id')).toBe('liste-demandes');
  expect(await page.locator('#liste-demandes').textContent()).toBe('Mes demandes : 1 demande, avec 1 filtre');
  expect(await page.locator('summary').textContent()).toBe('Filtres (1 appliqué)');
  expect(await page.getByLabel('Rechercher').isVisible()).toBe(false);
  // « Retirer ce filtre », « Exporter en CSV », the table's box, then the request.
  const focused = page.locator(':focus');
  let tabs = 0;
  while (tabs < 10 && (await focused.textContent()) !== reference) {
    await page.keyboard.press('Tab');
    tabs++;
  }
  expect(tabs).toBe(4);
  await expectNoAxeViolations(page, 'file des demandes filtrée, téléphone');
  await closePage(page);
});
