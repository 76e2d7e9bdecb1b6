import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A journal line may name the thing it is about (an answer template's id): a page left open on a template since deleted
 * then says who deleted it and when, rather than that it never existed.
 */
export class AuditEventSubject1796565000000 implements MigrationInterface {
  name = 'AuditEventSubject1796565000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "audit_events" ADD "subject_id" uuid`);
    await queryRunner.query(`CREATE INDEX "audit_events_subject_idx" ON "audit_events" ("subject_id") WHERE "subject_id" IS NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."audit_events_subject_idx"`);
    await queryRunner.query(`ALTER TABLE "audit_events" DROP COLUMN "subject_id"`);
  }
}
