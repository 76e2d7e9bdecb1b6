import 'reflect-metadata';
import { Client } from 'pg';
import { testDatabase, testEnv, testServerUrl } from './test-env';

/** A fresh database for this run, migrated from zero; test workers inherit GV_TEST_RUN. */
export default async function globalSetup(): Promise<void> {
  const globalsBefore = new Set(Object.getOwnPropertyNames(globalThis));
  // Imported here, not above, so that the globals their loading creates are among those removed below.
  const { loadConfig } = await import('../../src/config/app-config');
  const { migrateAndSeed } = await import('../../src/database/migrate-and-seed');
  process.env.GV_TEST_RUN = String(process.pid);
  const admin = new Client({ connectionString: testServerUrl('postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${testDatabase(process.env.GV_TEST_RUN)} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${testDatabase(process.env.GV_TEST_RUN)}`);
  await admin.end();
  await migrateAndSeed(loadConfig({ ...process.env, ...testEnv() }));
  forgetGlobalsCreatedSince(globalsBefore);
}

/**
 * In band, the test files run in this very process, and jest gives every file's context a view of what is then on
 * globalThis. The storages TypeORM, class-validator and Swagger create there on first use (typeormMetadataArgsStorage,
 * classValidatorMetadataStorage…) would then be shared by every file, each adding its classes, and with them its
 * whole module registry, never collected: the heap grew by some 30 MB a file. Removed, each file creates its own.
 */
function forgetGlobalsCreatedSince(before: Set<string>): void {
  for (const name of Object.getOwnPropertyNames(globalThis)) {
    if (!before.has(name)) delete (globalThis as Record<string, unknown>)[name];
  }
}
