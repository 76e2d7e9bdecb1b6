import { StaffAuthService } from '../../src/modules/accounts/staff-auth.service';
import { bearerFor } from '../support/staff';
import { bodyOf, TestApp, useTestApp, validRequestBody } from '../support/test-app';
import { assignedToSignedIn } from '../support/workspace';

type Operation = { parameters?: Array<{ name: string; in: string }>; responses: Record<string, any>; security?: unknown; tags?: string[] };

/** What /api/docs-json says, held to what the service does: the statuses, headers, enums and routes it names. */
describe('the OpenAPI document and the behaviour', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app), {}, { api: true, worker: true });

  const documentOf = () => bodyOf(fetch(`${t.url}/api/docs-json`));
  const operations = (document: any): Array<[string, string, Operation]> =>
    Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods as Record<string, Operation>).map(([method, operation]): [string, string, Operation] => [
        path,
        method,
        operation,
      ]),
    );

  /** A request assigned to a facilitator, and the facilitator's API token. */
  async function assignedWithToken() {
    const assigned = await assignedToSignedIn(t);
    const token = `Bearer ${await t.app.get(StaffAuthService).createApiToken(assigned.staff.id, 'tests')}`;
    return { ...assigned, token };
  }

  it('every staff write declares its Idempotency-Key, 413, 415, 422 and the replay’s header, and answers so', async () => {
    const document = await documentOf();
    const writes = operations(document).filter(([, method, operation]) => operation.security && method !== 'get');
    expect(writes.length).toBeGreaterThan(20);
    for (const [path, method, operation] of writes) {
      const named = `${method} ${path}`;
      expect([named, operation.parameters?.some((p) => p.in === 'header' && p.name === 'idempotency-key')]).toEqual([named, true]);
      expect([named, ['413', '415', '422'].filter((status) => !operation.responses[status])]).toEqual([named, []]);
      for (const [status, response] of Object.entries(operation.responses).filter(([status]) => status.startsWith('2'))) {
        expect([named, status, response.headers?.['Idempotent-Replayed']?.schema]).toEqual([
          named,
          status,
          { type: 'string', enum: ['true'] },
        ]);
      }
    }

    const { reference, token } = await assignedWithToken();
    const note = (body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${t.url}/api/v1/staff/requests/${reference}/notes`, {
        method: 'POST',
        headers: { authorization: token, 'content-type': 'application/json', 'idempotency-key': 'note-key-0001', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    const first = await note({ body: 'Une note, une fois.' });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await note({ body: 'Une note, une fois.' });
    expect([again.status, again.headers.get('idempotent-replayed')]).toEqual([201, 'true']);
    expect(await again.json()).toEqual(await first.json());

    const reused = await note({ body: 'Une autre note.' });
    expect([reused.status, (await reused.json()).code]).toEqual([422, 'idempotency_key_reused']);
    const tooLarge = await note({ body: 'x'.repeat(110_000) }, { 'idempotency-key': 'note-key-0002' });
    expect(tooLarge.status).toBe(413);
    const notJson = await note('body=texte', { 'idempotency-key': 'note-key-0003', 'content-type': 'text/plain' });
    expect(notJson.status).toBe(415);
  });

  it('a buyer’s message route says what it takes in one 415: JSON or multipart, as it answers', async () => {
    const document = await documentOf();
    const { reference, trackingUrl } = await assignedToSignedIn(t);
    for (const route of ['information', 'replies', 'clarification']) {
      const refusal = document.paths[`/api/v1/requests/{reference}/${route}`].post.responses['415'].description;
      expect([route, refusal]).toEqual([route, expect.stringContaining('multipart/form-data')]);
      expect([route, refusal]).not.toEqual([route, expect.stringContaining('doit être en application/json')]);
    }
    const sent = await fetch(`${t.url}/api/v1/requests/${reference}/information`, {
      method: 'POST',
      headers: { 'x-tracking-token': new URL(trackingUrl).searchParams.get('t')!, 'content-type': 'text/plain' },
      body: 'Un texte brut.',
    });
    expect(sent.status).toBe(415);
    expect((await sent.json()).message).toContain('multipart/form-data');
    // An action with a JSON body only says so.
    expect(document.paths['/api/v1/requests/{reference}/withdrawal'].post.responses['415'].description).toContain('application/json');
  });

  it('history events’ `type` is one of the documented kinds, for staff and for the buyer', async () => {
    const { reference, trackingUrl, token } = await assignedWithToken();
    const schemas = (await documentOf()).components.schemas;
    const staffKinds: string[] = schemas.HistoryEventDto.properties.type.enum;
    const buyerKinds: string[] = schemas.TrackedEventDto.properties.type.enum;
    expect(staffKinds).toEqual(expect.arrayContaining(['submitted', 'assigned', 'taken_in_charge', 'closed', 'personal_data_erased']));
    expect(buyerKinds).toEqual(staffKinds);

    const staffPage = await bodyOf(fetch(`${t.url}/api/v1/staff/requests/${reference}`, { headers: { authorization: token } }));
    const tracked = await bodyOf(
      fetch(`${t.url}/api/v1/requests/${reference}`, { headers: { 'x-tracking-token': new URL(trackingUrl).searchParams.get('t')! } }),
    );
    const types = (history: Array<{ type: string }>) => history.map((event) => event.type);
    expect(types(staffPage.history).length).toBeGreaterThan(1);
    expect(staffKinds).toEqual(expect.arrayContaining(types(staffPage.history)));
    expect(buyerKinds).toEqual(expect.arrayContaining(types(tracked.history)));
  });

  it('giving a request to another facilitator is « confier » in the document, as on the page', async () => {
    const document = await documentOf();
    const reassign = document.paths['/api/v1/staff/requests/{ref}/reassign'].post;
    expect(reassign.summary).toMatch(/^Confier à un autre facilitateur : /);
    expect(reassign.description).toContain('elle ne peut être confiée à personne (409)');
    expect(reassign.responses['409'].description).toContain('pour transférer la demande, la confier à un autre facilitateur ou la prendre');
    const seenState = document.components.schemas.StaffRequestPageDto.properties.seenState.description;
    expect(seenState).toContain('pour clôturer, transférer ou confier la demande à un autre facilitateur');
    expect(JSON.stringify([reassign, seenState])).not.toMatch(/réaffect/i);
  });

  it('the bearer scheme names the opaque `gvt_` tokens the service issues, no JWT', async () => {
    const scheme = (await documentOf()).components.securitySchemes.bearer;
    const token = (await bearerFor(t, { role: 'admin' })).replace(/^Bearer /, '');
    expect(token).toMatch(/^gvt_[A-Za-z0-9_-]{43}$/);
    expect(token.split('.')).toHaveLength(1);
    expect(scheme.bearerFormat).not.toBe('JWT');
    expect(scheme.description).toContain('gvt_');
    expect(scheme.description).toContain('43');
  });

  it('the intake’s 201 gives its tracking token in trackingUrl’s `t` alone, as documented, and the API takes it so', async () => {
    const documented = (await documentOf()).components.schemas.CreatedRequestDto.properties;
    expect(documented.trackingUrl.description).toMatch(/`t`.*X-Tracking-Token/s);
    const created = await bodyOf(
      fetch(`${t.url}/api/v1/requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(validRequestBody(7)),
      }),
    );
    expect(Object.keys(created).sort()).toEqual(Object.keys(documented).sort());
    const token = new URL(created.trackingUrl).searchParams.get('t')!;
    const { trackingUrl: _url, ...others } = created;
    expect(JSON.stringify(others)).not.toContain(token);
    const tracked = await fetch(`${t.url}/api/v1/requests/${created.reference}`, { headers: { 'x-tracking-token': token } });
    expect(tracked.status).toBe(200);
  });

  it('indicators: an unknown network is a 400, a network not the animator’s a 404, as documented', async () => {
    const responses = (await documentOf()).paths['/api/v1/staff/indicators'].get.responses;
    expect(responses['400'].description).toMatch(/réseau inconnu/i);
    expect(responses['404'].description).not.toMatch(/inconnu/i);
    expect(responses['404'].description).toMatch(/pas l’un des vôtres/);
    const auth = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    const [{ code: other }] = await t.dataSource.query(`SELECT code FROM networks WHERE code <> 'aura-ee' ORDER BY code LIMIT 1`);
    const indicators = (network: string) =>
      fetch(`${t.url}/api/v1/staff/indicators?network=${network}`, { headers: { authorization: auth } });
    const unknown = await indicators('pas-un-reseau');
    expect([unknown.status, (await unknown.json()).errors.map((e: { field: string }) => e.field)]).toEqual([400, ['network']]);
    expect((await indicators(other)).status).toBe(404);
  });

  describe('the CSV exports', () => {
    const EXPORTS = ['demandes', 'evaluations', 'indicateurs'];
    // A documented parameter given a value it does not take is refused (400) — an unknown segment or département too,
    // never an empty file —, but for the search's free text and the separator (any other value: the default).
    const READ_AS_GIVEN = new Set(['q', 'separateur']);

    it('are documented under a staff tag, and take exactly their documented parameters; a bearer client reads JSON errors', async () => {
      const document = await documentOf();
      const auth = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
      const get = (path: string) => fetch(`${t.url}${path}`, { headers: { authorization: auth } });
      for (const name of EXPORTS) {
        const path = `/espace/export/${name}.csv`;
        const operation: Operation = document.paths[path]?.get;
        expect([path, operation?.tags]).toEqual([path, ['Exports CSV']]);
        expect(operation.security).toEqual([{ bearer: [] }]);
        expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '400']));
        expect(Object.keys(operation.responses['200'].content)).toEqual(['text/csv']);

        const ok = await get(path);
        expect([path, ok.status, ok.headers.get('content-type')]).toEqual([path, 200, 'text/csv; charset=utf-8']);
        // Each documented parameter is read (a value it does not take is a field error of that value, never « inconnu »).
        for (const { name: parameter } of operation.parameters!) {
          const response = await get(`${path}?${parameter}=zzz`);
          const expected = READ_AS_GIVEN.has(parameter) ? 200 : 400;
          expect([path, parameter, response.status]).toEqual([path, parameter, expected]);
          if (response.status !== 200) {
            const { errors } = await response.json();
            expect([path, parameter, errors.some((e: { message: string }) => /inconnu ;/.test(e.message))]).toEqual([
              path,
              parameter,
              false,
            ]);
          }
        }
        // Undocumented: a misspelt one, and the lists' page (an export is never paged).
        for (const parameter of ['frobnicate', 'page']) {
          expect(operation.parameters!.map((p) => p.name)).not.toContain(parameter);
          const unknown = await get(`${path}?${parameter}=1`);
          expect([path, unknown.status, unknown.headers.get('content-type')]).toEqual([path, 400, 'application/json; charset=utf-8']);
          expect(await unknown.json()).toEqual({
            statusCode: 400,
            code: 'validation_failed',
            message: expect.any(String),
            errors: [{ field: parameter, message: expect.stringContaining('Paramètre inconnu') }],
          });
        }
        // A wrong or expired token: the API's 401, not a person's way to the sign-in page.
        const stranger = await fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${'x'.repeat(43)}` } });
        expect([path, stranger.status, stranger.headers.get('www-authenticate')]).toEqual([path, 401, 'Bearer realm="Guichet vert"']);
        const refusal = await stranger.json();
        expect([path, refusal.code, refusal.message, refusal.redirectTo]).toEqual([
          path,
          'unauthorized',
          expect.stringContaining('Authorization: Bearer'),
          undefined,
        ]);
      }
      const [{ code: other }] = await t.dataSource.query(`SELECT code FROM networks WHERE code <> 'aura-ee' ORDER BY code LIMIT 1`);
      const elsewhere = await get(`/espace/export/indicateurs.csv?reseau=${other}`);
      expect([elsewhere.status, (await elsewhere.json()).statusCode]).toEqual([404, 404]);
      expect(document.paths['/espace/export/indicateurs.csv'].get.responses['404']).toBeDefined();
      const unknownNetwork = await get('/espace/export/indicateurs.csv?reseau=pas-un-reseau');
      expect([unknownNetwork.status, (await unknownNetwork.json()).errors[0].field]).toEqual([400, 'reseau']);
    });

    it('without a token or session: 401 JSON for a program, the documented 303 to the sign-in page for a browser', async () => {
      const document = await documentOf();
      for (const name of EXPORTS) {
        const path = `/espace/export/${name}.csv`;
        const responses = document.paths[path].get.responses;
        const program = await fetch(`${t.url}${path}?separateur=virgule`, { headers: { accept: 'application/json' }, redirect: 'manual' });
        expect([path, program.status, program.headers.get('www-authenticate')]).toEqual([path, 401, 'Bearer realm="Guichet vert"']);
        expect((await program.json()).code).toBe('unauthorized');
        expect(responses['401']).toBeDefined();
        // curl's `Accept: */*` as a browser's: led to sign in, and back to the file after.
        for (const accept of ['text/html,application/xhtml+xml,*/*;q=0.8', '*/*']) {
          const browser = await fetch(`${t.url}${path}?separateur=virgule`, { headers: { accept }, redirect: 'manual' });
          expect([path, accept, browser.status, browser.headers.get('location')]).toEqual([
            path,
            accept,
            303,
            `/connexion?retour=${encodeURIComponent(`${path}?separateur=virgule`)}`,
          ]);
        }
        expect([path, responses['303']?.description]).toEqual([path, expect.stringContaining('/connexion')]);
        expect(responses['303'].headers?.Location).toBeDefined();
      }
    });

    it('a person’s browser still gets the page when a filter is refused', async () => {
      const { client } = await assignedToSignedIn(t);
      const response = await client.get('/espace/export/demandes.csv?frobnicate=1');
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    });
  });
});
