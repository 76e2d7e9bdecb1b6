import { insertFacilitator } from '../support/facilitators';
import { bearerFor, insertStaff } from '../support/staff';
import { bodyOf, TestApp, useTestApp } from '../support/test-app';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

const adviser = (change: Record<string, unknown> = {}) => ({
  email: 'Claire.Dupont@Example.org',
  firstName: 'Claire',
  lastName: 'Dupont',
  kind: 'environmental',
  networkCode: 'aura-ee',
  departmentCodes: ['38', '73'],
  segments: ['catering'],
  capacity: 10,
  ...change,
});

describe('/api/v1/facilitators', () => {
  let t!: TestApp;
  let auth = '';
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = { authorization: auth }) =>
    fetch(`${t.url}/api/v1/facilitators${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const create = async (change: Record<string, unknown> = {}) => bodyOf(call('POST', '', adviser(change)));
  const changeEvents = async (): Promise<Array<{ facilitatorId: string }>> =>
    (await t.dataSource.query(`SELECT payload FROM outbox_events WHERE job_name = 'routing.facilitator-changed' ORDER BY id`)).map(
      (row: { payload: { facilitatorId: string } }) => row.payload,
    );
  const expectOneEventSince = async (before: number, facilitatorId: string) => {
    const events = await changeEvents();
    expect(events.slice(before)).toEqual([{ facilitatorId }]);
  };

  useTestApp((app) => (t = app));
  beforeEach(async () => {
    auth = await bearerFor(t, { role: 'admin' });
  });

  describe('access', () => {
    it.each([
      ['no credentials', {}],
      ['an unknown token', { authorization: `Bearer gvt_${'x'.repeat(43)}` }],
      ['HTTP basic credentials', { authorization: `Basic ${Buffer.from('admin:motdepasse-admin-1234').toString('base64')}` }],
    ])('answers 401 to %s', async (_label, headers) => {
      const response = await call('GET', '', undefined, headers);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
      expect(await bodyOf(response)).toMatchObject({ statusCode: 401, code: 'unauthorized' });
    });

    it('answers 404 everywhere to a facilitator account', async () => {
      const facilitatorId = await insertFacilitator(t.dataSource, { email: 'f@example.org' });
      const authorization = await bearerFor(t, { role: 'facilitator', email: 'f@example.org', facilitatorId });
      for (const [method, path] of [
        ['GET', ''],
        ['POST', ''],
        ['GET', `/${facilitatorId}`],
      ]) {
        expect((await call(method, path, method === 'POST' ? adviser() : undefined, { authorization })).status).toBe(404);
      }
    });

    it('is documented in OpenAPI under the Annuaire tag', async () => {
      const document = await bodyOf(fetch(`${t.url}/api/docs-json`));
      expect(Object.keys(document.paths)).toEqual(
        expect.arrayContaining(['/api/v1/facilitators', '/api/v1/facilitators/{id}', '/api/v1/facilitators/{id}/absences/{absenceId}']),
      );
      expect(document.paths['/api/v1/facilitators'].post.tags).toEqual(['Annuaire']);
    });
  });

  describe('create, read, list', () => {
    it('creates a facilitator: 201, e-mail lower-cased, no load yet, one routing event', async () => {
      const response = await call('POST', '', adviser());
      expect(response.status).toBe(201);
      const body = await bodyOf(response);
      expect(body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        email: 'claire.dupont@example.org',
        firstName: 'Claire',
        lastName: 'Dupont',
        kind: 'environmental',
        organisation: null,
        networkCode: 'aura-ee',
        departmentCodes: ['38', '73'],
        segments: ['catering'],
        capacity: 10,
        openCount: 0,
        isCoordinator: false,
        active: true,
        absentToday: false,
        absences: [],
        lastAssignedAt: null,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      await expectOneEventSince(0, body.id);
      expect(await bodyOf(call('GET', `/${body.id}`))).toEqual(body);
    });

    it('spells out the whole network for a social-clause facilitator listing no département, not for a coordinator', async () => {
      const facilitator = await create({ kind: 'social_clause', networkCode: 'res-occ', departmentCodes: [], email: 'a@example.org' });
      expect(facilitator.departmentCodes).toHaveLength(13);
      expect(facilitator.departmentCodes).toEqual(expect.arrayContaining(['09', '11', '30', '31', '34', '66']));
      const coordinator = await create({
        kind: 'social_clause',
        networkCode: 'res-occ',
        departmentCodes: [],
        isCoordinator: true,
        email: 'b@example.org',
      });
      expect(coordinator).toMatchObject({ isCoordinator: true, departmentCodes: [] });
    });

    it('lists facilitators, filtered by network, kind and active flag', async () => {
      const aura = await create();
      const reseco = await create({
        email: 'r@example.org',
        networkCode: 'reseco',
        departmentCodes: [],
        kind: 'social_clause',
        isCoordinator: true,
      });
      const inactive = await create({ email: 'i@example.org', active: false });
      const ids = async (query: string) => (await bodyOf(call('GET', query))).map((f: { id: string }) => f.id).sort();

      expect(await ids('')).toEqual([aura.id, reseco.id, inactive.id].sort());
      expect(await ids('?network=reseco')).toEqual([reseco.id]);
      expect(await ids('?kind=environmental')).toEqual([aura.id, inactive.id].sort());
      expect(await ids('?active=true')).toEqual([aura.id, reseco.id].sort());
      expect(await ids('?network=aura-ee&active=false')).toEqual([inactive.id]);
    });

    it('refuses an animator’s filter on a network not theirs, rather than answer an empty list', async () => {
      await create({ email: 'r@example.org', networkCode: 'reseco', departmentCodes: [], kind: 'social_clause', isCoordinator: true });
      const animator = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
      const foreign = await call('GET', '?network=reseco', undefined, { authorization: animator });
      expect(foreign.status).toBe(400);
      expect((await bodyOf(foreign)).errors).toEqual([{ field: 'network', message: 'Réseau hors de vos réseaux : « reseco ».' }]);
      expect((await call('GET', '?network=aura-ee', undefined, { authorization: animator })).status).toBe(200);
    });

    it.each([
      ['?network=atlantis', 'network', 'Réseau inconnu : « atlantis ».'],
      ['?kind=green', 'kind', 'Type inconnu : environmental ou social_clause.'],
      ['?active=yes', 'active', 'Indiquez true ou false.'],
      ['?colour=green', 'colour', 'Champ inconnu : « colour ».'],
    ])('refuses the filter %s', async (query, field, message) => {
      const response = await call('GET', query);
      expect(response.status).toBe(400);
      expect((await bodyOf(response)).errors).toEqual([{ field, message }]);
    });

    it.each([
      ['an unknown id', `/${UNKNOWN_ID}`],
      ['a malformed id', '/pas-un-uuid'],
    ])('answers 404 to %s', async (_label, path) => {
      for (const [method, body] of [
        ['GET', undefined],
        ['PATCH', { capacity: 1 }],
      ] as const) {
        const response = await call(method, path, body);
        expect(response.status).toBe(404);
        expect(await bodyOf(response)).toMatchObject({ code: 'not_found', message: 'Facilitateur introuvable.' });
      }
      expect((await call('POST', `${path}/absences`, { startsOn: '2026-07-01', endsOn: '2026-07-02' })).status).toBe(404);
      expect((await call('DELETE', `${path}/absences/${UNKNOWN_ID}`)).status).toBe(404);
    });
  });

  describe('validation', () => {
    it('refuses a body other than JSON (415) on every write, as documented, and writes nothing', async () => {
      const { id } = await create();
      const before = await t.dataSource.query(`SELECT updated_at FROM facilitators WHERE id = $1`, [id]);
      const asText = (method: string, path: string, body: string) =>
        fetch(`${t.url}/api/v1/facilitators${path}`, { method, headers: { authorization: auth, 'content-type': 'text/plain' }, body });
      for (const [method, path] of [
        ['POST', ''],
        ['PATCH', `/${id}`],
        ['POST', `/${id}/absences`],
      ]) {
        const refused = await asText(method, path, 'active=false');
        expect(refused.status).toBe(415);
        expect(await bodyOf(refused)).toMatchObject({ statusCode: 415, code: 'unsupported_media_type' });
      }
      expect(await t.dataSource.query(`SELECT updated_at FROM facilitators WHERE id = $1`, [id])).toEqual(before);
      expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM facilitators`)).toEqual([{ n: 1 }]);
      const document = await bodyOf(fetch(`${t.url}/api/docs-json`));
      expect(document.paths['/api/v1/facilitators'].post.responses['415']).toBeDefined();
      expect(document.paths['/api/v1/facilitators/{id}'].patch.responses['415']).toBeDefined();
      expect(document.paths['/api/v1/facilitators/{id}/absences'].post.responses['415']).toBeDefined();
    });

    it('names every field of the wrong shape, in French', async () => {
      const response = await call('POST', '', {
        email: 'claire.dupont',
        firstName: '',
        kind: 'green',
        networkCode: 12,
        departmentCodes: '38',
        capacity: 500,
        isCoordinator: 'oui',
        openCount: 3,
      });
      expect(response.status).toBe(400);
      const body = await bodyOf(response);
      expect(body).toMatchObject({ statusCode: 400, code: 'validation_failed' });
      expect(Object.fromEntries(body.errors.map((e: { field: string; message: string }) => [e.field, e.message]))).toEqual({
        email: 'Indiquez une adresse électronique valide, par exemple nom@exemple.fr.',
        firstName: 'Indiquez le prénom.',
        lastName: 'Indiquez le nom.',
        kind: 'Type inconnu : environmental (conseiller environnemental) ou social_clause (clauses sociales).',
        networkCode: 'Le code du réseau doit être un texte.',
        departmentCodes: 'Indiquez une liste de codes de départements, par exemple ["38", "73"].',
        capacity: 'La capacité est un nombre entier de 0 à 200 (demandes ouvertes à la fois).',
        isCoordinator: 'Répondez par true ou false.',
        openCount: 'Champ inconnu : « openCount ».',
      });
      expect(await changeEvents()).toEqual([]);
    });

    it.each<[string, Record<string, unknown>, string, RegExp]>([
      ['an unknown network', { networkCode: 'atlantis' }, 'networkCode', /^Réseau inconnu : « atlantis ». Codes possibles : 3ar, apure, /],
      ['an unknown département', { departmentCodes: ['38', '999'] }, 'departmentCodes', /^Département inconnu : 999\./],
      [
        'a département outside the network',
        { departmentCodes: ['38', '35'] },
        'departmentCodes',
        /^Ce département n’est pas sur le territoire du réseau « AURA-EE \/ RREDD » : 35 \(RESECO\)\.$/,
      ],
      ['an unknown segment', { segments: ['rockets'] }, 'segments', /^Segment d’achat inconnu : rockets\.$/],
      [
        'a coordinator who is an environmental adviser',
        { isCoordinator: true },
        'isCoordinator',
        /^Seuls les facilitateurs de clauses sociales peuvent être coordinateurs/,
      ],
      ['a capacity of -1', { capacity: -1 }, 'capacity', /^La capacité est un nombre entier de 0 à 200/],
      ['a capacity of 2.5', { capacity: 2.5 }, 'capacity', /^La capacité est un nombre entier de 0 à 200/],
    ])('refuses %s', async (_label, change, field, message) => {
      const response = await call('POST', '', adviser(change));
      expect(response.status).toBe(400);
      expect((await bodyOf(response)).errors).toEqual([{ field, message: expect.stringMatching(message) }]);
      expect(await t.dataSource.query('SELECT id FROM facilitators')).toEqual([]);
      expect(await changeEvents()).toEqual([]);
    });

    it('accepts the bounds of capacity, 0 and 200', async () => {
      expect((await call('POST', '', adviser({ capacity: 0 }))).status).toBe(201);
      expect((await call('POST', '', adviser({ capacity: 200, email: 'autre@example.org' }))).status).toBe(201);
    });

    it('refuses a second facilitator with the same e-mail, whatever its case: 409 on the email field', async () => {
      await create();
      const response = await call('POST', '', adviser({ email: 'CLAIRE.dupont@example.ORG', networkCode: 'reseco', departmentCodes: [] }));
      expect(response.status).toBe(409);
      expect(await bodyOf(response)).toMatchObject({
        code: 'conflict',
        errors: [{ field: 'email', message: 'Un facilitateur utilise déjà cette adresse électronique.' }],
      });
      expect((await changeEvents()).length).toBe(1);
    });
  });

  describe('PATCH', () => {
    it('changes only the fields sent, with one routing event', async () => {
      const created = await create();
      const before = (await changeEvents()).length;
      const response = await call('PATCH', `/${created.id}`, { capacity: 3, segments: ['furniture', 'catering'] });
      expect(response.status).toBe(200);
      const body = await bodyOf(response);
      expect(body).toMatchObject({ capacity: 3, segments: ['catering', 'furniture'], departmentCodes: ['38', '73'], firstName: 'Claire' });
      await expectOneEventSince(before, created.id);
    });

    it('deactivates instead of deleting, with one routing event', async () => {
      const created = await create();
      const before = (await changeEvents()).length;
      expect(await bodyOf(call('PATCH', `/${created.id}`, { active: false }))).toMatchObject({ active: false });
      await expectOneEventSince(before, created.id);
      expect((await call('DELETE', `/${created.id}`)).status).toBe(404);
    });

    it('changes the e-mail when free, and a name, without a routing event: routing does not depend on them', async () => {
      const created = await create();
      const body = await bodyOf(call('PATCH', `/${created.id}`, { email: 'Claire.Martin@Example.org', lastName: 'Martin' }));
      expect(body).toMatchObject({ email: 'claire.martin@example.org', lastName: 'Martin' });
      expect((await changeEvents()).length).toBe(1);
    });

    it('writes nothing when nothing changes', async () => {
      const created = await create();
      const body = await bodyOf(call('PATCH', `/${created.id}`, { capacity: 10, departmentCodes: ['73', '38'] }));
      expect(body.updatedAt).toBe(created.updatedAt);
      expect((await changeEvents()).length).toBe(1);
    });

    it('refuses an e-mail already used by another facilitator', async () => {
      await create();
      const other = await create({ email: 'other@example.org' });
      const response = await call('PATCH', `/${other.id}`, { email: 'claire.dupont@example.org' });
      expect(response.status).toBe(409);
      expect((await bodyOf(response)).errors).toEqual([
        { field: 'email', message: 'Un facilitateur utilise déjà cette adresse électronique.' },
      ]);
    });

    it('checks the record as a whole: a new network must fit the départements kept', async () => {
      const created = await create();
      const response = await call('PATCH', `/${created.id}`, { networkCode: 'reseco' });
      expect(response.status).toBe(400);
      expect((await bodyOf(response)).errors).toEqual([
        {
          field: 'departmentCodes',
          message: 'Ces départements ne sont pas sur le territoire du réseau « RESECO » : 38 (AURA-EE / RREDD), 73 (AURA-EE / RREDD).',
        },
      ]);
      const moved = await bodyOf(call('PATCH', `/${created.id}`, { networkCode: 'reseco', departmentCodes: [] }));
      expect(moved).toMatchObject({ networkCode: 'reseco', departmentCodes: [] });
    });

    it('refuses null, unknown fields and routing counters', async () => {
      const created = await create();
      const response = await call('PATCH', `/${created.id}`, { capacity: null, openCount: 0 });
      expect(response.status).toBe(400);
      expect((await bodyOf(response)).errors).toEqual([
        { field: 'openCount', message: 'Champ inconnu : « openCount ».' },
        { field: 'capacity', message: 'Indiquez la capacité.' },
      ]);
    });
  });

  describe('the structure that employs a facilitator', () => {
    it('is set on creation (trimmed), changed and removed by PATCH, and journaled from what to what', async () => {
      const created = await create({ kind: 'social_clause', organisation: '  Maison de l’emploi de Carcassonne ' });
      expect(created.organisation).toBe('Maison de l’emploi de Carcassonne');
      const before = (await changeEvents()).length;
      const changed = await bodyOf(call('PATCH', `/${created.id}`, { organisation: 'PLIE du Grand Narbonne' }));
      expect(changed).toMatchObject({ organisation: 'PLIE du Grand Narbonne', capacity: 10 });
      // Who the buyer is told about, not who receives what: routing is not asked again.
      expect((await changeEvents()).length).toBe(before);
      expect(await bodyOf(call('PATCH', `/${created.id}`, { capacity: 4 }))).toMatchObject({ organisation: 'PLIE du Grand Narbonne' });
      expect(await bodyOf(call('PATCH', `/${created.id}`, { organisation: null }))).toMatchObject({ organisation: null });
      await call('PATCH', `/${created.id}`, { organisation: 'PLIE du Grand Narbonne' });
      expect(await bodyOf(call('PATCH', `/${created.id}`, { organisation: '  ' }))).toMatchObject({ organisation: null });
      const journal: Array<{ summary: string }> = await t.dataSource.query(
        `SELECT summary FROM audit_events WHERE action = 'facilitator_updated' ORDER BY id`,
      );
      expect(journal[0].summary).toContain('structure : « PLIE du Grand Narbonne » (avant : « Maison de l’emploi de Carcassonne »)');
      expect(journal[2].summary).toContain('structure : aucune (avant : « PLIE du Grand Narbonne »)');
    });

    it.each([
      ['too long', 'x'.repeat(151), 'Le nom de la structure ne doit pas dépasser 150 caractères.'],
      ['over two lines', 'Maison de l’emploi\nde Carcassonne', 'Le nom de la structure tient sur une seule ligne.'],
      [
        'with a line separator pasted from a word processor',
        'Maison de l’emploi\u2028de Carcassonne',
        'Le nom de la structure tient sur une seule ligne.',
      ],
      ['not a text', 42, 'La structure doit être un texte.'],
    ])('is refused %s, with a French message on its field, on creation and by PATCH', async (_label, organisation, message) => {
      const refused = await call('POST', '', adviser({ organisation }));
      expect(refused.status).toBe(400);
      expect((await bodyOf(refused)).errors).toEqual([{ field: 'organisation', message }]);
      const created = await create({ organisation: 'PLIE du Grand Narbonne' });
      const patch = await call('PATCH', `/${created.id}`, { organisation });
      expect(patch.status).toBe(400);
      expect((await bodyOf(patch)).errors).toEqual([{ field: 'organisation', message }]);
      expect(await bodyOf(call('GET', `/${created.id}`))).toMatchObject({ organisation: 'PLIE du Grand Narbonne' });
    });

    it('is documented in OpenAPI, nullable and bounded', async () => {
      const document = await bodyOf(fetch(`${t.url}/api/docs-json`));
      expect(document.components.schemas.CreateFacilitatorDto.properties.organisation).toMatchObject({ maxLength: 150, nullable: true });
      expect(document.components.schemas.FacilitatorDto.required).toContain('organisation');
    });
  });

  describe('the address of a staff account', () => {
    const OUT_OF_REACH =
      'Cette adresse est celle d’un compte de l’espace qui ne peut pas tenir cette fiche : un administrateur, ou un compte d’un autre réseau que « 3AR — Association Aquitaine des Achats publics Responsables », n’ouvrirait pas les demandes qu’elle reçoit. Indiquez l’adresse de la personne qui les traitera.';
    const in3ar = (email: string) => adviser({ email, networkCode: '3ar', departmentCodes: [], segments: [] });
    const holderOf = async (accountId: string) =>
      (await t.dataSource.query(`SELECT facilitator_id AS "facilitatorId" FROM staff_users WHERE id = $1`, [accountId]))[0].facilitatorId;
    beforeEach(async () => {
      auth = await bearerFor(t, { role: 'animator', networks: ['3ar'] });
    });

    it('refuses a record at the address of an account that could not open its requests: an admin, another network’s animator', async () => {
      const admin = await insertStaff(t.dataSource, { role: 'admin', email: 'demo.admin@example.org' });
      const elsewhere = await insertStaff(t.dataSource, { role: 'animator', networks: ['apure'], email: 'anim.apure@example.org' });
      for (const email of ['Demo.Admin@example.org', 'anim.apure@example.org']) {
        const response = await call('POST', '', in3ar(email));
        expect(response.status).toBe(409);
        expect(await bodyOf(response)).toMatchObject({ code: 'conflict', errors: [{ field: 'email', message: OUT_OF_REACH }] });
      }
      expect(await t.dataSource.query('SELECT id FROM facilitators')).toEqual([]);
      expect(await changeEvents()).toEqual([]);
      expect([await holderOf(admin.id), await holderOf(elsewhere.id)]).toEqual([null, null]);

      // Nor may a record nobody holds move to such an address.
      const created = await bodyOf(call('POST', '', in3ar('claire.dupont@example.org')));
      const moved = await call('PATCH', `/${created.id}`, { email: 'demo.admin@example.org', active: true });
      expect(moved.status).toBe(409);
      expect((await bodyOf(moved)).errors).toEqual([{ field: 'email', message: OUT_OF_REACH }]);
      expect(await bodyOf(call('GET', `/${created.id}`))).toMatchObject({ email: 'claire.dupont@example.org' });
    });

    it('gives a record at its address to an animator of its network, created or readdressed; not to a deactivated one', async () => {
      const answering = await insertStaff(t.dataSource, { role: 'animator', networks: ['apure', '3ar'], email: 'anim.un@example.org' });
      const created = await call('POST', '', in3ar('anim.un@example.org'));
      expect(created.status).toBe(201);
      expect(await holderOf(answering.id)).toBe((await bodyOf(created)).id);

      const later = await insertStaff(t.dataSource, { role: 'animator', networks: ['3ar'], email: 'anim.deux@example.org' });
      const record = await bodyOf(call('POST', '', in3ar('claire.dupont@example.org')));
      expect((await call('PATCH', `/${record.id}`, { email: 'anim.deux@example.org' })).status).toBe(200);
      expect(await holderOf(later.id)).toBe(record.id);

      const away = await insertStaff(t.dataSource, { role: 'animator', networks: ['3ar'], email: 'anim.parti@example.org', active: false });
      const refused = await call('POST', '', in3ar('anim.parti@example.org'));
      expect(refused.status).toBe(409);
      expect((await bodyOf(refused)).errors).toEqual([
        {
          field: 'email',
          message:
            'Cette adresse est celle d’un compte désactivé de l’espace : réactivez-le d’abord depuis la page des comptes pour qu’il tienne cette fiche, ou indiquez une autre adresse.',
        },
      ]);
      expect(await holderOf(away.id)).toBeNull();
      expect(Number((await t.dataSource.query('SELECT count(*) AS n FROM facilitators'))[0].n)).toBe(2);
    });

    it('keeps an animator’s record in the networks they animate', async () => {
      auth = await bearerFor(t, { role: 'admin' });
      const record = await insertFacilitator(t.dataSource, { network: '3ar', email: 'anim.un@example.org' });
      await insertStaff(t.dataSource, { role: 'animator', networks: ['3ar'], email: 'anim.un@example.org', facilitatorId: record });
      const response = await call('PATCH', `/${record}`, { networkCode: 'apure' });
      expect(response.status).toBe(409);
      expect((await bodyOf(response)).errors).toEqual([
        {
          field: 'networkCode',
          message:
            'Dans le réseau « APuRe (avec le CERDD et le CD2E) », cette fiche serait à l’adresse d’un compte de l’espace qui ne peut pas la tenir : il n’ouvrirait pas les demandes qu’elle reçoit. Changez d’abord l’adresse de la fiche, ou les réseaux de ce compte.',
        },
      ]);
      // A facilitator's account goes with their record: its network is the record's.
      const facilitated = await insertFacilitator(t.dataSource, { network: '3ar', email: 'fac@example.org' });
      await insertStaff(t.dataSource, { role: 'facilitator', email: 'fac@example.org', facilitatorId: facilitated });
      expect(await bodyOf(call('PATCH', `/${facilitated}`, { networkCode: 'apure' }))).toMatchObject({ networkCode: 'apure' });
    });
  });

  describe('absences', () => {
    const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
    const shift = (isoDate: string, days: number) =>
      new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

    it('adds absences, shows the current and next ones, refuses an overlap with 409 and removes one with 204', async () => {
      const facilitator = await create();
      const events = async () => (await changeEvents()).length;

      const current = await call('POST', `/${facilitator.id}/absences`, {
        startsOn: shift(today(), -2),
        endsOn: today(),
        reason: 'Congés',
      });
      expect(current.status).toBe(201);
      const currentBody = await bodyOf(current);
      expect(currentBody).toEqual({ id: expect.any(String), startsOn: shift(today(), -2), endsOn: today(), reason: 'Congés' });
      expect(await events()).toBe(2);

      // The day after ends the first: adjacent, not overlapping.
      const next = await bodyOf(call('POST', `/${facilitator.id}/absences`, { startsOn: shift(today(), 10), endsOn: shift(today(), 12) }));
      // Over already: it would change nothing and be listed nowhere.
      const past = await call('POST', `/${facilitator.id}/absences`, { startsOn: shift(today(), -30), endsOn: shift(today(), -20) });
      expect(past.status).toBe(400);
      expect((await bodyOf(past)).errors).toEqual([
        {
          field: 'endsOn',
          message:
            'Dernier jour d’absence : cette absence est déjà terminée ; seules les absences en cours ou à venir comptent pour l’attribution.',
        },
      ]);
      expect((await call('POST', `/${facilitator.id}/absences`, { startsOn: shift(today(), 1), endsOn: shift(today(), 1) })).status).toBe(
        201,
      );
      expect(await events()).toBe(4);

      const overlap = await call('POST', `/${facilitator.id}/absences`, { startsOn: shift(today(), 11), endsOn: shift(today(), 20) });
      expect(overlap.status).toBe(409);
      const [y, m, d] = shift(today(), 10).split('-');
      const [y2, m2, d2] = shift(today(), 12).split('-');
      const message = `Cette absence chevauche celle du ${d}/${m}/${y} au ${d2}/${m2}/${y2} : modifiez les dates, ou supprimez d’abord l’autre absence.`;
      expect(await bodyOf(overlap)).toMatchObject({ code: 'conflict', message, errors: [{ field: 'startsOn', message }] });
      expect(await events()).toBe(4);

      const shown = await bodyOf(call('GET', `/${facilitator.id}`));
      expect(shown.absentToday).toBe(true);
      expect(shown.absences.map((a: { id: string }) => a.id)).toEqual([currentBody.id, expect.any(String), next.id]);
      const listed = await bodyOf(call('GET', ''));
      expect(listed[0].absences).toEqual(shown.absences);

      const removed = await call('DELETE', `/${facilitator.id}/absences/${currentBody.id}`);
      expect(removed.status).toBe(204);
      expect(await events()).toBe(5);
      expect((await bodyOf(call('GET', `/${facilitator.id}`))).absentToday).toBe(false);
      expect((await call('DELETE', `/${facilitator.id}/absences/${currentBody.id}`)).status).toBe(404);
    });

    it.each<[string, Record<string, unknown>, Array<{ field: string; message: string }>]>([
      [
        'an end before the start',
        { startsOn: '2026-07-14', endsOn: '2026-07-13' },
        [{ field: 'endsOn', message: 'Dernier jour d’absence : il ne peut pas précéder le premier.' }],
      ],
      [
        'a date that does not exist',
        { startsOn: '2026-02-30', endsOn: '2026-03-02' },
        [{ field: 'startsOn', message: 'Premier jour d’absence : date impossible (jour, mois ou année).' }],
      ],
      [
        'a French date format',
        { startsOn: '14/07/2026', endsOn: '2026-07-15' },
        [{ field: 'startsOn', message: 'Date non valide : écrivez-la JJ/MM/AAAA dans le formulaire, AAAA-MM-JJ dans l’API.' }],
      ],
      [
        'no dates',
        {},
        [
          { field: 'startsOn', message: 'Indiquez le premier jour d’absence.' },
          { field: 'endsOn', message: 'Indiquez le dernier jour d’absence.' },
        ],
      ],
    ])('refuses %s', async (_label, body, errors) => {
      const facilitator = await create();
      const response = await call('POST', `/${facilitator.id}/absences`, body);
      expect(response.status).toBe(400);
      expect((await bodyOf(response)).errors).toEqual(errors);
      expect((await changeEvents()).length).toBe(1);
    });

    it('answers 404 for an absence of another facilitator', async () => {
      const first = await create();
      const second = await create({ email: 'second@example.org' });
      const absence = await bodyOf(call('POST', `/${first.id}/absences`, { startsOn: '2030-01-01', endsOn: '2030-01-02' }));
      const response = await call('DELETE', `/${second.id}/absences/${absence.id}`);
      expect(response.status).toBe(404);
      expect(await bodyOf(response)).toMatchObject({ message: 'Absence introuvable.' });
    });
  });
});
