import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The staff queue at two years of history (120,000 requests, 96 % closed): a facilitator's requests, the open ones
 * and a status's list in submission order each read through an index instead of scanning and sorting every request
 * (bench:workspace, medians: admin's closed list 907 → 12 ms, its page 3,671 1,498 → 24 ms, a facilitator's queue 594 → 8 ms).
 */
export class StaffQueueIndexes1796510000000 implements MigrationInterface {
  name = 'StaffQueueIndexes1796510000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // A facilitator sees what they hold (this index) or their networks' pool (requests_pool_idx): a BitmapOr of both.
    await queryRunner.query(`CREATE INDEX "requests_facilitator_idx" ON "requests" ("assigned_facilitator_id", "created_at")`);
    // The open queue and its counts (index-only, by what visibility and tabs read): a few thousand rows whatever the
    // closed history's length.
    await queryRunner.query(
      `CREATE INDEX "requests_open_idx" ON "requests" ("created_at", "id") INCLUDE ("status", "assigned_facilitator_id", "network_code")
        WHERE status <> 'closed'`,
    );
    // A list of one status without deadlines (closed, answered…) in submission order, and its count, index-only.
    await queryRunner.query(`CREATE INDEX "requests_status_created_idx" ON "requests" ("status", "created_at", "id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."requests_status_created_idx"`);
    await queryRunner.query(`DROP INDEX "public"."requests_open_idx"`);
    await queryRunner.query(`DROP INDEX "public"."requests_facilitator_idx"`);
  }
}
