import 'reflect-metadata';
import { Client } from 'pg';
import { loadConfig } from '../../src/config/app-config';
import { migrateAndSeed } from '../../src/database/migrate-and-seed';
import { testDatabase, testEnv, testServerUrl } from './test-env';

/** A fresh database for this run, migrated from zero; test workers inherit GV_TEST_RUN. */
export default async function globalSetup(): Promise<void> {
  process.env.GV_TEST_RUN = String(process.pid);
  const admin = new Client({ connectionString: testServerUrl('postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${testDatabase(process.env.GV_TEST_RUN)} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${testDatabase(process.env.GV_TEST_RUN)}`);
  await admin.end();
  await migrateAndSeed(loadConfig({ ...process.env, ...testEnv() }));
}
