import { prepareDatabase } from '../../src/database/prepare-database';
import { placeholderContacts } from '../../src/modules/reference/reference.seed';
import { TestApp, useTestApp } from '../support/test-app';

/** What every instance does at boot, run again here on a database in use. */
describe('reference data loaded at boot', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app), {}, { api: true, worker: false });

  const versions = async () => t.dataSource.query(`SELECT code, xmin::text AS version FROM networks ORDER BY code`);

  it('loads beside a submission in flight, without waiting for it nor deadlocking with it', async () => {
    // The share locks that a submission's foreign keys hold until it commits.
    const submission = t.dataSource.createQueryRunner();
    await submission.startTransaction();
    await submission.query(
      `SELECT 1 FROM departments d JOIN regions r ON r.code = d.region_code JOIN networks n ON n.code = r.network_code
         CROSS JOIN segments s
        WHERE d.code = '38' AND s.code = 'office_supplies'
          FOR KEY SHARE`,
    );
    try {
      const outcome = await Promise.race([
        prepareDatabase(t.dataSource, { runMigrations: false }).then(() => 'loaded'),
        new Promise((resolve) => setTimeout(() => resolve('blocked'), 5000)),
      ]);
      expect(outcome).toBe('loaded');
    } finally {
      await submission.commitTransaction();
      await submission.release();
    }
  });

  it('rewrites only the rows that differ from the seed', async () => {
    await t.dataSource.query(`UPDATE networks SET name = 'Ancien nom' WHERE code = 'arbe'`);
    const before = await versions();
    await prepareDatabase(t.dataSource, { runMigrations: false });
    const after = await versions();

    expect((await t.dataSource.query(`SELECT name FROM networks WHERE code = 'arbe'`))[0].name).not.toBe('Ancien nom');
    const changed = after.filter((row: { version: string }, i: number) => row.version !== before[i].version);
    expect(changed.map((row: { code: string }) => row.code)).toEqual(['arbe']);
  });

  it('writes names with the site’s apostrophe, as pages and e-mails show them', async () => {
    const names = await t.dataSource.query(
      `SELECT name FROM departments WHERE code IN ('21', '95') UNION ALL SELECT name FROM regions WHERE code = '93' ORDER BY name`,
    );
    expect(names).toEqual([{ name: 'Côte-d’Or' }, { name: 'Provence-Alpes-Côte d’Azur' }, { name: 'Val-d’Oise' }]);
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM departments WHERE name LIKE '%''%'`)).toEqual([{ n: 0 }]);
  });

  it('names the networks whose contact address is still a placeholder (warned of at boot in production)', async () => {
    expect(await placeholderContacts(t.dataSource)).toEqual([{ code: 'national', contactEmail: 'contact@guichet-vert.localhost' }]);
  });
});
