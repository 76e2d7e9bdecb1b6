import { insertStaff, signedInStaff, StaffClient } from '../support/staff';
import { insertAnswer, insertClosedRequest, insertCompletedSurvey } from '../support/survey-seeds';
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

  // Moments just past midnight overseas, still the evening before in Paris: a Paris date would be a day early.
  const justPastMidnight = { mayotte: '2026-11-30T21:30:00Z', reunion: '2026-12-06T21:15:00Z' };

  it('staff read the other requests of the buyer, similar answers and undelivered mails on their own day', async () => {
    const shown = await insertClosedRequest(t.dataSource, { department: '974' });
    const other = await insertClosedRequest(t.dataSource, { department: '976', createdAt: justPastMidnight.mayotte });
    await t.dataSource.query(`UPDATE requests SET answered_at = $2 WHERE id = $1`, [other.id, '2026-12-05T21:30:00Z']);
    await t.dataSource.query(
      `INSERT INTO mail_messages (id, request_id, template, recipient, subject, text_body, html_body, status, updated_at)
       VALUES (gen_random_uuid(), $1, 'buyer-update', 'camille.martin@example.fr', 'Votre demande', 'texte', '<p>html</p>', 'abandoned', $2)`,
      [shown.id, justPastMidnight.reunion],
    );
    const staff = await signedInStaff(t, { role: 'admin' });

    const page = await (await staff.get(`/espace/demandes/${shown.reference}`)).text();
    expect(page).toContain(`déposée le 1er décembre 2026)</li>`);
    expect(page).toContain(`réponse du 6 décembre 2026`);
    expect(page).toContain(`abandonné le 7 décembre 2026 à 01:15 (heure de La Réunion)`);

    await t.dataSource.query(`UPDATE requests SET anonymised_at = $2 WHERE id = $1`, [shown.id, justPastMidnight.reunion]);
    expect(await (await staff.get(`/espace/demandes/${shown.reference}`)).text()).toContain(
      `Données personnelles effacées le 7 décembre 2026 (l’historique`,
    );
  });

  it('staff read an evaluation, its answer and its request in the request’s time, named', async () => {
    const request = await insertClosedRequest(t.dataSource, { department: '976', createdAt: justPastMidnight.mayotte });
    await insertAnswer(t, request.id, null, 'Exigez des fibres recyclées.');
    await t.dataSource.query(`UPDATE request_messages SET created_at = $2 WHERE request_id = $1`, [request.id, '2026-12-06T04:32:00Z']);
    await t.dataSource.query(`UPDATE requests SET closed_at = $2 WHERE id = $1`, [request.id, '2026-12-01T22:00:00Z']);
    const evaluation = await insertCompletedSurvey(t.dataSource, request.id, {
      completedAt: '2026-12-06T22:10:00Z',
      reviewedAt: new Date('2026-12-07T21:05:00Z'),
      sharedWithFacilitatorAt: new Date('2026-12-07T21:05:00Z'),
    });
    await t.dataSource.query(`UPDATE surveys SET answered_at = $2 WHERE id = $1`, [evaluation, '2026-12-08T21:20:00Z']);
    const staff = await signedInStaff(t, { role: 'admin' });
    const detailPage = async () => (await (await staff.get(`/espace/evaluations/${evaluation}`)).text()).replace(/\s+/g, ' ');

    const detail = await detailPage();
    expect(detail).toContain(
      `Répondu le 7 décembre 2026 à 01:10 (heure de Mayotte), modifié le 9 décembre 2026 à 00:20 (heure de Mayotte).`,
    );
    expect(detail).toContain(`Revue le 8 décembre 2026`);
    expect(detail).toContain(`Partagée avec le facilitateur le 8 décembre 2026`);
    expect(detail).toContain(`Le 6 décembre 2026 à 07:32 (heure de Mayotte)</p>`);
    expect(detail).toContain(`<li>Déposée le 1er décembre 2026, clôturée le 2 décembre 2026`);
    expect(await (await staff.get(`/espace/evaluations`)).text()).toContain(`<br>le 7 décembre 2026</td>`);

    await t.dataSource.query(`UPDATE requests SET anonymised_at = $2 WHERE id = $1`, [request.id, '2026-12-09T21:30:00Z']);
    expect(await detailPage()).toContain(`données personnelles effacées le 10 décembre 2026</li>`);
  });
});
