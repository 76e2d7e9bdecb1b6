import { MigrationInterface, QueryRunner } from 'typeorm';

/** The kind of request an answer template suits (null: both); existing templates stay offered on both. */
export class AnswerTemplateKind1796404706665 implements MigrationInterface {
  name = 'AnswerTemplateKind1796404706665';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "answer_templates" ADD "kind" character varying(20)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "answer_templates" DROP COLUMN "kind"`);
  }
}
