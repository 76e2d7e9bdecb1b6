import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { ForbiddenException } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express, { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { AppConfig } from '../config/app-config';
import { AllExceptionsFilter } from '../common/errors/all-exceptions.filter';
import { respondWithError } from '../common/errors/error-responder';
import { StaffAuthService } from '../modules/accounts/staff-auth.service';
import { staffOnlyMiddleware } from '../modules/accounts/staff.guard';
import { QUEUE_NAMES } from '../queue/queue.registry';
import { QueueService } from '../queue/queue.service';
import { finishApiDocument } from './api-document';
import { HTTPS_ONLY_COOKIES } from '../modules/accounts/cookies';
import { inputGuard, refuseMalformedUtf8 } from './input-guard';
import { configureViews } from './nunjucks';

const BODY_LIMIT = '100kb';
const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;
const QUEUE_DASHBOARD_PATH = '/admin/queues';

/** Where express.static serves the design system's and the pages' own files, with their own cache lifetimes. */
const STATIC_FILES = /^\/(dsfr|assets)\//;
/** Pages behind a private link, a sign-in or a token, and the API: a link shared or leaked is never indexed. */
const NOT_FOR_SEARCH_ENGINES = /^\/(suivi|questionnaire|espace|connexion|mot-de-passe|api|metrics|health)(\/|$)/;

/**
 * A proxy in front while TRUST_PROXY is 0: every client seems to come from the proxy, so the limits per client address
 * (submissions, sign-in failures) count everyone together and soon refuse everyone. Said once, at the first sign.
 */
function warnOfUntrustedProxy(logger: Logger) {
  let warned = false;
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!warned && req.headers['x-forwarded-for'] !== undefined) {
      warned = true;
      logger.warn(
        'en-tête X-Forwarded-For reçu alors que TRUST_PROXY vaut 0 : derrière un proxy, réglez TRUST_PROXY sur le nombre de proxys, sinon les limites par adresse comptent tous les clients ensemble',
      );
    }
    next();
  };
}

/** No page uses the camera, the microphone, the location or payments: an injected script could not either. */
const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()';

/** Everything an HTTP process needs around the controllers; shared by main.ts and the tests. */
export function configureHttp(app: NestExpressApplication, config: AppConfig, logger: Logger): void {
  app.set('trust proxy', config.TRUST_PROXY);
  app.set(HTTPS_ONLY_COOKIES, config.PUBLIC_URL.startsWith('https:'));
  app.disable('x-powered-by');
  // API replies are never cached by clients; hashing every body for an ETag costs for nothing.
  app.set('etag', false);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // Swagger UI sets inline styles; pages themselves use none.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          // The State's fonts are served from /dsfr: helmet's default also allows any https origin.
          fontSrc: ["'self'", 'data:'],
          upgradeInsecureRequests: config.isProduction ? [] : null,
        },
      },
      // Tracking links carry a private token: never leak it through Referer.
      referrerPolicy: { policy: 'no-referrer' },
      strictTransportSecurity: config.isProduction,
    }),
  );
  // Pages and API answers hold personal data, private links, tokens shown once and one-time form tokens: neither a
  // browser (a shared office computer, the back button after signing out) nor a proxy keeps any of them. Secure by
  // default, so a new page cannot forget it; the static files below say how long they may be kept.
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (!STATIC_FILES.test(req.path)) res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
    if (NOT_FOR_SEARCH_ENGINES.test(req.path)) res.setHeader('X-Robots-Tag', 'noindex, nofollow');
    next();
  });
  if (!config.TRUST_PROXY) app.use(warnOfUntrustedProxy(logger));
  app.use(requestLogging(logger));
  app.use(express.json({ limit: BODY_LIMIT, strict: false, verify: refuseMalformedUtf8 }));
  app.use(express.urlencoded({ limit: BODY_LIMIT, extended: false, parameterLimit: 100 }));
  app.use(inputGuard);
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => respondWithError(error, req, res, logger));

  app.use(QUEUE_DASHBOARD_PATH, queueDashboard(app, logger));
  app.use('/dsfr', express.static(join(require.resolve('@gouvfr/dsfr/package.json'), '..', 'dist'), { maxAge: '7d', index: false }));
  app.use('/assets', express.static(join(__dirname, 'assets'), { maxAge: '1h', index: false }));
  configureViews(app, config.isProduction);

  const document = finishApiDocument(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Guichet vert — API')
        .setDescription(
          'Dépôt et suivi des demandes de conseil en achat public durable. Les messages d’erreur sont en français, un par champ.',
        )
        .setVersion('1')
        .addBearerAuth({
          type: 'http',
          scheme: 'bearer',
          // The builder's default says JWT: these tokens are opaque, looked up by their hash.
          bearerFormat: 'gvt_…',
          description:
            'Jeton d’API opaque (pas un JWT) : `gvt_` suivi de 43 caractères, à créer dans « Mon compte » de l’espace ou avec `users:token`',
        })
        .build(),
    ),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json', customSiteTitle: 'Guichet vert — API' });

  app.useGlobalFilters(new AllExceptionsFilter(logger));
  app.enableShutdownHooks();
}

