/**
 * Staff queue benchmark: on its own database, migrated as the api does, seeds two years of a busy desk (120,000
 * requests over 730 days across every network, about 96 % closed, with their assignments, events, facilitators and
 * staff accounts) in set-based SQL, ANALYZEs, then times the queue's reads as the app runs them (WorkspaceRepository's
 * methods on the app's DataSource) for a facilitator, an animator and an admin: the open queue's first page, the closed
 * list's first page and a far one, the tabs' and statuses' counts, the request page's similar answered requests, and
 * the search box (a reference, a subject's word, a buyer's address).
 *
 *   npm run bench:workspace
 *
 * Prints median and p95 per case, then one line per case: `<role> <case>: median N ms, p95 N ms`. BENCH_REQUESTS
 * changes the size (default 120,000), BENCH_ROUNDS the measured runs per case (default 9, after 2 to warm up),
 * BENCH_REUSE=1 measures again on the previous run's database. Exits 1 only if the run itself fails.
 */
import { performance } from 'node:perf_hooks';
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { prepareDatabase } from '../src/database/prepare-database';
import type { StaffPrincipal } from '../src/modules/accounts/accounts.types';
import { similarityQuery } from '../src/modules/workspace/similar-requests.policy';
import { parseQueueFilters, QUEUE_PAGE_SIZE } from '../src/modules/workspace/workspace-queue.policy';
import { WorkspaceRepository } from '../src/modules/workspace/workspace.repository';
import { createDrawTables, percentile, recreateDatabase, step } from './bench-support';

const PG_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const BENCH_DB = 'guichet_vert_bench_workspace';
const DATABASE_URL = `postgres://postgres@127.0.0.1:5432/${BENCH_DB}`;

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 120_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const WARMUP = 2;
const SPAN_DAYS = 730;
const FACILITATORS_PER_NETWORK = 20;
/** Requests younger than this are still open for the most part; older ones are all closed. */
const OPEN_WINDOW_DAYS = 40;

let db: DataSource;

// ---------------------------------------------------------------------------------------------
// Seeding, set-based: generate_series, with the distributions drawn by PostgreSQL itself.

