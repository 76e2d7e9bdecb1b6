import { randomUUID } from 'node:crypto';
import { parisDay } from '../../src/common/clock';
import { AbsenceAnnouncementsService } from '../../src/modules/directory/absence-announcements.service';
import { insertFacilitator } from '../support/facilitators';
import { mailsTo } from '../support/conversation';
import { csrfIn, insertStaff, StaffClient, signedInStaff, type StaffSeed } from '../support/staff';
import { submitRequest, TestApp, useTestApp, waitFor } from '../support/test-app';

const DAY_MS = 24 * 3600 * 1000;
const dayFromToday = (days: number) => parisDay(new Date(Date.now() + days * DAY_MS));

describe('directory pages: records (animators, admins) and absences (the facilitator too) (worker running)', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app), {}, { api: true, worker: true });

  const page = (facilitatorId: string) => `/espace/facilitateurs/${facilitatorId}/absences`;
  const absencesOf = (facilitatorId: string) =>
    t.dataSource.query(
      `SELECT starts_on::text AS "startsOn", ends_on::text AS "endsOn", reason FROM facilitator_absences WHERE facilitator_id = $1 ORDER BY starts_on`,
      [facilitatorId],
    );

  const signedIn = (seed: StaffSeed) => signedInStaff(t, seed);

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

  const record = async (facilitatorId: string) =>
    (
      await t.dataSource.query(
        `SELECT email, first_name AS "firstName", kind, network_code AS "networkCode", capacity, active, is_coordinator AS "isCoordinator", segments,
                ARRAY(SELECT department_code::text FROM facilitator_departments WHERE facilitator_id = f.id ORDER BY 1) AS "departmentCodes"
           FROM facilitators f WHERE id = $1`,
        [facilitatorId],
      )
    )[0];
  const facilitatorCount = async () => Number((await t.dataSource.query(`SELECT count(*) AS n FROM facilitators`))[0].n);

  async function postForm(client: StaffClient, pagePath: string, actionPath: string, form: Record<string, string | string[]>) {
    const csrf = csrfIn(await (await client.get(pagePath)).text());
    return client.post(actionPath, { _csrf: csrf, ...form });
  }

  const NEW = '/espace/facilitateurs/nouveau';
  const profilePage = (facilitatorId: string) => `/espace/facilitateurs/${facilitatorId}/fiche`;

  it('lets an animator add a facilitator to their network, says what is wrong, and leads to the invitation', async () => {
    const animator = await signedIn({ role: 'animator', networks: ['aura-ee'] });
    expect(await (await animator.get('/espace/facilitateurs')).text()).toContain(`href="${NEW}"`);
    const blankPage = await (await animator.get(NEW)).text();
    expect(blankPage).toContain('<h1>Ajouter un facilitateur</h1>');
    expect(blankPage).toContain('invitez-le ensuite à l’espace avec la même adresse');
    expect(blankPage).toMatch(/<option value="aura-ee" selected>/);
    expect(blankPage).not.toContain('value="reseco"');

    const blank = await postForm(animator, NEW, NEW, { networkCode: 'aura-ee', capacity: '', active: 'true' });
    expect(blank.status).toBe(400);
    const blankHtml = await blank.text();
    for (const message of [
      'Indiquez l’adresse électronique.',
      'Indiquez le prénom.',
      'Indiquez le nom.',
      'Indiquez le type de facilitateur.',
      'Indiquez la capacité.',
    ]) {
      expect(blankHtml).toContain(message);
    }
    // A capacity that is no number and a wrong list of départements: both said in the same answer.
    const bothRounds = await postForm(animator, NEW, NEW, {
      email: 'x@example.org',
      firstName: 'X',
      lastName: 'Y',
      kind: 'environmental',
      networkCode: 'aura-ee',
      departmentCodes: '38 75 999',
      capacity: 'abc',
      active: 'true',
    });
    expect(bothRounds.status).toBe(400);
    const twiceHtml = await bothRounds.text();
    expect(twiceHtml).toContain('2 erreurs empêchent');
    expect(twiceHtml).toContain('Département inconnu : 999.');
    expect(twiceHtml).toContain('75 (GIP Maximilien)');
    const filled = {
      email: 'Nouvelle.Recrue@example.org',
      firstName: 'Nouvelle',
      lastName: 'Recrue',
      kind: 'environmental',
      networkCode: 'aura-ee',
      departmentCodes: '38 29',
      segments: ['catering', 'cleaning'],
      capacity: '5',
      active: 'true',
    };
    const outside = await postForm(animator, NEW, NEW, filled);
    expect(outside.status).toBe(400);
    const outsideHtml = await outside.text();
    expect(outsideHtml).toContain('Ce département n’est pas sur le territoire du réseau « AURA-EE / RREDD » : 29 (RESECO).');
    expect(outsideHtml).toContain('value="38 29"');
    expect(outsideHtml).toMatch(/value="cleaning" checked/);
    // A network that is not theirs, forged in the form: not theirs to fill, said on the field.
    const foreign = await postForm(animator, NEW, NEW, { ...filled, departmentCodes: '', networkCode: 'reseco' });
    expect(foreign.status).toBe(400);
    expect(await foreign.text()).toContain('Choisissez un réseau que vous animez.');
    expect(await facilitatorCount()).toBe(0);

    const created = await postForm(animator, NEW, NEW, { ...filled, departmentCodes: '38 73' });
    expect(created.status).toBe(303);
    const location = created.headers.get('location')!;
    const [, id] = /^\/espace\/facilitateurs\/([0-9a-f-]{36})\/fiche\?fait=creation$/.exec(location)!;
    expect(await record(id)).toEqual({
      email: 'nouvelle.recrue@example.org',
      firstName: 'Nouvelle',
      kind: 'environmental',
      networkCode: 'aura-ee',
      capacity: 5,
      active: true,
      isCoordinator: false,
      segments: ['catering', 'cleaning'],
      departmentCodes: ['38', '73'],
    });
    const createdPage = await (await animator.get(location)).text();
    expect(createdPage).toContain('Le facilitateur est ajouté à l’annuaire');
    expect(createdPage).toContain('href="/espace/comptes?email=nouvelle.recrue%40example.org"');
    expect(await (await animator.get('/espace/comptes?email=nouvelle.recrue%40example.org')).text()).toContain(
      'value="nouvelle.recrue@example.org"',
    );

    const twice = await postForm(animator, NEW, NEW, { ...filled, departmentCodes: '' });
    expect(twice.status).toBe(409);
    expect(await twice.text()).toContain('Un facilitateur utilise déjà cette adresse électronique.');
    expect(await facilitatorCount()).toBe(1);
  });

  it('refuses a record at the address of an account that could not open its requests, on the address field, keeping what was typed', async () => {
    await insertStaff(t.dataSource, { role: 'admin', email: 'demo.admin@example.org' });
    await insertStaff(t.dataSource, { role: 'animator', networks: ['apure'], email: 'anim.apure@example.org' });
    const animator = await signedIn({ role: 'animator', networks: ['3ar'] });
    const message = 'Cette adresse est celle d’un compte de l’espace qui ne peut pas tenir cette fiche';
    const filled = { firstName: 'Camille', lastName: 'Essai', kind: 'environmental', networkCode: '3ar', capacity: '5', active: 'true' };

    const created = await postForm(animator, NEW, NEW, { ...filled, email: 'demo.admin@example.org' });
    expect(created.status).toBe(409);
    const html = await created.text();
    expect(html).toContain('1 erreur empêche');
    expect(html).toContain('href="#f-email"');
    expect(html).toContain(message);
    expect(html).toContain('value="demo.admin@example.org"');
    expect(html).toContain('value="Camille"');
    expect(await facilitatorCount()).toBe(0);

    const id = await insertFacilitator(t.dataSource, { network: '3ar', email: 'camille.essai@example.org', firstName: 'Camille' });
    const readdressed = await postForm(animator, profilePage(id), profilePage(id), { ...filled, email: 'anim.apure@example.org' });
    expect(readdressed.status).toBe(409);
    const readdressedHtml = await readdressed.text();
    expect(readdressedHtml).toContain(message);
    expect(readdressedHtml).toContain('value="anim.apure@example.org"');
    expect(await record(id)).toMatchObject({ email: 'camille.essai@example.org' });
  });

  it('lets an animator change a record; the facilitator themself reads it; other networks get 404', async () => {
    const id = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Ophélie', capacity: 10, departments: ['38'] });
    const animator = await signedIn({ role: 'animator', networks: ['aura-ee'] });
    const page = await (await animator.get(profilePage(id))).text();
    expect(page).toContain('<h1>Fiche d’Ophélie Test</h1>');
    // The sign-in address follows the record's (accounts.service followRecordEmail): the hint says so.
    expect(page).toContain('s’il a un compte, son adresse de connexion change avec elle');
    expect(page).toContain('value="10"');
    expect(page).toContain(`href="/espace/facilitateurs/${id}/absences"`);
    const before = await record(id);

    const form = { email: before.email, firstName: 'Ophélie', lastName: 'Test', kind: 'environmental', networkCode: 'aura-ee' };
    const wrong = await postForm(animator, profilePage(id), profilePage(id), { ...form, capacity: 'beaucoup', active: 'true' });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('La capacité est un nombre entier de 0 à 200');
    const emptied = await postForm(animator, profilePage(id), profilePage(id), { ...form, firstName: ' ', capacity: '3', active: 'true' });
    expect(emptied.status).toBe(400);
    expect(await emptied.text()).toContain('Indiquez le prénom.');
    expect(await record(id)).toEqual(before);

    // The box « Reçoit des demandes » left unticked: out of routing, nothing erased.
    const saved = await postForm(animator, profilePage(id), profilePage(id), { ...form, capacity: '3', departmentCodes: '38 73 01' });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`${profilePage(id)}?fait=retrait`);
    expect(await record(id)).toMatchObject({ capacity: 3, active: false, departmentCodes: ['01', '38', '73'] });
    const withdrawn = await (await animator.get(`${profilePage(id)}?fait=retrait`)).text();
    expect(withdrawn).toContain(
      'La fiche est enregistrée et ne reçoit plus de nouvelles demandes. Celles qui n’étaient pas encore prises en charge repartent en attribution ; celles en cours restent à la même personne, à confier à un autre facilitateur depuis leur page si besoin.',
    );
    // No request held: nothing to reassign. No account yet: how to give one.
    expect(withdrawn).not.toContain('Voir les demandes qu’il suit');
    expect(withdrawn).toContain('Il n’a pas encore de compte');
    const resaved = await postForm(animator, profilePage(id), profilePage(id), { ...form, capacity: '3', departmentCodes: '38 73 01' });
    expect(resaved.headers.get('location')).toBe(`${profilePage(id)}?fait=modification`);

    const self = await signedIn({ role: 'facilitator', facilitatorId: id, networks: ['aura-ee'] });
    expect(await (await animator.get(`${profilePage(id)}?fait=modification`)).text()).not.toContain('Il n’a pas encore de compte');
    const foreignAnimator = await signedIn({ role: 'animator', networks: ['reseco'] });
    // The facilitator reads their own record, without a form: their animators change it.
    const own = await self.get(profilePage(id));
    expect(own.status).toBe(200);
    const ownHtml = await own.text();
    expect(ownHtml).toContain('<h1>Ma fiche de facilitateur</h1>');
    expect(ownHtml).toContain('01 Ain, 38 Isère, 73 Savoie');
    expect(ownHtml).toContain('3 demandes ouvertes à la fois ; 0 en ce moment');
    expect(ownHtml).toContain('retiré du routage');
    // Whom to write to: the network's animators, by name and address; never another network's.
    const contacts = ownHtml.slice(
      ownHtml.indexOf('id="contacts-animation"'),
      ownHtml.indexOf('</ul>', ownHtml.indexOf('id="contacts-animation"')),
    );
    expect(ownHtml).toContain('L’animation de votre réseau :</p>');
    expect(contacts).toMatch(/<li>Sam Essai : <a href="mailto:[^"]+">/);
    // The record says whose it is.
    const [{ first_name: firstName, last_name: lastName, email }] = await t.dataSource.query(
      `SELECT first_name, last_name, email FROM facilitators WHERE id = $1`,
      [id],
    );
    expect(ownHtml).toContain(`<dt class="fr-text--bold">Nom</dt><dd class="fr-mb-1w">${firstName} ${lastName}</dd>`);
    expect(ownHtml).toContain(`<dd class="fr-mb-1w">${email}</dd>`);
    expect(contacts.match(/<li>/g)).toHaveLength(1);
    expect(ownHtml).not.toContain(`action="${profilePage(id)}"`);
    expect(await (await self.get('/espace')).text()).toContain(`href="${profilePage(id)}">Ma fiche</a>`);
    const selfCsrf = csrfIn(await (await self.get('/espace/compte')).text());
    expect((await self.post(profilePage(id), { _csrf: selfCsrf, ...form, capacity: '50', active: 'true' })).status).toBe(404);
    expect((await self.get(NEW)).status).toBe(404);
    const csrf = csrfIn(await (await foreignAnimator.get('/espace/compte')).text());
    expect((await foreignAnimator.get(profilePage(id))).status).toBe(404);
    expect((await foreignAnimator.post(profilePage(id), { _csrf: csrf, ...form, capacity: '50', active: 'true' })).status).toBe(404);
    expect(await record(id)).toMatchObject({ capacity: 3, active: false });
    // Taken out of routing while holding requests: the page leads to them, to reassign those in progress.
    await t.dataSource.query(`UPDATE facilitators SET active = true, open_count = 2 WHERE id = $1`, [id]);
    await postForm(animator, profilePage(id), profilePage(id), { ...form, capacity: '3', departmentCodes: '38 73 01' });
    expect(await (await animator.get(`${profilePage(id)}?fait=retrait`)).text()).toContain(
      `<a href="/espace?facilitator=${id}">Voir les demandes qu’il suit</a>`,
    );
  });

  it('lets a facilitator declare an absence from the workspace; no new request comes to them meanwhile; they delete it', async () => {
    const away = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Maëlle' });
    const colleague = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Corentin' });
    const client = await signedIn({ role: 'facilitator', facilitatorId: away, networks: ['aura-ee'] });

    const workspace = await (await client.get('/espace')).text();
    expect(workspace).toContain(`href="${page(away)}"`);
    const empty = await (await client.get(page(away))).text();
    expect(empty).toContain('<h1>Mes absences</h1>');
    expect(empty).toContain('Aucune absence en cours ni à venir.');
    // Native date pickers, which show the browser's own format: no format in their hints.
    expect(empty).toMatch(/Premier jour d’absence\s*<\/label>\s*<input class="fr-input" type="date"/);
    expect(empty).toMatch(/Dernier jour d’absence\s*<span class="fr-hint-text">Inclus<\/span>/);
    expect(empty).toContain('quand l’absence approche (14 jours avant son début, ou dès que vous la déclarez si elle est plus proche)');

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
    expect(await (await client.get(`${page(away)}?fait=constructor`)).text()).not.toContain('fr-alert--success');
    // Back at work: the next request goes to the less loaded of the two, now them.
    expect(await holderOf(await submitRequest(t, 4))).toBe(away);
  });

  it('tells the network’s animators when a facilitator holding open requests declares an absence, not otherwise', async () => {
    const away = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Maëlle' });
    const held = [await submitRequest(t, 11), await submitRequest(t, 12)];
    for (const reference of held) expect(await holderOf(reference)).toBe(away);
    const animatorAccount = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] });
    await insertStaff(t.dataSource, { role: 'animator', networks: ['reseco'] });
    const client = await signedIn({ role: 'facilitator', facilitatorId: away, networks: ['aura-ee'] });
    const absenceMails = () => mailsTo(t, 'network-absence');

    // Far ahead: today's requests will be closed by then.
    expect((await declare(client, away, { startsOn: dayFromToday(30), endsOn: dayFromToday(32) })).status).toBe(303);
    expect(await absenceMails()).toEqual([]);
    // Declared by the animator: they know already.
    const animator = await signedIn({ role: 'animator', networks: ['aura-ee'], email: 'second.animateur@example.org' });
    expect((await declare(animator, away, { startsOn: dayFromToday(40), endsOn: dayFromToday(41) })).status).toBe(303);
    expect(await absenceMails()).toEqual([]);

    expect((await declare(client, away, { startsOn: dayFromToday(2), endsOn: dayFromToday(6), reason: 'Congés <b>' })).status).toBe(303);
    const mails = await absenceMails();
    expect(mails.map((m) => m.recipient).sort()).toEqual([animatorAccount.email, 'second.animateur@example.org'].sort());
    const [mail] = mails;
    expect(mail.subject).toBe('Absence de Maëlle Test : 2 demandes à vérifier');
    expect(mail.text_body).toContain('Maëlle Test, du réseau AURA-EE / RREDD, a déclaré une absence du');
    for (const reference of held) {
      expect(mail.text_body).toContain(`- ${reference} «`);
      expect(mail.html_body).toContain(`/espace/demandes/${reference}`);
    }
    expect(mail.text_body).toContain('(heure de Paris)');
    expect(mail.html_body).toContain('(Congés &lt;b&gt;)');

    // The facilitator's page lists what they hold, and flags what falls due while they are away.
    const dueOn = async (reference: string, day: string) =>
      t.dataSource.query(
        `UPDATE request_assignments SET take_charge_due_at = ($2::date + time '12:00') AT TIME ZONE 'Europe/Paris'
          WHERE request_id = (SELECT id FROM requests WHERE reference = $1) AND ended_at IS NULL`,
        [reference, day],
      );
    await dueOn(held[0], dayFromToday(4));
    await dueOn(held[1], dayFromToday(20));
    const rows = (await (await client.get(page(away))).text()).split('<tr>').map((row) => row.replace(/\s+/g, ' '));
    const row = (reference: string) => rows.find((r) => r.includes(`>${reference}</a>`))!;
    expect(row(held[0])).toContain('pendant l’absence du');
    expect(row(held[1])).not.toContain('pendant l’absence');
    expect(row(held[1])).toContain('à 12:00');
  });

  it('an absence that begins today lists only the requests taken in charge: routing moves the others at once', async () => {
    const away = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Maëlle' });
    const [taken, untaken] = [await submitRequest(t, 13), await submitRequest(t, 14)];
    for (const reference of [taken, untaken]) expect(await holderOf(reference)).toBe(away);
    await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] });
    const client = await signedIn({ role: 'facilitator', facilitatorId: away, networks: ['aura-ee'] });
    expect((await client.submit(`/espace/demandes/${taken}`, `/espace/demandes/${taken}/prise-en-charge`, {})).status).toBe(303);

    expect((await declare(client, away, { startsOn: dayFromToday(0), endsOn: dayFromToday(3) })).status).toBe(303);
    const [mail] = await mailsTo(t, 'network-absence');
    expect(mail.subject).toBe('Absence de Maëlle Test : 1 demande à vérifier');
    expect(mail.text_body).toContain(`- ${taken} «`);
    expect(mail.text_body).not.toContain(untaken);
    expect(mail.text_body).toContain(
      'passent à un collègue du même territoire (pour les clauses sociales, à défaut, au coordinateur régional), ou à la réserve, dès le premier jour de l’absence',
    );
    // Staff's verb for giving a request to someone else is « confier », as on the page it leads to.
    expect(mail.text_body).toContain('Confiez à un autre facilitateur celles qui ne peuvent pas attendre son retour');
    expect(mail.html_body).toContain('à son nom, à confier à un autre facilitateur si elles ne peuvent attendre.');
    expect(mail.html_body).toContain('<p>Confiez à un autre facilitateur celles qui ne peuvent pas attendre son retour');
    expect(mail.text_body + mail.html_body).not.toMatch(/réaffect/i);
  });

  it('an absence declared today by an admin: the page says how many untaken requests are being handed over, not listed as kept', async () => {
    const away = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Alex' });
    const [taken, ...untaken] = [await submitRequest(t, 15), await submitRequest(t, 16), await submitRequest(t, 17)];
    for (const reference of [taken, ...untaken]) expect(await holderOf(reference)).toBe(away);
    const holder = await signedIn({ role: 'facilitator', facilitatorId: away, networks: ['aura-ee'] });
    expect((await holder.submit(`/espace/demandes/${taken}`, `/espace/demandes/${taken}/prise-en-charge`, {})).status).toBe(303);
    const colleague = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Corentin' });
    const admin = await signedIn({ role: 'admin' });

    // The untaken requests' rows held: routing's hand-over, queued by the absence, waits as a busy queue would make it.
    const busy = t.dataSource.createQueryRunner();
    await busy.connect();
    await busy.startTransaction();
    try {
      await busy.query(`SELECT 1 FROM requests WHERE reference = ANY($1) FOR UPDATE`, [untaken]);
      const saved = await declare(admin, away, { startsOn: dayFromToday(0), endsOn: dayFromToday(3) });
      expect(saved.headers.get('location')).toBe(`${page(away)}?fait=ajout`);
      const confirmed = await (await admin.get(`${page(away)}?fait=ajout`)).text();
      expect(confirmed).toContain(
        'L’absence est enregistrée : aucune nouvelle demande ne sera confiée pendant ces jours. 2 demandes qui lui étaient confiées sans être encore prises en charge passent à un collègue ou à la réserve du réseau : leur réaffectation est en cours.',
      );
      expect(confirmed).toContain('Suit en ce moment 1 demande ouverte');
      expect(confirmed).toContain('restent à son nom : confiez à un autre facilitateur celles qui ne peuvent pas attendre son retour.');
      expect(confirmed).toContain(`>${taken}</a>`);
      for (const reference of untaken) expect(confirmed).not.toContain(reference);
      // Seen again before routing is done: said above the list, once.
      const later = await (await admin.get(page(away))).text();
      expect(later.match(/2 demandes qui lui étaient confiées sans être encore prises en charge/g)).toHaveLength(1);
    } finally {
      await busy.rollbackTransaction();
      await busy.release();
    }
    await waitFor(async () => {
      const holders = await t.dataSource.query(`SELECT assigned_facilitator_id AS id FROM requests WHERE reference = ANY($1)`, [untaken]);
      return holders.every((row: { id: string }) => row.id === colleague);
    });
    const done = await (await admin.get(`${page(away)}?fait=ajout`)).text();
    expect(done).toContain('L’absence est enregistrée : aucune nouvelle demande ne sera confiée pendant ces jours.</p>');
    expect(done).not.toContain('réaffectation est en cours');
  });

  it('announces an absence declared far ahead once it comes within 14 days, once, and only while requests are held', async () => {
    const away = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Noé' });
    const idle = await insertFacilitator(t.dataSource, { network: 'reseco', firstName: 'Inès' });
    const held = await submitRequest(t, 21);
    expect(await holderOf(held)).toBe(away);
    const animator = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] });
    const client = await signedIn({ role: 'facilitator', facilitatorId: away, networks: ['aura-ee'] });
    const manager = await signedIn({ role: 'animator', networks: ['aura-ee'], email: 'autre.animateur@example.org' });
    const announcements = t.app.get(AbsenceAnnouncementsService);
    const absenceMails = () => mailsTo(t, 'network-absence');
    const stateOf = async (startsOn: string) =>
      (
        await t.dataSource.query(
          `SELECT self_declared AS "selfDeclared", announced_at IS NOT NULL AS announced FROM facilitator_absences WHERE starts_on = $1`,
          [startsOn],
        )
      )[0];

    expect((await declare(client, away, { startsOn: dayFromToday(30), endsOn: dayFromToday(33) })).status).toBe(303);
    expect((await declare(manager, away, { startsOn: dayFromToday(40), endsOn: dayFromToday(41) })).status).toBe(303);
    await t.dataSource.query(
      `INSERT INTO facilitator_absences (id, facilitator_id, starts_on, ends_on, self_declared) VALUES ($1, $2, $3, $3, true)`,
      [randomUUID(), idle, dayFromToday(51)],
    );
    expect(await stateOf(dayFromToday(30))).toEqual({ selfDeclared: true, announced: false });
    expect(await stateOf(dayFromToday(40))).toEqual({ selfDeclared: false, announced: false });
    expect(await announcements.announceComing()).toBe(0);
    expect(await absenceMails()).toEqual([]);

    // Time passes: the three absences now begin within the window (moved rather than the clock, which routing reads too).
    await t.dataSource.query(`UPDATE facilitator_absences SET starts_on = starts_on - 28, ends_on = ends_on - 28`);
    await t.dataSource.query(
      `UPDATE facilitator_absences SET starts_on = starts_on - 12, ends_on = ends_on - 12 WHERE facilitator_id = $1`,
      [idle],
    );
    expect(await announcements.announceComing()).toBe(1);
    const mails = await absenceMails();
    expect(mails.map((m) => m.recipient).sort()).toEqual([animator.email, 'autre.animateur@example.org'].sort());
    expect(mails[0].subject).toBe('Absence de Noé Test : 1 demande à vérifier');
    expect(mails[0].text_body).toContain(`- ${held} «`);
    expect(await stateOf(dayFromToday(2))).toEqual({ selfDeclared: true, announced: true });
    // Declared by the animator: never announced. Nothing held: checked again later, not announced.
    expect(await stateOf(dayFromToday(12))).toEqual({ selfDeclared: false, announced: false });
    expect(await stateOf(dayFromToday(11))).toEqual({ selfDeclared: true, announced: false });

    // Another pass, or two workers at once: no second e-mail.
    expect(await Promise.all([announcements.announceComing(), announcements.announceComing()])).toEqual([0, 0]);
    expect(await absenceMails()).toHaveLength(2);
  });

  it('says what is wrong, in French, keeps what was typed and writes nothing', async () => {
    const id = await insertFacilitator(t.dataSource, { network: 'aura-ee' });
    const client = await signedIn({ role: 'facilitator', facilitatorId: id, networks: ['aura-ee'] });

    const blank = await declare(client, id, { startsOn: '', endsOn: '', reason: '' });
    expect(blank.status).toBe(400);
    const blankHtml = await blank.text();
    // Under « Déclarer une absence » (<h2>): the summary's heading is an <h3>.
    expect(blankHtml).toContain('<h3 class="fr-alert__title">2 erreurs empêchent l’envoi de l’absence</h3>');
    expect(blankHtml).toContain('<title>Erreur — Mes absences — Guichet vert</title>');
    expect(blankHtml).toContain('Indiquez le premier jour d’absence.');
    expect(blankHtml).toContain('Indiquez le dernier jour d’absence.');
    expect(blankHtml).toContain('href="#f-startsOn"');

    const backwards = await declare(client, id, { startsOn: dayFromToday(10), endsOn: dayFromToday(9), reason: 'Formation' });
    expect(backwards.status).toBe(400);
    const backwardsHtml = await backwards.text();
    expect(backwardsHtml).toContain('Dernier jour d’absence : il ne peut pas précéder le premier.');
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
    expect(own).toContain('<h1>Absences d’Ophélie Test</h1>');

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
