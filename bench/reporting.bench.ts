/**
 * Reporting benchmark: boots the api on its own database, seeds one million requests (three years, every
 * network, realistic mixes of kinds, segments, départements and statuses, with assignments, declines, stored
 * take-charge and answer times) and 300,000 completed evaluations of both waves, all in set-based SQL, then
 * measures over HTTP
 *   1. the indicators dashboard (admin national and per network, animators, several periods): p95,
 *   2. the CSV export of every request (`/espace/export/demandes.csv`, staff session): rows, seconds and the
 *      server's peak RSS (sampled while it streams).
 *
 *   npm run bench:reporting
 *
 * Its last two lines: `dashboard p95: N ms` and `export: N rows in N s, peak RSS N MB`. BENCH_REUSE=1 skips the
 * seeding and measures on the previous run's database; BENCH_REQUESTS changes the size (default 1,000,000).
 * Exits 0 whenever the run completes, even if a target is missed; exits 1 if the run itself fails.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import {
  benchServiceEnv,
  clearRedisKeys,
  createDrawTables,
  percentile,
  recreateDatabase,
  ROOT,
  ServiceProcess,
  spawnService,
  step,
  stopService,
  waitUntilReady,
} from './bench-support';

const API_ENTRY = path.join(ROOT, 'dist', 'src', 'main.js');
const PORT = 3997;
const BASE_URL = `http://127.0.0.1:${PORT}`;
const PG_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const BENCH_DB = 'guichet_vert_bench_reporting';
const DATABASE_URL = `postgres://postgres@127.0.0.1:5432/${BENCH_DB}`;
const REDIS_URL = 'redis://127.0.0.1:6379';
const QUEUE_PREFIX = 'gvbenchreporting';
const READY_TIMEOUT_MS = 120_000;
const KILL_GRACE_MS = 10_000;

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1_000_000);
const SEED_CHUNK = 250_000;
const FACILITATORS_PER_NETWORK = 24;
const SPAN_DAYS = 3 * 365;
const DASHBOARD_WARMUP = 4;
const TARGET_P95_MS = 1000;

const sha256 = (value: string) => createHash('sha256').update(value).digest();
const mb = (kb: number) => Math.round(kb / 1024);

let db: Client;

// ---------------------------------------------------------------------------------------------
// Seeding, set-based: generate_series, with the distributions drawn by PostgreSQL itself.

async function seed(): Promise<void> {
  console.log(`Jeu de données : ${REQUESTS.toLocaleString('fr-FR')} demandes sur ${SPAN_DAYS} jours`);
  await step('facilitateurs', () =>
    db.query(
      `INSERT INTO facilitators (id, email, first_name, last_name, kind, network_code, is_coordinator, capacity, active, segments)
       SELECT gen_random_uuid(), 'f' || k || '-' || n.code || '@bench.example', 'Facilitateur ' || k, n.code,
              CASE WHEN k % 3 = 2 THEN 'social_clause' ELSE 'environmental' END, n.code, k = 2, 1000, true, '{}'
         FROM networks n CROSS JOIN generate_series(0, $1 - 1) k`,
      [FACILITATORS_PER_NETWORK],
    ),
  );
  const { departments, segments } = await createDrawTables(async (sql) => (await db.query(sql)).rows);
  await db.query(`CREATE UNLOGGED TABLE bench_facilitators AS
    SELECT network_code, row_number() OVER (PARTITION BY network_code ORDER BY email) - 1 AS k, id FROM facilitators`);

  for (let first = 1; first <= REQUESTS; first += SEED_CHUNK) {
    const last = Math.min(REQUESTS, first + SEED_CHUNK - 1);
    await step(`demandes ${first.toLocaleString('fr-FR')}–${last.toLocaleString('fr-FR')}`, () =>
      db.query(
        `WITH drawn AS (
           SELECT g, now() - make_interval(days => $3) + (g::float8 / $2) * make_interval(days => $3) + random() * interval '2 hours' AS created_at,
                  floor(power(random(), 1.6) * $4)::int AS di, floor(power(random(), 1.3) * $5)::int AS si,
                  random() AS rk, random() AS rs, random() AS rt, random() AS ra, random() AS rm, random() AS rc
             FROM generate_series($1::int, $6::int) g),
         shaped AS (
           SELECT d.*, dep.code AS department_code, dep.network_code, seg.code AS segment_code,
                  CASE WHEN rk < 0.78 THEN 'environmental' ELSE 'social_clause' END AS kind,
                  CASE WHEN created_at > now() - interval '10 days' THEN
                         (ARRAY['submitted', 'assigned', 'unassigned', 'in_progress', 'awaiting_buyer', 'answered'])[1 + floor(rs * 6)::int]
                       WHEN rs < 0.90 THEN 'closed' WHEN rs < 0.93 THEN 'answered' WHEN rs < 0.95 THEN 'in_progress'
                       WHEN rs < 0.97 THEN 'awaiting_buyer' WHEN rs < 0.985 THEN 'assigned' ELSE 'unassigned' END AS status,
                  -- Most are taken within a day or two, a long tail much later (working days, 2 decimals).
                  round((power(rt, 2.2) * 9)::numeric, 2) AS take_days,
                  round((1 + power(ra, 1.7) * 14)::numeric, 2) AS answer_extra
             FROM drawn d JOIN bench_departments dep ON dep.i = d.di JOIN bench_segments seg ON seg.i = d.si),
         closed AS (
           SELECT s.*, CASE WHEN status <> 'closed' THEN NULL WHEN rc < 0.82 THEN 'answered' WHEN rc < 0.89 THEN 'redirected'
                            WHEN rc < 0.93 THEN 'no_reply' WHEN rc < 0.97 THEN 'withdrawn' ELSE 'duplicate' END AS close_reason
             FROM shaped s)
         INSERT INTO requests (id, reference, status, kind, buyer_first_name, buyer_last_name, buyer_email, organisation_name, organisation_type,
                               department_code, network_code, segment_code, subject, question, purchase_stage, consented_at,
                               assigned_facilitator_id, deadline_misses, close_reason, closed_at, tracking_token_hash, created_at, updated_at,
                               taken_at, take_charge_working_days, answered_at, answer_working_days, answered_on_time, answer_holder_id)
         SELECT gen_random_uuid(), 'GVB-' || g, c.status, c.kind, 'Camille', 'Acheteur ' || g, 'acheteur' || g || '@bench.example',
                'Collectivité ' || (g % 5000), (ARRAY['local_authority', 'hospital', 'social_housing', 'other_public', 'state_public_body'])[1 + g % 5],
                c.department_code, c.network_code, c.segment_code, 'Clauses pour le marché n° ' || g,
                'Nous préparons un marché et souhaitons y intégrer des considérations environnementales et sociales adaptées ; quels critères, quelles clauses, quels labels ?',
                (ARRAY['need_definition', 'sourcing', 'drafting_tender', 'consultation_published', 'bid_analysis', 'contract_execution'])[1 + g % 6],
                c.created_at,
                CASE WHEN c.status IN ('submitted', 'unassigned') THEN NULL ELSE f.id END,
                CASE WHEN rm < 0.86 THEN 0 WHEN rm < 0.97 THEN 1 ELSE 2 END,
                c.close_reason, CASE WHEN c.status = 'closed' THEN c.created_at + interval '20 days' END,
                sha256(('bench-' || g)::bytea), c.created_at, c.created_at,
                taken.at, taken.days,
                CASE WHEN answered THEN c.created_at + (c.take_days + c.answer_extra) * interval '1.4 days' END,
                CASE WHEN answered THEN c.take_days + c.answer_extra END,
                -- The answer's deadline is 10 working days after taking in charge: most answers make it.
                CASE WHEN answered THEN c.answer_extra <= 10 END,
                CASE WHEN answered THEN f.id END
           FROM closed c
           JOIN bench_facilitators f ON f.network_code = c.network_code AND f.k = c.g % $7
           CROSS JOIN LATERAL (SELECT c.status IN ('answered', 'closed') AND coalesce(c.close_reason, 'answered') IN ('answered', 'no_reply') AS answered) a
           CROSS JOIN LATERAL (
             SELECT CASE WHEN c.status NOT IN ('submitted', 'assigned', 'unassigned') THEN c.created_at + c.take_days * interval '1.4 days' END AS at,
                    CASE WHEN c.status NOT IN ('submitted', 'assigned', 'unassigned') THEN c.take_days END AS days) taken`,
        [first, REQUESTS, SPAN_DAYS, departments, segments, last, FACILITATORS_PER_NETWORK],
      ),
    );
  }

  await step('attributions (dont refus)', async () => {
    // The request's facilitator; the first facilitator of each network declines often (alerts have something to show).
    await db.query(
      `INSERT INTO request_assignments (id, request_id, facilitator_id, assigned_at, take_charge_due_at, taken_at, ended_at, end_reason)
       SELECT gen_random_uuid(), id, assigned_facilitator_id, created_at + interval '5 minutes', created_at + interval '3 days', taken_at,
              CASE WHEN status = 'closed' THEN closed_at END, CASE WHEN status = 'closed' THEN 'finished' END
         FROM requests WHERE assigned_facilitator_id IS NOT NULL`,
    );
    await db.query(
      `INSERT INTO request_assignments (id, request_id, facilitator_id, assigned_at, take_charge_due_at, ended_at, end_reason, decline_reason)
       SELECT gen_random_uuid(), r.id, f.id, r.created_at + interval '1 minute', r.created_at + interval '3 days',
              r.created_at + interval '4 minutes', 'declined', 'unavailable'
         FROM requests r JOIN bench_facilitators f ON f.network_code = r.network_code
              AND f.k = CASE WHEN hashint4(hashtext(r.reference)) % 10 = 0 THEN 0 ELSE (hashtext(r.reference) & 1023) % $1 END
        WHERE r.assigned_facilitator_id IS NOT NULL AND (hashtext(r.reference) & 1023) < 150`,
      [FACILITATORS_PER_NETWORK],
    );
  });

  await step('questionnaires (deux vagues)', async () => {
    // Satisfaction: half of the requests closed as answered are surveyed, half of them answer.
    await db.query(
      `INSERT INTO surveys (id, request_id, wave, status, facilitator_id, due_at, sent_at, expires_at, completed_at, answered_at, usefulness, quick_enough)
       SELECT gen_random_uuid(), id, 'satisfaction', CASE WHEN done THEN 'completed' ELSE 'expired' END, assigned_facilitator_id,
              closed_at + interval '3 days', closed_at + interval '3 days', closed_at + interval '63 days',
              CASE WHEN done THEN closed_at + interval '5 days' END, CASE WHEN done THEN closed_at + interval '5 days' END,
              CASE WHEN NOT done THEN NULL WHEN u < 0.58 THEN 'yes' WHEN u < 0.86 THEN 'partly' ELSE 'no' END,
              CASE WHEN done THEN u < 0.8 END
         FROM (SELECT r.*, random() < 0.5 AS done, random() AS u FROM requests r
                WHERE close_reason = 'answered' AND (hashtext(reference) & 1) = 0 AND closed_at < now() - interval '3 days') s`,
    );
    // Impact: six months after, a third of those closed as answered; about 60 % answer, most with a contract.
    await db.query(
      `INSERT INTO surveys (id, request_id, wave, status, facilitator_id, due_at, sent_at, expires_at, completed_at, answered_at,
                            contract_outcome, levers, themes, environmental_considerations, social_considerations, obstacles, would_use_again, reuse_consent)
       SELECT gen_random_uuid(), id, 'impact', CASE WHEN done THEN 'completed' ELSE 'expired' END, assigned_facilitator_id,
              closed_at + interval '6 months', closed_at + interval '6 months', closed_at + interval '6 months 60 days',
              CASE WHEN done THEN closed_at + interval '6 months 9 days' END, CASE WHEN done THEN closed_at + interval '6 months 9 days' END,
              CASE WHEN NOT done THEN NULL WHEN o < 0.7 THEN 'yes' WHEN o < 0.92 THEN 'not_yet' ELSE 'abandoned' END,
              CASE WHEN done THEN ARRAY['technical_specification', 'award_criterion']::varchar[] ELSE '{}' END,
              CASE WHEN done THEN ARRAY['carbon']::varchar[] ELSE '{}' END,
              CASE WHEN NOT done OR o >= 0.7 THEN '{}' WHEN e < 0.78 THEN ARRAY['environmental_clause']::varchar[]
                   WHEN e < 0.9 THEN ARRAY['environmental_clause', 'environmental_criterion']::varchar[] ELSE ARRAY['none']::varchar[] END,
              CASE WHEN NOT done OR o >= 0.7 THEN '{}' WHEN e < 0.27 THEN ARRAY['social_clause']::varchar[]
                   WHEN e < 0.33 THEN ARRAY['reserved_contract']::varchar[] ELSE ARRAY['none']::varchar[] END,
              CASE WHEN done AND o > 0.8 THEN ARRAY['cost']::varchar[] ELSE '{}' END,
              CASE WHEN done THEN true END, CASE WHEN done THEN e < 0.5 END
         FROM (SELECT r.*, random() < 0.6 AS done, random() AS o, random() AS e FROM requests r
                WHERE close_reason = 'answered' AND (hashtext(reference) & 7) IN (1, 3, 5) AND closed_at < now() - interval '6 months 9 days') s`,
    );
  });
  await db.query(`DROP TABLE bench_departments, bench_segments, bench_facilitators`);
  await step('VACUUM ANALYZE', () => db.query(`VACUUM ANALYZE`));
  const { rows } = await db.query(
    `SELECT (SELECT count(*) FROM requests)::int AS requests, (SELECT count(*) FROM request_assignments)::int AS assignments,
            (SELECT count(*) FROM surveys)::int AS surveys, (SELECT count(*) FROM surveys WHERE completed_at IS NOT NULL)::int AS evaluations`,
  );
  console.log(
    `  ${rows[0].requests.toLocaleString('fr-FR')} demandes, ${rows[0].assignments.toLocaleString('fr-FR')} attributions, ` +
      `${rows[0].surveys.toLocaleString('fr-FR')} questionnaires dont ${rows[0].evaluations.toLocaleString('fr-FR')} évaluations remplies`,
  );
}

// ---------------------------------------------------------------------------------------------
// Staff: bearer tokens for the API, a session cookie for the export (both written as the app would).

async function staff(role: 'admin' | 'animator', networks: string[]): Promise<{ bearer: string; cookie: string }> {
  const id = randomUUID();
  await db.query(`INSERT INTO staff_users (id, email, first_name, last_name, role, active) VALUES ($1, $2, 'Banc', 'Essai', $3, true)`, [
    id,
    `${role}-${id.slice(0, 8)}@bench.example`,
    role,
  ]);
  for (const network of networks) await db.query(`INSERT INTO staff_user_networks (user_id, network_code) VALUES ($1, $2)`, [id, network]);
  const bearer = `gvt_${randomBytes(32).toString('base64url')}`;
  await db.query(`INSERT INTO api_tokens (id, user_id, label, token_hash, created_at) VALUES ($1, $2, 'banc', $3, now())`, [
    randomUUID(),
    id,
    sha256(bearer),
  ]);
  const session = randomBytes(32).toString('base64url');
  await db.query(
    `INSERT INTO staff_sessions (id, token_hash, user_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, now(), now(), now() + interval '1 day')`,
    [randomUUID(), sha256(session), id],
  );
  return { bearer: `Bearer ${bearer}`, cookie: `gv_session=${session}` };
}

// ---------------------------------------------------------------------------------------------
// Measures

async function measureDashboard(): Promise<number> {
  const { rows } = await db.query<{ network_code: string }>(
    `SELECT network_code FROM requests GROUP BY network_code ORDER BY count(*) DESC`,
  );
  const networks = rows.map((r) => r.network_code);
  const admin = await staff('admin', []);
  const animators = [];
  for (const code of networks.slice(0, 3)) animators.push(await staff('animator', [code]));
  const year = new Date().getFullYear();
  const periods = [
    '',
    `from=${year - 1}-01-01&to=${year - 1}-12-31`,
    `from=${year}-01-01&to=${year}-03-31`,
    `from=${year - 1}-06-01&to=${year - 1}-06-30`,
  ];
  const calls: Array<{ label: string; auth: string; query: string }> = [];
  for (const period of periods) {
    calls.push({ label: 'national', auth: admin.bearer, query: `network=all&${period}` });
    for (const code of [networks[0], networks[networks.length - 1], networks[Math.floor(networks.length / 2)]]) {
      calls.push({ label: `admin ${code}`, auth: admin.bearer, query: `network=${code}&${period}` });
    }
    animators.forEach((a, i) => calls.push({ label: `animateur ${networks[i]}`, auth: a.bearer, query: period }));
  }
  const times: number[] = [];
  const rounds = 2;
  for (let round = 0; round < rounds; round++) {
    for (const call of calls) {
      const started = performance.now();
      const response = await fetch(`${BASE_URL}/api/v1/staff/indicators?${call.query}`, { headers: { authorization: call.auth } });
      const body = await response.text();
      const ms = performance.now() - started;
      if (response.status !== 200) throw new Error(`tableau de bord ${call.label} : HTTP ${response.status} ${body.slice(0, 300)}`);
      times.push(ms);
      if (round === rounds - 1)
        console.log(
          `  ${call.label.padEnd(22)} ${(call.query.replace(/network=[^&]*&?/, '') || 'dernier trimestre').padEnd(32)} ${Math.round(ms)} ms`,
        );
    }
  }
  // The page too (same figures, plus the SVG), once per period.
  for (const period of periods) {
    const started = performance.now();
    const response = await fetch(`${BASE_URL}/espace/indicateurs?reseau=all&${period.replace('from=', 'du=').replace('to=', 'au=')}`, {
      headers: { cookie: admin.cookie },
    });
    await response.text();
    if (response.status !== 200) throw new Error(`page des indicateurs : HTTP ${response.status}`);
    times.push(performance.now() - started);
  }
  const measured = times.slice(DASHBOARD_WARMUP).sort((a, b) => a - b);
  console.log(
    `Tableau de bord : ${measured.length} requêtes mesurées (${DASHBOARD_WARMUP} d’échauffement écartées), ` +
      `p50 ${Math.round(percentile(measured, 0.5))} ms, p95 ${Math.round(percentile(measured, 0.95))} ms, max ${Math.round(measured[measured.length - 1])} ms` +
      ` — cible p95 < ${TARGET_P95_MS} ms`,
  );
  return Math.round(percentile(measured, 0.95));
}

function rssKb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

async function measureExport(server: ServiceProcess): Promise<{ rows: number; seconds: number; peakMb: number }> {
  const admin = await staff('admin', []);
  let peak = rssKb(server.pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssKb(server.pid))), 50);
  const started = performance.now();
  try {
    const response = await fetch(`${BASE_URL}/espace/export/demandes.csv`, { headers: { cookie: admin.cookie } });
    if (response.status !== 200 || !response.body) {
      console.log(`Export : HTTP ${response.status} — l’export CSV n’est pas (encore) servi par cette branche`);
      await response.body?.cancel();
      return { rows: 0, seconds: 0, peakMb: mb(peak) };
    }
    let lines = 0;
    let bytes = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (const byte of chunk) if (byte === 10) lines++;
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(`Export : ${(bytes / 1024 / 1024).toFixed(0)} Mo reçus`);
    return { rows: Math.max(0, lines - 1), seconds, peakMb: mb(peak) };
  } finally {
    clearInterval(sampler);
  }
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gv-bench-reporting-'));
  // BENCH_REUSE=1 measures again on the database of the previous run, without seeding it again.
  const reuse = process.env.BENCH_REUSE === '1';
  if (!reuse) await recreateDatabase(PG_ADMIN_URL, BENCH_DB);
  await clearRedisKeys(REDIS_URL, QUEUE_PREFIX);
  const env = benchServiceEnv({
    port: PORT,
    databaseUrl: DATABASE_URL,
    redisUrl: REDIS_URL,
    queuePrefix: QUEUE_PREFIX,
    mailDir: path.join(tmp, 'mail'),
    appSecret: randomBytes(24).toString('hex'),
  });
  let server: ServiceProcess | undefined;
  db = new Client({ connectionString: DATABASE_URL });
  try {
    // The api migrates and seeds the reference data; the bench fills the rest behind its back, then measures.
    server = spawnService('api', API_ENTRY, env, path.join(tmp, 'api.log'));
    await waitUntilReady(server, BASE_URL, READY_TIMEOUT_MS);
    await db.connect();
    const seeding = performance.now();
    if (!reuse) await seed();
    console.log(`Données prêtes en ${((performance.now() - seeding) / 1000).toFixed(0)} s`);
    const p95 = await measureDashboard();
    const exported = await measureExport(server);
    console.log(`dashboard p95: ${p95} ms`);
    console.log(`export: ${exported.rows} rows in ${exported.seconds.toFixed(1)} s, peak RSS ${exported.peakMb} MB`);
  } finally {
    await db.end().catch(() => undefined);
    await stopService(server, KILL_GRACE_MS);
  }
}

main().catch((error: Error) => {
  console.error(`Échec du banc : ${error.stack ?? error.message}`);
  process.exitCode = 1;
});
