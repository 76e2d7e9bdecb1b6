import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { testServerUrl } from '../support/test-env';

/** A database of its own: the run's shared one must stay migrated for the other tests. */
const DATABASE = `guichet_vert_migrations_${process.env.GV_TEST_RUN ?? 'local'}`;

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: testServerUrl('postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** What TypeORM would still change to make the database match the entities: nothing, when migrations say it all. */
async function schemaDrift(dataSource: DataSource): Promise<string[]> {
  const { upQueries } = await dataSource.driver.createSchemaBuilder().log();
  return upQueries.map((query) => query.query);
}

/** Tables left but TypeORM's bookkeeping: the migrations' history, and typeorm_metadata (generated columns' expressions). */
async function tablesBesidesTypeorm(dataSource: DataSource): Promise<string[]> {
  const rows: Array<{ name: string }> = await dataSource.query(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_name NOT IN ('migrations', 'typeorm_metadata') ORDER BY 1`,
  );
  return rows.map((row) => row.name);
}

describe('migrations', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    await admin(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await admin(`CREATE DATABASE ${DATABASE}`);
    dataSource = await new DataSource({
      ...dataSourceOptions({ DATABASE_URL: testServerUrl(DATABASE), DATABASE_POOL_SIZE: 2 }),
      logging: false,
    }).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await admin(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  });

  it('build the schema the entities describe, every down undoes its up, and the whole runs again', async () => {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    expect(applied.length).toBe(dataSource.migrations.length);
    expect(await schemaDrift(dataSource)).toEqual([]);

    for (let i = 0; i < applied.length; i++) await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await dataSource.query(`SELECT count(*)::int AS n FROM migrations`)).toEqual([{ n: 0 }]);
    expect(await tablesBesidesTypeorm(dataSource)).toEqual([]);
    expect(await dataSource.query(`SELECT count(*)::int AS n FROM typeorm_metadata`)).toEqual([{ n: 0 }]);

    expect((await dataSource.runMigrations({ transaction: 'each' })).length).toBe(applied.length);
    expect(await schemaDrift(dataSource)).toEqual([]);
  }, 180_000);
});
