import { mailsTo, submittedAndTaken } from '../support/conversation';
import { StaffAuthService } from '../../src/modules/accounts/staff-auth.service';
import { bearerFor, insertStaff, StaffClient } from '../support/staff';
import { closedAsAnswered } from '../support/surveys';
import { bodyOf, TestApp, useTestApp } from '../support/test-app';

/** The right to rectification, and the way out of a mistyped address: staff correct, the mail follows. */
describe('correcting the buyer’s contact details', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app));

  const buyerOf = async (id: string) =>
    (
      await t.dataSource.query(
        `SELECT buyer_first_name AS "firstName", buyer_last_name AS "lastName", buyer_email AS email, buyer_phone AS phone,
                organisation_name AS "organisationName" FROM requests WHERE id = $1`,
        [id],
      )
    )[0];

  it('the holder corrects a mistyped address: the acknowledgement it refused goes again, to the new one', async () => {
    const request = await submittedAndTaken(t, 1);
    // The old address refused the acknowledgement for good.
    await t.dataSource.query(`UPDATE mail_messages SET status = 'abandoned', last_error = '550 5.1.1 user unknown' WHERE request_id = $1`, [
      request.id,
    ]);
    const holder = await insertStaff(t.dataSource, { role: 'facilitator', facilitatorId: request.facilitatorId, networks: ['aura-ee'] });
    const c = new StaffClient(t.url);
    expect((await c.signIn(holder.email)).status).toBe(303);
    const page = `/espace/demandes/${request.reference}`;
    const html = await (await c.get(page)).text();
    expect(html).toContain('Corriger les coordonnées de l’acheteur');
    expect(html).toContain('value="camille.martin+1@example.fr"');

    const before = await buyerOf(request.id);
    const wrong = await c.submit(page, `${page}/coordonnees`, { ...before, email: 'camille.martin@', phone: '' });
    expect(wrong.status).toBe(400);
    const wrongHtml = await wrong.text();
    expect(wrongHtml).toContain('Indiquez une adresse électronique valide');
    expect(wrongHtml).toMatch(/<details[^>]*id="correction-coordonnees" open>/);
    expect(await buyerOf(request.id)).toEqual(before);

    const corrected = await c.submit(page, `${page}/coordonnees`, {
      firstName: 'Camille',
      lastName: 'Martin-Durand',
      email: 'camille.martin@example.org',
      phone: '',
      organisationName: 'Département de l’Isère',
    });
    expect([corrected.status, corrected.headers.get('location')]).toEqual([303, `${page}?fait=coordonnees`]);
    expect(await buyerOf(request.id)).toEqual({
      firstName: 'Camille',
      lastName: 'Martin-Durand',
      email: 'camille.martin@example.org',
      phone: null,
      organisationName: 'Département de l’Isère',
    });
    const [mail] = await t.dataSource.query(
      `SELECT id, recipient, status, resent_at FROM mail_messages WHERE request_id = $1 AND template = 'request-acknowledgement'`,
      [request.id],
    );
    expect(mail).toMatchObject({ recipient: 'camille.martin@example.org', status: 'queued', resent_at: expect.any(Date) });
    expect((await mailsTo(t, 'buyer-email-changed')).map((notice) => notice.recipient)).toEqual(['camille.martin+1@example.fr']);
    const jobs = await t.dataSource.query(`SELECT job_id FROM outbox_events WHERE payload->>'mailId' = $1 AND job_id LIKE '%-resent-%'`, [
      mail.id,
    ]);
    expect(jobs).toHaveLength(1);
    // The history says who corrected, never what was there.
    const events = await t.dataSource.query(
      `SELECT type, is_public AS "isPublic", reason FROM request_events WHERE request_id = $1 AND type = 'buyer_contact_corrected'`,
      [request.id],
    );
    expect(events).toEqual([{ type: 'buyer_contact_corrected', isPublic: false, reason: null }]);
    const after = await (await c.get(`${page}?fait=coordonnees`)).text();
    expect(after).toContain('Les coordonnées de l’acheteur sont corrigées');
    expect(after).toContain('Coordonnées de l’acheteur corrigées');
  });

  it('a new address is told to the former one, masked, with the reference; a phone, a name or a change of case tells no one', async () => {
    const request = await submittedAndTaken(t, 3);
    const holder = await insertStaff(t.dataSource, { role: 'facilitator', facilitatorId: request.facilitatorId, networks: ['aura-ee'] });
    const token = `Bearer ${await t.app.get(StaffAuthService).createApiToken(holder.id, 'tests')}`;
    const contact = { firstName: 'Camille', lastName: 'Martin', email: 'camille.martin+3@example.fr', organisationName: 'Isère' };
    const correct = async (changes: Record<string, string>) => {
      const response = await fetch(`${t.url}/api/v1/staff/requests/${request.reference}/buyer-contact`, {
        method: 'POST',
        headers: { authorization: token, 'content-type': 'application/json' },
        body: JSON.stringify({ ...contact, ...changes }),
      });
      expect(response.status).toBe(200);
    };
    const notices = () => mailsTo(t, 'buyer-email-changed');

    await correct({ phone: '04 76 00 00 02' });
    expect(await notices()).toEqual([]);

    await correct({ email: 'dominique.durand@autre-exemple.fr' });
    const [notice, ...more] = await notices();
    expect(more).toEqual([]);
    expect(notice.recipient).toBe('camille.martin+3@example.fr');
    expect(notice.subject).toBe(
      `Demande ${request.reference} « Fournitures de bureau et loi AGEC 3 » : l’adresse électronique de suivi a changé — Guichet vert`,
    );
    for (const body of [notice.text_body, notice.html_body]) {
      expect(body).toContain(request.reference);
      expect(body).toContain('d•••@autre-exemple.fr');
      expect(body).toContain('par le guichet vert du réseau AURA-EE / RREDD');
      expect(body).toContain('contact@auvergnerhonealpes-ee.fr');
      // Neither the new address in full nor who made the change.
      expect(body).not.toContain('dominique.durand');
      expect(body).not.toContain(holder.email);
    }
    // Queued with the change, and left at the old address while the acknowledgement not sent yet follows the new one.
    const queued = await t.dataSource.query(
      `SELECT m.template, m.recipient, count(o.*)::int AS jobs FROM mail_messages m
         LEFT JOIN outbox_events o ON o.payload->>'mailId' = m.id::text
        WHERE m.request_id = $1 GROUP BY m.id ORDER BY m.template`,
      [request.id],
    );
    expect(queued).toEqual([
      { template: 'buyer-email-changed', recipient: 'camille.martin+3@example.fr', jobs: 1 },
      { template: 'buyer-tracking-link', recipient: 'dominique.durand@autre-exemple.fr', jobs: 1 },
      { template: 'request-acknowledgement', recipient: 'dominique.durand@autre-exemple.fr', jobs: 1 },
    ]);

    await correct({ email: 'Dominique.Durand@autre-exemple.fr', firstName: 'Dominique', lastName: 'Durand' });
    expect(await notices()).toHaveLength(1);
    // Each correction in the history, under its author's name.
    const events = await t.dataSource.query(
      `SELECT actor_type AS "actorType", actor_id AS "actorId" FROM request_events WHERE request_id = $1 AND type = 'buyer_contact_corrected'`,
      [request.id],
    );
    expect(events).toEqual(Array(3).fill({ actorType: 'staff', actorId: holder.id }));
  });

  it('a new address gets a new tracking link, the old link answers 404, the old address is told without one; staff read what went where', async () => {
    const request = await submittedAndTaken(t, 4);
    // The acknowledgement has already gone, to the mistyped address: nothing left to readdress.
    await t.dataSource.query(`UPDATE mail_messages SET status = 'sent', context = NULL WHERE request_id = $1`, [request.id]);
    const oldLink = `${t.url}/suivi/${request.reference}?t=${encodeURIComponent(request.token)}`;
    expect((await fetch(oldLink)).status).toBe(200);
    const holder = await insertStaff(t.dataSource, { role: 'facilitator', facilitatorId: request.facilitatorId, networks: ['aura-ee'] });
    const c = new StaffClient(t.url);
    expect((await c.signIn(holder.email)).status).toBe(303);
    const page = `/espace/demandes/${request.reference}`;
    const contact = { firstName: 'Camille', lastName: 'Martin', email: 'camille.martin@example.org', phone: '', organisationName: 'Isère' };
    const corrected = await c.submit(page, `${page}/coordonnees`, contact);
    expect([corrected.status, corrected.headers.get('location')]).toEqual([303, `${page}?fait=coordonnees`]);
    const notice = await (await c.get(`${page}?fait=coordonnees`)).text();
    expect(notice).toContain(
      'Sa nouvelle adresse reçoit un courriel avec la référence et un nouveau lien de suivi ; l’ancien lien ne fonctionne plus. L’ancienne adresse est prévenue du changement, sans lien.',
    );

    // Whoever holds the mistyped mailbox can no longer read, withdraw or write: the same 404 as any wrong token.
    expect((await fetch(oldLink)).status).toBe(404);
    const apiWithOld = await fetch(`${t.url}/api/v1/requests/${request.reference}`, { headers: { 'x-tracking-token': request.token } });
    expect(apiWithOld.status).toBe(404);
    const withdrawWithOld = await fetch(`${t.url}/api/v1/requests/${request.reference}/withdrawal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tracking-token': request.token },
      body: '{}',
    });
    expect(withdrawWithOld.status).toBe(404);

    // The new address: the reference and the new link, in French, text and HTML, through the outbox.
    const [fresh, ...more] = await mailsTo(t, 'buyer-tracking-link');
    expect(more).toEqual([]);
    expect(fresh.recipient).toBe('camille.martin@example.org');
    expect(fresh.subject).toBe(`Demande ${request.reference} « Fournitures de bureau et loi AGEC 4 » : votre lien de suivi — Guichet vert`);
    const newLink = new RegExp(`${t.url}/suivi/${request.reference}\\?t=([A-Za-z0-9_-]{43})`).exec(fresh.text_body)!;
    expect(newLink[1]).not.toBe(request.token);
    for (const body of [fresh.text_body, fresh.html_body]) {
      expect(body).toContain(request.reference);
      expect(body).toContain(newLink[0]);
      expect(body).toContain('Ce lien remplace celui envoyé auparavant, qui ne fonctionne plus.');
    }
    expect((await fetch(newLink[0])).status).toBe(200);
    const jobs = await t.dataSource.query(
      `SELECT count(o.*)::int AS jobs FROM mail_messages m JOIN outbox_events o ON o.payload->>'mailId' = m.id::text
        WHERE m.template = 'buyer-tracking-link'`,
    );
    expect(jobs).toEqual([{ jobs: 1 }]);
    // The old address: told of the change and that its link is dead, never given one.
    const [told] = await mailsTo(t, 'buyer-email-changed');
    expect(told.recipient).toBe('camille.martin+4@example.fr');
    for (const body of [told.text_body, told.html_body]) {
      expect(body).toContain('Le lien de suivi reçu à cette adresse ne fonctionne plus');
      expect(body).not.toContain('/suivi/');
      expect(body).not.toContain(newLink[1]);
    }

    // The same correction sent again (a second click): nothing more sent, the new link still opens.
    expect((await c.submit(page, `${page}/coordonnees`, contact)).headers.get('location')).toBe(`${page}?fait=coordonnees-meme-adresse`);
    expect(await (await c.get(`${page}?fait=coordonnees-meme-adresse`)).text()).toContain(
      'Son adresse électronique et son lien de suivi restent les mêmes.',
    );
    expect(await mailsTo(t, 'buyer-tracking-link')).toHaveLength(1);
    expect(await mailsTo(t, 'buyer-email-changed')).toHaveLength(1);
    expect((await fetch(newLink[0])).status).toBe(200);
  });

  it('messages not sent yet follow the new address with the new link; the API says whether a new link went', async () => {
    const request = await submittedAndTaken(t, 5);
    const animator = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    const post = (email: string) =>
      fetch(`${t.url}/api/v1/staff/requests/${request.reference}/buyer-contact`, {
        method: 'POST',
        headers: { authorization: animator, 'content-type': 'application/json' },
        body: JSON.stringify({ firstName: 'Camille', lastName: 'Martin', email, organisationName: 'Isère' }),
      });
    const moved = await post('c.martin@example.org');
    expect(moved.status).toBe(200);
    expect(await moved.json()).toMatchObject({ reference: request.reference, newTrackingLinkSent: true });
    // The acknowledgement, still queued, goes to the new address with a link that opens the request.
    const [ack] = await t.dataSource.query(
      `SELECT recipient, context->>'trackingUrl' AS link FROM mail_messages WHERE request_id = $1 AND template = 'request-acknowledgement'`,
      [request.id],
    );
    expect(ack.recipient).toBe('c.martin@example.org');
    expect(ack.link).not.toContain(request.token);
    const [fresh] = await mailsTo(t, 'buyer-tracking-link');
    expect(fresh.text_body).toContain(ack.link);
    expect((await fetch(ack.link)).status).toBe(200);
    // A change of case: the same mailbox, the same link.
    const cased = await post('C.Martin@example.org');
    expect(await cased.json()).toMatchObject({ newTrackingLinkSent: false });
    expect((await fetch(ack.link)).status).toBe(200);
    expect(await mailsTo(t, 'buyer-tracking-link')).toHaveLength(1);
  });

  it('a box, unticked by default, says the old address was never the buyer’s: only then are the refusals made from it undone', async () => {
    const request = await closedAsAnswered(t, 6);
    // Refused from a link of the old address (every survey of the address, before any was sent).
    await t.dataSource.query(`UPDATE surveys SET status = 'declined', declined_via = 'link' WHERE request_id = $1`, [request.id]);
    const statuses = async () =>
      (await t.dataSource.query(`SELECT status FROM surveys WHERE request_id = $1 ORDER BY wave DESC`, [request.id])).map(
        (s: { status: string }) => s.status,
      );
    const holder = await insertStaff(t.dataSource, { role: 'facilitator', facilitatorId: request.facilitatorId, networks: ['aura-ee'] });
    const c = new StaffClient(t.url);
    expect((await c.signIn(holder.email)).status).toBe(303);
    const page = `/espace/demandes/${request.reference}`;
    const box = /<input type="checkbox" id="[^"]*" name="previousAddressWasWrong" value="1"( checked)?>/;
    const html = await (await c.get(page)).text();
    expect(box.exec(html)?.[1]).toBeUndefined();
    expect(html).toContain(
      'L’ancienne adresse n’était pas celle de l’acheteur (faute de frappe) : les refus faits depuis cette adresse sont annulés',
    );
    const contact = { firstName: 'Camille', lastName: 'Martin', phone: '', organisationName: 'Isère' };
    // Sent back with an error, the form keeps the box as it was.
    const wrong = await c.submit(page, `${page}/coordonnees`, { ...contact, email: 'camille.martin@', previousAddressWasWrong: '1' });
    expect(wrong.status).toBe(400);
    expect(box.exec(await wrong.text())?.[1]).toBe(' checked');

    // The buyer changed mailbox: unticked, what they refused from the old one stands.
    const moved = await c.submit(page, `${page}/coordonnees`, { ...contact, email: 'camille.martin@example.org' });
    expect(moved.status).toBe(303);
    expect(await statuses()).toEqual(['declined', 'declined']);
    // The API takes a boolean, nothing it would have to guess.
    const animator = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    const post = (body: unknown) =>
      fetch(`${t.url}/api/v1/staff/requests/${request.reference}/buyer-contact`, {
        method: 'POST',
        headers: { authorization: animator, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const guessed = await post({ ...contact, phone: undefined, email: 'c.martin@example.org', previousAddressWasWrong: 'oui' });
    expect([guessed.status, (await guessed.json()).errors.map((e: { field: string }) => e.field)]).toEqual([
      400,
      ['previousAddressWasWrong'],
    ]);
    expect(await statuses()).toEqual(['declined', 'declined']);
    // A refusal from a link of the new address, one the buyer's old one made having been confirmed by the move.
    await t.dataSource.query(`UPDATE surveys SET declined_via = 'link' WHERE request_id = $1`, [request.id]);
    // A typo, ticked: the refusals came from a stranger's mailbox, the surveys are scheduled again for the buyer.
    const typo = await c.submit(page, `${page}/coordonnees`, { ...contact, email: 'c.martin@example.org', previousAddressWasWrong: '1' });
    expect(typo.status).toBe(303);
    expect(await statuses()).toEqual(['scheduled', 'scheduled']);

    const schema = (await bodyOf(fetch(`${t.url}/api/docs-json`))).components.schemas.BuyerContactCorrectionDto;
    expect(schema.properties.previousAddressWasWrong).toMatchObject({ type: 'boolean', default: false });
    expect(schema.properties.previousAddressWasWrong.description).toContain('faute de frappe');
  });

  it('the API: the network’s animator corrects with the intake’s rules; another network gets 404, an erased request 409', async () => {
    const request = await submittedAndTaken(t, 2);
    const animator = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    const foreign = await bearerFor(t, { role: 'animator', networks: ['reseco'] });
    const post = (token: string, body: unknown) =>
      fetch(`${t.url}/api/v1/staff/requests/${request.reference}/buyer-contact`, {
        method: 'POST',
        headers: { authorization: token, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const contact = {
      firstName: 'Camille',
      lastName: 'Martin',
      email: 'c.martin@example.fr',
      phone: '04 76 00 00 01',
      organisationName: 'Isère',
    };
    expect((await post(foreign, contact)).status).toBe(404);
    // A field it does not know, then a phone that is not one: each refused with its field.
    const unknown = await post(animator, { ...contact, unknown: 1 });
    expect([unknown.status, (await unknown.json()).errors.map((e: { field: string }) => e.field)]).toEqual([400, ['unknown']]);
    const refused = await post(animator, { ...contact, phone: 'abc' });
    expect(refused.status).toBe(400);
    expect((await refused.json()).errors).toEqual([
      { field: 'phone', message: 'Indiquez un numéro de téléphone valide, par exemple 04 76 00 00 00.' },
    ]);
    const done = await post(animator, contact);
    expect(done.status).toBe(200);
    expect(await buyerOf(request.id)).toMatchObject({ email: 'c.martin@example.fr', phone: '04 76 00 00 01' });

    await t.dataSource.query(`UPDATE requests SET anonymised_at = now() WHERE id = $1`, [request.id]);
    const erased = await post(animator, contact);
    expect(erased.status).toBe(409);
    expect((await erased.json()).message).toContain('il n’y a plus rien à corriger');
  });
});
