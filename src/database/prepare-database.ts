import { DataSource } from 'typeorm';
import { seedReferenceData } from '../modules/reference/reference.seed';
import { ensureReferenceSequence, parisYear } from '../modules/requests/reference-number';

/** Any constant: every instance booting at once takes turns on the same lock. */
const MIGRATION_LOCK_ID = 4_815_162_342;

/**
 * Applies pending migrations and loads reference data, once, whatever the number of instances
 * starting together: they queue on a PostgreSQL advisory lock.
 */
export async function prepareDatabase(dataSource: DataSource, options: { runMigrations: boolean }): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    if (options.runMigrations) await dataSource.runMigrations({ transaction: 'each' });
    await dataSource.transaction((manager) => seedReferenceData(manager));
    const year = parisYear();
    for (const y of [year, year + 1]) await ensureReferenceSequence(dataSource, y);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    await runner.release();
  }
}
