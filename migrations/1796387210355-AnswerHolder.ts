import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The facilitator who held a request at its first answer, so the alert on late answers names them and not whoever
 * holds the request after a transfer. Earlier answers take the holder of the assignment then running, as
 * AnsweredOnTime judged them; the alert's partial covering index carries the new column instead of the current holder.
 */
export class AnswerHolder1796387210355 implements MigrationInterface {
  name = 'AnswerHolder1796387210355';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "requests" ADD "answer_holder_id" uuid`);
    await queryRunner.query(
      `WITH first_answer AS (
         SELECT e.request_id, min(e.created_at) AS at
           FROM request_events e JOIN requests r ON r.id = e.request_id
          WHERE e.to_status = 'answered' AND r.answered_on_time IS NOT NULL
          GROUP BY e.request_id
       )
       UPDATE requests r SET answer_holder_id = a.facilitator_id
         FROM first_answer f
         CROSS JOIN LATERAL (
           SELECT facilitator_id FROM request_assignments ra
            WHERE ra.request_id = f.request_id AND ra.assigned_at <= f.at AND (ra.ended_at IS NULL OR ra.ended_at >= f.at)
            ORDER BY ra.assigned_at DESC LIMIT 1
         ) a
        WHERE r.id = f.request_id`,
    );
    await this.lateAnswersIndex(queryRunner, 'answer_holder_id');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await this.lateAnswersIndex(queryRunner, 'assigned_facilitator_id');
    await queryRunner.query(`ALTER TABLE "requests" DROP COLUMN "answer_holder_id"`);
  }

  private async lateAnswersIndex(queryRunner: QueryRunner, holder: string): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."requests_answered_holder_idx"`);
    await queryRunner.query(
      `CREATE INDEX "requests_answered_holder_idx" ON "requests" ("created_at") INCLUDE ("${holder}", "answered_on_time")
        WHERE answered_on_time IS NOT NULL`,
    );
  }
}
