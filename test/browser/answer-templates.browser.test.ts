/// <reference lib="dom" />
/**
 * Answer templates in a real browser: an animator writes one (its error summary first), audited by axe-core; the
 * facilitator holding a request of that network starts the answer from it, without JavaScript, and is told when it
 * was deleted meanwhile.
 */
import { PASSAGE_TO_COMPLETE } from '../../src/modules/answer-templates/answer-template.policy';
import { closePage, expectNoAxeViolations, openPage, signInStaff, submitByButton, useBrowserApp } from '../support/browser';
import { submittedAndTaken } from '../support/conversation';
import { bearerFor, insertStaff } from '../support/staff';

jest.setTimeout(60_000);

const session = useBrowserApp();

it('un animateur écrit un modèle de réponse ; le facilitateur part de ce modèle pour répondre', async () => {
  const t = session.testApp;
  const request = await submittedAndTaken(t, 1);
  const [{ network }] = await t.dataSource.query(`SELECT network_code AS network FROM requests WHERE id = $1`, [request.id]);
  const animator = await insertStaff(t.dataSource, { role: 'animator', networks: [network] });

  const audited = await openPage(session.forAudit);
  await signInStaff(audited, t.url, animator.email);
  await audited.goto(`${t.url}/espace/modeles`);
  await expectNoAxeViolations(audited, 'modèles de réponse, aucun');
  expect(await submitByButton(audited, 'Enregistrer le modèle')).toBe(400);
  expect(await audited.locator('#resume-erreurs').textContent()).toContain('Donnez un titre au modèle.');
  await expectNoAxeViolations(audited, 'modèle refusé');
  await audited.fill('#f-title', 'Loi AGEC : taux de réemploi');
  await audited.fill('#f-body', 'Bonjour,\n\nLes taux minimaux de réemploi sont fixés par décret.');
  expect(await submitByButton(audited, 'Enregistrer le modèle')).toBe(303);
  await audited.getByRole('link', { name: 'Loi AGEC : taux de réemploi', exact: true }).waitFor();
  await expectNoAxeViolations(audited, 'modèles de réponse, un');
  await audited.getByRole('link', { name: 'Loi AGEC : taux de réemploi', exact: true }).click();
  await expectNoAxeViolations(audited, 'modification d’un modèle');
  // « Supprimer » asks first, on a page of its own.
  await audited.goto(`${t.url}/espace/modeles`);
  await audited.getByRole('link', { name: 'Supprimer le modèle « Loi AGEC : taux de réemploi »' }).click();
  await audited.getByRole('heading', { level: 1, name: 'Supprimer le modèle « Loi AGEC : taux de réemploi » ?' }).waitFor();
  await expectNoAxeViolations(audited, 'suppression d’un modèle, confirmation');
  await closePage(audited);

  const { email } = await insertStaff(t.dataSource, { role: 'facilitator', facilitatorId: request.facilitatorId, networks: [network] });
  const page = await openPage(session.withoutJs);
  await signInStaff(page, t.url, email);
  await page.goto(`${t.url}/espace/demandes/${request.reference}`);
  await page.getByText('Partir d’un modèle de réponse du réseau (1)').click();
  // A button of the answer form: the page comes back with the template in the answer.
  expect(await submitByButton(page, 'Loi AGEC : taux de réemploi')).toBe(200);
  expect(await page.locator('#f-answer-body').inputValue()).toBe('Bonjour,\n\nLes taux minimaux de réemploi sont fixés par décret.');
  await closePage(page);

  const audit = await openPage(session.forAudit);
  await signInStaff(audit, t.url, email);
  await audit.goto(
    `${t.url}/espace/demandes/${request.reference}?modele=${(await t.dataSource.query('SELECT id FROM answer_templates'))[0].id}`,
  );
  await expectNoAxeViolations(audit, 'réponse partie d’un modèle');
  // The notice that the answer now holds the template has the focus: the answer's field comes next.
  expect(await audit.evaluate(() => document.activeElement?.id)).toBe('modele-repris');
  await closePage(audit);

  // Deleted by the animator while the page was open: the choice brings back what was typed, and the alert saying why has the focus.
  const stale = await openPage(session.forAudit);
  await signInStaff(stale, t.url, email);
  await stale.goto(`${t.url}/espace/demandes/${request.reference}`);
  await stale.fill('#f-answer-body', 'Bonjour, déjà écrit.');
  await stale.getByText('Partir d’un modèle de réponse du réseau (1)').click();
  expect(await submitByButton(stale, 'Loi AGEC : taux de réemploi')).toBe(200);
  // Taken in by the button, the page comes back at #titre-reponse: once loaded, its notice has the focus all the same.
  const focusedOn = (id: string) => stale.waitForFunction((expected) => document.activeElement?.id === expected, id, { timeout: 5000 });
  await focusedOn('modele-repris');
  await stale.fill('#f-answer-body', 'Bonjour, déjà écrit.');
  const [{ id: templateId }] = await t.dataSource.query('SELECT id FROM answer_templates');
  const deleted = await fetch(`${t.url}/api/v1/staff/answer-templates/${templateId}`, {
    method: 'DELETE',
    headers: { authorization: await bearerFor(t, { role: 'animator', networks: [network] }) },
  });
  expect(deleted.status).toBe(204);
  expect(await submitByButton(stale, 'Loi AGEC : taux de réemploi')).toBe(409);
  await focusedOn('modele-introuvable');
  expect(await stale.locator('#modele-introuvable').textContent()).toContain('Le modèle choisi a été supprimé par Sam Essai');
  expect(await stale.locator('#f-answer-body').inputValue()).toBe('Bonjour, déjà écrit.');
  await expectNoAxeViolations(stale, 'modèle supprimé entre-temps');
  await closePage(stale);
});

