import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the indicators read instead of the history: when a request was first taken in charge and first answered,
 * and how many working days after its submission. Timestamps are backfilled from the history here; the working
 * days of older rows need the French calendar (JavaScript) and are filled by `npm run cli -- indicators:backfill`.
 * The covering indexes let the dashboard count a period with index-only scans.
 */
export class RequestMilestones1795331000000 implements MigrationInterface {
  name = 'RequestMilestones1795331000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "requests" ADD "taken_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "requests" ADD "answered_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "requests" ADD "take_charge_working_days" numeric(7,2)`);
    await queryRunner.query(`ALTER TABLE "requests" ADD "answer_working_days" numeric(7,2)`);
    await queryRunner.query(
      `UPDATE requests r SET taken_at = e.at
         FROM (SELECT request_id, min(created_at) AS at FROM request_events WHERE type = 'taken_in_charge' GROUP BY request_id) e
        WHERE e.request_id = r.id`,
    );
    await queryRunner.query(
      `UPDATE requests r SET answered_at = e.at
         FROM (SELECT request_id, min(created_at) AS at FROM request_events WHERE to_status = 'answered' GROUP BY request_id) e
        WHERE e.request_id = r.id`,
    );
    const figures = `"status", "kind", "segment_code", "department_code", "deadline_misses", "take_charge_working_days", "answer_working_days"`;
    await queryRunner.query(`CREATE INDEX "requests_indicators_created_idx" ON "requests" ("created_at") INCLUDE (${figures})`);
    await queryRunner.query(
      `CREATE INDEX "requests_indicators_network_idx" ON "requests" ("network_code", "created_at") INCLUDE (${figures})`,
    );
    await queryRunner.query(
      `CREATE INDEX "request_assignments_assigned_idx" ON "request_assignments" ("assigned_at") INCLUDE ("facilitator_id", "end_reason")`,
    );
    await queryRunner.query(
      `CREATE INDEX "surveys_sent_idx" ON "surveys" ("wave", "sent_at") INCLUDE ("completed_at", "request_id") WHERE sent_at IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."surveys_sent_idx"`);
    await queryRunner.query(`DROP INDEX "public"."request_assignments_assigned_idx"`);
    await queryRunner.query(`DROP INDEX "public"."requests_indicators_network_idx"`);
    await queryRunner.query(`DROP INDEX "public"."requests_indicators_created_idx"`);
    await queryRunner.query(`ALTER TABLE "requests" DROP COLUMN "answer_working_days"`);
    await queryRunner.query(`ALTER TABLE "requests" DROP COLUMN "take_charge_working_days"`);
    await queryRunner.query(`ALTER TABLE "requests" DROP COLUMN "answered_at"`);
    await queryRunner.query(`ALTER TABLE "requests" DROP COLUMN "taken_at"`);
  }
}
