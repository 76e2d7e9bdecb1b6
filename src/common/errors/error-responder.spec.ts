import type { Request, Response } from 'express';
import pino from 'pino';
import { Writable } from 'node:stream';
import { RequestErased } from '../../modules/requests/tracking.service';
import { ActionRefused, AppError, NotFound } from './app-errors';
import { respondWithError } from './error-responder';

/** A pino logger writing its JSON lines into `lines`, as the service's does to stdout. */
function capturingLogger(lines: Array<Record<string, unknown>>) {
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(JSON.parse(String(chunk)));
      callback();
    },
  });
  return pino({ level: 'info' }, stream);
}

/** The parts of Express' request and response the responder reads for a JSON client. */
function jsonExchange(requestId: string) {
  const sent: { status?: number; body?: unknown } = {};
  const req = { path: '/api/v1/requests', accepts: () => false } as unknown as Request;
  const res = {
    headersSent: false,
    getHeader: (name: string) => (name.toLowerCase() === 'x-request-id' ? requestId : undefined),
    setHeader: () => undefined,
    status(code: number) {
      sent.status = code;
      return this;
    },
    json(body: unknown) {
      sent.body = body;
    },
  } as unknown as Response;
  return { req, res, sent };
}

describe('respondWithError', () => {
  it('logs an unexpected error once, with the request’s id and without personal data, and answers a French 500', () => {
    const lines: Array<Record<string, unknown>> = [];
    const { req, res, sent } = jsonExchange('req-7');
    respondWithError(new Error('refusé pour camille.martin@example.fr, +33 4 76 00 00 00'), req, res, capturingLogger(lines));

    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ requestId: 'req-7', msg: 'erreur inattendue' });
    expect(JSON.stringify(lines[0])).not.toMatch(/camille|76 00 00/);
    expect(sent).toEqual({
      status: 500,
      body: {
        statusCode: 500,
        message: 'Une erreur inattendue est survenue. Elle a été enregistrée ; réessayez dans quelques instants.',
        errors: [],
      },
    });
  });
});

describe('respondWithError, PostgreSQL away', () => {
  const away = (props: Record<string, unknown>, message = 'x') => Object.assign(new Error(message), props);
  it.each([
    ['shut down by an administrator (57P01)', away({ code: '57P01' }, 'terminating connection due to administrator command')],
    ['starting up (57P03)', away({ code: '57P03' }, 'the database system is starting up')],
    ['a connection failure (class 08)', away({ code: '08006' })],
    ['no connection slot left (53300)', away({ code: '53300' }, 'sorry, too many clients already')],
    ['its database dropped under the service (3D000)', away({ code: '3D000' }, 'database "guichet_vert" does not exist')],
    ['its password changed under the service (28P01)', away({ code: '28P01' }, 'password authentication failed for user "gv"')],
    ['refused', away({ code: 'ECONNREFUSED' }, 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['a connection lost mid-query', away({}, 'Connection terminated unexpectedly')],
    ['no free connection in time', away({}, 'timeout exceeded when trying to connect')],
    ['wrapped by TypeORM', away({ driverError: away({ code: '57P01' }) }, 'QueryFailedError')],
    ['a transaction whose connection was ended under it', away({ name: 'QueryRunnerAlreadyReleasedError' })],
    ['a query runner released by its lost connection', away({ name: 'QueryRunnerProviderAlreadyReleasedError' })],
  ])('%s: 503 with Retry-After, a warning rather than an error', (_label, error) => {
    const lines: Array<Record<string, unknown>> = [];
    const headers: Record<string, string> = {};
    const { req, res, sent } = jsonExchange('req-8');
    res.setHeader = ((name: string, value: string) => void (headers[name] = value)) as unknown as Response['setHeader'];
    respondWithError(error, req, res, capturingLogger(lines));
    expect(sent).toEqual({
      status: 503,
      body: {
        statusCode: 503,
        code: 'service_unavailable',
        message: 'Le service est momentanément indisponible. Réessayez dans quelques instants.',
        errors: [],
      },
    });
    expect(headers['Retry-After']).toBe('30');
    expect(lines.map((line) => [line.level, line.msg])).toEqual([[40, 'service momentanément indisponible']]);
  });

  it('a constraint broken (23505) is no outage: 500', () => {
    const { req, res, sent } = jsonExchange('req-9');
    respondWithError(Object.assign(new Error('duplicate key'), { code: '23505' }), req, res, capturingLogger([]));
    expect(sent.status).toBe(500);
  });
});

/**
 * The parts of Express' request and response the responder reads for a browser's request (it takes HTML), and what it
 * renders or sends as JSON.
 */
function pageExchange(path: string, headers: Record<string, string> = {}) {
  const sent: { status?: number; view?: string; locals?: Record<string, unknown>; body?: unknown } = {};
  const req = { path, headers, accepts: (type: string) => type === 'html' } as unknown as Request;
  const res = {
    headersSent: false,
    getHeader: () => undefined,
    setHeader: () => undefined,
    status(code: number) {
      sent.status = code;
      return this;
    },
    render(view: string, locals: Record<string, unknown>) {
      sent.view = view;
      sent.locals = locals;
    },
    json(body: unknown) {
      sent.body = body;
    },
  } as unknown as Response;
  return { req, res, sent };
}

describe('respondWithError, JSON or page', () => {
  const refused = () => new AppError('validation_failed', 'Filtres invalides.', [{ field: 'x', message: 'Paramètre inconnu.' }]);
  it.each([
    ['a browser on a page', '/espace/export/demandes.csv', {}, 'page'],
    [
      'a script with its bearer token, outside /api/ (the CSV exports)',
      '/espace/export/demandes.csv',
      { authorization: 'Bearer gvt_x' },
      'json',
    ],
    ['a script on the API', '/api/v1/staff/requests', {}, 'json'],
  ])('%s: %s', (_label, path, headers, expected) => {
    const { req, res, sent } = pageExchange(path, headers);
    respondWithError(refused(), req, res, capturingLogger([]));
    expect(sent.status).toBe(400);
    if (expected === 'json') {
      expect(sent.body).toEqual({
        statusCode: 400,
        code: 'validation_failed',
        message: 'Filtres invalides.',
        errors: [{ field: 'x', message: 'Paramètre inconnu.' }],
      });
    } else expect([sent.view, sent.body]).toEqual(['error', undefined]);
  });
});

describe('respondWithError, pages for people', () => {
  it.each([
    // The buyer's link to a request whose data were erased: what they (or the retention period) asked for.
    ['an erased request’s link', 'Données effacées', new RequestErased()],
    ['another page no longer there', 'Page plus disponible', new AppError('gone', 'Ce lien ne sert plus.')],
    ['a page not found', 'Page introuvable', new NotFound()],
    ['a change the state refuses', 'Une erreur est survenue', new ActionRefused('Déjà clôturée.')],
  ])('%s is titled « %s »', (_label, heading, error) => {
    const { req, res, sent } = pageExchange('/suivi/GV-2026-000001');
    respondWithError(error, req, res, capturingLogger([]));
    expect([sent.view, sent.locals?.heading]).toEqual(['error', heading]);
  });

  it('an erased request’s page says so in its title and heading, with the message, and is no « erreur »', () => {
    const { req, res, sent } = pageExchange('/suivi/GV-2026-000001');
    respondWithError(new RequestErased(), req, res, capturingLogger([]));
    expect(sent.status).toBe(410);
    expect(sent.locals).toMatchObject({ title: 'Données effacées', heading: 'Données effacées' });
    expect(sent.locals?.message).toContain('Les données personnelles de cette demande ont été effacées');
  });
});