async function seed(): Promise<void> {
  console.log(`Jeu de données : ${REQUESTS.toLocaleString('fr-FR')} demandes sur ${SPAN_DAYS} jours`);
  await step('facilitateurs et comptes', async () => {
    await db.query(
      `INSERT INTO facilitators (id, email, first_name, last_name, kind, network_code, is_coordinator, capacity, active, segments)
       SELECT gen_random_uuid(), 'f' || k || '-' || n.code || '@bench.example', 'Facilitateur ' || k, n.code,
              CASE WHEN k % 3 = 2 THEN 'social_clause' ELSE 'environmental' END, n.code, k = 0, 10, true, '{}'
         FROM networks n CROSS JOIN generate_series(0, $1 - 1) k`,
      [FACILITATORS_PER_NETWORK],
    );
    await db.query(
      `INSERT INTO staff_users (id, email, first_name, last_name, role, facilitator_id, active)
       SELECT gen_random_uuid(), email, first_name, last_name, 'facilitator', id, true FROM facilitators`,
    );
    await db.query(
      `INSERT INTO staff_users (id, email, first_name, last_name, role, active)
       SELECT gen_random_uuid(), 'animation-' || code || '@bench.example', 'Animation', code, 'animator', true FROM networks
       UNION ALL SELECT gen_random_uuid(), 'admin@bench.example', 'Admin', 'Banc', 'admin', true`,
    );
    await db.query(
      `INSERT INTO staff_user_networks (user_id, network_code)
       SELECT id, substring(email FROM '^animation-(.*)@') FROM staff_users WHERE role = 'animator'`,
    );
  });
  const { departments, segments } = await createDrawTables((sql) => db.query(sql));
  await db.query(`CREATE UNLOGGED TABLE bench_facilitators AS
    SELECT network_code, kind, row_number() OVER (PARTITION BY network_code, kind ORDER BY email) - 1 AS k,
           count(*) OVER (PARTITION BY network_code, kind) AS n, id FROM facilitators`);

  await step('demandes', () =>
    db.query(
      `WITH drawn AS (
         SELECT g, now() - make_interval(days => $2) + (g::float8 / $1) * make_interval(days => $2) - random() * interval '2 hours' AS created_at,
                floor(power(random(), 1.4) * $3)::int AS di, floor(power(random(), 1.3) * $4)::int AS si,
                random() AS rk, random() AS rs, random() AS rc, floor(random() * 8)::int AS theme
           FROM generate_series(1, $1::int) g),
       shaped AS (
         SELECT d.*, dep.code AS department_code, dep.network_code, seg.code AS segment_code,
                CASE WHEN rk < 0.75 THEN 'environmental' ELSE 'social_clause' END AS kind, st.status,
                -- Closed requests: most were answered, the rest left without reply, sent elsewhere, doubles or withdrawn.
                CASE WHEN st.status <> 'closed' THEN NULL WHEN rc < 0.80 THEN 'answered' WHEN rc < 0.88 THEN 'no_reply'
                     WHEN rc < 0.93 THEN 'redirected' WHEN rc < 0.97 THEN 'duplicate' ELSE 'withdrawn' END AS close_reason
           FROM drawn d JOIN bench_departments dep ON dep.i = d.di JOIN bench_segments seg ON seg.i = d.si
           CROSS JOIN LATERAL (
             SELECT CASE WHEN created_at < now() - make_interval(days => $5) THEN 'closed'
                         WHEN rs < 0.05 THEN 'submitted' WHEN rs < 0.12 THEN 'unassigned' WHEN rs < 0.25 THEN 'assigned'
                         WHEN rs < 0.50 THEN 'in_progress' WHEN rs < 0.60 THEN 'awaiting_buyer' WHEN rs < 0.80 THEN 'answered'
                         ELSE 'closed' END AS status) st)
       INSERT INTO requests (id, reference, status, kind, buyer_first_name, buyer_last_name, buyer_email, organisation_name, organisation_type,
                             department_code, network_code, segment_code, subject, question, purchase_stage, consented_at,
                             assigned_facilitator_id, deadline_misses, close_reason, closed_at, tracking_token_hash, created_at, updated_at,
                             taken_at, take_charge_working_days, answered_at, answer_working_days, answered_on_time, answer_holder_id)
       SELECT gen_random_uuid(), 'GV-' || to_char(c.created_at, 'YYYY') || '-' || lpad(g::text, 6, '0'), c.status, c.kind, 'Camille', 'Acheteur ' || g, 'acheteur' || g || '@commune' || (g % 3000) || '.example',
              'Commune n° ' || (g % 3000), 'local_authority', c.department_code, c.network_code, c.segment_code,
              (ARRAY['Restauration scolaire bio', 'Rénovation énergétique des écoles', 'Clause d’insertion pour le nettoyage',
                     'Achat de véhicules électriques', 'Mobilier de réemploi', 'Papier recyclé', 'Travaux de voirie',
                     'Matériel informatique reconditionné'])[1 + c.theme] || ' n° ' || g,
              (ARRAY['Quels critères environnementaux pour les denrées et les emballages de la cantine ?',
                     'Comment exiger une performance énergétique mesurée après travaux ?',
                     'Quelle part d’heures d’insertion viser dans un marché de nettoyage des locaux ?',
                     'Comment comparer le coût global des véhicules électriques et thermiques ?',
                     'Peut-on réserver un lot de mobilier de réemploi à l’économie sociale et solidaire ?',
                     'Quels labels demander pour le papier recyclé et comment les vérifier ?',
                     'Comment intégrer des matériaux recyclés dans les enrobés de voirie ?',
                     'Quelles garanties demander pour des ordinateurs reconditionnés ?'])[1 + c.theme],
              'drafting_tender', c.created_at,
              CASE WHEN c.status IN ('submitted', 'unassigned') THEN NULL ELSE f.id END, 0,
              c.close_reason, CASE WHEN c.status = 'closed' THEN c.created_at + interval '20 days' END,
              sha256(('bench-' || g)::bytea), c.created_at, c.created_at,
              CASE WHEN taken THEN c.created_at + interval '1 day' END, CASE WHEN taken THEN 1.0 END,
              CASE WHEN answered THEN c.created_at + interval '8 days' END, CASE WHEN answered THEN 6.0 END,
              CASE WHEN answered THEN c.rc < 0.7 END, CASE WHEN answered THEN f.id END
         FROM shaped c
         JOIN bench_facilitators f ON f.network_code = c.network_code AND f.kind = c.kind AND f.k = c.g % f.n
         CROSS JOIN LATERAL (SELECT c.status IN ('in_progress', 'awaiting_buyer', 'answered', 'closed') AS taken,
                                    c.status = 'answered' OR c.close_reason IN ('answered', 'no_reply') AS answered) a`,
      [REQUESTS, SPAN_DAYS, departments, segments, OPEN_WINDOW_DAYS],
    ),
  );
  await step('attributions', () =>
    db.query(
      `INSERT INTO request_assignments (id, request_id, facilitator_id, assigned_at, take_charge_due_at, taken_at, answer_due_at, ended_at, end_reason)
       SELECT gen_random_uuid(), id, assigned_facilitator_id, created_at + interval '1 hour', created_at + interval '3 days', taken_at,
              CASE WHEN taken_at IS NOT NULL THEN created_at + interval '15 days' END,
              CASE WHEN status = 'closed' THEN closed_at END, CASE WHEN status = 'closed' THEN 'finished' END
         FROM requests WHERE assigned_facilitator_id IS NOT NULL`,
    ),
  );
  await step('historique', () =>
    db.query(
      `INSERT INTO request_events (request_id, type, from_status, to_status, actor_type, is_public, created_at, assignee_id)
       SELECT r.id, e.type, e.from_status, e.to_status, e.actor, true, e.at, e.assignee FROM requests r
       CROSS JOIN LATERAL (VALUES
         ('submitted', NULL, 'submitted', 'buyer', r.created_at, NULL::uuid, true),
         ('assigned', 'submitted', 'assigned', 'system', r.created_at + interval '1 hour', r.assigned_facilitator_id, r.assigned_facilitator_id IS NOT NULL),
         ('unassigned', 'submitted', 'unassigned', 'system', r.created_at + interval '1 hour', NULL, r.status = 'unassigned'),
         ('taken_in_charge', 'assigned', 'in_progress', 'staff', r.taken_at, NULL, r.taken_at IS NOT NULL),
         ('answered', 'in_progress', 'answered', 'staff', r.answered_at, NULL, r.answered_at IS NOT NULL),
         ('closed', 'answered', 'closed', 'system', r.closed_at, NULL, r.closed_at IS NOT NULL)
       ) AS e(type, from_status, to_status, actor, at, assignee, kept)
       WHERE e.kept`,
    ),
  );
  await db.query(`DROP TABLE bench_departments, bench_segments, bench_facilitators`);
  await db.query(
    `UPDATE facilitators f SET open_count = (SELECT count(*) FROM requests r WHERE r.assigned_facilitator_id = f.id AND r.status <> 'closed')`,
  );
  await step('VACUUM ANALYZE', () => db.query(`VACUUM ANALYZE`));
  const [counts] = await db.query(
    `SELECT count(*)::int AS requests, count(*) FILTER (WHERE status = 'closed')::int AS closed,
            (SELECT count(*) FROM request_events)::int AS events FROM requests`,
  );
  console.log(
    `  ${counts.requests.toLocaleString('fr-FR')} demandes dont ${counts.closed.toLocaleString('fr-FR')} closes, ` +
      `${counts.events.toLocaleString('fr-FR')} événements`,
  );
}