/**
 * Bull Board for the queues, for admins signed in (others: 404; no session: sign-in page). It works under the site's Content-Security-Policy as is: its scripts and styles are
 * files under the base path, its only inline script is a JSON block (not executed), and inline
 * styles are already allowed. Only its Google Fonts stylesheet is refused, on purpose: the admin's
 * browser does not call Google, and the board falls back to system fonts.
 * Its own error handler: the site's one above does not see errors raised here.
 */
function queueDashboard(app: NestExpressApplication, logger: Logger): express.Router {
  const serverAdapter = new ExpressAdapter().setBasePath(QUEUE_DASHBOARD_PATH);
  const queues = app.get(QueueService);
  createBullBoard({
    queues: QUEUE_NAMES.map((name) => new BullMQAdapter(queues.queue(name))),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Guichet vert', locale: { lng: 'fr-FR' }, hideDocsLink: true } },
  });
  const router = express.Router();
  router.use(staffOnlyMiddleware(() => app.get(StaffAuthService), 'admin'));
  router.use(sameOriginActions);
  router.use(mounted(serverAdapter.getRouter() as express.Application));
  router.use((error: unknown, req: Request, res: Response, _next: NextFunction) => respondWithError(error, req, res, logger));
  return router;
}

/**
 * An Express application used inside a router, as `app.use` mounts one: it moves the request and response onto its
 * own prototypes (its `app`, its views), and they must come back when it passes the request on — or the site's 404
 * page is looked for among the board's views (a 500).
 */
function mounted(board: express.Application): express.RequestHandler {
  return (req, res, next) => {
    const [request, response] = [Object.getPrototypeOf(req) as object, Object.getPrototypeOf(res) as object];
    board(req, res, (error?: unknown) => {
      Object.setPrototypeOf(req, request);
      Object.setPrototypeOf(res, response);
      next(error);
    });
  };
}

/**
 * A browser attaches the session cookie to requests other sites make it send (SameSite=Lax
 * stops most, not top-level navigations): the board's actions (retry, clean, pause…) must come from the board's own pages.
 * Clients that are not browsers send no Sec-Fetch-Site and are not concerned.
 */
function sameOriginActions(req: Request, _res: Response, next: NextFunction): void {
  const site = req.header('sec-fetch-site');
  if (['GET', 'HEAD'].includes(req.method) || !site || site === 'same-origin' || site === 'none') return next();
  next(new ForbiddenException());
}

/** Links whose private token is in the path itself (surveys, new passwords and invitations): masked, as query strings are dropped. */
function withoutPathTokens(path: string): string {
  return path.replace(/^\/(questionnaire|mot-de-passe\/nouveau)\/[^/]+/, '/$1/…');
}

/**
 * One JSON line per request, with its id (X-Request-Id honoured when sane, else a new one), the
 * path without its query string (tracking tokens travel there), the status and the duration.
 * The id is also on the response (header), where the line of an unexpected error reads it. It is not
 * carried through every await into the services' own lines: AsyncLocalStorage does that on Node 20 with
 * promise hooks, which cost about a tenth of a submission's CPU (README, "Thirteenth session").
 */
function requestLogging(logger: Logger) {
  // Static files, and Prometheus' scrapes every few seconds.
  const quiet = /^\/(dsfr|assets)\/|^\/metrics$/;
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.header('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const started = process.hrtime.bigint();
    res.setHeader('X-Request-Id', requestId);
    if (logger.isLevelEnabled('info') && !quiet.test(req.path)) {
      res.on('finish', () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        const level = res.statusCode >= 500 ? 'error' : 'info';
        logger[level](
          {
            requestId,
            req: { method: req.method, path: withoutPathTokens(req.path) },
            res: { statusCode: res.statusCode },
            responseTimeMs: Math.round(ms * 10) / 10,
          },
          `${req.method} ${res.statusCode}`,
        );
      });
    }
    next();
  };
}
