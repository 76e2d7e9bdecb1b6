import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Answers overdue are told to the network's animators in one digest per working day: the assignment keeps when
 * its overdue answer was told; the partial index serves the sweep's search for those not told yet.
 */
export class AnswerOverdueDigest1796357125196 implements MigrationInterface {
  name = 'AnswerOverdueDigest1796357125196';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "request_assignments" ADD "answer_overdue_announced_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `CREATE INDEX "request_assignments_answer_overdue_idx" ON "request_assignments" ("answer_due_at") WHERE ended_at IS NULL AND answer_due_at IS NOT NULL AND answer_overdue_announced_at IS NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."request_assignments_answer_overdue_idx"`);
    await queryRunner.query(`ALTER TABLE "request_assignments" DROP COLUMN "answer_overdue_announced_at"`);
  }
}
