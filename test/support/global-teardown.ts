import { Client } from 'pg';
import { rm } from 'node:fs/promises';
import { flushQueues } from './test-app';
import { testDatabase, testEnv, testServerUrl } from './test-env';

/** Leaves nothing behind: the run's database, queue keys and mail files. */
export default async function globalTeardown(): Promise<void> {
  const run = process.env.GV_TEST_RUN;
  if (!run) return;
  const admin = new Client({ connectionString: testServerUrl('postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${testDatabase(run)} WITH (FORCE)`);
  await admin.end();
  await flushQueues(testEnv().QUEUE_PREFIX);
  await rm(testEnv().MAIL_DIR, { recursive: true, force: true });
}
