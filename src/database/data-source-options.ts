import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import type { AppConfig } from '../config/app-config';
import { SnakeNamingStrategy } from 'typeorm-naming-strategies';
import { join } from 'node:path';
import { ENTITIES } from './entities';

/**
 * How long opening a connection may take where a migration command or the start waits on one: a host that drops packets
 * would otherwise hold it for minutes (the system's TCP retries) before anything says PostgreSQL is out of reach. Not
 * the app's pool: pg also applies it to waiting for a free connection, which a burst of requests may rightly do longer.
 */
export const DATABASE_CONNECT_TIMEOUT_MS = 10_000;

/** One definition for the app and the TypeORM CLI; the schema only ever changes through migrations. */
export function dataSourceOptions(config: Pick<AppConfig, 'DATABASE_URL' | 'DATABASE_POOL_SIZE'>): PostgresConnectionOptions {
  const poolSize = config.DATABASE_POOL_SIZE;
  return {
    type: 'postgres',
    url: config.DATABASE_URL,
    entities: ENTITIES,
    migrations: [join(__dirname, '..', '..', 'migrations', '*.{js,ts}')],
    migrationsTableName: 'migrations',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    // Connections outlive a lull of a minute, and five stay open through longer ones: reopening them at
    // the next burst costs each a backend fork and cold caches (measured: first answers 115–200 ms
    // after a lull, 80 ms with five kept). pg's default closes every idle connection after 10 s.
    extra: { max: poolSize, min: Math.min(5, poolSize), idleTimeoutMillis: 60_000, application_name: 'guichet-vert' },
  };
}

/** The migrations' connection (`npm run migration:*`, and at start): the app's options, with a time limit to connect. */
export function migrationDataSourceOptions(config: Pick<AppConfig, 'DATABASE_URL' | 'DATABASE_POOL_SIZE'>): PostgresConnectionOptions {
  return { ...dataSourceOptions(config), connectTimeoutMS: DATABASE_CONNECT_TIMEOUT_MS };
}
