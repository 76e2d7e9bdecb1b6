import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each claim on a staff action key gets its own nonce, drawn anew when a stale claim is taken over: the sending that
 * was overtaken can no longer complete or release the claim of the one that took over.
 */
export class StaffActionKeyClaims1796561000000 implements MigrationInterface {
  name = 'StaffActionKeyClaims1796561000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Keys held at the deploy get one each; every new claim is drawn by the service.
    await queryRunner.query(`ALTER TABLE "staff_action_keys" ADD "claim" uuid NOT NULL DEFAULT gen_random_uuid()`);
    await queryRunner.query(`ALTER TABLE "staff_action_keys" ALTER COLUMN "claim" DROP DEFAULT`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "staff_action_keys" DROP COLUMN "claim"`);
  }
}
