/**
 * Changing a staff account's address (a typo in the invitation, a new domain): sign-in, e-mails and the facilitator
 * record move together, by the accounts page or by the record's own address in the directory.
 */
import { AccountsService } from '../../src/modules/accounts/accounts.service';
import { mailsTo } from '../support/conversation';
import { insertFacilitator } from '../support/facilitators';
import { bearerFor, insertStaff, StaffClient, signedInStaff, type StaffSeed } from '../support/staff';
import { TestApp, useTestApp } from '../support/test-app';

describe('a staff account’s address', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app));

  const emailOf = async (table: 'staff_users' | 'facilitators', id: string) =>
    (await t.dataSource.query(`SELECT email FROM ${table} WHERE id = $1`, [id]))[0].email as string;
  const mails = async (template: string) =>
    (await t.dataSource.query(`SELECT recipient FROM mail_messages WHERE template = $1 ORDER BY recipient`, [template])).map(
      (row: { recipient: string }) => row.recipient,
    );

  const signedIn = (seed: StaffSeed) => signedInStaff(t, seed);
  /** A facilitator of aura-ee and the account that holds their record, at one address. */
  async function facilitatorWithAccount(email: string): Promise<{ facilitatorId: string; id: string }> {
    const facilitatorId = await insertFacilitator(t.dataSource, { network: 'aura-ee', email });
    const { id } = await insertStaff(t.dataSource, { role: 'facilitator', facilitatorId, email, networks: ['aura-ee'] });
    return { facilitatorId, id };
  }

  it('moves a facilitator’s sign-in and record to the new address, and tells both addresses', async () => {
    const { facilitatorId, id } = await facilitatorWithAccount('alix@ancien.example.org');
    const animator = await signedIn({ role: 'animator', networks: ['aura-ee'], email: 'anim.aura@example.org' });
    expect(await (await animator.get('/espace/comptes')).text()).toContain(`href="/espace/comptes/${id}/adresse">Changer`);

    const form = await (await animator.get(`/espace/comptes/${id}/adresse`)).text();
    expect(form).toContain('value="alix@ancien.example.org"');
    expect(form).toContain('c’est aussi celle de sa fiche de facilitateur');
    const done = await animator.submit(`/espace/comptes/${id}/adresse`, `/espace/comptes/${id}/adresse`, {
      email: ' Alix@Nouveau.example.org ',
    });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/espace/comptes?fait=adresse');
    expect(await emailOf('staff_users', id)).toBe('alix@nouveau.example.org');
    expect(await emailOf('facilitators', facilitatorId)).toBe('alix@nouveau.example.org');
    expect(await mails('staff-email-changed')).toEqual(['alix@ancien.example.org', 'alix@nouveau.example.org']);
    // Both addresses read who to question about a change they did not expect.
    for (const mail of await mailsTo(t, 'staff-email-changed')) {
      expect(mail.text_body).toContain('Sam Essai (anim.aura@example.org) a fait ce changement : si vous ne l’attendiez pas, écrivez-lui.');
      expect(mail.html_body).toContain('Sam Essai (anim.aura@example.org) a fait ce changement');
    }
    expect((await new StaffClient(t.url).signIn('alix@nouveau.example.org')).status).toBe(303);
    expect((await new StaffClient(t.url).signIn('alix@ancien.example.org')).status).toBe(401);

    const again = await animator.submit(`/espace/comptes/${id}/adresse`, `/espace/comptes/${id}/adresse`, {
      email: 'alix@nouveau.example.org',
    });
    expect(again.headers.get('location')).toBe('/espace/comptes?fait=adresse-inchangee');
    expect(await mails('staff-email-changed')).toHaveLength(2);
  });

  it('voids a password-reset link sent to the old address: that mailbox may be someone else’s now', async () => {
    const { id } = await facilitatorWithAccount('dominique@ancien.example.org');
    const reset = await new StaffClient(t.url).submit('/mot-de-passe/oubli', '/mot-de-passe/oubli', {
      email: 'dominique@ancien.example.org',
    });
    expect(reset.status).toBe(200);
    const [{ text_body: text }] = await mailsTo(t, 'password-reset');
    const link = new URL(text.match(/http:\/\/\S+\/mot-de-passe\/nouveau\/\S+/)![0]).pathname;
    expect((await new StaffClient(t.url).get(link)).status).toBe(200);

    const animator = await signedIn({ role: 'animator', networks: ['aura-ee'] });
    const done = await animator.submit(`/espace/comptes/${id}/adresse`, `/espace/comptes/${id}/adresse`, {
      email: 'dominique@nouveau.example.org',
    });
    expect(done.status).toBe(303);
    expect((await new StaffClient(t.url).get(link)).status).toBe(404);
  });

  it('sends an invitation not used yet again to the corrected address; the first link stops working', async () => {
    const accounts = t.app.get(AccountsService);
    const { account, link } = await accounts.invite(
      { email: 'camile@exemple.org', firstName: 'Camille', lastName: 'Roux', role: 'animator', networkCodes: ['aura-ee'] },
      null,
    );
    const admin = await signedIn({ role: 'admin' });
    const done = await admin.submit(`/espace/comptes/${account.id}/adresse`, `/espace/comptes/${account.id}/adresse`, {
      email: 'camille@exemple.org',
    });
    expect(done.headers.get('location')).toBe('/espace/comptes?fait=adresse-invitation');
    expect(await mails('staff-invitation')).toEqual(['camille@exemple.org']);
    expect(await mails('staff-email-changed')).toEqual([]);
    await expect(accounts.accountOfLink(link!.split('/').pop()!)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses an address taken by another account or record, or that cannot be one; another network’s account does not exist', async () => {
    const { id } = await facilitatorWithAccount('dominique@example.org');
    await insertStaff(t.dataSource, { role: 'animator', email: 'animation@example.org', networks: ['reseco'] });
    await insertFacilitator(t.dataSource, { network: 'aura-ee', email: 'sans-compte@example.org' });
    const admin = await signedIn({ role: 'admin' });
    for (const [email, status, message] of [
      ['animation@example.org', 409, 'Cette adresse est déjà celle d’un autre compte de l’espace.'],
      ['sans-compte@example.org', 409, 'Cette adresse est déjà celle d’une autre fiche de facilitateur.'],
      ['dominique.example.org', 400, 'Indiquez une adresse électronique valide, par exemple nom@exemple.fr.'],
    ] as const) {
      const refused = await admin.submit(`/espace/comptes/${id}/adresse`, `/espace/comptes/${id}/adresse`, { email });
      expect(refused.status).toBe(status);
      const html = await refused.text();
      expect(html).toContain(message);
      expect(html).toContain(`value="${email}"`);
    }
    expect(await emailOf('staff_users', id)).toBe('dominique@example.org');
    expect(await mails('staff-email-changed')).toEqual([]);

    const foreign = await signedIn({ role: 'animator', networks: ['reseco'] });
    expect((await foreign.get(`/espace/comptes/${id}/adresse`)).status).toBe(404);
    const own = await insertStaff(t.dataSource, { role: 'admin', email: 'moi@example.org' });
    expect((await admin.get(`/espace/comptes/${own.id}/adresse`)).status).toBe(200);
  });

  it('moves an account holding no record to a record’s address only when it can hold it, and then it does', async () => {
    const record = await insertFacilitator(t.dataSource, { network: 'reseco', email: 'sans-titulaire@example.org' });
    const admin = await signedIn({ role: 'admin' });
    const other = await insertStaff(t.dataSource, { role: 'admin' });
    const foreign = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] });
    for (const { id } of [other, foreign]) {
      const refused = await admin.submit(`/espace/comptes/${id}/adresse`, `/espace/comptes/${id}/adresse`, {
        email: 'sans-titulaire@example.org',
      });
      expect(refused.status).toBe(409);
      expect(await refused.text()).toContain('Cette adresse est celle d’une fiche de facilitateur du réseau « RESECO »');
      expect(await emailOf('staff_users', id)).not.toBe('sans-titulaire@example.org');
    }
    expect(await mails('staff-email-changed')).toEqual([]);

    const animator = await insertStaff(t.dataSource, { role: 'animator', networks: ['reseco'] });
    const moved = await admin.submit(`/espace/comptes/${animator.id}/adresse`, `/espace/comptes/${animator.id}/adresse`, {
      email: 'sans-titulaire@example.org',
    });
    expect(moved.headers.get('location')).toBe('/espace/comptes?fait=adresse');
    expect(await t.dataSource.query(`SELECT email, facilitator_id FROM staff_users WHERE id = $1`, [animator.id])).toEqual([
      { email: 'sans-titulaire@example.org', facilitator_id: record },
    ]);
    expect(await emailOf('facilitators', record)).toBe('sans-titulaire@example.org');
  });

  it('a record’s new address in the directory moves the account that holds it, unless another account has it', async () => {
    const { facilitatorId, id } = await facilitatorWithAccount('sacha@example.org');
    await insertStaff(t.dataSource, { role: 'admin', email: 'pris@example.org' });
    const authorization = await bearerFor(t, { role: 'admin' });
    const patchRecord = (record: string, email: string) =>
      fetch(`${t.url}/api/v1/facilitators/${record}`, {
        method: 'PATCH',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ email }),
      });
    const patch = (email: string) => patchRecord(facilitatorId, email);
    expect((await patch('sacha.martin@example.org')).status).toBe(200);
    expect(await emailOf('staff_users', id)).toBe('sacha.martin@example.org');
    expect(await mails('staff-email-changed')).toEqual(['sacha.martin@example.org', 'sacha@example.org']);
    const [toOld] = (await mailsTo(t, 'staff-email-changed')).filter((mail) => mail.recipient === 'sacha@example.org');
    expect(toOld.text_body).toMatch(/Sam Essai \(admin-[0-9a-f]{8}@example\.org\) a fait ce changement/);

    // Invited but not signed in yet: the corrected record's address gets the invitation again, the old link stops.
    const pendingRecord = await insertFacilitator(t.dataSource, { network: 'aura-ee', email: 'noa@exmple.org' });
    const { account, link } = await t.app.get(AccountsService).invite({ email: 'noa@exmple.org', role: 'facilitator' }, null);
    const corrected = await patchRecord(pendingRecord, 'noa@example.org');
    expect(corrected.status).toBe(200);
    expect(await emailOf('staff_users', account.id)).toBe('noa@example.org');
    expect(await mails('staff-invitation')).toEqual(['noa@example.org']);
    await expect(t.app.get(AccountsService).accountOfLink(link!.split('/').pop()!)).rejects.toMatchObject({ code: 'not_found' });

    const taken = await patch('pris@example.org');
    expect(taken.status).toBe(409);
    expect((await taken.json()).errors).toEqual([
      { field: 'email', message: 'Cette adresse est déjà celle d’un autre compte de l’espace.' },
    ]);
    expect(await emailOf('facilitators', facilitatorId)).toBe('sacha.martin@example.org');
  });
});
