/** « Mes absences » in a real browser: reached from the workspace, audited by axe-core (empty, with errors, listed), used without JavaScript. */
import { parisDay } from '../../src/common/clock';
import { closePage, expectNoAxeViolations, openPage, signInStaff, submitByButton, useBrowserApp } from '../support/browser';
import { insertFacilitator } from '../support/facilitators';
import { insertStaff } from '../support/staff';

jest.setTimeout(60_000);

const session = useBrowserApp();

it('déclare puis supprime une absence depuis l’espace facilitateur', async () => {
  const t = session.testApp;
  const facilitatorId = await insertFacilitator(t.dataSource, { network: 'aura-ee' });
  const { email } = await insertStaff(t.dataSource, { role: 'facilitator', facilitatorId, networks: ['aura-ee'] });
  const startsOn = parisDay(new Date(Date.now() + 7 * 24 * 3600 * 1000));
  const endsOn = parisDay(new Date(Date.now() + 11 * 24 * 3600 * 1000));

  const audited = await openPage(session.forAudit);
  await signInStaff(audited, t.url, email);
  await audited.goto(`${t.url}/espace`);
  await audited.getByRole('link', { name: 'Mes absences' }).click();
  await audited.getByRole('heading', { level: 1, name: 'Mes absences' }).waitFor();
  await expectNoAxeViolations(audited, 'mes absences, aucune');
  await audited.fill('#f-startsOn', endsOn);
  await audited.fill('#f-endsOn', startsOn);
  expect(await submitByButton(audited, 'Enregistrer l’absence')).toBe(400);
  await audited.getByRole('link', { name: 'La fin de l’absence ne peut pas précéder son début.' }).waitFor();
  await expectNoAxeViolations(audited, 'absence, fin avant le début');
  await audited.fill('#f-startsOn', startsOn);
  await audited.fill('#f-endsOn', endsOn);
  await audited.fill('#f-reason', 'Formation');
  expect(await submitByButton(audited, 'Enregistrer l’absence')).toBe(303);
  await audited.getByText('L’absence est enregistrée').waitFor();
  expect(await audited.getByRole('cell', { name: 'Formation' }).count()).toBe(1);
  await expectNoAxeViolations(audited, 'mes absences, une à venir');
  await closePage(audited);

  // Without JavaScript: the absence deleted, then a one-day absence declared.
  const page = await openPage(session.withoutJs);
  await signInStaff(page, t.url, email);
  await page.goto(`${t.url}/espace/facilitateurs/${facilitatorId}/absences`);
  expect(await submitByButton(page, 'Supprimer')).toBe(303);
  await page.getByText('L’absence est supprimée.').waitFor();
  await page.getByText('Aucune absence en cours ni à venir.').waitFor();
  await page.fill('#f-startsOn', startsOn);
  await page.fill('#f-endsOn', startsOn);
  expect(await submitByButton(page, 'Enregistrer l’absence')).toBe(303);
  await page.getByText('L’absence est enregistrée').waitFor();
  expect(await page.getByRole('button', { name: /^Supprimer/ }).count()).toBe(1);
  await closePage(page);
});