// ---------------------------------------------------------------------------------------------
// Who is measured: the busiest facilitator's account, the animator of that network, an admin.

async function principals(): Promise<Array<{ label: string; staff: StaffPrincipal }>> {
  const [busiest] = await db.query(
    `SELECT f.id, f.network_code FROM facilitators f JOIN requests r ON r.assigned_facilitator_id = f.id
      GROUP BY f.id ORDER BY count(*) DESC LIMIT 1`,
  );
  const account = async (where: string, params: unknown[], networkCodes: string[]): Promise<StaffPrincipal> => {
    const [row] = await db.query(
      `SELECT id, email, first_name AS "firstName", last_name AS "lastName", role, facilitator_id AS "facilitatorId"
         FROM staff_users WHERE ${where} LIMIT 1`,
      params,
    );
    return { ...row, networkCodes };
  };
  return [
    { label: 'facilitateur', staff: await account(`facilitator_id = $1`, [busiest.id], [busiest.network_code]) },
    { label: 'animateur', staff: await account(`email = $1`, [`animation-${busiest.network_code}@bench.example`], [busiest.network_code]) },
    { label: 'admin', staff: await account(`role = 'admin'`, [], []) },
  ];
}

// ---------------------------------------------------------------------------------------------
// Measures

interface Case {
  label: string;
  run: () => Promise<unknown>;
}

