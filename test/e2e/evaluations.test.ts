import { StaffAuthService } from '../../src/modules/accounts/staff-auth.service';
import { mailsTo } from '../support/conversation';
import { insertFacilitator } from '../support/facilitators';
import { csrfIn, insertStaff, StaffClient, signedInStaff, type StaffSeed } from '../support/staff';
import { insertAnswer, insertClosedRequest, insertCompletedSurvey } from '../support/survey-seeds';
import { bodyOf, TestApp, useTestApp } from '../support/test-app';

describe('the animators’ review of evaluations', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app));

  const tokenOf = async (staffId: string) => `Bearer ${await t.app.get(StaffAuthService).createApiToken(staffId, 'tests')}`;
  const api = (path: string, authorization: string, body?: unknown) =>
    fetch(`${t.url}/api/v1/staff/evaluations${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  const signedIn = (seed: StaffSeed) => signedInStaff(t, seed);

  /** Two networks: Alix and Bea answer in AURA, Chris in Île-de-France; three completed evaluations. */
  async function world() {
    const ds = t.dataSource;
    const alix = await insertFacilitator(ds, { network: 'aura-ee', firstName: 'Alix', email: 'alix@example.org' });
    const bea = await insertFacilitator(ds, { network: 'aura-ee', firstName: 'Bea' });
    const chris = await insertFacilitator(ds, { network: 'maximilien', firstName: 'Chris' });
    const a = await insertClosedRequest(ds, { facilitatorId: alix, subject: 'Papier recyclé pour les écoles' });
    await insertAnswer(t, a.id, null, 'Exigez **40 %** de fibres recyclées.');
    const b = await insertClosedRequest(ds, {
      facilitatorId: bea,
      kind: 'social_clause',
      department: '69',
      subject: 'Nettoyage et insertion',
    });
    const c = await insertClosedRequest(ds, {
      facilitatorId: chris,
      department: '75',
      network: 'maximilien',
      subject: 'Mobilier de bureau',
    });
    const evaluations = {
      a: await insertCompletedSurvey(ds, a.id, {
        facilitatorId: alix,
        comment: 'Très utile, <b>merci</b> !',
        reuseConsent: true,
        completedAt: '2026-03-10T10:00:00Z',
      }),
      b: await insertCompletedSurvey(ds, b.id, {
        wave: 'impact',
        facilitatorId: bea,
        contractOutcome: 'not_yet',
        contractDate: '2026-11-01',
        levers: ['insertion_clause'],
        themes: ['reuse_recycled', 'insertion_disability'],
        insertionHours: 700,
        contractAmount: '250000',
        completedAt: '2026-01-15T10:00:00Z',
      }),
      c: await insertCompletedSurvey(ds, c.id, { facilitatorId: chris, usefulness: 'no', completedAt: '2026-03-12T10:00:00Z' }),
    };
    return { alix, bea, chris, requests: { a, b, c }, evaluations };
  }

  it('documents in OpenAPI every filter the list reads, and nothing it would refuse', async () => {
    const document = await bodyOf(fetch(`${t.url}/api/docs-json`));
    const names = document.paths['/api/v1/staff/evaluations'].get.parameters.map((p: { name: string }) => p.name);
    expect(names.sort()).toEqual([
      'au',
      'department',
      'du',
      'facilitator',
      'kind',
      'page',
      'reseau',
      'reviewed',
      'score',
      'segment',
      'wave',
    ]);
    const token = await tokenOf((await insertStaff(t.dataSource, { role: 'admin' })).id);
    const query =
      'du=2026-01-01&au=2026-12-31&reseau=aura-ee&kind=environmental&segment=catering&department=38' +
      `&facilitator=${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}&wave=satisfaction&score=usefulness.yes&reviewed=non&page=1`;
    expect((await api(`?${query}`, token)).status).toBe(200);
    expect(document.paths['/api/v1/staff/evaluations/{id}/share'].post.requestBody.content['application/json'].schema.required).toEqual([
      'notice',
    ]);
  });

  it('answers an evaluation exactly as OpenAPI documents it, key for key, never its link nor its schedule', async () => {
    const w = await world();
    const token = await tokenOf((await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] })).id);
    const document = await bodyOf(fetch(`${t.url}/api/docs-json`));
    const documented = (name: string) => Object.keys(document.components.schemas[name].properties).sort();
    expect(document.paths['/api/v1/staff/evaluations/{id}'].get.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/EvaluationDetailDto',
    });
    const detail = await bodyOf(api(`/${w.evaluations.a}`, token));
    expect(Object.keys(detail).sort()).toEqual(documented('EvaluationDetailDto'));
    expect(Object.keys(detail.evaluation).sort()).toEqual(documented('EvaluationDto'));
    expect(Object.keys(detail.request).sort()).toEqual(documented('EvaluatedRequestDto'));
    expect(Object.keys(detail.answer).sort()).toEqual(documented('StaffMessageDto'));
    expect(Object.keys(detail.actions).sort()).toEqual(documented('EvaluationActionsDto'));
    expect(detail.evaluation).toMatchObject({
      id: w.evaluations.a,
      wave: 'satisfaction',
      comment: 'Très utile, <b>merci</b> !',
      reuseConsent: true,
    });
    expect(detail.request.reference).toBe(w.requests.a.reference);
    expect(detail.answer.body).toBe('Exigez **40 %** de fibres recyclées.');
    expect(detail.facilitatorAnswers.map((a: { body: string }) => a.body)).toEqual(['Exigez **40 %** de fibres recyclées.']);
    for (const hidden of ['tokenHash', 'tokenSealed', 'dueAt', 'sentAt', 'remindedAt', 'expiresAt', 'status']) {
      expect(detail.evaluation).not.toHaveProperty(hidden);
    }
  });

  it('shows every answer the facilitator wrote, the first and its complement, not the last alone', async () => {
    const w = await world();
    await insertAnswer(t, w.requests.a.id, null, 'Complément : le label *Ange bleu* convient aussi.');
    const client = await signedIn({ role: 'animator', networks: ['aura-ee'] });
    const html = (await (await client.get(`/espace/evaluations/${w.evaluations.a}`)).text()).replace(/\s+/g, ' ');
    expect(html).toContain('<h3>Les réponses du facilitateur</h3>');
    expect(html).toMatch(
      /<strong>Première réponse<\/strong>, le .*<strong>40 %<\/strong> de fibres recyclées.*<strong>Complément<\/strong>, le .*le label <em>Ange bleu<\/em> convient aussi/,
    );
    const token = await tokenOf((await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] })).id);
    const detail = await bodyOf(api(`/${w.evaluations.a}`, token));
    expect(detail.facilitatorAnswers.map((a: { body: string }) => a.body)).toEqual([
      'Exigez **40 %** de fibres recyclées.',
      'Complément : le label *Ange bleu* convient aussi.',
    ]);
    expect(detail.answer.body).toBe('Complément : le label *Ange bleu* convient aussi.');
  });

  it('shows each person only the evaluations they may see; anything else is 404', async () => {
    const w = await world();
    // A survey still waiting for its answer is no evaluation yet.
    await t.dataSource.query(
      `INSERT INTO surveys (id, request_id, wave, status, due_at) VALUES (gen_random_uuid(), $1, 'impact', 'scheduled', now())`,
      [w.requests.a.id],
    );
    const animator = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] });
    const admin = await insertStaff(t.dataSource, { role: 'admin' });
    const alixAccount = await insertStaff(t.dataSource, { role: 'facilitator', facilitatorId: w.alix, networks: ['aura-ee'] });
    const references = async (token: string) => (await bodyOf(api('', token))).items.map((i: { reference: string }) => i.reference).sort();

    const aura = await tokenOf(animator.id);
    expect(await references(aura)).toEqual([w.requests.a.reference, w.requests.b.reference].sort());
    expect(await references(await tokenOf(admin.id))).toHaveLength(3);
    // The page as documented in OpenAPI, key for key.
    const document = await bodyOf(fetch(`${t.url}/api/docs-json`));
    const documented = (name: string) => Object.keys(document.components.schemas[name].properties).sort();
    const listed = await bodyOf(api('', aura));
    expect(document.paths['/api/v1/staff/evaluations'].get.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/EvaluationsPageDto',
    });
    expect(Object.keys(listed).sort()).toEqual(documented('EvaluationsPageDto'));
    for (const item of listed.items) expect(Object.keys(item).sort()).toEqual(documented('EvaluationListItemDto'));
    const alix = await tokenOf(alixAccount.id);
    expect(await references(alix)).toEqual([]);

    expect((await api(`/${w.evaluations.c}`, aura)).status).toBe(404);
    expect((await api(`/${w.evaluations.a}`, alix)).status).toBe(404);
    expect((await api(`/00000000-0000-4000-8000-000000000000`, aura)).status).toBe(404);
    expect((await api(`/pas-un-identifiant`, aura)).status).toBe(404);
    expect((await api(`/${w.evaluations.c}/review`, aura, { note: 'x' })).status).toBe(404);
    expect((await api(`/${w.evaluations.a}/review`, alix, { note: 'x' })).status).toBe(404);

    // Shared with Alix: she reads hers, never Bea's (even shared), and may not review it.
    await t.dataSource.query(`UPDATE surveys SET shared_with_facilitator_at = now() WHERE id = ANY($1)`, [
      [w.evaluations.a, w.evaluations.b],
    ]);
    expect(await references(alix)).toEqual([w.requests.a.reference]);
    expect((await api(`/${w.evaluations.a}`, alix)).status).toBe(200);
    expect((await api(`/${w.evaluations.b}`, alix)).status).toBe(404);
    expect((await api(`/${w.evaluations.a}/review`, alix, { note: 'x' })).status).toBe(404);
    expect((await api(`/${w.evaluations.a}/share`, alix, {})).status).toBe(404);
    expect((await api(`/${w.evaluations.c}/review`, aura, { note: 'x'.repeat(6000) })).status).toBe(404);
    expect((await bodyOf(api(`/${w.evaluations.a}`, alix))).actions).toEqual({ review: false, share: false });

    // The pages say the same.
    const page = await signedIn({ role: 'animator', networks: ['maximilien'] });
    const list = await (await page.get('/espace/evaluations')).text();
    expect(list).toContain(w.requests.c.reference);
    expect(list).not.toContain(w.requests.a.reference);
    // Unfiltered, the link to each is bare: no stray « ? ».
    expect(list).toContain(`href="/espace/evaluations/${w.evaluations.c}"`);
    // The survey's delay as configured (SURVEY_IMPACT_DELAY_MONTHS, 6 by default), not a fixed wording.
    expect(list).toContain('impact sur le marché 6 mois plus tard');
    expect((await page.get(`/espace/evaluations/${w.evaluations.a}`)).status).toBe(404);
    expect((await page.get(`/espace/evaluations/${w.evaluations.c}`)).status).toBe(200);
  });

  it('filters by period, wave, score, kind, département, facilitator and review, with counts and paging', async () => {
    const w = await world();
    const admin = await tokenOf((await insertStaff(t.dataSource, { role: 'admin' })).id);
    const refs = async (query: string) => {
      const body = await bodyOf(api(`?${query}`, admin));
      return { total: body.total, refs: body.items.map((i: { reference: string }) => i.reference).sort() };
    };
    const { a, b, c } = w.requests;
    expect(await refs('du=2026-03-01&au=2026-03-10')).toEqual({ total: 1, refs: [a.reference] });
    expect(await refs('au=2026-02-28')).toEqual({ total: 1, refs: [b.reference] });
    expect(await refs('wave=impact')).toEqual({ total: 1, refs: [b.reference] });
    expect(await refs('score=usefulness.no')).toEqual({ total: 1, refs: [c.reference] });
    expect(await refs('score=usefulness.yes')).toEqual({ total: 1, refs: [a.reference] });
    expect(await refs('score=outcome.not_yet')).toEqual({ total: 1, refs: [b.reference] });
    expect(await refs('kind=social_clause')).toEqual({ total: 1, refs: [b.reference] });
    expect(await refs('department=75')).toEqual({ total: 1, refs: [c.reference] });
    expect(await refs('reseau=aura-ee')).toEqual({ total: 2, refs: [a.reference, b.reference].sort() });
    expect(await refs(`facilitator=${w.bea}`)).toEqual({ total: 1, refs: [b.reference] });
    await t.dataSource.query(`UPDATE surveys SET reviewed_at = now() WHERE id = $1`, [w.evaluations.a]);
    expect(await refs('reviewed=oui')).toEqual({ total: 1, refs: [a.reference] });
    expect((await bodyOf(api('?reviewed=non', admin))).unreviewed).toBe(2);

    const bad = await api('?du=2026-02-30&wave=toutes', admin);
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors.map((e: { field: string }) => e.field)).toEqual(['du', 'wave']);
    // As the requests API: an unknown parameter, a repeated one, an unknown network or a page that is none are refused.
    const strict = await api('?zzz=1&du=2026-01-01&du=2026-02-01&reseau=zzz&page=-1', admin);
    expect(strict.status).toBe(400);
    expect((await strict.json()).errors).toEqual([
      { field: 'zzz', message: expect.stringContaining('Paramètre inconnu') },
      { field: 'du', message: 'Une seule valeur attendue.' },
      { field: 'reseau', message: 'Réseau inconnu ou hors de vos réseaux : code attendu, par exemple aura-ee ou reseco.' },
      { field: 'page', message: 'Numéro de page attendu : un entier à partir de 1.' },
    ]);
    // A network one does not see reads as one that does not exist (it would list nothing), as in the requests API.
    const aura = await tokenOf((await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] })).id);
    expect((await bodyOf(api('?reseau=aura-ee', aura))).total).toBe(2);
    const foreign = await api('?reseau=maximilien', aura);
    expect(foreign.status).toBe(400);
    expect((await foreign.json()).errors).toEqual([
      { field: 'reseau', message: 'Réseau inconnu ou hors de vos réseaux : code attendu, par exemple aura-ee ou reseco.' },
    ]);
    // The page keeps its lenient reading: an old bookmark still opens.
    const lenient = await signedIn({ role: 'admin' });
    expect((await lenient.get('/espace/evaluations?zzz=1&page=-1')).status).toBe(200);
    // Another network's on the page: said as the API says it, the list of one's own networks shown, not « 0 ».
    const auraPage = await signedIn({ role: 'animator', networks: ['aura-ee'] });
    const foreignPage = await auraPage.get('/espace/evaluations?reseau=maximilien');
    expect(foreignPage.status).toBe(400);
    const foreignHtml = await foreignPage.text();
    expect(foreignHtml).toContain('Réseau inconnu ou hors de vos réseaux');
    expect(foreignHtml).toMatch(/2 évaluations/);
    // A mistyped segment or département in an address: said, and dropped, not an empty list.
    const mistyped = await auraPage.get('/espace/evaluations?segment=fournitures&department=99');
    expect(mistyped.status).toBe(400);
    const mistypedHtml = await mistyped.text();
    expect(mistypedHtml).toContain('Segment d’achat inconnu.');
    expect(mistypedHtml).toContain('Département inconnu : code INSEE attendu, par exemple 38, 2A ou 971.');
    expect(mistypedHtml).toMatch(/2 évaluations/);

    // 30 more in AURA: two pages, the filters kept in the paging links.
    for (let i = 0; i < 30; i++) {
      const r = await insertClosedRequest(t.dataSource, { facilitatorId: w.alix });
      await insertCompletedSurvey(t.dataSource, r.id, {
        facilitatorId: w.alix,
        completedAt: `2026-04-${String(1 + (i % 28)).padStart(2, '0')}T08:00:00Z`,
      });
    }
    const second = await bodyOf(api('?reseau=aura-ee&page=2', admin));
    expect({ total: second.total, page: second.page, pages: second.pages, n: second.items.length }).toEqual({
      total: 32,
      page: 2,
      pages: 2,
      n: 7,
    });
    const client = await signedIn({ role: 'animator', networks: ['aura-ee', 'maximilien'] });
    const html = await (await client.get('/espace/evaluations?wave=satisfaction&reseau=aura-ee')).text();
    expect(html).toContain('href="/espace/evaluations?reseau=aura-ee&amp;wave=satisfaction&amp;page=2"');
    expect(html).toContain('<title>Évaluations — page 1 sur 2 — Guichet vert</title>');
    const pageTwo = await (await client.get('/espace/evaluations?wave=satisfaction&reseau=aura-ee&page=2')).text();
    expect(pageTwo).toContain('<title>Évaluations — page 2 sur 2 — Guichet vert</title>');
    expect(html).toContain('href="/espace/export/evaluations.csv?reseau=aura-ee&amp;wave=satisfaction"');
    expect(html).toMatch(/31 évaluations, dont 30 à revoir/);
    const errorPage = await client.get('/espace/evaluations?du=hier');
    expect(errorPage.status).toBe(400);
    const errorHtml = await errorPage.text();
    expect(errorHtml).toContain('1 erreur empêche l’envoi de vos filtres');
    expect(errorHtml).toContain('<a href="#f-du">Date de début : saisissez une date au format JJ/MM/AAAA.</a>');
  });

  it('shows the evaluation beside the request and its answer, the buyer’s words escaped and their consent prominent', async () => {
    const w = await world();
    const client = await signedIn({ role: 'animator', networks: ['aura-ee'] });
    const html = await (await client.get(`/espace/evaluations/${w.evaluations.a}`)).text();
    expect(html).toContain('Papier recyclé pour les écoles');
    expect(html).toContain(
      `href="/espace/demandes/${w.requests.a.reference}">Voir la demande ${w.requests.a.reference} et son historique</a>`,
    );
    expect(html).toContain('<strong>40 %</strong> de fibres recyclées');
    expect(html).toContain('Guide de l’achat public durable');
    expect(html).toContain('Très utile, &lt;b&gt;merci&lt;/b&gt; !');
    expect(html).toContain('L’acheteur accepte une réutilisation anonyme');
    expect(html).not.toContain('camille.martin@example.fr');
    const impact = await (await client.get(`/espace/evaluations/${w.evaluations.b}`)).text();
    expect(impact).toContain('L’acheteur n’a pas consenti à la réutilisation de ses propos');
    // Several values as a list: labels holding a comma stay apart.
    expect(impact).toContain('<ul class="fr-mb-0"><li>Réemploi, matières recyclées</li><li>Insertion, handicap</li></ul>');
    // A satisfaction answered before the question was asked in that wave: not read as a refusal.
    await t.dataSource.query(`UPDATE surveys SET reuse_consent = NULL WHERE id = $1`, [w.evaluations.a]);
    const notAsked = (await (await client.get(`/espace/evaluations/${w.evaluations.a}`)).text()).replace(/\s+/g, ' ');
    expect(notAsked).toContain('Réutilisation des propos non demandée');
    expect(notAsked).toContain('<dd>Non demandé dans ce questionnaire</dd>');
    expect(notAsked).not.toContain('n’a pas consenti');
    expect(impact).toContain('Clause d’insertion');
    expect(impact).toContain('700');
    expect(impact).toContain('Heures d’insertion');
    expect(impact).toMatch(/Montant du marché \(€ HT\)<\/dt><dd class="fr-mb-1w">250\s000</);
    expect(impact).toContain('Date de publication, de notification ou de signature</dt><dd class="fr-mb-1w">1er novembre 2026</dd>');
  });

  it('marks an evaluation reviewed with a note: CSRF required, one transaction with a private history event', async () => {
    const w = await world();
    const { id: animatorId, email } = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] });
    const client = new StaffClient(t.url);
    await client.signIn(email);
    const path = `/espace/evaluations/${w.evaluations.a}`;

    expect((await client.post(`${path}/revue`, { note: 'Sans jeton' })).status).toBe(400);
    const tooLong = await client.submit(path, `${path}/revue`, { note: 'x'.repeat(5001) });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.text()).toContain('La note ne doit pas dépasser 5\u202f000 caractères.');
    expect((await t.dataSource.query(`SELECT reviewed_at FROM surveys WHERE id = $1`, [w.evaluations.a]))[0].reviewed_at).toBeNull();

    const done = await client.submit(path, `${path}/revue`, { note: 'Bon retour, à citer dans la lettre du réseau.' });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`${path}?fait=revue`);
    const [survey] = await t.dataSource.query(`SELECT reviewed_at, reviewed_by, review_note FROM surveys WHERE id = $1`, [w.evaluations.a]);
    expect(survey).toMatchObject({ reviewed_by: animatorId, review_note: 'Bon retour, à citer dans la lettre du réseau.' });
    expect(survey.reviewed_at).not.toBeNull();
    const events = await t.dataSource.query(`SELECT type, actor_id, is_public, reason FROM request_events WHERE request_id = $1`, [
      w.requests.a.id,
    ]);
    expect(events).toEqual([
      { type: 'evaluation_reviewed', actor_id: animatorId, is_public: false, reason: 'Évaluation « Satisfaction » revue' },
    ]);
    expect(await (await client.get(`${path}?fait=revue`)).text()).toContain('L’évaluation est marquée comme revue.');

    // The same by the API.
    const api200 = await bodyOf(api(`/${w.evaluations.b}/review`, await tokenOf(animatorId), { note: 'Relancer en juin' }));
    expect(api200.evaluation).toMatchObject({ reviewNote: 'Relancer en juin', reviewedBy: animatorId });
    expect(api200.evaluation.tokenHash).toBeUndefined();
  });

  it('shares with the facilitator only after the notice is ticked: a private event and one e-mail, then the facilitator reads it', async () => {
    const w = await world();
    const client = await signedIn({ role: 'animator', networks: ['aura-ee'] });
    const path = `/espace/evaluations/${w.evaluations.a}`;

    const unticked = await client.submit(path, `${path}/partage`, {});
    expect(unticked.status).toBe(400);
    const untickedHtml = await unticked.text();
    expect(untickedHtml).toContain('Cochez l’avertissement sur la réutilisation des propos de l’acheteur pour partager.');
    expect(untickedHtml).toMatch(/<title>Erreur — Évaluation/);
    expect((await client.post(`${path}/partage`, { notice: 'on' })).status).toBe(400); // no CSRF token
    expect((await t.dataSource.query(`SELECT shared_with_facilitator_at FROM surveys WHERE id = $1`, [w.evaluations.a]))[0]).toEqual({
      shared_with_facilitator_at: null,
    });
    expect(await t.dataSource.query(`SELECT 1 FROM mail_messages`)).toEqual([]);

    const done = await client.submit(path, `${path}/partage`, { notice: 'on' });
    expect(done.status).toBe(303);
    expect(
      (await t.dataSource.query(`SELECT shared_with_facilitator_at FROM surveys WHERE id = $1`, [w.evaluations.a]))[0]
        .shared_with_facilitator_at,
    ).not.toBeNull();
    const mails = await mailsTo(t, 'evaluation-shared');
    expect(mails).toHaveLength(1);
    expect(mails[0].recipient).toBe('alix@example.org');
    expect(mails[0].text_body).toContain(`${t.url}/espace/evaluations/${w.evaluations.a}`);
    expect(mails[0].text_body).not.toContain('Très utile');
    expect(await t.dataSource.query(`SELECT job_name FROM outbox_events WHERE job_name = 'mail.send'`)).toHaveLength(1);
    expect(await t.dataSource.query(`SELECT type, is_public FROM request_events WHERE request_id = $1`, [w.requests.a.id])).toEqual([
      { type: 'evaluation_shared', is_public: false },
    ]);

    // Once only.
    const again = await client.submit(path, `${path}/partage`, { notice: 'on' });
    expect(again.status).toBe(409);
    expect(await t.dataSource.query(`SELECT 1 FROM mail_messages`)).toHaveLength(1);

    const { claudeId } = await twoAnimators();
    const alix = await signedIn({ role: 'facilitator', facilitatorId: w.alix, networks: ['aura-ee'] });
    // The review is the animators' business: the facilitator sees the share, not whether it is reviewed yet.
    const unreviewed = await (await alix.get(path)).text();
    expect(unreviewed).toContain('Partagée avec le facilitateur le');
    expect(unreviewed).not.toContain('À revoir');
    await t.dataSource.query(
      `UPDATE surveys SET reviewed_at = now(), review_note = 'Note des animateurs', reviewed_by = $2 WHERE id = $1`,
      [w.evaluations.a, claudeId],
    );
    const html = await (await alix.get(path)).text();
    expect(html).toContain('Très utile');
    expect(html).not.toContain('Marquer comme revue');
    expect(html).not.toContain('Note des animateurs');
    expect(html).not.toMatch(/Revue le/);
    // Who shared it with them, on the page, by the API and in the export; never who reviewed it.
    expect(html).toMatch(/Partagée avec le facilitateur le [^<]+ par Sam Essai<\/span>/);
    expect(html).not.toContain('Claude Animateur');
    const alixToken = await tokenOf((await t.dataSource.query(`SELECT id FROM staff_users WHERE facilitator_id = $1`, [w.alix]))[0].id);
    expect((await bodyOf(api(`/${w.evaluations.a}`, alixToken))).request).toMatchObject({ reviewerName: null, sharerName: 'Sam Essai' });
    const csv = (await (await alix.get('/espace/export/evaluations.csv')).text()).split('\r\n');
    expect(csv[0]).toMatch(/;Partagée avec le facilitateur le \(heure de Paris\);Partagée par$/);
    expect(csv[1]).toMatch(/;Sam Essai$/);
    expect(csv.join('\n')).not.toContain('Claude Animateur');
    const list = await (await alix.get('/espace/evaluations')).text();
    expect(list).toContain(w.requests.a.reference);
    // Their own answers, shared with them: nothing of the animators' review to follow there.
    expect(list).toMatch(/<h2>1 évaluation<\/h2>/);
    expect(list).toContain(
      'Vous voyez ici les évaluations de vos demandes que l’animation de votre réseau a relues et partagées avec vous.',
    );
    expect(list).not.toMatch(/à revoir|name="reviewed"|<th scope="col">Suivi<\/th>/i);

    // By the API: the notice is required there too.
    const token = await tokenOf((await insertStaff(t.dataSource, { role: 'admin' })).id);
    const refused = await api(`/${w.evaluations.b}/share`, token, {});
    expect(refused.status).toBe(400);
    expect((await refused.json()).errors).toEqual([{ field: 'notice', message: expect.stringContaining('Cochez') }]);
    expect((await bodyOf(api(`/${w.evaluations.b}/share`, token, { notice: true }))).evaluation.sharedWithFacilitatorAt).not.toBeNull();
  });

  /** Two animators of AURA at once: Claude (named) and Bérénice, each on their own client. */
  async function twoAnimators() {
    const { id: claudeId, email } = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] });
    await t.dataSource.query(`UPDATE staff_users SET first_name = 'Claude', last_name = 'Animateur' WHERE id = $1`, [claudeId]);
    const claude = new StaffClient(t.url);
    await claude.signIn(email);
    return { claudeId, claude, berenice: await signedIn({ role: 'animator', networks: ['aura-ee'] }) };
  }

  /** The review form's hidden fields, as a browser keeps them while the page stays open. */
  const openedReview = (html: string) => ({ _csrf: csrfIn(html), reviewedAt: html.match(/name="reviewedAt" value="([^"]*)"/)![1] });

  it('a review made from a page opened before a colleague’s is refused: theirs shown whole, the note typed kept, the exports unchanged', async () => {
    const w = await world();
    const { claudeId, claude, berenice } = await twoAnimators();
    const path = `/espace/evaluations/${w.evaluations.a}`;
    const opened = openedReview(await (await berenice.get(path)).text());
    expect(opened.reviewedAt).toBe('');
    const claudeNote = 'Vu par Claude : très bon retour, à citer en réunion.';
    expect((await claude.submit(path, `${path}/revue`, { note: claudeNote })).status).toBe(303);

    const refused = await berenice.post(`${path}/revue`, { ...opened, note: 'Revue par Bérénice.' });
    expect(refused.status).toBe(409);
    const html = await refused.text();
    expect(html).toMatch(/<title>Erreur — /);
    expect(html).toMatch(/<h3 class="fr-alert__title">Revue le \d{1,2}(er)? \S+ \d{4} à \d{2}:\d{2} par Claude Animateur<\/h3>/);
    expect(html).toContain(
      'Cette évaluation a été revue par Claude Animateur depuis que vous l’avez ouverte : votre revue n’est pas enregistrée, pour ne pas remplacer la sienne.',
    );
    expect(html).toContain(`<span id="note-entre-temps" style="white-space: pre-line">${claudeNote}</span>`);
    expect(html).toContain('>Revue par Bérénice.</textarea>');
    const [kept] = await t.dataSource.query(`SELECT reviewed_by, review_note FROM surveys WHERE id = $1`, [w.evaluations.a]);
    expect(kept).toEqual({ reviewed_by: claudeId, review_note: claudeNote });
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM request_events WHERE request_id = $1`, [w.requests.a.id])).toEqual([
      { n: 1 },
    ]);
    // Both exports say the review kept, and whose.
    for (const query of ['', '?separateur=virgule']) {
      const csv = await (await claude.get(`/espace/export/evaluations.csv${query}`)).text();
      expect(csv).toContain('Revue par');
      expect(csv).toContain(claudeNote);
      expect(csv).toContain('Claude Animateur');
      expect(csv).not.toContain('Revue par Bérénice.');
    }

    // Sent again from that page, Claude's review before her: her note, completed of his, is then the review's.
    const merged = `${claudeNote}\nRevue par Bérénice.`;
    expect((await berenice.post(`${path}/revue`, { ...openedReview(html), note: merged })).status).toBe(303);
    expect((await t.dataSource.query(`SELECT review_note FROM surveys WHERE id = $1`, [w.evaluations.a]))[0].review_note).toBe(merged);

    // By the API: the date of the review read, if sent, is checked the same way; none sent, as before.
    const token = await tokenOf(claudeId);
    const first = await api(`/${w.evaluations.b}/review`, token, { note: 'Lu avant', reviewedAt: null });
    expect(first.status).toBe(200);
    const again = await api(`/${w.evaluations.b}/review`, token, { note: 'Lu avant aussi', reviewedAt: null });
    expect(again.status).toBe(409);
    expect((await again.json()).errors).toEqual([
      { field: 'reviewedAt', message: expect.stringContaining('Cette évaluation a été revue par Claude Animateur') },
    ]);
    // A date the API never gave is refused as such (400), not taken for a colleague's review.
    for (const reviewedAt of [1773306245123, 'hier', '2026-03-12']) {
      const unreadable = await api(`/${w.evaluations.b}/review`, token, { note: 'Date illisible', reviewedAt });
      expect(unreadable.status).toBe(400);
      expect((await unreadable.json()).errors).toEqual([{ field: 'reviewedAt', message: expect.stringContaining('La date de revue lue') }]);
    }
    expect((await bodyOf(api(`/${w.evaluations.b}/review`, token, { note: 'Sans date' }))).evaluation.reviewNote).toBe('Sans date');
  });

  it('a share a colleague already made is said, by whom and when, with no form left to try again', async () => {
    const w = await world();
    const { claude, berenice } = await twoAnimators();
    const path = `/espace/evaluations/${w.evaluations.a}`;
    const opened = csrfIn(await (await berenice.get(path)).text());
    expect((await claude.submit(path, `${path}/partage`, { notice: 'on' })).status).toBe(303);

    const late = await berenice.post(`${path}/partage`, { _csrf: opened, notice: 'on' });
    expect(late.status).toBe(409);
    const html = await late.text();
    expect(html).toMatch(
      /<p>Cette évaluation est déjà partagée avec Alix [^:]+ : Claude Animateur l’a partagée le \d{1,2}(er)? \S+ \d{4} à \d{2}:\d{2}, et le facilitateur en a été informé par courriel\. Rien n’est renvoyé\.<\/p>/,
    );
    expect(html).not.toContain('erreur empêche');
    expect(html).not.toContain('name="notice"');
    expect(html).not.toMatch(/<title>Erreur/);
    expect(html).toMatch(/Partagée avec le facilitateur le [^<]+ par Claude Animateur<\/span>/);
    expect(await mailsTo(t, 'evaluation-shared')).toHaveLength(1);
  });

  it('links the evaluations from the workspace', async () => {
    const client = await signedIn({ role: 'animator', networks: ['aura-ee'] });
    const html = await (await client.get('/espace')).text();
    expect(html).toContain('href="/espace/evaluations"');
    expect(html).toContain('href="/espace/export/demandes.csv?tab=mine&amp;ouvertes=1"');
  });
});
