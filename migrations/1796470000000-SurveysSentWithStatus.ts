import { MigrationInterface, QueryRunner } from 'typeorm';

/** The response rates also count the surveys their buyer declined: the status joins the index they read alone. */
export class SurveysSentWithStatus1796470000000 implements MigrationInterface {
  name = 'SurveysSentWithStatus1796470000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."surveys_sent_idx"`);
    await queryRunner.query(
      `CREATE INDEX "surveys_sent_idx" ON "surveys" ("wave", "sent_at") INCLUDE ("completed_at", "request_id", "status") WHERE sent_at IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."surveys_sent_idx"`);
    await queryRunner.query(
      `CREATE INDEX "surveys_sent_idx" ON "surveys" ("wave", "sent_at") INCLUDE ("completed_at", "request_id") WHERE sent_at IS NOT NULL`,
    );
  }
}
