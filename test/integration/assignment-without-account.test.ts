import { RoutingService } from '../../src/modules/routing/routing.service';
import { mailsTo } from '../support/conversation';
import { insertFacilitator } from '../support/facilitators';
import { insertStaff } from '../support/staff';
import { submitRequest, TestApp, useTestApp } from '../support/test-app';

/** A facilitator who cannot sign in yet (imported, or invited without a password) still gets requests: the e-mail says how to get in. */
describe('the assignment e-mail of a facilitator without a usable account', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app), {}, { api: true, worker: false });

  it('asks an imported facilitator to get invited, an invited one to choose a password, and says nothing more to one who signs in', async () => {
    await insertFacilitator(t.dataSource, { email: 'importe@example.org', capacity: 1 });
    const invited = await insertFacilitator(t.dataSource, { email: 'invite@example.org', capacity: 1 });
    await insertStaff(t.dataSource, { role: 'facilitator', facilitatorId: invited, email: 'invite@example.org', password: null });
    const signedUp = await insertFacilitator(t.dataSource, { email: 'inscrit@example.org', capacity: 1 });
    await insertStaff(t.dataSource, { role: 'facilitator', facilitatorId: signedUp, email: 'inscrit@example.org' });
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      const reference = await submitRequest(t, n);
      ids.push((await t.dataSource.query(`SELECT id FROM requests WHERE reference = $1`, [reference]))[0].id);
    }
    await t.app.get(RoutingService).routeAll(ids);

    const mails = new Map((await mailsTo(t, 'facilitator-assignment')).map((m) => [m.recipient, m]));
    expect([...mails.keys()].sort()).toEqual(['importe@example.org', 'inscrit@example.org', 'invite@example.org']);
    const noAccount =
      'Vous n’avez pas encore de compte sur l’espace du guichet, où l’on prend en charge les demandes : demandez à l’animation de votre réseau de vous inviter';
    const noPassword = 'Vous n’avez pas encore choisi votre mot de passe : suivez d’abord le lien de l’invitation reçue par courriel';
    for (const body of ['text_body', 'html_body'] as const) {
      expect(mails.get('importe@example.org')![body]).toContain(noAccount);
      expect(mails.get('invite@example.org')![body]).toContain(noPassword);
      expect(mails.get('invite@example.org')![body]).not.toContain(noAccount);
      expect(mails.get('inscrit@example.org')![body]).not.toContain(noAccount);
      expect(mails.get('inscrit@example.org')![body]).not.toContain(noPassword);
    }
    expect(mails.get('inscrit@example.org')!.text_body).toMatch(/\/espace\/demandes\/GV-\S+\n\nLe guichet vert/);
  });
});
