import { insertFacilitator } from '../support/facilitators';
import { seedRequest } from '../support/indicators';
import { bearerFor, insertStaff, StaffClient } from '../support/staff';
import { bodyOf, TestApp, useTestApp } from '../support/test-app';

/** The request page lists answered requests like the one shown, among those its reader may see. */
describe('similar answered requests', () => {
  let t: TestApp;
  useTestApp((app) => (t = app));

  async function request(
    network: string,
    text: { subject: string; question: string },
    fields: { kind?: string; segment?: string; answered?: boolean; facilitatorId?: string; anonymised?: boolean } = {},
  ): Promise<string> {
    const id = await seedRequest(t.dataSource, network, network === 'reseco' ? '35' : '38', '2026-10-01T10:00:00+02:00', {
      status: fields.answered ? 'closed' : 'in_progress',
      kind: fields.kind,
      segment: fields.segment ?? 'office_supplies',
    });
    await t.dataSource.query(
      `UPDATE requests SET subject = $2, question = $3, answered_at = CASE WHEN $4 THEN now() END, assigned_facilitator_id = $5,
              anonymised_at = CASE WHEN $6 THEN now() END
        WHERE id = $1 RETURNING reference`,
      [id, text.subject, text.question, fields.answered ?? false, fields.facilitatorId ?? null, fields.anonymised ?? false],
    );
    return (await t.dataSource.query(`SELECT reference FROM requests WHERE id = $1`, [id]))[0].reference;
  }

  it('finds them by shared words, the same segment first, within the kind and what the reader may see', async () => {
    const facilitatorId = await insertFacilitator(t.dataSource, { network: 'aura-ee', firstName: 'Sacha', lastName: 'Morel' });
    const colleague = await insertFacilitator(t.dataSource, { network: 'aura-ee' });
    const shown = await request(
      'aura-ee',
      { subject: 'Papier recyclé pour nos services', question: 'Quels labels exiger pour du papier recyclé et des enveloppes ?' },
      { facilitatorId },
    );
    const sameSegment = await request(
      'aura-ee',
      { subject: 'Enveloppes et papeterie', question: 'Peut-on exiger un label pour les enveloppes ?' },
      { answered: true, facilitatorId },
    );
    const otherSegment = await request(
      'aura-ee',
      { subject: 'Papier recyclé des imprimantes', question: 'Le papier recyclé abîme-t-il les imprimantes ?' },
      { answered: true, segment: 'it_equipment', facilitatorId: colleague },
    );
    // Not listed: no shared word, not answered yet, another kind, another network, erased.
    await request(
      'aura-ee',
      { subject: 'Véhicules électriques', question: 'Quelle autonomie demander ?' },
      { answered: true, facilitatorId },
    );
    await request('aura-ee', { subject: 'Papier recyclé', question: 'Quels labels pour le papier ?' }, { facilitatorId });
    await request(
      'aura-ee',
      { subject: 'Papier recyclé et insertion', question: 'Une clause d’insertion pour le papier ?' },
      { answered: true, kind: 'social_clause', facilitatorId },
    );
    await request('reseco', { subject: 'Papier recyclé', question: 'Quels labels pour le papier recyclé ?' }, { answered: true });
    await request('aura-ee', { subject: 'Papier recyclé', question: 'Labels du papier recyclé ?' }, { answered: true, anonymised: true });

    const animator = await bearerFor(t, { role: 'animator', networks: ['aura-ee'] });
    const page = await bodyOf(fetch(`${t.url}/api/v1/staff/requests/${shown}`, { headers: { authorization: animator } }));
    expect(page.similarRequests.map((r: { reference: string }) => r.reference)).toEqual([sameSegment, otherSegment]);
    expect(page.similarRequests[0]).toMatchObject({ subject: 'Enveloppes et papeterie', facilitatorName: 'Sacha Morel' });
    const schemas = (await bodyOf(fetch(`${t.url}/api/docs-json`))).components.schemas;
    for (const similar of page.similarRequests)
      expect(Object.keys(similar).sort()).toEqual(Object.keys(schemas.SimilarRequestDto.properties).sort());

    // The facilitator sees only the requests they hold: their own earlier answer, not their colleague's.
    const holder = await insertStaff(t.dataSource, { role: 'facilitator', facilitatorId, networks: ['aura-ee'] });
    const client = new StaffClient(t.url);
    await client.signIn(holder.email);
    const html = await (await client.get(`/espace/demandes/${shown}`)).text();
    expect(html).toContain('Demandes semblables déjà traitées');
    expect(html).toContain(
      `<a href="/espace/demandes/${sameSegment}">${sameSegment}</a> — Enveloppes et papeterie (Fournitures de bureau ; réponse du`,
    );
    expect(html).not.toContain(otherSegment);
  });
});
