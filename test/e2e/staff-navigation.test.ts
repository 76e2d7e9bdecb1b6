import { insertFacilitator } from '../support/facilitators';
import { insertStaff, StaffClient } from '../support/staff';
import { TestApp, useTestApp } from '../support/test-app';

/** Every staff page carries the main navigation of the person's role, their section marked; public pages none. */
describe('staff navigation', () => {
  let t: TestApp;
  useTestApp((app) => (t = app));

  const navigationOf = (html: string) => {
    const nav = html.match(/<nav class="fr-nav[^"]*" id="navigation-principale"[\s\S]*?<\/nav>/)?.[0] ?? '';
    return [...nav.matchAll(/<a class="fr-nav__link"( aria-current="(\w+)")? href="([^"]+)">([^<]+)<\/a>/g)].map(
      ([, , current, href, label]) => `${label} ${href}${current ? ` (${current})` : ''}`,
    );
  };

  it('lists what the role may open and marks the section shown', async () => {
    const facilitatorId = await insertFacilitator(t.dataSource);
    const facilitator = await insertStaff(t.dataSource, { role: 'facilitator', facilitatorId, networks: ['aura-ee'] });
    const asFacilitator = new StaffClient(t.url);
    await asFacilitator.signIn(facilitator.email);
    expect(navigationOf(await (await asFacilitator.get(`/espace/facilitateurs/${facilitatorId}/absences`)).text())).toEqual([
      'Mes demandes /espace',
      'Évaluations /espace/evaluations',
      `Ma fiche /espace/facilitateurs/${facilitatorId}/fiche`,
      `Mes absences /espace/facilitateurs/${facilitatorId}/absences (page)`,
    ]);

    const animator = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] });
    const asAnimator = new StaffClient(t.url);
    await asAnimator.signIn(animator.email);
    expect(navigationOf(await (await asAnimator.get(`/espace/facilitateurs/${facilitatorId}/fiche`)).text())).toEqual([
      'Demandes /espace',
      'Évaluations /espace/evaluations',
      'Indicateurs /espace/indicateurs',
      'Facilitateurs /espace/facilitateurs (true)',
      'Modèles de réponse /espace/modeles',
      'Comptes /espace/comptes',
      'Réseaux /espace/reseaux',
      'Journal /espace/journal',
    ]);
    expect(navigationOf(await (await asAnimator.get('/espace')).text())[0]).toBe('Demandes /espace (page)');
    expect(navigationOf(await (await asAnimator.get('/espace/compte')).text()).filter((item) => item.endsWith(')'))).toEqual([]);

    expect(await (await fetch(`${t.url}/`)).text()).not.toContain('navigation-principale');
  });
});
