import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two animators at work on the same network: a template's save carries the version it was opened from (a stale one
 * is refused rather than silently overwriting), and a shared evaluation names who shared it, not only when.
 */
export class TemplateVersionAndShareAuthor1796562000000 implements MigrationInterface {
  name = 'TemplateVersionAndShareAuthor1796562000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "answer_templates" ADD "version" integer NOT NULL DEFAULT 1`);
    // Shares made before it stay unnamed: said with their date alone.
    await queryRunner.query(`ALTER TABLE "surveys" ADD "shared_by" uuid`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "surveys" DROP COLUMN "shared_by"`);
    await queryRunner.query(`ALTER TABLE "answer_templates" DROP COLUMN "version"`);
  }
}
