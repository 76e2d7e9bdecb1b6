/// <reference lib="dom" />
/**
 * The buyer's path through real pages in a real browser (Debian Chromium driven by playwright-core):
 * form → confirmation → tracking, the error summary, escaping of typed text, and an automated
 * accessibility audit (axe-core) of every public page. The main path also runs without JavaScript.
 */
import { Page, Response } from 'playwright-core';
import {
  Buyer,
  closePage,
  expectNoAxeViolations,
  fillRequestForm,
  inOneYear,
  InPage,
  isereBuyer,
  openPage,
  submitRequestForm,
  tick,
  useBrowserApp,
} from '../support/browser';

jest.setTimeout(60_000);

const REFERENCE = /^GV-\d{4}-\d{6}$/;

const session = useBrowserApp();

async function visit(page: Page, path: string, expectedStatus = 200): Promise<Response> {
  const response = await page.goto(`${session.testApp.url}${path}`);
  expect(response).not.toBeNull();
  expect(response!.status()).toBe(expectedStatus);
  return response!;
}

/** Fills and sends a valid request, checks the confirmation page, returns its reference. */
async function submitValidRequest(page: Page, buyer: Buyer): Promise<string> {
  await visit(page, '/demande');
  await fillRequestForm(page, buyer);
  const response = await submitRequestForm(page);
  expect(response.status()).toBe(201);
  expect(await page.title()).toMatch(/^Demande GV-\d{4}-\d{6} enregistrée — Guichet vert$/);
  const reference = (await page.locator('#reference').textContent())?.trim() ?? '';
  expect(reference).toMatch(REFERENCE);
  const trackingHref = (await page.locator('#lien-suivi').getAttribute('href')) ?? '';
  expect(trackingHref.startsWith(`${session.testApp.url}/suivi/${reference}?t=`)).toBe(true);
  return reference;
}

async function followTrackingLink(page: Page): Promise<void> {
  const loaded = page.waitForEvent('load');
  await page.click('#lien-suivi');
  await loaded;
  expect(new URL(page.url()).pathname).toMatch(/^\/suivi\/GV-\d{4}-\d{6}$/);
}

describe.each([
  ['avec JavaScript', true],
  ['sans JavaScript', false],
])('parcours de l’acheteur %s', (_label, javaScript) => {
  it('remplit tout le formulaire, reçoit une référence et suit sa demande', async () => {
    const page = await openPage(javaScript ? session.withJs : session.withoutJs);
    const buyer = isereBuyer(javaScript ? 1 : 2);

    await visit(page, '/demande');
    // The State-buyer question shows only for State buyers when scripts run; without them it stays, with its hint.
    if (javaScript) {
      await page.selectOption('#f-buyer-organisationType', 'state_administration');
      expect(await page.isVisible('#f-internalReferentConsulted')).toBe(true);
      await page.selectOption('#f-buyer-organisationType', 'local_authority');
      expect(await page.isVisible('#f-internalReferentConsulted')).toBe(false);
    } else {
      expect(await page.isVisible('#f-internalReferentConsulted')).toBe(true);
    }

    const reference = await submitValidRequest(page, buyer);
    await followTrackingLink(page);

    expect((await page.locator('h1').textContent())?.replace(/\s+/g, ' ').trim()).toBe(`Demande ${reference}`);
    expect((await page.locator('#statut').textContent())?.trim()).toBe('Reçue');
    // Read aloud with what it is, not as a bare word.
    expect(
      (
        await page
          .locator('main p')
          .filter({ has: page.locator('#statut') })
          .textContent()
      )?.trim(),
    ).toBe('Statut : Reçue');
    expect(await page.locator('#objet').textContent()).toBe(buyer.subject);
    expect(await page.locator('main').getByText(buyer.subject, { exact: true }).isVisible()).toBe(true);
    expect(await page.locator('.gv-question').textContent()).toBe(buyer.question);
    const details = (await page.locator('main table').textContent())?.replace(/\s+/g, ' ') ?? '';
    expect(details).toContain('Considérations environnementales');
    expect(details).toContain('Fournitures de bureau');
    expect(details).toContain('38 — Isère');
    expect(details).toContain('Définition du besoin');
    expect(await page.locator('#historique li').allTextContents()).toEqual([expect.stringMatching(/— Demande reçue$/)]);

    const rows: Array<Record<string, unknown>> = await session.testApp.dataSource.query(
      `SELECT status, kind, buyer_email, organisation_type, internal_referent_consulted, department_code, segment_code,
              purchase_stage, estimated_amount, to_char(needed_by, 'YYYY-MM-DD') AS needed_by, siret, subject, question, buyer_phone
         FROM requests WHERE reference = $1`,
      [reference],
    );
    expect(rows).toEqual([
      {
        status: 'submitted',
        kind: 'environmental',
        buyer_email: buyer.email,
        organisation_type: 'local_authority',
        internal_referent_consulted: null,
        department_code: '38',
        segment_code: 'office_supplies',
        purchase_stage: 'need_definition',
        estimated_amount: '120000',
        needed_by: inOneYear(),
        siret: '22380001400019',
        subject: buyer.subject,
        question: expect.any(String),
        buyer_phone: '04 76 00 00 00',
      },
    ]);
    // A browser sends a textarea's line breaks as CRLF (HTML spec); what matters here is the text.
    expect(rows[0].question).toBe(buyer.question);
    await closePage(page);
  });
});

