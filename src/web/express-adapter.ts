import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { Express } from 'express';
import * as http from 'node:http';

/**
 * Express moves each request and response onto its own prototype as it arrives
 * (`Object.setPrototypeOf` in `app.handle`), which V8 handles badly: property accesses on them go
 * slow and much of every request's memory lives past minor collections, to be freed only by full
 * ones. Here Node's server builds them from subclasses that already carry Express's methods, and
 * Express's prototypes are those subclasses' own, so that call changes nothing. With HTTPS or
 * forced connection closing, Nest's own server is built instead, as before.
 */
export class ExpressClassesAdapter extends ExpressAdapter {
  override initHttpServer(options: NestApplicationOptions): void {
    if (options?.httpsOptions || options?.forceCloseConnections) return super.initHttpServer(options);
    const app = this.getInstance<Express>();
    const Request = withExpressMembers(http.IncomingMessage, app.request);
    const Response = withExpressMembers(http.ServerResponse, app.response);
    app.request = Request.prototype as unknown as Express['request'];
    app.response = Response.prototype as unknown as Express['response'];
    this.httpServer = http.createServer({ IncomingMessage: Request, ServerResponse: Response }, app);
  }
}

/** A subclass of Node's class with the members Express put on its prototype for the application. */
function withExpressMembers<T extends new (...args: any[]) => object>(base: T, expressPrototype: object): T {
  const Extended = class extends base {};
  // Express's shared members (request.js, response.js), then the application's own (`app`).
  for (const source of [Object.getPrototypeOf(expressPrototype) as object, expressPrototype]) {
    Object.defineProperties(Extended.prototype, Object.getOwnPropertyDescriptors(source));
  }
  return Extended;
}
