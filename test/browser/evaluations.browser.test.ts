/**
 * An animator's review in a real browser: signs in, filters the evaluations, opens one, marks it reviewed
 * with a note, shares it with the facilitator, and downloads the CSV export; every page audited by axe-core.
 */
import { readFileSync } from 'node:fs';
import { BrowserContext, Page } from 'playwright-core';
import { closePage, expectNoAxeViolations, openPage, signInStaff, submitByButton, useBrowserApp } from '../support/browser';
import { insertFacilitator } from '../support/facilitators';
import { insertStaff } from '../support/staff';
import { insertAnswer, insertClosedRequest, insertCompletedSurvey } from '../support/survey-seeds';

jest.setTimeout(60_000);

const session = useBrowserApp();

async function signIn(context: BrowserContext, email: string): Promise<Page> {
  const page = await openPage(context);
  await signInStaff(page, session.testApp.url, email);
  return page;
}

describe.each([
  ['avec JavaScript', 'withJs'],
  ['sans JavaScript', 'withoutJs'],
] as const)('revue des évaluations %s', (_label, contextName) => {
  it('filtre, ouvre, marque comme revue, partage et exporte', async () => {
    const t = session.testApp;
    const alix = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Alix' });
    const useful = await insertClosedRequest(t.dataSource, { facilitatorId: alix, subject: `Papier recyclé ${contextName}` });
    await insertAnswer(t, useful.id, null, 'Exigez 40 % de fibres recyclées.');
    const evaluation = await insertCompletedSurvey(t.dataSource, useful.id, {
      facilitatorId: alix,
      comment: 'Réponse claire, <script>window.pwned = 1</script>',
      reuseConsent: true,
    });
    const other = await insertClosedRequest(t.dataSource, { facilitatorId: alix, subject: `Restauration ${contextName}` });
    await insertCompletedSurvey(t.dataSource, other.id, { facilitatorId: alix, usefulness: 'no' });
    const { email } = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] });
    const page = await signIn(session[contextName], email);

    await page.getByRole('link', { name: 'Évaluations' }).click();
    await page.waitForLoadState('load');
    expect(page.url()).toBe(`${t.url}/espace/evaluations`);
    // Each run has its own facilitator: the filter keeps the other run's evaluations out.
    await page.selectOption('#f-facilitator', alix);
    await page.selectOption('#f-score', 'usefulness.yes');
    await page.selectOption('#f-reviewed', 'non');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.waitForLoadState('load');
    expect(new URL(page.url()).search).toBe(
      `?du=&au=&wave=&score=usefulness.yes&kind=&segment=&department=&facilitator=${alix}&reviewed=non`,
    );
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain(`Papier recyclé ${contextName}`);

    await page.getByRole('link', { name: new RegExp(useful.reference) }).click();
    await page.waitForLoadState('load');
    expect(page.url()).toContain(`/espace/evaluations/${evaluation}?facilitator=${alix}&score=usefulness.yes&reviewed=non`);
    expect(await page.locator('main').textContent()).toContain('Réponse claire, <script>window.pwned = 1</script>');
    expect(await page.locator('main').textContent()).toContain('Exigez 40 % de fibres recyclées.');

    await page.fill('#f-note', 'À citer dans la lettre du réseau.');
    expect(await submitByButton(page, 'Marquer comme revue')).toBe(303);
    expect(await page.locator('[role=status]').textContent()).toContain('L’évaluation est marquée comme revue.');

    expect(await submitByButton(page, 'Partager avec le facilitateur')).toBe(400);
    expect(await page.locator('#resume-erreurs').textContent()).toContain('Cochez l’avertissement');
    await page.check('#f-notice-on', { force: true });
    expect(await submitByButton(page, 'Partager avec le facilitateur')).toBe(303);
    expect(await page.locator('[role=status]').textContent()).toContain('partagée avec le facilitateur');
    const [survey] = await t.dataSource.query(`SELECT review_note, shared_with_facilitator_at FROM surveys WHERE id = $1`, [evaluation]);
    expect(survey.review_note).toBe('À citer dans la lettre du réseau.');
    expect(survey.shared_with_facilitator_at).not.toBeNull();

    await page.getByRole('link', { name: 'Retour aux évaluations' }).click();
    await page.waitForLoadState('load');
    await page.selectOption('#f-reviewed', 'oui');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.waitForLoadState('load');
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: /^Exporter en CSV \(/ }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^evaluations-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await file.path())!, 'utf8');
    expect(
      csv.startsWith(
        '\uFEFFDemande;Questionnaire;Demande déposée le (heure de Paris);Demande clôturée le (heure de Paris);Envoyé le (heure de Paris);Répondu le (heure de Paris);',
      ),
    ).toBe(true);
    const lines = csv.split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`${useful.reference};Satisfaction;`);
    expect(lines[1]).toContain(';Utile;Oui;');
    expect(lines[1]).toContain(';À citer dans la lettre du réseau.;');
    await closePage(page);
  });
});

it('pages de revue : aucune violation axe, vides, remplies et avec erreurs', async () => {
  const t = session.testApp;
  const alix = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Alix' });
  const request = await insertClosedRequest(t.dataSource, { facilitatorId: alix, subject: 'Audit' });
  await insertAnswer(t, request.id, null, 'Réponse **mise en forme**.');
  const evaluation = await insertCompletedSurvey(t.dataSource, request.id, {
    wave: 'impact',
    facilitatorId: alix,
    levers: ['label'],
    themes: ['carbon'],
    comment: 'Merci',
  });
  const { email } = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee', 'maximilien'] });
  const page = await signIn(session.forAudit, email);
  await expectNoAxeViolations(page, 'espace, avec les liens Évaluations et export');
  await page.goto(`${t.url}/espace/demandes/${request.reference}`);
  await expectNoAxeViolations(page, 'demande, réponse et ses éléments d’aide');
  await page.goto(`${t.url}/espace/evaluations`);
  await expectNoAxeViolations(page, 'liste des évaluations');
  await page.goto(`${t.url}/espace/evaluations?du=hier&wave=impact`);
  expect(await page.locator('#resume-erreurs').isVisible()).toBe(true);
  await expectNoAxeViolations(page, 'liste des évaluations avec erreurs');
  await page.goto(`${t.url}/espace/evaluations/${evaluation}`);
  await expectNoAxeViolations(page, 'évaluation');
  expect(await submitByButton(page, 'Partager avec le facilitateur')).toBe(400);
  await expectNoAxeViolations(page, 'évaluation, partage refusé');
  // A colleague reviews and shares it while this page stays open.
  await t.dataSource.query(
    `UPDATE surveys SET reviewed_at = now(), review_note = 'Note d’un collègue', shared_with_facilitator_at = now() WHERE id = $1`,
    [evaluation],
  );
  expect(await submitByButton(page, 'Marquer comme revue')).toBe(409);
  await page.waitForFunction(() => document.activeElement?.id === 'revue-entre-temps', undefined, { timeout: 5000 });
  await expectNoAxeViolations(page, 'évaluation, revue entre-temps');
  await t.dataSource.query(`UPDATE surveys SET shared_with_facilitator_at = NULL WHERE id = $1`, [evaluation]);
  await page.goto(`${t.url}/espace/evaluations/${evaluation}`);
  await page.check('#f-notice-on', { force: true });
  await t.dataSource.query(`UPDATE surveys SET shared_with_facilitator_at = now() WHERE id = $1`, [evaluation]);
  expect(await submitByButton(page, 'Partager avec le facilitateur')).toBe(409);
  await expectNoAxeViolations(page, 'évaluation, déjà partagée');
  await closePage(page);
});
