import { QUESTION_MAX_LENGTH, QUESTION_MIN_LENGTH, QUESTION_MIN_WORDS } from '../../src/modules/intake/eligibility.policy';
import { parisDay } from '../../src/common/clock';
import { usualPace } from '../../src/modules/intake/needed-by.policy';
import { frenchFilters, mailsTo } from '../support/conversation';
import { flushQueues, startTestApp, TestApp, useTestApp } from '../support/test-app';

function formBody(values: Record<string, string>): string {
  return new URLSearchParams(values).toString();
}

const VALID_FORM = {
  'buyer.firstName': 'Camille',
  'buyer.lastName': 'Martin',
  'buyer.email': 'camille.martin@example.fr',
  'buyer.phone': '',
  'buyer.organisationName': 'Commune de Vannes',
  'buyer.organisationType': 'local_authority',
  'buyer.siret': '223 800 014 00019',
  departmentCode: '56',
  kind: 'environmental',
  segment: 'catering',
  purchaseStage: 'drafting_tender',
  estimatedAmount: '450 000',
  neededBy: '',
  subject: 'Restauration scolaire et loi EGAlim',
  question:
    'Nous rédigeons le DCE de notre marché de restauration scolaire. Comment formuler les exigences de la loi EGAlim sur les produits durables et biologiques, et comment les contrôler en exécution ?',
  consent: 'yes',
  website: '',
};

