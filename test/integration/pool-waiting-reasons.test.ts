import { frenchDay } from '../../src/common/french-format';
import { RoutingService } from '../../src/modules/routing/routing.service';
import { mailsTo } from '../support/conversation';
import { insertFacilitator } from '../support/facilitators';
import { bearerFor, signedInStaff } from '../support/staff';
import { inOfficeHours } from '../support/surveys';
import { bodyOf, submitRequest, TestApp, useTestApp } from '../support/test-app';

/** The api alone: the test routes each submission itself, as the routing job would, and reads why it waits. */
describe('why a request waits in the pool, and why a coordinator has it', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app), {}, { api: true, worker: false });

  const BAS_RHIN = { kind: 'social_clause', departmentCode: '67' };

  async function routed(n: number, overrides: Record<string, unknown> = {}): Promise<{ id: string; reference: string }> {
    const reference = await submitRequest(t, n, overrides);
    const [{ id }] = await t.dataSource.query(`SELECT id FROM requests WHERE reference = $1`, [reference]);
    await t.app.get(RoutingService).route(id);
    return { id, reference };
  }

  const lastEvent = async (requestId: string) =>
    (
      await t.dataSource.query(
        `SELECT e.type, e.reason, f.first_name AS "assignee" FROM request_events e LEFT JOIN facilitators f ON f.id = e.assignee_id
          WHERE e.request_id = $1 ORDER BY e.id DESC LIMIT 1`,
        [requestId],
      )
    )[0];

  it('nobody covers the département: the history, the digest and the request page say it will not leave the pool by itself', async () => {
    // Grand Est's coordinator no longer ticks « Reçoit des demandes »; a social-clause facilitator of Haut-Rhin only.
    await insertFacilitator(t.dataSource, { kind: 'social_clause', network: 'grand-est', coordinator: true, active: false });
    await insertFacilitator(t.dataSource, { kind: 'social_clause', network: 'grand-est', departments: ['68'] });
    const { id, reference } = await routed(1, BAS_RHIN);

    const event = await lastEvent(id);
    expect(event.type).toBe('unassigned');
    expect(event.reason).toContain('Aucun facilitateur ne couvre ce département pour les clauses sociales');
    expect(event.reason).toContain('elle ne sortira pas seule de la réserve');

    await inOfficeHours(t, () => t.app.get(RoutingService).poolAlert('grand-est'));
    const [digest] = await mailsTo(t, 'network-pool-alert');
    expect(digest.text_body).toContain('Pourquoi elle attend : Aucun facilitateur ne couvre ce département pour les clauses sociales');
    expect(digest.text_body).toContain('Elle ne sera pas attribuée d’elle-même');
    expect(digest.text_body).not.toContain('dès qu’une place se libère');

    const animator = await signedInStaff(t, { role: 'animator', networks: ['grand-est'] });
    const page = await (await animator.get(`/espace/demandes/${reference}`)).text();
    expect(page).toMatch(/id="pourquoi-en-reserve"[\s\S]*Aucun facilitateur ne couvre ce département pour les clauses sociales/);
    expect(page).toContain('fr-alert--warning fr-alert--sm fr-mb-4w" id="pourquoi-en-reserve"');
  });

  it.each<[string, { absent?: boolean; capacity?: number }, string]>([
    // The day the first of them is back: the first day none of their absences covers (one may follow another).
    ['all absent', { absent: true }, 'sont tous absents : elle partira d’elle-même au retour du premier, le {back}'],
    ['all at capacity', { capacity: 0 }, 'sont tous à pleine capacité : elle partira d’elle-même dès qu’une place se libère'],
  ])('%s: the pool empties by itself, and the digest still promises it', async (_label, state, expected) => {
    const only = await insertFacilitator(t.dataSource, { capacity: state.capacity ?? 10 });
    let words = expected;
    if (state.absent) {
      const later = await insertFacilitator(t.dataSource, { email: 'plus-tard@example.org' });
      const absent = (facilitatorId: string, from: number, to: number) =>
        t.dataSource.query(
          `INSERT INTO facilitator_absences (id, facilitator_id, starts_on, ends_on)
           VALUES (gen_random_uuid(), $1, current_date + $2::int, current_date + $3::int)`,
          [facilitatorId, from, to],
        );
      await absent(later, -1, 20);
      // A week off, then a training course from the next day on: back after the course, not between the two.
      await absent(only, -1, 7);
      await absent(only, 8, 10);
      const [{ back }] = await t.dataSource.query(`SELECT (current_date + 11)::text AS back`);
      words = expected.replace('{back}', frenchDay(back));
    }
    const { id, reference } = await routed(2);
    expect((await lastEvent(id)).reason).toBe(
      `Les facilitateurs qui couvrent ce département pour les considérations environnementales ${words}.`,
    );
    await inOfficeHours(t, () => t.app.get(RoutingService).poolAlert('aura-ee'));
    const [digest] = await mailsTo(t, 'network-pool-alert');
    expect(digest.text_body).toContain(`Pourquoi elle attend : Les facilitateurs qui couvrent ce département`);
    expect(digest.text_body).toContain(words);
    expect(digest.text_body).toContain('Elle sera attribuée automatiquement dès qu’une place se libère');
    const animator = await signedInStaff(t, { role: 'animator', networks: ['aura-ee'] });
    const page = await (await animator.get(`/espace/demandes/${reference}`)).text();
    expect(page).toContain('fr-alert--info fr-alert--sm fr-mb-4w" id="pourquoi-en-reserve"');
    expect(page).toContain(words);
  });

  it('the coordinator fallback is in the request’s history, and the facilitators’ page names the coordinator', async () => {
    const coordinator = await insertFacilitator(t.dataSource, {
      kind: 'social_clause',
      network: 'grand-est',
      coordinator: true,
      firstName: 'Claude',
      lastName: 'Coordonne',
    });
    const { id, reference } = await routed(3, BAS_RHIN);
    const event = await lastEvent(id);
    expect(event).toEqual({
      type: 'assigned',
      assignee: 'Claude',
      reason: 'Au coordinateur régional : aucun facilitateur de clauses sociales ne couvre ce département',
    });
    const animator = await signedInStaff(t, { role: 'animator', networks: ['grand-est'] });
    const page = await (await animator.get(`/espace/demandes/${reference}`)).text();
    expect(page).toContain('Au coordinateur régional : aucun facilitateur de clauses sociales ne couvre ce département');
    expect(page).not.toContain('id="pourquoi-en-reserve"');
    // « Facilitateurs successifs » says why the coordinator has it, not « — ».
    expect(page).toMatch(
      /<td>Claude Coordonne<\/td>[\s\S]*?<td>en cours<\/td>\s*<td>Au coordinateur régional : aucun facilitateur de clauses sociales ne couvre ce département<\/td>/,
    );

    // A département facilitator away today: the coordinator has it, and the history says why it is not theirs.
    const local = await insertFacilitator(t.dataSource, { kind: 'social_clause', network: 'grand-est', departments: ['67'] });
    await t.dataSource.query(
      `INSERT INTO facilitator_absences (id, facilitator_id, starts_on, ends_on) VALUES (gen_random_uuid(), $1, current_date - 1, current_date + 7)`,
      [local],
    );
    const second = await routed(4, BAS_RHIN);
    const fallback = await lastEvent(second.id);
    expect(fallback).toMatchObject({ type: 'assigned', assignee: 'Claude' });
    // With the day the first is back: how long the département goes without its facilitator.
    expect(fallback.reason).toMatch(
      /^Au coordinateur régional : les facilitateurs de clauses sociales du département sont tous absents \(retour du premier, le \d{1,2}(er)? \S+ \d{4}\)$/,
    );
    // The coordinator's e-mail gives the same reason (its text: mail-composer.spec).
    const [mail] = await t.dataSource.query(
      `SELECT context->>'fallbackWhy' AS why FROM mail_messages WHERE request_id = $1 AND template = 'facilitator-assignment'`,
      [second.id],
    );
    expect(`Au coordinateur régional : ${mail.why}`).toBe(fallback.reason);
    expect((await t.dataSource.query(`SELECT assigned_facilitator_id AS id FROM requests WHERE id = $1`, [second.id]))[0].id).toBe(
      coordinator,
    );

    const loads = await (await animator.get('/espace/facilitateurs')).text();
    expect(loads).toContain('coordinateur régional — Grand Est');
    // The département facilitator is listed by its département, not as a coordinator.
    expect(loads.match(/coordinateur régional/g)).toHaveLength(1);
  });

  describe('a coordinator given a request by staff', () => {
    const reassign = async (reference: string, body: Record<string, string>) =>
      bodyOf(
        fetch(`${t.url}/api/v1/staff/requests/${reference}/reassign`, {
          method: 'POST',
          headers: {
            authorization: await bearerFor(t, { role: 'animator', networks: ['grand-est'] }),
            'content-type': 'application/json',
          },
          body: JSON.stringify(body),
        }),
      );
    /** Grand Est's social-clause coordinator, and a facilitator of Bas-Rhin with that many places. */
    const insertCoordinator = () =>
      insertFacilitator(t.dataSource, {
        kind: 'social_clause',
        network: 'grand-est',
        coordinator: true,
        email: 'coordination@example.org',
      });
    const insertLocal = (capacity: number) =>
      insertFacilitator(t.dataSource, { kind: 'social_clause', network: 'grand-est', departments: ['67'], capacity });
    const coordinatorMail = async (email: string) => (await mailsTo(t, 'facilitator-assignment')).find((m) => m.recipient === email)!;

    it('chosen by staff while the département’s facilitator has room: the e-mail tells that choice, no fallback', async () => {
      const coordinator = await insertCoordinator();
      const local = await insertLocal(8);
      const { reference } = await routed(5, BAS_RHIN);
      expect(await reassign(reference, { facilitatorId: coordinator, reason: 'Course A' })).toMatchObject({ facilitatorId: coordinator });
      expect((await t.dataSource.query(`SELECT open_count AS n FROM facilitators WHERE id = $1`, [local]))[0].n).toBe(0);

      const mail = await coordinatorMail('coordination@example.org');
      for (const body of [mail.text_body, mail.html_body]) {
        expect(body).toContain('vous la confie : « Course A ».');
        expect(body).not.toContain('coordinateur régional');
        expect(body).not.toContain('disponible');
      }
    });

    it('left to routing, which falls back to the coordinator: the e-mail says why, as routing’s own', async () => {
      await insertCoordinator();
      const local = await insertLocal(1);
      const { id, reference } = await routed(6, BAS_RHIN);
      // Its only département facilitator took it and asked the buyer a precision: a rerouting must find someone now.
      await t.dataSource.query(`UPDATE request_assignments SET taken_at = now() WHERE request_id = $1 AND facilitator_id = $2`, [
        id,
        local,
      ]);
      await t.dataSource.query(`UPDATE requests SET status = 'awaiting_buyer' WHERE id = $1`, [id]);
      expect(await reassign(reference, { reason: 'Départ en formation' })).toMatchObject({ status: 'awaiting_buyer' });

      const mail = await coordinatorMail('coordination@example.org');
      expect(mail.text_body).toContain(
        'l’a rendue à l’attribution automatique, qui vous l’a confiée. Son motif : « Départ en formation ».',
      );
      expect(mail.text_body).toContain(
        'Elle vous revient comme coordinateur régional : les facilitateurs de clauses sociales du département l’ont tous déjà eue et laissée.',
      );
    });
  });
});
