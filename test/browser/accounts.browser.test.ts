/**
 * Staff pages in a real browser: sign-in, choosing a password from an invitation link, « Mon
 * compte » with a new API token; each audited by axe-core, the forms also used without JavaScript.
 */
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { usersCreate } from '../../src/cli/users.command';
import { CHROMIUM_ARGS, expectNoAxeViolations, submitByButton as submit } from '../support/browser';
import { insertStaff, STAFF_PASSWORD } from '../support/staff';
import { flushQueues, resetDatabase, startTestApp, TestApp } from '../support/test-app';

jest.setTimeout(60_000);

let testApp: TestApp;
let browser: Browser;
/** CSP bypassed only so that axe-core can be injected as an inline script. */
let forAudit: BrowserContext;
let withoutJs: BrowserContext;

beforeAll(async () => {
  testApp = await startTestApp();
  await resetDatabase(testApp.dataSource);
  await flushQueues();
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  forAudit = await browser.newContext({ locale: 'fr-FR', bypassCSP: true });
  withoutJs = await browser.newContext({ locale: 'fr-FR', javaScriptEnabled: false });
});

afterAll(async () => {
  await browser?.close();
  await testApp?.close();
});

async function goTo(page: Page, path: string, status = 200): Promise<void> {
  const response = await page.goto(`${testApp.url}${path}`);
  expect(response!.status()).toBe(status);
}

async function invitationLink(email: string): Promise<string> {
  let out = '';
  const stream = new (require('node:stream').Writable)({
    write(chunk: Buffer, _encoding: string, callback: () => void) {
      out += String(chunk);
      callback();
    },
  });
  expect(
    await usersCreate(testApp.app, ['--role', 'admin', '--email', email, '--first-name', 'Ada', '--last-name', 'Lovelace'], {
      stdout: stream,
      stderr: stream,
    }),
  ).toBe(0);
  return new URL(out.match(/http:\/\/\S+/)![0]).pathname;
}

describe('pages du personnel', () => {
  it('connexion : erreur générique, puis réussite ; aucune violation axe', async () => {
    const { email } = await insertStaff(testApp.dataSource, { role: 'admin' });
    const page = await forAudit.newPage();
    await goTo(page, '/connexion?retour=%2Fespace%2Fcompte');
    await expectNoAxeViolations(page, 'connexion');
    await page.fill('#f-email', email);
    await page.fill('#f-password', 'pas-le-bon-mot-de-passe');
    expect(await submit(page, 'Se connecter')).toBe(401);
    expect(await page.locator('#resume-erreurs').textContent()).toContain('Adresse électronique ou mot de passe incorrect.');
    await expectNoAxeViolations(page, 'connexion refusée');
    await page.fill('#f-password', STAFF_PASSWORD);
    expect(await submit(page, 'Se connecter')).toBe(303);
    await page.waitForURL(`${testApp.url}/espace/compte`);
    expect(await page.locator('h1').textContent()).toBe('Mon compte');
    await page.close();
  });

  it('lien d’invitation, mot de passe trop court puis choisi, mon compte et un jeton ; sans JavaScript', async () => {
    const link = await invitationLink('ada@example.org');
    const page = await withoutJs.newPage();
    await goTo(page, link);
    await page.fill('#f-password', 'court');
    expect(await submit(page, 'Enregistrer et me connecter')).toBe(400);
    expect(await page.locator('#f-password-error').textContent()).toContain('au moins 12 caractères');
    await page.fill('#f-password', 'la-phrase-secrete-d-ada');
    await submit(page, 'Enregistrer et me connecter');
    await goTo(page, '/espace/compte');
    expect(await page.locator('header').textContent()).toContain('Ada Lovelace');
    await page.fill('#f-label', 'Tableau de bord');
    await page.fill('#f-password', 'la-phrase-secrete-d-ada');
    expect(await submit(page, 'Créer un jeton')).toBe(201);
    expect(await page.locator('#nouveau-jeton').textContent()).toMatch(/^gvt_[A-Za-z0-9_-]{43}$/);
    expect(await submit(page, 'Se déconnecter')).toBe(303);
    await page.waitForURL(`${testApp.url}/connexion?deconnecte=1`);
    expect(await page.locator('main').textContent()).toContain('Vous êtes déconnecté.');
    await page.close();
  });

  it('choix du mot de passe, avec erreur, puis mon compte : aucune violation axe', async () => {
    const link = await invitationLink('grace@example.org');
    const page = await forAudit.newPage();
    await goTo(page, link);
    await expectNoAxeViolations(page, 'nouveau mot de passe');
    await page.fill('#f-password', 'grace@example.org');
    expect(await submit(page, 'Enregistrer et me connecter')).toBe(400);
    await expectNoAxeViolations(page, 'nouveau mot de passe refusé');
    await page.fill('#f-password', 'la-phrase-secrete-de-grace');
    await submit(page, 'Enregistrer et me connecter');
    await goTo(page, '/espace/compte');
    await page.fill('#f-label', 'Script');
    expect(await submit(page, 'Créer un jeton')).toBe(400);
    await expectNoAxeViolations(page, 'mon compte, jeton sans mot de passe');
    await page.fill('#f-password', 'la-phrase-secrete-de-grace');
    expect(await submit(page, 'Créer un jeton')).toBe(201);
    await expectNoAxeViolations(page, 'mon compte avec un jeton');
    await goTo(page, '/espace/comptes');
    await expectNoAxeViolations(page, 'comptes');
    const animator = await insertStaff(testApp.dataSource, { role: 'animator', networks: ['aura-ee'] });
    await goTo(page, `/espace/comptes/${animator.id}/reseaux`);
    await page.locator('label', { hasText: 'AURA-EE' }).click();
    expect(await submit(page, 'Enregistrer les réseaux')).toBe(400);
    await expectNoAxeViolations(page, 'réseaux d’un animateur, aucun coché');
    await goTo(page, '/espace/journal?quoi=comptes&q=jeton');
    await expectNoAxeViolations(page, 'journal filtré');
    await goTo(page, '/mot-de-passe/oubli');
    await expectNoAxeViolations(page, 'mot de passe oublié');
    await page.close();
  });
});
