import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, TestApp } from '../support/test-app';

const legalNotice = (t: TestApp) => fetch(`${t.url}/mentions-legales`);

describe('the legal notice names the publisher, the director of publication and the host (LCEN)', () => {
  let t: TestApp | undefined;
  afterEach(() => t?.close());

  it('gives the configured ones, escaped, with the licence, the cookies and the pages it leads to', async () => {
    t = await startTestApp({
      OPERATOR_NAME: 'Région <Exemple> & associés',
      OPERATOR_ADDRESS: '1 place de la République, 35000 <Rennes>',
      HOSTING_PROVIDER: 'Hébergeur & fils, 2 rue des Serveurs, 59000 Lille, 03 20 00 00 00',
      PUBLICATION_DIRECTOR: 'Camille <i>Martin</i>, présidente',
    });
    const response = await legalNotice(t);
    expect(response.status).toBe(200);
    // Nothing stored in the browser by the page that says what the site stores there.
    expect(response.headers.getSetCookie()).toEqual([]);
    const html = await response.text();
    expect(html).toContain('<title>Mentions légales — Guichet vert</title>');
    expect(html).toContain(
      'Le guichet vert est édité par <strong>Région &lt;Exemple&gt; &amp; associés</strong>, 1 place de la République, 35000 &lt;Rennes&gt;.',
    );
    expect(html).toContain('<h2 class="fr-h4">Directeur de la publication</h2>\n<p>Camille &lt;i&gt;Martin&lt;/i&gt;, présidente.</p>');
    expect(html).toContain('Le service est hébergé par Hébergeur &amp; fils, 2 rue des Serveurs, 59000 Lille, 03 20 00 00 00.');
    expect(html).not.toContain('<i>Martin</i>');
    // Whom to write to: the networks, as on the other public notices.
    expect(html).toContain(
      '<strong>RESECO</strong> (Bretagne, Centre-Val de Loire, Pays de la Loire) : <a href="mailto:contact@reseco.fr">contact@reseco.fr</a>',
    );
    // The licence the package declares, not another.
    const { license } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { license: string };
    expect(html).toContain(`Le logiciel du guichet vert est distribué sous licence libre ${license}.`);
    expect(html).toContain('réservés aux services publics : le guichet vert est exploité par des organismes publics');
    expect(html).toContain('« gv_session », qui garde connecté un membre de l’équipe du guichet');
    expect(html).toContain('ce site n’affiche donc aucun bandeau de cookies');
    expect(html).toContain('<a href="/confidentialite">Données personnelles</a>');
    expect(html).toContain('<a href="/accessibilite">déclaration d’accessibilité</a>');
  });

  it('says, left unconfigured, that the desk is a demonstration', async () => {
    t = await startTestApp();
    const html = await (await legalNotice(t)).text();
    expect(html).toContain('Le guichet vert est édité par <strong>Guichet vert (démonstration)</strong>, adresse non renseignée');
    expect(html).toContain('<p>directeur de la publication non renseigné (déploiement de démonstration).</p>');
    expect(html).toContain('Le service est hébergé par hébergeur non renseigné (déploiement de démonstration).');
  });

  it('is reached from every page’s footer, after the accessibility statement, and from the site map', async () => {
    t = await startTestApp();
    const home = await (await fetch(`${t.url}/`)).text();
    const footerLinks = [...home.matchAll(/class="fr-footer__bottom-link" href="([^"]+)"/g)].map((match) => match[1]);
    // The DSFR's order for its mandatory links.
    expect(footerLinks.slice(0, 3)).toEqual(['/accessibilite', '/mentions-legales', '/confidentialite']);
    const siteMap = await (await fetch(`${t.url}/plan-du-site`)).text();
    expect(siteMap).toContain('<a href="/mentions-legales">Mentions légales</a>');
  });
});
