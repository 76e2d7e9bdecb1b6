/// <reference lib="dom" />
/** Shared by the browser tests: Chromium's flags, pages that fail on script errors, and the axe-core audit. */
import { Browser, BrowserContext, chromium, Page, Response } from 'playwright-core';
import type { Roles } from '../../src/app.module';
import { STAFF_PASSWORD } from './staff';
import { flushQueues, resetDatabase, startTestApp, TestApp } from './test-app';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

const pageProblems = new WeakMap<Page, string[]>();

/** A page whose script errors, console errors and failed sub-resources fail the test (see `closePage`). */
export async function openPage(context: BrowserContext, viewport?: { width: number; height: number }): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  if (viewport) await page.setViewportSize(viewport);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`erreur JavaScript : ${error.message}`));
  page.on('console', (message) => {
    // A failed load is reported with its address by the response listener; a 404 page itself is expected.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(`console : ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && response.request().resourceType() !== 'document') {
      problems.push(`ressource ${response.status()} : ${response.url()}`);
    }
  });
  pageProblems.set(page, problems);
  return page;
}

export async function closePage(page: Page): Promise<void> {
  const problems = pageProblems.get(page) ?? [];
  await page.close();
  expect(problems).toEqual([]);
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}
/** The browser globals the in-page callbacks use (the project compiles without the DOM library). */
export interface InPage {
  document: { activeElement: { id: string } | null };
  axe: { run: (context: unknown, options: object) => Promise<{ passes: unknown[]; violations: AxeViolation[] }> };
  injecte?: number;
}

/** Runs axe-core on the page as it is and fails with an actionable list (rule, elements, fix) if anything is found. */
export async function expectNoAxeViolations(page: Page, label: string): Promise<void> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const { passes, violations } = await page.evaluate(async (tags) => {
    const { axe, document } = globalThis as unknown as InPage;
    const results = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return {
      passes: results.passes.length,
      violations: results.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
      })),
    };
  }, AXE_TAGS);
  if (violations.length) {
    const report = violations
      .map((v) => {
        const nodes = v.nodes.map((n) => `    ${JSON.stringify(n.target)}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`);
        return `- ${v.id} (${v.impact}) : ${v.help}\n${nodes.join('\n')}`;
      })
      .join('\n');
    // eslint-disable-next-line no-console
    console.error(`axe-core, page « ${label} » :\n${report}`);
  }
  expect(violations.map((v) => `${v.id} → ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`)).toEqual([]);
  // A page where axe found nothing to check would pass for nothing.
  expect(passes).toBeGreaterThan(10);
}

/**
 * A table box that scrolls takes a tab stop (tabindex="0"): a screen reader landing on it must hear what it holds, so
 * each is a region named by its table's caption (or an aria-label). Returns the names, for the test to check.
 */
export async function expectNamedScrollingTables(page: Page): Promise<string[]> {
  const boxes = await page.locator('.fr-table__container[tabindex="0"]').evaluateAll((elements) =>
    elements.map((box) => {
      const labelledBy = (box.getAttribute('aria-labelledby') ?? '').split(/\s+/).filter(Boolean);
      const name = labelledBy.length
        ? labelledBy.map((id) => box.ownerDocument.getElementById(id)?.textContent ?? '').join(' ')
        : (box.getAttribute('aria-label') ?? '');
      return { role: box.getAttribute('role'), name: name.replace(/\s+/g, ' ').trim() };
    }),
  );
  expect(boxes.length).toBeGreaterThan(0);
  for (const box of boxes) expect(box).toEqual({ role: 'region', name: expect.stringMatching(/\S/) });
  return boxes.map((box) => box.name);
}

/** The three ways each browser test looks at pages. */
export interface BrowserContexts {
  browser: Browser;
  /** JavaScript on, under the service's real Content-Security-Policy. */
  withJs: BrowserContext;
  /** JavaScript off: every page must still work. */
  withoutJs: BrowserContext;
  /** JavaScript on, CSP bypassed only so that axe-core can be injected as an inline script. */
  forAudit: BrowserContext;
}

/** Debian's Chromium, driven by playwright-core, with downloads accepted. */
export async function launchBrowser(): Promise<BrowserContexts> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  return {
    browser,
    withJs: await browser.newContext({ locale: 'fr-FR', acceptDownloads: true }),
    withoutJs: await browser.newContext({ locale: 'fr-FR', javaScriptEnabled: false, acceptDownloads: true }),
    forAudit: await browser.newContext({ locale: 'fr-FR', bypassCSP: true }),
  };
}

