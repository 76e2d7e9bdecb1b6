/// <reference lib="dom" />
/**
 * The answer's draft in a real browser: 30 s after typing, the script saves it without leaving the page and says so
 * to screen readers (aria-live), at the request's time (not the browser's), the draft's notice kept true; the page
 * opened again starts from it; the button leads to the request's page at its focused notice, which a reload does not send again.
 */
import { closePage, expectNoAxeViolations, openPage, signInStaff, submitByButton, useBrowserApp } from '../support/browser';
import { submittedAndTaken } from '../support/conversation';
import { insertStaff } from '../support/staff';

jest.setTimeout(60_000);

const session = useBrowserApp();

it('saves the answer being written 30 s after typing, says so, and the page opened again starts from it', async () => {
  const t = session.testApp;
  const request = await submittedAndTaken(t, 1);
  const [{ network }] = await t.dataSource.query(`SELECT network_code AS network FROM requests WHERE id = $1`, [request.id]);
  const { email } = await insertStaff(t.dataSource, { role: 'facilitator', facilitatorId: request.facilitatorId, networks: [network] });
  const url = `${t.url}/espace/demandes/${request.reference}`;
  const drafts = () => t.dataSource.query(`SELECT body, items FROM answer_drafts WHERE request_id = $1`, [request.id]);
  // Overseas (UTC+4): the server's clock for the request, not the browser's.
  await t.dataSource.query(`UPDATE requests SET department_code = '974' WHERE id = $1`, [request.id]);
  const reunionTime = async () => {
    const [{ savedAt }] = await t.dataSource.query(`SELECT saved_at AS "savedAt" FROM answer_drafts WHERE request_id = $1`, [request.id]);
    const parts = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Indian/Reunion', hour: 'numeric', minute: '2-digit' }).formatToParts(
      savedAt,
    );
    const part = (type: string) => parts.find((p) => p.type === type)!.value;
    return `${Number(part('hour'))} h ${part('minute')}`;
  };

  const page = await openPage(session.withJs);
  await signInStaff(page, t.url, email);
  await page.clock.install();
  await page.goto(url);
  const status = page.locator('#brouillon-statut');
  expect(await status.getAttribute('aria-live')).toBe('polite');
  await page.locator('#f-answer-body').fill('Bonjour, je vous réponds dès que possible.');
  await page.selectOption('#f-answer-items-0-type', 'regulation');
  // Not before 30 s: typing alone sends nothing.
  await page.clock.runFor(20_000);
  expect(await drafts()).toEqual([]);
  const saved = page.waitForResponse((r) => r.url().endsWith('/reponse') && r.request().method() === 'POST');
  await page.clock.runFor(11_000);
  expect((await saved).status()).toBe(200);
  await page.waitForFunction(() =>
    /^Brouillon enregistré à \d{1,2} h \d{2}$/.test(document.getElementById('brouillon-statut')?.textContent ?? ''),
  );
  expect(await drafts()).toEqual([{ body: 'Bonjour, je vous réponds dès que possible.', items: [{ type: 'regulation' }] }]);
  expect(await status.textContent()).toBe(`Brouillon enregistré à ${await reunionTime()}`);
  // Still the same page, the text where it was.
  expect(await page.locator('#f-answer-body').inputValue()).toBe('Bonjour, je vous réponds dès que possible.');
  await closePage(page);

  // Opened again (saved hours ago): the form starts from the draft, the notice says when it was saved.
  await t.dataSource.query(`UPDATE answer_drafts SET saved_at = saved_at - interval '3 hours' WHERE request_id = $1`, [request.id]);
  const before = await reunionTime();
  const again = await openPage(session.withJs);
  await signInStaff(again, t.url, email);
  await again.clock.install();
  await again.goto(url);
  const notice = again.locator('#brouillon');
  expect(await again.locator('#f-answer-body').inputValue()).toBe('Bonjour, je vous réponds dès que possible.');
  expect(await again.locator('#f-answer-items-0-type').inputValue()).toBe('regulation');
  expect(await notice.textContent()).toMatch(new RegExp(`Brouillon enregistré le .+ à ${before} : votre réponse ci-dessous le reprend`));
  // Typed into, the form is no longer the draft: the notice stops saying so; saved again, it says when, as the status line.
  await again.locator('#f-answer-body').pressSequentially(' Cordialement.');
  expect(await notice.textContent()).not.toContain('le reprend');
  await again.clock.runFor(31_000);
  await again.waitForFunction(() => /^Brouillon enregistré à /.test(document.getElementById('brouillon-statut')?.textContent ?? ''));
  const after = await reunionTime();
  expect(after).not.toBe(before);
  expect(await notice.textContent()).toMatch(new RegExp(`^\\s*Brouillon enregistré le .+ à ${after}\\.\\s+Les fichiers`));
  expect(await notice.getAttribute('role')).toBeNull();
  await closePage(again);

  // The button, with or without script: the request's page (not the POST's), its title and the focus on the notice, the
  // draft in the form; reloading it sends nothing.
  for (const [context, version] of [
    [session.withoutJs, 'Une autre version.'],
    [session.withJs, 'Une troisième version.'],
  ] as const) {
    const plain = await openPage(context);
    await signInStaff(plain, t.url, email);
    await plain.goto(url);
    await plain.locator('#f-answer-body').fill(version);
    expect(await submitByButton(plain, 'Enregistrer le brouillon')).toBe(303);
    await plain.waitForURL((address) => address.pathname === new URL(url).pathname && address.hash === '#brouillon');
    await plain.waitForFunction(() => document.activeElement?.id === 'brouillon');
    expect(await plain.title()).toBe(`Brouillon enregistré — Demande ${request.reference} — Guichet vert`);
    expect(await plain.locator('#brouillon').textContent()).toContain('votre réponse ci-dessous le reprend');
    expect(await plain.locator('#f-answer-body').inputValue()).toBe(version);
    expect((await drafts())[0].body).toBe(version);
    const methods: string[] = [];
    plain.on('request', (r) => r.isNavigationRequest() && methods.push(r.method()));
    await plain.reload();
    expect(methods).toEqual(['GET']);
    await closePage(plain);
  }

  const audit = await openPage(session.forAudit);
  await signInStaff(audit, t.url, email);
  await audit.goto(url);
  await expectNoAxeViolations(audit, 'réponse reprise d’un brouillon');
  await closePage(audit);
});