async function casesFor(repository: WorkspaceRepository, staff: StaffPrincipal): Promise<Case[]> {
  const now = new Date();
  const page = (n: number) => ({ size: QUEUE_PAGE_SIZE, offset: (n - 1) * QUEUE_PAGE_SIZE });
  const open = parseQueueFilters({});
  const closed = parseQueueFilters({ status: 'closed' });
  const searched = (q: string) => parseQueueFilters({ q });
  const { total } = await repository.queue(staff, closed, now, page(1));
  // Four fifths down the closed list: the pages a hand-typed address or the API's paging reach.
  const far = Math.max(1, Math.floor((0.8 * total) / QUEUE_PAGE_SIZE));
  // The request page of the latest open request this person holds or sees, as the service builds it.
  const { rows: latest } = await repository.queue(staff, { ...open, sort: 'submitted' }, now, page(1));
  const shown = (await repository.detail(latest[latest.length - 1].id))!;
  const similarity = similarityQuery(shown.subject, shown.question)!;
  return [
    { label: 'file ouverte p. 1', run: () => repository.queue(staff, open, now, page(1)) },
    { label: 'closes p. 1', run: () => repository.queue(staff, closed, now, page(1)) },
    { label: `closes p. ${far}`, run: () => repository.queue(staff, { ...closed, page: far }, now, page(far)) },
    { label: 'compteurs', run: () => repository.counts(staff, open, now) },
    { label: 'similaires', run: () => repository.similarAnswered(staff, shown, similarity, 5) },
    // The search box: a whole reference, a subject's word typed without its accent, a buyer's address.
    { label: 'recherche référence', run: () => repository.queue(staff, searched(shown.reference), now, page(1)) },
    { label: 'recherche « reemploi »', run: () => repository.queue(staff, searched('reemploi'), now, page(1)) },
    { label: 'recherche adresse', run: () => repository.queue(staff, searched(shown.buyerEmail), now, page(1)) },
  ];
}

async function measure(label: string, run: () => Promise<unknown>): Promise<{ label: string; median: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < WARMUP + ROUNDS; i++) {
    const started = performance.now();
    await run();
    if (i >= WARMUP) times.push(performance.now() - started);
  }
  const result = { label, median: percentile(times, 0.5), p95: percentile(times, 0.95) };
  console.log(`  ${label.padEnd(36)} médiane ${result.median.toFixed(1).padStart(7)} ms   p95 ${result.p95.toFixed(1).padStart(7)} ms`);
  return result;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const reuse = process.env.BENCH_REUSE === '1';
  if (!reuse) await recreateDatabase(PG_ADMIN_URL, BENCH_DB);
  db = new DataSource(dataSourceOptions({ DATABASE_URL, DATABASE_POOL_SIZE: 2 }));
  await db.initialize();
  try {
    // Migrated and loaded with reference data as the api does when it starts.
    await step('migrations et données de référence', () => prepareDatabase(db, { runMigrations: true }));
    const seeding = performance.now();
    if (!reuse) await seed();
    console.log(`Données prêtes en ${((performance.now() - seeding) / 1000).toFixed(0)} s`);
    const repository = new WorkspaceRepository(db);
    const results = [];
    for (const { label, staff } of await principals()) {
      console.log(`${label} (${WARMUP} passages d’échauffement, ${ROUNDS} mesurés) :`);
      for (const c of await casesFor(repository, staff)) results.push(await measure(`${label} ${c.label}`, c.run));
    }
    for (const r of results) console.log(`${r.label}: median ${Math.round(r.median)} ms, p95 ${Math.round(r.p95)} ms`);
  } finally {
    await db.destroy().catch(() => undefined);
  }
}

main().catch((error: Error) => {
  console.error(`Échec du banc : ${error.stack ?? error.message}`);
  process.exitCode = 1;
});
