import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import { Client, escapeIdentifier } from 'pg';
import { DataSource } from 'typeorm';
import { AppModule, Roles } from './app.module';
import { AppConfig, ConfigError, loadConfig, misspeltEnvironmentKeys, misspeltKeyWarning } from './config/app-config';
import { createLogger, PinoNestLogger } from './common/logging/logger';
import { logsWritten } from './common/logging/logging.module';
import { connectionFailure, withoutPassword } from './database/connection-failure.policy';
import { DATABASE_CONNECT_TIMEOUT_MS, migrationDataSourceOptions } from './database/data-source-options';
import { prepareDatabase } from './database/prepare-database';
import { placeholderContacts } from './modules/reference/reference.seed';
import { configureHttp } from './web/http-setup';
import { ExpressClassesAdapter } from './web/express-adapter';
import { isWorkersThread, lowerThisThreadPriority, onApiThreadMessage } from './queue/workers-thread';

/**
 * PostgreSQL out of reach, refusing the user, or without the database at start: one line saying what to check, as
 * `npm run migration:run` says it; a stack trace would only bury it.
 */
class DatabaseStartFailure extends Error {}

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

export async function migrateAndSeed(config: AppConfig, logger?: Logger): Promise<void> {
  await createDatabaseIfMissing(config.DATABASE_URL, !config.isProduction, logger);
  const dataSource = await new DataSource(migrationDataSourceOptions(config)).initialize();
  try {
    const realigned = await prepareDatabase(dataSource, { runMigrations: config.RUN_MIGRATIONS });
    if (realigned.moved) {
      logger?.info(realigned, 'demandes ouvertes rattachées au nouveau réseau de leur territoire (données de référence modifiées)');
    }
    if (config.isProduction) {
      for (const network of await placeholderContacts(dataSource)) {
        logger?.warn(
          { network: network.code, contactEmail: network.contactEmail },
          'adresse de contact d’exemple : sans animateur, ce réseau ne reçoit pas ses alertes (réserve, retards) ; un administrateur la corrige dans l’espace, page « Réseaux » (/espace/reseaux)',
        );
      }
    }
  } finally {
    await dataSource.destroy();
  }
}

/**
 * A newcomer's first `npm start` creates its database, if the server lets this user do it. Not in production: there a
 * missing database is a mistyped DATABASE_URL, and the desk would start on an empty one.
 */
async function createDatabaseIfMissing(databaseUrl: string, create: boolean, logger?: Logger): Promise<void> {
  const probe = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: DATABASE_CONNECT_TIMEOUT_MS });
  try {
    await probe.connect();
    return;
  } catch (error) {
    if ((error as { code?: string }).code !== '3D000') {
      const known = connectionFailure(databaseUrl, error);
      if (known) throw new DatabaseStartFailure(known);
      // pg's own words for another failure name neither the server nor the setting to check.
      throw new DatabaseStartFailure(
        `PostgreSQL refuse la connexion ou ne répond pas (DATABASE_URL : ${withoutPassword(databaseUrl)}) : ${(error as Error).message}`,
      );
    }
  } finally {
    await probe.end().catch(() => undefined);
  }
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!create) {
    throw new DatabaseStartFailure(
      `la base de données « ${name} » n’existe pas (DATABASE_URL : ${withoutPassword(databaseUrl)}) : corrigez DATABASE_URL, ou créez-la (createdb). Hors production, le premier démarrage la crée.`,
    );
  }
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${escapeIdentifier(name)}`);
    logger?.info({ database: name }, 'base de données créée');
  } catch (error) {
    // Another instance created it at the same moment.
    if ((error as { code?: string }).code !== '42P04') throw error;
  } finally {
    await admin.end();
  }
}
