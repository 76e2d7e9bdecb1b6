/**
 * The environment every test process runs with. Each jest run gets its own database and queue
 * prefix (named after the run's process id by the global setup), so runs never disturb each other.
 */
export function testEnv(): Record<string, string> {
  const run = process.env.GV_TEST_RUN ?? 'local';
  return {
    NODE_ENV: 'test',
    DATABASE_URL: testServerUrl(testDatabase(run)),
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `gvtest${run}`,
    MAIL_DIR: `var/test-mail/${run}`,
    LOG_LEVEL: 'silent',
    INTAKE_RATE_LIMIT: '100000',
    OUTBOX_POLL_MS: '200',
    APP_SECRET: 'test-secret-0123456789-0123456789-0123456789',
    SMTP_URL: '',
    PUBLIC_URL: 'http://localhost:3000',
  };
}

export function testDatabase(run: string): string {
  return `guichet_vert_test_${run}`;
}

/**
 * A database of the PostgreSQL server tests use: TEST_DATABASE_URL's (user, password, host; its database is replaced),
 * else the local server with trust authentication, as on a fresh development machine.
 */
export function testServerUrl(database: string): string {
  const url = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/${database}`;
  return url.toString();
}
