import type { Request, Response } from 'express';
import pino from 'pino';
import { Writable } from 'node:stream';
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
