import { insertFacilitator } from './facilitators';
import { insertStaff, StaffClient } from './staff';
import { TestApp, validRequestBody, waitFor } from './test-app';

/** A submitted request routed to a facilitator who has an account, signed in. */
export async function assignedToSignedIn(t: TestApp, change: (body: ReturnType<typeof validRequestBody>) => void = () => undefined) {
  const facilitatorId = await insertFacilitator(t.dataSource, { capacity: 5 });
  const [{ network_code: network }] = await t.dataSource.query(`SELECT network_code FROM facilitators WHERE id = $1`, [facilitatorId]);
  const staff = await insertStaff(t.dataSource, { role: 'facilitator', facilitatorId, networks: [network] });
  const body = validRequestBody(1);
  change(body);
  const response = await fetch(`${t.url}/api/v1/requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
  const { reference, trackingUrl } = await response.json();
  await waitFor(
    async () => (await t.dataSource.query(`SELECT 1 FROM requests WHERE reference = $1 AND status = 'assigned'`, [reference])).length > 0,
  );
  const client = new StaffClient(t.url);
  expect((await client.signIn(staff.email)).status).toBe(303);
  return { reference: reference as string, trackingUrl: trackingUrl as string, client, facilitatorId, network: network as string, staff };
}
