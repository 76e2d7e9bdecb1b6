/** « Retrouver mes demandes » in a real browser: reached from the footer, audited by axe-core (blank, with its error, sent), used without JavaScript. */
import { closePage, expectNoAxeViolations, openPage, submitByButton, useBrowserApp } from '../support/browser';
import { mailsTo } from '../support/conversation';
import { submitRequest } from '../support/test-app';

jest.setTimeout(60_000);

const session = useBrowserApp();

it('renvoie les liens de suivi à l’adresse de l’acheteur', async () => {
  const t = session.testApp;
  const reference = await submitRequest(t, 1);

  const audited = await openPage(session.forAudit);
  await audited.goto(`${t.url}/`);
  await audited.getByRole('link', { name: 'Retrouver mes demandes' }).click();
  await audited.getByRole('heading', { level: 1, name: 'Retrouver mes demandes' }).waitFor();
  await expectNoAxeViolations(audited, 'retrouver mes demandes');
  await audited.fill('#f-email', 'camille.martin');
  expect(await submitByButton(audited, 'Recevoir mes liens de suivi')).toBe(400);
  await audited.getByRole('link', { name: 'Indiquez une adresse électronique valide, par exemple nom@exemple.fr.' }).waitFor();
  await expectNoAxeViolations(audited, 'retrouver mes demandes, adresse invalide');
  await audited.fill('#f-email', 'personne@example.fr');
  expect(await submitByButton(audited, 'Recevoir mes liens de suivi')).toBe(200);
  await expectNoAxeViolations(audited, 'liens de suivi envoyés');
  await closePage(audited);

  const page = await openPage(session.withoutJs);
  await page.goto(`${t.url}/suivi`);
  await page.fill('#f-email', 'camille.martin+1@example.fr');
  expect(await submitByButton(page, 'Recevoir mes liens de suivi')).toBe(200);
  await page.getByRole('heading', { level: 1, name: 'Liens de suivi envoyés' }).waitFor();
  const [mail] = await mailsTo(t, 'tracking-links');
  expect(mail.text_body).toContain(reference);
  await closePage(page);
});
