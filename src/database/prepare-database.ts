import { DataSource } from 'typeorm';
import { seedReferenceData } from '../modules/reference/reference.seed';
import type { RealignmentSummary } from '../modules/routing/network-realignment';
import { ensureReferenceSequence, parisYear } from '../modules/requests/reference-number';

/** Any constant: every instance booting at once takes turns on the same lock. */
const MIGRATION_LOCK_ID = 4_815_162_342;

/**
 * Applies pending migrations and loads reference data, once, whatever the number of instances
 * starting together: they queue on a PostgreSQL advisory lock. Returns the open requests that followed a région to
 * another network (the first instance moves them; the others find nothing).
 */
export async function prepareDatabase(dataSource: DataSource, options: { runMigrations: boolean }): Promise<RealignmentSummary> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    if (options.runMigrations) await dataSource.runMigrations({ transaction: 'each' });
    const realigned = await dataSource.transaction((manager) => seedReferenceData(manager));
    const year = parisYear();
    for (const y of [year, year + 1]) await ensureReferenceSequence(dataSource, y);
    return realigned;
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    await runner.release();
  }
}
