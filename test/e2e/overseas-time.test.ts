import { insertStaff, StaffClient } from '../support/staff';
import { TestApp, useTestApp, validRequestBody } from '../support/test-app';

const at = (zone: string, instant: Date) =>
  new Intl.DateTimeFormat('fr-FR', { timeZone: zone, dateStyle: 'long', timeStyle: 'short' }).format(instant).replace(/^1 /, '1er ');

describe('a request from an overseas département, in its own time', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app));

  it('its buyer reads the times of La Réunion; staff read them named, and Paris times of others unnamed', async () => {
    const submitted = await fetch(`${t.url}/api/v1/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(validRequestBody(1, { departmentCode: '974' })),
    });
    const { reference, trackingUrl } = await submitted.json();
    const [{ created_at: createdAt }] = await t.dataSource.query(`SELECT created_at FROM requests WHERE reference = $1`, [reference]);
    const local = at('Indian/Reunion', createdAt);
    expect(local).not.toBe(at('Europe/Paris', createdAt));

    const tracking = await (await fetch(trackingUrl)).text();
    expect(tracking).toContain(`<tr><th scope="row">Déposée le</th><td>${local}</td></tr>`);
    expect(tracking).toContain(`<time datetime="${createdAt.toISOString()}">${local}</time> — `);

    const { email } = await insertStaff(t.dataSource, { role: 'admin' });
    const staff = new StaffClient(t.url);
    await staff.signIn(email);
    const page = await (await staff.get(`/espace/demandes/${reference}`)).text();
    expect(page).toContain(`<li>Déposée le ${local} (heure de La Réunion)</li>`);

    const metropolitan = await fetch(`${t.url}/api/v1/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(validRequestBody(2, { departmentCode: '38' })),
    });
    const other = (await metropolitan.json()).reference;
    const [{ created_at: otherCreatedAt }] = await t.dataSource.query(`SELECT created_at FROM requests WHERE reference = $1`, [other]);
    expect(await (await staff.get(`/espace/demandes/${other}`)).text()).toContain(
      `<li>Déposée le ${at('Europe/Paris', otherCreatedAt)}</li>`,
    );
  });
});
