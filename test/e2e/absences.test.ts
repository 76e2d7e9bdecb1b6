import { randomUUID } from 'node:crypto';
import { parisDay } from '../../src/common/clock';
import { insertFacilitator } from '../support/facilitators';
import { csrfIn, insertStaff, StaffClient } from '../support/staff';
import { submitRequest, TestApp, useTestApp, waitFor } from '../support/test-app';

const DAY_MS = 24 * 3600 * 1000;
const dayFromToday = (days: number) => parisDay(new Date(Date.now() + days * DAY_MS));

describe('absence pages: a facilitator’s own, and their network’s animators’ (worker running)', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app), {}, { api: true, worker: true });

  const page = (facilitatorId: string) => `/espace/facilitateurs/${facilitatorId}/absences`;
  const absencesOf = (facilitatorId: string) =>
    t.dataSource.query(
      `SELECT starts_on::text AS "startsOn", ends_on::text AS "endsOn", reason FROM facilitator_absences WHERE facilitator_id = $1 ORDER BY starts_on`,
      [facilitatorId],
    );

  async function signedIn(seed: Parameters<typeof insertStaff>[1]): Promise<StaffClient> {
    const { email } = await insertStaff(t.dataSource, seed);
    const client = new StaffClient(t.url);
    expect((await client.signIn(email)).status).toBe(303);
    return client;
  }

  async function declare(client: StaffClient, facilitatorId: string, form: Record<string, string>): Promise<Response> {
    const csrf = csrfIn(await (await client.get(page(facilitatorId))).text());
    return client.post(page(facilitatorId), { _csrf: csrf, ...form });
  }

  async function holderOf(reference: string): Promise<string> {
    return waitFor(async () => {
      const [row] = await t.dataSource.query(`SELECT status, assigned_facilitator_id AS holder FROM requests WHERE reference = $1`, [
        reference,
      ]);
      return row.status === 'assigned' && row.holder;
    });
  }

  it('lets a facilitator declare an absence from the workspace; no new request comes to them meanwhile; they delete it', async () => {
    const away = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Maëlle' });
    const colleague = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Corentin' });
    const client = await signedIn({ role: 'facilitator', facilitatorId: away, networks: ['aura-ee'] });

    const workspace = await (await client.get('/espace')).text();
    expect(workspace).toContain(`href="${page(away)}"`);
    const empty = await (await client.get(page(away))).text();
    expect(empty).toContain('<h1>Mes absences</h1>');
    expect(empty).toContain('Aucune absence en cours ni à venir.');

    const today = dayFromToday(0);
    const end = dayFromToday(6);
    const saved = await declare(client, away, { startsOn: today, endsOn: end, reason: 'Congés <d’été>' });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`${page(away)}?fait=ajout`);
    expect(await absencesOf(away)).toEqual([{ startsOn: today, endsOn: end, reason: 'Congés <d’été>' }]);
    const listed = await (await client.get(`${page(away)}?fait=ajout`)).text();
    expect(listed).toContain('L’absence est enregistrée');
    expect(listed).toContain('en cours');
    expect(listed).toContain('Congés &lt;d’été&gt;');
    expect(listed).not.toContain('Congés <d’été>');

    // Routing reads the absence: three new requests of the network all go to the colleague.
    for (const n of [1, 2, 3]) expect(await holderOf(await submitRequest(t, n))).toBe(colleague);

    const [{ id: absenceId }] = await t.dataSource.query(`SELECT id FROM facilitator_absences WHERE facilitator_id = $1`, [away]);
    const removed = await client.post(`${page(away)}/${absenceId}/suppression`, { _csrf: csrfIn(listed) });
    expect(removed.status).toBe(303);
    expect(removed.headers.get('location')).toBe(`${page(away)}?fait=suppression`);
    expect(await absencesOf(away)).toEqual([]);
    expect(await (await client.get(`${page(away)}?fait=suppression`)).text()).toContain('L’absence est supprimée.');
    // Back at work: the next request goes to the less loaded of the two, now them.
    expect(await holderOf(await submitRequest(t, 4))).toBe(away);
  });

  it('says what is wrong, in French, keeps what was typed and writes nothing', async () => {
    const id = await insertFacilitator(t.dataSource, { network: 'aura-ee' });
    const client = await signedIn({ role: 'facilitator', facilitatorId: id, networks: ['aura-ee'] });

    const blank = await declare(client, id, { startsOn: '', endsOn: '', reason: '' });
    expect(blank.status).toBe(400);
    const blankHtml = await blank.text();
    expect(blankHtml).toContain('2 erreurs empêchent l’envoi de l’absence');
    expect(blankHtml).toContain('Indiquez le premier jour d’absence.');
    expect(blankHtml).toContain('Indiquez le dernier jour d’absence.');
    expect(blankHtml).toContain('href="#f-startsOn"');

    const backwards = await declare(client, id, { startsOn: dayFromToday(10), endsOn: dayFromToday(9), reason: 'Formation' });
    expect(backwards.status).toBe(400);
    const backwardsHtml = await backwards.text();
    expect(backwardsHtml).toContain('La fin de l’absence ne peut pas précéder son début.');
    expect(backwardsHtml).toContain(`value="${dayFromToday(10)}"`);
    expect(backwardsHtml).toContain('value="Formation"');

    expect((await declare(client, id, { startsOn: '2031-02-30', endsOn: '2031-03-02' })).status).toBe(400);
    expect((await declare(client, id, { startsOn: dayFromToday(20), endsOn: dayFromToday(21), reason: 'x'.repeat(201) })).status).toBe(400);
    expect(await absencesOf(id)).toEqual([]);

    expect((await declare(client, id, { startsOn: dayFromToday(20), endsOn: dayFromToday(25) })).status).toBe(303);
    const overlap = await declare(client, id, { startsOn: dayFromToday(24), endsOn: dayFromToday(30) });
    expect(overlap.status).toBe(409);
    expect(await overlap.text()).toContain('Cette absence chevauche celle du');
    expect(await absencesOf(id)).toHaveLength(1);

    // A form without its anti-forgery token changes nothing.
    const forged = await client.post(page(id), { startsOn: dayFromToday(40), endsOn: dayFromToday(41) });
    expect(forged.status).toBe(400);
    expect(await absencesOf(id)).toHaveLength(1);
  });

  it('lets animators manage their networks’ facilitators’ absences; for anyone else the page does not exist', async () => {
    const id = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Ophélie' });
    const animator = await signedIn({ role: 'animator', networks: ['aura-ee'] });
    const loads = await (await animator.get('/espace/facilitateurs')).text();
    expect(loads).toContain(`href="${page(id)}"`);
    const own = await (await animator.get(page(id))).text();
    expect(own).toContain('<h1>Absences de Ophélie Test</h1>');

    expect((await declare(animator, id, { startsOn: dayFromToday(3), endsOn: dayFromToday(4), reason: 'Arrêt' })).status).toBe(303);
    expect(await absencesOf(id)).toEqual([{ startsOn: dayFromToday(3), endsOn: dayFromToday(4), reason: 'Arrêt' }]);

    const peer = await signedIn({
      role: 'facilitator',
      facilitatorId: await insertFacilitator(t.dataSource, { network: 'aura-ee' }),
      networks: ['aura-ee'],
    });
    const foreignAnimator = await signedIn({ role: 'animator', networks: ['reseco'] });
    const [{ id: absenceId }] = await t.dataSource.query(`SELECT id FROM facilitator_absences WHERE facilitator_id = $1`, [id]);
    for (const outsider of [peer, foreignAnimator]) {
      const csrf = csrfIn(await (await outsider.get('/espace/compte')).text());
      expect((await outsider.get(page(id))).status).toBe(404);
      expect((await outsider.post(page(id), { _csrf: csrf, startsOn: dayFromToday(8), endsOn: dayFromToday(9) })).status).toBe(404);
      expect((await outsider.post(`${page(id)}/${absenceId}/suppression`, { _csrf: csrf })).status).toBe(404);
    }
    expect(await absencesOf(id)).toHaveLength(1);

    const animatorCsrf = csrfIn(own);
    expect((await animator.post(`${page(id)}/${randomUUID()}/suppression`, { _csrf: animatorCsrf })).status).toBe(404);
    expect((await animator.get(`/espace/facilitateurs/pas-un-identifiant/absences`)).status).toBe(404);
    expect((await animator.post(`${page(id)}/${absenceId}/suppression`, { _csrf: animatorCsrf })).status).toBe(303);
    expect(await absencesOf(id)).toEqual([]);
  });
});
