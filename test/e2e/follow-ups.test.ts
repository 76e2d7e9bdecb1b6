import { sentMailFile, submittedAndTaken, TrackedTestRequest } from '../support/conversation';
import { insertFacilitator } from '../support/facilitators';
import { bearerFor, insertStaff, signedInStaff, StaffClient } from '../support/staff';
import { bodyOf, TestApp, useTestApp, validRequestBody, waitFor } from '../support/test-app';

/** The form's fields for a valid question (the buyer's details come from the earlier request's link, as a browser sends them). */
const QUESTION_FORM = {
  'buyer.firstName': 'Camille',
  'buyer.lastName': 'Martin',
  'buyer.email': 'camille.martin+1@example.fr',
  'buyer.organisationName': 'Département de l’Isère',
  'buyer.organisationType': 'local_authority',
  departmentCode: '38',
  kind: 'environmental',
  segment: 'office_supplies',
  purchaseStage: 'drafting_tender',
  subject: 'Fournitures de bureau : le contrôle en exécution',
  question:
    'Notre marché de fournitures de bureau est attribué : comment contrôler en exécution les taux de produits issus du réemploi que nous avons exigés dans le DCE ?',
  consent: 'yes',
  website: '',
};

describe('a later question about the same purchase (follow-up)', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app), {}, { api: true, worker: true });

  const formTokenOf = (html: string) => /name="formToken" value="([^"]+)"/.exec(html)![1];
  const postForm = (values: Record<string, string>) =>
    fetch(`${t.url}/demande`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(values).toString(),
    });
  const submitApi = (n: number, overrides: Record<string, unknown> = {}) =>
    fetch(`${t.url}/api/v1/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(validRequestBody(n, overrides)),
    });
  const row = async (reference: string) =>
    (
      await t.dataSource.query(
        `SELECT r.id, r.status, r.assigned_facilitator_id AS "facilitatorId", p.reference AS "followsUp"
           FROM requests r LEFT JOIN requests p ON p.id = r.follows_up_request_id WHERE r.reference = $1`,
        [reference],
      )
    )[0];
  const assigned = (reference: string) =>
    waitFor(async () => ((await row(reference)).status === 'assigned' ? row(reference) : null), 15_000, `${reference} attribuée`);
  const assignedReason = async (reference: string): Promise<string | null> =>
    (
      await t.dataSource.query(
        `SELECT e.reason FROM request_events e JOIN requests r ON r.id = e.request_id
          WHERE r.reference = $1 AND e.type = 'assigned' ORDER BY e.id DESC LIMIT 1`,
        [reference],
      )
    )[0].reason;

  /** The earlier request, taken in charge by its holder; its holder's desk room for one more. */
  async function earlierRequest(n = 1): Promise<TrackedTestRequest> {
    const earlier = await submittedAndTaken(t, n, { email: `titulaire-${n}@example.org` });
    await t.dataSource.query(`UPDATE facilitators SET capacity = 5 WHERE id = $1`, [earlier.facilitatorId]);
    return earlier;
  }

  /** Another adviser of the same territory whom the usual ranking prefers (expertise in the segment, nothing open). */
  const usualChoice = () => insertFacilitator(t.dataSource, { segments: ['office_supplies'], email: 'expert@example.org' });

  it('asks on the form reached from a tracking link whether it is the same purchase, and links it only when so and proven', async () => {
    const earlier = await earlierRequest();
    const link = `/demande?suite=${earlier.reference}&t=${encodeURIComponent(earlier.token)}`;
    const page = await (await fetch(`${t.url}${link}`)).text();
    expect(page).toContain(`Cette question porte sur le même achat que ${earlier.reference} (suite)`);
    expect(page).toContain('Cette question porte sur un autre achat');
    expect(page).toContain(`name="followsUp.reference" value="${earlier.reference}"`);
    // A wrong token: no link, no choice, as no details.
    const wrong = await (await fetch(`${t.url}/demande?suite=${earlier.reference}&t=faux`)).text();
    expect(wrong).not.toContain('name="samePurchase"');
    expect(wrong).not.toContain(earlier.reference);

    const hidden = { 'followsUp.reference': earlier.reference, 'followsUp.trackingToken': earlier.token };
    // The choice is asked: without it, the form comes back saying so, with the link kept.
    const unanswered = await postForm({ ...QUESTION_FORM, ...hidden, formToken: formTokenOf(page) });
    expect(unanswered.status).toBe(400);
    const again = await unanswered.text();
    expect(again).toContain(
      `Indiquez si votre question porte sur le même achat que votre demande ${earlier.reference} ou sur un autre achat.`,
    );
    expect(again).toContain('href="#f-samePurchase"');
    expect(again).toContain(`name="followsUp.reference" value="${earlier.reference}"`);

    /** Sends the form from a page fetched anew (its own token); the request recorded, and the one it follows. */
    const linkedBy = async (values: Record<string, string>, formToken?: string) => {
      const sent = await postForm({
        ...QUESTION_FORM,
        ...hidden,
        ...values,
        formToken: formToken ?? formTokenOf(await (await fetch(`${t.url}${link}`)).text()),
      });
      expect(sent.status).toBe(201);
      return (await row(/id="reference">(GV-\d{4}-\d{6})</.exec(await sent.text())![1])).followsUp;
    };
    expect(await linkedBy({ samePurchase: 'yes' }, formTokenOf(again))).toBe(earlier.reference);
    expect(await linkedBy({ subject: 'Un autre achat : les véhicules', samePurchase: 'no' })).toBeNull();
    // A page tampered with (a wrong token): recorded, linked to nothing.
    expect(
      await linkedBy({ 'followsUp.trackingToken': 'faux', subject: 'Fournitures : une question de plus', samePurchase: 'yes' }),
    ).toBeNull();
  });

  it('takes `followsUp` in the JSON API with its tracking token, refuses a wrong one in French, and documents it', async () => {
    const earlier = await earlierRequest();
    const good = await submitApi(2, { followsUp: { reference: earlier.reference, trackingToken: earlier.token } });
    expect(good.status).toBe(201);
    const { reference } = await good.json();
    expect((await row(reference)).followsUp).toBe(earlier.reference);

    for (const followsUp of [
      { reference: earlier.reference, trackingToken: 'faux' },
      { reference: 'GV-2020-999999', trackingToken: earlier.token },
    ]) {
      const refused = await submitApi(3, { followsUp });
      expect(refused.status).toBe(400);
      expect((await refused.json()).errors).toEqual([
        { field: 'followsUp', message: 'Demande précédente introuvable : vérifiez sa référence et le jeton de son lien de suivi.' },
      ]);
    }
    const missingToken = await submitApi(3, { followsUp: { reference: earlier.reference } });
    expect(missingToken.status).toBe(400);
    expect((await missingToken.json()).errors.map((e: { field: string }) => e.field)).toEqual(['followsUp.trackingToken']);
    expect(Number((await t.dataSource.query(`SELECT count(*) AS n FROM requests`))[0].n)).toBe(2);

    const docs = await bodyOf(fetch(`${t.url}/api/docs-json`));
    const schemas = docs.components.schemas;
    expect(schemas.CreateRequestDto.properties.followsUp.allOf ?? [schemas.CreateRequestDto.properties.followsUp]).toEqual(
      expect.arrayContaining([expect.objectContaining({ $ref: '#/components/schemas/FollowsUpDto' })]),
    );
    expect(schemas.FollowsUpDto.required).toEqual(['reference', 'trackingToken']);
    expect(schemas.TrackedRequestDto.properties.followsUp).toBeDefined();
    expect(schemas.StaffRequestPageDto.properties.followsUp).toBeDefined();
    expect(schemas.StaffRequestPageDto.properties.followedBy).toBeDefined();
  });

  it('tells the buyer on the new request’s tracking page which request it follows', async () => {
    const earlier = await earlierRequest();
    const created = await bodyOf(submitApi(2, { followsUp: { reference: earlier.reference, trackingToken: earlier.token } }));
    const token = new URL(created.trackingUrl).searchParams.get('t')!;
    const page = await (await fetch(created.trackingUrl)).text();
    expect(page).toContain(`Suite de votre demande ${earlier.reference}`);
    const tracked = await bodyOf(fetch(`${t.url}/api/v1/requests/${created.reference}`, { headers: { 'x-tracking-token': token } }));
    expect(tracked.followsUp).toBe(earlier.reference);
    // The earlier one follows nothing.
    const first = await bodyOf(fetch(`${t.url}/api/v1/requests/${earlier.reference}`, { headers: { 'x-tracking-token': earlier.token } }));
    expect(first.followsUp).toBeNull();
  });

  it('routes a follow-up to the earlier request’s holder when they may take it, and says why', async () => {
    const earlier = await earlierRequest();
    await usualChoice();
    const created = await bodyOf(submitApi(2, { followsUp: { reference: earlier.reference, trackingToken: earlier.token } }));
    expect((await assigned(created.reference)).facilitatorId).toBe(earlier.facilitatorId);
    expect(await assignedReason(created.reference)).toBe(`Suite de ${earlier.reference}, confiée au même facilitateur`);
    // Their e-mail names the earlier request, where their exchanges with the buyer are.
    expect((await sentMailFile(t, 'facilitator-assignment', 'titulaire-1@example.org')).replace(/\s+/g, ' ')).toContain(
      `Elle fait suite à la demande ${earlier.reference}, sur le même achat, que vous avez prise en charge : retrouvez-y vos échanges avec l’acheteur`,
    );
  });

  it.each([
    [
      'absent',
      `INSERT INTO facilitator_absences (id, facilitator_id, starts_on, ends_on) VALUES (gen_random_uuid(), $1, current_date - 1, current_date + 7)`,
    ],
    ['full', `UPDATE facilitators SET capacity = open_count WHERE id = $1`],
  ])('routes a follow-up by the usual ranking when the earlier holder is %s', async (_label, unavailable) => {
    const earlier = await earlierRequest();
    const expert = await usualChoice();
    await t.dataSource.query(unavailable, [earlier.facilitatorId]);
    const created = await bodyOf(submitApi(2, { followsUp: { reference: earlier.reference, trackingToken: earlier.token } }));
    expect((await assigned(created.reference)).facilitatorId).toBe(expert);
    expect(await assignedReason(created.reference)).toBeNull();
    // Another facilitator: not their earlier request, not a word of it.
    expect(await sentMailFile(t, 'facilitator-assignment', 'expert@example.org')).not.toContain('fait suite');
  });

  it('links both requests on the staff pages and API, as links only for those who may open them', async () => {
    const earlier = await earlierRequest();
    const holder = new StaffClient(t.url);
    const { email } = await insertStaff(t.dataSource, { role: 'facilitator', facilitatorId: earlier.facilitatorId, networks: ['aura-ee'] });
    expect((await holder.signIn(email)).status).toBe(303);
    // The holder away: the follow-up goes to a colleague, who may not open the earlier request.
    const colleagueId = await usualChoice();
    await t.dataSource.query(`UPDATE facilitators SET capacity = open_count WHERE id = $1`, [earlier.facilitatorId]);
    const created = await bodyOf(submitApi(2, { followsUp: { reference: earlier.reference, trackingToken: earlier.token } }));
    expect((await assigned(created.reference)).facilitatorId).toBe(colleagueId);
    const colleague = await signedInStaff(t, { role: 'facilitator', facilitatorId: colleagueId, networks: ['aura-ee'] });
    const animator = await signedInStaff(t, { role: 'animator', networks: ['aura-ee'] });

    const linkTo = (reference: string) => `<a href="/espace/demandes/${reference}">${reference}</a>`;
    const laterPage = async (client: StaffClient) => (await client.get(`/espace/demandes/${created.reference}`)).text();
    const earlierPage = async (client: StaffClient) => (await client.get(`/espace/demandes/${earlier.reference}`)).text();

    expect(await laterPage(animator)).toContain(`Suite de ${linkTo(earlier.reference)}`);
    expect(await earlierPage(animator)).toContain(`Suites : ${linkTo(created.reference)}`);
    // The colleague reads which request it follows, without a link to a request they may not open.
    const colleagues = await laterPage(colleague);
    expect(colleagues).toContain(`Suite de ${earlier.reference} (même achat`);
    expect(colleagues).not.toContain(linkTo(earlier.reference));
    expect((await colleague.get(`/espace/demandes/${earlier.reference}`)).status).toBe(404);
    // And the holder of the earlier one, the other way round.
    const holders = await earlierPage(holder);
    expect(holders).toContain(`Suites : ${created.reference}`);
    expect(holders).not.toContain(linkTo(created.reference));

    const api = async (authorization: string, reference: string) =>
      bodyOf(fetch(`${t.url}/api/v1/staff/requests/${reference}`, { headers: { authorization } }));
    const colleagueApi = await api(
      await bearerFor(t, { role: 'facilitator', facilitatorId: colleagueId, networks: ['aura-ee'] }),
      created.reference,
    );
    expect(colleagueApi.followsUp).toEqual({ reference: earlier.reference, visible: false });
    expect(colleagueApi.followedBy).toEqual([]);
    const animatorApi = await api(await bearerFor(t, { role: 'animator', networks: ['aura-ee'] }), earlier.reference);
    expect(animatorApi.followsUp).toBeNull();
    expect(animatorApi.followedBy).toEqual([{ reference: created.reference, visible: true }]);
  });
});
