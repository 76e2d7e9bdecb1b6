import { misspeltKeys } from './misspelt-keys.policy';

const KNOWN = ['PORT', 'DATABASE_URL', 'REDIS_URL', 'SMTP_URL', 'PUBLIC_URL', 'MAIL_DIR', 'LOG_LEVEL', 'APP_SECRET', 'APP_SECRET_PREVIOUS'];

describe('misspeltKeys', () => {
  it.each([
    ['a letter left out', ['DATABSE_URL'], [{ key: 'DATABSE_URL', meant: 'DATABASE_URL' }]],
    ['two letters swapped', ['SMTP_ULR'], [{ key: 'SMTP_ULR', meant: 'SMTP_URL' }]],
    ['written in lower case', ['redis_url'], [{ key: 'redis_url', meant: 'REDIS_URL' }]],
    ['the underscore left out', ['LOGLEVEL'], [{ key: 'LOGLEVEL', meant: 'LOG_LEVEL' }]],
    ['URI for URL', ['PUBLIC_URI'], [{ key: 'PUBLIC_URI', meant: 'PUBLIC_URL' }]],
    ['a short name with two letters swapped (two slips)', ['PROT'], []],
    ['a short name, one letter more', ['PORTS'], [{ key: 'PORTS', meant: 'PORT' }]],
    ['HOST is not PORT (two slips on a short name)', ['HOST'], []],
    ['the closest of two candidates', ['APP_SECRET_PREVIOU'], [{ key: 'APP_SECRET_PREVIOU', meant: 'APP_SECRET_PREVIOUS' }]],
    ['the service’s own names', ['PORT', 'DATABASE_URL'], []],
    ['unrelated variables of the machine', ['PATH', 'HOME', 'PGPORT', 'TEST_DATABASE_URL', 'REDIS_PORT', 'NODE_OPTIONS'], []],
  ])('%s', (_label, envKeys, expected) => {
    expect(misspeltKeys(envKeys, KNOWN)).toEqual(expected);
  });
});
