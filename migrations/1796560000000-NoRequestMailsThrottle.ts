import { MigrationInterface, QueryRunner } from 'typeorm';

/** « Aucune demande à cette adresse » mails are counted over all addresses, under their own throttle kind. Written by hand: the generator does not see check constraints. */
export class NoRequestMailsThrottle1796560000000 implements MigrationInterface {
  name = 'NoRequestMailsThrottle1796560000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "throttle_events" DROP CONSTRAINT "throttle_events_kind_check"`);
    await queryRunner.query(
      `ALTER TABLE "throttle_events" ADD CONSTRAINT "throttle_events_kind_check" CHECK ("kind" IN ('sign_in_failure', 'password_reset', 'tracking_links', 'tracking_links_none'))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "throttle_events" WHERE "kind" = 'tracking_links_none'`);
    await queryRunner.query(`ALTER TABLE "throttle_events" DROP CONSTRAINT "throttle_events_kind_check"`);
    await queryRunner.query(
      `ALTER TABLE "throttle_events" ADD CONSTRAINT "throttle_events_kind_check" CHECK ("kind" IN ('sign_in_failure', 'password_reset', 'tracking_links'))`,
    );
  }
}