describe('petit écran', () => {
  const phone = { width: 375, height: 800 };

  it('sans JavaScript, le fil d’Ariane et le raccourci de l’en-tête sont affichés, sans bouton inerte', async () => {
    const page = await openPage(session.withoutJs, phone);
    await visit(page, '/demande');
    expect(await page.isVisible('.fr-breadcrumb__button')).toBe(false);
    expect(await page.getByRole('link', { name: 'Accueil', exact: true }).isVisible()).toBe(true);
    expect(await page.isVisible('.fr-header__navbar .fr-btn--menu')).toBe(false);
    expect(await page.locator('header').getByRole('link', { name: 'Poser une question' }).isVisible()).toBe(true);
    // The menu the script would fill with that shortcut is not shown empty in its place.
    expect(await page.isVisible('#menu-entete')).toBe(false);
    await closePage(page);
  });

  it('la page de suivi tient dans l’écran : le détail de la demande passe à la ligne au lieu d’être coupé', async () => {
    const page = await openPage(session.withJs, phone);
    await submitValidRequest(page, isereBuyer(6));
    await followTrackingLink(page);
    const overflow = await page.locator('#details').evaluate((table) => ({
      tableRight: table.getBoundingClientRect().right,
      clipped: Array.from(table.querySelectorAll('td, th')).filter((cell) => cell.scrollWidth > cell.clientWidth + 1).length,
    }));
    expect(overflow.clipped).toBe(0);
    expect(overflow.tableRight).toBeLessThanOrEqual(phone.width);
    await closePage(page);
  });

  it('avec JavaScript, « Voir le fil d’Ariane » ouvre le fil et « Menu » montre le raccourci', async () => {
    const page = await openPage(session.withJs, phone);
    await visit(page, '/demande');
    await page.waitForSelector('html[data-fr-js="true"]', { state: 'attached' }); // the DSFR script has started
    const home = page.getByRole('link', { name: 'Accueil', exact: true });
    expect(await home.isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Voir le fil d’Ariane' }).click();
    await home.waitFor({ state: 'visible' });

    const shortcut = page.locator('#menu-entete').getByRole('link', { name: 'Poser une question' });
    expect(await shortcut.isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Menu' }).click();
    await shortcut.waitFor({ state: 'visible' });
    await page.locator('#menu-entete').getByRole('button', { name: 'Fermer' }).click();
    await shortcut.waitFor({ state: 'hidden' });
    await closePage(page);
  });
});

describe('formulaire refusé', () => {
  it.each([
    ['avec JavaScript', true],
    ['sans JavaScript', false],
  ])('%s : 400, résumé des erreurs, erreur sous le champ, valeurs saisies gardées', async (_label, javaScript) => {
    const page = await openPage(javaScript ? session.withJs : session.withoutJs);
    await visit(page, '/demande');
    const typedQuestion = 'Une question\nsur deux lignes, « guillemets » & <chevrons>';
    await page.fill('#f-buyer-email', 'camille.martin@');
    await page.fill('#f-buyer-firstName', 'Zoé <b>');
    await page.fill('#f-question', typedQuestion);
    await page.selectOption('#f-departmentCode', '38');
    await tick(page, 'f-kind-social_clause');

    const response = await submitRequestForm(page);
    expect(response.status()).toBe(400);
    expect(await page.title()).toBe('Erreur — Poser une question — Guichet vert');

    // The summary: shown above the form, every link pointing at one element of the page.
    const summary = page.locator('#resume-erreurs');
    expect(await summary.isVisible()).toBe(true);
    if (javaScript) expect(await page.evaluate(() => (globalThis as unknown as InPage).document.activeElement?.id)).toBe('resume-erreurs');
    const hrefs = await summary.locator('a').evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.length).toBeGreaterThanOrEqual(8);
    for (const href of hrefs) {
      expect(href).toMatch(/^#f-[A-Za-z-]+$/);
      expect(await page.locator(href).count()).toBe(1);
    }
    expect(hrefs).toEqual(
      expect.arrayContaining([
        '#f-buyer-email',
        '#f-buyer-lastName',
        '#f-buyer-organisationType',
        '#f-segment',
        '#f-question',
        '#f-consent',
      ]),
    );
    // Fields that were right are not listed.
    expect(hrefs).not.toContain('#f-buyer-firstName');
    expect(hrefs).not.toContain('#f-departmentCode');
    expect(hrefs).not.toContain('#f-kind');
    expect(await summary.locator('h2').textContent()).toBe(`${hrefs.length} erreurs empêchent l’envoi de votre demande`);

    // The field-level message, next to the e-mail input and tied to it.
    const email = page.locator('#f-buyer-email');
    const message = 'Indiquez une adresse électronique valide, par exemple nom@exemple.fr.';
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    expect(await email.getAttribute('aria-describedby')).toBe('f-buyer-email-error');
    expect(await page.locator('#f-buyer-email-error').textContent()).toBe(message);
    const emailGroup = page.locator('.fr-input-group--error').filter({ has: email });
    expect(await emailGroup.locator('.fr-error-text').allTextContents()).toEqual([message]);
    expect(await summary.locator('a[href="#f-buyer-email"]').textContent()).toBe(message);
    // A field left right carries no error.
    expect(await page.getAttribute('#f-buyer-firstName', 'aria-invalid')).toBeNull();

    // What the buyer typed or chose is still there, as typed (and not interpreted as markup).
    expect(await email.inputValue()).toBe('camille.martin@');
    expect(await page.inputValue('#f-buyer-firstName')).toBe('Zoé <b>');
    expect(await page.inputValue('#f-question')).toBe(typedQuestion);
    expect(await page.inputValue('#f-departmentCode')).toBe('38');
    expect(await page.isChecked('#f-kind-social_clause')).toBe(true);
    expect(await page.isChecked('#f-consent-yes')).toBe(false);
    expect(await page.locator('main b').count()).toBe(0);

    // Following a link of the summary goes to its field.
    await summary.locator('a[href="#f-buyer-email"]').click();
    expect(new URL(page.url()).hash).toBe('#f-buyer-email');
    expect(await email.isVisible()).toBe(true);
    // A link to a group: with JavaScript the focus reaches its option, without it the group itself, read with its error.
    await summary.locator('a[href="#f-consent"]').click();
    const focused = () => page.evaluate(() => (globalThis as unknown as InPage).document.activeElement?.id);
    if (javaScript) await page.waitForFunction(() => (globalThis as unknown as InPage).document.activeElement?.id === 'f-consent-yes');
    expect(await focused()).toBe(javaScript ? 'f-consent-yes' : 'f-consent');
    await page.keyboard.press('Space');
    expect(await page.isChecked('#f-consent-yes')).toBe(javaScript);

    const [{ count }] = await session.testApp.dataSource.query(
      `SELECT count(*)::int AS count FROM requests WHERE buyer_email = 'camille.martin@'`,
    );
    expect(count).toBe(0);
    await closePage(page);
  });
});

describe('texte saisi par l’acheteur', () => {
  it('s’affiche tel quel sur la page de suivi, sans balise interprétée', async () => {
    const page = await openPage(session.withJs);
    const subject = `<script>window.injecte = 1</script><img src=x onerror="window.injecte = 2"> & "Objet"`;
    const question =
      'Notre question contient du balisage : <b id="injecte">gras</b> <a href="javascript:alert(1)">lien</a> <iframe src="/"></iframe>\n' +
      'et nous voulons savoir comment intégrer une clause environnementale dans un marché de fournitures de bureau pour nos services.';
    const reference = await submitValidRequest(page, isereBuyer(3, { subject, question }));
    await followTrackingLink(page);

    const main = page.locator('main');
    expect(await main.locator('script, img, iframe, b, #injecte, a[href^="javascript:"]').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as InPage).injecte)).toBeUndefined();
    expect(await page.locator('#objet').textContent()).toBe(subject);
    expect(await page.locator('.gv-question').textContent()).toBe(question);
    expect(await main.getByText('<b id="injecte">gras</b>').isVisible()).toBe(true);
    expect(await page.title()).toBe(`Demande ${reference} — Guichet vert`);
    expect((await page.locator('#statut').textContent())?.trim()).toBe('Reçue');

    const [row] = await session.testApp.dataSource.query('SELECT subject, question FROM requests WHERE reference = $1', [reference]);
    expect(row.subject).toBe(subject);
    expect(row.question).toBe(question);
    await closePage(page);
  });
});

