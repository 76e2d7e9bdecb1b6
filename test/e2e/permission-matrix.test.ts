/**
 * Every staff endpoint, with every kind of person: who gets in, who is sent to sign in, and for whom the
 * thing does not exist (404). The routes come from Nest's own metadata, so an endpoint added without a row
 * here fails the coverage check. Bodies are chosen so that a person who may act gets a refusal of the
 * content (400) or of the state (409), never a change: the table is about access, the other tests about
 * what the actions do.
 */
import { PATH_METADATA, METHOD_METADATA, GUARDS_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { StaffAuthService } from '../../src/modules/accounts/staff-auth.service';
import { StaffGuard } from '../../src/modules/accounts/staff.guard';
import { staffWrites, submittedAndTaken } from '../support/conversation';
import { insertFacilitator } from '../support/facilitators';
import { insertCompletedSurvey } from '../support/survey-seeds';
import { samplePdf } from '../support/sample-files';
import { csrfIn, insertStaff, StaffClient } from '../support/staff';
import { flushQueues, resetDatabase, startTestApp, submitRequest, TestApp } from '../support/test-app';

jest.setTimeout(120_000);

const ACTORS = ['anonymous', 'holder', 'peer', 'stranger', 'animator', 'foreignAnimator', 'admin'] as const;
type Actor = (typeof ACTORS)[number];
type Expected = Record<Actor, number>;

/**
 * Signed in or not, what a page, a page's form or an API route answers to whom. Without a session, a page sends to
 * sign in (303); a form sent gets the sign-in page in its place (401), with what it held; the API answers 401.
 */
const NOT_SIGNED_IN = { page: 303, form: 401, api: 401 } as const;
type Surface = keyof typeof NOT_SIGNED_IN;

function answers(surface: Surface, signedIn: Omit<Expected, 'anonymous'>): Expected {
  return { anonymous: NOT_SIGNED_IN[surface], ...signedIn };
}
/** Anyone signed in. */
const everyone = (surface: Surface, code: number) =>
  answers(surface, { holder: code, peer: code, stranger: code, animator: code, foreignAnimator: code, admin: code });
/** Only the facilitator holding the request acts on it; for anyone else the action does not exist. */
const holderOnly = (surface: Surface, code: number) =>
  answers(surface, { holder: code, peer: 404, stranger: 404, animator: 404, foreignAnimator: 404, admin: 404 });
/** Whoever sees the request: its facilitator, its network's animators, admins. */
const seers = (surface: Surface, code: number) =>
  answers(surface, { holder: code, peer: 404, stranger: 404, animator: code, foreignAnimator: 404, admin: code });
/** The request's network (animators) and admins. */
const network = (surface: Surface, code: number) =>
  answers(surface, { holder: 404, peer: 404, stranger: 404, animator: code, foreignAnimator: 404, admin: code });
/** The facilitators of the pool's network (animators reassign instead). */
const poolNetworkFacilitators = (surface: Surface, code: number) =>
  answers(surface, { holder: code, peer: code, stranger: 404, animator: 404, foreignAnimator: 404, admin: 404 });
/** The facilitator themself (the holder's own record), their network's animators, admins. */
const selfOrNetwork = (surface: Surface, code: number) =>
  answers(surface, { holder: code, peer: 404, stranger: 404, animator: code, foreignAnimator: 404, admin: code });
/** Every facilitator, whatever the request (their own things), by role. */
const facilitators = (surface: Surface, code: number) =>
  answers(surface, { holder: code, peer: code, stranger: code, animator: 404, foreignAnimator: 404, admin: 404 });
/** Animators (each for their own networks) and admins, by role. */
const managers = (surface: Surface, code: number) =>
  answers(surface, { holder: 404, peer: 404, stranger: 404, animator: code, foreignAnimator: code, admin: code });

interface Row {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** As Nest declares it: the coverage check matches on it. */
  route: string;
  /** On the pool's request rather than the one in progress. */
  pool?: boolean;
  expected: Expected;
  body?: Record<string, unknown>;
  multipart?: boolean;
}

describe('permission matrix of the staff endpoints', () => {
  let t: TestApp;
  let ids: Record<string, string>;
  const clients = new Map<Actor, { session: StaffClient; csrf: string; bearer: string }>();

  beforeAll(async () => {
    t = await startTestApp();
    await resetDatabase(t.dataSource);
    await flushQueues();
    // The request: in progress with aura-ee's facilitator, a file attached; a second facilitator of aura-ee, one of another network.
    const request = await submittedAndTaken(t, 1, { email: 'titulaire@example.org' });
    const [attachmentId] = await staffWrites(
      t,
      request,
      'clarification_question',
      'Quel volume ?',
      [],
      [{ name: 'Guide.pdf', content: samplePdf() }],
    );
    await t.dataSource.query(`UPDATE requests SET status = 'in_progress' WHERE id = $1`, [request.id]);
    const peerId = await insertFacilitator(t.dataSource, { network: 'aura-ee' });
    const strangerId = await insertFacilitator(t.dataSource, { network: 'reunion' });
    // A request in aura-ee's pool, that aura-ee's facilitators (both full) may try to take, and be refused for lack of room.
    const pool = await submitRequest(t, 2);
    await t.dataSource.query(`UPDATE requests SET status = 'unassigned' WHERE reference = $1`, [pool]);
    await t.dataSource.query(`UPDATE facilitators SET open_count = capacity WHERE id = ANY($1::uuid[])`, [[request.facilitatorId, peerId]]);
    const accounts: Record<Exclude<Actor, 'anonymous'>, Parameters<typeof insertStaff>[1]> = {
      holder: { role: 'facilitator', facilitatorId: request.facilitatorId, networks: ['aura-ee'] },
      peer: { role: 'facilitator', facilitatorId: peerId, networks: ['aura-ee'] },
      stranger: { role: 'facilitator', facilitatorId: strangerId, networks: ['reunion'] },
      animator: { role: 'animator', networks: ['aura-ee'] },
      foreignAnimator: { role: 'animator', networks: ['reunion'] },
      admin: { role: 'admin' },
    };
    const auth = t.app.get(StaffAuthService);
    const staffIds: Partial<Record<Actor, string>> = {};
    for (const [actor, seed] of Object.entries(accounts) as Array<[Actor, Parameters<typeof insertStaff>[1]]>) {
      const { id, email } = await insertStaff(t.dataSource, seed);
      staffIds[actor] = id;
      const session = new StaffClient(t.url);
      expect((await session.signIn(email)).status).toBe(303);
      const csrf = csrfIn(await (await session.get('/espace/compte')).text());
      clients.set(actor, { session, csrf, bearer: `Bearer ${await auth.createApiToken(id, 'matrice')}` });
    }
    // Targets that a successful call would change: an account and a token nobody else uses.
    const target = await insertStaff(t.dataSource, {
      role: 'facilitator',
      facilitatorId: await insertFacilitator(t.dataSource, { network: 'aura-ee' }),
      networks: ['aura-ee'],
      email: 'cible@example.org',
    });
    await auth.createApiToken(staffIds.holder!, 'cible');
    const [{ id: tokenId }] = await t.dataSource.query(`SELECT id FROM api_tokens WHERE user_id = $1 AND label = 'cible'`, [
      staffIds.holder,
    ]);
    // The request's satisfaction survey, answered, shared with its facilitator.
    const evaluationId = await insertCompletedSurvey(t.dataSource, request.id, {
      facilitatorId: request.facilitatorId,
      sharedWithFacilitatorAt: new Date(),
    });
    ids = {
      evaluationId,
      pool,
      ref: request.reference,
      attachmentId,
      facilitatorId: request.facilitatorId,
      accountId: target.id,
      tokenId,
      absenceId: randomUUID(),
      templateId: (
        await t.dataSource.query(
          `INSERT INTO answer_templates (id, network_code, title, body) VALUES (gen_random_uuid(), 'aura-ee', 'Loi AGEC', 'Texte') RETURNING id`,
        )
      )[0].id,
    };
  });

  afterAll(() => t?.close());

  const ROWS: Row[] = [
    // Workspace pages.
    { method: 'GET', route: '/espace', expected: everyone('page', 200) },
    { method: 'GET', route: '/espace/demandes/:reference', expected: seers('page', 200) },
    { method: 'GET', route: '/espace/demandes/:reference/pieces-jointes/:id', expected: seers('page', 200) },
    { method: 'POST', route: '/espace/demandes/:reference/prise-en-charge', expected: holderOnly('form', 409) },
    { method: 'POST', route: '/espace/demandes/:reference/declin', body: {}, expected: holderOnly('form', 400) },
    { method: 'POST', route: '/espace/demandes/:reference/notes', body: { body: '' }, expected: seers('form', 400) },
    { method: 'POST', route: '/espace/demandes/:reference/precision', body: { body: '' }, expected: holderOnly('form', 400) },
    { method: 'POST', route: '/espace/demandes/:reference/reponse', multipart: true, expected: holderOnly('form', 400) },
    // A draft is saved through the answer's form (its « Enregistrer le brouillon » button); discarding one the holder does
    // not have changes nothing.
    { method: 'POST', route: '/espace/demandes/:reference/brouillon/suppression', expected: holderOnly('form', 303) },
    // « Mes brouillons laissés »: each facilitator's own list (empty here), nobody else's by role; a draft nobody left on
    // the request is nobody's to delete.
    { method: 'GET', route: '/espace/brouillons', expected: facilitators('page', 200) },
    { method: 'POST', route: '/espace/brouillons/:reference/suppression', expected: everyone('form', 404) },
    { method: 'GET', route: '/api/v1/staff/left-answer-drafts', expected: facilitators('api', 200) },
    { method: 'DELETE', route: '/api/v1/staff/left-answer-drafts/:reference', expected: everyone('api', 404) },
    { method: 'POST', route: '/espace/demandes/:reference/cloture', body: {}, expected: seers('form', 400) },
    // Reopening an open request: refused by its state (409) for those who may reopen, 404 for everyone else.
    { method: 'POST', route: '/espace/demandes/:reference/reouverture', expected: seers('form', 409) },
    // Erasure on the buyer's request: the network's side only; unconfirmed here (400) before any state is looked at.
    { method: 'POST', route: '/espace/demandes/:reference/effacement', body: {}, expected: network('form', 400) },
    // Correcting the buyer's contact details: whoever answers for the request; empty here, so refused field by field.
    { method: 'POST', route: '/espace/demandes/:reference/coordonnees', body: {}, expected: seers('form', 400) },
    // The buyer's objection to surveys: those who answer for the request; for another network's facilitator it does not
    // exist. Confirmed: the first who may act records it (the request has no survey yet), the others find it done.
    { method: 'POST', route: '/espace/demandes/:reference/questionnaires-refuses', body: { confirm: '1' }, expected: seers('form', 303) },
    // Lifting it, by the same people: unconfirmed here (400) before anything is looked at.
    { method: 'POST', route: '/espace/demandes/:reference/questionnaires-acceptes', body: {}, expected: seers('form', 400) },
    // Dispatch pages.
    { method: 'GET', route: '/espace/demandes/:ref/transfert', expected: seers('page', 200) },
    { method: 'POST', route: '/espace/demandes/:ref/transfert', body: {}, expected: seers('form', 400) },
    { method: 'GET', route: '/espace/demandes/:ref/scission', expected: seers('page', 200) },
    { method: 'POST', route: '/espace/demandes/:ref/scission', body: {}, expected: seers('form', 400) },
    { method: 'GET', route: '/espace/demandes/:ref/reaffectation', expected: network('page', 200) },
    { method: 'POST', route: '/espace/demandes/:ref/reaffectation', body: {}, expected: network('form', 400) },
    // Taking from the pool: refused for lack of room (409) to those who may try.
    { method: 'POST', route: '/espace/demandes/:ref/prise-en-reserve', pool: true, expected: poolNetworkFacilitators('form', 409) },
    { method: 'GET', route: '/espace/facilitateurs', expected: managers('page', 200) },
    // Inviting those without an account: the page again, with who was invited (managers only).
    { method: 'POST', route: '/espace/facilitateurs/invitations', expected: managers('form', 200) },
    { method: 'GET', route: '/espace/facilitateurs/invitations', expected: managers('page', 303) },
    // Directory pages: records changed by the animators of the network and admins; blank forms refused (400) to them.
    { method: 'GET', route: '/espace/facilitateurs/nouveau', expected: managers('page', 200) },
    { method: 'POST', route: '/espace/facilitateurs/nouveau', body: {}, expected: managers('form', 400) },
    // The CSV import: each animator into their networks, admins into all; without a file, refused (400) to them.
    { method: 'GET', route: '/espace/facilitateurs/import', expected: managers('page', 200) },
    { method: 'GET', route: '/espace/facilitateurs/import/modele.csv', expected: managers('page', 200) },
    { method: 'POST', route: '/espace/facilitateurs/import', multipart: true, expected: managers('form', 400) },
    // The facilitator themself reads their record (no form); managers get the form.
    { method: 'GET', route: '/espace/facilitateurs/:id/fiche', expected: selfOrNetwork('page', 200) },
    { method: 'POST', route: '/espace/facilitateurs/:id/fiche', body: {}, expected: network('form', 400) },
    // Absence pages, on the holder's facilitator record: blank dates are refused (400) to those who may declare.
    { method: 'GET', route: '/espace/facilitateurs/:id/absences', expected: selfOrNetwork('page', 200) },
    { method: 'POST', route: '/espace/facilitateurs/:id/absences', body: {}, expected: selfOrNetwork('form', 400) },
    // An absence nobody recorded: missing (404) for those who manage the absences, as the facilitator is for anyone else.
    { method: 'POST', route: '/espace/facilitateurs/:id/absences/:absenceId/suppression', expected: selfOrNetwork('form', 404) },
    // Account pages.
    { method: 'GET', route: '/espace/compte', expected: everyone('page', 200) },
    { method: 'POST', route: '/espace/compte/profil', body: { firstName: '', lastName: '' }, expected: everyone('form', 400) },
    { method: 'POST', route: '/espace/compte/mot-de-passe', body: {}, expected: everyone('form', 400) },
    { method: 'POST', route: '/espace/compte/jetons', body: { label: '' }, expected: everyone('form', 400) },
    {
      method: 'POST',
      route: '/espace/compte/jetons/:id/revocation',
      // Someone else's token does not exist for them; its owner's revocation is tested in accounts.test.ts.
      expected: answers('form', { holder: 303, peer: 404, stranger: 404, animator: 404, foreignAnimator: 404, admin: 404 }),
    },
    // Answer templates: each animator their networks', admins all; a template outside them does not exist.
    { method: 'GET', route: '/espace/modeles', expected: managers('page', 200) },
    { method: 'POST', route: '/espace/modeles', body: {}, expected: managers('form', 400) },
    { method: 'GET', route: '/espace/modeles/:id', expected: network('page', 200) },
    { method: 'POST', route: '/espace/modeles/:id', body: {}, expected: network('form', 400) },
    { method: 'GET', route: '/espace/modeles/:id/suppression', expected: network('page', 200) },
    // An unknown template (deleting the real one would change the rows after it): 404 to all, facilitators by role.
    { method: 'POST', route: '/espace/modeles/:id/suppression', expected: everyone('form', 404) },
    // The same by the API; every facilitator reads their own network's.
    { method: 'GET', route: '/api/v1/staff/answer-templates', expected: everyone('api', 200) },
    { method: 'POST', route: '/api/v1/staff/answer-templates', body: {}, expected: managers('api', 400) },
    {
      method: 'GET',
      route: '/api/v1/staff/answer-templates/:id',
      expected: answers('api', { holder: 200, peer: 200, stranger: 404, animator: 200, foreignAnimator: 404, admin: 200 }),
    },
    { method: 'PATCH', route: '/api/v1/staff/answer-templates/:id', body: { title: '' }, expected: network('api', 400) },
    { method: 'DELETE', route: '/api/v1/staff/answer-templates/:id', expected: everyone('api', 404) },
    { method: 'GET', route: '/espace/comptes', expected: managers('page', 200) },
    { method: 'POST', route: '/espace/comptes', body: {}, expected: managers('form', 400) },
    {
      method: 'GET',
      route: '/espace/comptes/:id/desactivation',
      expected: answers('page', { holder: 404, peer: 404, stranger: 404, animator: 200, foreignAnimator: 404, admin: 200 }),
    },
    {
      method: 'POST',
      route: '/espace/comptes/:id/desactivation',
      expected: answers('form', { holder: 404, peer: 404, stranger: 404, animator: 303, foreignAnimator: 404, admin: 303 }),
    },
    // The target is a facilitator's account: no networks to choose (409) for those who manage it.
    {
      method: 'GET',
      route: '/espace/comptes/:id/reseaux',
      expected: answers('page', { holder: 404, peer: 404, stranger: 404, animator: 409, foreignAnimator: 404, admin: 409 }),
    },
    {
      method: 'POST',
      route: '/espace/comptes/:id/reseaux',
      body: {},
      expected: answers('form', { holder: 404, peer: 404, stranger: 404, animator: 409, foreignAnimator: 404, admin: 409 }),
    },
    {
      method: 'GET',
      route: '/espace/comptes/:id/adresse',
      expected: answers('page', { holder: 404, peer: 404, stranger: 404, animator: 200, foreignAnimator: 404, admin: 200 }),
    },
    {
      method: 'POST',
      route: '/espace/comptes/:id/adresse',
      body: {},
      expected: answers('form', { holder: 404, peer: 404, stranger: 404, animator: 400, foreignAnimator: 404, admin: 400 }),
    },
    {
      method: 'POST',
      route: '/espace/comptes/:id/reactivation',
      expected: answers('form', { holder: 404, peer: 404, stranger: 404, animator: 303, foreignAnimator: 404, admin: 303 }),
    },
    // The networks' page: the request's network (aura-ee) for its animators and admins.
    { method: 'GET', route: '/espace/reseaux', expected: managers('page', 200) },
    { method: 'GET', route: '/espace/reseaux/:code', expected: network('page', 200) },
    { method: 'POST', route: '/espace/reseaux/:code', body: {}, expected: network('form', 400) },
    { method: 'GET', route: '/espace/journal', expected: managers('page', 200) },
    // Workspace API.
    { method: 'GET', route: '/api/v1/staff/requests', expected: everyone('api', 200) },
    { method: 'GET', route: '/api/v1/staff/requests/:reference', expected: seers('api', 200) },
    { method: 'POST', route: '/api/v1/staff/requests/:reference/take-charge', expected: holderOnly('api', 409) },
    { method: 'POST', route: '/api/v1/staff/requests/:reference/decline', body: {}, expected: holderOnly('api', 400) },
    { method: 'POST', route: '/api/v1/staff/requests/:reference/notes', body: {}, expected: seers('api', 400) },
    { method: 'POST', route: '/api/v1/staff/requests/:reference/clarification', body: {}, expected: holderOnly('api', 400) },
    { method: 'POST', route: '/api/v1/staff/requests/:reference/answer', body: {}, expected: holderOnly('api', 400) },
    { method: 'GET', route: '/api/v1/staff/requests/:reference/answer-draft', expected: holderOnly('api', 200) },
    // Over the answer's limit: refused before anything is written.
    {
      method: 'PUT',
      route: '/api/v1/staff/requests/:reference/answer-draft',
      body: { body: 'x'.repeat(10_001) },
      expected: holderOnly('api', 400),
    },
    { method: 'DELETE', route: '/api/v1/staff/requests/:reference/answer-draft', expected: holderOnly('api', 204) },
    { method: 'POST', route: '/api/v1/staff/requests/:reference/close', body: {}, expected: seers('api', 400) },
    { method: 'POST', route: '/api/v1/staff/requests/:reference/reopen', expected: seers('api', 409) },
    { method: 'POST', route: '/api/v1/staff/requests/:reference/erase-personal-data', body: {}, expected: network('api', 400) },
    { method: 'POST', route: '/api/v1/staff/requests/:reference/buyer-contact', body: {}, expected: seers('api', 400) },
    { method: 'POST', route: '/api/v1/staff/requests/:reference/refuse-surveys', expected: seers('api', 200) },
    // The first who may act lifts the opt-out just recorded, the others find nothing to lift.
    { method: 'POST', route: '/api/v1/staff/requests/:reference/accept-surveys', expected: seers('api', 200) },
    // Dispatch API.
    { method: 'POST', route: '/api/v1/staff/requests/:ref/transfer', body: {}, expected: seers('api', 400) },
    { method: 'POST', route: '/api/v1/staff/requests/:ref/split', body: {}, expected: seers('api', 400) },
    { method: 'POST', route: '/api/v1/staff/requests/:ref/reassign', body: {}, expected: network('api', 400) },
    { method: 'POST', route: '/api/v1/staff/requests/:ref/take-from-pool', pool: true, expected: poolNetworkFacilitators('api', 409) },
    { method: 'GET', route: '/api/v1/staff/facilitators/load', expected: managers('api', 200) },
    // Directory API: an animator manages their networks' facilitators only.
    { method: 'GET', route: '/api/v1/facilitators', expected: managers('api', 200) },
    { method: 'GET', route: '/api/v1/facilitators/:id', expected: network('api', 200) },
    { method: 'POST', route: '/api/v1/facilitators', body: {}, expected: managers('api', 400) },
    // The directory checks the body before the facilitator: valid bodies (changing nothing that matters here) reach the check.
    { method: 'PATCH', route: '/api/v1/facilitators/:id', body: { capacity: 10 }, expected: network('api', 200) },
    {
      method: 'POST',
      route: '/api/v1/facilitators/:id/absences',
      body: { startsOn: '2030-01-02', endsOn: '2030-01-03' },
      // The animator records it; the admin, coming second, is refused the same days (overlap), past the access check.
      expected: answers('api', { holder: 404, peer: 404, stranger: 404, animator: 201, foreignAnimator: 404, admin: 409 }),
    },
    // An absence nobody recorded: for the network it is missing (404), for anyone else the facilitator is.
    { method: 'DELETE', route: '/api/v1/facilitators/:id/absences/:absenceId', expected: network('api', 404) },
    // Evaluations: the request's network and admins review; its facilitator reads it once shared.
    { method: 'GET', route: '/espace/evaluations', expected: everyone('page', 200) },
    { method: 'GET', route: '/espace/evaluations/:id', expected: seers('page', 200) },
    { method: 'POST', route: '/espace/evaluations/:id/revue', body: { note: 'x'.repeat(5001) }, expected: network('form', 400) },
    // Already shared: refused as such (409) to those who may share.
    { method: 'POST', route: '/espace/evaluations/:id/partage', body: {}, expected: network('form', 409) },
    { method: 'GET', route: '/api/v1/staff/evaluations', expected: everyone('api', 200) },
    { method: 'GET', route: '/api/v1/staff/evaluations/:id', expected: seers('api', 200) },
    { method: 'POST', route: '/api/v1/staff/evaluations/:id/review', body: { note: 'x'.repeat(5001) }, expected: network('api', 400) },
    { method: 'POST', route: '/api/v1/staff/evaluations/:id/share', body: {}, expected: network('api', 409) },
    // Exports: each person's own visible requests and evaluations.
    { method: 'GET', route: '/espace/export/demandes.csv', expected: everyone('page', 200) },
    { method: 'GET', route: '/espace/export/evaluations.csv', expected: everyone('page', 200) },
    // Indicators: animators (their networks) and admins; not facilitators.
    { method: 'GET', route: '/espace/indicateurs', expected: managers('page', 200) },
    { method: 'GET', route: '/api/v1/staff/indicators', expected: managers('api', 200) },
    { method: 'GET', route: '/espace/export/indicateurs.csv', expected: managers('page', 200) },
    // The queue dashboard (plain Express mount): admins only.
    {
      method: 'GET',
      route: '/admin/queues',
      expected: answers('page', { holder: 404, peer: 404, stranger: 404, animator: 404, foreignAnimator: 404, admin: 200 }),
    },
  ];

  /** The route with this test's ids in place of its parameters. */
  function pathOf({ method, route, pool }: Row): string {
    return (
      route
        .replace(/:(reference|ref)\b/, pool ? ids.pool : ids.ref)
        .replace(/pieces-jointes\/:id/, `pieces-jointes/${ids.attachmentId}`)
        .replace(/jetons\/:id/, `jetons/${ids.tokenId}`)
        .replace(/comptes\/:id/, `comptes/${ids.accountId}`)
        .replace(/reseaux\/:code/, 'reseaux/aura-ee')
        .replace(/facilitators\/:id/, `facilitators/${ids.facilitatorId}`)
        .replace(/facilitateurs\/:id/, `facilitateurs/${ids.facilitatorId}`)
        .replace(/:absenceId/, ids.absenceId)
        .replace(/modeles\/:id\/suppression/, `modeles/${method === 'POST' ? ids.absenceId : ids.templateId}/suppression`)
        .replace(/modeles\/:id/, `modeles/${ids.templateId}`)
        // Deleting the real template would change the rows after it: an unknown one.
        .replace(/answer-templates\/:id/, `answer-templates/${method === 'DELETE' ? ids.absenceId : ids.templateId}`)
        .replace(/evaluations\/:id/, `evaluations/${ids.evaluationId}`)
    );
  }

  async function call(row: Row, actor: Actor): Promise<number> {
    const api = row.route.startsWith('/api/');
    const client = clients.get(actor);
    const headers: Record<string, string> = {};
    let body: string | FormData | undefined;
    if (client && api) headers.authorization = client.bearer;
    if (client && !api) headers.cookie = client.session.jar.header();
    if (row.multipart) {
      body = new FormData();
      if (client) body.append('_csrf', client.csrf);
    } else if (row.method !== 'GET') {
      const fields = { ...(client && !api ? { _csrf: client.csrf } : {}), ...row.body };
      headers['content-type'] = api ? 'application/json' : 'application/x-www-form-urlencoded';
      body = api ? JSON.stringify(fields) : new URLSearchParams(fields as Record<string, string>).toString();
    }
    const response = await fetch(`${t.url}${pathOf(row)}`, { method: row.method, headers, body, redirect: 'manual' });
    const text = await response.text();
    if (response.status === 303 && actor === 'anonymous') expect(response.headers.get('location')).toMatch(/^\/connexion\?retour=/);
    if (response.status === 401 && actor === 'anonymous' && !api) expect(text).toContain('<form method="post" action="/connexion"');
    return response.status;
  }

  it('covers every route behind StaffGuard, and the queue dashboard', () => {
    const declared: string[] = [];
    for (const module of t.app.get(ModulesContainer).values()) {
      for (const { metatype } of module.controllers.values()) {
        if (!metatype) continue;
        const guards: unknown[] = Reflect.getMetadata(GUARDS_METADATA, metatype) ?? [];
        const base = String(Reflect.getMetadata(PATH_METADATA, metatype) ?? '');
        for (const name of Object.getOwnPropertyNames(metatype.prototype)) {
          const handler = metatype.prototype[name];
          const path = typeof handler === 'function' ? Reflect.getMetadata(PATH_METADATA, handler) : undefined;
          if (path === undefined || name === 'constructor') continue;
          const handlerGuards: unknown[] = Reflect.getMetadata(GUARDS_METADATA, handler) ?? [];
          if (![...guards, ...handlerGuards].includes(StaffGuard)) continue;
          const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
          declared.push(`${method} ${`/${base}/${path}`.replace(/\/+/g, '/').replace(/\/$/, '')}`);
        }
      }
    }
    expect(declared.length).toBeGreaterThan(30);
    expect(ROWS.map((r) => `${r.method} ${r.route}`).sort()).toEqual([...declared, 'GET /admin/queues'].sort());
  });

  it.each(ROWS.map((row) => [`${row.method} ${row.route}`, row] as const))('%s', async (_label, row) => {
    const seen: Partial<Expected> = {};
    for (const actor of ACTORS) seen[actor] = await call(row, actor);
    expect(seen).toEqual(row.expected);
  });
});