describe('the HTML form at /demande', () => {
  let t!: TestApp;
  const get = () => fetch(`${t.url}/demande`).then((r) => r.text());
  const tokenOf = (html: string) => /name="formToken" value="([^"]+)"/.exec(html)![1];
  const post = (values: Record<string, string>) =>
    fetch(`${t.url}/demande`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: formBody(values) });
  const requests = async () => Number((await t.dataSource.query(`SELECT count(*) AS n FROM requests`))[0].n);

  useTestApp((app) => (t = app));

  it('lists départements as "01 — Ain", overseas included, and says what the desk does not do', async () => {
    const html = await get();
    expect(html).toContain('<option value="01">01 — Ain</option>');
    expect(html).toContain('<option value="2A">2A — Corse-du-Sud</option>');
    expect(html).toContain('<option value="976">976 — Mayotte</option>');
    expect((html.match(/<option value="(\d{2}|2[AB]|97\d)"/g) ?? []).length).toBe(101);
    expect(html).toContain('ne rédige ni ne relit votre DCE et ne fournit pas de listes commerciales de fournisseurs');
    // True for both desks: social-clause facilitators point to inclusive structures.
    expect(html).toContain(
      'peut vous indiquer des structures inclusives de votre territoire (structures d’insertion, entreprises adaptées, ESAT)',
    );
    expect(html).toContain('href="/confidentialite"');
  });

  it('tells a private company not subject to the code, before it sends, that it may ask social-clause questions only', async () => {
    const html = await get();
    const hintOf = (label: string) => new RegExp(`${label}\\s*<span class="fr-hint-text">([^<]*)</span>`).exec(html)?.[1];
    expect(hintOf('Type d’organisation')).toBe(
      'Une entreprise privée non soumise au code de la commande publique ne peut poser qu’une question de clauses sociales.',
    );
    expect(hintOf('Clauses sociales')).toBe(
      'Facilitateur de clauses sociales de votre territoire : clauses d’insertion, marchés réservés aux structures d’insertion, entreprises adaptées ou ESAT, critères sociaux. Ouvert aussi aux entreprises privées non soumises au code de la commande publique.',
    );
    expect(hintOf('Considérations environnementales')).toContain('pour les acheteurs soumis au code de la commande publique');
    // A native date picker shows the date in the browser's own format: the hint names none.
    expect(hintOf('Date à laquelle vous avez besoin de la réponse \\(facultatif\\)')).toBe('Choisissez-la dans le calendrier');
  });

  it('says in the question’s hint how long it must be, before any error (the figures the validation checks)', async () => {
    const html = await get();
    const hint = /Votre question\s*<span class="fr-hint-text">([^<]*)<\/span>/.exec(html)?.[1];
    expect(hint).toBe(
      `Décrivez l’achat, son contexte et ce que vous cherchez à savoir, en quelques phrases : au moins ${QUESTION_MIN_LENGTH} caractères et ${QUESTION_MIN_WORDS} mots, ${QUESTION_MAX_LENGTH.toLocaleString('fr-FR')} caractères au plus.`,
    );
    expect(hint).toContain('au moins 80 caractères et 12 mots, 5\u202f000 caractères au plus.');
  });

  it('records a valid submission, shows the confirmation, and shows the same confirmation if the form is sent again', async () => {
    const token = tokenOf(await get());
    const first = await post({ ...VALID_FORM, formToken: token });
    expect(first.status).toBe(201);
    const page = await first.text();
    const reference = /id="reference">(GV-\d{4}-\d{6})</.exec(page)![1];
    expect(page).toContain('/suivi/' + reference + '?t=');
    // The address the acknowledgement goes to, for a typo to be seen.
    expect(page).toContain('Un accusé de réception part à <strong id="adresse-accuse">camille.martin@example.fr</strong>');
    // On a phone the reference stays on one line (it is shown with .gv-reference).
    expect(page).toContain('<strong class="gv-reference" id="reference">');
    const css = await (await fetch(`${t.url}/assets/app.css`)).text();
    expect(/\.gv-reference \{[^}]*white-space: nowrap;/.exec(css)).not.toBeNull();
    // « Poser une autre question » starts from this buyer, as the tracking page's link does.
    const next = /id="lien-autre-question" href="([^"]+)"/.exec(page)![1].replace(/&amp;/g, '&');
    expect(next).toMatch(new RegExp(`^/demande\\?suite=${reference}&t=[A-Za-z0-9_-]+`));
    const nextForm = await (await fetch(`${t.url}${next}`)).text();
    expect(nextForm).toContain('id="suite-de-demande"');
    expect(nextForm).toContain(`value="${VALID_FORM['buyer.email']}"`);

    const again = await post({ ...VALID_FORM, formToken: token });
    expect(await again.text()).toContain(reference);
    expect(await requests()).toBe(1);
    const [row] = await t.dataSource.query(`SELECT siret, estimated_amount, network_code FROM requests`);
    expect(row).toEqual({ siret: '22380001400019', estimated_amount: '450000', network_code: 'reseco' });
  });

  it('takes the same question sent again from a page fetched anew (Back, a new token) as the request already recorded, without its link', async () => {
    const first = await post({ ...VALID_FORM, formToken: tokenOf(await get()) });
    expect(first.status).toBe(201);
    const reference = /id="reference">(GV-\d{4}-\d{6})</.exec(await first.text())![1];
    // The e-mail address typed in another case, the rest as it was.
    const again = await post({ ...VALID_FORM, 'buyer.email': 'Camille.Martin@example.fr', formToken: tokenOf(await get()) });
    expect(again.status).toBe(200);
    const html = await again.text();
    expect(html).toContain('<h1 class="fr-alert__title">Cette demande est déjà enregistrée</h1>');
    expect(html).toContain(`id="reference">${reference}<`);
    expect(html).not.toContain('/suivi/GV-');
    expect(await requests()).toBe(1);
    // Another question of the same buyer is another request.
    const other = await post({ ...VALID_FORM, question: `${VALID_FORM.question} Et pour les goûters ?`, formToken: tokenOf(await get()) });
    expect(other.status).toBe(201);
    expect(await requests()).toBe(2);
  });

  it('takes the same question asked again after a withdrawal, a redirection or a duplicate closure as a new request; an open one stays its twin', async () => {
    const first = await post({ ...VALID_FORM, formToken: tokenOf(await get()) });
    expect(first.status).toBe(201);
    const firstPage = await first.text();
    const withdrawn = /id="reference">(GV-\d{4}-\d{6})</.exec(firstPage)![1];
    const token = new RegExp(`/suivi/${withdrawn}\\?t=([A-Za-z0-9_-]+)`).exec(firstPage)![1];
    // Withdrawn from the tracking page, which says a new one may be sent at any time.
    const withdrawal = await fetch(`${t.url}/suivi/${withdrawn}/retrait`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: new URLSearchParams({ t: token, formToken: 'A'.repeat(43) }).toString(),
    });
    expect(withdrawal.status).toBe(303);
    const again = await post({ ...VALID_FORM, formToken: tokenOf(await get()) });
    expect(again.status).toBe(201);
    expect(await again.text()).not.toContain('Cette demande est déjà enregistrée');
    expect(await requests()).toBe(2);
    // Closed by staff as redirected, then as a duplicate: asked again, recorded again.
    for (const reason of ['redirected', 'duplicate']) {
      await t.dataSource.query(`UPDATE requests SET status = 'closed', close_reason = $1, closed_at = now() WHERE status <> 'closed'`, [
        reason,
      ]);
      expect((await post({ ...VALID_FORM, formToken: tokenOf(await get()) })).status).toBe(201);
    }
    expect(await requests()).toBe(4);
    // The one still open is the twin.
    const [{ reference: open }] = await t.dataSource.query(`SELECT reference FROM requests WHERE status <> 'closed'`);
    const twin = await post({ ...VALID_FORM, formToken: tokenOf(await get()) });
    expect(twin.status).toBe(200);
    expect(await twin.text()).toContain(`id="reference">${open}<`);
    expect(await requests()).toBe(4);
  });

  it('says on the confirmation when the usual pace may end after the day the buyer needs the answer', async () => {
    const inDays = (days: number) => parisDay(new Date(Date.now() + days * 24 * 3600 * 1000));
    const soon = await post({ ...VALID_FORM, neededBy: inDays(3), formToken: tokenOf(await get()) });
    expect(soon.status).toBe(201);
    const soonPage = await soon.text();
    expect(soonPage).toContain('id="date-souhaitee"');
    expect(soonPage).toMatch(
      /Vous avez besoin de la réponse d’ici le \d+(er)? \S+ \d{4} ; avec ces délais, elle peut n’arriver que le \d+(er)? \S+ \d{4}\./,
    );
    const later = await post({ ...VALID_FORM, subject: 'Une autre question', neededBy: inDays(90), formToken: tokenOf(await get()) });
    expect(later.status).toBe(201);
    expect(await later.text()).not.toContain('id="date-souhaitee"');
    // The acknowledgement says it too, with the same days; and only for the request whose date the pace misses.
    const contexts: Array<{ subject: string; context: { neededBy?: string; usualAnswerDay?: string } }> = await t.dataSource.query(
      `SELECT r.subject, m.context FROM mail_messages m JOIN requests r ON r.id = m.request_id
        WHERE m.template = 'request-acknowledgement' ORDER BY m.created_at`,
    );
    expect(contexts.map((c) => [c.subject, c.context.neededBy, typeof c.context.usualAnswerDay])).toEqual([
      [VALID_FORM.subject, inDays(3), 'string'],
      ['Une autre question', undefined, 'undefined'],
    ]);
  });

  it('dates the usual delays on the confirmation and in the acknowledgement, as the buyer’s département counts working days', async () => {
    const sent = await post({ ...VALID_FORM, formToken: tokenOf(await get()) });
    expect(sent.status).toBe(201);
    const pace = usualPace(new Date(), VALID_FORM.departmentCode, 2, 10);
    const [takeChargeDay, answerDay] = [pace.takeChargeDay, pace.answerDay].map((day) =>
      frenchFilters.renderString('{{ d | frDate }}', { d: day }),
    );
    expect(await sent.text()).toContain(
      `la prendra en charge sous 2 jours ouvrés, d’ici le ${takeChargeDay} ; la réponse écrite arrive en général dans les 10 jours ouvrés qui suivent, soit d’ici le ${answerDay}.`,
    );
    const [mail] = await mailsTo(t, 'request-acknowledgement');
    for (const body of [mail.text_body, mail.html_body])
      expect(body).toContain(
        `sous 2 jours ouvrés, d’ici le ${takeChargeDay}. Une réponse écrite vous parvient en général dans les 10 jours ouvrés qui suivent, soit d’ici le ${answerDay}.`,
      );
  });

  it('dates the usual delays of a form sent again days later from the first sending, as its acknowledgement did', async () => {
    const token = tokenOf(await get());
    expect((await post({ ...VALID_FORM, formToken: token })).status).toBe(201);
    // The same page sent again (a reopened tab) after a week: the request, and its e-mail, are dated a week ago.
    const weekAgo = new Date(Date.now() - 7 * 24 * 3600 * 1000);
    await t.dataSource.query(`UPDATE requests SET created_at = $1`, [weekAgo]);
    const again = await post({ ...VALID_FORM, formToken: token });
    expect(again.status).toBe(201);
    const pace = usualPace(weekAgo, VALID_FORM.departmentCode, 2, 10);
    const answerDay = frenchFilters.renderString('{{ d | frDate }}', { d: pace.answerDay });
    expect(await again.text()).toContain(`dans les 10 jours ouvrés qui suivent, soit d’ici le ${answerDay}.`);
  });

  it('gives the page back, values kept, when it is sent again with other answers: the first request stands, a new question is one more send', async () => {
    const token = tokenOf(await get());
    expect((await post({ ...VALID_FORM, formToken: token })).status).toBe(201);
    // Back after the confirmation, a word changed, sent again.
    const edited = await post({ ...VALID_FORM, subject: 'Restauration scolaire, loi EGAlim et gaspillage', formToken: token });
    expect(edited.status).toBe(400);
    const html = await edited.text();
    expect(html).toContain(
      '<a href="#f-formToken">Ce formulaire a déjà été envoyé et votre demande est enregistrée : pour la compléter, utilisez le lien de suivi reçu par e-mail. S’il s’agit d’une autre question, vérifiez vos réponses puis envoyez de nouveau.</a>',
    );
    expect(html).toContain('value="Restauration scolaire, loi EGAlim et gaspillage"');
    expect(html).not.toContain('idempotence');
    expect(await requests()).toBe(1);
    const fresh = tokenOf(html);
    expect(fresh).not.toBe(token);
    expect((await post({ ...VALID_FORM, subject: 'Restauration scolaire, loi EGAlim et gaspillage', formToken: fresh })).status).toBe(201);
    expect(await t.dataSource.query(`SELECT subject FROM requests ORDER BY reference`)).toEqual([
      { subject: VALID_FORM.subject },
      { subject: 'Restauration scolaire, loi EGAlim et gaspillage' },
    ]);
  });

  it('counts only the requests it records against the hour’s limit, and past it gives the page back with its values (429)', async () => {
    const prefix = `${process.env.QUEUE_PREFIX}rlf`;
    const limited = await startTestApp({ INTAKE_RATE_LIMIT: '2', QUEUE_PREFIX: prefix });
    try {
      const page = async () => tokenOf(await (await fetch(`${limited.url}/demande`)).text());
      const send = async (values: Record<string, string>, formToken?: string) =>
        fetch(`${limited.url}/demande`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: formBody({ ...values, formToken: formToken ?? (await page()) }),
        });
      // Three mistakes in a row, then two requests, the first sent twice: all within the limit of two.
      for (const email of ['camille@', 'camille', '@exemple.fr']) {
        expect((await send({ ...VALID_FORM, 'buyer.email': email })).status).toBe(400);
      }
      const firstToken = await page();
      const first = await send(VALID_FORM, firstToken);
      expect(first.status).toBe(201);
      const reference = /GV-\d{4}-\d{6}/.exec(await first.text())![0];
      expect((await send(VALID_FORM, firstToken)).status).toBe(201);
      expect((await send({ ...VALID_FORM, subject: 'Restauration scolaire : une deuxième question' })).status).toBe(201);
      const third = await send({ ...VALID_FORM, subject: 'Restauration scolaire : une troisième question' });
      expect(third.status).toBe(429);
      const retryAfter = Number(third.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(3500);
      const html = await third.text();
      expect(html).toContain(
        '<a href="#f-formToken">Plus de 2 demandes ont été envoyées en une heure depuis votre adresse IP (celle de votre connexion, parfois partagée par toute une administration). Réessayez dans 60 minutes. Vos réponses sont gardées ci-dessous.</a>',
      );
      expect(html).toContain('value="Restauration scolaire : une troisième question"');
      // Past the limit, the first page sent once more (Back, then Send) still shows its confirmation.
      const again = await send(VALID_FORM, firstToken);
      expect(again.status).toBe(201);
      expect(await again.text()).toContain(reference);
      expect(Number((await limited.dataSource.query(`SELECT count(*) AS n FROM requests`))[0].n)).toBe(2);
    } finally {
      await limited.close();
      await flushQueues(prefix);
    }
  });

  it.each<[string, { formToken?: string }]>([
    ['without the page’s token', {}],
    ['with a token the page did not make', { formToken: 'abc' }],
  ])(
    'refuses a form sent %s (its repeat could not be recognised), keeps the values, and the page it gives back sends once',
    async (_, extra) => {
      const refused = await post({ ...VALID_FORM, ...extra });
      expect(refused.status).toBe(400);
      const html = await refused.text();
      expect(html).toContain(
        '<a href="#f-formToken">Cet envoi n’a pas été reconnu : vérifiez vos réponses, puis envoyez de nouveau le formulaire.</a>',
      );
      expect(html).toMatch(/<button class="fr-btn" type="submit" id="f-formToken" aria-describedby="f-formToken-error">/);
      expect(html).toContain('value="Commune de Vannes"');
      expect(await requests()).toBe(0);

      const fresh = tokenOf(html);
      expect(fresh).not.toBe(extra.formToken);
      const sent = await post({ ...VALID_FORM, formToken: fresh });
      const again = await post({ ...VALID_FORM, formToken: fresh });
      expect([sent.status, again.status]).toEqual([201, 201]);
      expect(await requests()).toBe(1);
    },
  );

  it('answers 400 with an error summary linking to each field, keeps the typed values, and stores nothing', async () => {
    const response = await post({
      ...VALID_FORM,
      formToken: tokenOf(await get()),
      'buyer.email': 'camille@',
      question: 'Trop court ?',
      consent: '',
    });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('id="resume-erreurs"');
    for (const id of ['f-buyer-email', 'f-question', 'f-consent']) {
      expect(html).toContain(`href="#${id}"`);
      expect(html).toContain(`id="${id}"`);
    }
    expect(html).toContain('value="camille@"');
    expect(html).toContain('Commune de Vannes');
    expect(html).toMatch(/<title>Erreur/);
    expect(await requests()).toBe(0);
  });

  it('explains a refusal for eligibility with pointers, and stores nothing', async () => {
    const response = await post({
      ...VALID_FORM,
      formToken: tokenOf(await get()),
      'buyer.organisationType': 'state_administration',
      internalReferentConsulted: 'no',
    });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('id="non-eligible"');
    expect(html).toContain('référent achats responsables interne');
    expect(html).toContain('https://www.economie.gouv.fr/dae');
    // The answer that decided it is one link away.
    expect(html).toContain('<a href="#f-internalReferentConsulted-no">Revoir votre réponse sur le référent interne</a>');
    expect(await requests()).toBe(0);
  });

  it('refuses a filled honeypot and stores nothing', async () => {
    const response = await post({ ...VALID_FORM, formToken: tokenOf(await get()), website: 'http://spam.example' });
    expect(response.status).toBe(400);
    // A person whose browser filled it is led to the button that sends again (the field comes back empty).
    const html = await response.text();
    expect(html).toContain('Cet envoi n’a pas été reconnu : vérifiez vos réponses, puis envoyez de nouveau le formulaire.');
    expect(html).not.toContain('href="#f-website"');
    expect(html).toContain('id="f-website" name="website" tabindex="-1" autocomplete="off" value=""');
    expect(await requests()).toBe(0);
  });

  it('escapes HTML typed in the form when showing it back', async () => {
    const response = await post({
      ...VALID_FORM,
      formToken: tokenOf(await get()),
      'buyer.firstName': '<b>Camille</b>',
      'buyer.email': 'bad',
    });
    const html = await response.text();
    expect(html).toContain('value="&lt;b&gt;Camille&lt;/b&gt;"');
    expect(html).not.toContain('<b>Camille</b>');
  });

  it('serves the home, privacy and accessibility pages in French, and a French 404', async () => {
    for (const path of ['/', '/confidentialite', '/accessibilite', '/plan-du-site']) {
      const response = await fetch(`${t.url}${path}`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<html lang="fr"');
    }
    // Where a buyer writes about their data, or a page they cannot use: each network, its régions and address.
    for (const path of ['/confidentialite', '/accessibilite']) {
      const page = await (await fetch(`${t.url}${path}`)).text();
      expect(page).toContain(
        '<strong>RESECO</strong> (Bretagne, Centre-Val de Loire, Pays de la Loire) : <a href="mailto:contact@reseco.fr">contact@reseco.fr</a>',
      );
    }
    // The notice says who really sees the data (the network's facilitators while the request waits in the pool), on
    // what basis, and the right to refuse the follow-up survey.
    const notice = await (await fetch(`${t.url}/confidentialite`)).text();
    expect(notice).toContain('tant qu’elle attend qu’un facilitateur se libère, les facilitateurs du réseau');
    expect(notice).toContain('mission d’intérêt public');
    expect(notice).toContain('refuser le questionnaire de suivi');
    // What « Retrouver mes demandes » keeps, and for how long, as the purges do.
    expect(notice).toContain('l’adresse électronique saisie est gardée un jour');
    expect(notice).toContain('le courriel qui vous les envoie 90 jours');
    // Which answers are required, and the one cookie a buyer may get (article 13 of the GDPR; the ePrivacy exemption).
    expect(notice).toContain('Le téléphone, le numéro SIRET, le montant estimé et la date souhaitée de réponse sont facultatifs.');
    expect(notice).toContain('Un seul cookie, « gv_presession », est déposé si vous ouvrez « Retrouver mes demandes »');
    for (const path of ['/', '/demande', '/confidentialite', '/statistiques']) {
      expect([path, (await fetch(`${t.url}${path}`)).headers.getSetCookie()]).toEqual([path, []]);
    }
    const retrieve = (await fetch(`${t.url}/suivi`)).headers.getSetCookie();
    expect(retrieve.map((line) => line.split('=')[0])).toEqual(['gv_presession']);
    expect(retrieve[0]).toContain('Max-Age=86400');
    // The home page says how long each step takes, from the configuration the deadlines use.
    const home = await (await fetch(`${t.url}/`)).text();
    expect(home).toContain('la prend en charge sous 2 jours ouvrés');
    expect(home).toContain('Il vous répond par écrit sous 10 jours ouvrés');
    expect(home).toContain('6 mois plus tard');
    // No request yet: no figures to show.
    expect(home).not.toContain('id="en-chiffres"');
    const missing = await fetch(`${t.url}/nulle-part`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('Page introuvable');
    expect((await fetch(`${t.url}/dsfr/dsfr.min.css`)).status).toBe(200);
  });
});
