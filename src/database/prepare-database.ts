import { DataSource, MigrationExecutor } from 'typeorm';
import { seedReferenceData } from '../modules/reference/reference.seed';
import type { RealignmentSummary } from '../modules/routing/network-realignment';
import { ensureReferenceSequence, parisYear } from '../modules/requests/reference-number';

/** Any constant: every instance booting at once, and the migration commands, take turns on the same lock. */
const MIGRATION_LOCK_ID = 4_815_162_342;

/** What a preparation did: the migrations it applied (by name), and the requests it moved to another network. */
export interface PreparedDatabase {
  migrations: string[];
  realigned: RealignmentSummary;
}

/**
 * Applies pending migrations and loads reference data, once, whatever the number of instances
 * starting together: they queue on a PostgreSQL advisory lock. Returns the open requests that followed a région to
 * another network (the first instance moves them; the others find nothing).
 */
export function prepareDatabase(dataSource: DataSource, options: { runMigrations: boolean }): Promise<PreparedDatabase> {
  return underMigrationLock(dataSource, async () => {
    const migrations = options.runMigrations ? await dataSource.runMigrations({ transaction: 'each' }) : [];
    const realigned = await dataSource.transaction((manager) => seedReferenceData(manager));
    const year = parisYear();
    for (const y of [year, year + 1]) await ensureReferenceSequence(dataSource, y);
    return { migrations: migrations.map((migration) => migration.name), realigned };
  });
}

/**
 * Undoes the latest applied migration under the same lock, so that no instance booting meanwhile applies it again
 * halfway. Returns its name, null when none was applied; a migration this code does not know stops it (TypeORM's error).
 */
export function revertLastMigration(dataSource: DataSource): Promise<string | null> {
  return underMigrationLock(dataSource, async () => {
    const [latest] = await new MigrationExecutor(dataSource).getExecutedMigrations();
    if (!latest) return null;
    await dataSource.undoLastMigration({ transaction: 'each' });
    return latest.name;
  });
}

async function underMigrationLock<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    return await work();
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    await runner.release();
  }
}
