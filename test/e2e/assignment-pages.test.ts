import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { insertFacilitator } from '../support/facilitators';
import { TestApp, useTestApp, validRequestBody, waitFor } from '../support/test-app';

describe('the facilitator’s assignment page (link in the assignment e-mail)', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app), {}, { api: true, worker: true });

  /** The link as e-mailed, read from the delivered message (.eml, quoted-printable). */
  async function assignmentLink(): Promise<{ url: string; id: string; token: string; requestId: string }> {
    const [mail] = await waitFor(async () => {
      const rows = await t.dataSource.query(
        `SELECT m.id AS "mailId", ra.id, ra.request_id AS "requestId" FROM mail_messages m
           JOIN request_assignments ra ON ra.request_id = m.request_id AND ra.ended_at IS NULL
          WHERE m.template = 'facilitator-assignment' AND m.status = 'sent'`,
      );
      return rows.length > 0 && rows;
    }, 10_000);
    const eml = await readFile(resolve(t.config.MAIL_DIR, `${mail.mailId}.eml`), 'utf8');
    const decoded = eml.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
    const url = /(http:\/\/[^\s"<]+\/affectation\/[^\s"<]+)/.exec(decoded)![1];
    return { url, id: mail.id, token: new URL(url).searchParams.get('t')!, requestId: mail.requestId };
  }

  async function submitWithFacilitators(count: number): Promise<void> {
    for (let i = 0; i < count; i++) await insertFacilitator(t.dataSource, { email: `f${i}@example.org`, capacity: 5 - i });
    const response = await fetch(`${t.url}/api/v1/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(validRequestBody(1)),
    });
    expect(response.status).toBe(201);
  }

  it('shows the request to the holder of the link, and takes it in charge', async () => {
    await submitWithFacilitators(1);
    const link = await assignmentLink();
    const page = await fetch(link.url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Je prends en charge');
    expect(html).toContain('camille.martin+1@example.fr');

    const taken = await fetch(`${t.url}/affectation/${link.id}/prise-en-charge`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ t: link.token }).toString(),
      redirect: 'manual',
    });
    expect(taken.status).toBe(303);
    const [request] = await t.dataSource.query(`SELECT status FROM requests WHERE id = $1`, [link.requestId]);
    expect(request.status).toBe('in_progress');
    expect(await (await fetch(link.url)).text()).toContain('Vous avez pris cette demande en charge');
  });

  it('asks for a reason to decline, then hands the request to someone else', async () => {
    await submitWithFacilitators(2);
    const link = await assignmentLink();
    const post = (reason?: string) =>
      fetch(`${t.url}/affectation/${link.id}/declin`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ t: link.token, ...(reason ? { reason } : {}) }).toString(),
        redirect: 'manual',
      });
    const missing = await post();
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('Choisissez le motif de votre refus.');
    expect((await post('not_my_territory')).status).toBe(303);
    expect(await (await fetch(link.url)).text()).toContain('Cette demande ne vous est plus confiée');
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM request_assignments WHERE request_id = $1 AND ended_at IS NULL`,
      [link.requestId],
    );
    expect(n).toBe(1);
  });

  it('answers 404 for a wrong token, a missing token or an unknown assignment', async () => {
    await submitWithFacilitators(1);
    const link = await assignmentLink();
    for (const url of [
      `${t.url}/affectation/${link.id}?t=faux`,
      `${t.url}/affectation/${link.id}`,
      `${t.url}/affectation/00000000-0000-4000-8000-000000000000?t=${link.token}`,
      `${t.url}/affectation/pas-un-uuid?t=${link.token}`,
    ]) {
      expect((await fetch(url)).status).toBe(404);
    }
    const forged = await fetch(`${t.url}/affectation/${link.id}/prise-en-charge`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 't=faux',
    });
    expect(forged.status).toBe(404);
  });
});
