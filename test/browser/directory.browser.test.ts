/**
 * The directory pages in a real browser: « Mes absences » reached from the workspace, a facilitator added and
 * changed by an animator, facilitators imported from a CSV file; audited by axe-core (blank, with errors, filled),
 * used without JavaScript.
 */
import { readFile } from 'node:fs/promises';
import { parisDay } from '../../src/common/clock';
import { closePage, expectNoAxeViolations, openPage, signInStaff, submitByButton, tick, useBrowserApp } from '../support/browser';
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
  await audited.getByRole('link', { name: 'Dernier jour d’absence : il ne peut pas précéder le premier.' }).waitFor();
  await expectNoAxeViolations(audited, 'absence, fin avant le début');
  await audited.fill('#f-startsOn', startsOn);
  await audited.fill('#f-endsOn', endsOn);
  await audited.fill('#f-reason', 'Formation');
  expect(await submitByButton(audited, 'Enregistrer l’absence')).toBe(303);
  await audited.getByText('L’absence est enregistrée').waitFor();
  expect(await audited.getByRole('cell', { name: 'Formation' }).count()).toBe(1);
  await expectNoAxeViolations(audited, 'mes absences, une à venir');
  await audited.goto(`${t.url}/espace`);
  await audited.getByRole('link', { name: 'Ma fiche', exact: true }).click();
  await audited.getByRole('heading', { level: 1, name: 'Ma fiche de facilitateur' }).waitFor();
  await expectNoAxeViolations(audited, 'ma fiche de facilitateur');
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

it('ajoute un facilitateur à l’annuaire du réseau, puis modifie sa fiche', async () => {
  const t = session.testApp;
  const { email } = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] });

  const audited = await openPage(session.forAudit);
  await signInStaff(audited, t.url, email);
  await audited.goto(`${t.url}/espace`);
  await audited.getByRole('link', { name: 'Facilitateurs' }).click();
  await audited.getByRole('link', { name: 'Ajouter un facilitateur' }).click();
  await audited.getByRole('heading', { level: 1, name: 'Ajouter un facilitateur' }).waitFor();
  await expectNoAxeViolations(audited, 'nouveau facilitateur');
  await audited.fill('#f-departmentCodes', '29');
  expect(await submitByButton(audited, 'Ajouter le facilitateur')).toBe(400);
  await audited.getByRole('link', { name: 'Indiquez le prénom.' }).waitFor();
  await expectNoAxeViolations(audited, 'nouveau facilitateur, erreurs');
  await closePage(audited);

  const page = await openPage(session.withoutJs);
  await signInStaff(page, t.url, email);
  await page.goto(`${t.url}/espace/facilitateurs/nouveau`);
  await page.fill('#f-email', 'camille.roux@example.org');
  await page.fill('#f-firstName', 'Camille');
  await page.fill('#f-lastName', 'Roux');
  await tick(page, 'f-kind-social_clause');
  await page.fill('#f-departmentCodes', '38 73');
  await tick(page, 'f-segments-cleaning');
  expect(await submitByButton(page, 'Ajouter le facilitateur')).toBe(303);
  await page.getByText('Le facilitateur est ajouté à l’annuaire').waitFor();
  await page.getByRole('heading', { level: 1, name: 'Fiche de Camille Roux' }).waitFor();
  await page.fill('#f-capacity', '4');
  expect(await submitByButton(page, 'Enregistrer la fiche')).toBe(303);
  await page.getByText('La fiche est enregistrée.').waitFor();
  expect(await page.inputValue('#f-capacity')).toBe('4');
  expect(await page.isChecked('#f-segments-cleaning')).toBe(true);
  await page.goto(`${t.url}/espace/facilitateurs`);
  expect(await page.getByRole('cell', { name: 'Camille Roux', exact: true }).count()).toBe(1);
  await closePage(page);
});

it('importe des facilitateurs depuis un fichier CSV : vérification, puis import', async () => {
  const t = session.testApp;
  const { email } = await insertStaff(t.dataSource, { role: 'animator', networks: ['reseco'] });
  const file = {
    name: 'annuaire.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(
      'email;first_name;last_name;kind;network;departements;capacity;segments;coordinator\r\n' +
        'yann.le-goff@example.org;Yann;Le Goff;environmental;reseco;35 29;6;;non\r\n' +
        'ailleurs@example.org;Ali;Ailleurs;environmental;aura-ee;;6;;non\r\n',
    ),
  };

  const audited = await openPage(session.forAudit);
  await signInStaff(audited, t.url, email);
  await audited.goto(`${t.url}/espace/facilitateurs`);
  await audited.getByRole('link', { name: 'Importer des facilitateurs (CSV)' }).click();
  await audited.getByRole('heading', { level: 1, name: 'Importer des facilitateurs (CSV)' }).waitFor();
  await expectNoAxeViolations(audited, 'import de facilitateurs');
  expect(await submitByButton(audited, 'Vérifier le fichier')).toBe(400);
  await audited.getByRole('link', { name: 'Choisissez le fichier CSV des facilitateurs.' }).waitFor();
  await expectNoAxeViolations(audited, 'import de facilitateurs, sans fichier');
  await audited.setInputFiles('#f-fichiers', file);
  expect(await submitByButton(audited, 'Vérifier le fichier')).toBe(200);
  await audited.getByRole('heading', { level: 2, name: 'Vérification du fichier « annuaire.csv »' }).waitFor();
  await audited.getByRole('cell', { name: 'Réseau « aura-ee » : vous n’animez pas ce réseau.' }).waitFor();
  await expectNoAxeViolations(audited, 'import de facilitateurs, vérification');
  await closePage(audited);
  expect(await t.dataSource.query(`SELECT id FROM facilitators WHERE email = 'yann.le-goff@example.org'`)).toEqual([]);

  // Without JavaScript: the model downloaded, then the file imported.
  const page = await openPage(session.withoutJs);
  await signInStaff(page, t.url, email);
  await page.goto(`${t.url}/espace/facilitateurs/import`);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /Télécharger le modèle/ }).click()]);
  expect(download.suggestedFilename()).toBe('facilitateurs-modele.csv');
  expect((await readFile((await download.path())!, 'utf8')).split('\r\n')[0]).toBe(
    '\uFEFFemail;first_name;last_name;kind;network;departements;capacity;segments;coordinator;organisation',
  );
  await page.setInputFiles('#f-fichiers', file);
  expect(await submitByButton(page, 'Importer')).toBe(200);
  await page.getByText('Import terminé. 1 fiche créée, 0 fiche mise à jour, 0 fiche inchangée, 1 ligne rejetée.').waitFor();
  await page.getByRole('link', { name: 'Voir la liste des facilitateurs' }).click();
  expect(await page.getByRole('cell', { name: 'Yann Le Goff', exact: true }).count()).toBe(1);
  await closePage(page);
});
