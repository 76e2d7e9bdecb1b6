import { insertFacilitator } from '../support/facilitators';
import { sentMailFile } from '../support/conversation';
import { StaffAuthService } from '../../src/modules/accounts/staff-auth.service';
import { bearerFor, pageFormOf, signedInAccount, signedInStaff, StaffClient } from '../support/staff';
import { submitRequest, TestApp, useTestApp, waitFor } from '../support/test-app';

/** The Subject of a sent e-mail, as its file gives it. */
const subjectOf = (mail: string) => /^Subject: (.*)$/m.exec(mail)![1].trim();

/**
 * A facilitator whose request was taken from them, as their mailbox and an old e-mail's link show it: each staff mail
 * names the request by its purchase too, a request coming back says so, and its page says it is no longer theirs.
 */
describe('a request taken from its holder, then given back to them (worker running)', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app), {}, { api: true, worker: true });

  const page = (reference: string) => `/espace/demandes/${reference}`;
  const holderOf = async (reference: string): Promise<string | null> =>
    (await t.dataSource.query(`SELECT assigned_facilitator_id AS holder FROM requests WHERE reference = $1`, [reference]))[0].holder;

  /** Annie, an animator of the network, gives the request to `to` from the reassignment page. */
  async function reassign(annie: StaffClient, reference: string, to: string): Promise<void> {
    const path = `${page(reference)}/reaffectation`;
    const moved = await annie.post(path, { ...(await pageFormOf(annie, path, path)), facilitatorId: to, reason: 'Rééquilibrage' });
    expect(moved.status).toBe(303);
  }

  it('names the request by its purchase in every mail of its holders, and tells the former holder it comes back to them', async () => {
    const alex = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Alex', email: 'alex@example.org' });
    const reference = await submitRequest(t, 61);
    await waitFor(async () => (await holderOf(reference)) === alex, 10_000, 'routée à Alex');
    const about = `${reference} « Fournitures de bureau et loi AGEC 61 »`;
    expect(subjectOf(await sentMailFile(t, 'facilitator-assignment', 'alex@example.org'))).toBe(`Nouvelle demande ${about}`);

    const dominique = await insertFacilitator(t.dataSource, { network: 'aura-ee', email: 'dominique@example.org' });
    const { client: annie } = await signedInAccount(
      t,
      { role: 'animator', networks: ['aura-ee'] },
      { firstName: 'Annie', lastName: 'Roux' },
    );
    await reassign(annie, reference, dominique);
    expect(subjectOf(await sentMailFile(t, 'assignment-withdrawn', 'alex@example.org'))).toBe(`Demande ${about} : elle vous est retirée`);
    expect(subjectOf(await sentMailFile(t, 'facilitator-assignment', 'dominique@example.org'))).toBe(`Nouvelle demande ${about}`);

    // Back to Alex, who held it before: not a « Nouvelle demande » beside their « elle vous est retirée ».
    await reassign(annie, reference, alex);
    const comesBack = await sentMailFile(t, 'facilitator-assignment', 'alex@example.org', 2);
    expect(subjectOf(comesBack)).toBe(`Demande ${about} : elle vous est confiée à nouveau`);
    // The text and the HTML body say it too.
    expect(comesBack).toContain(`La demande ${reference} vous est confiée à nouveau`);
    expect(comesBack).toContain('</strong> vous est confiée à nouveau');
    expect(subjectOf(await sentMailFile(t, 'assignment-withdrawn', 'dominique@example.org'))).toBe(
      `Demande ${about} : elle vous est retirée`,
    );
  });

  it('tells a former holder opening its page that it is no longer theirs (404), the change that took it while it is the latest, others nothing', async () => {
    const alex = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Alex' });
    const reference = await submitRequest(t, 62);
    await waitFor(async () => (await holderOf(reference)) === alex, 10_000, 'routée à Alex');
    const { client: alexClient, id: alexAccount } = await signedInAccount(t, {
      role: 'facilitator',
      facilitatorId: alex,
      networks: ['aura-ee'],
    });
    expect((await alexClient.get(page(reference))).status).toBe(200);
    const alexToken = `Bearer ${await t.app.get(StaffAuthService).createApiToken(alexAccount, 'tests')}`;
    const apiRead = (ref: string, authorization: string) => fetch(`${t.url}/api/v1/staff/requests/${ref}`, { headers: { authorization } });
    expect((await apiRead(reference, alexToken)).status).toBe(200);

    const dominique = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Dominique', lastName: 'Durand' });
    const { client: annie } = await signedInAccount(
      t,
      { role: 'animator', networks: ['aura-ee'] },
      { firstName: 'Annie', lastName: 'Roux' },
    );
    await reassign(annie, reference, dominique);

    const taken = await alexClient.get(page(reference));
    expect(taken.status).toBe(404);
    const takenHtml = await taken.text();
    expect(takenHtml).toContain(
      'Cette demande ne vous est plus confiée. Dernier changement : Annie Roux a confié cette demande à un autre facilitateur.',
    );
    expect(takenHtml).toContain('<a class="fr-btn" href="/espace">Mes demandes</a>');
    // Nothing of who holds it now, nor of its state.
    expect(takenHtml).not.toContain('Dominique');
    expect(takenHtml).not.toContain('Durand');
    expect(takenHtml).not.toContain('Fournitures de bureau');
    expect(takenHtml).not.toContain('Page introuvable');
    // The API says the same to the same person, still a 404.
    const takenApi = await apiRead(reference, alexToken);
    expect(takenApi.status).toBe(404);
    const takenBody = await takenApi.json();
    expect(takenBody).toMatchObject({
      statusCode: 404,
      code: 'not_found',
      message: 'Cette demande ne vous est plus confiée. Dernier changement : Annie Roux a confié cette demande à un autre facilitateur.',
    });
    expect(JSON.stringify(takenBody)).not.toContain('Dominique');

    // Never its holder: the bare 404, as for a reference that does not exist.
    const stranger = await signedInStaff(t, {
      role: 'facilitator',
      facilitatorId: await insertFacilitator(t.dataSource, { network: 'aura-ee' }),
      networks: ['aura-ee'],
    });
    const [strangers, unknown] = [await stranger.get(page(reference)), await stranger.get(page('GV-2026-999999'))];
    expect([strangers.status, unknown.status]).toEqual([404, 404]);
    for (const html of [await strangers.text(), await unknown.text()]) {
      expect(html).toContain('Page introuvable');
      expect(html).not.toContain('ne vous est plus confiée');
    }
    const strangerToken = await bearerFor(t, {
      role: 'facilitator',
      facilitatorId: await insertFacilitator(t.dataSource, { network: 'aura-ee' }),
      networks: ['aura-ee'],
    });
    const [strangersApi, unknownApi] = [await apiRead(reference, strangerToken), await apiRead('GV-2026-999999', strangerToken)];
    expect([strangersApi.status, unknownApi.status]).toEqual([404, 404]);
    expect(await strangersApi.json()).toEqual(await unknownApi.json());

    // Its new holder took it in charge since: still no longer theirs, but that change was not the one that took it.
    const dominiqueClient = await signedInStaff(t, { role: 'facilitator', facilitatorId: dominique, networks: ['aura-ee'] });
    const takeCharge = `${page(reference)}/prise-en-charge`;
    expect((await dominiqueClient.post(takeCharge, await pageFormOf(dominiqueClient, page(reference), takeCharge))).status).toBe(303);
    const later = await alexClient.get(page(reference));
    expect(later.status).toBe(404);
    const laterHtml = await later.text();
    expect(laterHtml).toContain('Cette demande ne vous est plus confiée.');
    expect(laterHtml).not.toContain('Dernier changement');
    expect(laterHtml).not.toContain('Dominique');
    expect(laterHtml).not.toContain('Annie');
  });
});
