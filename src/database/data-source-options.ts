import { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { SnakeNamingStrategy } from 'typeorm-naming-strategies';
import { join } from 'node:path';
import { ENTITIES } from './entities';

/** One definition for the app and the TypeORM CLI; the schema only ever changes through migrations. */
export function dataSourceOptions(config: Pick<AppConfig, 'DATABASE_URL' | 'DATABASE_POOL_SIZE'>): DataSourceOptions {
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
