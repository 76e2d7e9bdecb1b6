import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import { AppModule, Roles } from './app.module';
import { AppConfig, ConfigError, loadConfig, misspeltEnvironmentKeys, misspeltKeyWarning } from './config/app-config';
import { createLogger, PinoNestLogger } from './common/logging/logger';
import { logsWritten } from './common/logging/logging.module';
import { DatabaseStartFailure, migrateAndSeed } from './database/migrate-and-seed';
import { configureHttp } from './web/http-setup';
import { ExpressClassesAdapter } from './web/express-adapter';
import { isWorkersThread, lowerThisThreadPriority, onApiThreadMessage } from './queue/workers-thread';

/** Validates the configuration, migrates and seeds, then starts the roles this process plays. */
export async function start(roles: Roles): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.report}\n`);
      process.exit(78);
    }
    throw error;
  }
  const name = roles.api && roles.worker ? 'guichet-vert' : roles.api ? 'guichet-vert-api' : 'guichet-vert-worker';
  const logger = createLogger(config.LOG_LEVEL, name);
  const inWorkersThread = isWorkersThread();
  try {
    // The api's thread has migrated and seeded before starting this one.
    if (inWorkersThread) lowerThisThreadPriority(logger);
    else {
      for (const misspelt of misspeltEnvironmentKeys()) logger.warn(misspelt, misspeltKeyWarning(misspelt));
      await migrateAndSeed(config, logger);
    }
    if (roles.api) {
      const app = await createHttpApp(roles, config, logger);
      await app.listen(config.PORT);
      logger.info({ port: config.PORT, publicUrl: config.PUBLIC_URL, roles }, `service démarré : ${config.PUBLIC_URL}`);
    } else {
      const context = await NestFactory.createApplicationContext(AppModule.forRoles(roles, config, logger), {
        logger: new PinoNestLogger(logger),
      });
      if (inWorkersThread) {
        // Signals reach the main thread only: the api's thread says when to stop.
        onApiThreadMessage((message) => {
          if (message.type !== 'stop') return;
          // process.exit in a worker thread ends the thread, not the process.
          void context.close().then(() => process.exit(0));
        });
      } else {
        context.enableShutdownHooks();
      }
      logger.info({ roles, thread: inWorkersThread }, 'worker démarré');
    }
  } catch (error) {
    // pino writes a fatal line at once, past a write still in flight (Nest's « successfully started »): that one first,
    // so the last line of a failed start says why.
    await logsWritten(logger);
    logger.fatal(...startFailure(error, config.PORT));
    process.exit(1);
  }
}

/** The fatal line of a failed start: the usual first-start mistakes said plainly, a stack trace would hide them. */
function startFailure(error: unknown, port: number): [object, string] {
  if ((error as { code?: string }).code === 'EADDRINUSE') {
    return [
      { port },
      `démarrage impossible : le port ${port} est déjà pris (un autre service, ou une instance déjà lancée) ; arrêtez-le ou choisissez un autre PORT`,
    ];
  }
  if (error instanceof DatabaseStartFailure) return [{}, `démarrage impossible : ${error.message}`];
  return [{ err: { message: (error as Error).message, stack: (error as Error).stack } }, 'démarrage impossible'];
}

export async function createHttpApp(roles: Roles, config: AppConfig, logger: Logger): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoles(roles, config, logger), new ExpressClassesAdapter(), {
    bodyParser: false,
    logger: new PinoNestLogger(logger),
  });
  configureHttp(app, config, logger);
  return app;
}
