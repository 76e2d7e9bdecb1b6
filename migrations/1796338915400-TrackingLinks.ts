import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A buyer who lost their tracking links asks for them by e-mail address: the requests are found by that
 * address in any case (an expression index, which TypeORM cannot declare), and the asks are throttled.
 * Written by hand: the generator sees neither an expression index nor a changed check constraint.
 */
export class TrackingLinks1796338915400 implements MigrationInterface {
  name = 'TrackingLinks1796338915400';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "requests_buyer_email_idx" ON "requests" (lower("buyer_email"))`);
    await queryRunner.query(`ALTER TABLE "throttle_events" DROP CONSTRAINT "throttle_events_kind_check"`);
    await queryRunner.query(
      `ALTER TABLE "throttle_events" ADD CONSTRAINT "throttle_events_kind_check" CHECK ("kind" IN ('sign_in_failure', 'password_reset', 'tracking_links'))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "throttle_events" WHERE "kind" = 'tracking_links'`);
    await queryRunner.query(`ALTER TABLE "throttle_events" DROP CONSTRAINT "throttle_events_kind_check"`);
    await queryRunner.query(
      `ALTER TABLE "throttle_events" ADD CONSTRAINT "throttle_events_kind_check" CHECK ("kind" IN ('sign_in_failure', 'password_reset'))`,
    );
    await queryRunner.query(`DROP INDEX "public"."requests_buyer_email_idx"`);
  }
}
