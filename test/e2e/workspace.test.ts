import { StaffAuthService } from '../../src/modules/accounts/staff-auth.service';
import { BuyerNotificationsService } from '../../src/modules/buyer-notifications/buyer-notifications.service';
import { HELP_ITEM_FIELDS } from '../../src/modules/requests/help-item.policy';
import { replyWindowEnd } from '../../src/modules/requests/reply-window.policy';
import { CLOSE_REASONS } from '../../src/modules/requests/request.types';
import { frenchFilters, mailsTo, sentMailFile } from '../support/conversation';
import { insertFacilitator } from '../support/facilitators';
import { samplePdf, sampleExe } from '../support/sample-files';
import { bearerFor, csrfIn, insertStaff, StaffClient } from '../support/staff';
import { bodyOf, TestApp, useTestApp, validRequestBody } from '../support/test-app';
import { assignedToSignedIn } from '../support/workspace';

const XSS = '"><img src=x onerror=alert(1)><script>alert(2)</script>';

/** A duplicate's closing word to the buyer, which the closure requires. */
const GOES_ON = 'Votre question se poursuit dans la demande GV-2026-000001.';
describe('the facilitator workspace', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app), {}, { api: true, worker: true });

  /** A submitted request routed to a facilitator who has an account, signed in. */
  const assigned = (change?: (body: ReturnType<typeof validRequestBody>) => void) => assignedToSignedIn(t, change);

  const status = async (reference: string) =>
    (await t.dataSource.query(`SELECT status, close_reason FROM requests WHERE reference = $1`, [reference]))[0];

  async function postAnswer(
    client: StaffClient,
    reference: string,
    fields: Record<string, string>,
    files: Array<{ name: string; data: Buffer; type: string }> = [],
  ) {
    const page = await client.get(`/espace/demandes/${reference}`);
    const form = new FormData();
    form.append('_csrf', csrfIn(await page.text()));
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    for (const file of files) form.append('fichiers', new Blob([new Uint8Array(file.data)], { type: file.type }), file.name);
    return fetch(`${t.url}/espace/demandes/${reference}/reponse`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
      headers: { cookie: client.jar.header() },
    });
  }

  it('takes a request from the queue to its close, every step written with its history', async () => {
    const { reference, client } = await assigned((body) => {
      (body.buyer as { lastName: string }).lastName = XSS.slice(0, 60);
      body.subject = `Sujet ${XSS}`;
    });
    const queue = await client.get('/espace');
    expect(queue.status).toBe(200);
    const queueHtml = await queue.text();
    expect(queueHtml).toContain(reference);
    expect(queueHtml).toContain('<h1>Espace facilitateur</h1>');
    expect(queueHtml).not.toContain('<img src=x');
    expect(queueHtml).toContain('&lt;img src=x');

    const page = await (await client.get(`/espace/demandes/${reference}`)).text();
    expect(page).toContain('Je prends en charge');
    expect(page).not.toContain('<script>alert(2)');
    // Amounts and days as French readers write them.
    expect(page).toContain('Montant estimé : 120\u202f000 € HT');
    expect(page).toContain(`Réponse nécessaire d’ici le 1er mars ${new Date().getUTCFullYear() + 1}`);

    expect((await client.submit(`/espace/demandes/${reference}`, `/espace/demandes/${reference}/prise-en-charge`, {})).status).toBe(303);
    expect((await status(reference)).status).toBe('in_progress');
    const onTime = await (await client.get(`/espace/demandes/${reference}`)).text();
    expect(onTime).toContain('Réponse attendue avant le');
    expect(onTime).not.toContain('id="echeance-depassee"');
    // Taken in charge a month ago: the answer is overdue, and the page says so beside the deadline.
    await t.dataSource.query(
      `UPDATE request_assignments SET taken_at = taken_at - interval '30 days', answer_due_at = answer_due_at - interval '30 days'
        WHERE request_id = (SELECT id FROM requests WHERE reference = $1)`,
      [reference],
    );
    expect(await (await client.get(`/espace/demandes/${reference}`)).text()).toMatch(
      /Réponse attendue avant le [^<]+, en jours ouvrés, hors temps d’attente de l’acheteur <span class="fr-badge fr-badge--error fr-badge--sm fr-ml-1w" id="echeance-depassee">En retard<\/span>/,
    );

    const emptyNote = await client.submit(`/espace/demandes/${reference}`, `/espace/demandes/${reference}/notes`, { body: '' });
    expect(emptyNote.status).toBe(400);
    const emptyNoteHtml = await emptyNote.text();
    expect(emptyNoteHtml).toContain('Écrivez la note.');
    // The summary's heading sits under its section's <h2>, not beside it.
    expect(emptyNoteHtml).toMatch(
      /<h2 id="titre-note">Ajouter une note interne<\/h2>\s*<div class="fr-alert fr-alert--error fr-mb-4w" role="alert" id="resume-erreurs" tabindex="-1">\s*<h3 class="fr-alert__title">1 erreur empêche l’envoi de votre note<\/h3>/,
    );
    // Sent twice (a double click, a resend): the form's one-time token stores it once.
    const notePage = await (await client.get(`/espace/demandes/${reference}`)).text();
    const noteForm = { _csrf: csrfIn(notePage), formToken: /name="formToken" value="([^"]+)"/.exec(notePage)![1], body: 'Rappeler lundi' };
    for (let i = 0; i < 2; i++) expect((await client.post(`/espace/demandes/${reference}/notes`, noteForm)).status).toBe(303);
    const notes = () => t.dataSource.query(`SELECT body FROM request_messages WHERE kind = 'internal_note'`);
    expect(await notes()).toEqual([{ body: 'Rappeler lundi' }]);
    // « Retour », the text restored, the page's token new: the same note by the same person, still once.
    const reloaded = await (await client.get(`/espace/demandes/${reference}`)).text();
    const resent = { ...noteForm, _csrf: csrfIn(reloaded), formToken: /name="formToken" value="([^"]+)"/.exec(reloaded)![1] };
    expect(resent.formToken).not.toBe(noteForm.formToken);
    expect((await client.post(`/espace/demandes/${reference}/notes`, resent)).status).toBe(303);
    expect(await notes()).toEqual([{ body: 'Rappeler lundi' }]);

    expect(
      (await client.submit(`/espace/demandes/${reference}`, `/espace/demandes/${reference}/precision`, { body: 'Quel volume ?' })).status,
    ).toBe(303);
    expect((await status(reference)).status).toBe('awaiting_buyer');
    const paused = await (await client.get(`/espace/demandes/${reference}`)).text();
    expect(paused).toContain('Délai de réponse suspendu');
    // « Aller à » leads to each section of the long page that is there.
    const jumps = [...paused.matchAll(/<a class="fr-link fr-link--sm" href="#(titre-[a-z]+)">/g)].map((m) => m[1]);
    expect(jumps).toEqual(expect.arrayContaining(['titre-note', 'titre-historique']));
    for (const id of jumps) expect(paused).toContain(`<h2 id="${id}">`);
    // The day it closes by itself without the buyer's reply: the automatic closure's own count.
    const [{ asked, department }] = await t.dataSource.query(
      `SELECT e.created_at AS asked, r.department_code AS department FROM request_events e JOIN requests r ON r.id = e.request_id
        WHERE r.reference = $1 AND e.to_status = 'awaiting_buyer'`,
      [reference],
    );
    const closes = frenchFilters.renderString('{{ at | frDeadline(code) }}', {
      at: replyWindowEnd(asked, department, t.config.REPLY_WINDOW_WORKING_DAYS),
      code: department,
    });
    expect(paused).toContain(`sans réponse, la demande sera clôturée le ${closes}</li>`);

    // The buyer's reply, as the buyer side will write it.
    const [{ id }] = await t.dataSource.query(`SELECT id FROM requests WHERE reference = $1`, [reference]);
    await t.dataSource.query(`UPDATE requests SET status = 'in_progress' WHERE id = $1`, [id]);
    await t.dataSource.query(
      `INSERT INTO request_events (request_id, type, from_status, to_status, actor_type, is_public) VALUES ($1, 'buyer_clarified', 'awaiting_buyer', 'in_progress', 'buyer', true)`,
      [id],
    );

    const refused = await postAnswer(
      client,
      reference,
      { body: 'Voici', 'items[0][type]': 'regulation', 'items[0][legalReferenceCode]': 'inconnu' },
      [{ name: 'guide.pdf', data: samplePdf(), type: 'application/pdf' }],
    );
    expect(refused.status).toBe(400);
    const refusedHtml = await refused.text();
    expect(refusedHtml).toContain('Choisissez le texte dans la liste.');
    expect(refusedHtml).toContain(`<title>Erreur — Demande ${reference} — Guichet vert</title>`);
    // Each link of the error summary leads to the field in error.
    const anchors = [...refusedHtml.matchAll(/<li><a href="#([^"]+)">/g)].map((m) => m[1]);
    expect(anchors).toContain('f-answer-items-0-legalReferenceCode');
    // The file chosen cannot be given back to the browser: the summary asks for it again, at the file field.
    expect(refusedHtml).toContain(
      '<a href="#f-answer-fichiers">Choisissez de nouveau votre fichier (guide.pdf) : il n’est pas gardé quand le formulaire revient avec une erreur.</a>',
    );
    for (const anchor of anchors) expect(refusedHtml).toContain(`id="${anchor}"`);
    expect(refusedHtml).toContain('Voici</textarea>');
    expect(
      (await t.dataSource.query(`SELECT count(*)::int AS n FROM request_messages WHERE request_id = $1 AND kind = 'answer'`, [id]))[0].n,
    ).toBe(0);

    const [legal] = await t.dataSource.query(`SELECT code FROM legal_references ORDER BY position LIMIT 1`);
    const answered = await postAnswer(
      client,
      reference,
      {
        body: 'Voici **la réponse**',
        'items[0][type]': 'regulation',
        'items[0][legalReferenceCode]': legal.code,
        'items[1][type]': 'tender_file',
        'items[1][attachmentId]': 'dce.pdf',
      },
      [{ name: 'dce.pdf', data: samplePdf(), type: 'application/pdf' }],
    );
    expect(answered.status).toBe(303);
    expect((await status(reference)).status).toBe('answered');
    const answeredPage = await (await client.get(`/espace/demandes/${reference}`)).text();
    expect(answeredPage).toMatch(/<li>Réponse envoyée le \d+ \S+ \d{4} à \d\d:\d\d<\/li>/);
    expect(answeredPage).not.toContain('Réponse attendue avant le');
    const download = /href="(\/espace\/demandes\/[^"]+\/pieces-jointes\/[^"]+)"/.exec(answeredPage)![1];
    const file = await client.get(download);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');

    expect(
      (await client.submit(`/espace/demandes/${reference}`, `/espace/demandes/${reference}/cloture`, { reason: 'answered' })).status,
    ).toBe(303);
    expect(await status(reference)).toEqual({ status: 'closed', close_reason: 'answered' });
    const [{ open_count: openCount }] = await t.dataSource.query(`SELECT open_count FROM facilitators`);
    expect(openCount).toBe(0);
    const events = await t.dataSource.query(
      `SELECT type, actor_type AS "actorType" FROM request_events WHERE request_id = $1 ORDER BY id`,
      [id],
    );
    expect(events.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['taken_in_charge', 'internal_note', 'clarification_requested', 'answered', 'closed']),
    );
    // Staff read the history in French: the event and its reason, never a stored code.
    const history = /<section aria-labelledby="titre-historique">([\s\S]*?)<\/section>/.exec(
      await (await client.get(`/espace/demandes/${reference}`)).text(),
    )![1];
    for (const label of [
      'Prise en charge',
      'Note interne',
      'Précision demandée à l’acheteur',
      'Réponse envoyée',
      'Clôturée',
      'Réponse apportée',
    ])
      expect(history).toContain(label);
    expect(history).not.toMatch(/taken_in_charge|internal_note|>answered</);
    // The note changed no status: its row says so, not « En cours de traitement » to itself.
    expect(history.replace(/\s+/g, ' ')).toMatch(/<td>En cours de traitement<\/td> <td>inchangé<\/td> <td>Note interne<\/td>/);
  });

  it('reminds the facilitator of the European threshold the buyer’s estimated amount reaches, and of what it brings', async () => {
    const { reference, client } = await assigned();
    // Dated within the thresholds' table (2026-2027), whatever the day the test runs.
    const notice = async () =>
      /<p[^>]*id="seuil-europeen">([^<]*)<\/p>/.exec(await (await client.get(`/espace/demandes/${reference}`)).text())?.[1];
    await t.dataSource.query(
      `UPDATE requests SET estimated_amount = 100000, organisation_type = 'local_authority', created_at = '2026-12-01T10:00:00+01:00' WHERE reference = $1`,
      [reference],
    );
    expect(await notice()).toBeUndefined();
    await t.dataSource.query(`UPDATE requests SET estimated_amount = 450000 WHERE reference = $1`, [reference]);
    expect(await notice()).toMatch(
      /^Seuil européen atteint \(216\s000\s€ HT, fournitures et services des autres acheteurs, 2026–2027\) : procédure formalisée ; .*\(art\. L2112-2-1/,
    );
    // A company outside the code follows none of it.
    await t.dataSource.query(`UPDATE requests SET organisation_type = 'private_not_subject', kind = 'social_clause' WHERE reference = $1`, [
      reference,
    ]);
    expect(await notice()).toBeUndefined();
  });

  it('offers in the answer form the legal texts of the request’s kind and those common to both, not the other kind’s', async () => {
    const { reference, client } = await assigned();
    await t.dataSource.query(`UPDATE requests SET status = 'in_progress' WHERE reference = $1`, [reference]);
    const offered = async () => {
      const page = await (await client.get(`/espace/demandes/${reference}`)).text();
      const select = /<select class="fr-select" id="f-answer-items-0-legalReferenceCode"[^>]*>([\s\S]*?)<\/select>/.exec(page)![1];
      return [...select.matchAll(/<option value="([^"]+)"/g)].map((m) => m[1]);
    };
    const environmental = await offered();
    expect(environmental).toEqual(expect.arrayContaining(['agec-art-58', 'egalim-art-24', 'ccp-r2111-13', 'ccp-l2111-1', 'ccp-l2152-7']));
    expect(environmental).not.toContain('ccp-l2113-13');
    // The social execution conditions above the EU thresholds bind an environmental request's contract too.
    expect(environmental).toContain('ccp-l2112-2-1');

    await t.dataSource.query(`UPDATE requests SET kind = 'social_clause' WHERE reference = $1`, [reference]);
    expect(await offered()).toEqual([
      'ccp-l2111-1',
      'ccp-l2111-2',
      'ccp-l2111-3',
      'ccp-l2112-2',
      'ccp-l2112-2-1',
      'ccp-l2113-12',
      'ccp-l2113-13',
      'ccp-l2113-15',
      'ccp-l2152-7',
      'ccp-r2152-7',
      // Specifications and labels serve social characteristics too (fair trade, insertion).
      'ccp-r2111-10',
      'ccp-r2111-12',
      'ccp-r2111-13',
      'ccp-r2111-14',
      'ccp-r2111-15',
      'ccp-r2111-16',
      'ccp-r2111-17',
    ]);
  });

  it('shows a buyer’s message as typed, never as formatting: a markdown link stays text', async () => {
    const { reference, trackingUrl, client } = await assigned();
    const disguised = 'Voir [le cahier des charges](https://hameçon.example/connexion) et *surtout* : prix &amp; TVA';
    const sent = await fetch(`${t.url}/api/v1/requests/${reference}/information`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tracking-token': new URL(trackingUrl).searchParams.get('t')! },
      body: JSON.stringify({ message: disguised }),
    });
    expect(sent.status).toBe(200);
    const page = await (await client.get(`/espace/demandes/${reference}`)).text();
    expect(page).toContain(
      '<p class="gv-question">Voir [le cahier des charges](https://hameçon.example/connexion) et *surtout* : prix &amp;amp; TVA</p>',
    );
    expect(page).not.toContain('href="https://hameçon.example');
    expect(page).not.toContain('<em>surtout</em>');
  });

  it('closes with a message to the buyer, shown escaped on the request page; an over-long one writes nothing', async () => {
    const { reference, client } = await assigned();
    await client.submit(`/espace/demandes/${reference}`, `/espace/demandes/${reference}/prise-en-charge`, {});
    const close = (fields: Record<string, string>) =>
      client.submit(`/espace/demandes/${reference}`, `/espace/demandes/${reference}/cloture`, fields);

    const tooLong = await close({ reason: 'redirected', message: 'x'.repeat(10_001) });
    expect(tooLong.status).toBe(400);
    const refused = await tooLong.text();
    expect(refused).toContain('Le texte ne doit pas dépasser 10\u202f000 caractères.');
    expect(refused).toContain('href="#f-close-message"');
    expect(await status(reference)).toEqual({ status: 'in_progress', close_reason: null });
    expect(
      await t.dataSource.query(`SELECT 1 FROM request_messages m JOIN requests r ON r.id = m.request_id WHERE r.reference = $1`, [
        reference,
      ]),
    ).toEqual([]);

    const message = `Votre question relève de la CCI de votre département.\n${XSS}`;
    // As a browser sends it: line breaks as CRLF, stored as LF like every other text.
    expect((await close({ reason: 'redirected', message: `  ${message.replace('\n', '\r\n')}\r\n` })).status).toBe(303);
    expect(await status(reference)).toEqual({ status: 'closed', close_reason: 'redirected' });
    const page = await (await client.get(`/espace/demandes/${reference}`)).text();
    expect(page).toContain('Message de clôture');
    expect(page).toMatch(/<li>Clôturée le \d+ \S+ \d{4} à \d{2}:\d{2}<\/li>/);
    // Its assignment ended with the closure; the page still says when it was taken in charge.
    expect(page).toMatch(/<li>Prise en charge le \d+ \S+ \d{4} à \d{2}:\d{2}<\/li>/);
    expect(page).toContain('Votre question relève de la CCI de votre département.');
    expect(page).not.toContain(XSS);

    const [{ id }] = await t.dataSource.query(`SELECT id FROM requests WHERE reference = $1`, [reference]);
    const conversation = await t.dataSource.query(
      `SELECT kind, author_type AS "authorType", body FROM request_messages WHERE request_id = $1`,
      [id],
    );
    expect(conversation).toEqual([{ kind: 'closing_message', authorType: 'staff', body: message }]);
  });

  it('tells the buyer who wrote: the facilitator by first name and network, an animator as the network’s team', async () => {
    const { reference, trackingUrl, client, network } = await assigned();
    const [{ name }] = await t.dataSource.query(`SELECT name FROM networks WHERE code = $1`, [network]);
    await client.submit(`/espace/demandes/${reference}`, `/espace/demandes/${reference}/prise-en-charge`, {});
    await client.submit(`/espace/demandes/${reference}`, `/espace/demandes/${reference}/precision`, { body: 'Quel volume ?' });
    const animator = await bearerFor(t, { role: 'animator', networks: [network] });
    const closed = await fetch(`${t.url}/api/v1/staff/requests/${reference}/close`, {
      method: 'POST',
      headers: { authorization: animator, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'redirected', message: 'Adressez-vous à la CCI.' }),
    });
    expect(closed.status).toBe(200);

    const token = new URL(trackingUrl).searchParams.get('t')!;
    const tracked = await bodyOf(fetch(`${t.url}/api/v1/requests/${reference}`, { headers: { 'x-tracking-token': token } }));
    expect(tracked.conversation.map((m: { kind: string; author: string }) => [m.kind, m.author])).toEqual([
      ['clarification_question', `Dominique, du réseau ${name}`], // insertFacilitator's first name, never the animator's
      ['closing_message', `L’équipe d’animation du réseau ${name}`],
    ]);
    const html = await (await fetch(trackingUrl)).text();
    expect(html).toContain(`Dominique, du réseau ${name} — Demande de précision`);
    expect(html).toContain(`L’équipe d’animation du réseau ${name} — Message de clôture`);
    expect(html).not.toContain('Essai'); // the animator's account (insertStaff's name)
  });

  it('a duplicate is closed with the word to the buyer of which request goes on', async () => {
    const { reference, client } = await assigned();
    await client.submit(`/espace/demandes/${reference}`, `/espace/demandes/${reference}/prise-en-charge`, {});
    const refused = await client.submit(`/espace/demandes/${reference}`, `/espace/demandes/${reference}/cloture`, { reason: 'duplicate' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('Pour un doublon, dites à l’acheteur quelle demande se poursuit (sa référence).');
    expect(await status(reference)).toEqual({ status: 'in_progress', close_reason: null });
    await client.submit(`/espace/demandes/${reference}`, `/espace/demandes/${reference}/cloture`, {
      reason: 'duplicate',
      message: GOES_ON,
    });
    expect(await status(reference)).toEqual({ status: 'closed', close_reason: 'duplicate' });
  });

  it('reopens a closure made by mistake: back in progress to its facilitator, with a new answer deadline', async () => {
    const { reference, client, facilitatorId, network } = await assigned();
    await client.submit(`/espace/demandes/${reference}`, `/espace/demandes/${reference}/prise-en-charge`, {});
    const page = () => client.get(`/espace/demandes/${reference}`).then((r) => r.text());
    expect(await page()).not.toContain('Rouvrir la demande');
    await client.submit(`/espace/demandes/${reference}`, `/espace/demandes/${reference}/cloture`, {
      reason: 'duplicate',
      message: GOES_ON,
    });
    const openCount = async () =>
      (await t.dataSource.query(`SELECT open_count AS n FROM facilitators WHERE id = $1`, [facilitatorId]))[0].n;
    expect(await openCount()).toBe(0);

    const closedPage = await page();
    expect(closedPage).toContain('Rouvrir la demande');
    expect(closedPage).toContain('Clôturée par erreur ? Elle revient en cours chez Dominique');
    // « Aller à » leads there too.
    expect(closedPage).toContain('<a class="fr-link fr-link--sm" href="#titre-reouverture">Rouvrir</a>');
    const reopened = await client.submit(`/espace/demandes/${reference}`, `/espace/demandes/${reference}/reouverture`, {});
    expect(reopened.status).toBe(303);
    expect(reopened.headers.get('location')).toBe(`/espace/demandes/${reference}?fait=reouverture`);
    expect(await status(reference)).toEqual({ status: 'in_progress', close_reason: null });
    expect(await openCount()).toBe(1);
    const assignments = await t.dataSource.query(
      `SELECT ra.facilitator_id AS "facilitatorId", ra.ended_at AS "endedAt", ra.taken_at IS NOT NULL AS taken, ra.answer_due_at > now() AS due
         FROM request_assignments ra JOIN requests r ON r.id = ra.request_id WHERE r.reference = $1 ORDER BY ra.assigned_at`,
      [reference],
    );
    expect(assignments.filter((a: { endedAt: Date | null }) => a.endedAt === null)).toEqual([
      { facilitatorId, endedAt: null, taken: true, due: true },
    ]);
    // Its first taking in charge is kept; the one the reopening gave follows it.
    await t.dataSource.query(
      `UPDATE request_assignments SET taken_at = taken_at - interval '2 hours'
        WHERE ended_at IS NOT NULL AND request_id = (SELECT id FROM requests WHERE reference = $1)`,
      [reference],
    );
    const html = await (await client.get(reopened.headers.get('location')!)).text();
    expect(html).toMatch(/<li>Prise en charge le [^<]+, reprise le [^<]+ après sa réouverture<\/li>/);
    expect(html).toContain('La demande est rouverte');
    expect(html).toContain('Rouverte');
    expect(html).not.toContain('Rouvrir la demande');
    // Open again: a second reopening is refused by its state.
    expect((await client.submit(`/espace/demandes/${reference}`, `/espace/demandes/${reference}/reouverture`, {})).status).toBe(409);
    // The holder reopened it: no e-mail to themselves. Closed again, then reopened by the network: they are told.
    expect(await mailsTo(t, 'request-reopened')).toEqual([]);
    await client.submit(`/espace/demandes/${reference}`, `/espace/demandes/${reference}/cloture`, { reason: 'redirected' });
    const animator = await bearerFor(t, { role: 'animator', networks: [network] });
    const byNetwork = await fetch(`${t.url}/api/v1/staff/requests/${reference}/reopen`, {
      method: 'POST',
      headers: { authorization: animator },
    });
    expect(await byNetwork.json()).toEqual({ reference, status: 'in_progress', closeReason: null });
    const [{ email }] = await t.dataSource.query(`SELECT email FROM facilitators WHERE id = $1`, [facilitatorId]);
    // Read once sent (this app's workers send it at once, its context then gone), from the file written for it.
    const mail = await sentMailFile(t, 'request-reopened', email);
    expect(mail).toContain('a été rouverte par Sam Essai'); // insertStaff's name
    // The new deadline, as the request's page gives it.
    const [{ answer_due_at: due }] = await t.dataSource.query(
      `SELECT answer_due_at FROM request_assignments WHERE facilitator_id = $1 ORDER BY assigned_at DESC LIMIT 1`,
      [facilitatorId],
    );
    expect(mail).toContain(`avec un nouveau délai de réponse : ${frenchFilters.getFilter('frDeadline')(due, '38')}.`);
    expect(mail).toContain(`/espace/demandes/${reference}`);
    const [{ subject }] = await t.dataSource.query(`SELECT subject FROM mail_messages WHERE template = 'request-reopened'`);
    expect(subject).toBe(`Demande ${reference} « Fournitures de bureau et loi AGEC 1 » rouverte : elle vous revient`);
    expect(await openCount()).toBe(1);
  });

  it('reopened by its own facilitator while absent: rerouted, and they are told so on their queue, not « Page introuvable »', async () => {
    const { reference, client, facilitatorId, network } = await assigned();
    await client.submit(`/espace/demandes/${reference}`, `/espace/demandes/${reference}/prise-en-charge`, {});
    await client.submit(`/espace/demandes/${reference}`, `/espace/demandes/${reference}/cloture`, {
      reason: 'duplicate',
      message: GOES_ON,
    });
    await t.dataSource.query(
      `INSERT INTO facilitator_absences (id, facilitator_id, starts_on, ends_on) VALUES (gen_random_uuid(), $1, current_date, current_date + 14)`,
      [facilitatorId],
    );
    await insertFacilitator(t.dataSource, { capacity: 5, network });
    const reopened = await client.submit(`/espace/demandes/${reference}`, `/espace/demandes/${reference}/reouverture`, {});
    expect(reopened.headers.get('location')).toBe('/espace?fait=reouverture-ailleurs');
    const queue = await client.get(reopened.headers.get('location')!);
    expect(queue.status).toBe(200);
    expect(await queue.text()).toContain('Une absence est déclarée pour vous, ou votre fiche ne reçoit plus de demandes');
    expect(await status(reference)).toEqual({ status: 'assigned', close_reason: null });
  });

  it('reopens to routing while the facilitator who held it is absent: another one gets it, the buyer is told', async () => {
    const { reference, client, facilitatorId, network } = await assigned();
    await client.submit(`/espace/demandes/${reference}`, `/espace/demandes/${reference}/prise-en-charge`, {});
    await client.submit(`/espace/demandes/${reference}`, `/espace/demandes/${reference}/cloture`, {
      reason: 'duplicate',
      message: GOES_ON,
    });
    await t.dataSource.query(
      `INSERT INTO facilitator_absences (id, facilitator_id, starts_on, ends_on) VALUES (gen_random_uuid(), $1, current_date - 1, current_date + 14)`,
      [facilitatorId],
    );
    const successor = await insertFacilitator(t.dataSource, { capacity: 5, network });

    const animator = new StaffClient(t.url);
    await animator.signIn((await insertStaff(t.dataSource, { role: 'animator', networks: [network] })).email);
    expect(await (await animator.get(`/espace/demandes/${reference}`)).text()).toContain(
      'n’est pas disponible (absent ou parti) : elle sera confiée de nouveau par l’attribution automatique',
    );
    const reopened = await animator.submit(`/espace/demandes/${reference}`, `/espace/demandes/${reference}/reouverture`, {});
    expect(reopened.headers.get('location')).toBe(`/espace/demandes/${reference}?fait=reouverture-routage`);
    expect(await (await animator.get(reopened.headers.get('location')!)).text()).toContain(
      'Le facilitateur qui la suivait n’est pas disponible (parti de l’annuaire ou absent) : elle est attribuée de nouveau',
    );
    expect(await status(reference)).toEqual({ status: 'assigned', close_reason: null });
    const [{ id }] = await t.dataSource.query(`SELECT id FROM requests WHERE reference = $1`, [reference]);
    expect(
      await t.dataSource.query(
        `SELECT facilitator_id AS "facilitatorId" FROM request_assignments WHERE request_id = $1 AND ended_at IS NULL`,
        [id],
      ),
    ).toEqual([{ facilitatorId: successor }]);
    expect(await mailsTo(t, 'request-reopened')).toEqual([]);
    expect(
      await t.dataSource.query(`SELECT to_status, reason FROM request_events WHERE request_id = $1 AND type = 'reopened'`, [id]),
    ).toEqual([
      { to_status: 'submitted', reason: 'Le facilitateur qui la suivait n’est pas disponible (parti ou absent) : attribution de nouveau' },
    ]);
    await t.app.get(BuyerNotificationsService).notify(id);
    const mail = await sentMailFile(t, 'buyer-update', 'camille.martin+1@example.fr');
    expect(mail).toContain('Le facilitateur qui la suivait n’est plus disponible : elle est confiée à un autre facilitateur du réseau.');
    const history = await (await animator.get(`/espace/demandes/${reference}`)).text();
    expect(history).toContain('Rouverte');
  });

  it('reopens to routing when the facilitator’s leave starts tomorrow and covers the new deadline; a day off on the way does not', async () => {
    const { reference, client, facilitatorId } = await assigned();
    await client.submit(`/espace/demandes/${reference}`, `/espace/demandes/${reference}/prise-en-charge`, {});
    await client.submit(`/espace/demandes/${reference}`, `/espace/demandes/${reference}/cloture`, {
      reason: 'duplicate',
      message: GOES_ON,
    });
    const absence = (from: number, to: number) =>
      t.dataSource.query(
        `INSERT INTO facilitator_absences (id, facilitator_id, starts_on, ends_on) VALUES (gen_random_uuid(), $1, current_date + $2::int, current_date + $3::int)`,
        [facilitatorId, from, to],
      );
    const page = () => client.get(`/espace/demandes/${reference}`).then((r) => r.text());
    await absence(3, 3);
    expect(await page()).toContain('Clôturée par erreur ? Elle revient en cours chez');
    await t.dataSource.query(`DELETE FROM facilitator_absences WHERE facilitator_id = $1`, [facilitatorId]);
    await absence(1, 30);
    expect(await page()).toContain('n’est pas disponible (absent ou parti) : elle sera confiée de nouveau par l’attribution automatique');
  });

  it('never reopens the buyer’s withdrawal, nor a request nobody held (409, in French)', async () => {
    const { reference, staff } = await assigned();
    const token = `Bearer ${await t.app.get(StaffAuthService).createApiToken(staff.id, 'tests')}`;
    const call = (path: string, body: unknown = {}) =>
      fetch(`${t.url}/api/v1/staff/requests/${reference}${path}`, {
        method: 'POST',
        headers: { authorization: token, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await call('/close', { reason: 'withdrawn' })).status).toBe(200);
    const withdrawn = await call('/reopen');
    expect(withdrawn.status).toBe(409);
    expect((await withdrawn.json()).message).toContain('L’acheteur a retiré cette demande');

    await t.dataSource.query(`UPDATE requests SET close_reason = 'redirected', assigned_facilitator_id = NULL WHERE reference = $1`, [
      reference,
    ]);
    const admin = `Bearer ${await t.app.get(StaffAuthService).createApiToken((await insertStaff(t.dataSource, { role: 'admin' })).id, 'tests')}`;
    const nobody = await fetch(`${t.url}/api/v1/staff/requests/${reference}/reopen`, { method: 'POST', headers: { authorization: admin } });
    expect(nobody.status).toBe(409);
    expect((await nobody.json()).message).toContain('Aucun facilitateur ne suivait cette demande');
    expect(await status(reference)).toEqual({ status: 'closed', close_reason: 'redirected' });
  });

  it('refuses a form without its CSRF token, and a move the state forbids (409)', async () => {
    const { reference, client } = await assigned();
    expect((await client.post(`/espace/demandes/${reference}/notes`, { body: 'x' })).status).toBe(400);
    const early = await client.submit(`/espace/demandes/${reference}`, `/espace/demandes/${reference}/cloture`, { reason: 'answered' });
    expect(early.status).toBe(409);
    expect(await early.text()).toContain('ne peut pas être clôturée');
  });

  it('warns on the request page when an e-mail to the buyer was given up: they may lack their link', async () => {
    const { reference, client, staff } = await assigned();
    const [{ id, buyer_email: buyerEmail }] = await t.dataSource.query(`SELECT id, buyer_email FROM requests WHERE reference = $1`, [
      reference,
    ]);
    expect(await (await client.get(`/espace/demandes/${reference}`)).text()).not.toContain('id="courriels-non-remis"');
    const subject = `Votre demande ${reference} « Fournitures de bureau et loi AGEC » est bien reçue — Guichet vert`;
    await t.dataSource.query(
      `INSERT INTO mail_messages (id, request_id, template, recipient, subject, status, attempts, last_error)
       VALUES (gen_random_uuid(), $1, 'request-acknowledgement', upper($2), $3, 'abandoned', 1, $4)`,
      [id, buyerEmail, subject, '550 5.1.1 <[adresse masquée]>: user <b>unknown</b>'],
    );
    const html = await (await client.get(`/espace/demandes/${reference}`)).text();
    expect(html).toContain('<h2 class="fr-alert__title">Un courriel n’a pas pu être remis à l’acheteur</h2>');
    // The subject already quotes the purchase: set apart in italics, not in a second pair of guillemets.
    expect(html).toContain(`<em>${subject}</em>, abandonné le`);
    expect(html).toContain('(550 5.1.1 &lt;[adresse masquée]&gt;: user &lt;b&gt;unknown&lt;/b&gt;)');
    const token = `Bearer ${await t.app.get(StaffAuthService).createApiToken(staff.id, 'tests')}`;
    const page = await bodyOf(fetch(`${t.url}/api/v1/staff/requests/${reference}`, { headers: { authorization: token } }));
    expect(page.undeliveredToBuyer).toEqual([
      {
        subject,
        reason: '550 5.1.1 <[adresse masquée]>: user <b>unknown</b>',
        at: expect.any(String),
      },
    ]);
  });

  it('tells a facilitator whose request went back to the pool, or to a colleague, while they wrote, and gives back what they typed (409)', async () => {
    const { reference, client } = await assigned();
    await client.submit(`/espace/demandes/${reference}`, `/espace/demandes/${reference}/prise-en-charge`, {});
    // Meanwhile an animator puts it back to routing, which finds nobody: the network's pool, which the facilitator sees.
    await t.dataSource.query(`UPDATE requests SET status = 'unassigned', assigned_facilitator_id = NULL WHERE reference = $1`, [reference]);
    const late = await postAnswer(client, reference, { body: 'Voici ma réponse, longuement rédigée.' });
    expect(late.status).toBe(409);
    const html = await late.text();
    expect(html).toContain(
      'Cette demande ne vous est plus confiée (remise en attribution ou confiée à quelqu’un d’autre entre-temps) : rien n’a été enregistré.',
    );
    expect(html).toContain('Voici ma réponse, longuement rédigée.');
    expect(await t.dataSource.query(`SELECT 1 FROM request_messages WHERE kind = 'answer'`)).toEqual([]);

    // Given to a colleague instead: the page is no longer theirs to see, but what they typed comes back with why.
    const colleague = await insertFacilitator(t.dataSource, { capacity: 5 });
    await t.dataSource.query(`UPDATE requests SET status = 'in_progress', assigned_facilitator_id = $2 WHERE reference = $1`, [
      reference,
      colleague,
    ]);
    const gone = await postAnswer(client, reference, { body: 'Voici ma réponse, longuement rédigée.' });
    expect(gone.status).toBe(409);
    const goneHtml = await gone.text();
    expect(goneHtml).toContain('Cette demande ne vous est plus confiée');
    expect(goneHtml).toContain(
      '<blockquote id="texte-saisi" style="white-space: pre-line">Voici ma réponse, longuement rédigée.</blockquote>',
    );
    expect(goneHtml).not.toContain(String(validRequestBody(1).subject));
    // Someone who never held it learns nothing: 404.
    const stranger = await assigned();
    expect((await postAnswer(stranger.client, reference, { body: 'x' })).status).toBe(404);
  });

  it('an over-long text is never cut: the limit said in the hint, the server’s refusal gives back the whole text (400)', async () => {
    const { reference, client } = await assigned();
    await client.submit(`/espace/demandes/${reference}`, `/espace/demandes/${reference}/prise-en-charge`, {});
    const page = await (await client.get(`/espace/demandes/${reference}`)).text();
    // No hard limit in the browser (it would cut a pasted text unseen): the hint says it, the server holds it.
    expect(page).not.toMatch(/<textarea[^>]*maxlength/);
    expect(page).toContain('Mise en forme simple : **gras**, listes, liens. 10\u202f000 caractères au plus.</span>');
    expect(page).toContain('aria-live="polite"');

    const long = `${'Voici une réponse longue. '.repeat(480)}\n\nCordialement,\nCamille, facilitatrice`;
    expect(long.length).toBeGreaterThan(12_000);
    const refused = await postAnswer(client, reference, { body: long });
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain('La réponse ne doit pas dépasser 10\u202f000 caractères.');
    // Whole, its signature too (the browser's line breaks are \r\n).
    expect(html.replace(/\r\n/g, '\n')).toContain(`>${long}</textarea>`);
    expect(await t.dataSource.query(`SELECT 1 FROM request_messages WHERE kind = 'answer'`)).toEqual([]);

    // A note too: the whole text comes back with the limit it went over.
    const note = await client.submit(`/espace/demandes/${reference}`, `/espace/demandes/${reference}/notes`, {
      body: `${'Note interne détaillée. '.repeat(450)}Fin de la note.`,
    });
    expect(note.status).toBe(400);
    const noteHtml = await note.text();
    expect(noteHtml).toContain('Le texte ne doit pas dépasser 10\u202f000 caractères.');
    expect(noteHtml).toContain('Note interne détaillée. Fin de la note.</textarea>');
  });

  it('a conflict page gives back the help items by their labels and asks for the files again, page still visible or not (409)', async () => {
    const { reference, client } = await assigned();
    await client.submit(`/espace/demandes/${reference}`, `/espace/demandes/${reference}/prise-en-charge`, {});
    const typed = {
      body: 'Voici ma réponse, avec ses références.',
      'items[0][type]': 'regulation',
      'items[0][legalReferenceCode]': 'ccp-l2111-3',
      'items[0][details]': 'Votre SPASER',
      'items[1][type]': 'referral',
      'items[1][referralTarget]': 'circular_economy',
      'items[2][type]': 'tender_file',
      'items[2][attachmentId]': 'CCTP.pdf',
    };
    const files = [{ name: 'CCTP.pdf', data: samplePdf(), type: 'application/pdf' }];
    const expectGivenBack = (html: string) => {
      expect(html).toContain(
        '<ul id="aides-saisies"><li>Rappel réglementaire : Code de la commande publique, art. L2111-3 — Schéma de promotion des achats publics socialement et écologiquement responsables (SPASER) — Votre SPASER</li>' +
          '<li>Orientation vers une autre structure : Réseau d’économie circulaire</li><li>Exemple de DCE : CCTP.pdf</li></ul>',
      );
      expect(html).not.toContain('ccp-l2111-3');
      expect(html).not.toContain('circular_economy');
      expect(html).toContain('<p id="fichiers-non-envoyes">Le fichier « CCTP.pdf » n’a pas été envoyé : joignez-le de nouveau.</p>');
    };
    // Back to the pool while they wrote: the page, still theirs to see, says so above the form.
    await t.dataSource.query(`UPDATE requests SET status = 'unassigned', assigned_facilitator_id = NULL WHERE reference = $1`, [reference]);
    const late = await postAnswer(client, reference, typed, files);
    expect(late.status).toBe(409);
    expectGivenBack(await late.text());

    // Given to a colleague: the error page, no longer the request's, gives back as much.
    const colleague = await insertFacilitator(t.dataSource, { capacity: 5 });
    await t.dataSource.query(`UPDATE requests SET status = 'in_progress', assigned_facilitator_id = $2 WHERE reference = $1`, [
      reference,
      colleague,
    ]);
    const gone = await postAnswer(client, reference, typed, files);
    expect(gone.status).toBe(409);
    const goneHtml = await gone.text();
    expect(goneHtml).toContain('Cette demande ne vous est plus confiée');
    expect(goneHtml).toContain(
      '<blockquote id="texte-saisi" style="white-space: pre-line">Voici ma réponse, avec ses références.</blockquote>',
    );
    expectGivenBack(goneHtml);
    expect(await t.dataSource.query(`SELECT 1 FROM request_messages WHERE kind = 'answer'`)).toEqual([]);
  });

  it('refuses a file over 10 MB (413) and a renamed program (415) through the answer form, French', async () => {
    const { reference, client } = await assigned();
    await client.submit(`/espace/demandes/${reference}`, `/espace/demandes/${reference}/prise-en-charge`, {});
    // The form comes back with the text typed and the limit beside the files, not an error page.
    const big = await postAnswer(client, reference, { body: 'Ma réponse détaillée' }, [
      { name: 'gros.pdf', data: Buffer.alloc(10 * 1024 * 1024 + 1), type: 'application/pdf' },
    ]);
    expect(big.status).toBe(413);
    const bigHtml = await big.text();
    expect(bigHtml).toContain('Le fichier « gros.pdf » dépasse la taille maximale de 10 Mo.');
    expect(bigHtml).toContain('>Ma réponse détaillée</textarea>');
    expect(bigHtml).toContain('5 fichiers au plus, de 10 Mo au plus chacun : PDF, PNG, JPEG, ODT, ODS, DOCX ou XLSX.');
    const six = Array.from({ length: 6 }, (_, i) => ({ name: `guide-${i}.pdf`, data: samplePdf(), type: 'application/pdf' }));
    const tooMany = await postAnswer(client, reference, { body: 'Ma réponse détaillée' }, six);
    expect(tooMany.status).toBe(400);
    const tooManyHtml = await tooMany.text();
    expect(tooManyHtml).toContain('Joignez au plus 5 fichiers.');
    expect(tooManyHtml).toContain('>Ma réponse détaillée</textarea>');
    const exe = await postAnswer(client, reference, { body: 'R' }, [{ name: 'guide.pdf', data: sampleExe(), type: 'application/pdf' }]);
    expect(exe.status).toBe(415);
    expect(await exe.text()).toContain('guide.pdf');
    expect((await status(reference)).status).toBe('in_progress');
  });

  it('answers 404 on every workspace route to a facilitator and an animator of another network', async () => {
    const { reference } = await assigned();
    const otherFacilitator = await insertFacilitator(t.dataSource, { network: 'reseco' });
    const outsiders = [
      await insertStaff(t.dataSource, { role: 'facilitator', facilitatorId: otherFacilitator, networks: ['reseco'] }),
      await insertStaff(t.dataSource, { role: 'animator', networks: ['reseco'] }),
    ];
    for (const outsider of outsiders) {
      const client = new StaffClient(t.url);
      await client.signIn(outsider.email);
      const csrf = csrfIn(await (await client.get('/espace')).text());
      const hidden = await client.get(`/espace/demandes/${reference}`);
      expect(hidden.status).toBe(404);
      // The same page as for a request that does not exist, leading back to the workspace.
      const hiddenHtml = await hidden.text();
      expect(hiddenHtml).toContain('n’existe pas, ou elle n’est pas de votre ressort.');
      expect(hiddenHtml).toContain('href="/espace">Retour à l’espace</a>');
      expect(hiddenHtml).not.toContain('class="fr-btn fr-btn--tertiary" href="/suivi"');
      expect((await client.get(`/espace/demandes/${reference}/pieces-jointes/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
      for (const action of ['prise-en-charge', 'declin', 'notes', 'precision', 'cloture']) {
        expect((await client.post(`/espace/demandes/${reference}/${action}`, { _csrf: csrf, body: 'x', reason: 'duplicate' })).status).toBe(
          404,
        );
      }
    }
    const animator = await bearerFor(t, { role: 'animator', networks: ['reseco'] });
    expect((await fetch(`${t.url}/api/v1/staff/requests/${reference}`, { headers: { authorization: animator } })).status).toBe(404);
    expect(
      (
        await fetch(`${t.url}/api/v1/staff/requests/${reference}/notes`, {
          method: 'POST',
          headers: { authorization: animator, 'content-type': 'application/json' },
          body: '{"body":"x"}',
        })
      ).status,
    ).toBe(404);
  });

  it('declines with a reason, which hands the request back to routing', async () => {
    const { reference, client } = await assigned();
    const missing = await client.submit(`/espace/demandes/${reference}`, `/espace/demandes/${reference}/declin`, {});
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('Choisissez le motif de votre refus.');
    expect(
      (await client.submit(`/espace/demandes/${reference}`, `/espace/demandes/${reference}/declin`, { reason: 'unavailable' })).status,
    ).toBe(303);
    expect(['unassigned', 'submitted']).toContain((await status(reference)).status);
  });

  it('gives back a request taken in charge, with a word the next facilitator reads; the buyer is told', async () => {
    const { reference, trackingUrl, client, facilitatorId } = await assigned();
    const page = `/espace/demandes/${reference}`;
    expect((await client.submit(page, `${page}/prise-en-charge`, {})).status).toBe(303);
    const taken = await (await client.get(page)).text();
    expect(taken).toContain('Rendre la demande : motif');
    expect(taken).toContain('Une fois la réponse envoyée, c’est l’animateur du réseau qui la confie à un autre facilitateur.');
    const next = await insertFacilitator(t.dataSource, { capacity: 5, firstName: 'Alix' });
    // It had come from the other desk before: that older hand-over's word is not repeated after the give-back.
    await t.dataSource.query(
      `INSERT INTO request_events (request_id, type, from_status, to_status, actor_type, reason, is_public)
       SELECT id, 'transferred', 'in_progress', 'submitted', 'staff', 'Transférée depuis les clauses sociales : hors sujet.', false
         FROM requests WHERE reference = $1`,
      [reference],
    );

    const missing = await client.submit(page, `${page}/declin`, {});
    expect(missing.status).toBe(400);
    const refused = await missing.text();
    expect(refused).toContain('Choisissez pourquoi vous rendez la demande.');
    expect(refused).toContain('Dites au facilitateur suivant où en est la demande.');
    expect((await status(reference)).status).toBe('in_progress');

    const word = 'Arrêt maladie imprévu. L’acheteur attend surtout un exemple de DCE <b>récent</b>';
    const given = await client.submit(page, `${page}/declin`, { reason: 'unavailable', note: word });
    expect(given.status).toBe(303);
    expect(given.headers.get('location')).toBe('/espace?fait=rendue');
    expect(await (await client.get('/espace?fait=rendue')).text()).toContain('Vous avez rendu la demande');
    expect((await client.get(page)).status).toBe(404);

    // Routed again at once, never to the one who gave it back: the only other facilitator gets it, and the word.
    const [moved] = await t.dataSource.query(
      `SELECT r.status, r.assigned_facilitator_id AS holder, a.end_reason, a.decline_reason,
              (SELECT reason FROM request_events e WHERE e.request_id = r.id AND e.type = 'given_back') AS history
         FROM requests r JOIN request_assignments a ON a.request_id = r.id AND a.facilitator_id = $2
        WHERE r.reference = $1`,
      [reference, facilitatorId],
    );
    expect(moved).toEqual({
      status: 'assigned',
      holder: next,
      end_reason: 'declined',
      decline_reason: 'unavailable',
      history: `Indisponible : ${word}`,
    });
    const mail = await sentMailFile(t, 'facilitator-assignment', `facilitateur-${next}@example.org`);
    expect(mail).toContain('Dominique l’avait prise en charge puis l’a rendue ; son mot : « Indisponible : Arrêt maladie imprévu.');
    expect(mail).toContain('&lt;b&gt;récent&lt;/b&gt;');
    expect(mail).not.toContain('Transférée depuis les clauses sociales');
    // The request's page, as the network reads it: who gave it back, and their word in the history.
    const animator = new StaffClient(t.url);
    const network = await insertStaff(t.dataSource, { role: 'animator', networks: ['aura-ee'] });
    expect((await animator.signIn(network.email)).status).toBe(303);
    const seen = await (await animator.get(page)).text();
    expect(seen).toContain('A rendu la demande');
    expect(seen).toContain('Rendue par le facilitateur après sa prise en charge');
    expect(await (await fetch(trackingUrl)).text()).toContain('— Transmise à un autre facilitateur</li>');

    // Their next try, from a page left open, says it is no longer theirs.
    const again = await client.post(`${page}/declin`, { _csrf: csrfIn(refused), reason: 'unavailable', note: word });
    expect(again.status).toBe(409);

    // Handed back to them later by the network: their own note is not quoted to them.
    const reassigned = await fetch(`${t.url}/api/v1/staff/requests/${reference}/reassign`, {
      method: 'POST',
      headers: { authorization: await bearerFor(t, { role: 'animator', networks: ['aura-ee'] }), 'content-type': 'application/json' },
      body: JSON.stringify({ facilitatorId, reason: 'De retour plus tôt que prévu.' }),
    });
    expect(reassigned.status).toBe(200);
    const back = await sentMailFile(t, 'facilitator-assignment', `facilitateur-${facilitatorId}@example.org`, 2);
    expect(back).toContain('vous la confie : « De retour plus tôt que prévu. »');
    expect(back).not.toContain('l’a rendue');
  });

  it('completes a sent answer from the page: the form says so, the status stays, the notice says the buyer’s time starts again', async () => {
    const { reference, client } = await assigned();
    const page = `/espace/demandes/${reference}`;
    expect((await client.submit(page, `${page}/prise-en-charge`, {})).status).toBe(303);
    expect((await postAnswer(client, reference, { body: 'Voici la réponse.' })).status).toBe(303);
    const html = await (await client.get(page)).text();
    expect(html).toContain('<h2 id="titre-reponse">Compléter la réponse</h2>');
    expect(html).toContain('Envoyer le complément');
    expect(html).toContain('<input type="hidden" name="complement" value="true">');
    // Written from a page left open while the buyer replied: not sent, their message first, the text given back.
    const [{ id }] = await t.dataSource.query(`SELECT id FROM requests WHERE reference = $1`, [reference]);
    await t.dataSource.query(`UPDATE requests SET status = 'in_progress' WHERE id = $1`, [id]);
    const stale = await postAnswer(client, reference, { body: 'Et le guide promis.', complement: 'true' });
    expect(stale.status).toBe(409);
    const staleHtml = await stale.text();
    expect(staleHtml).toContain('L’acheteur a répondu entre-temps : votre complément n’est pas envoyé.');
    expect(staleHtml).toContain('Et le guide promis.');
    await t.dataSource.query(`UPDATE requests SET status = 'answered' WHERE id = $1`, [id]);
    const sent = await postAnswer(client, reference, { body: 'Et le guide promis.', complement: 'true' }, [
      { name: 'guide.pdf', data: samplePdf(), type: 'application/pdf' },
    ]);
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe(`${page}?fait=complement`);
    expect(await (await client.get(`${page}?fait=complement`)).text()).toContain('Votre complément est envoyé à l’acheteur');
    expect(await status(reference)).toEqual({ status: 'answered', close_reason: null });
    const [{ answers }] = await t.dataSource.query(
      `SELECT count(*)::int AS answers FROM request_messages m JOIN requests r ON r.id = m.request_id WHERE r.reference = $1 AND m.kind = 'answer'`,
      [reference],
    );
    expect(answers).toBe(2);
  });

  it('gives back to a colleague of their choice, among those who can take it now; one who cannot is refused, nothing moves', async () => {
    const { reference, client, staff, facilitatorId: holderId } = await assigned();
    const page = `/espace/demandes/${reference}`;
    expect((await client.submit(page, `${page}/prise-en-charge`, {})).status).toBe(303);
    const alix = await insertFacilitator(t.dataSource, { capacity: 5, firstName: 'Alix' });
    const full = await insertFacilitator(t.dataSource, { capacity: 1, firstName: 'Camille' });
    await t.dataSource.query(`UPDATE facilitators SET open_count = 1 WHERE id = $1`, [full]);
    const html = await (await client.get(page)).text();
    expect(html).toContain(`<option value="${alix}">Alix Test (0 en cours sur 5)</option>`);
    expect(html).not.toContain(`<option value="${full}">`);

    // Through the API, the same list; a colleague who is full meanwhile is refused by field, the request stays.
    const token = `Bearer ${await t.app.get(StaffAuthService).createApiToken(staff.id, 'tests')}`;
    const shown = await (await fetch(`${t.url}/api/v1/staff/requests/${reference}`, { headers: { authorization: token } })).json();
    expect(shown.colleagues).toEqual([{ id: alix, name: 'Alix Test', openCount: 0, capacity: 5 }]);
    const decline = (body: unknown) =>
      fetch(`${t.url}/api/v1/staff/requests/${reference}/decline`, {
        method: 'POST',
        headers: { authorization: token, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const note = 'Alix connaît bien la restauration collective.';
    expect((await decline({ reason: 'not_my_expertise', note, facilitatorId: 'alix' })).status).toBe(400);
    const unknown = await decline({ reason: 'not_my_expertise', note, facilitatorId: '00000000-0000-4000-8000-000000000000' });
    expect([unknown.status, (await unknown.json()).errors]).toEqual([
      400,
      [{ field: 'facilitatorId', message: 'Choisissez un collègue de la liste.' }],
    ]);
    // One who let it go before (here declined it): neither listed nor accepted.
    const sacha = await insertFacilitator(t.dataSource, { capacity: 5, firstName: 'Sacha' });
    await t.dataSource.query(
      `INSERT INTO request_assignments (id, request_id, facilitator_id, assigned_at, take_charge_due_at, ended_at, end_reason)
       SELECT gen_random_uuid(), id, $2, now(), now(), now(), 'declined' FROM requests WHERE reference = $1`,
      [reference, sacha],
    );
    expect(
      (await (await fetch(`${t.url}/api/v1/staff/requests/${reference}`, { headers: { authorization: token } })).json()).colleagues,
    ).toEqual([{ id: alix, name: 'Alix Test', openCount: 0, capacity: 5 }]);
    const excluded = await decline({ reason: 'not_my_expertise', note, facilitatorId: sacha });
    expect(excluded.status).toBe(409);
    expect((await excluded.json()).message).toContain('Ce collègue a déjà eu cette demande : choisissez-en un autre');
    const self = await decline({ reason: 'not_my_expertise', note, facilitatorId: holderId });
    expect(self.status).toBe(409);
    expect((await self.json()).message).toContain('Vous ne pouvez pas vous la confier');
    const refused = await decline({ reason: 'not_my_expertise', note, facilitatorId: full });
    expect(refused.status).toBe(409);
    expect((await refused.json()).errors).toEqual([{ field: 'facilitatorId', message: expect.any(String) }]);
    expect((await status(reference)).status).toBe('in_progress');

    const given = await client.submit(page, `${page}/declin`, { reason: 'not_my_expertise', note, facilitatorId: alix });
    expect(given.status).toBe(303);
    expect(given.headers.get('location')).toBe('/espace?fait=rendue');
    const [held] = await t.dataSource.query(`SELECT status, assigned_facilitator_id AS holder FROM requests WHERE reference = $1`, [
      reference,
    ]);
    expect(held).toEqual({ status: 'assigned', holder: alix });
    const mail = await sentMailFile(t, 'facilitator-assignment', `facilitateur-${alix}@example.org`);
    expect(mail).toContain(`Dominique vous la confie : « ${note} »`);
    expect(mail).not.toContain('l’a rendue');
  });

  it('gives back through the API: the note is required once taken in charge, the pool takes it when no one else can', async () => {
    const { reference, staff } = await assigned();
    const token = `Bearer ${await t.app.get(StaffAuthService).createApiToken(staff.id, 'tests')}`;
    const call = (path: string, body?: unknown) =>
      fetch(`${t.url}/api/v1/staff/requests/${reference}${path}`, {
        method: 'POST',
        headers: { authorization: token, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
    expect((await call('/take-charge')).status).toBe(200);
    const shown = await (await fetch(`${t.url}/api/v1/staff/requests/${reference}`, { headers: { authorization: token } })).json();
    expect(shown.actions).toMatchObject({ decline: false, giveBack: true });

    const noNote = await call('/decline', { reason: 'not_my_expertise' });
    expect(noNote.status).toBe(400);
    expect((await noNote.json()).errors).toEqual([{ field: 'note', message: 'Dites au facilitateur suivant où en est la demande.' }]);
    expect((await call('/decline', { reason: 'not_my_expertise', note: 'x', comment: 'y' })).status).toBe(400);

    const given = await call('/decline', { reason: 'not_my_expertise', note: 'Question de droit du travail, pas d’achat durable.' });
    expect(given.status).toBe(200);
    expect(await given.json()).toEqual({ reference, declined: true, givenBack: true });
    expect((await status(reference)).status).toBe('unassigned');
  });

  it('answers with files through the API (multipart, bearer): 413, 415 and 400 by field, nothing half-written', async () => {
    const { reference, staff } = await assigned();
    const token = `Bearer ${await t.app.get(StaffAuthService).createApiToken(staff.id, 'tests')}`;
    const [{ id }] = await t.dataSource.query(`SELECT id FROM requests WHERE reference = $1`, [reference]);
    const answer = (body: string, files: Array<{ name: string; data: Buffer }>) => {
      const form = new FormData();
      form.append('body', body);
      form.append('items[0][type]', 'tender_file');
      form.append('items[0][title]', 'DCE d’un collège voisin');
      form.append('items[0][attachmentId]', 'DCE.pdf');
      form.append('items[1][type]', 'regulation');
      form.append('items[1][legalReferenceCode]', 'ccp-l2111-1');
      for (const file of files) form.append('fichiers', new Blob([new Uint8Array(file.data)], { type: 'application/pdf' }), file.name);
      return fetch(`${t.url}/api/v1/staff/requests/${reference}/answer`, { method: 'POST', headers: { authorization: token }, body: form });
    };
    const written = async () =>
      (
        await t.dataSource.query(
          `SELECT (SELECT count(*)::int FROM request_messages WHERE request_id = $1 AND kind = 'answer') AS answers,
                  (SELECT count(*)::int FROM attachments WHERE request_id = $1) AS files,
                  (SELECT count(*)::int FROM answer_help_items) AS items,
                  (SELECT status FROM requests WHERE id = $1) AS status`,
          [id],
        )
      )[0];
    expect(
      (await fetch(`${t.url}/api/v1/staff/requests/${reference}/take-charge`, { method: 'POST', headers: { authorization: token } }))
        .status,
    ).toBe(200);
    const nothing = { answers: 0, files: 0, items: 0, status: 'in_progress' };

    const big = await answer('Voici', [
      { name: 'DCE.pdf', data: samplePdf() },
      { name: 'gros.pdf', data: Buffer.alloc(10 * 1024 * 1024 + 1) },
    ]);
    expect(big.status).toBe(413);
    expect((await big.json()).errors).toEqual([{ field: 'fichiers', message: expect.stringContaining('dépasse la taille maximale') }]);
    expect(await written()).toEqual(nothing);

    const program = await answer('Voici', [
      { name: 'DCE.pdf', data: samplePdf() },
      { name: 'guide.pdf', data: sampleExe() },
    ]);
    expect(program.status).toBe(415);
    expect((await program.json()).errors).toEqual([
      { field: expect.stringMatching(/^fichiers/), message: expect.stringContaining('guide.pdf') },
    ]);
    expect(await written()).toEqual(nothing);

    // A file under another field's name: the client reads which field takes files.
    const misnamed = new FormData();
    misnamed.append('body', 'Voici');
    misnamed.append('piece', new Blob([new Uint8Array(samplePdf())], { type: 'application/pdf' }), 'DCE.pdf');
    const wrongField = await fetch(`${t.url}/api/v1/staff/requests/${reference}/answer`, {
      method: 'POST',
      headers: { authorization: token },
      body: misnamed,
    });
    expect(wrongField.status).toBe(400);
    expect((await wrongField.json()).errors).toEqual([
      { field: 'fichiers', message: 'Les fichiers s’envoient dans le champ « fichiers » : le champ « piece » n’en reçoit pas.' },
    ]);
    expect(await written()).toEqual(nothing);

    const blank = await answer('', [{ name: 'DCE.pdf', data: samplePdf() }]);
    expect(blank.status).toBe(400);
    expect((await blank.json()).errors.map((e: { field: string }) => e.field)).toEqual(['body']);
    expect(await written()).toEqual(nothing);

    const done = await answer('Voici **la réponse**', [{ name: 'DCE.pdf', data: samplePdf() }]);
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ reference, status: 'answered' });
    expect(await written()).toEqual({ answers: 1, files: 1, items: 2, status: 'answered' });
    const [file] = await t.dataSource.query(
      `SELECT a.file_name AS "fileName", c.content FROM attachments a JOIN attachment_contents c ON c.attachment_id = a.id JOIN answer_help_items i ON i.attachment_id = a.id WHERE a.request_id = $1`,
      [id],
    );
    expect(file.fileName).toBe('DCE.pdf');
    expect(Buffer.compare(file.content, samplePdf())).toBe(0);

    // The request as the API shows it, help items and files included, key for key as OpenAPI documents them.
    const detail = await bodyOf(fetch(`${t.url}/api/v1/staff/requests/${reference}`, { headers: { authorization: token } }));
    const schemas = (await bodyOf(fetch(`${t.url}/api/docs-json`))).components.schemas;
    const documented = (name: string) => Object.keys(schemas[name].properties).sort();
    const keys = (value: object) => Object.keys(value).sort();
    const [answered] = detail.messages;
    expect(answered.items.map((i: { type: string }) => i.type)).toEqual(['tender_file', 'regulation']);
    for (const item of answered.items) expect(keys(item)).toEqual(documented('StaffHelpItemDto'));
    expect(keys(answered.items[0].attachment)).toEqual(documented('StaffFileDto'));
    expect(keys(answered.items[1].legalReference)).toEqual(documented('TrackedLegalReferenceDto'));
    expect(detail.attachments).toHaveLength(1);
    expect(keys(detail.attachments[0])).toEqual(documented('StaffAttachmentDto'));
  });

  it('shows a State buyer’s answer about their internal referent; the footer leads staff to sign in', async () => {
    const { reference, client } = await assigned((body) => {
      (body.buyer as Record<string, unknown>).organisationType = 'state_administration';
      body.internalReferentConsulted = true;
    });
    const page = await (await client.get(`/espace/demandes/${reference}`)).text();
    expect(page).toContain('<li id="referent-interne">Référent achats responsables de son administration consulté d’abord : oui</li>');
    expect(await (await fetch(`${t.url}/`)).text()).toContain(
      '<a class="fr-footer__bottom-link" href="/connexion">Espace de l’équipe du guichet</a>',
    );
    const other = await assigned();
    expect(await (await other.client.get(`/espace/demandes/${other.reference}`)).text()).not.toContain('referent-interne');
  });

  it('answers while awaiting the buyer’s precision (given by phone): the wait ends, counted as a pause; the buyer gets the answer', async () => {
    const { reference, client, staff, trackingUrl } = await assigned();
    const token = `Bearer ${await t.app.get(StaffAuthService).createApiToken(staff.id, 'tests')}`;
    const call = (path: string, body: unknown) =>
      fetch(`${t.url}/api/v1/staff/requests/${reference}${path}`, {
        method: 'POST',
        headers: { authorization: token, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await call('/take-charge', {})).status).toBe(200);
    expect((await call('/clarification', { body: 'Quel est le volume annuel ?' })).status).toBe(200);
    // The buyer's time counts as a pause: the answer deadline passed meanwhile, the answer is still on time.
    await t.dataSource.query(
      `UPDATE request_assignments SET taken_at = now() - interval '30 days', answer_due_at = now() - interval '20 days'
        WHERE request_id = (SELECT id FROM requests WHERE reference = $1)`,
      [reference],
    );
    await t.dataSource.query(
      `UPDATE request_events SET created_at = now() - interval '29 days'
        WHERE request_id = (SELECT id FROM requests WHERE reference = $1) AND to_status = 'awaiting_buyer'`,
      [reference],
    );
    const page = await (await client.get(`/espace/demandes/${reference}`)).text();
    expect(page).toContain('id="reponse-sans-precision"');
    const answered = await postAnswer(client, reference, { body: 'Au téléphone, vous m’avez donné 2 000 ramettes : voici nos conseils.' });
    expect(answered.status).toBe(303);
    expect(await status(reference)).toEqual({ status: 'answered', close_reason: null });
    const [milestones] = await t.dataSource.query(
      `SELECT r.answered_on_time AS "onTime", ra.answer_due_at > now() AS "movedOn"
         FROM requests r JOIN request_assignments ra ON ra.request_id = r.id AND ra.ended_at IS NULL WHERE r.reference = $1`,
      [reference],
    );
    expect(milestones).toEqual({ onTime: true, movedOn: true });
    const events = await t.dataSource.query(
      `SELECT type, from_status, to_status FROM request_events WHERE request_id = (SELECT id FROM requests WHERE reference = $1) ORDER BY id`,
      [reference],
    );
    expect(events.at(-1)).toEqual({ type: 'answered', from_status: 'awaiting_buyer', to_status: 'answered' });
    const tracked = await bodyOf(
      fetch(`${t.url}/api/v1/requests/${reference}`, { headers: { 'x-tracking-token': new URL(trackingUrl).searchParams.get('t')! } }),
    );
    expect(tracked.status).toBe('answered');
    expect(tracked.conversation.map((m: { kind: string }) => m.kind)).toEqual(['clarification_question', 'answer']);
    expect(tracked.actions).toMatchObject({ clarify: false, reply: true });
  });

  it('offers the same actions to scripts with a bearer token', async () => {
    const { reference, staff } = await assigned();
    const token = `Bearer ${await t.app.get(StaffAuthService).createApiToken(staff.id, 'tests')}`;
    const call = (path: string, body?: unknown, headers: Record<string, string> = {}) =>
      fetch(`${t.url}/api/v1/staff/requests${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: token, 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const list = await bodyOf(call('?status=assigned'));
    expect(list.items.map((i: { reference: string }) => i.reference)).toEqual([reference]);
    expect((await call(`/${reference}/answer`, { body: 'trop tôt' })).status).toBe(409);
    expect((await bodyOf(call(`/${reference}/take-charge`, {}))).status).toBe('in_progress');
    const invalid = await call(`/${reference}/answer`, { body: '', items: [{ type: 'peer', peerName: 'A' }] });
    expect(invalid.status).toBe(400);
    const fields = (await invalid.json()).errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body', 'items[0].peerConsent']));
    // What is not an item is refused, not left out: the answer would have gone without it.
    const malformed = await call(`/${reference}/answer`, {
      body: 'Voici la réponse.',
      items: [null, { type: 'guide', title: 'Guide', url: 'https://exemple.fr/guide', details: { a: 1 }, bogus: 1 }],
    });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).errors.map((e: { field: string }) => e.field)).toEqual([
      'items[0]',
      'items[1].details',
      'items[1].bogus',
    ]);
    expect((await call(`/${reference}/answer`, { body: 'Voici la réponse.', items: 'x' })).status).toBe(400);
    // A field the answer does not take (a misspelt `item`, a figure it has no place for): refused, not sent without it.
    const misspelt = await call(`/${reference}/answer`, { body: 'Voici la réponse.', item: [{ type: 'guide' }], insertionHours: 350 });
    expect(misspelt.status).toBe(400);
    expect((await misspelt.json()).errors).toEqual([
      { field: 'item', message: expect.stringContaining('inconnu') },
      { field: 'insertionHours', message: expect.stringContaining('inconnu') },
    ]);
    expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM request_messages WHERE kind = 'answer'`))[0].n).toBe(0);
    expect((await call(`/${reference}/notes`, { body: 'note' })).status).toBe(201);
    // A retry under its Idempotency-Key stores it once.
    for (let i = 0; i < 2; i++)
      expect((await call(`/${reference}/notes`, { body: 'note rejouée' }, { 'idempotency-key': 'note-0001-abc' })).status).toBe(201);
    expect(await t.dataSource.query(`SELECT body FROM request_messages WHERE kind = 'internal_note' ORDER BY created_at`)).toEqual([
      { body: 'note' },
      { body: 'note rejouée' },
    ]);
    expect((await bodyOf(call(`/${reference}/clarification`, { body: 'Précisez' }))).status).toBe('awaiting_buyer');
    // Seconds after the precision is asked, « no news from the buyer » would cut their time short: the window's end sets it.
    const early = await call(`/${reference}/close`, { reason: 'no_reply' });
    expect(early.status).toBe(400);
    expect((await early.json()).errors).toEqual([
      { field: 'reason', message: expect.stringContaining('est posé automatiquement quand l’acheteur laisse passer son délai') },
    ]);
    expect((await t.dataSource.query(`SELECT status FROM requests WHERE reference = $1`, [reference]))[0].status).toBe('awaiting_buyer');
    const notText = await call(`/${reference}/close`, { reason: 'withdrawn', message: 42 });
    expect(notText.status).toBe(400);
    expect((await notText.json()).errors).toEqual([{ field: 'message', message: 'Écrivez un texte.' }]);
    const closed = await bodyOf(call(`/${reference}/close`, { reason: 'withdrawn' }));
    expect(closed).toEqual({ reference, status: 'closed', closeReason: 'withdrawn' });
    // The answers and the bodies are those OpenAPI documents.
    const document = await bodyOf(fetch(`${t.url}/api/docs-json`));
    const close = document.paths['/api/v1/staff/requests/{reference}/close'].post;
    expect(close.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/StaffActionResultDto' });
    expect(Object.keys(closed).sort()).toEqual(Object.keys(document.components.schemas.StaffActionResultDto.properties).sort());
    expect(close.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/CloseBodyDto' });
    expect(document.components.schemas.CloseBodyDto.properties.reason.enum).toEqual(CLOSE_REASONS.filter((r) => r !== 'no_reply'));
    const answer = document.paths['/api/v1/staff/requests/{reference}/answer'].post;
    expect(Object.keys(answer.requestBody.content).sort()).toEqual(['application/json', 'multipart/form-data']);
    expect(Object.keys(document.components.schemas.HelpItemBodyDto.properties).sort()).toEqual(
      ['type', ...new Set(Object.values(HELP_ITEM_FIELDS).flat())].sort(),
    );
    const detail = await bodyOf(call(`/${reference}`));
    expect(detail.request.status).toBe('closed');
    const show = document.paths['/api/v1/staff/requests/{reference}'].get;
    expect(show.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/StaffRequestPageDto' });
    const documented = (name: string) => Object.keys(document.components.schemas[name].properties).sort();
    const keys = (value: object) => Object.keys(value).sort();
    expect(keys(detail)).toEqual(documented('StaffRequestPageDto'));
    expect(keys(detail.request)).toEqual(documented('StaffRequestDto'));
    expect(keys(detail.deadlines)).toEqual(documented('RequestDeadlinesDto'));
    expect(keys(detail.actions)).toEqual(documented('PermittedActionsDto'));
    for (const event of detail.history) expect(keys(event)).toEqual(documented('HistoryEventDto'));
    for (const message of detail.messages) expect(keys(message)).toEqual(documented('StaffMessageDto'));
    expect(detail.messages.map((m: { kind: string }) => m.kind)).toEqual(['internal_note', 'internal_note', 'clarification_question']);
  });
});
