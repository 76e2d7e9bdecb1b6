import argon2 from 'argon2';
import { Writable } from 'node:stream';
import { usersCreate, usersToken } from '../../src/cli/users.command';
import { Clock } from '../../src/common/clock';
import { AccountsService } from '../../src/modules/accounts/accounts.service';
import { StaffAuthService } from '../../src/modules/accounts/staff-auth.service';
import { RoutingService } from '../../src/modules/routing/routing.service';
import { mailsTo, submittedAndTaken } from '../support/conversation';
import { insertFacilitator } from '../support/facilitators';
import { csrfIn, insertStaff, STAFF_PASSWORD, StaffClient } from '../support/staff';
import { startTestApp, submitRequest, TestApp, useTestApp } from '../support/test-app';

const WRONG = 'Adresse électronique ou mot de passe incorrect.';
const HOUR = 3600 * 1000;
/** The tests that check 20 to 57 passwords with argon2 (its real cost, on purpose): a loaded machine takes minutes. */
const ARGON2_BUDGET_MS = 180_000;

describe('staff accounts', () => {
  let t!: TestApp;
  let travelled = 0;
  const travel = (ms: number) => {
    t.app.get(Clock).travel(ms);
    travelled += ms;
  };
  const client = () => new StaffClient(t.url);
  const signedIn = async (email: string) => {
    const c = client();
    expect((await c.signIn(email)).status).toBe(303);
    return c;
  };
  const lastMail = async (template: string) => (await mailsTo(t, template)).at(-1);
  const linkIn = (text: string) => new URL(text.match(/http:\/\/\S+\/mot-de-passe\/nouveau\/\S+/)![0]).pathname;
  const capture = () => {
    let out = '';
    const stream = new Writable({
      write(chunk, _encoding, callback) {
        out += String(chunk);
        callback();
      },
    });
    return { io: { stdout: stream, stderr: stream }, out: () => out };
  };

  useTestApp((app) => (t = app));
  afterEach(() => {
    t.app.get(Clock).travel(-travelled);
    travelled = 0;
  });

  describe('the accounts list', () => {
    it('orders names as a French reader expects, counts them, and pages them 50 at a time, keeping the filters', async () => {
      const names = ['Zidane', 'Œuvray', 'Étienne', 'Émery', 'Ében', 'Çelik', 'd’Arcy', 'de La Tour'];
      // 50 more, after them all: 58 animator accounts, two pages.
      await t.dataSource.query(
        `INSERT INTO staff_users (id, email, first_name, last_name, role, active)
         SELECT gen_random_uuid(), 'compte-' || n || '@example.org', 'Lou', name, 'animator', true
           FROM unnest($1::text[]) WITH ORDINALITY AS named(name, n)
         UNION ALL
         SELECT gen_random_uuid(), 'suite-' || n || '@example.org', 'Lou', 'Zz' || lpad(n::text, 2, '0'), 'animator', true
           FROM generate_series(1, 50) AS n`,
        [names],
      );
      const { email } = await insertStaff(t.dataSource, { role: 'admin' });
      const admin = await signedIn(email);
      const listed = (html: string) => [...html.matchAll(/<tr>\s*<td>Lou ([^<]+)<\/td>/g)].map((m) => m[1]);

      const first = await (await admin.get('/espace/comptes?role=animator')).text();
      expect(first).toContain('Comptes que vous gérez : 58 sur 58 (page 1 sur 2)');
      expect(listed(first)).toHaveLength(50);
      expect(listed(first).slice(0, 9)).toEqual(['Çelik', 'd’Arcy', 'de La Tour', 'Ében', 'Émery', 'Étienne', 'Œuvray', 'Zidane', 'Zz01']);
      expect(first).toContain('href="/espace/comptes?role=animator&amp;page=2">Page suivante');
      expect(first).not.toContain('Page précédente');

      const second = await (await admin.get('/espace/comptes?role=animator&page=2')).text();
      expect(listed(second)).toEqual(['Zz43', 'Zz44', 'Zz45', 'Zz46', 'Zz47', 'Zz48', 'Zz49', 'Zz50']);
      expect(second).toContain('href="/espace/comptes?role=animator">Page précédente');
      expect(second).not.toContain('Page suivante');
      // A page past the end shows the last one.
      expect(listed(await (await admin.get('/espace/comptes?page=9')).text())).toHaveLength(8);
    });

    it('warns an admin of the networks no signed-up animator runs, whose alerts go to a contact address', async () => {
      const { email } = await insertStaff(t.dataSource, { role: 'admin' });
      const admin = await signedIn(email);
      const warning = async () =>
        /id="reseaux-sans-animateur">([\s\S]*?)<\/div>/.exec(await (await admin.get('/espace/comptes')).text())?.[1];
      expect(await warning()).toContain('12 réseaux sans animateur inscrit');

      const { email: animatorEmail } = await insertStaff(t.dataSource, { role: 'animator', networks: ['reseco'] });
      await insertStaff(t.dataSource, { role: 'animator', networks: ['3ar'], password: null });
      const after = await warning();
      expect(after).toContain('11 réseaux sans animateur inscrit');
      expect(after).not.toContain('RESECO');
      // Invited, not signed up yet: the alerts still go to the contact address.
      expect(after).toContain('3AR');
      expect(after).toContain('<a href="#titre-invitation">Invitez un animateur</a> pour chacun.');
      // An animator runs their networks: nothing to warn them of.
      expect(await (await (await signedIn(animatorEmail)).get('/espace/comptes')).text()).not.toContain('reseaux-sans-animateur');
    });
  });

  describe('sign-in', () => {
    it('opens a session with a safe cookie and goes back to the page asked for', async () => {
      const { email } = await insertStaff(t.dataSource, { role: 'admin' });
      const c = client();
      const response = await c.signIn(email.toUpperCase(), STAFF_PASSWORD, '/espace/compte');
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/espace/compte');
      const cookie = response.headers.getSetCookie().find((line) => line.startsWith('gv_session='))!;
      expect(cookie).toMatch(/; Path=\//);
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Lax/);
      expect(cookie).not.toMatch(/Secure/);
      const page = await c.get('/espace/compte');
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(email);
      const [row] = await t.dataSource.query(
        `SELECT token_hash, last_sign_in_at FROM staff_sessions s JOIN staff_users u ON u.id = s.user_id`,
      );
      expect(row.last_sign_in_at).not.toBeNull();
      expect(row.token_hash.toString('base64url')).not.toBe(c.jar.get('gv_session'));
    });

    it('marks the cookie Secure behind a TLS proxy', async () => {
      const { email } = await insertStaff(t.dataSource, { role: 'admin' });
      t.app.set('trust proxy', 1);
      try {
        const c = client();
        const page = await c.get('/connexion', { 'x-forwarded-proto': 'https' });
        const response = await c.post(
          '/connexion',
          { _csrf: csrfIn(await page.text()), email, password: STAFF_PASSWORD },
          { 'x-forwarded-proto': 'https' },
        );
        expect(response.headers.getSetCookie().find((line) => line.startsWith('gv_session='))).toMatch(/; Secure/);
      } finally {
        t.app.set('trust proxy', 0);
      }
    });

    it('marks the cookies Secure when the service’s address is https, its proxy untrusted (TRUST_PROXY left at 0)', async () => {
      const https = await startTestApp({ PUBLIC_URL: 'https://guichet-vert.example.fr' });
      try {
        const { email } = await insertStaff(https.dataSource, { role: 'admin' });
        const c = new StaffClient(https.url);
        const page = await c.get('/connexion');
        expect(page.headers.getSetCookie().find((line) => line.startsWith('gv_presession='))).toMatch(/; Secure/);
        const response = await c.post('/connexion', { _csrf: csrfIn(await page.text()), email, password: STAFF_PASSWORD });
        expect(response.headers.getSetCookie().find((line) => line.startsWith('gv_session='))).toMatch(/; Secure/);
      } finally {
        await https.close();
      }
      // An http address, as a newcomer's: none.
      expect((await client().get('/connexion')).headers.getSetCookie().join('\n')).not.toMatch(/Secure/);
    });

    it.each([['//evil.example/'], ['https://evil.example/'], ['/\\evil.example']])('ignores the return address %s', async (retour) => {
      const { email } = await insertStaff(t.dataSource, { role: 'admin' });
      expect((await client().signIn(email, STAFF_PASSWORD, retour)).headers.get('location')).toBe('/espace');
    });

    it('says the same, with the same status, whatever is wrong', async () => {
      const known = await insertStaff(t.dataSource, { role: 'admin' });
      const inactive = await insertStaff(t.dataSource, { role: 'admin', active: false });
      const pending = await insertStaff(t.dataSource, { role: 'admin', password: null });
      for (const [email, password] of [
        [known.email, 'pas-le-bon-mot-de-passe'],
        ['personne@example.org', STAFF_PASSWORD],
        [inactive.email, STAFF_PASSWORD],
        [pending.email, STAFF_PASSWORD],
      ]) {
        const response = await client().signIn(email, password);
        expect(response.status).toBe(401);
        const html = await response.text();
        expect(html).toContain(WRONG);
        expect(html).not.toContain(password);
        expect(response.headers.getSetCookie().some((line) => line.startsWith('gv_session='))).toBe(false);
      }
    });

    it('throttles an account, from the place of 5 failures (429, Retry-After), even with the right password', async () => {
      const { email } = await insertStaff(t.dataSource, { role: 'admin' });
      for (let i = 0; i < 5; i++) expect((await client().signIn(email, `mauvais-${i}-mot-de-passe`)).status).toBe(401);
      const refused = await client().signIn(email);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(800);
      expect(await refused.text()).toContain('Trop de tentatives');
      // Another account from the same address is not concerned.
      const other = await insertStaff(t.dataSource, { role: 'admin' });
      expect((await client().signIn(other.email)).status).toBe(303);
      travel(16 * 60 * 1000);
      expect((await client().signIn(email)).status).toBe(303);
    });

    it(
      'a place that guessed wrong five times cannot lock the person out from elsewhere; many places together can',
      async () => {
        const behindProxy = await startTestApp({ TRUST_PROXY: '1' });
        try {
          const { email } = await insertStaff(behindProxy.dataSource, { role: 'admin' });
          const signInFrom = async (address: string, password: string) => {
            const c = new StaffClient(behindProxy.url);
            const from = { 'x-forwarded-for': address };
            const page = await c.get('/connexion', from);
            return c.post('/connexion', { _csrf: csrfIn(await page.text()), email, password }, from);
          };
          for (let i = 0; i < 5; i++) expect((await signInFrom('203.0.113.7', `mauvais-${i}-mot-de-passe`)).status).toBe(401);
          expect((await signInFrom('203.0.113.7', STAFF_PASSWORD)).status).toBe(429);
          expect((await signInFrom('198.51.100.20', STAFF_PASSWORD)).status).toBe(303);

          // Guesses spread over many places: the account's own limit (50 in 15 minutes) holds them all back.
          for (let i = 0; i < 50; i++) {
            expect((await signInFrom(`192.0.2.${i}`, `mauvais-${i}-mot-de-passe`)).status).toBe(401);
          }
          expect((await signInFrom('198.51.100.21', STAFF_PASSWORD)).status).toBe(429);
        } finally {
          await behindProxy.close();
        }
      },
      ARGON2_BUDGET_MS,
    );

    it(
      'throttles one address after 20 failures, whatever the accounts tried',
      async () => {
        const { email } = await insertStaff(t.dataSource, { role: 'admin' });
        for (let i = 0; i < 20; i++) expect((await client().signIn(`inconnu-${i}@example.org`, 'mot-de-passe-au-hasard')).status).toBe(401);
        const refused = await client().signIn(email);
        expect(refused.status).toBe(429);
        expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      },
      ARGON2_BUDGET_MS,
    );

    it('refuses a sign-in form without its anti-forgery token, or with another browser’s', async () => {
      const { email } = await insertStaff(t.dataSource, { role: 'admin' });
      const bare = await client().post('/connexion', { email, password: STAFF_PASSWORD });
      expect(bare.status).toBe(400);
      expect(await bare.text()).toContain('Le formulaire a expiré');
      const other = client();
      const token = csrfIn(await (await other.get('/connexion')).text());
      const c = client();
      await c.get('/connexion');
      expect((await c.post('/connexion', { _csrf: token, email, password: STAFF_PASSWORD })).status).toBe(400);
    });
  });

  describe('sessions', () => {
    it('sends a visitor without session to sign in, and an API client to 401 JSON', async () => {
      const page = await client().get('/espace/compte?onglet=jetons');
      expect(page.status).toBe(303);
      expect(page.headers.get('location')).toBe('/connexion?retour=%2Fespace%2Fcompte%3Fonglet%3Djetons');
      const api = await client().get('/api/v1/facilitators');
      expect(api.status).toBe(401);
      expect(api.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await api.json()).toMatchObject({ statusCode: 401, code: 'unauthorized' });
    });

    it('signs out: the session row is revoked, the old cookie no longer works', async () => {
      const { email } = await insertStaff(t.dataSource, { role: 'admin' });
      const c = await signedIn(email);
      const cookie = c.jar.get('gv_session')!;
      const page = await c.get('/espace/compte');
      const out = await c.post('/deconnexion', { _csrf: csrfIn(await page.text()) });
      expect(out.status).toBe(303);
      expect(out.headers.get('location')).toBe('/connexion?deconnecte=1');
      c.jar.set('gv_session', cookie);
      expect((await c.get('/espace/compte')).status).toBe(303);
      expect((await t.dataSource.query(`SELECT revoked_at FROM staff_sessions`))[0].revoked_at).not.toBeNull();
    });

    it('refuses a staff form without the CSRF token or with a wrong one', async () => {
      const { email } = await insertStaff(t.dataSource, { role: 'admin' });
      const c = await signedIn(email);
      for (const form of [{}, { _csrf: 'x'.repeat(43) }] as Array<Record<string, string>>) {
        const response = await c.post('/espace/compte/jetons', { ...form, label: 'Script' });
        expect(response.status).toBe(400);
        expect(await response.text()).toContain('Le formulaire a expiré');
      }
      expect(await t.dataSource.query(`SELECT id FROM api_tokens`)).toEqual([]);
    });

    // The defaults (STAFF_SESSION_IDLE_MINUTES, STAFF_SESSION_MAX_HOURS); staff-session-expiry.test.ts says more.
    it('ends after 2 idle hours, and after 12 hours whatever the activity', async () => {
      const { email } = await insertStaff(t.dataSource, { role: 'admin' });
      const idle = await signedIn(email);
      travel(HOUR + 50 * 60_000);
      expect((await idle.get('/espace/compte')).status).toBe(200);
      travel(2 * HOUR + 60_000);
      expect((await idle.get('/espace/compte')).status).toBe(303);

      const busy = await signedIn(email);
      for (let elapsed = 0; elapsed < 12 * HOUR - HOUR; elapsed += HOUR) {
        travel(HOUR);
        expect((await busy.get('/espace/compte')).status).toBe(200);
      }
      travel(HOUR);
      expect((await busy.get('/espace/compte')).status).toBe(303);
    });

    it('rotates the session at sign-in: the previous one stops working', async () => {
      const { email } = await insertStaff(t.dataSource, { role: 'admin' });
      const c = await signedIn(email);
      const before = c.jar.get('gv_session')!;
      expect((await c.signIn(email)).status).toBe(303);
      expect(c.jar.get('gv_session')).not.toBe(before);
      const old = client();
      old.jar.set('gv_session', before);
      expect((await old.get('/espace/compte')).status).toBe(303);
    });
  });

  describe('invitations and password links', () => {
    it('an animator who answers requests too: their account takes the facilitator record of their address, no second account', async () => {
      const animator = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'], email: 'camille.anim@example.org' });
      const record = await insertFacilitator(t.dataSource, { network: 'aura-ee', email: 'camille.anim@example.org' });
      const admin = await insertStaff(t.dataSource, { role: 'admin' });
      const c = await signedIn(admin.email);
      const linked = await c.submit('/espace/comptes', '/espace/comptes', { email: 'camille.anim@example.org', role: 'facilitator' });
      expect(linked.headers.get('location')).toBe('/espace/comptes?fait=rattachement');
      expect(await (await c.get('/espace/comptes?fait=rattachement')).text()).toContain('sa fiche de facilitateur lui est rattachée');
      expect(await t.dataSource.query(`SELECT role, facilitator_id FROM staff_users WHERE id = $1`, [animator.id])).toEqual([
        { role: 'animator', facilitator_id: record },
      ]);
      expect(await lastMail('staff-invitation')).toBeUndefined();

      // What routing gives the record, the animator takes in charge and answers with their own account.
      const reference = await submitRequest(t, 31);
      await t.dataSource.query(
        `WITH r AS (UPDATE requests SET status = 'assigned', assigned_facilitator_id = $2 WHERE reference = $1 RETURNING id)
         INSERT INTO request_assignments (id, request_id, facilitator_id, assigned_at, take_charge_due_at)
         SELECT gen_random_uuid(), r.id, $2, now(), now() + interval '2 days' FROM r`,
        [reference, record],
      );
      await t.dataSource.query(`UPDATE facilitators SET open_count = 1 WHERE id = $1`, [record]);
      const bearer = `Bearer ${await t.app.get(StaffAuthService).createApiToken(animator.id, 'tests')}`;
      const act = (action: string, body: unknown) =>
        fetch(`${t.url}/api/v1/staff/requests/${reference}/${action}`, {
          method: 'POST',
          headers: { authorization: bearer, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      expect((await act('take-charge', {})).status).toBe(200);
      expect((await act('answer', { body: 'Voici la réponse de l’animatrice.' })).status).toBe(200);
      expect((await t.dataSource.query(`SELECT status FROM requests WHERE reference = $1`, [reference]))[0].status).toBe('answered');

      // A record added later at an animator's address of its network is theirs at once: nothing to invite.
      const later = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'], email: 'dominique.anim@example.org' });
      const added = await fetch(`${t.url}/api/v1/facilitators`, {
        method: 'POST',
        headers: { authorization: bearer, 'content-type': 'application/json' },
        body: JSON.stringify({
          email: 'dominique.anim@example.org',
          firstName: 'Dominique',
          lastName: 'Anim',
          kind: 'environmental',
          networkCode: 'aura-ee',
          capacity: 5,
        }),
      });
      expect(added.status).toBe(201);
      const { id: addedRecord } = await added.json();
      expect(await t.dataSource.query(`SELECT facilitator_id FROM staff_users WHERE id = $1`, [later.id])).toEqual([
        { facilitator_id: addedRecord },
      ]);

      // An animator of another network keeps the usual refusal: one address, one account, one role.
      await insertStaff(t.dataSource, { role: 'animator', networks: ['reseco'], email: 'autre.anim@example.org' });
      await insertFacilitator(t.dataSource, { network: 'aura-ee', email: 'autre.anim@example.org' });
      const refused = await c.submit('/espace/comptes', '/espace/comptes', { email: 'autre.anim@example.org', role: 'facilitator' });
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain('Un compte existe déjà pour cette adresse, avec le rôle « animateur de réseau »');
    });

    it('an animator holding a record keeps its network: taking it away is refused, naming it', async () => {
      const record = await insertFacilitator(t.dataSource, { network: 'reseco', email: 'lou.anim@example.org' });
      const animator = await insertStaff(t.dataSource, {
        role: 'animator',
        networks: ['aura-ee', 'reseco'],
        email: 'lou.anim@example.org',
        facilitatorId: record,
      });
      const networksOf = async () =>
        (await t.dataSource.query(`SELECT network_code FROM staff_user_networks WHERE user_id = $1 ORDER BY 1`, [animator.id])).map(
          (row: { network_code: string }) => row.network_code,
        );
      const c = await signedIn((await insertStaff(t.dataSource, { role: 'admin' })).email);
      const path = `/espace/comptes/${animator.id}/reseaux`;
      const refused = await c.submit(path, path, { networkCodes: 'aura-ee' });
      expect(refused.status).toBe(409);
      const html = await refused.text();
      expect(html).toContain('Ce compte tient la fiche de facilitateur de son adresse, du réseau « RESECO » : gardez ce réseau');
      expect(html).toContain('href="#f-networkCodes"');
      expect(await networksOf()).toEqual(['aura-ee', 'reseco']);
      // Another network may go, the record's staying.
      expect((await c.submit(path, path, { networkCodes: 'reseco' })).status).toBe(303);
      expect(await networksOf()).toEqual(['reseco']);
    });

    it('invites an admin or an animator at a record’s address only when the account can hold it, and then it does', async () => {
      const record = await insertFacilitator(t.dataSource, { network: 'reseco', email: 'fiche@example.org' });
      const c = await signedIn((await insertStaff(t.dataSource, { role: 'admin' })).email);
      const invite = (form: Record<string, string>) =>
        c.submit('/espace/comptes', '/espace/comptes', { email: 'fiche@example.org', firstName: 'Noé', lastName: 'Fiche', ...form });
      for (const form of [{ role: 'admin' }, { role: 'animator', networkCodes: 'aura-ee' }] as Array<Record<string, string>>) {
        // The invitation form shows every refusal with 400, as it always has; the service's is a conflict on the address.
        const refused = await invite(form);
        expect(refused.status).toBe(400);
        expect(await refused.text()).toContain('Cette adresse est celle d’une fiche de facilitateur du réseau « RESECO »');
      }
      await expect(
        t.app.get(AccountsService).invite({ email: 'fiche@example.org', role: 'admin', firstName: 'N', lastName: 'F' }, null),
      ).rejects.toMatchObject({
        code: 'conflict',
        errors: [{ field: 'email', message: expect.stringContaining('« RESECO »') }],
      });
      expect(await t.dataSource.query(`SELECT 1 FROM staff_users WHERE email = 'fiche@example.org'`)).toEqual([]);
      // Another network's animator inviting learns that the address is taken, not whose directory has it.
      const foreign = await signedIn((await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] })).email);
      const hidden = await foreign.submit('/espace/comptes', '/espace/comptes', {
        email: 'fiche@example.org',
        firstName: 'Noé',
        lastName: 'Fiche',
        role: 'animator',
        networkCodes: 'aura-ee',
      });
      expect(hidden.status).toBe(400);
      const hiddenHtml = await hidden.text();
      expect(hiddenHtml).toContain('Cette adresse est déjà celle d’une fiche de facilitateur de l’annuaire.');
      expect(hiddenHtml).not.toContain('RESECO');
      // An animator of the record's network is invited as usual, and their account holds it.
      const linked = await invite({ role: 'animator', networkCodes: 'reseco' });
      expect(linked.headers.get('location')).toBe('/espace/comptes?fait=invitation');
      expect(await t.dataSource.query(`SELECT role, facilitator_id FROM staff_users WHERE email = 'fiche@example.org'`)).toEqual([
        { role: 'animator', facilitator_id: record },
      ]);
      expect((await lastMail('staff-invitation'))?.recipient).toBe('fiche@example.org');
    });

    it('the list says when each account last signed in, and sends a pending invitation again with a fresh link', async () => {
      const admin = await insertStaff(t.dataSource, { role: 'admin' });
      const c = await signedIn(admin.email);
      expect(
        (
          await c.submit('/espace/comptes', '/espace/comptes', {
            email: 'lent@example.org',
            role: 'animator',
            firstName: 'Léo',
            lastName: 'Lent',
            networkCodes: 'reseco',
          })
        ).status,
      ).toBe(303);
      const firstLink = linkIn((await lastMail('staff-invitation'))!.text_body);
      const seen = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] });
      await signedIn(seen.email);
      await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] });
      const list = (await (await c.get('/espace/comptes')).text()).replace(/\s+/g, ' ');
      // Who signed in and when, who never did, and the one invited whose invitation may be sent again.
      expect(list).toMatch(/actif<br><span class="fr-text--sm">dernière connexion le \d{1,2}(er)? \S+ \d{4} à \d{1,2}:\d{2}<\/span>/);
      expect(list).toContain('actif<br><span class="fr-text--sm">jamais connecté</span>');
      expect(list).toContain('Renvoyer l’invitation<span class="fr-sr-only"> de Léo Lent</span>');

      expect(
        (await c.submit('/espace/comptes', '/espace/comptes', { email: 'lent@example.org', role: 'animator', networkCodes: 'reseco' }))
          .status,
      ).toBe(303);
      const mails = await mailsTo(t, 'staff-invitation');
      expect(mails.map((m) => m.recipient)).toEqual(['lent@example.org', 'lent@example.org']);
      const secondLink = linkIn(mails[1].text_body);
      expect(secondLink).not.toBe(firstLink);
      expect((await client().get(firstLink)).status).toBe(404);
      expect((await client().get(secondLink)).status).toBe(200);
      expect(
        await t.dataSource.query(
          `SELECT array_agg(n.network_code::text) AS network_codes FROM staff_user_networks n JOIN staff_users u ON u.id = n.user_id WHERE u.email = 'lent@example.org'`,
        ),
      ).toEqual([{ network_codes: ['reseco'] }]);
    });

    it('admin invites: e-mail with a single-use link, password set, signed in, then signs in again', async () => {
      const admin = await insertStaff(t.dataSource, { role: 'admin' });
      const c = await signedIn(admin.email);
      const invited = await c.submit('/espace/comptes', '/espace/comptes', {
        email: 'Nouvel.Animateur@Example.org',
        firstName: 'Noé',
        lastName: 'Animateur',
        role: 'animator',
        networkCodes: ['aura-ee', 'res-occ'],
      });
      expect(invited.status).toBe(303);
      const mail = (await lastMail('staff-invitation'))!;
      expect(mail.recipient).toBe('nouvel.animateur@example.org');
      // Whom they will work with, named.
      expect(mail.text_body).toContain('comme animateur de réseau, pour les réseaux AURA-EE / RREDD, Rés’Occ.');
      const link = linkIn(mail.text_body);

      const invitee = client();
      const form = await invitee.get(link);
      expect(form.status).toBe(200);
      const html = await form.text();
      expect(html).toContain('nouvel.animateur@example.org');
      const short = await invitee.post(link, { _csrf: csrfIn(html), password: 'trop-court' });
      expect(short.status).toBe(400);
      expect(await short.text()).toContain('au moins 12 caractères');
      expect((await invitee.get(link)).status).toBe(200);

      const done = await invitee.post(link, { _csrf: csrfIn(html), password: 'ma-nouvelle-phrase-secrete' });
      expect(done.status).toBe(303);
      expect(done.headers.get('location')).toBe('/espace');
      expect((await invitee.get('/espace/compte')).status).toBe(200);
      expect((await client().get(link)).status).toBe(404);
      expect((await client().signIn('nouvel.animateur@example.org', 'ma-nouvelle-phrase-secrete')).status).toBe(303);
      const [account] = await t.dataSource.query(
        `SELECT role, ARRAY(SELECT network_code::text FROM staff_user_networks n WHERE n.user_id = u.id ORDER BY 1) AS networks FROM staff_users u WHERE email = $1`,
        ['nouvel.animateur@example.org'],
      );
      expect(account).toEqual({ role: 'animator', networks: ['aura-ee', 'res-occ'] });
      // The link's single-use token is in its path: the request log masks it.
      const linkToken = link.split('/').pop()!;
      expect(t.logs.some((line) => line.includes('/mot-de-passe/nouveau/…'))).toBe(true);
      expect(t.logs.filter((line) => line.includes(linkToken))).toEqual([]);
    });

    it('re-inviting an account without password sends a new link and voids the old one; links expire after 7 days', async () => {
      const admin = await insertStaff(t.dataSource, { role: 'admin' });
      const c = await signedIn(admin.email);
      const invite = () =>
        c.submit('/espace/comptes', '/espace/comptes', { email: 'x@example.org', firstName: 'X', lastName: 'Y', role: 'admin' });
      expect((await invite()).status).toBe(303);
      const first = linkIn((await lastMail('staff-invitation'))!.text_body);
      expect((await invite()).status).toBe(303);
      const second = linkIn((await lastMail('staff-invitation'))!.text_body);
      expect(second).not.toBe(first);
      expect((await client().get(first)).status).toBe(404);
      expect((await client().get(second)).status).toBe(200);
      travel(7 * 24 * HOUR + 60_000);
      const expired = await client().get(second);
      expect(expired.status).toBe(404);
      expect(await expired.text()).toContain('Page introuvable');
    });

    it('lets an animator invite in their networks only, never an admin', async () => {
      const animator = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] });
      await insertFacilitator(t.dataSource, { email: 'facilitatrice@example.org', network: 'aura-ee' });
      await insertFacilitator(t.dataSource, { email: 'ailleurs@example.org', network: 'res-occ' });
      const c = await signedIn(animator.email);
      const page = await (await c.get('/espace/comptes')).text();
      expect(page).not.toContain('value="admin"');
      // Their one network is the one an animator they invite would animate.
      expect(page).toContain('id="f-networkCodes-aura-ee" name="networkCodes" value="aura-ee" checked>');
      const invite = (form: Record<string, string | string[]>) => c.submit('/espace/comptes', '/espace/comptes', form);
      expect((await invite({ email: 'facilitatrice@example.org', role: 'facilitator' })).status).toBe(303);
      expect(
        (await invite({ email: 'a@example.org', firstName: 'A', lastName: 'B', role: 'animator', networkCodes: 'res-occ' })).status,
      ).toBe(404);
      expect((await invite({ email: 'b@example.org', firstName: 'A', lastName: 'B', role: 'admin' })).status).toBe(404);
      // Another network's directory reads as unknown: the same answer, word for word.
      const unknown = await invite({ email: 'inconnu@example.org', role: 'facilitator' });
      const elsewhere = await invite({ email: 'ailleurs@example.org', role: 'facilitator' });
      expect([unknown.status, elsewhere.status]).toEqual([400, 400]);
      const unknownText = await unknown.text();
      expect(unknownText).toContain('Aucun facilitateur de l’annuaire n’a cette adresse');
      // Word for word but for the per-page tokens (CSRF, and each form's one-time token).
      const tokensOut = (html: string) => html.replace(/name="(_csrf|formToken)" value="[^"]*"/g, '');
      expect(tokensOut(await elsewhere.text())).toBe(tokensOut(unknownText).replace(/inconnu@example\.org/g, 'ailleurs@example.org'));
      // An account beyond their networks: that it exists, not its role.
      const admin = await insertStaff(t.dataSource, { role: 'admin' });
      const adminAsFacilitator = await invite({ email: admin.email, role: 'facilitator' });
      const adminText = await adminAsFacilitator.text();
      expect(adminText).toContain('Un compte existe déjà pour cette adresse.');
      expect(adminText).not.toContain('administrateur');
      expect((await t.dataSource.query(`SELECT email FROM staff_users ORDER BY email`)).map((r: { email: string }) => r.email)).toEqual(
        [animator.email, admin.email, 'facilitatrice@example.org'].sort(),
      );
      expect((await c.get('/espace/comptes')).status).toBe(200);
    });

    it('hides the accounts pages from facilitators (404)', async () => {
      const facilitatorId = await insertFacilitator(t.dataSource, { email: 'f@example.org' });
      await insertStaff(t.dataSource, { role: 'facilitator', email: 'f@example.org', facilitatorId });
      const c = await signedIn('f@example.org');
      expect((await c.get('/espace/comptes')).status).toBe(404);
    });

    it('deactivating an account ends its sessions and API tokens', async () => {
      const admin = await insertStaff(t.dataSource, { role: 'admin' });
      const target = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] });
      const victim = await signedIn(target.email);
      const created = await victim.submit('/espace/compte', '/espace/compte/jetons', { label: 'Script', password: STAFF_PASSWORD });
      const token = (await created.text()).match(/gvt_[A-Za-z0-9_-]{43}/)![0];
      await t.dataSource.query(`UPDATE staff_users SET first_name = 'Élise' WHERE id = $1`, [target.id]);
      const c = await signedIn(admin.email);
      // « Désactiver » asks first: it cuts the person off at once.
      const path = `/espace/comptes/${target.id}/desactivation`;
      expect(await (await c.get('/espace/comptes')).text()).toContain(`href="${path}">Désactiver`);
      const page = await (await c.get(path)).text();
      expect(page).toContain('<h1>Désactiver le compte d’Élise Essai ?</h1>');
      expect(page).toContain('ses sessions ouvertes et ses jetons d’API cessent aussitôt de fonctionner');
      expect(page).not.toContain('Ne plus lui confier de demandes'); // an animator's account: no facilitator record
      expect(page).toContain('href="/espace/comptes">Non, revenir aux comptes</a>');
      expect((await victim.get('/espace/compte')).status).toBe(200);
      expect((await c.post(path, { _csrf: csrfIn(page) })).status).toBe(303);
      expect((await victim.get('/espace/compte')).status).toBe(303);
      expect((await fetch(`${t.url}/api/v1/facilitators`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
      expect((await client().signIn(target.email)).status).toBe(401);
      // A facilitator's account: the page offers to take them out of routing too, ticked; unticked, the record stays.
      const recordActive = async (id: string) =>
        (await t.dataSource.query(`SELECT active FROM facilitators WHERE id = $1`, [id]))[0].active as boolean;
      const routingChanges = async (id: string) =>
        Number(
          (
            await t.dataSource.query(
              `SELECT count(*) AS n FROM outbox_events WHERE job_name = 'routing.facilitator-changed' AND payload->>'facilitatorId' = $1`,
              [id],
            )
          )[0].n,
        );
      const leaving = await insertFacilitator(t.dataSource, { network: 'aura-ee' });
      const leavingAccount = await insertStaff(t.dataSource, { role: 'facilitator', facilitatorId: leaving });
      const confirm = await (await c.get(`/espace/comptes/${leavingAccount.id}/desactivation`)).text();
      expect(confirm).toContain('<input type="checkbox" id="option-routage" name="routage" value="oui" checked');
      expect(confirm).toContain('Décoche « Reçoit des demandes » sur sa fiche de facilitateur');
      const left = await c.post(`/espace/comptes/${leavingAccount.id}/desactivation`, { _csrf: csrfIn(confirm), routage: 'oui' });
      expect(left.headers.get('location')).toBe('/espace/comptes?fait=desactivation-routage');
      expect(await recordActive(leaving)).toBe(false);
      expect(await routingChanges(leaving)).toBe(1);
      expect(await (await c.get('/espace/comptes?fait=desactivation-routage')).text()).toContain('sa fiche ne reçoit plus de demandes');
      // Given back, the account leads to its record, whose « Reçoit des demandes » the reactivation does not tick by itself.
      const accountsPage = await (await c.get('/espace/comptes')).text();
      const returned = await c.post(`/espace/comptes/${leavingAccount.id}/reactivation`, { _csrf: csrfIn(accountsPage) });
      expect(returned.headers.get('location')).toBe(`/espace/facilitateurs/${leaving}/fiche?fait=reactivation`);
      expect(await (await c.get(returned.headers.get('location')!)).text()).toContain(
        'Le compte est réactivé. Sa fiche ne reçoit toujours pas de demandes : cochez « Reçoit des demandes » ci-dessous',
      );
      expect(await recordActive(leaving)).toBe(false);
      const staying = await insertFacilitator(t.dataSource, { network: 'aura-ee' });
      const stayingAccount = await insertStaff(t.dataSource, { role: 'facilitator', facilitatorId: staying });
      const unticked = await c.post(`/espace/comptes/${stayingAccount.id}/desactivation`, { _csrf: csrfIn(confirm) });
      expect(unticked.headers.get('location')).toBe('/espace/comptes?fait=desactivation');
      expect(await recordActive(staying)).toBe(true);
      expect(await routingChanges(staying)).toBe(0);
      // Already deactivated: nothing to confirm.
      const again = await c.get(path);
      expect([again.status, again.headers.get('location')]).toEqual([303, '/espace/comptes']);
    });

    it('deactivating a facilitator lists the open requests they hold (linked, as the animator may see them), and marks them as gone', async () => {
      const leaving = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Lou', lastName: 'Partie' });
      const account = await insertStaff(t.dataSource, { role: 'facilitator', facilitatorId: leaving });
      await t.dataSource.query(`UPDATE staff_users SET first_name = 'Lou', last_name = 'Partie' WHERE id = $1`, [account.id]);
      const heldBy = async (n: number, change: string) => {
        const request = await submittedAndTaken(t, n);
        await t.dataSource.query(`UPDATE request_assignments SET facilitator_id = $2 WHERE request_id = $1`, [request.id, leaving]);
        await t.dataSource.query(`UPDATE requests SET assigned_facilitator_id = $2${change} WHERE id = $1`, [request.id, leaving]);
        return request;
      };
      const inProgress = await heldBy(51, '');
      const untaken = await heldBy(52, `, status = 'assigned'`);
      await t.dataSource.query(
        `UPDATE request_assignments SET taken_at = NULL, take_charge_due_at = now() + interval '7 days' WHERE request_id = $1`,
        [untaken.id],
      );
      const elsewhere = await heldBy(53, `, network_code = 'reseco'`);
      const animator = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] });
      const c = await signedIn(animator.email);
      const path = `/espace/comptes/${account.id}/desactivation`;

      const confirm = await (await c.get(path)).text();
      expect(confirm).toContain('Lou Partie suit en ce moment 2 demandes ouvertes :');
      expect(confirm).toContain(`<a href="/espace/demandes/${inProgress.reference}">${inProgress.reference}</a>`);
      expect(confirm).toContain(`<a href="/espace/demandes/${untaken.reference}">${untaken.reference}</a>`);
      expect(confirm).toMatch(new RegExp(`${inProgress.reference}</a>[^<]*</td>\\s*<td>En cours de traitement</td>`));
      // Another network's request is not this animator's to see; another network's animator, a wrong id: no such page.
      expect(confirm).not.toContain(elsewhere.reference);
      const stranger = await signedIn((await insertStaff(t.dataSource, { role: 'animator', networks: ['reseco'] })).email);
      expect((await stranger.get(path)).status).toBe(404);
      expect((await c.get('/espace/comptes/00000000-0000-4000-8000-000000000000/desactivation')).status).toBe(404);

      const done = await c.post(path, { _csrf: csrfIn(confirm), routage: 'oui' });
      expect(done.headers.get('location')).toBe(`${path}?fait=desactivation-routage`);
      const after = await (await c.get(done.headers.get('location')!)).text();
      expect(after).toContain('<h1>Compte de Lou Partie désactivé</h1>');
      expect(after).toContain(
        'sa fiche ne reçoit plus de demandes : celles qui n’étaient pas prises en charge passent à un collègue ; confiez celles en cours à un autre facilitateur.',
      );
      expect(after).toContain(`<a href="/espace/demandes/${inProgress.reference}">${inProgress.reference}</a>`);
      expect(after).not.toContain(elsewhere.reference);

      // Routing hears of it: the request not taken in charge leaves them, recorded as a departure, not an absence.
      await t.app.get(RoutingService).facilitatorChanged(leaving);
      expect(
        await t.dataSource.query(`SELECT end_reason FROM request_assignments WHERE request_id = $1 AND facilitator_id = $2`, [
          untaken.id,
          leaving,
        ]),
      ).toEqual([{ end_reason: 'departed' }]);
      expect(
        await t.dataSource.query(`SELECT reason FROM request_events WHERE request_id = $1 AND type = 'reassigned'`, [untaken.id]),
      ).toEqual([{ reason: 'Facilitateur parti (compte désactivé)' }]);
      expect(await mailsTo(t, 'assignment-withdrawn')).toEqual([]);
      const untakenPage = await (await c.get(`/espace/demandes/${untaken.reference}`)).text();
      expect(untakenPage).toContain('<td>Parti (compte désactivé) : attribuée de nouveau</td>');
      expect(untakenPage).not.toContain('Absent : attribuée de nouveau');

      // The one in progress stays theirs until someone gives it to another: its page and the queue say they left.
      const held = await (await c.get(`/espace/demandes/${inProgress.reference}`)).text();
      expect(held).toContain(
        'facilitateur : Lou Partie <span class="fr-badge fr-badge--warning fr-badge--sm" id="titulaire-parti">compte désactivé</span>',
      );
      expect(held).toContain('id="titulaire-parti-alerte"');
      expect(await (await c.get('/espace')).text()).toMatch(
        new RegExp(
          `${inProgress.reference}[\\s\\S]*?<td role="cell" data-label="Facilitateur">Lou Partie <p class="fr-badge fr-badge--warning fr-badge--sm">compte désactivé</p></td>`,
        ),
      );
    });

    it('refuses to invite an address that has an account under another role, or an admin with networks', async () => {
      const admin = await insertStaff(t.dataSource, { role: 'admin' });
      const c = await signedIn(admin.email);
      const asFacilitator = await c.submit('/espace/comptes', '/espace/comptes', { email: admin.email, role: 'facilitator' });
      expect(asFacilitator.status).toBe(400);
      expect(await asFacilitator.text()).toContain('Un compte existe déjà pour cette adresse, avec le rôle « administrateur ».');
      const withNetworks = await c.submit('/espace/comptes', '/espace/comptes', {
        email: 'nouvel.admin@example.org',
        firstName: 'Nour',
        lastName: 'Admin',
        role: 'admin',
        networkCodes: 'reseco',
      });
      expect(withNetworks.status).toBe(400);
      expect(await withNetworks.text()).toContain('Un administrateur voit tous les réseaux : ne cochez aucun réseau.');
    });

    it('changes an animator’s networks: an admin any, an animator among their own; no other role has any to choose', async () => {
      const admin = await insertStaff(t.dataSource, { role: 'admin' });
      const target = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] });
      const networksOf = async (id: string) =>
        (await t.dataSource.query(`SELECT network_code FROM staff_user_networks WHERE user_id = $1 ORDER BY 1`, [id])).map(
          (row: { network_code: string }) => row.network_code,
        );
      const c = await signedIn(admin.email);
      expect(await (await c.get('/espace/comptes')).text()).toContain(`href="/espace/comptes/${target.id}/reseaux">Modifier`);
      const path = `/espace/comptes/${target.id}/reseaux`;
      const none = await c.submit(path, path, {});
      expect(none.status).toBe(400);
      expect(await none.text()).toContain('Choisissez au moins un réseau.');
      const saved = await c.submit(path, path, { networkCodes: ['aura-ee', 'reseco'] });
      expect([saved.status, saved.headers.get('location')]).toEqual([303, '/espace/comptes?fait=reseaux']);
      expect(await networksOf(target.id)).toEqual(['aura-ee', 'reseco']);
      // The animator of two networks may give only theirs.
      const animator = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee', 'reseco'] });
      const a = await signedIn(animator.email);
      const foreign = await a.submit(path, path, { networkCodes: ['arbe'] });
      expect(foreign.status).toBe(400);
      expect(await foreign.text()).toContain('Réseau que vous ne pouvez pas confier : arbe.');
      expect((await a.submit(path, path, { networkCodes: 'reseco' })).status).toBe(303);
      expect(await networksOf(target.id)).toEqual(['reseco']);
      // A facilitator's account has none to choose; an account of another network is not found.
      const facilitatorAccount = await insertStaff(t.dataSource, {
        role: 'facilitator',
        facilitatorId: await insertFacilitator(t.dataSource, { network: 'aura-ee' }),
      });
      const refused = await c.submit(
        `/espace/comptes/${facilitatorAccount.id}/reseaux`,
        `/espace/comptes/${facilitatorAccount.id}/reseaux`,
        {
          networkCodes: 'aura-ee',
        },
      );
      expect(refused.status).toBe(409);
      const outsider = await insertStaff(t.dataSource, { role: 'animator', networks: ['arbe'] });
      expect((await a.get(`/espace/comptes/${outsider.id}/reseaux`)).status).toBe(404);
    });

    it('lists the accounts by name or address, role, network and state, and says how many match', async () => {
      const admin = await insertStaff(t.dataSource, { role: 'admin' });
      const elise = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] });
      await t.dataSource.query(`UPDATE staff_users SET first_name = 'Élise', last_name = 'Recherchée' WHERE id = $1`, [elise.id]);
      await insertStaff(t.dataSource, { role: 'animator', networks: ['reseco'] });
      const c = await signedIn(admin.email);
      const rows = (html: string) => html.split('<tr>').slice(2).length;
      const all = await (await c.get('/espace/comptes')).text();
      const total = rows(all);
      const byName = await (await c.get('/espace/comptes?q=elise+recherchee')).text();
      expect(rows(byName)).toBe(1);
      expect(byName).toContain('Élise Recherchée');
      expect(byName).toContain(`Comptes que vous gérez : 1 sur ${total}</h2>`);
      expect(byName).toContain('value="elise recherchee"');
      const reseco = await (await c.get('/espace/comptes?role=animator&reseau=reseco')).text();
      expect(reseco).not.toContain('Élise Recherchée');
      expect(reseco).toContain('<option value="reseco" selected>');
      expect(await (await c.get('/espace/comptes?etat=inactive&q=personne')).text()).toContain('Aucun compte ne répond à ces filtres.');
      // A value not understood is no filter.
      expect(rows(await (await c.get('/espace/comptes?role=boss')).text())).toBe(total);
    });

    it('a deactivated account is given back with « Réactiver », never by a new invitation whose link would open nothing', async () => {
      const animator = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] });
      const withPassword = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] });
      await t.dataSource.query(`UPDATE staff_users SET first_name = 'Élise' WHERE id = $1`, [withPassword.id]);
      const c = await signedIn(animator.email);
      let page = await (await c.get('/espace/comptes')).text();
      expect(page).toContain(
        `<td>AURA-EE / RREDD<br><a class="fr-link fr-link--sm" href="/espace/comptes/${withPassword.id}/reseaux">Modifier`,
      );
      const invited = await c.submit('/espace/comptes', '/espace/comptes', {
        email: 'pending@example.org',
        firstName: 'Inès',
        lastName: 'Attente',
        role: 'animator',
        networkCodes: 'aura-ee',
      });
      expect(invited.status).toBe(303);
      const [pending] = await t.dataSource.query(`SELECT id FROM staff_users WHERE email = 'pending@example.org'`);
      for (const id of [withPassword.id, pending.id as string]) {
        expect((await c.post(`/espace/comptes/${id}/desactivation`, { _csrf: csrfIn(page) })).status).toBe(303);
      }
      page = await (await c.get('/espace/comptes')).text();
      expect(page).toContain('Réactiver<span class="fr-sr-only"> le compte d’Élise Essai</span>');
      expect(page).toContain('Réactiver<span class="fr-sr-only"> le compte d’Inès Attente</span>');

      const again = await c.submit('/espace/comptes', '/espace/comptes', {
        email: 'pending@example.org',
        role: 'animator',
        networkCodes: 'aura-ee',
      });
      expect(again.status).toBe(400);
      expect(await again.text()).toContain('Ce compte est désactivé : réactivez-le depuis la liste des comptes ci-dessus.');
      // A facilitator's address missing from the directory: that one error, not names the directory would give.
      const notInDirectory = await c.submit('/espace/comptes', '/espace/comptes', { email: 'absent@example.org', role: 'facilitator' });
      expect(notInDirectory.status).toBe(400);
      const notInDirectoryHtml = await notInDirectory.text();
      expect(notInDirectoryHtml).toContain('Aucun facilitateur de l’annuaire n’a cette adresse');
      expect(notInDirectoryHtml).not.toContain('Indiquez le prénom.');
      expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM mail_messages WHERE template = 'staff-invitation'`)).toEqual([
        { n: 1 },
      ]);

      const back = await c.post(`/espace/comptes/${withPassword.id}/reactivation`, { _csrf: csrfIn(page) });
      expect(back.headers.get('location')).toBe('/espace/comptes?fait=reactivation');
      expect((await client().signIn(withPassword.email)).status).toBe(303);

      const backInvited = await c.post(`/espace/comptes/${pending.id as string}/reactivation`, { _csrf: csrfIn(page) });
      expect(backInvited.headers.get('location')).toBe('/espace/comptes?fait=reactivation-invitation');
      const link = linkIn((await lastMail('staff-invitation'))!.text_body);
      const form = await client().get(link);
      expect(form.status).toBe(200);
      // Once active, a second click changes nothing and sends nothing.
      expect((await c.post(`/espace/comptes/${pending.id as string}/reactivation`, { _csrf: csrfIn(page) })).status).toBe(303);
      expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM mail_messages WHERE template = 'staff-invitation'`)).toEqual([
        { n: 2 },
      ]);
    });

    it('password reset: same answer for any address, a mail only for an account, a link valid one hour', async () => {
      const { email } = await insertStaff(t.dataSource, { role: 'admin' });
      const unknown = await client().submit('/mot-de-passe/oubli', '/mot-de-passe/oubli', { email: 'personne@example.org' });
      const known = await client().submit('/mot-de-passe/oubli', '/mot-de-passe/oubli', { email });
      expect(unknown.status).toBe(200);
      expect(known.status).toBe(200);
      expect(await unknown.text()).toBe(await known.text());
      const mails = await t.dataSource.query(`SELECT recipient FROM mail_messages WHERE template = 'password-reset'`);
      expect(mails).toEqual([{ recipient: email }]);
      const link = linkIn((await lastMail('password-reset'))!.text_body);

      const c = client();
      const html = await (await c.get(link)).text();
      expect((await c.post(link, { _csrf: csrfIn(html), password: email })).status).toBe(400);
      expect((await c.post(link, { _csrf: csrfIn(html), password: 'encore-une-phrase-secrete' })).status).toBe(303);
      expect((await client().get(link)).status).toBe(404);
      expect((await client().signIn(email)).status).toBe(401);
      expect((await client().signIn(email, 'encore-une-phrase-secrete')).status).toBe(303);

      await client().submit('/mot-de-passe/oubli', '/mot-de-passe/oubli', { email });
      const late = linkIn((await lastMail('password-reset'))!.text_body);
      travel(HOUR + 60_000);
      expect((await client().get(late)).status).toBe(404);
    });

    it('a new password offers to revoke the API tokens too; they stay unless asked', async () => {
      const staff = await insertStaff(t.dataSource, { role: 'admin' });
      const tokens = t.app.get(StaffAuthService);
      const first = await tokens.createApiToken(staff.id, 'script');
      const apiStatus = async (token: string) =>
        (await fetch(`${t.url}/api/v1/staff/requests`, { headers: { authorization: `Bearer ${token}` } })).status;
      const resetLink = async () => {
        await client().submit('/mot-de-passe/oubli', '/mot-de-passe/oubli', { email: staff.email });
        return linkIn((await lastMail('password-reset'))!.text_body);
      };

      const kept = await resetLink();
      const c = client();
      const html = await (await c.get(kept)).text();
      expect(html).toContain('Révoquer aussi mon jeton d’API');
      // A password refused: the choice comes back as it was, ticked.
      const refused = await c.post(kept, { _csrf: csrfIn(html), password: 'court', revokeApiTokens: 'yes' });
      expect(refused.status).toBe(400);
      expect(await refused.text()).toMatch(/id="f-revokeApiTokens" name="revokeApiTokens" value="yes"[^>]*checked/);
      expect((await c.post(kept, { _csrf: csrfIn(html), password: 'une-autre-phrase-secrete' })).status).toBe(303);
      expect(await apiStatus(first)).toBe(200);

      const second = await tokens.createApiToken(staff.id, 'autre script');
      const revoking = await resetLink();
      const d = client();
      const page = await (await d.get(revoking)).text();
      expect(page).toContain('Révoquer aussi mes 2 jetons d’API');
      expect((await d.post(revoking, { _csrf: csrfIn(page), password: 'encore-une-phrase-secrete', revokeApiTokens: 'yes' })).status).toBe(
        303,
      );
      expect([await apiStatus(first), await apiStatus(second)]).toEqual([401, 401]);
      // None left: nothing to offer.
      const again = await resetLink();
      expect(await (await client().get(again)).text()).not.toContain('jeton');
    });

    it('throttles password-reset requests per address', async () => {
      for (let i = 0; i < 10; i++) {
        expect((await client().submit('/mot-de-passe/oubli', '/mot-de-passe/oubli', { email: `p${i}@example.org` })).status).toBe(200);
      }
      const refused = await client().submit('/mot-de-passe/oubli', '/mot-de-passe/oubli', { email: 'p@example.org' });
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    });
  });

  describe('my account', () => {
    it('shows the notice a redirect names, and none for a key that is not one (?fait=constructor)', async () => {
      const { email } = await insertStaff(t.dataSource, { role: 'admin' });
      const c = await signedIn(email);
      expect(await (await c.get('/espace/compte?fait=profil')).text()).toContain('Vos nom et prénom sont enregistrés.');
      for (const key of ['constructor', 'toString', '__proto__']) {
        for (const path of ['/espace/compte', '/espace/comptes', '/espace']) {
          const html = await (await c.get(`${path}?fait=${key}`)).text();
          expect([path, key, html.includes('fr-alert--success')]).toEqual([path, key, false]);
        }
      }
    });

    it('changes the password with the current one, and closes the other sessions and the reset links asked before', async () => {
      const { email } = await insertStaff(t.dataSource, { role: 'admin' });
      await client().submit('/mot-de-passe/oubli', '/mot-de-passe/oubli', { email });
      const resetLink = linkIn((await lastMail('password-reset'))!.text_body);
      expect((await client().get(resetLink)).status).toBe(200);
      const other = await signedIn(email);
      const c = await signedIn(email);
      const wrong = await c.submit('/espace/compte', '/espace/compte/mot-de-passe', {
        currentPassword: 'faux',
        newPassword: 'nouvelle-phrase-ok',
      });
      expect(wrong.status).toBe(400);
      const wrongHtml = await wrong.text();
      expect(wrongHtml).toContain('Ce n’est pas votre mot de passe.');
      // Said first in the title, whatever the page calls its forms (RGAA 8.6).
      expect(wrongHtml).toContain('<title>Erreur — Mon compte — Guichet vert</title>');
      const same = await c.submit('/espace/compte', '/espace/compte/mot-de-passe', {
        currentPassword: STAFF_PASSWORD,
        newPassword: STAFF_PASSWORD,
      });
      expect(same.status).toBe(400);
      expect(await same.text()).toContain('Choisissez un nouveau mot de passe, différent de l’actuel.');
      const ok = await c.submit('/espace/compte', '/espace/compte/mot-de-passe', {
        currentPassword: STAFF_PASSWORD,
        newPassword: 'nouvelle-phrase-ok',
      });
      expect(ok.status).toBe(303);
      expect((await c.get('/espace/compte')).status).toBe(200);
      expect((await other.get('/espace/compte')).status).toBe(303);
      expect((await client().signIn(email, 'nouvelle-phrase-ok')).status).toBe(303);
      // Whoever asked for that link (the reason to change the password, perhaps) cannot undo the change with it.
      expect((await client().get(resetLink)).status).toBe(404);
    });

    it('counts a wrong current password as a failed sign-in: after five, even the right one waits', async () => {
      const { email } = await insertStaff(t.dataSource, { role: 'admin' });
      const c = await signedIn(email);
      const change = (currentPassword: string) =>
        c.submit('/espace/compte', '/espace/compte/mot-de-passe', { currentPassword, newPassword: 'nouvelle-phrase-ok' });
      for (let i = 0; i < 5; i++) expect((await change(`mauvais-${i}-mot-de-passe`)).status).toBe(400);
      const throttled = await change(STAFF_PASSWORD);
      expect(throttled.status).toBe(429);
      expect(await throttled.text()).toMatch(/Trop de tentatives\. Par sécurité, réessayez dans \d+ minutes?\./);
      expect((await client().signIn(email)).status).toBe(429);
      const [{ hash }] = await t.dataSource.query(`SELECT password_hash AS hash FROM staff_users WHERE email = $1`, [email]);
      expect(await argon2.verify(hash, STAFF_PASSWORD)).toBe(true);
    });

    it('creates an API token shown once, usable as a bearer, then revoked', async () => {
      const { email } = await insertStaff(t.dataSource, { role: 'admin' });
      const c = await signedIn(email);
      // The password first: a token outlives a password change, a session left open must not leave one behind.
      for (const [password, message] of [
        ['', 'Saisissez votre mot de passe.'],
        ['pas-le-bon-mot-de-passe', 'Ce n’est pas votre mot de passe.'],
      ]) {
        const refused = await c.submit('/espace/compte', '/espace/compte/jetons', { label: 'Tableau de bord', password });
        expect(refused.status).toBe(400);
        const html = await refused.text();
        expect(html).toContain(message);
        expect(html).toContain('value="Tableau de bord"');
      }
      expect(await t.dataSource.query(`SELECT id FROM api_tokens`)).toEqual([]);
      const created = await c.submit('/espace/compte', '/espace/compte/jetons', { label: 'Tableau de bord', password: STAFF_PASSWORD });
      expect(created.status).toBe(201);
      const token = (await created.text()).match(/gvt_[A-Za-z0-9_-]{43}/)![0];
      const api = (authorization: string) => fetch(`${t.url}/api/v1/facilitators`, { headers: { authorization } });
      expect((await api(`Bearer ${token}`)).status).toBe(200);
      const page = await (await c.get('/espace/compte')).text();
      expect(page).toContain('Tableau de bord');
      expect(page).not.toContain(token);
      const [{ id }] = await t.dataSource.query(`SELECT id FROM api_tokens`);
      expect((await c.post(`/espace/compte/jetons/${id}/revocation`, { _csrf: csrfIn(page) })).status).toBe(303);
      expect((await api(`Bearer ${token}`)).status).toBe(401);
      expect((await api(`Bearer gvt_${'A'.repeat(43)}`)).status).toBe(401);
      expect((await api('Bearer pas-un-jeton')).status).toBe(401);
    });
  });

  describe('directory API', () => {
    it('lets an animator reach the facilitators of their networks only; a facilitator account, nothing', async () => {
      const own = await insertFacilitator(t.dataSource, { network: 'aura-ee', email: 'own@example.org' });
      const foreign = await insertFacilitator(t.dataSource, { network: 'res-occ' });
      const animator = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] });
      await insertStaff(t.dataSource, { role: 'facilitator', email: 'own@example.org', facilitatorId: own });
      const bearer = async (email: string) => {
        const out = capture();
        expect(await usersToken(t.app, ['--email', email, '--label', 'essai'], out.io)).toBe(0);
        return { authorization: `Bearer ${out.out().match(/gvt_\S+/)![0]}` };
      };
      const headers = await bearer(animator.email);
      const list = await (await fetch(`${t.url}/api/v1/facilitators`, { headers })).json();
      expect(list.map((f: { id: string }) => f.id)).toEqual([own]);
      expect((await fetch(`${t.url}/api/v1/facilitators/${own}`, { headers })).status).toBe(200);
      expect((await fetch(`${t.url}/api/v1/facilitators/${foreign}`, { headers })).status).toBe(404);
      const moved = await fetch(`${t.url}/api/v1/facilitators/${own}`, {
        method: 'PATCH',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ networkCode: 'res-occ' }),
      });
      // Moving one's facilitator to a network one does not animate: a field error, nothing moved.
      expect(moved.status).toBe(400);
      expect((await moved.json()).errors).toEqual([{ field: 'networkCode', message: 'Choisissez un réseau que vous animez.' }]);
      expect((await t.dataSource.query(`SELECT network_code FROM facilitators WHERE id = $1`, [own]))[0].network_code).toBe('aura-ee');
      const facilitatorHeaders = await bearer('own@example.org');
      expect((await fetch(`${t.url}/api/v1/facilitators/${own}`, { headers: facilitatorHeaders })).status).toBe(404);
    });

    it('asks a session-authenticated API write for the CSRF token', async () => {
      const { email } = await insertStaff(t.dataSource, { role: 'admin' });
      const c = await signedIn(email);
      const csrf = csrfIn(await (await c.get('/espace/compte')).text());
      const post = (extra: Record<string, string>) =>
        fetch(`${t.url}/api/v1/facilitators`, {
          method: 'POST',
          headers: { cookie: c.jar.header(), 'content-type': 'application/json', ...extra },
          body: JSON.stringify({
            email: 'n@example.org',
            firstName: 'N',
            lastName: 'N',
            kind: 'environmental',
            networkCode: 'aura-ee',
            capacity: 3,
          }),
        });
      const refused = await post({});
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({ code: 'form_expired' });
      expect((await post({ 'x-csrf-token': csrf })).status).toBe(201);
    });
  });

  describe('command line', () => {
    it('users:create prints a single-use link for the first admin; again while no password is set, a new one', async () => {
      const out = capture();
      expect(await usersCreate(t.app, ['--role', 'admin', '--email', 'Chef@Example.org', '--first-name', 'Ada'], out.io)).toBe(0);
      const link = linkIn(out.out());
      expect(out.out()).toContain('Compte créé : chef@example.org (admin)');
      const again = capture();
      expect(await usersCreate(t.app, ['--role', 'admin', '--email', 'chef@example.org'], again.io)).toBe(0);
      expect((await client().get(link)).status).toBe(404);
      const c = client();
      const fresh = linkIn(again.out());
      expect((await c.post(fresh, { _csrf: csrfIn(await (await c.get(fresh)).text()), password: 'phrase-du-premier-admin' })).status).toBe(
        303,
      );
      expect((await c.get('/admin/queues')).status).toBe(200);
      const done = capture();
      expect(await usersCreate(t.app, ['--role', 'admin', '--email', 'chef@example.org'], done.io)).toBe(1);
      expect(done.out()).toContain('Un compte existe déjà');
    });

    it('users:create checks the role, the networks of an animator and the directory entry of a facilitator', async () => {
      const cases: Array<[string[], string]> = [
        [['--role', 'animator', '--email', 'a@example.org', '--first-name', 'A', '--last-name', 'B'], 'Choisissez au moins un réseau.'],
        [
          ['--role', 'animator', '--email', 'a@example.org', '--first-name', 'A', '--last-name', 'B', '--network', 'nulle-part'],
          '--network : Réseau inconnu : nulle-part.',
        ],
        [['--role', 'facilitator', '--email', 'a@example.org'], 'Aucun facilitateur de l’annuaire'],
      ];
      for (const [args, message] of cases) {
        const out = capture();
        expect(await usersCreate(t.app, args, out.io)).toBe(1);
        expect(out.out()).toContain(message);
        expect(out.out()).not.toContain('La demande contient des erreurs');
      }
      const role = capture();
      expect(await usersCreate(t.app, ['--role', 'administrateur', '--email', 'a@example.org'], role.io)).toBe(2);
      expect(role.out()).toContain('--role prend admin, animator ou facilitator (reçu : « administrateur »).');
      const usage = capture();
      expect(await usersCreate(t.app, ['--email'], usage.io)).toBe(2);
      await insertFacilitator(t.dataSource, { email: 'fac@example.org', network: 'res-occ', firstName: 'Lou' });
      const ok = capture();
      expect(await usersCreate(t.app, ['--role', 'facilitator', '--email', 'fac@example.org'], ok.io)).toBe(0);
      expect(ok.out()).toContain('fac@example.org (facilitator, res-occ)');
    });
  });

  it('never logs passwords, tokens or cookies', async () => {
    const { email } = await insertStaff(t.dataSource, { role: 'admin' });
    const c = await signedIn(email);
    const created = await c.submit('/espace/compte', '/espace/compte/jetons', { label: 'Script', password: STAFF_PASSWORD });
    const token = (await created.text()).match(/gvt_[A-Za-z0-9_-]{43}/)![0];
    await fetch(`${t.url}/api/v1/facilitators`, { headers: { authorization: `Bearer ${token}` } });
    const logs = t.logs.join('\n');
    for (const secret of [STAFF_PASSWORD, token, c.jar.get('gv_session')!, email]) expect(logs).not.toContain(secret);
  });
});
