/**
 * « Journal »: who changed what among accounts, directory and networks — each line written with its change, read by
 * admins (all) and animators (their networks'), newest first, kept a year.
 */
import { AuditService } from '../../src/modules/audit/audit.service';
import { mailsTo } from '../support/conversation';
import { insertFacilitator } from '../support/facilitators';
import { bearerFor, insertStaff, signedInStaff, type StaffSeed } from '../support/staff';
import { TestApp, useTestApp } from '../support/test-app';

describe('/espace/journal', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app));
  const signedIn = (seed: StaffSeed) => signedInStaff(t, seed);
  const rowsOf = (html: string) =>
    [...html.matchAll(/<tr>\s*<td>[^<]*<\/td>\s*<td>([^<]*)<\/td>\s*<td>([^<]*)<\/td>/g)].map((m) => [m[1], m[2]]);

  it('tells who deactivated an account, changed a record and a network’s address; each network’s animators read theirs', async () => {
    const facilitatorId = await insertFacilitator(t.dataSource, { network: 'aura-ee', email: 'alix@example.org', firstName: 'Alix' });
    const account = await insertStaff(t.dataSource, {
      role: 'facilitator',
      facilitatorId,
      email: 'alix@example.org',
      networks: ['aura-ee'],
    });
    const admin = await signedIn({ role: 'admin', email: 'admin@example.org' });
    await admin.submit(`/espace/comptes/${account.id}/desactivation`, `/espace/comptes/${account.id}/desactivation`, {});
    const authorization = await bearerFor(t, { role: 'admin', email: 'script@example.org' });
    const patched = await fetch(`${t.url}/api/v1/facilitators/${facilitatorId}`, {
      method: 'PATCH',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ capacity: 3, segments: ['catering'] }),
    });
    expect(patched.status).toBe(200);
    await admin.submit('/espace/reseaux/reseco', '/espace/reseaux/reseco', { contactEmail: 'animation@reseco.fr' });
    await t.dataSource.query(`UPDATE networks SET contact_email = 'contact@reseco.fr' WHERE code = 'reseco'`);

    const all = rowsOf(await (await admin.get('/espace/journal')).text());
    expect(all).toEqual([
      ['Sam Essai (admin@example.org)', 'Adresse de contact du réseau RESECO : contact@reseco.fr → animation@reseco.fr'],
      [
        'Sam Essai (script@example.org)',
        'Fiche d’Alix Test (alix@example.org) modifiée : capacité : 3 (avant : 10), segments : + Restauration collective',
      ],
      ['Sam Essai (admin@example.org)', 'Compte de Sam Essai (alix@example.org) désactivé'],
    ]);
    const auraAnimator = await signedIn({ role: 'animator', networks: ['aura-ee'] });
    expect(rowsOf(await (await auraAnimator.get('/espace/journal')).text()).map(([, what]) => what)).toEqual([
      'Fiche d’Alix Test (alix@example.org) modifiée : capacité : 3 (avant : 10), segments : + Restauration collective',
      'Compte de Sam Essai (alix@example.org) désactivé',
    ]);
    const facilitator = await signedIn({ role: 'facilitator', facilitatorId: await insertFacilitator(t.dataSource, {}) });
    expect((await facilitator.get('/espace/journal')).status).toBe(404);
  });

  it('names a « Réseau … » network once after the word « réseau », and elides « de » as French does', async () => {
    const admin = await signedIn({ role: 'admin', email: 'admin@example.org' });
    for (const [firstName, lastName] of [
      ['Hélène', 'Bérard'],
      ['Yann', 'Zidane'],
    ]) {
      const email = `${firstName.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '')}@example.org`;
      const invited = await admin.submit('/espace/comptes', '/espace/comptes', {
        email,
        firstName,
        lastName,
        role: 'animator',
        networkCodes: 'grand-est',
      });
      expect(invited.status).toBe(303);
    }
    await admin.submit('/espace/reseaux/grand-est', '/espace/reseaux/grand-est', { contactEmail: 'animation@grandest.fr' });

    expect(rowsOf(await (await admin.get('/espace/journal')).text()).map(([, what]) => what)).toEqual([
      'Adresse de contact du réseau Grand Est : contact@achats-responsables-grandest.fr → animation@grandest.fr',
      'Invitation de Yann Zidane (yann@example.org) comme animateur de réseau, pour le réseau Grand Est',
      'Invitation d’Hélène Bérard (helene@example.org) comme animateur de réseau, pour le réseau Grand Est',
    ]);
    const [mail] = await mailsTo(t, 'staff-invitation');
    for (const body of [mail.text_body, mail.html_body]) expect(body).toContain('comme animateur de réseau, pour le réseau Grand Est.');
  });

  it('pages back 100 lines at a time; a year-old line is erased', async () => {
    const audit = t.app.get(AuditService);
    await t.dataSource.query(
      `INSERT INTO audit_events (actor_name, action, network_codes, summary, created_at)
       SELECT 'Ligne de commande (exploitation)', 'test', '{aura-ee}', 'Ligne ' || n, now() - make_interval(mins => 200 - n) FROM generate_series(1, 150) n`,
    );
    const admin = await signedIn({ role: 'admin' });
    const first = await (await admin.get('/espace/journal')).text();
    expect(rowsOf(first)).toHaveLength(100);
    expect(rowsOf(first)[0][1]).toBe('Ligne 150');
    const older = /href="\/espace\/journal\?avant=(\d+)">Changements plus anciens/.exec(first)![1];
    const second = await (await admin.get(`/espace/journal?avant=${older}`)).text();
    expect(rowsOf(second).map(([, what]) => what)).toEqual(Array.from({ length: 50 }, (_, i) => `Ligne ${50 - i}`));
    expect(second).not.toContain('Changements plus anciens');
    // Each page's title tells it apart (RGAA 8.6).
    expect(first).toContain('<title>Journal des changements — Guichet vert</title>');
    expect(second).toContain('<title>Journal des changements, plus anciens — Guichet vert</title>');
    expect((await admin.get('/espace/journal?avant=pas-un-nombre')).status).toBe(200);

    await t.dataSource.query(`UPDATE audit_events SET created_at = now() - interval '367 days' WHERE summary = 'Ligne 1'`);
    expect(await audit.purgeExpired()).toBe(1);
  });

  it('narrows to words (accents or not), a kind of change and one of the reader’s networks; the older page keeps them', async () => {
    await t.dataSource.query(
      `INSERT INTO audit_events (actor_name, action, network_codes, summary) VALUES
         ('Zoé Admin (zoe@example.org)', 'account_invited', '{aura-ee}', 'Invitation d’Hélène Bérard (helene@example.org)'),
         ('Zoé Admin (zoe@example.org)', 'facilitator_updated', '{aura-ee}', 'Fiche d’Hélène Bérard (helene@example.org) modifiée : capacité : 3 (avant : 10)'),
         ('Zoé Admin (zoe@example.org)', 'facilitator_updated', '{reseco}', 'Fiche de Paul Breton (paul@example.org) modifiée : segments : + catering'),
         ('Yves Ailleurs (yves@example.org)', 'network_contact_changed', '{3ar}', 'Adresse de contact du réseau 3AR : a@3ar.fr → b@3ar.fr')`,
    );
    const admin = await signedIn({ role: 'admin' });
    const summaries = async (client: typeof admin, query: string) =>
      rowsOf(await (await client.get(`/espace/journal${query}`)).text()).map(([, what]) => what);

    expect(await summaries(admin, '?q=helene')).toEqual([
      'Fiche d’Hélène Bérard (helene@example.org) modifiée : capacité : 3 (avant : 10)',
      'Invitation d’Hélène Bérard (helene@example.org)',
    ]);
    // The author's name is searched too.
    expect(await summaries(admin, '?q=Yves')).toEqual(['Adresse de contact du réseau 3AR : a@3ar.fr → b@3ar.fr']);
    expect(await summaries(admin, '?quoi=annuaire&q=%25')).toEqual([]);
    expect(await summaries(admin, '?quoi=annuaire')).toEqual([
      'Fiche de Paul Breton (paul@example.org) modifiée : segments : + catering',
      'Fiche d’Hélène Bérard (helene@example.org) modifiée : capacité : 3 (avant : 10)',
    ]);
    expect(await summaries(admin, '?reseau=reseco')).toEqual(['Fiche de Paul Breton (paul@example.org) modifiée : segments : + catering']);

    const animator = await signedIn({ role: 'animator', networks: ['aura-ee', 'reseco'] });
    const page = await (await animator.get('/espace/journal?reseau=3ar')).text();
    // Another's network is not a filter they may use: their own networks' lines, never 3AR's.
    expect(rowsOf(page)).toHaveLength(3);
    expect(page).toContain('<option value="reseco">RESECO</option>');
    expect(page).not.toContain('value="3ar"');
    expect(await summaries(animator, '?q=3AR')).toEqual([]);

    await t.dataSource.query(
      `INSERT INTO audit_events (actor_name, action, network_codes, summary)
       SELECT 'Ligne de commande (exploitation)', 'facilitator_created', '{aura-ee}', 'Fiche créée ' || n FROM generate_series(1, 120) n`,
    );
    const first = await (await admin.get('/espace/journal?quoi=annuaire&reseau=aura-ee')).text();
    const older = /href="([^"]+)">Changements plus anciens/.exec(first)![1].replace(/&amp;/g, '&');
    expect(older).toMatch(/^\/espace\/journal\?quoi=annuaire&reseau=aura-ee&avant=\d+$/);
    expect(rowsOf(await (await admin.get(older)).text()).map(([, what]) => what)).toEqual([
      ...Array.from({ length: 20 }, (_, i) => `Fiche créée ${20 - i}`),
      'Fiche d’Hélène Bérard (helene@example.org) modifiée : capacité : 3 (avant : 10)',
    ]);
  });
});