/** The app and a browser for the whole file, filled in before the first test and closed after the last. */
export function useBrowserApp(env: Record<string, string> = {}, roles?: Roles): BrowserContexts & { testApp: TestApp } {
  const session = {} as BrowserContexts & { testApp: TestApp };
  beforeAll(async () => {
    session.testApp = await startTestApp(env, roles);
    await resetDatabase(session.testApp.dataSource);
    await flushQueues();
    Object.assign(session, await launchBrowser());
  });
  afterAll(async () => {
    await session.browser?.close();
    await session.testApp?.close();
  });
  return session;
}

/** Clicks the form's button and waits for the page it leads to; returns the POST's HTTP status. */
export async function submitByButton(page: Page, button: string): Promise<number> {
  const answer = page.waitForResponse((r) => r.request().isNavigationRequest() && r.request().method() === 'POST');
  await page.getByRole('button', { name: button }).click();
  const status = (await answer).status();
  await page.waitForLoadState('load');
  return status;
}

/** Signs a staff account in through `/connexion`, leaving the page on where the sign-in leads. */
export async function signInStaff(page: Page, baseUrl: string, email: string): Promise<void> {
  await page.goto(`${baseUrl}/connexion`);
  await page.fill('#f-email', email);
  await page.fill('#f-password', STAFF_PASSWORD);
  expect(await submitByButton(page, 'Se connecter')).toBe(303);
}

/** Clicks the form's submit button and waits until the answer page has loaded. */
export async function submitRequestForm(page: Page): Promise<Response> {
  const answer = page.waitForResponse((r) => r.request().isNavigationRequest() && r.request().method() === 'POST');
  const loaded = page.waitForEvent('load');
  await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
  const response = await answer;
  await loaded;
  return response;
}

/** DSFR radios and checkboxes are drawn by their label, over the native input: people click the label. */
export async function tick(page: Page, id: string): Promise<void> {
  await page.click(`label[for="${id}"]`);
  expect(await page.isChecked(`#${id}`)).toBe(true);
}

export function inOneYear(): string {
  const date = new Date();
  date.setUTCFullYear(date.getUTCFullYear() + 1);
  return date.toISOString().slice(0, 10);
}

export interface Buyer {
  email: string;
  subject: string;
  question: string;
}

export function isereBuyer(n: number, overrides: Partial<Buyer> = {}): Buyer {
  return {
    email: `camille.martin+navigateur${n}@example.fr`,
    subject: `Fournitures de bureau et loi AGEC (${n})`,
    question:
      'Nous renouvelons notre marché de fournitures de bureau pour les collèges du département.\n' +
      'Comment appliquer l’obligation d’acheter des produits issus du réemploi ou intégrant des matières recyclées (loi AGEC, article 58), ' +
      'et comment vérifier ces pourcentages dans les offres des candidats ?',
    ...overrides,
  };
}

/** Fills every field the way a buyer would: typing, choosing in lists by their visible text, ticking. */
export async function fillRequestForm(page: Page, buyer: Buyer): Promise<void> {
  await page.fill('#f-buyer-firstName', 'Camille');
  await page.fill('#f-buyer-lastName', 'Martin');
  await page.fill('#f-buyer-email', buyer.email);
  await page.fill('#f-buyer-phone', '04 76 00 00 00');
  await page.fill('#f-buyer-organisationName', 'Département de l’Isère');
  await page.selectOption('#f-buyer-organisationType', { label: 'Collectivité territoriale ou groupement' });
  await page.fill('#f-buyer-siret', '223 800 014 00019');
  await page.selectOption('#f-departmentCode', { label: '38 — Isère' });
  await tick(page, 'f-kind-environmental');
  await page.selectOption('#f-segment', { label: 'Fournitures de bureau' });
  await page.selectOption('#f-purchaseStage', { label: 'Définition du besoin' });
  await page.fill('#f-estimatedAmount', '120 000');
  await page.fill('#f-neededBy', inOneYear());
  await page.fill('#f-subject', buyer.subject);
  await page.fill('#f-question', buyer.question);
  await tick(page, 'f-consent-yes');
}