describe('accessibilité (axe-core)', () => {
  it.each([
    ['accueil', '/', 200],
    ['formulaire', '/demande', 200],
    ['mentions légales', '/mentions-legales', 200],
    ['données personnelles', '/confidentialite', 200],
    ['accessibilité', '/accessibilite', 200],
    ['plan du site', '/plan-du-site', 200],
    ['statistiques', '/statistiques', 200],
    ['page introuvable', '/cette-page-n-existe-pas', 404],
    ['suivi avec un faux jeton', '/suivi/GV-2020-000001?t=faux', 404],
  ])('page « %s » (%s) : aucune violation', async (label, path, status) => {
    const page = await openPage(session.forAudit);
    await visit(page, path, status);
    await expectNoAxeViolations(page, label);
    await closePage(page);
  });

  it('formulaire avec erreurs : aucune violation', async () => {
    const page = await openPage(session.forAudit);
    await visit(page, '/demande');
    await page.fill('#f-buyer-email', 'pas-une-adresse');
    await page.selectOption('#f-buyer-organisationType', 'state_administration');
    expect((await submitRequestForm(page)).status()).toBe(400);
    // Every kind of field in error: inputs, selects, radios (the State-buyer question) and the consent box.
    for (const field of ['#f-buyer-email', '#f-departmentCode', '#f-internalReferentConsulted', '#f-kind', '#f-question', '#f-consent']) {
      expect(await page.locator(`#resume-erreurs a[href="${field}"]`).count()).toBe(1);
    }
    await expectNoAxeViolations(page, 'formulaire avec erreurs');
    await closePage(page);
  });

  it('formulaire refusé pour non-éligibilité : aucune violation', async () => {
    const page = await openPage(session.forAudit);
    await visit(page, '/demande');
    await fillRequestForm(page, isereBuyer(4));
    await page.selectOption('#f-buyer-organisationType', 'private_not_subject');
    expect((await submitRequestForm(page)).status()).toBe(400);
    expect(await page.locator('#non-eligible').isVisible()).toBe(true);
    // The refusal is what the page opens on, for the eyes and for a screen reader (title first, then the focus).
    expect(await page.title()).toBe('Demande non recevable — Poser une question — Guichet vert');
    expect(await page.evaluate(() => (globalThis as unknown as InPage).document.activeElement?.id)).toBe('non-eligible');
    await expectNoAxeViolations(page, 'formulaire non éligible');
    // Its link leads to the answer that decided it, the organisation type kept as chosen.
    await page.locator('#non-eligible-champ a').click();
    expect(await page.evaluate(() => (globalThis as unknown as InPage).document.activeElement?.id)).toBe('f-buyer-organisationType');
    expect(await page.locator('#f-buyer-organisationType').inputValue()).toBe('private_not_subject');
    await closePage(page);
  });

  it('confirmation puis suivi : aucune violation', async () => {
    const page = await openPage(session.forAudit);
    const reference = await submitValidRequest(page, isereBuyer(5));
    await expectNoAxeViolations(page, 'confirmation');
    const trackingHref = (await page.locator('#lien-suivi').getAttribute('href'))!;
    // Back to the form, fetched anew (a new token) with the answers the browser kept, sent again: the request already recorded, once.
    await page.goBack();
    expect((await submitRequestForm(page)).status()).toBe(200);
    expect((await page.locator('#reference').textContent())?.trim()).toBe(reference);
    await expectNoAxeViolations(page, 'demande déjà enregistrée');
    await visit(page, new URL(trackingHref).pathname + new URL(trackingHref).search);
    await expectNoAxeViolations(page, 'suivi');
    await closePage(page);
  });

  it('formulaire avec erreurs sur petit écran : aucune violation', async () => {
    const page = await openPage(session.forAudit, { width: 375, height: 800 });
    await visit(page, '/demande');
    expect((await submitRequestForm(page)).status()).toBe(400);
    await expectNoAxeViolations(page, 'formulaire avec erreurs, petit écran');
    await closePage(page);
  });
});
