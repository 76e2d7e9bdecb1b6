import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A facilitator's pages ask whether they left drafts (« Mes brouillons laissés » in the navigation): by author, which
 * the primary key (request first) cannot answer without reading every draft.
 */
export class AnswerDraftsByAuthor1796566000000 implements MigrationInterface {
  name = 'AnswerDraftsByAuthor1796566000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "answer_drafts_staff_user_idx" ON "answer_drafts" ("staff_user_id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."answer_drafts_staff_user_idx"`);
  }
}
