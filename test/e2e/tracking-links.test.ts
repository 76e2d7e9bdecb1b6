import { Client } from 'pg';
import { NO_REQUEST_MAILS_LIMIT } from '../../src/modules/accounts/throttle.policy';
import { ThrottleService } from '../../src/modules/accounts/throttle.service';
import { exampleRequestBody } from '../../src/modules/intake/dto/create-request.example';
import { mailsTo } from '../support/conversation';
import { StaffClient } from '../support/staff';
import { sessionsWaitingOnLocks, submitRequest, TestApp, useTestApp, waitFor } from '../support/test-app';

describe('« Retrouver mes demandes »: tracking links sent again by e-mail', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app));

  const buyerWith = (n: number, email: string) => ({ buyer: { ...(exampleRequestBody(n).buyer as object), email } });
  const ask = (email: string, client = new StaffClient(t.url), extra: Record<string, string> = {}) =>
    client.submit('/suivi', '/suivi', { email, ...extra });
  const linkMails = () => mailsTo(t, 'tracking-links');
  const SENT = 'Si des demandes ont été déposées avec cette adresse, un courriel vient de lui être envoyé';

  it('sends every request of the address, in any case, with links that open them; the page says the same for anyone', async () => {
    const first = await submitRequest(t, 1, buyerWith(1, 'Claude.Petit@example.fr'));
    const second = await submitRequest(t, 2, buyerWith(2, 'claude.petit@example.fr'));
    const someoneElse = await submitRequest(t, 3, buyerWith(3, 'autre.acheteur@example.fr'));
    const form = await new StaffClient(t.url).get('/suivi');
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('<h1>Retrouver mes demandes</h1>');

    const answer = await ask('  CLAUDE.PETIT@example.fr ');
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain(SENT);
    const mails = await linkMails();
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail.recipient).toBe('claude.petit@example.fr');
    expect(mail.subject).toBe('Les liens de suivi de vos demandes — Guichet vert');
    expect(mail.text_body).not.toContain(someoneElse);
    const links = [...mail.text_body.matchAll(/http:\/\/\S+\/suivi\/(GV-\d{4}-\d{6})\?t=[A-Za-z0-9_-]+/g)];
    expect(links.map((link) => link[1])).toEqual([second, first]);
    for (const [url, reference] of links) {
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(reference);
    }

    const unknown = await ask('personne@example.fr');
    expect(unknown.status).toBe(200);
    expect(await unknown.text()).toContain(SENT);
    expect(await linkMails()).toHaveLength(1);
  });

  it('groups the requests into « en cours » and « clôturées », a closed one with how it ended', async () => {
    const open = await submitRequest(t, 11, buyerWith(11, 'noa@example.fr'));
    const withdrawn = await submitRequest(t, 12, buyerWith(12, 'noa@example.fr'));
    const answered = await submitRequest(t, 13, buyerWith(13, 'noa@example.fr'));
    await t.dataSource.query(`UPDATE requests SET status = 'closed', close_reason = 'withdrawn', closed_at = now() WHERE reference = $1`, [
      withdrawn,
    ]);
    await t.dataSource.query(`UPDATE requests SET status = 'answered' WHERE reference = $1`, [answered]);
    await ask('noa@example.fr');
    const [mail] = await linkMails();
    const text = mail.text_body;
    const [current, closed] = [text.indexOf('En cours :'), text.indexOf('Clôturées :')];
    expect(current).toBeGreaterThan(-1);
    expect(closed).toBeGreaterThan(current);
    for (const reference of [answered, open]) expect(text.indexOf(reference)).toBeGreaterThan(current);
    for (const reference of [answered, open]) expect(text.indexOf(reference)).toBeLessThan(closed);
    expect(text.indexOf(withdrawn)).toBeGreaterThan(closed);
    expect(text).toContain(`${withdrawn} « ${exampleRequestBody(12).subject as string} » — Retirée à votre demande, déposée le`);
    expect(text).toContain(`${answered} « ${exampleRequestBody(13).subject as string} » — Réponse envoyée, déposée le`);
    const html = mail.html_body;
    expect(html.indexOf('<strong>En cours :</strong>')).toBeLessThan(html.indexOf(open));
    expect(html.indexOf('<strong>Clôturées :</strong>')).toBeLessThan(html.indexOf(withdrawn));
    expect(html.indexOf('<strong>Clôturées :</strong>')).toBeGreaterThan(html.indexOf(open));
    // All closed: no empty « en cours » heading.
    await t.dataSource.query(`UPDATE requests SET status = 'closed', close_reason = 'answered', closed_at = now() WHERE reference <> $1`, [
      withdrawn,
    ]);
    await ask('noa@example.fr');
    const [, allClosed] = await linkMails();
    expect(allClosed.text_body).not.toContain('En cours :');
    expect(allClosed.text_body).toContain('Clôturées :');
  });

  it('tells an address with no request that none is known under it, within the same limits; the page says the same', async () => {
    await submitRequest(t, 14, buyerWith(14, 'connue@example.fr'));
    const none = () => mailsTo(t, 'tracking-links-none');
    const answer = await ask('Inconnue@Example.fr');
    expect(answer.status).toBe(200);
    const known = await ask('connue@example.fr');
    // The same page whatever the address.
    expect(await answer.text()).toEqual(await known.text());
    const [mail, ...more] = await none();
    expect(more).toEqual([]);
    expect(mail.recipient).toBe('inconnue@example.fr');
    expect(mail.subject).toBe('Aucune demande à cette adresse — Guichet vert');
    for (const body of [mail.text_body, mail.html_body]) {
      expect(body).toContain('Aucune demande n’est enregistrée à cette adresse.');
      expect(body).toContain('Vous avez peut-être déposé votre demande avec une autre adresse');
      expect(body).toContain(`${t.url}/suivi`);
    }
    expect(mail.text_body).not.toContain('utilisez le lien de suivi');
    // The known address got its links, not this message.
    expect((await linkMails()).map((m) => m.recipient)).toEqual(['connue@example.fr']);
    // Three a hour for one address, as for links.
    for (let i = 0; i < 3; i++) expect((await ask('inconnue@example.fr')).status).toBe(200);
    expect(await none()).toHaveLength(3);
  });

  it('stops sending « aucune demande » past an hourly number over every address, the page unchanged', async () => {
    // An hour's worth already sent to strangers' addresses from many client addresses: the per-client limits let them through.
    await t.dataSource.query(
      `INSERT INTO throttle_events (kind, account_key, client_address, created_at)
       SELECT 'tracking_links_none', 'inconnu' || n || '@example.fr', '10.0.' || n || '.1', now() - interval '30 minutes'
         FROM generate_series(1, ${NO_REQUEST_MAILS_LIMIT.max}) n`,
    );
    const answer = await ask('encore.une@example.fr');
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain(SENT);
    expect(await mailsTo(t, 'tracking-links-none')).toEqual([]);
    // A known address still gets its links.
    await submitRequest(t, 15, buyerWith(15, 'connue@example.fr'));
    await ask('connue@example.fr');
    expect((await linkMails()).map((m) => m.recipient)).toEqual(['connue@example.fr']);
    // An hour later, the number counts again from nothing.
    await t.dataSource.query(`UPDATE throttle_events SET created_at = created_at - interval '1 hour' WHERE kind = 'tracking_links_none'`);
    await ask('encore.une@example.fr');
    expect((await mailsTo(t, 'tracking-links-none')).map((m) => m.recipient)).toEqual(['encore.une@example.fr']);
  });

  it('lets one « aucune demande » through, not more, when two ask at once with one left under the hourly number', async () => {
    await t.dataSource.query(
      `INSERT INTO throttle_events (kind, account_key, client_address, created_at)
       SELECT 'tracking_links_none', 'inconnu' || n || '@example.fr', '10.0.' || n || '.1', now() - interval '30 minutes'
         FROM generate_series(2, ${NO_REQUEST_MAILS_LIMIT.max}) n`,
    );
    // Recording held back (reading not) until both asks are under way: each counts before the other records.
    const holder = new Client({ connectionString: t.config.DATABASE_URL });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE throttle_events IN SHARE MODE');
      const throttle = t.app.get(ThrottleService);
      const asks = [1, 2].map((n) =>
        throttle.allowOverall('tracking_links_none', NO_REQUEST_MAILS_LIMIT, `ensemble${n}@example.fr`, `10.1.${n}.1`),
      );
      await waitFor(async () => (await sessionsWaitingOnLocks(t.dataSource)) === 2, 5_000, 'les deux demandes attendent', 20);
      await holder.query('COMMIT');
      expect((await Promise.all(asks)).filter(Boolean)).toHaveLength(1);
    } finally {
      await holder.end();
    }
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM throttle_events WHERE kind = 'tracking_links_none'`)).toEqual([
      { n: NO_REQUEST_MAILS_LIMIT.max },
    ]);
  });

  it('dates each request on the buyer’s own calendar, as the tracking page does', async () => {
    // Filed at 01:30 on 1 December on La Réunion, when Paris still read 30 November.
    const reunion = await submitRequest(t, 8, { ...buyerWith(8, 'sasha@example.re'), departmentCode: '974' });
    await t.dataSource.query(`UPDATE requests SET created_at = '2026-11-30T21:30:00Z' WHERE reference = $1`, [reunion]);
    await ask('sasha@example.re');
    const [mail] = await linkMails();
    expect(mail.text_body).toContain(`${reunion} « ${exampleRequestBody(8).subject as string} » — `);
    expect(mail.text_body).toContain('déposée le 1er décembre 2026');
    expect(mail.html_body).toContain('déposée le 1er décembre 2026');
  });

  it('leaves out requests whose personal data are erased', async () => {
    const kept = await submitRequest(t, 4, buyerWith(4, 'dominique@example.fr'));
    const erased = await submitRequest(t, 5, buyerWith(5, 'dominique@example.fr'));
    await t.dataSource.query(`UPDATE requests SET tracking_token_sealed = NULL, anonymised_at = now() WHERE reference = $1`, [erased]);
    await ask('dominique@example.fr');
    const [mail] = await linkMails();
    expect(mail.subject).toBe('Le lien de suivi de votre demande — Guichet vert');
    expect(mail.text_body).toContain(kept);
    expect(mail.text_body).not.toContain(erased);
  });

  it('leaves out, with an error line for the operator, a link sealed under a secret the service does not know', async () => {
    const readable = await submitRequest(t, 6, buyerWith(6, 'alex@example.fr'));
    const resealedElsewhere = await submitRequest(t, 7, buyerWith(7, 'alex@example.fr'));
    // As after `secret:reseal` run with a new APP_SECRET before the service was restarted with it.
    await t.dataSource.query(`UPDATE requests SET tracking_token_sealed = $2 WHERE reference = $1`, [
      resealedElsewhere,
      Buffer.alloc(60, 7),
    ]);
    const answer = await ask('alex@example.fr');
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain(SENT);
    const [mail] = await linkMails();
    expect(mail.text_body).toContain(readable);
    expect(mail.text_body).not.toContain(resealedElsewhere);
    const [{ id }] = await t.dataSource.query(`SELECT id FROM requests WHERE reference = $1`, [resealedElsewhere]);
    const errors = t.logs.filter((line) => line.includes('lien de suivi illisible')).map((line) => JSON.parse(line));
    expect(errors).toEqual([expect.objectContaining({ level: 50, requestId: id })]);
    // Its only request unreadable, an address is answered as one with none.
    await t.dataSource.query(`UPDATE requests SET tracking_token_sealed = $2 WHERE reference = $1`, [readable, Buffer.alloc(60, 7)]);
    expect((await ask('alex@example.fr')).status).toBe(200);
    expect(await linkMails()).toHaveLength(1);
  });

  it('refuses what is not an address, sends at most 3 a hour to one address, and answers 429 to a client asking too often', async () => {
    await submitRequest(t, 6, buyerWith(6, 'alix@example.fr'));
    const wrong = await ask('alix@');
    expect(wrong.status).toBe(400);
    const wrongHtml = await wrong.text();
    expect(wrongHtml).toContain('Indiquez une adresse électronique valide, par exemple nom@exemple.fr.');
    expect(wrongHtml).toContain('value="alix@"');

    // A robot filling the hidden field gets the usual answer and nothing is sent.
    const robot = await ask('alix@example.fr', undefined, { website: 'https://spam.example' });
    expect(robot.status).toBe(200);
    expect(await linkMails()).toHaveLength(0);

    for (let i = 0; i < 4; i++) expect((await ask('alix@example.fr')).status).toBe(200);
    // Past the third, nothing is sent; the page says the rule, as it does to everyone.
    const fifth = await ask('alix@example.fr');
    expect(await fifth.text()).toContain('une même adresse reçoit au plus 3 de ces courriels par heure');
    expect(await linkMails()).toHaveLength(3);
    // Ten asks from one client in 15 minutes, whatever the addresses: the eleventh is refused.
    for (let i = 0; i < 5; i++) expect((await ask(`x${i}@example.fr`)).status).toBe(200);
    const refused = await ask('alix@example.fr');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await refused.text()).toContain('Trop de tentatives');
  });

  it('refuses a form without its anti-forgery token', async () => {
    await submitRequest(t, 7, buyerWith(7, 'sacha@example.fr'));
    const forged = await new StaffClient(t.url).post('/suivi', { email: 'sacha@example.fr' });
    expect(forged.status).toBe(400);
    expect(await linkMails()).toHaveLength(0);
  });
});
