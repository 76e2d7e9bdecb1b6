import { plansOf, readsOf } from '../support/query-plans';
import { bodyOf, flushQueues, startTestApp, TestApp, validRequestBody, useTestApp } from '../support/test-app';

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('POST /api/v1/requests and GET /api/v1/requests/:reference', () => {
  let t!: TestApp;
  const post = (body: unknown, headers: Record<string, string> = {}) => fetch(`${t.url}/api/v1/requests`, json(body, headers));
  const count = async (table: string) => Number((await t.dataSource.query(`SELECT count(*) AS n FROM ${table}`))[0].n);

  useTestApp((app) => (t = app));

  it('creates a request: 201 with a reference, the submitted status and a private tracking link', async () => {
    const response = await post(validRequestBody(1));
    expect(response.status).toBe(201);
    // It holds the private link: no cache keeps it.
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = await bodyOf(response);
    expect(Object.keys(body).sort()).toEqual(['reference', 'status', 'trackingUrl']);
    expect(body.reference).toMatch(/^GV-\d{4}-\d{6}$/);
    // Where the request is read back, as REST clients expect of a 201 (with the token in its header).
    expect(response.headers.get('location')).toBe(`/api/v1/requests/${body.reference}`);
    expect(body.status).toBe('submitted');
    expect(body.trackingUrl).toMatch(new RegExp(`^${t.url}/suivi/${body.reference}\\?t=[A-Za-z0-9_-]{43}$`));

    const [row] = await t.dataSource.query(`SELECT status, network_code, buyer_email, tracking_token_hash FROM requests`);
    expect(row).toMatchObject({ status: 'submitted', network_code: 'aura-ee', buyer_email: 'camille.martin+1@example.fr' });
    const token = new URL(body.trackingUrl).searchParams.get('t')!;
    // Only a hash of the token is stored.
    expect(row.tracking_token_hash.length).toBe(32);
    expect(row.tracking_token_hash.toString('utf8')).not.toContain(token);
    expect(await count('request_events')).toBe(1);
    expect(await count('mail_messages')).toBe(1);
    expect(await t.dataSource.query(`SELECT queue, job_name FROM outbox_events ORDER BY queue`)).toEqual([
      { queue: 'mail', job_name: 'mail.send' },
      { queue: 'routing', job_name: 'request.submitted' },
    ]);
  });

  it('numbers references in sequence within the year', async () => {
    const first = await bodyOf(post(validRequestBody(1)));
    const second = await bodyOf(post(validRequestBody(2)));
    const n = (ref: string) => Number(ref.slice(-6));
    expect(second.reference.slice(0, 8)).toBe(first.reference.slice(0, 8));
    expect(n(second.reference)).toBeGreaterThan(n(first.reference));
  });

  it('shows the status and public history to the holder of the token, as JSON', async () => {
    const created = await bodyOf(post(validRequestBody(1)));
    const token = new URL(created.trackingUrl).searchParams.get('t')!;
    const response = await fetch(`${t.url}/api/v1/requests/${created.reference}`, { headers: { 'x-tracking-token': token } });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = await bodyOf(response);
    expect(body).toMatchObject({
      reference: created.reference,
      status: 'submitted',
      statusLabel: 'Reçue',
      departmentCode: '38',
      segment: 'office_supplies',
    });
    expect(body.history).toEqual([expect.objectContaining({ type: 'submitted', label: 'Demande reçue', toStatus: 'submitted' })]);
    expect(JSON.stringify(body)).not.toContain('camille.martin');
  });

  it('answers 404 alike for a wrong token, a missing token and an unknown reference', async () => {
    const created = await bodyOf(post(validRequestBody(1)));
    const token = new URL(created.trackingUrl).searchParams.get('t')!;
    const wrong = await fetch(`${t.url}/api/v1/requests/${created.reference}`, {
      headers: { 'x-tracking-token': token.replace(/.$/, token.endsWith('A') ? 'B' : 'A') },
    });
    const missing = await fetch(`${t.url}/api/v1/requests/${created.reference}`);
    const unknown = await fetch(`${t.url}/api/v1/requests/GV-2001-999999`, { headers: { 'x-tracking-token': token } });
    const bodies = await Promise.all([wrong, missing, unknown].map((r) => bodyOf(r)));
    expect([wrong.status, missing.status, unknown.status]).toEqual([404, 404, 404]);
    expect(bodies[0]).toEqual(bodies[1]);
    expect(bodies[1]).toEqual(bodies[2]);
    const page = await fetch(`${t.url}/suivi/${created.reference}?t=nope`);
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('Page introuvable');
  });

  it('returns the first request for a repeated Idempotency-Key, and refuses the key for another content', async () => {
    const headers = { 'idempotency-key': 'client-key-0001' };
    const responses = await Promise.all([1, 2, 3, 4, 5].map(() => post(validRequestBody(1), headers)));
    const bodies = await Promise.all(responses.map((r) => bodyOf(r)));
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(bodies.map((b) => b.reference)).size).toBe(1);
    expect(new Set(bodies.map((b) => b.trackingUrl)).size).toBe(1);
    expect(responses.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(4);
    expect(await count('requests')).toBe(1);
    expect(await count('mail_messages')).toBe(1);

    const reused = await post(validRequestBody(2), headers);
    expect(reused.status).toBe(422);
    expect((await bodyOf(reused)).errors[0].field).toBe('Idempotency-Key');
    expect(await count('requests')).toBe(1);
  });

  it('answers a retry with its first response alone, without reading the request (only the form’s confirmation dates delays)', async () => {
    const headers = { 'idempotency-key': 'client-key-0002' };
    const first = await bodyOf(post(validRequestBody(1), headers));
    let retry!: Response;
    const plans = await plansOf(t.dataSource, async () => {
      retry = await post(validRequestBody(1), headers);
    });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await bodyOf(retry)).toEqual(first);
    const reads = plans.flatMap(readsOf);
    expect(reads.some((read) => read.endsWith(' idempotency_keys'))).toBe(true);
    expect(reads.filter((read) => read.endsWith(' requests'))).toEqual([]);
  });

  it.each([
    ['malformed JSON', '{"buyer": ', 400, ''],
    ['a JSON array', '[1, 2]', 400, ''],
    ['an unknown field', { ...validRequestBody(1), priority: 'high' }, 400, 'priority'],
    [
      'an unknown buyer field',
      { ...validRequestBody(1), buyer: { ...(validRequestBody(1).buyer as object), role: 'x' } },
      400,
      'buyer.role',
    ],
    ['a wrong type', { ...validRequestBody(1), estimatedAmount: 'beaucoup' }, 400, 'estimatedAmount'],
    ['a boolean as string', { ...validRequestBody(1), consent: 'true' }, 400, 'consent'],
    ['an over-long subject', { ...validRequestBody(1), subject: 'x'.repeat(151) }, 400, 'subject'],
    ['an over-long question', { ...validRequestBody(1), question: 'mot '.repeat(1300) }, 400, 'question'],
    ['an unknown département', { ...validRequestBody(1), departmentCode: '20' }, 400, 'departmentCode'],
    ['an unknown segment', { ...validRequestBody(1), segment: 'rockets' }, 400, 'segment'],
    [
      'a bad SIRET',
      { ...validRequestBody(1), buyer: { ...(validRequestBody(1).buyer as object), siret: '22380001400018' } },
      400,
      'buyer.siret',
    ],
    ['the placeholder question', { ...validRequestBody(1), question: 'Ma question' }, 400, 'question'],
    ['no consent', { ...validRequestBody(1), consent: false }, 400, 'consent'],
  ])('refuses %s with a field-level French error and stores nothing', async (_label, body, status, field) => {
    const response = await post(body);
    expect(response.status).toBe(status);
    const payload = await bodyOf(response);
    expect(payload.statusCode).toBe(status);
    expect(typeof payload.message).toBe('string');
    expect(payload.errors.map((e: { field: string }) => e.field)).toContain(field);
    for (const error of payload.errors) expect(error.message).toMatch(/[a-zà-ÿ]/i);
    expect(await count('requests')).toBe(0);
    expect(await count('outbox_events')).toBe(0);
  });

  it('refuses a body over 100 KB with 413 and a wrong content type with 415', async () => {
    const big = await post({ ...validRequestBody(1), question: 'a'.repeat(110 * 1024) });
    expect(big.status).toBe(413);
    expect((await bodyOf(big)).statusCode).toBe(413);
    const text = await fetch(`${t.url}/api/v1/requests`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'bonjour' });
    expect(text.status).toBe(415);
    expect((await bodyOf(text)).message).toContain('JSON');
    const form = await fetch(`${t.url}/api/v1/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    });
    expect(form.status).toBe(415);
    expect(await count('requests')).toBe(0);
  });

  it.each([
    [
      'a private company not subject to the code, environmental question',
      { organisationType: 'private_not_subject' },
      {},
      'buyer.organisationType',
      'lesentreprises-sengagent',
    ],
    [
      'a State administration that did not ask its referent',
      { organisationType: 'state_administration' },
      { internalReferentConsulted: false },
      'internalReferentConsulted',
      'economie.gouv.fr',
    ],
  ])('explains why %s is not eligible, with pointers, and stores nothing', async (_label, buyer, extra, field, pointer) => {
    const body = validRequestBody(1, extra);
    body.buyer = { ...(body.buyer as object), ...buyer };
    const response = await post(body);
    expect(response.status).toBe(422);
    const payload = await bodyOf(response);
    expect(payload.code).toBe('not_eligible');
    expect(payload.errors[0].field).toBe(field);
    expect(payload.pointers.map((p: { url: string }) => p.url).join(' ')).toContain(pointer);
    expect(await count('requests')).toBe(0);
    // The documented error body names every key this one carries, pointers and code included (others' too: seenState).
    const schema = (await bodyOf(fetch(`${t.url}/api/docs-json`))).components.schemas.ErrorResponseDto;
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(Object.keys(payload)));
    expect(schema.properties.code.enum).toContain(payload.code);
    expect(Object.keys(payload.pointers[0]).sort()).toEqual(['label', 'url']);
  });

  it('serves a private company with a social-clause question, and a State buyer who asked its referent', async () => {
    const privateBody = validRequestBody(1, { kind: 'social_clause' });
    privateBody.buyer = { ...(privateBody.buyer as object), organisationType: 'private_not_subject', siret: undefined };
    expect((await post(privateBody)).status).toBe(201);
    const stateBody = validRequestBody(2, { internalReferentConsulted: true });
    stateBody.buyer = { ...(stateBody.buyer as object), organisationType: 'state_public_body' };
    expect((await post(stateBody)).status).toBe(201);
  });

  it('stores HTML as typed and shows it escaped', async () => {
    const attack = '<script>alert("x")</script><img src=x onerror=alert(1)>';
    const created = await bodyOf(post(validRequestBody(1, { subject: `Objet ${attack}`.slice(0, 150) })));
    const [row] = await t.dataSource.query(`SELECT subject FROM requests`);
    expect(row.subject).toContain('<script>');
    const page = await (await fetch(created.trackingUrl)).text();
    expect(page).not.toContain('<script>alert');
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });

  it('rate-limits submissions per client address with 429 and Retry-After', async () => {
    const limited = await startTestApp({ INTAKE_RATE_LIMIT: '2', QUEUE_PREFIX: `${process.env.QUEUE_PREFIX}rl` });
    try {
      const send = (n: number, headers: Record<string, string> = {}) =>
        fetch(`${limited.url}/api/v1/requests`, json(validRequestBody(n), headers));
      const first = await send(1, { 'idempotency-key': 'retry-after-limit-1' });
      expect(first.status).toBe(201);
      expect((await send(2)).status).toBe(201);
      const third = await send(3);
      expect(third.status).toBe(429);
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await bodyOf(third)).message).toMatch(/heure/);
      // past the limit, an invalid body is refused for the limit too, not checked
      expect((await fetch(`${limited.url}/api/v1/requests`, json({ buyer: {} }))).status).toBe(429);
      // a retry of a recorded request still gets its first answer; a new request under another key does not pass
      const retry = await send(1, { 'idempotency-key': 'retry-after-limit-1' });
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect((await bodyOf(retry)).reference).toBe((await bodyOf(first)).reference);
      expect((await send(4, { 'idempotency-key': 'retry-after-limit-4' })).status).toBe(429);
    } finally {
      await limited.close();
      await flushQueues(`${process.env.QUEUE_PREFIX}rl`);
    }
  });

  it('counts only new requests against the limit: refused bodies and replays give their count back', async () => {
    const limited = await startTestApp({ INTAKE_RATE_LIMIT: '2', QUEUE_PREFIX: `${process.env.QUEUE_PREFIX}rg` });
    try {
      const send = (body: unknown, headers: Record<string, string> = {}) => fetch(`${limited.url}/api/v1/requests`, json(body, headers));
      for (let attempt = 0; attempt < 3; attempt++) expect((await send({ buyer: {} })).status).toBe(400);
      expect((await send(validRequestBody(1), { 'idempotency-key': 'give-back-1' })).status).toBe(201);
      const replay = await send(validRequestBody(1), { 'idempotency-key': 'give-back-1' });
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect((await send(validRequestBody(2), { 'idempotency-key': 'give-back-1' })).status).toBe(422);
      expect((await send(validRequestBody(3))).status).toBe(201);
      expect((await send(validRequestBody(4))).status).toBe(429);
    } finally {
      await limited.close();
      await flushQueues(`${process.env.QUEUE_PREFIX}rg`);
    }
  });

  it('documents the API in OpenAPI and answers health checks', async () => {
    const doc = await bodyOf(fetch(`${t.url}/api/docs-json`));
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/requests', '/api/v1/requests/{reference}', '/health/ready']));
    const intake = doc.components.schemas.CreateRequestDto.properties;
    expect(intake).toHaveProperty('internalReferentConsulted');
    // What the server checks, a generated client knows: the codes, the amount's bounds, the one consent accepted.
    expect(intake.departmentCode.enum).toHaveLength(101);
    expect(intake.departmentCode.enum).toEqual(expect.arrayContaining(['01', '2A', '2B', '971', '976']));
    expect(intake.segment.enum).toEqual(expect.arrayContaining(['office_supplies', 'catering', 'other']));
    expect(intake.estimatedAmount).toMatchObject({ type: 'integer', minimum: 0, maximum: 100_000_000_000 });
    expect(intake.consent.enum).toEqual([true]);
    expect(intake.subject.minLength).toBe(5);
    expect(typeof intake.question.example).toBe('string');
    // The headers a client reads back: a replay's mark on the 201, the wait on the 429.
    const responses = doc.paths['/api/v1/requests'].post.responses;
    expect(responses['201'].description).toContain('Idempotent-Replayed');
    expect(Object.keys(responses['201'].headers)).toEqual(['Location', 'Idempotent-Replayed']);
    expect(Object.keys(responses['429'].headers)).toEqual(['Retry-After']);
    // What the server refuses, a generated client refuses too: unknown fields at every level, a malformed key.
    expect(doc.components.schemas.CreateRequestDto.additionalProperties).toBe(false);
    expect(doc.components.schemas.BuyerDto.additionalProperties).toBe(false);
    expect(doc.components.schemas.BuyerDto.properties.phone.nullable).toBe(true);
    const key = doc.paths['/api/v1/requests'].post.parameters.find((p: { name: string }) => p.name === 'idempotency-key');
    expect(key.schema).toMatchObject({ minLength: 8, maxLength: 200 });
    // A buyer's message as JSON names no files (multipart only); adding information may answer 429.
    const information = doc.paths['/api/v1/requests/{reference}/information'].post;
    expect(Object.keys(information.requestBody.content['application/json'].schema.properties)).toEqual(['message']);
    expect(Object.keys(information.requestBody.content['multipart/form-data'].schema.properties)).toEqual(['message', 'fichiers']);
    expect(information.responses['429'].headers).toHaveProperty('Retry-After');
    // Each operation names a header once (the decorator and the handler's parameter meet), and no field reads as an object by mistake.
    for (const [path, operations] of Object.entries(
      doc.paths as Record<string, Record<string, { parameters?: Array<{ in: string; name: string }> }>>,
    )) {
      for (const [method, operation] of Object.entries(operations)) {
        const headers = (operation.parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name.toLowerCase());
        expect([method, path, headers]).toEqual([method, path, [...new Set(headers)]]);
      }
    }
    expect(doc.components.schemas.CreateAbsenceDto.properties.reason.type).toBe('string');
    // Staff operations name the bearer scheme, declared so that Swagger UI offers « Authorize » and clients send the token.
    expect(doc.components.securitySchemes).toEqual({ bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }) });
    const schemesUsed = Object.values(doc.paths as Record<string, Record<string, { security?: Array<Record<string, unknown>> }>>)
      .flatMap((operations) => Object.values(operations))
      .flatMap((operation) => (operation.security ?? []).flatMap((requirement) => Object.keys(requirement)));
    expect(schemesUsed.length).toBeGreaterThan(10);
    expect(new Set(schemesUsed)).toEqual(new Set(['bearer']));
    expect((await fetch(`${t.url}/api/docs`)).status).toBe(200);
    expect(await bodyOf(fetch(`${t.url}/health/live`))).toEqual({ status: 'ok' });
    expect(await bodyOf(fetch(`${t.url}/health/ready`))).toEqual({ status: 'ok', checks: { postgres: 'ok', redis: 'ok' } });
  });

  it('reports Redis down on /health/ready with 503', async () => {
    const broken = await startTestApp({ REDIS_URL: 'redis://127.0.0.1:6390' });
    try {
      const response = await fetch(`${broken.url}/health/ready`);
      expect(response.status).toBe(503);
      expect(await bodyOf(response)).toEqual({ status: 'unavailable', checks: { postgres: 'ok', redis: 'down' } });
      // Why is the operator's to read, once per change however often the probe asks.
      expect((await fetch(`${broken.url}/health/ready`)).status).toBe(503);
      const said = broken.logs.map((line) => JSON.parse(line)).filter((line) => line.msg === 'disponibilité : dépendance hors service');
      expect(said).toHaveLength(1);
      expect(said[0]).toMatchObject({ dependency: 'redis', reason: expect.any(String) });
    } finally {
      await broken.close();
    }
  });
});
