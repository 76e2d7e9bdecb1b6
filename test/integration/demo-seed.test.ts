import argon2 from 'argon2';
import { Writable } from 'node:stream';
import { demoSeed } from '../../src/cli/demo-seed.command';
import { TestApp, useTestApp } from '../support/test-app';

describe('npm run cli -- demo:seed', () => {
  let t!: TestApp;
  const run = async (args: string[] = ['--password', 'mot-de-passe-de-demo']) => {
    let out = '';
    const stdout = new Writable({
      write(chunk, _encoding, callback) {
        out += String(chunk);
        callback();
      },
    });
    const code = await demoSeed(t.app, args, { stdout, stderr: stdout });
    return { code, out };
  };

  useTestApp((app) => (t = app));

  it('covers every network with fake people at example.org, and changes nothing on a second run', async () => {
    const first = await run();
    expect(first.code).toBe(0);
    expect(first.out).toMatch(
      /^ {2}créé {7}Alex Démo 3AR <demo\.environnement1\.3ar@example\.org> — conseil environnemental, réseau 3ar, tout le réseau$/m,
    );

    const perNetwork: Array<{ code: string; advisers: number; coordinators: number; regions_without_facilitator: number }> =
      await t.dataSource.query(
        `SELECT n.code,
              (SELECT count(*)::int FROM facilitators f WHERE f.network_code = n.code AND f.kind = 'environmental' AND f.active
                 AND NOT EXISTS (SELECT 1 FROM facilitator_departments d WHERE d.facilitator_id = f.id)) AS advisers,
              (SELECT count(*)::int FROM facilitators f WHERE f.network_code = n.code AND f.kind = 'social_clause' AND f.is_coordinator) AS coordinators,
              (SELECT count(*)::int FROM regions r WHERE r.network_code = n.code AND NOT EXISTS (
                 SELECT 1 FROM facilitator_departments d JOIN departments dp ON dp.code = d.department_code
                   JOIN facilitators f ON f.id = d.facilitator_id AND f.kind = 'social_clause'
                  WHERE dp.region_code = r.code)) AS regions_without_facilitator
         FROM networks n ORDER BY n.code`,
      );
    expect(perNetwork).toHaveLength(12);
    for (const network of perNetwork) {
      expect(network).toEqual({ code: network.code, advisers: 2, coordinators: 1, regions_without_facilitator: 0 });
    }
    expect(await t.dataSource.query(`SELECT email FROM facilitators WHERE email NOT LIKE 'demo.%@example.org'`)).toEqual([]);

    const second = await run();
    expect(second.out).not.toMatch(/^ {2}(créé|mis à jour) /m);
    expect(second.out).toMatch(/Résumé : créés 0, mis à jour 0, inchangés \d+\.\n/);
    expect(second.out).toMatch(/Comptes créés : 0, déjà présents : \d+\./);
  });

  it('creates one account per demo facilitator, an animator per network and an admin, sharing the password printed', async () => {
    const first = await run([]);
    const password = first.out.match(/Mot de passe de tous ces comptes \(affiché une seule fois\) : (\S+)\n/)?.[1];
    expect(password).toBeDefined();
    const roles = await t.dataSource.query(`SELECT role, count(*)::int AS n FROM staff_users GROUP BY role ORDER BY role`);
    const facilitators = Number((await t.dataSource.query(`SELECT count(*) AS n FROM facilitators`))[0].n);
    expect(roles).toEqual([
      { role: 'admin', n: 1 },
      { role: 'animator', n: 12 },
      { role: 'facilitator', n: facilitators },
    ]);
    const unlinked = await t.dataSource.query(
      `SELECT u.email FROM staff_users u LEFT JOIN facilitators f ON f.id = u.facilitator_id WHERE u.role = 'facilitator' AND f.email IS DISTINCT FROM u.email`,
    );
    expect(unlinked).toEqual([]);
    const [admin] = await t.dataSource.query(`SELECT password_hash FROM staff_users WHERE role = 'admin'`);
    expect(await argon2.verify(admin.password_hash, password!)).toBe(true);

    const again = await run(['--password', 'un-autre-mot-de-passe']);
    expect(again.out).toContain('Comptes créés : 0');
    expect(first.out).not.toContain('Attention : il remplace');
    expect(again.out).toContain(
      `Mot de passe de tous ces comptes (affiché une seule fois) : un-autre-mot-de-passe\nAttention : il remplace celui des ${13 + facilitators} comptes déjà présents, l’ancien ne fonctionne plus`,
    );
    expect(Number((await t.dataSource.query(`SELECT count(*) AS n FROM staff_users`))[0].n)).toBe(13 + facilitators);
  });

  it('writes two answer templates in every network (one per kind of request), and none again on a second run', async () => {
    expect((await run()).out).toContain(
      'Modèles de réponse de démonstration (un par type de demande et par réseau, sur /espace/modeles) : 24 ajouté(s).',
    );
    const perNetwork = await t.dataSource.query(
      `SELECT n.code, count(t.id)::int AS n FROM networks n LEFT JOIN answer_templates t ON t.network_code = n.code GROUP BY n.code`,
    );
    expect(perNetwork).toHaveLength(12);
    for (const network of perNetwork) expect(network.n).toBe(2);
    expect((await run()).out).toContain(': 0 ajouté(s).');
    expect(Number((await t.dataSource.query(`SELECT count(*) AS n FROM answer_templates`))[0].n)).toBe(24);
  });

  it('submits one demo request per network, queued for routing with its acknowledgement, and none again on a second run', async () => {
    const first = await run();
    expect(first.out).toContain('Demandes créées : 12, déjà présentes : 0.');
    const requests: Array<{ id: string; reference: string; network_code: string; buyer_email: string }> = await t.dataSource.query(
      `SELECT id, reference, network_code, buyer_email FROM requests ORDER BY reference`,
    );
    const networks: Array<{ code: string }> = await t.dataSource.query(`SELECT code FROM networks ORDER BY code`);
    expect([...new Set(requests.map((r) => r.network_code))].sort()).toEqual(networks.map((n) => n.code));
    for (const request of requests) expect(request.buyer_email).toMatch(/^demo\.acheteur\d+@example\.org$/);

    const routed: Array<{ request_id: string }> = await t.dataSource.query(
      `SELECT payload->>'requestId' AS request_id FROM outbox_events WHERE job_name = 'request.submitted' ORDER BY 1`,
    );
    expect(routed.map((r) => r.request_id)).toEqual(requests.map((r) => r.id).sort());
    const acknowledged = await t.dataSource.query(
      `SELECT count(DISTINCT request_id)::int AS n FROM mail_messages WHERE template = 'request-acknowledgement'`,
    );
    expect(acknowledged).toEqual([{ n: 12 }]);

    // The printed link is the buyer's own: it opens the request's tracking.
    const [, reference, token] = first.out.match(/suivi de l’acheteur : \S+\/suivi\/(GV-\d{4}-\d{6})\?t=(\S+)\n/)!;
    const tracking = await fetch(`${t.url}/api/v1/requests/${reference}`, { headers: { 'X-Tracking-Token': token } });
    expect(tracking.status).toBe(200);
    expect(await tracking.json()).toMatchObject({ reference, status: 'submitted' });

    const second = await run();
    expect(second.out).toContain('Demandes créées : 0, déjà présentes : 12.');
    expect(second.out).toContain(`/suivi/${reference}?t=${token}\n`);
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM requests`)).toEqual([{ n: 12 }]);
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM outbox_events WHERE job_name = 'request.submitted'`)).toEqual([
      { n: 12 },
    ]);
  });
});
