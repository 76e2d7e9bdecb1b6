import type { Logger } from 'pino';
import { Client, escapeIdentifier } from 'pg';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { placeholderContacts } from '../modules/reference/reference.seed';
import { connectionFailure, withoutPassword } from './connection-failure.policy';
import { DATABASE_CONNECT_TIMEOUT_MS, migrationDataSourceOptions } from './data-source-options';
import { prepareDatabase, revertLastMigration } from './prepare-database';

// Apart from bootstrap.ts, which loads the whole application: the migration commands start in a second, not several.

/**
 * PostgreSQL out of reach, refusing the user, or without the database at start or for a migration command: one line
 * saying what to check; a stack trace would only bury it.
 */
export class DatabaseStartFailure extends Error {}

/** runMigrations: RUN_MIGRATIONS unless told (the `migrate` command migrates whatever it says). */
export async function migrateAndSeed(
  config: AppConfig,
  logger?: Logger,
  { runMigrations = config.RUN_MIGRATIONS }: { runMigrations?: boolean } = {},
): Promise<void> {
  await createDatabaseIfMissing(config.DATABASE_URL, !config.isProduction, logger);
  const dataSource = await new DataSource(migrationDataSourceOptions(config)).initialize();
  try {
    const { migrations, realigned } = await prepareDatabase(dataSource, { runMigrations });
    // An upgrade leaves its trace: which schema changes this instance made, if any.
    if (runMigrations) {
      logger?.info({ migrations }, migrations.length ? `migrations appliquées : ${migrations.join(', ')}` : 'aucune migration en attente');
    }
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

/** `migrate:revert`: the latest applied migration undone, under the boot's lock, and said. */
export async function revertMigration(config: AppConfig, logger: Logger): Promise<void> {
  // The probe alone, for its one-line failures: a revert never creates a database.
  await createDatabaseIfMissing(config.DATABASE_URL, false);
  const dataSource = await new DataSource(migrationDataSourceOptions(config)).initialize();
  try {
    const reverted = await revertLastMigration(dataSource);
    logger.info({ migration: reverted }, reverted ? `migration annulée : ${reverted}` : 'aucune migration à annuler');
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
