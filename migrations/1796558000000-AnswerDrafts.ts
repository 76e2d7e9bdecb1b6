import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Answers being written, kept between visits: one per request and staff member, text and typed help items (no files),
 * bounded as the answer is. Personal data of the request: deleted with it, at its closure or erasure, and with the account.
 */
export class AnswerDrafts1796558000000 implements MigrationInterface {
  name = 'AnswerDrafts1796558000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "answer_drafts" ("request_id" uuid NOT NULL, "staff_user_id" uuid NOT NULL, "body" text NOT NULL, "items" jsonb NOT NULL DEFAULT '[]', "saved_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "answer_drafts_body_length_check" CHECK (char_length("body") <= 10000), CONSTRAINT "PK_643a9e23299df12952f572af7d4" PRIMARY KEY ("request_id", "staff_user_id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "answer_drafts" ADD CONSTRAINT "FK_9b5747627e8ab3d95547ef77c38" FOREIGN KEY ("request_id") REFERENCES "requests"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "answer_drafts" ADD CONSTRAINT "FK_7cdd2f5b0caaf7c99048a50ceb6" FOREIGN KEY ("staff_user_id") REFERENCES "staff_users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "answer_drafts" DROP CONSTRAINT "FK_7cdd2f5b0caaf7c99048a50ceb6"`);
    await queryRunner.query(`ALTER TABLE "answer_drafts" DROP CONSTRAINT "FK_9b5747627e8ab3d95547ef77c38"`);
    await queryRunner.query(`DROP TABLE "answer_drafts"`);
  }
}
