import type { Pool } from 'pg';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { insertFacilitator } from '../support/facilitators';
import { bearerFor, insertStaff, StaffClient, signedInStaff, type StaffSeed } from '../support/staff';
import { insertClosedRequest, insertClosedRequests, insertCompletedSurvey } from '../support/survey-seeds';
import { submitRequest, TestApp, useTestApp, waitFor } from '../support/test-app';

const BOM = '\uFEFF';

describe('CSV exports of requests and evaluations', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app));

  const signedIn = (seed: StaffSeed) => signedInStaff(t, seed);

  const lines = (text: string) => text.split('\r\n').slice(0, -1);

  it('exports the visible requests: BOM, French header, `;` or `,`, RFC 4180 quoting, formulas neutralised, filters applied', async () => {
    const alix = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Alix' });
    const tricky = await insertClosedRequest(t.dataSource, {
      facilitatorId: alix,
      organisationName: '=HYPERLINK("http://evil.example";"clic")',
      subject: 'Papier "recyclé"; enveloppes\net cartouches',
      createdAt: '2026-02-03T09:30:00Z',
    });
    const open = await insertClosedRequest(t.dataSource, { status: 'in_progress', department: '69', createdAt: '2026-02-20T09:00:00Z' });
    const elsewhere = await insertClosedRequest(t.dataSource, {
      department: '75',
      network: 'maximilien',
      createdAt: '2026-02-04T09:00:00Z',
    });
    // A closed request keeps its first take-charge date although its assignment has ended.
    await t.dataSource.query(
      `UPDATE requests SET taken_at = '2026-02-04T08:15:00Z', answered_at = '2026-02-05T10:00:00Z', answered_on_time = true WHERE id = $1`,
      [tricky.id],
    );
    const client = await signedIn({ role: 'animator', networks: ['aura-ee'] });

    const response = await client.get('/espace/export/demandes.csv');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris' }).format(new Date());
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="demandes-${today}.csv"`);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text.startsWith(BOM)).toBe(true);
    expect(text.slice(BOM.length)).toMatch(
      /^Demande;Déposée le \(heure de Paris\);Statut;Motif de clôture;Type;Segment d’achat;Département;Réseau;Facilitateur;/,
    );
    // Quoted line breaks stay inside their record: header and two requests.
    const records = text
      .slice(1)
      .split(/\r\n(?=GV-|$)/)
      .filter(Boolean);
    expect(records).toHaveLength(3);
    expect(text).not.toContain(elsewhere.reference);
    const first = records[1];
    expect(first.startsWith(`${tricky.reference};2026-02-03 10:30;Clôturée;Réponse apportée;Considérations environnementales;`)).toBe(true);
    expect(first).toContain(`;"'=HYPERLINK(""http://evil.example"";""clic"")";`);
    expect(first).toContain(`;"Papier ""recyclé""; enveloppes\net cartouches";`);
    expect(first).toContain(';Alix Test;');
    expect(first).toContain(';38 — Isère;AURA-EE / RREDD;');
    expect(lines(text)[0]).toMatch(
      /;Prise en charge le \(heure de Paris\);Première réponse le \(heure de Paris\);Délai de prise en charge \(jours ouvrés\);Délai de première réponse \(jours ouvrés\);Réponse dans le délai;Délai de prise en charge dépassé;Clôturée le \(heure de Paris\)$/,
    );
    expect(first).toContain(';2026-02-04 09:15;2026-02-05 11:00;;;Oui;Non;');
    expect(text).not.toContain('camille.martin@example.fr');
    // Another network's file is refused with the reason, never an empty file that reads as « nothing happened there ».
    for (const path of ['/espace/export/demandes.csv?reseau=maximilien', '/espace/export/evaluations.csv?reseau=maximilien']) {
      const foreign = await client.get(path);
      expect(foreign.status).toBe(400);
      expect(foreign.headers.get('content-type')).toContain('text/html');
      expect(await foreign.text()).toContain('Réseau inconnu ou hors de vos réseaux');
    }

    const comma = await (await client.get('/espace/export/demandes.csv?separateur=virgule&status=in_progress')).text();
    expect(lines(comma)).toHaveLength(2);
    // fetch's text() drops the byte order mark (checked on the bytes above).
    expect(lines(comma)[0].startsWith('Demande,Déposée le (heure de Paris),Statut,')).toBe(true);
    expect(lines(comma)[1].startsWith(`${open.reference},2026-02-20 10:00,En cours de traitement,,`)).toBe(true);
    // « En retard seulement », as the queue reads it: the current deadline passed (its link carries it).
    await t.dataSource.query(
      `INSERT INTO request_assignments (id, request_id, facilitator_id, assigned_at, take_charge_due_at, taken_at, answer_due_at)
       VALUES (gen_random_uuid(), $1, $2, now() - interval '20 days', now() - interval '19 days', now() - interval '19 days', now() - interval '1 hour')`,
      [open.id, alix],
    );
    const late = lines(await (await client.get('/espace/export/demandes.csv?late=1')).text());
    expect(late.map((line) => line.split(';')[0])).toEqual(['Demande', open.reference]);
    expect(await (await client.get('/espace?late=1')).text()).toContain(
      'href="/espace/export/demandes.csv?tab=mine&amp;ouvertes=1&amp;late=1"',
    );
    // The queue lists open requests alone by default: its export link says so, and leaves the closed one out as the list does.
    const listedOnly = lines(await (await client.get('/espace/export/demandes.csv?ouvertes=1')).text());
    expect(listedOnly.map((line) => line.split(';')[0])).toEqual(['Demande', open.reference]);
    expect((await client.get('/espace/export/demandes.csv?ouvertes=oui')).status).toBe(400);
    const badLate = await client.get('/espace/export/demandes.csv?late=oui');
    expect(badLate.status).toBe(400);
    expect(await badLate.text()).toContain('En retard seulement : valeur inconnue.');
    // Staff's words for the status, not the buyer's « votre précision ».
    await t.dataSource.query(`UPDATE requests SET status = 'awaiting_buyer' WHERE id = $1`, [open.id]);
    const waiting = lines(await (await client.get('/espace/export/demandes.csv?status=awaiting_buyer')).text());
    expect(waiting[1].startsWith(`${open.reference};2026-02-20 10:00;En attente de l’acheteur;;`)).toBe(true);

    const period = await (await client.get('/espace/export/demandes.csv?du=2026-02-01&au=2026-02-10')).text();
    expect(period).toContain(tricky.reference);
    expect(period).not.toContain(open.reference);
    expect(lines(await (await client.get('/espace/export/demandes.csv?department=69')).text())).toHaveLength(2);
    // The queue's search box: the same words, the same requests (closed ones too), % taken literally.
    const searched = await (await client.get(`/espace/export/demandes.csv?q=${encodeURIComponent('RECYCLÉ')}`)).text();
    expect(searched).toContain(tricky.reference);
    expect(searched).not.toContain(open.reference);
    expect(lines(await (await client.get('/espace/export/demandes.csv?q=%25')).text())).toHaveLength(1);
    const queuePage = await (await client.get('/espace?q=recycl%C3%A9&kind=environmental')).text();
    expect(queuePage).toContain('href="/espace/export/demandes.csv?tab=mine&amp;kind=environmental&amp;q=recycl%C3%A9"');
    expect(queuePage).toContain(tricky.reference);

    const bad = await client.get('/espace/export/demandes.csv?du=2026-13-01');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Date de début : saisissez une date au format JJ/MM/AAAA (AAAA-MM-JJ dans l’API).');
    const longSearch = await client.get(`/espace/export/demandes.csv?q=${'x'.repeat(101)}`);
    expect(longSearch.status).toBe(400);
    expect(await longSearch.text()).toContain('Recherche de 100 caractères au plus.');
    // Signed out: to the sign-in page, never a file.
    expect((await new StaffClient(t.url).get('/espace/export/demandes.csv')).status).toBe(303);
  });

  it('exports from each tab of the queue exactly the requests that tab lists (filters and search kept)', async () => {
    const network = { department: '67', network: 'grand-est' };
    const pool = await insertClosedRequests(t.dataSource, 2, { ...network, status: 'unassigned', subject: 'Papier recyclé' });
    await insertClosedRequest(t.dataSource, { status: 'unassigned' });
    const client = await signedIn({ role: 'animator', networks: ['grand-est'] });
    const references = (text: string) => [...text.matchAll(/>(GV-\d{4}-\d+)<\/a>/g)].map((m) => m[1]).sort();
    /** The page's list and its export's, side by side. */
    const listedAndExported = async (query: string) => {
      const page = await (await client.get(`/espace${query}`)).text();
      const link = /href="(\/espace\/export\/demandes\.csv[^"]*)"/.exec(page)![1].replace(/&amp;/g, '&');
      const exported = lines(await (await client.get(link)).text())
        .slice(1)
        .map((line) => line.split(';')[0]);
      return { listed: references(page), exported: exported.sort() };
    };
    const tabs = async (expected: Record<string, string[]>) => {
      for (const [query, listed] of Object.entries(expected)) {
        expect(await listedAndExported(query)).toEqual({ listed: listed.sort(), exported: listed.sort() });
      }
    };
    // « Demandes attribuées (0) »: nothing listed, nothing exported; the pool's two in « Réserve » only.
    await tabs({ '': [], '?tab=pool': pool.map((r) => r.reference) });

    const bao = await insertFacilitator(t.dataSource, { network: 'grand-est', firstName: 'Bao' });
    const held = await insertClosedRequest(t.dataSource, {
      ...network,
      status: 'in_progress',
      facilitatorId: bao,
      subject: 'Papier recyclé',
    });
    const closed = await insertClosedRequest(t.dataSource, { ...network, facilitatorId: bao, subject: 'Papier recyclé' });
    await tabs({
      '': [held.reference],
      '?tab=pool': pool.map((r) => r.reference),
      // A search lists closed requests too, each in its own tab.
      '?tab=mine&q=recycl%C3%A9': [held.reference, closed.reference],
      '?tab=pool&q=recycl%C3%A9': pool.map((r) => r.reference),
      '?tab=mine&status=closed': [closed.reference],
      [`?tab=mine&facilitator=${bao}`]: [held.reference],
      '?tab=pool&department=68': [],
    });
  });

  it('exports the evaluations with the list’s filters and access rules, answers in French', async () => {
    const alix = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Alix' });
    const a = await insertClosedRequest(t.dataSource, { facilitatorId: alix });
    const b = await insertClosedRequest(t.dataSource, { facilitatorId: alix, kind: 'social_clause', createdAt: '2026-01-05T09:00:00Z' });
    await t.dataSource.query(`UPDATE requests SET closed_at = '2026-01-20T15:30:00Z' WHERE id = $1`, [b.id]);
    const c = await insertClosedRequest(t.dataSource, { department: '75', network: 'maximilien' });
    await insertCompletedSurvey(t.dataSource, a.id, {
      facilitatorId: alix,
      comment: '+33 6 00 00 00 00 ; rappelez-moi',
      reuseConsent: true,
    });
    const impact = await insertCompletedSurvey(t.dataSource, b.id, {
      wave: 'impact',
      facilitatorId: alix,
      contractOutcome: 'yes',
      contractDate: '2026-05-02',
      levers: ['label', 'award_criterion'],
      awardCriterionWeight: 15,
      themes: ['carbon', 'insertion_disability', 'waste'],
      environmentalConsiderations: ['environmental_criterion'],
      socialConsiderations: ['social_clause'],
      contractAmount: '250000',
      obstacles: ['cost'],
      wouldUseAgain: true,
      completedAt: '2026-06-01T12:00:00Z',
    });
    await t.dataSource.query(`UPDATE surveys SET sent_at = '2026-05-20T08:00:00Z' WHERE id = $1`, [impact]);
    await insertCompletedSurvey(t.dataSource, c.id);
    const client = await signedIn({ role: 'animator', networks: ['aura-ee'] });

    const response = await client.get('/espace/export/evaluations.csv');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="evaluations-\d{4}-\d{2}-\d{2}\.csv"$/);
    const all = lines(await response.text());
    expect(all).toHaveLength(3);
    expect(all[0]).toContain(
      'Demande;Questionnaire;Demande déposée le (heure de Paris);Demande clôturée le (heure de Paris);Envoyé le (heure de Paris);Répondu le (heure de Paris);',
    );
    expect(all.join('\n')).not.toContain(c.reference);
    expect(all.find((l) => l.startsWith(a.reference))).toContain(`;Oui;"'+33 6 00 00 00 00 ; rappelez-moi";`);

    const onlyImpact = lines(await (await client.get('/espace/export/evaluations.csv?wave=impact&score=outcome.yes')).text());
    expect(onlyImpact).toHaveLength(2);
    expect(onlyImpact[1]).toBe(
      [
        b.reference,
        'Impact sur le marché',
        '2026-01-05 10:00',
        '2026-01-20 16:30',
        '2026-05-20 10:00',
        '2026-06-01 14:00',
        'Clauses sociales',
        'Fournitures de bureau',
        '38 — Isère',
        'AURA-EE / RREDD',
        'Alix Test',
        '',
        '',
        'Consultation publiée ou marché notifié',
        '2026-05-02',
        '',
        'Label | Critère d’attribution',
        '15',
        '',
        'Carbone | Insertion, handicap | Déchets',
        'Critère environnemental',
        'Clause sociale',
        '250000',
        'Coût',
        'Oui',
        'Non',
        '',
        '',
        '',
        '',
        '',
        '',
      ].join(';'),
    );
    // Multi-valued cells are joined by « | »: a label's own comma (« Insertion, handicap ») is never a second value, and
    // with commas between cells the whole cell is quoted.
    const withCommas = lines(await (await client.get('/espace/export/evaluations.csv?wave=impact&separateur=virgule')).text());
    expect(withCommas[1]).toContain(
      ',Label | Critère d’attribution,15,,"Carbone | Insertion, handicap | Déchets",Critère environnemental,',
    );
    expect(impact).toBeTruthy();
    const facilitator = await signedIn({ role: 'facilitator', facilitatorId: alix, networks: ['aura-ee'] });
    expect(lines(await (await facilitator.get('/espace/export/evaluations.csv')).text())).toHaveLength(1);

    // Reviewed with a note, then shared: the facilitator's export has the evaluation, never the animators' note.
    const [reviewed] = await t.dataSource.query(
      `UPDATE surveys SET reviewed_at = now(), review_note = 'À reprendre en réunion, ne pas montrer.', shared_with_facilitator_at = now()
        WHERE request_id = $1 RETURNING id`,
      [a.id],
    );
    expect(reviewed).toBeTruthy();
    const animatorView = (await (await client.get('/espace/export/evaluations.csv')).text()).replace(/^\uFEFF/, '');
    expect(animatorView).toContain('Note de revue');
    expect(animatorView).toContain('À reprendre en réunion, ne pas montrer.');
    // The columns added since the export was first built come last: the animators' spreadsheets keep theirs.
    expect(animatorView.split('\r\n')[0]).toMatch(
      /;Commentaire;Revue le \(heure de Paris\);Note de revue;Partagée avec le facilitateur le \(heure de Paris\);Revue par;Partagée par$/,
    );
    const shared = lines(await (await facilitator.get('/espace/export/evaluations.csv')).text());
    expect(shared).toHaveLength(2);
    expect(shared[0]).toMatch(/;Commentaire;Partagée avec le facilitateur le \(heure de Paris\);Partagée par$/);
    expect(shared.join('\n')).not.toMatch(/Revue le|Revue par|Note de revue|ne pas montrer/);
  });

  it('refuses a segment, département or network the reference data does not hold: 400 by field, never an empty file', async () => {
    await insertClosedRequest(t.dataSource, { department: '38', segment: 'office_supplies' });
    const auth = await bearerFor(t, { role: 'admin' });
    const person = await signedIn({ role: 'admin' });
    const refusals: Array<[string, string, string]> = [
      ['segment', 'fournitures', 'Segment d’achat inconnu.'],
      ['department', '999', 'Département inconnu : code INSEE attendu, par exemple 38, 2A ou 971.'],
      ['reseau', 'aura', 'Réseau inconnu ou hors de vos réseaux : code attendu, par exemple aura-ee ou reseco.'],
    ];
    for (const name of ['demandes', 'evaluations']) {
      const path = `/espace/export/${name}.csv`;
      // The known codes still filter (a file, possibly with its header alone).
      const known = await fetch(`${t.url}${path}?segment=office_supplies&department=38&reseau=aura-ee`, {
        headers: { authorization: auth },
      });
      expect([path, known.status]).toEqual([path, 200]);
      for (const [field, value, message] of refusals) {
        const script = await fetch(`${t.url}${path}?${field}=${value}`, { headers: { authorization: auth } });
        expect([path, field, script.status, script.headers.get('content-type')]).toEqual([
          path,
          field,
          400,
          'application/json; charset=utf-8',
        ]);
        expect(await script.json()).toEqual({
          statusCode: 400,
          code: 'validation_failed',
          message: `Filtres invalides : ${message}`,
          errors: [{ field, message }],
        });
        // A person who followed a link with a mistyped filter reads why, in French, rather than an empty file.
        const page = await person.get(`${path}?${field}=${value}`);
        expect([path, field, page.status, page.headers.get('content-type')]).toEqual([path, field, 400, 'text/html; charset=utf-8']);
        expect(await page.text()).toContain(message);
      }
      // Several at once: each named.
      const all = await fetch(`${t.url}${path}?segment=x&department=y`, { headers: { authorization: auth } });
      expect((await all.json()).errors.map((e: { field: string }) => e.field)).toEqual(['segment', 'department']);
    }
  });

  it('streams a large export through a cursor, and a client gone mid-way gives its connection back', async () => {
    await insertClosedRequests(t.dataSource, 40_000, { subject: 'Une demande parmi beaucoup d’autres, pour un export un peu long' });
    const client = await signedIn({ role: 'admin' });

    const response = await client.get('/espace/export/demandes.csv');
    expect(response.headers.get('content-length')).toBeNull();
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    let count = 0;
    const decoder = new TextDecoder();
    const reader = response.body!.getReader();
    // Line ends counted by their \n: a chunk may end between the \r and the \n of a CRLF.
    let crlf = true;
    for (let part = await reader.read(); !part.done; part = await reader.read()) {
      const text = decoder.decode(part.value, { stream: true });
      count += (text.match(/\n/g) ?? []).length;
      crlf &&= !/[^\r]\n/.test(text);
    }
    expect(count).toBe(40_001);
    expect(crlf).toBe(true);

    const pool = (t.dataSource.driver as PostgresDriver).master as Pool;
    // Known by its start: pg_stat_activity keeps only the first kilobyte of a query (track_activity_query_size).
    const exporting = async () =>
      Number(
        (
          await t.dataSource.query(
            `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
                AND state IN ('active', 'idle in transaction') AND query LIKE 'SELECT r.reference, %'`,
          )
        )[0].n,
      );
    const abort = new AbortController();
    const cut = await fetch(`${t.url}/espace/export/demandes.csv`, { headers: { cookie: client.jar.header() }, signal: abort.signal });
    await cut.body!.getReader().read();
    // The client reads no further: backpressure holds the cursor open in its transaction.
    await waitFor(async () => (await exporting()) === 1, 5_000, 'export en cours');
    abort.abort();
    await waitFor(async () => (await exporting()) === 0, 5_000, 'curseur fermé');
    await waitFor(async () => pool.idleCount === pool.totalCount, 5_000, 'connexion rendue au pool');
    // The connection came back clean: the next export works.
    expect((await client.get('/espace/export/demandes.csv?status=in_progress')).status).toBe(200);
  });
});

describe('CSV exports on a small connection pool', () => {
  let t!: TestApp;
  // A quarter of four connections: one export streams at a time.
  useTestApp((app) => (t = app), { DATABASE_POOL_SIZE: '4' });

  it('refuses an export beyond its share of the pool with 503 and Retry-After, and buyers still submit meanwhile', async () => {
    await insertClosedRequests(t.dataSource, 40_000, { subject: 'Une demande parmi beaucoup d’autres, pour un export un peu long' });
    const { email } = await insertStaff(t.dataSource, { role: 'admin' });
    const client = new StaffClient(t.url);
    expect((await client.signIn(email)).status).toBe(303);

    const abort = new AbortController();
    const held = await fetch(`${t.url}/espace/export/demandes.csv`, { headers: { cookie: client.jar.header() }, signal: abort.signal });
    await held.body!.getReader().read();
    // That client reads no further: its export keeps its connection until it goes.
    const refused = await client.get('/espace/export/evaluations.csv');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('10');
    expect(await refused.text()).toContain('D’autres exports sont en cours : réessayez dans quelques secondes.');
    expect(await submitRequest(t, 1)).toMatch(/^GV-\d{4}-\d{6}$/);

    abort.abort();
    await waitFor(
      async () => (await client.get('/espace/export/demandes.csv?status=in_progress')).status === 200,
      5_000,
      'export rendu possible',
    );
  });
});
