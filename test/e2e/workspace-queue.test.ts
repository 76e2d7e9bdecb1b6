/**
 * The queue page and its neighbours: sorted by deadline and paged by the database, with counts and filters
 * kept in the paging links; the answer deadline kept on the assignment as it moves; the notices of action
 * redirects; a move made stale meanwhile re-rendering the request page with its French summary.
 */
import { randomUUID } from 'node:crypto';
import { answerDueAt, pausesFromHistory } from '../../src/modules/requests/answer-deadline.policy';
import { parisDay } from '../../src/common/clock';
import { addWorkingDays } from '../../src/common/working-days.policy';
import { StaffAuthService } from '../../src/modules/accounts/staff-auth.service';
import { QUEUE_PAGE_SIZE } from '../../src/modules/workspace/workspace-queue.policy';
import { EscalationDigestService } from '../../src/modules/routing/escalation-digest.service';
import { staffWrites, submittedAndTaken } from '../support/conversation';
import { insertFacilitator } from '../support/facilitators';
import { bearerFor, csrfIn, insertStaff, StaffClient } from '../support/staff';
import { inOfficeHours } from '../support/surveys';
import { selectsOf } from '../support/query-plans';
import { bodyOf, submitRequest, TestApp, useTestApp, validRequestBody } from '../support/test-app';

const DAY = 24 * 3600 * 1000;

