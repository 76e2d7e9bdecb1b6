import { startTestApp, TestApp } from '../support/test-app';

const notice = (t: TestApp) => fetch(`${t.url}/confidentialite`).then((response) => response.text());

describe('the privacy notice names the data controller, its DPO and the host (RGPD, article 13)', () => {
  let t: TestApp | undefined;
  afterEach(() => t?.close());

  it('gives the configured ones, escaped, the DPO’s address as a link to write to', async () => {
    t = await startTestApp({
      OPERATOR_NAME: 'Région <Exemple> & associés',
      OPERATOR_ADDRESS: '1 place de la République, 35000 Rennes',
      DPO_CONTACT: 'dpo@region-exemple.fr',
      HOSTING_PROVIDER: 'Hébergeur SAS, 2 rue des Serveurs, 59000 Lille',
    });
    const html = await notice(t);
    expect(html).toContain(
      'Le responsable du traitement est <strong>Région &lt;Exemple&gt; &amp; associés</strong>, 1 place de la République, 35000 Rennes.',
    );
    expect(html).toContain('Délégué à la protection des données : <a href="mailto:dpo@region-exemple.fr">dpo@region-exemple.fr</a>.');
    expect(html).toContain('Hébergement : Hébergeur SAS, 2 rue des Serveurs, 59000 Lille.');
    // The right to complain to the supervisory authority.
    expect(html).toContain('vous pouvez adresser une réclamation à la CNIL');
  });

  it('links to a DPO’s contact form when that is what is configured', async () => {
    t = await startTestApp({ DPO_CONTACT: 'https://www.region-exemple.fr/contact-dpo' });
    expect(await notice(t)).toContain('<a href="https://www.region-exemple.fr/contact-dpo">https://www.region-exemple.fr/contact-dpo</a>');
  });

  it('says, left unconfigured, that the desk is a demonstration', async () => {
    t = await startTestApp();
    const html = await notice(t);
    expect(html).toContain('Le responsable du traitement est <strong>Guichet vert (démonstration)</strong>');
    expect(html).toContain('Hébergement : hébergeur non renseigné (déploiement de démonstration).');
  });
});