it('un modèle changé puis supprimé par un collègue pendant qu’un animateur le modifie ou le supprime : chaque refus le dit', async () => {
  const t = session.testApp;
  const animator = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] });
  const [{ id }] = await t.dataSource.query(
    `INSERT INTO answer_templates (id, network_code, title, body) VALUES (gen_random_uuid(), 'aura-ee', 'Loi AGEC', 'Texte') RETURNING id`,
  );
  const page = await openPage(session.forAudit);
  await signInStaff(page, t.url, animator.email);
  await page.goto(`${t.url}/espace/modeles/${id}`);
  await page.fill('#f-body', 'Texte revu');
  const focusedOn = (target: string) =>
    page.waitForFunction((expected) => document.activeElement?.id === expected, target, { timeout: 5000 });

  await t.dataSource.query(`UPDATE answer_templates SET body = 'Texte d’un collègue', version = version + 1`);
  expect(await submitByButton(page, 'Enregistrer les modifications')).toBe(409);
  await focusedOn('modele-modifie');
  expect(await page.locator('#f-body').inputValue()).toBe('Texte revu');
  await expectNoAxeViolations(page, 'modèle modifié entre-temps');

  await t.dataSource.query(`DELETE FROM answer_templates`);
  expect(await submitByButton(page, 'Enregistrer les modifications')).toBe(409);
  await focusedOn('modele-supprime');
  expect(await page.locator('#f-body').inputValue()).toBe('Texte revu');
  await expectNoAxeViolations(page, 'modèle supprimé entre-temps');
  expect(await submitByButton(page, 'Recréer le modèle')).toBe(303);
  expect(await t.dataSource.query(`SELECT title, body FROM answer_templates`)).toEqual([{ title: 'Loi AGEC', body: 'Texte revu' }]);

  // Its deletion confirmed after a colleague's change: not deleted, the template as it is now, to delete anyway or keep.
  await page.getByRole('link', { name: 'Supprimer le modèle « Loi AGEC »' }).click();
  await t.dataSource.query(`UPDATE answer_templates SET body = 'Texte d’un collègue', version = version + 1`);
  expect(await submitByButton(page, 'Oui, supprimer le modèle')).toBe(409);
  await focusedOn('modele-modifie');
  expect(await page.locator('#version-actuelle').textContent()).toBe('Texte d’un collègue');
  await expectNoAxeViolations(page, 'suppression refusée, modèle modifié entre-temps');
  expect(await submitByButton(page, 'Supprimer quand même')).toBe(303);
  expect(await t.dataSource.query(`SELECT 1 FROM answer_templates`)).toEqual([]);
  await closePage(page);
});

it('une réponse refusée pour un passage du modèle à compléter : le lien du résumé sélectionne ce passage dans le texte', async () => {
  const t = session.testApp;
  const request = await submittedAndTaken(t, 3);
  const [{ network }] = await t.dataSource.query(`SELECT network_code AS network FROM requests WHERE id = $1`, [request.id]);
  const { email } = await insertStaff(t.dataSource, { role: 'facilitator', facilitatorId: request.facilitatorId, networks: [network] });
  const page = await openPage(session.withJs, { width: 375, height: 700 });
  await signInStaff(page, t.url, email);
  await page.goto(`${t.url}/espace/demandes/${request.reference}`);
  // Far down a long text, past what the box shows: without the selection, the caret would wait at its start.
  const marker = '[À compléter selon votre demande]';
  const text = `${Array.from({ length: 40 }, (_, i) => `Paragraphe ${i + 1} de la réponse.`).join('\n')}\nLe taux est ${marker} ; puis [À compléter : lot].`;
  await page.locator('#f-answer-body').fill(text);
  // The box carries the pattern the answer is refused by, for the script to find a passage left: one definition.
  expect(await page.locator('#f-answer-body').getAttribute('data-passage-pattern')).toBe(PASSAGE_TO_COMPLETE.source);
  expect(await submitByButton(page, 'Envoyer la réponse')).toBe(400);
  await page.locator('#resume-erreurs a', { hasText: `contient encore « ${marker} »` }).click();
  const start = text.indexOf(marker);
  await page.waitForFunction(
    (at) => {
      const box = document.activeElement as HTMLTextAreaElement | null;
      return box?.id === 'f-answer-body' && box.selectionStart === at;
    },
    start,
    { timeout: 5000 },
  );
  const shown = await page.locator('#f-answer-body').evaluate((box: HTMLTextAreaElement) => ({
    start: box.selectionStart,
    end: box.selectionEnd,
    scrolled: box.scrollTop > 0,
    value: box.value,
  }));
  expect(shown).toEqual({ start, end: start + marker.length, scrolled: true, value: text });
  // The passage named already replaced: the link selects the first one left, found by the pattern the box carries.
  const replaced = text.replace(marker, '12 %');
  await page.locator('#f-answer-body').fill(replaced);
  await page.locator('#resume-erreurs a', { hasText: `contient encore « ${marker} »` }).click();
  const left = replaced.indexOf('[À compléter : lot]');
  await page.waitForFunction((at) => (document.activeElement as HTMLTextAreaElement | null)?.selectionStart === at, left, {
    timeout: 5000,
  });
  expect(await page.locator('#f-answer-body').evaluate((box: HTMLTextAreaElement) => box.selectionEnd)).toBe(
    left + '[À compléter : lot]'.length,
  );
  await closePage(page);
});
