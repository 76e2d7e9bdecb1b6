import { DATABASE_CONNECT_TIMEOUT_MS, dataSourceOptions, migrationDataSourceOptions } from './data-source-options';

const config = { DATABASE_URL: 'postgres://gv@db.example.fr:5432/gv', DATABASE_POOL_SIZE: 20 };

describe('the connection options', () => {
  it('give the migrations (commands and start) the app’s options, with a time limit to connect of a few seconds', () => {
    expect(migrationDataSourceOptions(config)).toEqual({ ...dataSourceOptions(config), connectTimeoutMS: DATABASE_CONNECT_TIMEOUT_MS });
    expect(DATABASE_CONNECT_TIMEOUT_MS).toBeGreaterThanOrEqual(2_000);
    expect(DATABASE_CONNECT_TIMEOUT_MS).toBeLessThanOrEqual(15_000);
  });

  it('leave the app’s pool without one: pg would also bound its wait for a free connection, in a burst', () => {
    expect(dataSourceOptions(config)).not.toHaveProperty('connectTimeoutMS');
  });
});
