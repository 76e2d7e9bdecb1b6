import { csrfIn, insertStaff, STAFF_PASSWORD, StaffClient } from '../support/staff';
import { timeMachine } from '../support/surveys';
import { TestApp, useTestApp } from '../support/test-app';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const REQUEST_PAGE = '/espace/demandes/GV-2026-000042';
const TYPED = 'Bonjour,\nvoici <b>ma réponse</b> & « mes conseils » </textarea><script>alert(1)</script>';
const TYPED_ESCAPED =
  'Bonjour,\nvoici &lt;b&gt;ma réponse&lt;/b&gt; &amp; « mes conseils » &lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;';

/** The first text shown to copy, line breaks as a browser sends them (a multipart form's are CRLF). */
const typedIn = (html: string) =>
  /<textarea class="fr-input" id="texte-saisi-1" rows="8" readonly>\n([\s\S]*?)<\/textarea>/.exec(html)?.[1].replace(/\r\n/g, '\n');

/**
 * Sessions slide with use (STAFF_SESSION_IDLE_MINUTES, 2 h) up to STAFF_SESSION_MAX_HOURS (12 h: accounts.test.ts);
 * a form sent after their end keeps its text.
 */
describe('staff sessions: sliding, capped, and a form sent after their end', () => {
  let t!: TestApp;
  const time = timeMachine(() => t);
  useTestApp((app) => (t = app));
  afterEach(() => time.back());

  const signedIn = async () => {
    const { email } = await insertStaff(t.dataSource, { role: 'admin' });
    const c = new StaffClient(t.url);
    expect((await c.signIn(email)).status).toBe(303);
    return { c, email };
  };
  const lastSeen = async () =>
    (await t.dataSource.query(`SELECT last_seen_at FROM staff_sessions WHERE revoked_at IS NULL`))[0].last_seen_at;
  /** The answer form as the browser sends it: multipart, with a file. */
  const postAnswer = (c: StaffClient, fields: Record<string, string>, path = `${REQUEST_PAGE}/reponse`) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append('fichiers', new Blob(['%PDF-1.4 guide'], { type: 'application/pdf' }), 'guide.pdf');
    return fetch(`${t.url}${path}`, { method: 'POST', redirect: 'manual', headers: { cookie: c.jar.header() }, body: form });
  };

  it('renews the idle time with use, writing it at most every half hour of a 2 h idle time, and ends after 2 idle hours', async () => {
    const { c } = await signedIn();
    const signedInAt = await lastSeen();
    time.forward(10 * MINUTE);
    expect((await c.get('/espace/compte')).status).toBe(200);
    // A page view is not a write.
    expect(await lastSeen()).toEqual(signedInAt);
    time.forward(100 * MINUTE);
    expect((await c.get('/espace/compte')).status).toBe(200);
    expect(await lastSeen()).not.toEqual(signedInAt);
    // 3 h 40 after sign-in, 1 h 50 after the last use: still open.
    time.forward(110 * MINUTE);
    expect((await c.get('/espace/compte')).status).toBe(200);
    time.forward(2 * HOUR + MINUTE);
    expect((await c.get('/espace/compte')).status).toBe(303);
  });

  it('ends a session older than the cap whatever its stored end (one opened under a longer cap, before a deploy)', async () => {
    const { c } = await signedIn();
    await t.dataSource.query(
      `UPDATE staff_sessions SET created_at = now() - interval '13 hours', expires_at = now() + interval '6 days', last_seen_at = now()`,
    );
    expect((await c.get('/espace/compte')).status).toBe(303);
  });

  it('sets the session cookie for the 12 hours at most', async () => {
    const { email } = await insertStaff(t.dataSource, { role: 'admin' });
    const c = new StaffClient(t.url);
    const page = await c.get('/connexion');
    const response = await c.post('/connexion', { _csrf: csrfIn(await page.text()), email, password: STAFF_PASSWORD });
    expect(response.headers.getSetCookie().find((line) => line.startsWith('gv_session='))).toMatch(/Max-Age=43200;/);
  });

  it('a form sent after the session ended: the sign-in page says nothing was saved, shows the text and help items, and returns to the form', async () => {
    const { c, email } = await signedIn();
    time.forward(2 * HOUR + MINUTE);

    const answer = await postAnswer(c, {
      _csrf: 'stale',
      body: TYPED,
      'items[0][type]': 'guide',
      'items[0][title]': 'Guide',
      'items[1][type]': 'regulation',
      'items[1][legalReferenceCode]': 'ccp-l2111-1',
      'items[1][details]': 'Votre <b>besoin</b>',
    });
    expect(answer.status).toBe(401);
    const html = await answer.text();
    expect(html).toContain('Votre session a expiré');
    expect(html).toContain('Ce que vous venez d’envoyer n’a pas été enregistré.');
    // The text under its field's own label, the help items chosen by the labels the form showed (never a code).
    expect(html).toContain('<label class="fr-label" for="texte-saisi-1">Votre réponse ou complément</label>');
    expect(typedIn(html)).toBe(TYPED_ESCAPED);
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain(
      '<ul id="aides-saisies"><li>Guide ou document : Guide</li><li>Rappel réglementaire : Code de la commande publique, art. L2111-1 — ' +
        'Définition préalable du besoin en prenant en compte des objectifs de développement durable — Votre &lt;b&gt;besoin&lt;/b&gt;</li></ul>',
    );
    expect(html).not.toContain('ccp-l2111-1');
    // Signing in from it leads back to the answer's section of the request's page.
    const retour = `${REQUEST_PAGE}#titre-reponse`;
    expect(html).toContain(`<input type="hidden" name="retour" value="${retour}">`);
    const back = await c.post('/connexion', { _csrf: csrfIn(html), email, password: STAFF_PASSWORD, retour });
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe(retour);
  });

  it('a plain form too (a note, a close message), and a form sent to its own page returns there', async () => {
    const { c } = await signedIn();
    time.forward(2 * HOUR + MINUTE);
    const note = await c.post(`${REQUEST_PAGE}/notes`, { _csrf: 'stale', body: 'Acheteur rappelé mardi.' });
    expect(note.status).toBe(401);
    const noteHtml = await note.text();
    expect(noteHtml).toContain('>\nAcheteur rappelé mardi.</textarea>');
    expect(noteHtml).toContain(`name="retour" value="${REQUEST_PAGE}#titre-note"`);

    const close = await c.post(`${REQUEST_PAGE}/cloture`, { _csrf: 'stale', reason: 'redirected', message: 'Voyez la CCI.' });
    const closeHtml = await close.text();
    expect(closeHtml).toContain('<label class="fr-label" for="texte-saisi-1">Message à l’acheteur</label>');
    expect(closeHtml).not.toContain('>\nredirected</textarea>');

    const transfer = await c.post(`${REQUEST_PAGE}/transfert`, { _csrf: 'stale', reason: 'Hors de mon territoire.' });
    expect(await transfer.text()).toContain(`name="retour" value="${REQUEST_PAGE}/transfert"`);
    const token = await c.post('/espace/compte/jetons/abc/revocation', { _csrf: 'stale' });
    expect(token.status).toBe(401);
    expect(await token.text()).toContain('name="retour" value="/espace/compte"');
  });

  it('gives back a one-word reason typed in the transfer form: a text, though it looks like a list’s code', async () => {
    const { c } = await signedIn();
    time.forward(2 * HOUR + MINUTE);
    const transfer = await c.post(`${REQUEST_PAGE}/transfert`, { _csrf: 'stale', formToken: 'jeton', reason: 'doublon' });
    expect(transfer.status).toBe(401);
    const html = await transfer.text();
    expect(html).toContain('<label class="fr-label" for="texte-saisi-1">Motif du transfert</label>');
    expect(typedIn(html)).toBe('doublon');
    expect(html).not.toContain('jeton');
  });

  it('shows no text posted from another site (Sec-Fetch-Site): only this site’s forms are given back', async () => {
    const { c } = await signedIn();
    time.forward(2 * HOUR + MINUTE);
    const planted = await c.post(`${REQUEST_PAGE}/notes`, { body: 'Appelez vite le 08 99 00 00 00.' }, { 'sec-fetch-site': 'cross-site' });
    expect(planted.status).toBe(401);
    const html = await planted.text();
    expect(html).not.toContain('08 99 00 00 00');
    expect(html).toContain(`name="retour" value="${REQUEST_PAGE}#titre-note"`);
  });

  it('refuses a return path to another site, from the form or the sign-in', async () => {
    const { c, email } = await signedIn();
    time.forward(2 * HOUR + MINUTE);
    const expired = await c.post(`${REQUEST_PAGE}/notes?retour=//evil.example`, {
      _csrf: 'stale',
      body: 'Texte.',
      retour: 'https://evil.example/',
    });
    const html = await expired.text();
    expect(html).toContain(`name="retour" value="${REQUEST_PAGE}#titre-note"`);
    expect(html).not.toContain('evil.example');
    for (const retour of ['https://evil.example/', '//evil.example', '/\\evil.example', 'javascript:alert(1)']) {
      const response = await c.post('/connexion', { _csrf: csrfIn(html), email, password: STAFF_PASSWORD, retour });
      expect([retour, response.headers.get('location')]).toEqual([retour, '/espace']);
    }
  });

  it('keeps the 401 JSON for API clients', async () => {
    const { c } = await signedIn();
    time.forward(2 * HOUR + MINUTE);
    const api = await fetch(`${t.url}/api/v1/staff/requests/GV-2026-000042/notes`, {
      method: 'POST',
      headers: { cookie: c.jar.header(), 'content-type': 'application/json' },
      body: JSON.stringify({ body: 'Texte.' }),
    });
    expect(api.status).toBe(401);
    expect(await api.json()).toMatchObject({ statusCode: 401, code: 'unauthorized' });
  });

  it('a form whose token expired: shows its text and leads back to its page, rather than « reload »', async () => {
    const { c } = await signedIn();
    const note = await c.post(`${REQUEST_PAGE}/notes`, { _csrf: 'stale', body: TYPED });
    expect(note.status).toBe(400);
    const html = await note.text();
    expect(html).toContain('Le formulaire a expiré. Ce que vous avez envoyé n’a pas été enregistré.');
    expect(html).not.toContain('Rechargez');
    expect(typedIn(html)).toBe(TYPED_ESCAPED);
    expect(html).toContain(`<a class="fr-btn" id="retour-formulaire" href="${REQUEST_PAGE}#titre-note">Revenir au formulaire</a>`);
    // The answer (multipart) is checked by its handler: the same page.
    const answer = await postAnswer(c, { _csrf: 'stale', body: 'Ma réponse.', 'items[0][type]': 'guide', 'items[0][title]': 'Guide' });
    expect(answer.status).toBe(400);
    const answerHtml = await answer.text();
    expect(answerHtml).toContain(`<title>Formulaire expiré — GV-2026-000042 — Guichet vert</title>`);
    expect(answerHtml).toContain('>\nMa réponse.</textarea>');
    expect(answerHtml).toContain('<ul id="aides-saisies"><li>Guide ou document : Guide</li></ul>');
    expect(answerHtml).toContain(`href="${REQUEST_PAGE}#titre-reponse">Revenir au formulaire`);
  });
});
