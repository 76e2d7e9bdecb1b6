import { helpItemOf } from '../../src/modules/requests/request-message.types';
import { RetentionService } from '../../src/modules/retention/retention.service';
import { staffWrites, submittedAndTaken, TrackedTestRequest } from '../support/conversation';
import { samplePdf } from '../support/sample-files';
import { bearerFor, insertStaff, StaffClient } from '../support/staff';
import { closeAs } from '../support/surveys';
import { TestApp, useTestApp } from '../support/test-app';

describe('retention: personal data erased once the period after closure is over', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app), {}, { api: true, worker: true });

  /** Answered with a file, closed, its surveys given free text as a buyer's answers would: everything a closure leaves. */
  async function closedWithEverything(n: number): Promise<TrackedTestRequest> {
    const request = await submittedAndTaken(t, n);
    const items = [
      helpItemOf('guide', { title: 'Guide de l’achat public durable', url: 'https://www.ecologie.gouv.fr/guide-achat' }),
      helpItemOf('peer', {
        peerName: 'Dominique Petit',
        peerOrganisation: 'Ville de Lyon',
        peerContact: 'd.petit@example.fr',
        peerConsent: true,
      }),
    ];
    await staffWrites(t, request, 'answer', 'Bonjour Camille, voici la réponse.', items, [{ name: 'guide.pdf', content: samplePdf() }]);
    await closeAs(t, request, 'answered');
    await t.dataSource.query(
      `UPDATE surveys SET usefulness = 'yes', comment = 'Merci Camille Martin', review_note = 'à citer',
              contract_reference = 'MAPA-2027-012', token_hash = sha256(convert_to(id::text, 'UTF8')), token_sealed = '\\x02' WHERE request_id = $1`,
      [request.id],
    );
    await t.dataSource.query(`UPDATE request_events SET reason = 'motif saisi par une personne' WHERE request_id = $1`, [request.id]);
    return request;
  }
  const closedAgo = (request: TrackedTestRequest, interval: string) =>
    t.dataSource.query(`UPDATE requests SET closed_at = now() - $2::interval WHERE id = $1`, [request.id, interval]);
  const tracking = (request: TrackedTestRequest) =>
    fetch(`${t.url}/api/v1/requests/${request.reference}`, { headers: { 'X-Tracking-Token': request.token } });
  const count = async (table: string, request: TrackedTestRequest) =>
    Number((await t.dataSource.query(`SELECT count(*) AS n FROM ${table} WHERE request_id = $1`, [request.id]))[0].n);

  it('erases the buyer, the conversation, files, e-mails and free text of requests closed over three years ago, once', async () => {
    const old = await closedWithEverything(1);
    const recent = await closedWithEverything(2);
    const open = await submittedAndTaken(t, 3);
    await closedAgo(old, '3 years 1 day');
    await closedAgo(recent, '2 years 364 days');
    await t.dataSource.query(`UPDATE requests SET created_at = now() - interval '5 years' WHERE id = $1`, [open.id]);
    expect(await count('mail_messages', old)).toBeGreaterThan(0);
    expect((await tracking(old)).status).toBe(200);

    expect(await t.app.get(RetentionService).anonymiseDue()).toBe(1);

    const [row] = await t.dataSource.query(
      `SELECT buyer_first_name, buyer_last_name, buyer_email, buyer_phone, organisation_name, siret, subject, question,
              tracking_token_sealed, anonymised_at, status, kind, segment_code, department_code, organisation_type, closed_at
         FROM requests WHERE id = $1`,
      [old.id],
    );
    expect(row).toMatchObject({
      buyer_first_name: '',
      buyer_last_name: '',
      buyer_email: '',
      buyer_phone: null,
      organisation_name: '',
      siret: null,
      subject: 'Demande anonymisée',
      question: '',
      tracking_token_sealed: null,
      status: 'closed',
      kind: 'environmental',
      organisation_type: 'local_authority',
    });
    expect(row.anonymised_at).not.toBeNull();
    expect(row.closed_at).not.toBeNull();
    expect(await t.dataSource.query(`SELECT DISTINCT body FROM request_messages WHERE request_id = $1`, [old.id])).toEqual([{ body: '' }]);
    expect(await count('attachments', old)).toBe(0);
    expect(
      await t.dataSource.query(
        `SELECT h.type, h.title, h.peer_name, h.peer_organisation, h.peer_contact, h.attachment_id
           FROM answer_help_items h JOIN request_messages m ON m.id = h.message_id WHERE m.request_id = $1 ORDER BY h.position`,
        [old.id],
      ),
    ).toEqual([
      {
        type: 'guide',
        title: 'Guide de l’achat public durable',
        peer_name: null,
        peer_organisation: null,
        peer_contact: null,
        attachment_id: null,
      },
      { type: 'peer', title: null, peer_name: null, peer_organisation: null, peer_contact: null, attachment_id: null },
    ]);
    expect(Number((await t.dataSource.query(`SELECT count(*) AS n FROM attachment_contents`))[0].n)).toBe(1); // the recent one's
    expect(await count('mail_messages', old)).toBe(0);
    const surveys = await t.dataSource.query(
      `SELECT DISTINCT usefulness, comment, review_note, contract_reference, token_hash, token_sealed FROM surveys WHERE request_id = $1`,
      [old.id],
    );
    expect(surveys).toEqual([
      { usefulness: 'yes', comment: null, review_note: null, contract_reference: null, token_hash: null, token_sealed: null },
    ]);
    expect(
      await t.dataSource.query(`SELECT DISTINCT reason FROM request_events WHERE request_id = $1 AND type <> 'personal_data_erased'`, [
        old.id,
      ]),
    ).toEqual([{ reason: null }]);
    expect(
      await t.dataSource.query(
        `SELECT actor_type, actor_id, reason, is_public FROM request_events WHERE request_id = $1 AND type = 'personal_data_erased'`,
        [old.id],
      ),
    ).toEqual([{ actor_type: 'system', actor_id: null, reason: 'retention_period', is_public: false }]);
    // The buyer's own link says why it opens nothing more; the page likewise, any other token still reads 404.
    const gone = await tracking(old);
    expect(gone.status).toBe(410);
    expect((await gone.json()).message).toBe(
      'Les données personnelles de cette demande ont été effacées : sa page de suivi n’est plus disponible. Pour une nouvelle question, déposez une nouvelle demande.',
    );
    const erasedPage = await fetch(`${t.url}/suivi/${old.reference}?t=${old.token}`);
    expect(erasedPage.status).toBe(410);
    expect(await erasedPage.text()).toContain('sa page de suivi n’est plus disponible');
    // Titled for what it is, not as an error.
    const erasedHtml = await (await fetch(`${t.url}/suivi/${old.reference}?t=${old.token}`)).text();
    expect(erasedHtml).toContain('<h1>Données effacées</h1>');
    expect(erasedHtml).not.toContain('Une erreur est survenue');
    expect((await fetch(`${t.url}/suivi/${old.reference}?t=${'x'.repeat(43)}`)).status).toBe(404);

    // Staff still find the request, with its category, place and dates, and are told why the rest is gone.
    const admin = await bearerFor(t, { role: 'admin' });
    const shown = await fetch(`${t.url}/api/v1/staff/requests/${old.reference}`, { headers: { authorization: admin } });
    expect(shown.status).toBe(200);
    const { request: detail } = await shown.json();
    expect(detail).toMatchObject({ buyerEmail: '', question: '', departmentCode: '38', status: 'closed' });
    expect(detail.anonymisedAt).not.toBeNull();
    const staff = new StaffClient(t.url);
    await staff.signIn((await insertStaff(t.dataSource, { role: 'admin' })).email);
    const page = await (await staff.get(`/espace/demandes/${old.reference}`)).text();
    expect(page).toContain('Données personnelles effacées le');
    expect(page).not.toContain('mailto:');

    // Closed under three years ago, or not closed at all however old: untouched.
    for (const kept of [recent, open]) {
      const [{ buyer_email, question, anonymised_at }] = await t.dataSource.query(
        `SELECT buyer_email, question, anonymised_at FROM requests WHERE id = $1`,
        [kept.id],
      );
      expect(buyer_email).toContain('@');
      expect(question.length).toBeGreaterThan(20);
      expect(anonymised_at).toBeNull();
      expect((await tracking(kept)).status).toBe(200);
    }
    expect(await count('attachments', recent)).toBe(1);
    expect(await t.dataSource.query(`SELECT comment FROM surveys WHERE request_id = $1 LIMIT 1`, [recent.id])).toEqual([
      { comment: 'Merci Camille Martin' },
    ]);

    expect(await t.app.get(RetentionService).anonymiseDue()).toBe(0);
  });

  it('follows PERSONAL_DATA_RETENTION_YEARS, which the privacy notice states', async () => {
    const html = await (await fetch(`${t.url}/confidentialite`)).text();
    expect(html).toContain('3 ans après la clôture de la demande');
  });
});
