import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An animator's account may hold the facilitator record of the same address (an animator who answers requests);
 * a facilitator's account still must, an admin's still must not. TypeORM does not see a check's expression change.
 */
export class AnimatorFacilitatorRecord1796480000000 implements MigrationInterface {
  name = 'AnimatorFacilitatorRecord1796480000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "staff_users" DROP CONSTRAINT "staff_users_facilitator_check"`);
    await queryRunner.query(
      `ALTER TABLE "staff_users" ADD CONSTRAINT "staff_users_facilitator_check" CHECK (("role" <> 'facilitator' OR "facilitator_id" IS NOT NULL) AND ("role" <> 'admin' OR "facilitator_id" IS NULL))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Animators go back to holding no record (what routing gave the record stays with it).
    await queryRunner.query(`UPDATE "staff_users" SET "facilitator_id" = NULL WHERE "role" = 'animator'`);
    await queryRunner.query(`ALTER TABLE "staff_users" DROP CONSTRAINT "staff_users_facilitator_check"`);
    await queryRunner.query(
      `ALTER TABLE "staff_users" ADD CONSTRAINT "staff_users_facilitator_check" CHECK (("role" = 'facilitator') = ("facilitator_id" IS NOT NULL))`,
    );
  }
}
