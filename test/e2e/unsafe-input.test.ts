import { gzipSync } from 'node:zlib';
import { submittedAndTaken } from '../support/conversation';
import { insertFacilitator } from '../support/facilitators';
import { bearerFor, insertStaff, StaffClient } from '../support/staff';
import { bodyOf, TestApp, useTestApp, validRequestBody } from '../support/test-app';

const REFUSED = 'Le contenu envoyé comporte un caractère non autorisé, un champ inconnu ou trop imbriqué : il n’a pas été enregistré.';
const NUL = 'Ce champ contient un caractère non autorisé (caractère nul).';

/** What PostgreSQL cannot store or read (a NUL, year 0) and what body parsers let through: 4xx in French, never a 500. */
describe('unsafe input is refused before it reaches PostgreSQL', () => {
  let t!: TestApp;
  const json = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const count = async (table: string) => Number((await t.dataSource.query(`SELECT count(*) AS n FROM ${table}`))[0].n);
  const errorLines = () => t.logs.filter((line) => line.includes('"level":50'));

  useTestApp((app) => (t = app));

  it('a NUL in a submitted field: 400 naming the field, nothing written', async () => {
    const body = validRequestBody(1) as { buyer: Record<string, unknown> };
    const response = await json(
      '/api/v1/requests',
      JSON.stringify({ ...body, buyer: { ...body.buyer, firstName: 'Ca\u0000mille' }, subject: 'a\u0000b' }),
    );
    expect(response.status).toBe(400);
    expect(await bodyOf(response)).toEqual({
      statusCode: 400,
      code: 'validation_failed',
      message: REFUSED,
      errors: [
        { field: 'buyer.firstName', message: NUL },
        { field: 'subject', message: NUL },
      ],
    });
    const form = await fetch(`${t.url}/demande`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'subject=a%00b&consent=yes',
    });
    expect(form.status).toBe(400);
    expect(await form.text()).toContain(REFUSED);
    expect(await count('requests')).toBe(0);
    expect(errorLines()).toEqual([]);
  });

  it('a lone UTF-16 surrogate, in the intake or a buyer’s message: 400 naming the field, nothing written', async () => {
    const surrogate = 'Ce champ contient un caractère mal codé (demi-paire UTF-16 isolée) : utilisez un texte UTF-8 valide.';
    // Written as JSON escapes: JSON.stringify would not send a lone surrogate raw.
    const body = JSON.stringify(validRequestBody(1)).replace('"firstName":"', '"firstName":"Cam\\ud800');
    const response = await json('/api/v1/requests', body);
    expect(response.status).toBe(400);
    expect((await bodyOf(response)).errors).toEqual([{ field: 'buyer.firstName', message: surrogate }]);
    // A pair stays a character: an emoji is welcome.
    const emoji = await json('/api/v1/requests', JSON.stringify({ ...validRequestBody(2), subject: 'Cantine 🍎 bio' }));
    expect(emoji.status).toBe(201);
    const { reference, trackingUrl } = await bodyOf(emoji);
    const token = new URL(trackingUrl as string).searchParams.get('t') as string;
    const message = await json(`/api/v1/requests/${reference}/information`, '{"message":"Bonjour \\udfff, une précision"}', {
      'x-tracking-token': token,
    });
    expect(message.status).toBe(400);
    expect((await bodyOf(message)).errors).toEqual([{ field: 'message', message: surrogate }]);
    expect(await count('requests')).toBe(1);
    expect(await t.dataSource.query(`SELECT subject FROM requests`)).toEqual([{ subject: 'Cantine 🍎 bio' }]);
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM request_messages`)).toEqual([{ n: 0 }]);
    expect(errorLines()).toEqual([]);
  });

  it('a body nested deeper than any field of the service: 400 at the depth where the walk stops, never a 500', async () => {
    const deep = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
    const response = await json('/api/v1/requests', deep);
    expect(response.status).toBe(400);
    const { errors } = await bodyOf(response);
    expect(errors).toEqual([{ field: Array(16).fill('a').join('.'), message: 'Ce champ imbrique trop de niveaux d’objets ou de listes.' }]);
    const lists = await json(
      '/api/v1/requests',
      JSON.stringify(validRequestBody(1)).replace('{', `{"x":${'['.repeat(40_000)}${']'.repeat(40_000)},`),
    );
    expect(lists.status).toBe(400);
    expect(await count('requests')).toBe(0);
    expect(errorLines()).toEqual([]);
  });

  it('a NUL in a path names nothing (404); in a query, a field error; a path that cannot be decoded, 404', async () => {
    const reference = (await bodyOf(json('/api/v1/requests', JSON.stringify(validRequestBody(1))))).reference as string;
    for (const path of [`/suivi/${reference}%00`, '/suivi/%00', '/questionnaire/%00', '/suivi/%E0%A4%A']) {
      const page = await fetch(`${t.url}${path}`);
      expect([path, page.status]).toEqual([path, 404]);
      expect(await page.text()).toContain('Page introuvable');
    }
    const api = await fetch(`${t.url}/api/v1/requests/${reference}%00`, { headers: { 'x-tracking-token': 'x' } });
    expect([api.status, (await bodyOf(api)).statusCode]).toEqual([404, 404]);
    const token = await bearerFor(t, { role: 'admin' });
    const search = await fetch(`${t.url}/api/v1/staff/requests?q=a%00`, { headers: { authorization: token } });
    expect(search.status).toBe(400);
    const refusedSearch = await bodyOf(search);
    expect(refusedSearch.errors).toEqual([{ field: 'q', message: NUL }]);
    // A reading records nothing, and its refusal does not speak of recording.
    expect(refusedSearch.message).toBe('L’adresse demandée comporte un caractère non autorisé ou un paramètre inconnu.');
    expect(errorLines()).toEqual([]);
  });

  it('a staff API body that is not an object, or holds a NUL or a field named constructor: 400, nothing written', async () => {
    const { reference } = await submittedAndTaken(t, 1);
    const token = await bearerFor(t, { role: 'admin' });
    const notes = (body: string) => json(`/api/v1/staff/requests/${reference}/notes`, body, { authorization: token });
    for (const body of ['null', '[]', '"note"', '12']) {
      const response = await notes(body);
      expect([body, response.status]).toEqual([body, 400]);
      expect((await bodyOf(response)).errors).toEqual([{ field: '', message: 'Le corps de la requête doit être un objet JSON.' }]);
    }
    const nul = await notes(JSON.stringify({ body: 'une note\u0000' }));
    expect((await bodyOf(nul)).errors).toEqual([{ field: 'body', message: NUL }]);
    const reserved = await json(
      '/api/v1/requests',
      JSON.stringify(validRequestBody(2)).replace('{', '{"constructor":{"prototype":{"x":1}},'),
    );
    expect(reserved.status).toBe(400);
    expect((await bodyOf(reserved)).errors).toEqual([{ field: 'constructor', message: 'Champ inconnu : « constructor ».' }]);
    const proto = await json('/api/v1/requests', JSON.stringify(validRequestBody(3)).replace('{', '{"buyer2":{"__proto__":{"x":1}},'));
    expect((await bodyOf(proto)).errors).toEqual([{ field: 'buyer2.__proto__', message: 'Champ inconnu : « buyer2.__proto__ ».' }]);
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM request_messages`)).toEqual([{ n: 0 }]);
    expect(await count('requests')).toBe(1);
    expect(errorLines()).toEqual([]);
  });

  it('fields named as members of every object (toString, valueOf…), in a body or a query: unknown fields, 400', async () => {
    const body = JSON.stringify(validRequestBody(1)).replace('"buyer":{', '"buyer":{"hasOwnProperty":"x",').replace('{', '{"toString":1,');
    const response = await json('/api/v1/requests', body);
    expect(response.status).toBe(400);
    expect((await bodyOf(response)).errors).toEqual([
      { field: 'toString', message: 'Champ inconnu : « toString ».' },
      { field: 'buyer.hasOwnProperty', message: 'Champ inconnu : « buyer.hasOwnProperty ».' },
    ]);
    const token = await bearerFor(t, { role: 'admin' });
    const listed = await fetch(`${t.url}/api/v1/facilitators?valueOf=1`, { headers: { authorization: token } });
    expect(listed.status).toBe(400);
    expect((await bodyOf(listed)).errors).toEqual([{ field: 'valueOf', message: 'Champ inconnu : « valueOf ».' }]);
    expect(await count('requests')).toBe(0);
  });

  it('an API action takes JSON with its own fields only: another format is a 415, an unknown field a 400, nothing written', async () => {
    const request = await submittedAndTaken(t, 1);
    const token = await bearerFor(t, { role: 'admin' });
    const staff = { authorization: token };
    const buyer = { 'x-tracking-token': request.token };
    const information = `/api/v1/requests/${request.reference}/information`;
    const notes = `/api/v1/staff/requests/${request.reference}/notes`;
    // The buyer's messages take files too (multipart): their refusal names both formats.
    for (const [path, headers, expected] of [
      [information, buyer, 'Envoyez le corps de la requête en JSON, ou en multipart/form-data pour joindre des fichiers.'],
      [notes, staff, 'Envoyez le corps de la requête en JSON, avec l’en-tête Content-Type: application/json.'],
    ] as const) {
      const text = await fetch(`${t.url}${path}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'text/plain' },
        body: 'message=Bonjour',
      });
      expect([path, text.status]).toEqual([path, 415]);
      expect((await bodyOf(text)).message).toBe(expected);
      const form = await fetch(`${t.url}${path}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'message=Bonjour&body=Bonjour',
      });
      expect([path, form.status]).toEqual([path, 415]);
    }
    const extra = await json(information, JSON.stringify({ message: 'Le montant est de 80 000 €.', urgence: true }), buyer);
    expect(extra.status).toBe(400);
    expect((await bodyOf(extra)).errors).toEqual([{ field: 'urgence', message: 'Champ inconnu : « urgence ».' }]);
    const misspelt = await json(notes, JSON.stringify({ texte: 'Une note' }), staff);
    expect((await bodyOf(misspelt)).errors).toEqual([{ field: 'texte', message: 'Champ inconnu : « texte ».' }]);
    const topic = { subject: 'Clause d’insertion', question: 'x', kind: 'social_clause', segmnt: 'cleaning' };
    const split = await json(`/api/v1/staff/requests/${request.reference}/split`, JSON.stringify({ topics: [topic] }), staff);
    expect(split.status).toBe(400);
    expect((await bodyOf(split)).errors).toContainEqual({ field: 'topics.0.segmnt', message: 'Champ inconnu : « topics.0.segmnt ».' });
    // The right fields, and none at all where none is needed, still pass.
    expect((await json(information, JSON.stringify({ message: 'Le montant est de 80 000 €.' }), buyer)).status).toBe(200);
    expect((await json(notes, JSON.stringify({ body: 'Une note' }), staff)).status).toBe(201);
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM request_messages`)).toEqual([{ n: 2 }]);
    expect(errorLines()).toEqual([]);
  });

  it('a NUL in a multipart answer (text beside files) is refused like any other', async () => {
    const { reference } = await submittedAndTaken(t, 1);
    const token = await bearerFor(t, { role: 'admin' });
    const form = new FormData();
    form.set('body', 'Voici la réponse\u0000');
    const response = await fetch(`${t.url}/api/v1/staff/requests/${reference}/answer`, {
      method: 'POST',
      headers: { authorization: token },
      body: form,
    });
    expect(response.status).toBe(400);
    expect((await bodyOf(response)).errors).toEqual([{ field: 'body', message: NUL }]);
    expect(errorLines()).toEqual([]);
  });

  it('bodies the parsers cannot read: a false gzip is a 400, a form of too many fields a 413', async () => {
    const gzip = await json('/api/v1/requests', 'pas du gzip', { 'content-encoding': 'gzip' });
    expect(gzip.status).toBe(400);
    expect((await bodyOf(gzip)).message).toBe('Le corps de la requête n’a pas pu être lu : vérifiez son encodage (Content-Encoding).');
    const real = await json('/api/v1/requests', gzipSync(JSON.stringify(validRequestBody(1))) as unknown as string, {
      'content-encoding': 'gzip',
    });
    expect(real.status).toBe(201);
    const many = Array.from({ length: 150 }, (_, i) => `a${i}=1`).join('&');
    const form = await fetch(`${t.url}/demande`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: many,
    });
    expect(form.status).toBe(413);
    expect(await form.text()).toContain('Le formulaire envoyé compte trop de champs.');
    expect(errorLines()).toEqual([]);
  });

  it('a control character no one types is a field error; a VT pasted from a word processor breaks the line; bytes not UTF-8 are a 400', async () => {
    const body = validRequestBody(1) as { buyer: Record<string, unknown>; question: string };
    const bell = await json('/api/v1/requests', JSON.stringify({ ...body, buyer: { ...body.buyer, firstName: 'Camille\u0007' } }));
    expect(bell.status).toBe(400);
    expect((await bodyOf(bell)).errors).toEqual([
      {
        field: 'buyer.firstName',
        message: 'Ce champ contient un caractère de contrôle non autorisé (invisible, hors tabulation et retour à la ligne).',
      },
    ]);
    // Latin-1 bytes sent as UTF-8 (« Hélène » from a misconfigured client): refused, not stored as U+FFFD.
    const raw = Buffer.from(JSON.stringify({ ...body, buyer: { ...body.buyer, firstName: 'H__l__ne' } }), 'utf8');
    const latin1 = Buffer.from(raw.toString('latin1').replace(/__/g, '\u00e9'), 'latin1');
    const notUtf8 = await fetch(`${t.url}/api/v1/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: latin1,
    });
    expect(notUtf8.status).toBe(400);
    expect(await bodyOf(notUtf8)).toEqual(
      expect.objectContaining({ code: 'malformed_body', message: 'Le corps de la requête n’est pas un texte UTF-8 valide.' }),
    );
    expect(await count('requests')).toBe(0);

    const pasted = await json('/api/v1/requests', JSON.stringify({ ...body, question: body.question.replace('. ', '.\u000b') }));
    expect(pasted.status).toBe(201);
    const [{ question }] = await t.dataSource.query(`SELECT question FROM requests`);
    expect(question).toBe(body.question.replace('. ', '.\n'));
    expect(errorLines()).toEqual([]);
  });

  it('stores accents composed (NFC), whatever form the client sent them in', async () => {
    const body = validRequestBody(1) as { buyer: Record<string, unknown> };
    const decomposed = { ...body, buyer: { ...body.buyer, firstName: 'He\u0301le\u0300ne', lastName: 'Le\u0301ger' } };
    expect((await json('/api/v1/requests', JSON.stringify(decomposed))).status).toBe(201);
    const [stored] = await t.dataSource.query(`SELECT buyer_first_name AS "firstName", buyer_last_name AS "lastName" FROM requests`);
    expect(stored).toEqual({ firstName: 'H\u00e9l\u00e8ne', lastName: 'L\u00e9ger' });
  });

  it('an estimated amount sent as null reads as none', async () => {
    const response = await json('/api/v1/requests', JSON.stringify({ ...validRequestBody(1), estimatedAmount: null }));
    expect(response.status).toBe(201);
    expect(await t.dataSource.query(`SELECT estimated_amount FROM requests`)).toEqual([{ estimated_amount: null }]);
  });

  it('days before 1900 are refused as field errors, in the API, the pages and the exports', async () => {
    const token = await bearerFor(t, { role: 'admin' });
    const get = (path: string) => fetch(`${t.url}${path}`, { headers: { authorization: token } });
    const evaluations = await get('/api/v1/staff/evaluations?du=0000-01-01');
    expect(evaluations.status).toBe(400);
    expect((await bodyOf(evaluations)).errors).toEqual([
      { field: 'du', message: 'Date de début : saisissez une date au format JJ/MM/AAAA (AAAA-MM-JJ dans l’API).' },
    ]);
    const indicators = await get('/api/v1/staff/indicators?from=0001-01-01&to=0001-12-31');
    expect(indicators.status).toBe(400);
    expect((await bodyOf(indicators)).errors.map((e: { field: string }) => e.field)).toEqual(['from', 'to']);
    const admin = new StaffClient(t.url);
    const { email } = await insertStaff(t.dataSource, { role: 'admin' });
    expect((await admin.signIn(email)).status).toBe(303);
    for (const path of [
      '/espace/export/demandes.csv?du=0000-01-01',
      '/espace/export/evaluations.csv?au=0000-01-01',
      '/espace/indicateurs?du=0001-01-01&au=0001-12-31',
    ]) {
      expect([path, (await admin.get(path)).status]).toEqual([path, 400]);
    }
    const facilitatorId = await insertFacilitator(t.dataSource, { network: 'aura-ee' });
    const absences = `/espace/facilitateurs/${facilitatorId}/absences`;
    const absence = await admin.submit(absences, absences, { startsOn: '01/01/0000', endsOn: '02/01/0000', reason: '' });
    expect(absence.status).toBe(400);
    expect(await absence.text()).toContain('Premier jour d’absence : date impossible (jour, mois ou année).');
    expect(errorLines()).toEqual([]);
  });
});
