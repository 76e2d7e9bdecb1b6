import { insertFacilitator } from '../support/facilitators';
import { csrfIn, insertStaff, signedInStaff, STAFF_PASSWORD, StaffClient } from '../support/staff';
import { TestApp, useTestApp } from '../support/test-app';

/** A shared office computer keeps nothing private: no page from its cache, nor through the back button after sign-out. */
describe('what browsers and proxies may keep', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app));

  it('no staff page, form or answer is stored; static files are, for their lifetime', async () => {
    const { email } = await insertStaff(t.dataSource, { role: 'admin' });
    const c = new StaffClient(t.url);
    const signIn = await c.signIn(email);
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get('cache-control')).toBe('no-store');

    for (const path of [
      '/espace',
      '/espace/compte',
      '/espace/comptes',
      '/espace/facilitateurs',
      '/espace/modeles',
      '/connexion',
      '/mot-de-passe/oubli',
      '/demande',
      '/',
    ]) {
      const page = await c.get(path);
      expect([path, page.status, page.headers.get('cache-control')]).toEqual([path, 200, 'no-store']);
    }
    // The answer that shows a new API token, once.
    const account = await c.get('/espace/compte?onglet=jetons');
    const token = await c.post('/espace/compte/jetons', { _csrf: csrfIn(await account.text()), label: 'Script', password: STAFF_PASSWORD });
    expect(await token.text()).toMatch(/gvt_\S+/);
    expect(token.headers.get('cache-control')).toBe('no-store');

    // A facilitator's own page.
    const facilitator = await signedInStaff(t, {
      role: 'facilitator',
      facilitatorId: await insertFacilitator(t.dataSource, { network: 'aura-ee' }),
      networks: ['aura-ee'],
    });
    const drafts = await facilitator.get('/espace/brouillons');
    expect([drafts.status, drafts.headers.get('cache-control')]).toEqual([200, 'no-store']);

    const css = await fetch(`${t.url}/dsfr/dsfr.min.css`);
    expect([css.status, css.headers.get('cache-control')]).toEqual([200, 'public, max-age=604800']);
    const script = await fetch(`${t.url}/assets/notice.js`);
    expect([script.status, script.headers.get('cache-control')]).toEqual([200, 'public, max-age=3600']);
  });

  it('keeps private links, staff pages and the API out of search engines; the public pages stay open to them', async () => {
    for (const path of [
      '/suivi',
      '/suivi/GV-2026-000001?t=x',
      '/questionnaire/x',
      '/espace',
      '/connexion',
      '/mot-de-passe/oubli',
      '/api/v1/requests',
    ]) {
      expect([path, (await fetch(`${t.url}${path}`, { redirect: 'manual' })).headers.get('x-robots-tag')]).toEqual([
        path,
        'noindex, nofollow',
      ]);
    }
    for (const path of ['/', '/demande', '/confidentialite', '/statistiques', '/suivies']) {
      expect([path, (await fetch(`${t.url}${path}`)).headers.get('x-robots-tag')]).toEqual([path, null]);
    }
    const robots = await fetch(`${t.url}/robots.txt`);
    expect([robots.status, robots.headers.get('content-type')]).toEqual([200, 'text/plain; charset=utf-8']);
    expect(await robots.text()).toBe('User-agent: *\nDisallow: /espace\nDisallow: /api/\nDisallow: /metrics\nDisallow: /health/\n');
  });

  it('lets no page use the camera, the microphone or the location, nor fonts from elsewhere', async () => {
    const page = await fetch(`${t.url}/demande`);
    expect(page.headers.get('permissions-policy')).toBe('camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()');
    expect(page.headers.get('content-security-policy')).toContain("font-src 'self' data:;");
  });
});
