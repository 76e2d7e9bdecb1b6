/** The erasure form of a closed request in a real browser: audited by axe-core (blank and with its error), used without JavaScript. */
import { closePage, expectNoAxeViolations, openPage, signInStaff, submitByButton, tick, useBrowserApp } from '../support/browser';
import { insertStaff } from '../support/staff';
import { closedAsAnswered } from '../support/surveys';

jest.setTimeout(60_000);

const session = useBrowserApp();

it('efface les données personnelles d’une demande clôturée, après confirmation', async () => {
  const t = session.testApp;
  const request = await closedAsAnswered(t, 1);
  const { email } = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] });
  const url = `${t.url}/espace/demandes/${request.reference}`;

  const audited = await openPage(session.forAudit);
  await signInStaff(audited, t.url, email);
  await audited.goto(url);
  await expectNoAxeViolations(audited, 'demande clôturée, formulaire d’effacement');
  expect(await submitByButton(audited, 'Effacer les données personnelles')).toBe(400);
  expect(await audited.getByText('Cochez la case pour confirmer : l’effacement est définitif.').count()).toBeGreaterThan(0);
  await expectNoAxeViolations(audited, 'effacement non confirmé');
  await closePage(audited);

  const page = await openPage(session.withoutJs);
  await signInStaff(page, t.url, email);
  await page.goto(url);
  await tick(page, 'f-erase-confirm-1');
  expect(await submitByButton(page, 'Effacer les données personnelles')).toBe(303);
  expect(page.url()).toBe(`${url}?fait=effacement`);
  await page.getByText('Les données personnelles de l’acheteur sont effacées.').waitFor();
  expect(await page.getByRole('button', { name: 'Effacer les données personnelles' }).count()).toBe(0);
  await closePage(page);
});
