import { MigrationInterface, QueryRunner } from 'typeorm';

const FIGURES = `"status", "kind", "segment_code", "department_code", "deadline_misses", "take_charge_working_days", "answer_working_days"`;

/**
 * Whether a request's first answer came within its deadline, for the indicators' « réponses dans le délai », now
 * kept when it is given. Earlier answers are judged here from the history and the deadline of the assignment that
 * held the request then (a deadline moved by a pause after a reopening may judge that answer a little leniently).
 * The covering indexes carry the new column, for index-only scans.
 */
export class AnsweredOnTime1796376550350 implements MigrationInterface {
  name = 'AnsweredOnTime1796376550350';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "requests" ADD "answered_on_time" boolean`);
    await queryRunner.query(
      `WITH first_answer AS (
         SELECT request_id, min(created_at) AS at FROM request_events WHERE to_status = 'answered' GROUP BY request_id
       )
       UPDATE requests r SET answered_on_time = f.at <= a.answer_due_at
         FROM first_answer f
         CROSS JOIN LATERAL (
           SELECT answer_due_at FROM request_assignments ra
            WHERE ra.request_id = f.request_id AND ra.assigned_at <= f.at AND (ra.ended_at IS NULL OR ra.ended_at >= f.at)
            ORDER BY ra.assigned_at DESC LIMIT 1
         ) a
        WHERE r.id = f.request_id AND a.answer_due_at IS NOT NULL`,
    );
    await this.indexes(queryRunner, `${FIGURES}, "answered_on_time"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await this.indexes(queryRunner, FIGURES);
    await queryRunner.query(`ALTER TABLE "requests" DROP COLUMN "answered_on_time"`);
  }

  private async indexes(queryRunner: QueryRunner, included: string): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."requests_indicators_network_idx"`);
    await queryRunner.query(`DROP INDEX "public"."requests_indicators_created_idx"`);
    await queryRunner.query(`CREATE INDEX "requests_indicators_created_idx" ON "requests" ("created_at") INCLUDE (${included})`);
    await queryRunner.query(
      `CREATE INDEX "requests_indicators_network_idx" ON "requests" ("network_code", "created_at") INCLUDE (${included})`,
    );
  }
}
