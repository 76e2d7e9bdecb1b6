import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A facilitator who took a request in charge is reminded one working day of their own time before the answer is
 * due: the moment is kept on the assignment beside the deadline and moves with it. Requests taken before this
 * migration have none.
 */
export class AnswerReminders1796347798602 implements MigrationInterface {
  name = 'AnswerReminders1796347798602';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "request_assignments" ADD "answer_reminder_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `CREATE INDEX "request_assignments_answer_reminder_idx" ON "request_assignments" ("answer_reminder_at") WHERE ended_at IS NULL AND answer_reminder_at IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."request_assignments_answer_reminder_idx"`);
    await queryRunner.query(`ALTER TABLE "request_assignments" DROP COLUMN "answer_reminder_at"`);
  }
}
