import type { Page } from 'playwright-core';

/** Debian's Chromium, headless and quiet: no network of its own, no first-run work. */
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

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}
/** The browser global axe-core adds (the project compiles without the DOM library). */
interface WithAxe {
  document: unknown;
  axe: { run: (context: unknown, options: object) => Promise<{ passes: unknown[]; violations: AxeViolation[] }> };
}

/** Runs axe-core on the page as it is and fails with an actionable list (rule, elements, fix) if anything is found. */
export async function expectNoAxeViolations(page: Page, label: string): Promise<void> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const { passes, violations } = await page.evaluate(async (tags) => {
    const { axe, document } = globalThis as unknown as WithAxe;
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

/** Clicks the form's button and waits for the page it leads to; returns the POST's HTTP status. */
export async function submitByButton(page: Page, button: string): Promise<number> {
  const answer = page.waitForResponse((r) => r.request().isNavigationRequest() && r.request().method() === 'POST');
  await page.getByRole('button', { name: button }).click();
  const status = (await answer).status();
  await page.waitForLoadState('load');
  return status;
}