describe('the workspace queue', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app));

  /** Puts a submitted request in a state, held by the facilitator, with the deadline given (if any). */
  async function place(reference: string, facilitatorId: string, status: string, dueAt: Date | null): Promise<void> {
    const [{ id }] = await t.dataSource.query(`SELECT id FROM requests WHERE reference = $1`, [reference]);
    await t.dataSource.query(`UPDATE requests SET status = $2, assigned_facilitator_id = $3 WHERE id = $1`, [id, status, facilitatorId]);
    const taken = status !== 'assigned';
    await t.dataSource.query(
      `INSERT INTO request_assignments (id, request_id, facilitator_id, assigned_at, take_charge_due_at, taken_at, answer_due_at)
       VALUES ($1, $2, $3, now(), $4, $5, $6)`,
      [randomUUID(), id, facilitatorId, taken ? new Date() : dueAt, taken ? new Date() : null, taken ? dueAt : null],
    );
  }

  it('sorts by deadline and pages in the database, with counts, the late filter and filters kept in paging links', async () => {
    const facilitatorId = await insertFacilitator(t.dataSource, { network: 'aura-ee' });
    const staff = await insertStaff(t.dataSource, { role: 'facilitator', facilitatorId, networks: ['aura-ee'] });
    const token = await bearerFor(t, { role: 'admin' });
    const now = Date.now();
    const plan: Array<{ status: string; dueAt: Date | null }> = [
      // Submitted first, so that the undated come oldest first; deadlines in an order unlike the submissions'.
      ...[3, 2, 1].map(() => ({ status: 'awaiting_buyer', dueAt: null })),
      ...[...Array(20).keys()].map((i) => ({ status: 'in_progress', dueAt: new Date(now + (20 - i) * DAY) })),
      ...[1, 2].map(() => ({ status: 'answered', dueAt: null })),
      ...[1, 3, 2].map((d) => ({ status: 'assigned', dueAt: new Date(now - d * DAY) })),
    ];
    const placed: Array<{ reference: string; status: string; dueAt: Date | null }> = [];
    for (const [n, step] of plan.entries()) {
      const reference = await submitRequest(t, n + 1);
      await place(reference, facilitatorId, step.status, step.dueAt);
      placed.push({ reference, ...step });
    }
    const dated = placed.filter((p) => p.dueAt).sort((a, b) => a.dueAt!.getTime() - b.dueAt!.getTime());
    const expected = [...dated, ...placed.filter((p) => !p.dueAt)].map((p) => p.reference);

    const list = (query: string) => bodyOf(fetch(`${t.url}/api/v1/staff/requests?${query}`, { headers: { authorization: token } }));
    const first = await list('');
    expect(first).toMatchObject({ total: 28, page: 1, pages: 2, counts: { mine: 28, pool: 0 } });
    expect(first.counts.byStatus).toEqual({ assigned: 3, in_progress: 20, awaiting_buyer: 3, answered: 2 });
    expect(first.items).toHaveLength(QUEUE_PAGE_SIZE);
    // The page as documented in OpenAPI, key for key.
    const document = await bodyOf(fetch(`${t.url}/api/docs-json`));
    const documented = (name: string) => Object.keys(document.components.schemas[name].properties).sort();
    const keys = (value: object) => Object.keys(value).sort();
    expect(document.paths['/api/v1/staff/requests'].get.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/QueuePageDto',
    });
    expect(keys(first)).toEqual(documented('QueuePageDto'));
    expect(keys(first.counts)).toEqual(documented('QueueCountsDto'));
    for (const item of first.items) expect(keys(item)).toEqual(documented('QueueItemDto'));
    expect(keys(first.items[0].deadline)).toEqual(documented('QueueDeadlineDto'));
    const second = await list('page=2');
    expect([...first.items, ...second.items].map((i: { reference: string }) => i.reference)).toEqual(expected);
    expect(first.items.slice(0, 4).map((i: { late: boolean; deadline: { kind: string } }) => [i.late, i.deadline.kind])).toEqual([
      [true, 'take_charge'],
      [true, 'take_charge'],
      [true, 'take_charge'],
      [false, 'answer'],
    ]);
    expect(second.items.map((i: { deadline: unknown }) => i.deadline)).toEqual([null, null, null]);
    // Past the end: the last page.
    expect((await list('page=9')).page).toBe(2);

    const late = await list('late=1');
    expect(late).toMatchObject({ total: 3, pages: 1 });
    expect(late.items.map((i: { reference: string }) => i.reference)).toEqual(expected.slice(0, 3));
    expect((await list('status=in_progress&page=1')).total).toBe(20);
    // The API refuses what it does not understand rather than listing everything.
    const refused = await fetch(`${t.url}/api/v1/staff/requests?status=asigned&department=99&sort=due`, {
      headers: { authorization: token },
    });
    expect(refused.status).toBe(400);
    expect((await refused.json()).errors.map((e: { field: string }) => e.field)).toEqual(['status', 'department', 'sort']);

    // The page: the facilitator's own list, filters carried by the paging links.
    const client = new StaffClient(t.url);
    expect((await client.signIn(staff.email)).status).toBe(303);
    const html = await (await client.get('/espace?kind=environmental&department=38')).text();
    expect(html).toContain('Mes demandes (28)');
    // Filters applied: their disclosure (on a phone, or zoomed in) stays folded, counting them; they are listed under the
    // list's heading, which takes the focus only when the form asked for the list.
    expect(html).toContain('<details class="gv-filtres fr-mb-4w">\n<summary>Filtres (2 appliqués)</summary>');
    expect(html).toContain('<input type="hidden" name="filtrage" value="1">');
    expect(html).toContain('<h2 id="liste-demandes">Mes demandes : 28 demandes, avec 2 filtres</h2>');
    const submitted = await (await client.get('/espace?tab=mine&filtrage=1&q=&kind=environmental&department=38')).text();
    expect(submitted).toContain('<h2 id="liste-demandes" tabindex="-1" data-focus-on-load>Mes demandes : 28 demandes, avec 2 filtres</h2>');
    // Each cell of a row names its column, for a phone's cards.
    // Said outright for WebKit, which drops a table's semantics once its rows are cards.
    expect(html).toContain('<td role="cell" data-label="Statut">');
    expect(html).toContain('<table role="table">');
    expect(html).toMatch(/<thead role="rowgroup"><tr role="row"><th role="columnheader" scope="col">Demande<\/th>/);
    // The département filter offers the network's départements only (AURA-EE: Isère yes, Paris no).
    expect(html).toContain('<option value="38" selected>38 — Isère</option>');
    expect(html).not.toContain('75 — Paris');
    expect(html).toContain('href="/espace?tab=mine&amp;kind=environmental&amp;department=38&amp;page=2"');
    // Each late request is flagged twice: in the deadline column and, for phones, under its reference.
    expect(html.match(/En retard<\/p>/g)).toHaveLength(6);
    // Each page's title says which it is (RGAA 8.6).
    expect(html).toContain('<title>Mes demandes — page 1 sur 2 — Guichet vert</title>');
    const pageTwo = await (await client.get('/espace?kind=environmental&department=38&page=2')).text();
    expect(pageTwo).toContain('href="/espace?tab=mine&amp;kind=environmental&amp;department=38&amp;page=1"');
    expect(pageTwo).toContain('page 2 sur 2');
    expect(pageTwo).toContain('<title>Mes demandes — page 2 sur 2 — Guichet vert</title>');
    // A list of one page says no page.
    expect(await (await client.get('/espace?late=1')).text()).toContain('<title>Mes demandes — Guichet vert</title>');
  });

  it('lists requests without deadlines (closed, the pool) oldest first on every page, and counts the closed apart, whoever asks', async () => {
    const held = await insertFacilitator(t.dataSource, { network: 'aura-ee' });
    const other = await insertFacilitator(t.dataSource, { network: 'aura-ee' });
    const elsewhere = await insertFacilitator(t.dataSource, { network: 'reseco' });
    // Closed requests submitted in an order unlike their references', two at the same instant (then by id).
    const closed: string[] = [];
    for (let n = 1; n <= 30; n++) closed.push(await submitRequest(t, n, n % 10 === 0 ? { departmentCode: '35' } : {}));
    for (const [i, reference] of closed.entries()) {
      const holder = i % 10 === 9 ? elsewhere : i % 3 === 0 ? other : held;
      const day = i === 7 ? 11 : (i * 7) % 30;
      await t.dataSource.query(
        `UPDATE requests SET status = 'closed', close_reason = 'answered', closed_at = now(), assigned_facilitator_id = $2,
                created_at = now() - make_interval(days => 60 - $3) WHERE reference = $1`,
        [reference, holder, day],
      );
    }
    const pool = [await submitRequest(t, 31), await submitRequest(t, 32)];
    await t.dataSource.query(`UPDATE requests SET status = 'unassigned', created_at = now() - interval '1 day' WHERE reference = $1`, [
      pool[1],
    ]);
    await t.dataSource.query(`UPDATE requests SET status = 'unassigned' WHERE reference = $1`, [pool[0]]);
    const dated = await submitRequest(t, 33);
    await place(dated, held, 'in_progress', new Date(Date.now() + DAY));
    const oldestFirst = (
      await t.dataSource.query(
        `SELECT reference, network_code AS network, assigned_facilitator_id AS holder FROM requests WHERE status = 'closed' ORDER BY created_at, id`,
      )
    ).map((r: { reference: string; network: string; holder: string }) => r);

    const asks = [
      { token: await bearerFor(t, { role: 'admin' }), sees: () => true },
      { token: await bearerFor(t, { role: 'animator', networks: ['aura-ee'] }), sees: (r: { network: string }) => r.network === 'aura-ee' },
      {
        token: await bearerFor(t, { role: 'facilitator', facilitatorId: held, networks: ['aura-ee'] }),
        sees: (r: { holder: string }) => r.holder === held,
      },
    ];
    for (const { token, sees } of asks) {
      const list = (query: string) => bodyOf(fetch(`${t.url}/api/v1/staff/requests?${query}`, { headers: { authorization: token } }));
      const expected = oldestFirst.filter(sees).map((r: { reference: string }) => r.reference);
      const pages = [];
      for (let page = 1; page <= Math.ceil(expected.length / QUEUE_PAGE_SIZE); page++) pages.push(await list(`status=closed&page=${page}`));
      expect(pages[0]).toMatchObject({ total: expected.length, pages: pages.length });
      expect(pages.flatMap((p) => p.items.map((i: { reference: string }) => i.reference))).toEqual(expected);
      // Nothing without a deadline is late; the closed are counted beside the open ones, not in « mine ».
      expect(await list('status=closed&late=1')).toMatchObject({ total: 0, items: [] });
      expect(pages[0].counts).toMatchObject({ mine: 1, pool: 2, byStatus: { closed: expected.length, in_progress: 1 } });
      const open = await list('tab=pool');
      expect(open.items.map((i: { reference: string }) => i.reference)).toEqual([pool[1], pool[0]]);
      expect(open.counts.byStatus).toEqual({ unassigned: 2 });
    }
  });

  it('says beside the deadline the day the buyer needs the answer, flagged when it comes before the deadline', async () => {
    const facilitatorId = await insertFacilitator(t.dataSource, { network: 'aura-ee' });
    const token = await bearerFor(t, { role: 'admin' });
    const inDays = (days: number) => new Date(Date.now() + days * DAY);
    const day = (date: Date) => parisDay(date);
    const soon = await submitRequest(t, 1, { neededBy: day(inDays(3)) });
    const later = await submitRequest(t, 2, { neededBy: day(inDays(30)) });
    const undated = await submitRequest(t, 3, { neededBy: undefined });
    for (const reference of [soon, undated]) await place(reference, facilitatorId, 'in_progress', inDays(10));
    await place(later, facilitatorId, 'in_progress', inDays(5));
    const { items } = await bodyOf(fetch(`${t.url}/api/v1/staff/requests`, { headers: { authorization: token } }));
    const byReference = new Map(items.map((i: { reference: string }) => [i.reference, i]));
    expect(byReference.get(soon)).toMatchObject({ neededBy: day(inDays(3)), neededSooner: true });
    expect(byReference.get(later)).toMatchObject({ neededBy: day(inDays(30)), neededSooner: false });
    expect(byReference.get(undated)).toMatchObject({ neededBy: null, neededSooner: false });

    const client = new StaffClient(t.url);
    const { email } = await insertStaff(t.dataSource, { role: 'facilitator', facilitatorId, networks: ['aura-ee'] });
    expect((await client.signIn(email)).status).toBe(303);
    const rows = (await (await client.get('/espace')).text()).split('<tr role="row">');
    const row = (reference: string) => rows.find((r) => r.includes(`>${reference}<`))!.replace(/\s+/g, ' ');
    expect(row(soon)).toContain('L’acheteur en a besoin d’ici le');
    expect(row(soon)).toContain('Plus tôt que l’échéance');
    expect(row(later)).toContain('L’acheteur en a besoin d’ici le');
    expect(row(later)).not.toContain('Plus tôt que l’échéance');
    expect(row(undated)).not.toContain('en a besoin');

    // The list may be ordered by the buyer's date (those without one after, by deadline), or as they came.
    const order = async (query: string) =>
      (await bodyOf(fetch(`${t.url}/api/v1/staff/requests${query}`, { headers: { authorization: token } }))).items.map(
        (i: { reference: string }) => i.reference,
      );
    expect(await order('')).toEqual([later, soon, undated]);
    expect(await order('?sort=needed_by')).toEqual([soon, later, undated]);
    expect(await order('?sort=submitted')).toEqual([soon, later, undated]);
    // Narrowed to the days they were submitted (Paris days, both included), as the exports are.
    expect(await order(`?du=${day(inDays(0))}&au=${day(inDays(0))}`)).toEqual([later, soon, undated]);
    expect(await order(`?du=${day(inDays(1))}`)).toEqual([]);
    expect(await order(`?au=${day(inDays(-1))}`)).toEqual([]);
    const badDay = await fetch(`${t.url}/api/v1/staff/requests?du=31/02/2026`, { headers: { authorization: token } });
    expect(badDay.status).toBe(400);
    expect((await bodyOf(badDay)).errors).toEqual([{ field: 'du', message: 'Date attendue : AAAA-MM-JJ (ou JJ/MM/AAAA).' }]);
    const unknownOrder = await fetch(`${t.url}/api/v1/staff/requests?sort=urgence`, { headers: { authorization: token } });
    expect(unknownOrder.status).toBe(400);
    const byNeed = (await (await client.get('/espace?sort=needed_by')).text()).replace(/\s+/g, ' ');
    expect(byNeed).toContain('<option value="needed_by" selected>Par date souhaitée par l’acheteur</option>');
    expect(byNeed).toContain('Mes demandes, par date souhaitée par l’acheteur (page 1 sur 1)');
    const today = day(inDays(0));
    const byDay = await (await client.get(`/espace?du=${today}`)).text();
    expect(byDay).toContain(`id="f-du" name="du" value="${today}"`);
    expect(byDay).toContain(`href="/espace/export/demandes.csv?tab=mine&amp;ouvertes=1&amp;du=${today}"`);
    // A period in the wrong order is said, not answered with an empty list: the list goes on without it.
    const reversed = await client.get(`/espace?du=${day(inDays(10))}&au=${today}`);
    expect(reversed.status).toBe(400);
    const reversedHtml = (await reversed.text()).replace(/\s+/g, ' ');
    expect(reversedHtml).toContain('<title>Erreur — Mes demandes — Guichet vert</title>');
    expect(reversedHtml).toContain('<li><a href="#f-du">La date de début doit précéder la date de fin.</a></li>');
    expect(reversedHtml).toContain('aria-invalid="true" aria-describedby="f-du-error"');
    expect(reversedHtml).toContain(`id="f-au" name="au" value="${today}"`);
    expect(reversedHtml).toContain(`>${soon}<`);
    expect((await client.get('/espace?du=abc')).status).toBe(400);
    expect([soon, later, undated].map((reference) => byNeed.indexOf(`>${reference}<`))).toEqual(
      [...[soon, later, undated].map((reference) => byNeed.indexOf(`>${reference}<`))].sort((a, b) => a - b),
    );
  });

  it('keeps the answer deadline on the assignment: set when taken in charge', async () => {
    const facilitatorId = await insertFacilitator(t.dataSource, { network: 'aura-ee' });
    const token = await bearerFor(t, { role: 'facilitator', facilitatorId, networks: ['aura-ee'] });
    const reference = await submitRequest(t, 1);
    await place(reference, facilitatorId, 'assigned', new Date(Date.now() + DAY));
    const taken = await fetch(`${t.url}/api/v1/staff/requests/${reference}/take-charge`, {
      method: 'POST',
      headers: { authorization: token },
    });
    expect(taken.status).toBe(200);
    const [row] = await t.dataSource.query(
      `SELECT ra.taken_at AS "takenAt", ra.answer_due_at AS "dueAt" FROM request_assignments ra JOIN requests r ON r.id = ra.request_id WHERE r.reference = $1`,
      [reference],
    );
    expect(row.dueAt).toEqual(addWorkingDays(row.takenAt, t.config.ANSWER_WORKING_DAYS, '38'));
  });

  it('keeps the answer deadline on the assignment: moved by the working time of the buyer’s pause', async () => {
    const request = await submittedAndTaken(t, 1);
    const [assignment] = await t.dataSource.query(`SELECT id, taken_at AS "takenAt" FROM request_assignments WHERE request_id = $1`, [
      request.id,
    ]);
    await staffWrites(t, request, 'clarification_question', 'Quel volume ?');
    // Taken on Monday 2 November, question asked on Wednesday 4: the pause runs from then to the precision, now.
    await t.dataSource.query(`UPDATE request_assignments SET taken_at = '2026-11-02T08:00:00Z' WHERE id = $1`, [assignment.id]);
    await t.dataSource.query(
      `UPDATE request_events SET created_at = '2026-11-04T08:00:00Z' WHERE request_id = $1 AND type = 'clarification_requested'`,
      [request.id],
    );
    assignment.takenAt = new Date('2026-11-02T08:00:00Z');
    const clarified = await fetch(`${t.url}/api/v1/requests/${request.reference}/clarification`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tracking-token': request.token },
      body: JSON.stringify({ message: 'Deux mille ramettes.' }),
    });
    expect(clarified.status).toBe(200);
    const events = await t.dataSource.query(
      `SELECT from_status AS "fromStatus", to_status AS "toStatus", created_at AS "createdAt" FROM request_events WHERE request_id = $1 ORDER BY id`,
      [request.id],
    );
    const [{ dueAt }] = await t.dataSource.query(`SELECT answer_due_at AS "dueAt" FROM request_assignments WHERE id = $1`, [assignment.id]);
    const pauses = pausesFromHistory(events);
    expect(pauses).toHaveLength(1);
    // The pause's end is the transaction's clock, a hair before the event's own timestamp.
    const expected = answerDueAt(assignment.takenAt, pauses, '38', t.config.ANSWER_WORKING_DAYS)!;
    expect(Math.abs(dueAt.getTime() - expected.getTime())).toBeLessThan(1000);
    expect(dueAt.getTime()).toBeGreaterThan(addWorkingDays(assignment.takenAt, t.config.ANSWER_WORKING_DAYS, '38').getTime());
  });

  it('shows the notices of action redirects, on the queue and on the request page', async () => {
    const request = await submittedAndTaken(t, 1);
    const animator = new StaffClient(t.url);
    const { email } = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] });
    expect((await animator.signIn(email)).status).toBe(303);
    const notice = async (path: string) => /role="status"><p>([^<]*)</.exec(await (await animator.get(path)).text())?.[1] ?? null;
    expect(await notice('/espace?fait=declin')).toBe(
      'Vous avez décliné la demande : elle est attribuée de nouveau, à un collègue ou, si personne ne peut la prendre, à la réserve du réseau.',
    );
    expect(await notice('/espace?fait=transfert')).toContain('La demande est transférée');
    expect(await notice('/espace?fait=toString')).toBeNull();
    for (const [done, text] of [
      ['reaffectation', 'La demande est confiée à un autre facilitateur : il en est prévenu par courriel, comme celui qui la tenait.'],
      ['attribution', 'La demande est confiée : son facilitateur en est prévenu par courriel.'],
      ['scission', 'La demande est scindée'],
      ['cloture', 'La demande est clôturée.'],
    ]) {
      expect(await notice(`/espace/demandes/${request.reference}?fait=${done}`)).toContain(text);
    }
  });

  it('re-renders the request page with a French summary and the typed text when the request changed meanwhile (409)', async () => {
    const request = await submittedAndTaken(t, 1);
    const staff = await insertStaff(t.dataSource, { role: 'facilitator', facilitatorId: request.facilitatorId, networks: ['aura-ee'] });
    const client = new StaffClient(t.url);
    expect((await client.signIn(staff.email)).status).toBe(303);
    const csrf = csrfIn(await (await client.get(`/espace/demandes/${request.reference}`)).text());
    // Meanwhile, the buyer withdrew the request.
    const withdrawn = await fetch(`${t.url}/api/v1/requests/${request.reference}/withdrawal`, {
      method: 'POST',
      headers: { 'x-tracking-token': request.token },
    });
    expect(withdrawn.status).toBe(200);
    const form = new FormData();
    form.append('_csrf', csrf);
    form.append('body', 'Ma réponse détaillée,\nsur deux lignes.');
    form.append('items[0][type]', 'guide');
    form.append('items[0][title]', 'Guide de l’éclairage public');
    form.append('items[0][url]', 'https://exemple.fr/guide');
    const stale = await client.postMultipart(`/espace/demandes/${request.reference}/reponse`, form);
    expect(stale.status).toBe(409);
    const html = await stale.text();
    expect(html).toContain('id="resume-erreurs"');
    expect(html).toContain('Action impossible');
    expect(html).toMatch(/<blockquote id="texte-saisi"[^>]*>Ma réponse détaillée,\r?\nsur deux lignes\.<\/blockquote>/);
    // The help items typed too: the answer form may be gone with the state that allowed it.
    expect(html).toContain(
      '<ul id="aides-saisies"><li>Guide ou document : Guide de l’éclairage public — https://exemple.fr/guide</li></ul>',
    );
    expect(html).toContain('Demande ' + request.reference);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM request_messages WHERE request_id = $1 AND kind = 'answer'`, [
      request.id,
    ]);
    expect(n).toBe(0);
  });

  it('re-renders the request page with the reason when taking from the pool is refused (no room left)', async () => {
    const facilitatorId = await insertFacilitator(t.dataSource, { network: 'aura-ee', capacity: 1 });
    await t.dataSource.query(`UPDATE facilitators SET open_count = 1 WHERE id = $1`, [facilitatorId]);
    const staff = await insertStaff(t.dataSource, { role: 'facilitator', facilitatorId, networks: ['aura-ee'] });
    const reference = await submitRequest(t, 1);
    await t.dataSource.query(`UPDATE requests SET status = 'unassigned' WHERE reference = $1`, [reference]);
    const client = new StaffClient(t.url);
    expect((await client.signIn(staff.email)).status).toBe(303);
    const refused = await client.submit(`/espace/demandes/${reference}`, `/espace/demandes/${reference}/prise-en-reserve`, {});
    expect(refused.status).toBe(409);
    const html = await refused.text();
    expect(html).toContain('Action impossible');
    // The page, full as they are, no longer offers it: it says why.
    expect(html).toContain('Vous ne pouvez pas prendre cette demande de la réserve : vous avez atteint votre capacité');
    expect(html).not.toContain('Prendre cette demande de la réserve</button>');
    // Opened from the « Réserve » tab, it leads back there.
    expect(html).toContain('href="/espace?tab=pool">Retour à la liste</a>');
    // Each tab offers the statuses it can list: the pool's own status only there.
    const mine = await (await client.get('/espace')).text();
    const pool = await (await client.get('/espace?tab=pool')).text();
    expect(mine).not.toContain('<option value="unassigned"');
    expect(mine).toContain('<option value="in_progress"');
    expect(pool).toContain('<option value="unassigned">En attente d’un facilitateur disponible (1)</option>');
    expect(pool).not.toContain('<option value="in_progress"');
    // How long each has waited: the day it was submitted, under its subject.
    expect(pool).toMatch(/<br><span class="fr-text--xs">déposée le \d{1,2}(er)? \S+ \d{4}<\/span>\s*<div class="gv-file-echeance">/);
    // No deadline there yet: first come, first served, and no order by deadline offered.
    expect(pool).toContain('<option value="submitted" selected>Par date de dépôt</option>');
    expect(pool).not.toContain('<option value="deadline"');
    expect(mine).toContain('<option value="deadline" selected>Par échéance</option>');
    expect((await t.dataSource.query(`SELECT status FROM requests WHERE reference = $1`, [reference]))[0].status).toBe('unassigned');
  });
  it('searches the reference, subject, organisation and buyer’s name and address, closed requests included, within what the person may see', async () => {
    const facilitatorId = await insertFacilitator(t.dataSource, { network: 'aura-ee' });
    const staff = await insertStaff(t.dataSource, { role: 'facilitator', facilitatorId, networks: ['aura-ee'] });
    const canteen = await submitRequest(t, 1, { subject: 'Cantine scolaire : 100% bio ?' });
    const cleaning = await submitRequest(t, 2, { subject: 'Nettoyage des locaux' });
    const closed = await submitRequest(t, 3, { subject: 'Ancienne cantine' });
    const foreign = await submitRequest(t, 4, { subject: 'Cantine de Rennes', departmentCode: '35' });
    await place(canteen, facilitatorId, 'in_progress', new Date(Date.now() + DAY));
    await place(cleaning, facilitatorId, 'assigned', new Date(Date.now() + DAY));
    await place(closed, facilitatorId, 'closed', null);
    await t.dataSource.query(`UPDATE requests SET organisation_name = 'Syndicat des eaux' WHERE reference = $1`, [cleaning]);
    const client = new StaffClient(t.url);
    await client.signIn(staff.email);
    const found = async (q: string, extra = '') => {
      const html = await (await client.get(`/espace?q=${encodeURIComponent(q)}${extra}`)).text();
      return [canteen, cleaning, closed, foreign].filter((reference) => html.includes(`>${reference}</a>`));
    };

    expect(await found('CANTINE')).toEqual([canteen, closed]);
    expect(await found('cantine', '&status=in_progress')).toEqual([canteen]);
    expect(await found(cleaning.slice(-6))).toEqual([cleaning]);
    expect(await found('syndicat des')).toEqual([cleaning]);
    expect(await found('camille martin')).toEqual([canteen, cleaning, closed]);
    // A buyer asking to see or erase their data is found by their address.
    await t.dataSource.query(`UPDATE requests SET buyer_email = 'Dominique.Petit@mairie-exemple.fr' WHERE reference = $1`, [closed]);
    expect(await found('dominique.petit@mairie-exemple.fr')).toEqual([closed]);
    // Accents or not, either way: French is often typed without them.
    await t.dataSource.query(`UPDATE requests SET subject = 'Éclairage des écoles' WHERE reference = $1`, [canteen]);
    expect(await found('eclairage des ecoles')).toEqual([canteen]);
    expect(await found('ÉCLAIRAGE')).toEqual([canteen]);
    expect(await found('syndicât')).toEqual([cleaning]);
    await t.dataSource.query(`UPDATE requests SET subject = 'Cantine scolaire : 100% bio ?' WHERE reference = $1`, [canteen]);
    // The typed % is a character, not a wildcard.
    expect(await found('100%')).toEqual([canteen]);
    expect(await found('0%')).toEqual([canteen]);
    expect(await found('%')).toEqual([canteen]);
    const page = await (await client.get('/espace?q=cantine&kind=environmental')).text();
    expect(page).toContain('value="cantine"');

    const token = `Bearer ${await t.app.get(StaffAuthService).createApiToken(staff.id, 'recherche')}`;
    const api = (query: string) => fetch(`${t.url}/api/v1/staff/requests?${query}`, { headers: { authorization: token } });
    const listed = await bodyOf(api('q=cantine'));
    expect(listed.items.map((i: { reference: string }) => i.reference).sort()).toEqual([canteen, closed].sort());
    const tooLong = await api(`q=${'x'.repeat(101)}`);
    expect(tooLong.status).toBe(400);
    expect((await tooLong.json()).errors).toEqual([{ field: 'q', message: 'Recherche de 100 caractères au plus.' }]);
  });
  it('finds each searched column across accents and case, and a whole reference typed in any case names its request alone', async () => {
    const token = await bearerFor(t, { role: 'admin' });
    const [marked, plain, erased] = [await submitRequest(t, 1), await submitRequest(t, 2), await submitRequest(t, 3)];
    await t.dataSource.query(
      `UPDATE requests SET subject = $2, organisation_name = 'Mairie de Pontoise-Étréchy', buyer_first_name = 'Zoé',
              buyer_last_name = 'Lefèvre-Noël', buyer_email = 'zoe.lefevre@pontoise-etrechy.example' WHERE reference = $1`,
      [marked, `Suite de ${plain} : réfectoire`],
    );
    await t.dataSource.query(
      `UPDATE requests SET buyer_first_name = '', buyer_last_name = '', buyer_email = '', organisation_name = '',
              anonymised_at = now() WHERE reference = $1`,
      [erased],
    );
    const found = async (q: string) => {
      const body = await bodyOf(fetch(`${t.url}/api/v1/staff/requests?q=${encodeURIComponent(q)}`, { headers: { authorization: token } }));
      return body.items.map((i: { reference: string }) => i.reference).sort();
    };

    for (const q of ['REFECTOIRE', 'pontoise-etrechy', 'MAIRIE DE PONTOISE-ÉTRÉCHY', 'zoe lefevre-noel', 'LEFÈVRE', 'Zoe.Lefevre@']) {
      expect([q, await found(q)]).toEqual([q, [marked]]);
    }
    // Nothing matches across two columns: the subject's end and the organisation's start are not one phrase.
    expect(await found('réfectoire Mairie')).toEqual([]);
    // Erased, the buyer's fields are empty but the request is still found by its reference.
    expect(await found(erased.slice(1).toLowerCase())).toEqual([erased]);
    // A whole reference, in any case: that request, not another whose subject mentions it.
    expect(await found(plain.toLowerCase())).toEqual([plain]);
    expect(await found(` ${plain} `)).toEqual([plain]);
    expect(await found(plain.slice(3))).toEqual([marked, plain].sort());
  });
  it('shows animators who holds each request and lists one facilitator’s, within their networks (page, CSV, API)', async () => {
    const alix = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Alix' });
    const bao = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Bao' });
    const elsewhere = await insertFacilitator(t.dataSource, { network: 'reseco', firstName: 'Rennaise' });
    const [first, second, foreign] = [
      await submitRequest(t, 1),
      await submitRequest(t, 2),
      await submitRequest(t, 3, { departmentCode: '35' }),
    ];
    await place(first, alix, 'in_progress', new Date(Date.now() + DAY));
    await place(second, bao, 'assigned', new Date(Date.now() + 2 * DAY));
    await place(foreign, elsewhere, 'assigned', new Date(Date.now() + DAY));
    const animator = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] });
    const client = new StaffClient(t.url);
    await client.signIn(animator.email);
    const listed = (html: string) => [first, second, foreign].filter((reference) => html.includes(`>${reference}</a>`));

    const all = await (await client.get('/espace')).text();
    expect(all).toContain('<h2 id="liste-demandes">Demandes attribuées de mes réseaux : 2 demandes</h2>');
    expect(all).toContain('<th role="columnheader" scope="col">Facilitateur</th>');
    expect(all).toContain('<td role="cell" data-label="Facilitateur">Alix Test</td>');
    expect(all).toContain(`<option value="${bao}">Bao Test</option>`);
    expect(all).not.toContain('Rennaise');
    expect(listed(all)).toEqual([first, second]);

    const alixOnly = await (await client.get(`/espace?facilitator=${alix}`)).text();
    expect(listed(alixOnly)).toEqual([first]);
    expect(alixOnly).toContain(`<option value="${alix}" selected>Alix Test</option>`);
    expect(alixOnly).toContain(`href="/espace/export/demandes.csv?tab=mine&amp;ouvertes=1&amp;facilitator=${alix}"`);
    const csv = await (await client.get(`/espace/export/demandes.csv?ouvertes=1&facilitator=${alix}`)).text();
    expect(csv).toContain(first);
    expect(csv).not.toContain(second);
    // Another network's facilitator: nothing this animator may not see.
    const foreignOnly = await (await client.get(`/espace?facilitator=${elsewhere}`)).text();
    expect(listed(foreignOnly)).toEqual([]);
    expect(foreignOnly).not.toContain('Rennaise');

    const token = `Bearer ${await t.app.get(StaffAuthService).createApiToken(animator.id, 'charge')}`;
    const api = (query: string) => fetch(`${t.url}/api/v1/staff/requests?${query}`, { headers: { authorization: token } });
    const body = await bodyOf(api(`facilitator=${alix}`));
    expect(body.items.map((i: { reference: string; facilitatorName: string }) => [i.reference, i.facilitatorName])).toEqual([
      [first, 'Alix Test'],
    ]);
    expect(body).not.toHaveProperty('facilitators');
    const bad = await api('facilitator=alix');
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors).toEqual([{ field: 'facilitator', message: 'Identifiant de facilitateur attendu (UUID).' }]);

    // One network: no network filter, and another network's code shows nothing more.
    expect(all).not.toContain('id="filtre-reseau"');
    expect(listed(await (await client.get('/espace?network=reseco')).text())).toEqual([]);
    // Through the API, a network not theirs is refused by field (it listed nothing beside counts of their own).
    const foreignNetwork = await api('network=reseco');
    expect(foreignNetwork.status).toBe(400);
    expect((await foreignNetwork.json()).errors).toEqual([
      { field: 'network', message: 'Réseau inconnu ou hors de vos réseaux : code attendu, par exemple aura-ee ou reseco.' },
    ]);
    expect((await api('network=aura-ee')).status).toBe(200);
    // An admin sees every network and narrows the list to one (page, CSV link, API).
    const admin = await insertStaff(t.dataSource, { role: 'admin' });
    const adminClient = new StaffClient(t.url);
    await adminClient.signIn(admin.email);
    const everything = await (await adminClient.get('/espace')).text();
    expect(everything).toContain('id="filtre-reseau"');
    expect(listed(everything)).toEqual([first, second, foreign]);
    const reseco = await (await adminClient.get('/espace?network=reseco')).text();
    expect(listed(reseco)).toEqual([foreign]);
    expect(reseco).toContain('<option value="reseco" selected>RESECO</option>');
    expect(reseco).toContain('href="/espace/export/demandes.csv?tab=mine&amp;ouvertes=1&amp;reseau=reseco"');
    const adminToken = `Bearer ${await t.app.get(StaffAuthService).createApiToken(admin.id, 'réseaux')}`;
    const byNetwork = await bodyOf(fetch(`${t.url}/api/v1/staff/requests?network=aura-ee`, { headers: { authorization: adminToken } }));
    expect(byNetwork.items.map((i: { reference: string }) => i.reference).sort()).toEqual([first, second].sort());
    const unknownNetwork = await fetch(`${t.url}/api/v1/staff/requests?network=atlantis`, { headers: { authorization: adminToken } });
    expect(unknownNetwork.status).toBe(400);

    // A facilitator's own queue has neither the column nor the filter.
    const own = await insertStaff(t.dataSource, { role: 'facilitator', facilitatorId: alix, networks: ['aura-ee'] });
    const facilitator = new StaffClient(t.url);
    await facilitator.signIn(own.email);
    const mine = await (await facilitator.get('/espace')).text();
    expect(mine).not.toContain('id="filtre-facilitateur"');
    expect(mine).not.toContain('<th scope="col">Facilitateur</th>');
    expect(mine).toContain('<h2 id="liste-demandes">Mes demandes : 1 demande</h2>');
  });

  it('lists and marks the requests whose take-charge deadline passed again and again, still not taken: the escalation digest’s link', async () => {
    const alix = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Alix' });
    const elsewhere = await insertFacilitator(t.dataSource, { network: 'reseco' });
    const [escalated, pooled, taken, once, closed, foreign] = [
      await submitRequest(t, 1),
      await submitRequest(t, 2),
      await submitRequest(t, 3),
      await submitRequest(t, 4),
      await submitRequest(t, 5),
      await submitRequest(t, 6, { departmentCode: '35' }),
    ];
    await place(escalated, alix, 'assigned', new Date(Date.now() + DAY));
    await place(taken, alix, 'in_progress', new Date(Date.now() + DAY));
    await place(once, alix, 'assigned', new Date(Date.now() + DAY));
    await place(foreign, elsewhere, 'assigned', new Date(Date.now() + DAY));
    await t.dataSource.query(`UPDATE requests SET status = 'unassigned' WHERE reference = $1`, [pooled]);
    await t.dataSource.query(`UPDATE requests SET status = 'closed', close_reason = 'redirected', closed_at = now() WHERE reference = $1`, [
      closed,
    ]);
    const misses = { [escalated]: 2, [pooled]: 3, [taken]: 2, [once]: 1, [closed]: 2, [foreign]: 2 };
    for (const [reference, n] of Object.entries(misses)) {
      await t.dataSource.query(`UPDATE requests SET deadline_misses = $2 WHERE reference = $1`, [reference, n]);
    }
    const all = [escalated, pooled, taken, once, closed, foreign];
    const listed = (html: string) => all.filter((reference) => html.includes(`>${reference}</a>`));

    // The digest of the network's escalations links to them, in the network's list for an animator of several.
    const animator = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee', 'reseco'] });
    await t.dataSource.query(
      `INSERT INTO request_escalations (id, request_id, misses, escalated_at)
       SELECT gen_random_uuid(), id, deadline_misses, now() FROM requests WHERE reference = ANY($1)`,
      [[escalated, pooled]],
    );
    await inOfficeHours(t, () => t.app.get(EscalationDigestService).announce('aura-ee'));
    const [{ queueUrl }] = await t.dataSource.query(
      `SELECT context->>'queueUrl' AS "queueUrl" FROM mail_messages WHERE template = 'network-escalation' AND recipient = $1`,
      [animator.email],
    );
    expect(queueUrl).toBe(`${t.url}/espace?network=aura-ee&escalated=1`);

    const client = new StaffClient(t.url);
    await client.signIn(animator.email);
    // Held or in the pool, the digest's requests are all in its link's list, whatever the tab; its export likewise.
    const page = await (await client.get(queueUrl.slice(t.url.length))).text();
    expect(listed(page)).toEqual([escalated, pooled]);
    expect(page).toContain(
      '<h2 id="liste-demandes">Délai de prise en charge dépassé 2 fois ou plus, réserve comprise : 2 demandes, avec 2 filtres</h2>',
    );
    expect(page).toContain('<input type="checkbox" id="filtre-escalade" name="escalated" value="1" checked>');
    expect(page).toContain('Délai dépassé 2 fois');
    // The filter replaces the tabs, and says so with what each would hold under the same filters.
    expect(page).not.toContain('aria-label="Listes de demandes"');
    expect(page).toContain(
      '<p class="fr-mb-4w" id="sans-onglets">Ce filtre réunit en une seule liste les demandes attribuées (1) et celles de la réserve (1) : les onglets ne s’appliquent pas. Retirez-le pour les retrouver.</p>',
    );
    // Statuses of both tabs are offered, counted as listed.
    expect(page).toContain('<option value="assigned">Confiée à un facilitateur (1)</option>');
    expect(page).toContain('<option value="unassigned">En attente d’un facilitateur disponible (1)</option>');
    expect(listed(await (await client.get('/espace?tab=pool&network=aura-ee&escalated=1')).text())).toEqual([escalated, pooled]);
    expect(listed(await (await client.get('/espace?escalated=1')).text())).toEqual([escalated, pooled, foreign]);
    expect(page).toContain('href="/espace/export/demandes.csv?tab=mine&amp;ouvertes=1&amp;reseau=aura-ee&amp;escalated=1"');
    const csv = await (await client.get('/espace/export/demandes.csv?tab=mine&ouvertes=1&reseau=aura-ee&escalated=1')).text();
    expect(all.filter((reference) => csv.includes(reference))).toEqual([escalated, pooled]);
    // The page is lenient, as with `late`: a value it does not understand filters nothing.
    expect(listed(await (await client.get('/espace?escalated=oui')).text())).toEqual([escalated, taken, once, foreign]);

    // The request page marks it; one taken in charge since is marked no more (its history tells the misses).
    const marked = await (await client.get(`/espace/demandes/${escalated}`)).text();
    expect(marked).toContain('<li id="delais-depasses"><span class="fr-badge fr-badge--warning fr-badge--sm">Délai dépassé 2 fois</span>');
    expect(await (await client.get(`/espace/demandes/${taken}`)).text()).not.toContain('id="delais-depasses"');

    // A facilitator filters their own requests and the pool's; the API refuses a value it does not understand, by field.
    const token = await bearerFor(t, { role: 'facilitator', facilitatorId: alix, networks: ['aura-ee'] });
    const api = (query: string) => fetch(`${t.url}/api/v1/staff/requests?${query}`, { headers: { authorization: token } });
    const own = await bodyOf(api('escalated=1'));
    expect(
      own.items.map((i: { reference: string; escalated: boolean; deadlineMisses: number }) => [i.reference, i.escalated, i.deadlineMisses]),
    ).toEqual([
      [escalated, true, 2],
      [pooled, true, 3],
    ]);
    // Its counts follow the filter: the list's one line of each tab, whichever tab is asked.
    expect(own.counts).toEqual({ mine: 1, pool: 1, byStatus: { assigned: 1, unassigned: 1 } });
    expect((await bodyOf(api('escalated=1&tab=pool'))).items.map((i: { reference: string }) => i.reference)).toEqual([escalated, pooled]);
    const bad = await api('escalated=oui');
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors).toEqual([
      { field: 'escalated', message: 'Valeur attendue : 1 (délai de prise en charge dépassé plusieurs fois) ou 0.' },
    ]);
  });

  it('says which filters apply near the list’s heading, each removable, and counts each tab and status with them (page, API)', async () => {
    const alix = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Alix' });
    const [lateIsere, isere, rhone, pooledIsere, pooledRhone] = [
      await submitRequest(t, 1),
      await submitRequest(t, 2),
      await submitRequest(t, 3, { departmentCode: '69' }),
      await submitRequest(t, 4),
      await submitRequest(t, 5, { departmentCode: '69' }),
    ];
    await place(lateIsere, alix, 'assigned', new Date(Date.now() - DAY));
    await place(isere, alix, 'in_progress', new Date(Date.now() + DAY));
    await place(rhone, alix, 'in_progress', new Date(Date.now() - DAY));
    await t.dataSource.query(`UPDATE requests SET status = 'unassigned' WHERE reference = ANY($1)`, [[pooledIsere, pooledRhone]]);
    const animator = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] });
    const client = new StaffClient(t.url);
    await client.signIn(animator.email);
    const listed = (html: string) => [lateIsere, isere, rhone, pooledIsere, pooledRhone].filter((r) => html.includes(`>${r}</a>`));

    const html = await (await client.get('/espace?department=38&late=1&sort=submitted')).text();
    expect(listed(html)).toEqual([lateIsere]);
    expect(html).toContain('<h2 id="liste-demandes">Demandes attribuées de mes réseaux : 1 demande, avec 2 filtres</h2>');
    // A list named by its lead-in, each link saying which filter it takes away, keeping the others, the tab and the order.
    expect(html).toContain('<ul aria-labelledby="filtres-appliques-titre">');
    expect(html).toContain(
      '<li>Département : 38 — Isère — <a href="/espace?tab=mine&amp;late=1&amp;sort=submitted">Retirer ce filtre<span class="fr-sr-only"> : Département : 38 — Isère</span></a></li>',
    );
    expect(html).toContain(
      '<li>En retard seulement — <a href="/espace?tab=mine&amp;department=38&amp;sort=submitted">Retirer ce filtre<span class="fr-sr-only"> : En retard seulement</span></a></li>',
    );
    expect(html).toContain('<p><a href="/espace?tab=mine&amp;sort=submitted">Retirer tous les filtres</a></p>');
    // The tabs count what their links list with the same filters: in Isère and late, one held, none in the pool.
    expect(html).toContain('Demandes attribuées de mes réseaux (1)<span class="fr-sr-only">, filtres appliqués</span>');
    expect(html).toContain('Réserve (0)<span class="fr-sr-only">, filtres appliqués</span>');
    expect(html).toContain('<option value="assigned">Confiée à un facilitateur (1)</option>');
    expect(html).toContain('<option value="in_progress">En cours de traitement (0)</option>');

    // One filter: no « remove all »; its tabs' counts follow it.
    const isereOnly = await (await client.get('/espace?tab=pool&department=38')).text();
    expect(listed(isereOnly)).toEqual([pooledIsere]);
    expect(isereOnly).toContain('<h2 id="liste-demandes">Réserve : 1 demande, avec 1 filtre</h2>');
    expect(isereOnly).toContain(
      '<a href="/espace?tab=pool&amp;sort=submitted">Retirer ce filtre<span class="fr-sr-only"> : Département : 38 — Isère</span></a>',
    );
    expect(isereOnly).not.toContain('Retirer tous les filtres');
    expect(isereOnly).toContain('Demandes attribuées de mes réseaux (2)');
    expect(isereOnly).toContain('Réserve (1)');
    // Unfiltered: no list of filters.
    const all = await (await client.get('/espace')).text();
    expect(all).toContain('<h2 id="liste-demandes">Demandes attribuées de mes réseaux : 3 demandes</h2>');
    expect(all).not.toContain('id="filtres-appliques"');
    expect(all).toContain('Réserve (2)</a>');

    // The API's counts are the page's.
    const token = `Bearer ${await t.app.get(StaffAuthService).createApiToken(animator.id, 'compteurs')}`;
    const api = (query: string) => bodyOf(fetch(`${t.url}/api/v1/staff/requests?${query}`, { headers: { authorization: token } }));
    const late = await api('department=38&late=1');
    expect(late).toMatchObject({ total: 1, counts: { mine: 1, pool: 0, byStatus: { assigned: 1 } } });
    const rhoneCounts = await api('department=69&status=in_progress');
    expect(rhoneCounts).toMatchObject({ total: 1, counts: { mine: 1, pool: 1, byStatus: { in_progress: 1 } } });
  });

  it.each([
    // A facilitator's own deadline order: the request already missed by a holder before them first among those not taken.
    ['facilitator', ['missed', 'lateAnswer', 'fresh', 'answer']],
    // The network's list keeps the plain deadline order.
    ['animator', ['lateAnswer', 'fresh', 'answer', 'missed']],
  ] as const)('orders a %s’s queue by deadline, as listed: %j', async (role, expected) => {
    const alix = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Alix' });
    const requests = {
      fresh: [await submitRequest(t, 1), 'assigned', 1],
      missed: [await submitRequest(t, 2), 'assigned', 3],
      lateAnswer: [await submitRequest(t, 3), 'in_progress', -1],
      answer: [await submitRequest(t, 4), 'in_progress', 2],
    } as const;
    for (const [reference, status, days] of Object.values(requests))
      await place(reference, alix, status, new Date(Date.now() + days * DAY));
    await t.dataSource.query(`UPDATE requests SET deadline_misses = 1 WHERE reference = $1`, [requests.missed[0]]);
    const staff =
      role === 'facilitator'
        ? await insertStaff(t.dataSource, { role, facilitatorId: alix, networks: ['aura-ee'] })
        : await insertStaff(t.dataSource, { role, networks: ['aura-ee'] });
    const token = `Bearer ${await t.app.get(StaffAuthService).createApiToken(staff.id, 'ordre')}`;
    const body = await bodyOf(fetch(`${t.url}/api/v1/staff/requests`, { headers: { authorization: token } }));
    const names = Object.fromEntries(Object.entries(requests).map(([name, [reference]]) => [reference, name]));
    expect(body.items.map((i: { reference: string }) => names[i.reference])).toEqual(expected);
    // The page lists in the same order, and says why the missed one is there: its deadline already passed once.
    const client = new StaffClient(t.url);
    await client.signIn(staff.email);
    const html = await (await client.get('/espace')).text();
    const order = Object.values(requests)
      .map(([reference]) => reference as string)
      .sort((a, b) => html.indexOf(`>${a}</a>`) - html.indexOf(`>${b}</a>`));
    expect(order.map((reference) => names[reference])).toEqual(expected);
    expect(html).toContain('<p class="fr-badge fr-badge--info fr-badge--sm">Délai dépassé 1 fois</p>');
  });

  it('marks for animators the pool’s requests all who could take them let go: « À confier vous-même » (page, API)', async () => {
    const alix = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Alix' });
    const [letGo, waiting] = [await submitRequest(t, 1), await submitRequest(t, 2)];
    await t.dataSource.query(`UPDATE requests SET status = 'unassigned' WHERE reference = ANY($1)`, [[letGo, waiting]]);
    // Alix, the only one covering it, declined the first: routing will not give it back to her.
    await t.dataSource.query(
      `INSERT INTO request_assignments (id, request_id, facilitator_id, assigned_at, take_charge_due_at, ended_at, end_reason, decline_reason)
       SELECT $1, id, $2, now() - interval '1 day', now(), now(), 'declined', 'unavailable' FROM requests WHERE reference = $3`,
      [randomUUID(), alix, letGo],
    );
    const animator = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] });
    const client = new StaffClient(t.url);
    await client.signIn(animator.email);
    const pool = await (await client.get('/espace?tab=pool')).text();
    const row = (reference: string) => pool.split('<tr role="row">').find((line) => line.includes(`>${reference}</a>`))!;
    expect(row(letGo)).toContain('<p class="fr-badge fr-badge--new fr-badge--sm">À confier vous-même</p>');
    expect(row(waiting)).not.toContain('À confier vous-même');

    const token = `Bearer ${await t.app.get(StaffAuthService).createApiToken(animator.id, 'réserve')}`;
    let body!: { items: Array<{ reference: string; staysInPool: boolean }> };
    const sent = await selectsOf(
      async () => (body = await bodyOf(fetch(`${t.url}/api/v1/staff/requests?tab=pool`, { headers: { authorization: token } }))),
    );
    expect(body.items.map((i) => [i.reference, i.staysInPool])).toEqual([
      [letGo, true],
      [waiting, false],
    ]);
    // The page's pooled requests are read for routing in one statement, not one each.
    expect(sent.filter(([sql]) => sql.includes('AS "transferredOutBy"'))).toHaveLength(1);
    // A facilitator, who may not give it, reads no such mark.
    const own = await insertStaff(t.dataSource, { role: 'facilitator', facilitatorId: alix, networks: ['aura-ee'] });
    const facilitator = new StaffClient(t.url);
    await facilitator.signIn(own.email);
    const theirs = await (await facilitator.get('/espace?tab=pool')).text();
    expect(theirs).toContain(`>${letGo}</a>`);
    expect(theirs).not.toContain('À confier vous-même');
  });

  it('lists the buyer’s other requests on a request page, those the person may see only', async () => {
    const mine = await insertFacilitator(t.dataSource, { network: 'aura-ee' });
    const colleague = await insertFacilitator(t.dataSource, { network: 'aura-ee' });
    const staff = await insertStaff(t.dataSource, { role: 'facilitator', facilitatorId: mine, networks: ['aura-ee'] });
    const asBuyer = (n: number, email: string, subject: string) =>
      submitRequest(t, n, { subject, buyer: { ...(validRequestBody(n).buyer as object), email } });
    const current = await asBuyer(1, 'noa.bernard@example.fr', 'Cantine : produits bio');
    const earlier = await asBuyer(2, 'Noa.Bernard@example.fr', 'Papier recyclé');
    const colleagues = await asBuyer(3, 'noa.bernard@example.fr', 'Mobilier de bureau');
    const stranger = await asBuyer(4, 'autre@example.fr', 'Véhicules électriques');
    await place(current, mine, 'in_progress', new Date(Date.now() + DAY));
    await place(earlier, mine, 'closed', null);
    await place(colleagues, colleague, 'in_progress', new Date(Date.now() + DAY));
    await place(stranger, mine, 'in_progress', new Date(Date.now() + DAY));
    await t.dataSource.query(`UPDATE requests SET close_reason = 'withdrawn' WHERE reference = $1`, [earlier]);
    const nameOf = async (id: string) =>
      (await t.dataSource.query(`SELECT first_name || ' ' || last_name AS name FROM facilitators WHERE id = $1`, [id]))[0].name as string;

    const client = new StaffClient(t.url);
    await client.signIn(staff.email);
    const html = await (await client.get(`/espace/demandes/${current}`)).text();
    expect(html).toContain('Autres demandes de cet acheteur');
    // Why it closed, and who answered it: the withdrawn one is no earlier answer to build on.
    expect(html).toContain(
      `<a href="/espace/demandes/${earlier}">${earlier}</a> — Papier recyclé (Clôturée : retirée par l’acheteur, traitée par ${await nameOf(mine)}, déposée le`,
    );
    expect(html).not.toContain(colleagues);
    expect(html).not.toContain(stranger);

    const animator = new StaffClient(t.url);
    await animator.signIn((await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] })).email);
    const seen = await (await animator.get(`/espace/demandes/${current}`)).text();
    expect(seen).toContain(`/espace/demandes/${earlier}`);
    expect(seen).toContain(`/espace/demandes/${colleagues}`);
    expect(seen).toContain(
      `${colleagues}</a> — Mobilier de bureau (En cours de traitement, suivie par ${await nameOf(colleague)}, déposée le`,
    );
    expect(seen).not.toContain(`/espace/demandes/${current}"`);
    // The same list in the API, as OpenAPI documents it.
    const token = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    const detail = await bodyOf(fetch(`${t.url}/api/v1/staff/requests/${current}`, { headers: { authorization: token } }));
    expect(detail.buyerRequests.map((r: { reference: string }) => r.reference).sort()).toEqual([earlier, colleagues].sort());
    const schemas = (await bodyOf(fetch(`${t.url}/api/docs-json`))).components.schemas;
    for (const other of detail.buyerRequests)
      expect(Object.keys(other).sort()).toEqual(Object.keys(schemas.SameBuyerRequestDto.properties).sort());
    // Alone with their address: no list.
    expect(await (await client.get(`/espace/demandes/${stranger}`)).text()).not.toContain('Autres demandes de cet acheteur');
  });
});
