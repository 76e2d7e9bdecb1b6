/**
 * « Réseaux »: admins and animators read their networks and keep each one's contact address, which a restart (the
 * reference seed) no longer brings back to the file's, and which the public pages give at once.
 */
import { seedReferenceData } from '../../src/modules/reference/reference.seed';
import { insertFacilitator } from '../support/facilitators';
import { insertStaff, signedInStaff, type StaffSeed } from '../support/staff';
import { TestApp, useTestApp } from '../support/test-app';

describe('/espace/reseaux', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app));

  const contactOf = async (code: string) =>
    (await t.dataSource.query(`SELECT contact_email AS email FROM networks WHERE code = $1`, [code]))[0].email as string;
  // Reference rows outlive each test's reset: the seed's addresses come back for the next suites.
  afterEach(() => t.dataSource.query(`UPDATE networks SET contact_email = 'contact@reseco.fr' WHERE code = 'reseco'`));

  const signedIn = (seed: StaffSeed) => signedInStaff(t, seed);

  it('lists every network to an admin, with its territory, people and contact; the new address holds over a restart', async () => {
    await insertFacilitator(t.dataSource, { network: 'reseco', firstName: 'Nina' });
    await insertFacilitator(t.dataSource, { network: 'reseco', kind: 'social_clause', departments: ['35'] });
    await insertStaff(t.dataSource, { role: 'animator', networks: ['reseco'] });
    const admin = await signedIn({ role: 'admin' });

    const list = await (await admin.get('/espace/reseaux')).text();
    expect(list.match(/<tr id="reseau-/g)).toHaveLength(12);
    const reseco = /<tr id="reseau-reseco">([\s\S]*?)<\/tr>/.exec(list)![1];
    expect(reseco).toContain('Bretagne, Centre-Val de Loire, Pays de la Loire — 15 départements');
    expect(reseco).toContain('<td>Sam Essai</td>');
    expect(reseco).toContain('Conseil environnemental : 1<br>Clauses sociales : 1');
    expect(reseco).toContain('contact@reseco.fr');
    expect(list).toContain('href="/espace/reseaux/reseco">Modifier');

    const done = await admin.submit('/espace/reseaux/reseco', '/espace/reseaux/reseco', { contactEmail: ' Animation@RESECO.fr ' });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/espace/reseaux?fait=contact');
    expect(await contactOf('reseco')).toBe('animation@reseco.fr');
    expect(await (await admin.get('/espace/reseaux?fait=contact')).text()).toContain('L’adresse de contact est enregistrée');
    // The buyers' pages give it at once, and the seed run at each start keeps it.
    expect(await (await fetch(`${t.url}/confidentialite`)).text()).toContain('animation@reseco.fr');
    await t.dataSource.transaction((manager) => seedReferenceData(manager));
    expect(await contactOf('reseco')).toBe('animation@reseco.fr');
  });

  it('refuses an address that cannot be one, keeping what was typed, and changes nothing', async () => {
    const admin = await signedIn({ role: 'admin' });
    for (const [typed, message] of [
      ['', 'Indiquez l’adresse de contact du réseau : elle reçoit ses alertes tant qu’il n’a pas d’animateur.'],
      ['contact-at-reseco', 'Indiquez une adresse électronique valide, par exemple nom@exemple.fr.'],
      ['hélène@reseco.fr', 'Adresse électronique sans lettre accentuée avant le @, par exemple helene.dupre@exemple.fr.'],
    ]) {
      const refused = await admin.submit('/espace/reseaux/reseco', '/espace/reseaux/reseco', { contactEmail: typed });
      expect(refused.status).toBe(400);
      const html = await refused.text();
      expect(html).toContain('1 erreur empêche l’envoi de l’adresse');
      expect(html).toContain(message);
      if (typed) expect(html).toContain(`value="${typed}"`);
    }
    expect(await contactOf('reseco')).toBe('contact@reseco.fr');
  });

  it('shows an animator their own networks only; another network’s page and form do not exist for them', async () => {
    const animator = await signedIn({ role: 'animator', networks: ['aura-ee'] });
    const list = await (await animator.get('/espace/reseaux')).text();
    expect(list.match(/<tr id="reseau-/g)).toHaveLength(1);
    expect(list).toContain('<tr id="reseau-aura-ee">');
    expect(list).toContain('<td>Sam Essai</td>');
    expect((await animator.get('/espace/reseaux/reseco')).status).toBe(404);
    expect((await animator.get('/espace/reseaux/atlantis')).status).toBe(404);
    const csrf = await animator.submit('/espace/reseaux/aura-ee', '/espace/reseaux/reseco', { contactEmail: 'pirate@example.org' });
    expect(csrf.status).toBe(404);
    expect(await contactOf('reseco')).toBe('contact@reseco.fr');
  });
});
