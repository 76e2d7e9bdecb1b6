import type { StaffPrincipal } from '../../src/modules/accounts/accounts.types';
import { parseQueueFilters, QUEUE_PAGE_SIZE } from '../../src/modules/workspace/workspace-queue.policy';
import { WorkspaceRepository } from '../../src/modules/workspace/workspace.repository';
import { nodesOf, plansOf, readsOf } from '../support/query-plans';
import { insertClosedRequests } from '../support/survey-seeds';
import { TestApp, useTestApp } from '../support/test-app';

const admin: StaffPrincipal = {
  id: '00000000-0000-4000-8000-000000000001',
  email: 'admin@example.org',
  firstName: 'Alix',
  lastName: 'Admin',
  role: 'admin',
  facilitatorId: null,
  networkCodes: [],
};

describe('the staff search box reads its trigram index, then checks each request found against stored text', () => {
  let t!: TestApp;
  useTestApp((app) => (t = app));

  beforeEach(async () => {
    // A common word: one request in three.
    await insertClosedRequests(t.dataSource, 300, { subject: 'Mobilier de réemploi' });
    await insertClosedRequests(t.dataSource, 600, { subject: 'Fournitures de bureau et loi AGEC' });
    await t.dataSource.query(`VACUUM ANALYZE requests`);
  });

  it('counts and pages a common word’s requests without unaccenting each of them', async () => {
    let total = 0;
    const plans = await plansOf(
      t.dataSource,
      async () => {
        ({ total } = await t.app.get(WorkspaceRepository).queue(admin, parseQueueFilters({ q: 'REEMPLOI' }), new Date(), {
          size: QUEUE_PAGE_SIZE,
          offset: 0,
        }));
      },
      { bitmapScans: true },
    );

    expect(total).toBe(300);
    expect(plans).toHaveLength(2);
    for (const plan of plans) {
      expect(readsOf(plan).filter((read) => read.endsWith(' requests'))).toEqual(['Bitmap Heap Scan requests']);
      const requests = plan.find((n) => n['Relation Name'] === 'requests')!;
      expect(nodesOf(requests).map((n) => n['Index Name'] ?? n['Node Type'])).toEqual(['Bitmap Heap Scan', 'requests_search_idx']);
      // What the index cannot tell apart, a plain LIKE on the stored text checks: no function call per request.
      expect(requests['Recheck Cond']).toBe(`(search_text ~~ '%reemploi%'::text)`);
    }
  });
});
