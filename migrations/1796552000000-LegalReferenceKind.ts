import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The kind of request a legal reference serves (null: both), so that a social-clause answer is not offered AGEC or
 * EGAlim. The seed fills it at the next boot.
 */
export class LegalReferenceKind1796552000000 implements MigrationInterface {
  name = 'LegalReferenceKind1796552000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "legal_references" ADD "kind" character varying(20)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "legal_references" DROP COLUMN "kind"`);
  }
}
