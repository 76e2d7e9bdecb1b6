import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express, { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from 'pino';
import pinoHttp from 'pino-http';
import { AppConfig } from '../config/app-config';
import { AllExceptionsFilter } from '../common/errors/all-exceptions.filter';
import { respondWithError } from '../common/errors/error-responder';
import { requestContext } from '../common/logging/logger';
import { configureViews } from './nunjucks';

const BODY_LIMIT = '100kb';
const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/** Everything an HTTP process needs around the controllers; shared by main.ts and the tests. */
export function configureHttp(app: NestExpressApplication, config: AppConfig, logger: Logger): void {
  app.set('trust proxy', config.TRUST_PROXY);
  app.disable('x-powered-by');
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // Swagger UI sets inline styles; pages themselves use none.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          upgradeInsecureRequests: config.isProduction ? [] : null,
        },
      },
      // Tracking links carry a private token: never leak it through Referer.
      referrerPolicy: { policy: 'no-referrer' },
      strictTransportSecurity: config.isProduction,
    }),
  );
  app.use((req: Request, res: Response, next: NextFunction) => {
    const incoming = req.header('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    requestContext.run({ requestId }, next);
  });
  app.use(
    pinoHttp({
      logger,
      genReqId: (_req, res) => String(res.getHeader('X-Request-Id')),
      autoLogging: { ignore: (req) => /^\/(dsfr|assets)\//.test(req.url ?? '') },
      // Paths only: query strings may carry tracking tokens.
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customSuccessMessage: (req, res) => `${req.method} ${res.statusCode}`,
      customErrorMessage: (req, res) => `${req.method} ${res.statusCode}`,
    }),
  );
  app.use(express.json({ limit: BODY_LIMIT, strict: false }));
  app.use(express.urlencoded({ limit: BODY_LIMIT, extended: false, parameterLimit: 100 }));
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => respondWithError(error, req, res, logger));

  app.use('/dsfr', express.static(join(require.resolve('@gouvfr/dsfr/package.json'), '..', 'dist'), { maxAge: '7d', index: false }));
  app.use('/assets', express.static(join(__dirname, 'assets'), { maxAge: '1h', index: false }));
  configureViews(app, config.isProduction);

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Guichet vert — API')
      .setDescription(
        'Dépôt et suivi des demandes de conseil en achat public durable. Les messages d’erreur sont en français, un par champ.',
      )
      .setVersion('1')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json', customSiteTitle: 'Guichet vert — API' });

  app.useGlobalFilters(new AllExceptionsFilter(logger));
  app.enableShutdownHooks();
}
