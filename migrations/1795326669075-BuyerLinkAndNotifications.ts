import { MigrationInterface, QueryRunner } from 'typeorm';

export class BuyerLinkAndNotifications1795326669075 implements MigrationInterface {
  name = 'BuyerLinkAndNotifications1795326669075';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "requests" ADD "tracking_token_sealed" bytea`);
    await queryRunner.query(`ALTER TABLE "requests" ADD "buyer_notified_event_id" bigint`);
    // Existing requests: their history so far is not news (their buyers had no debounced e-mails before).
    await queryRunner.query(
      `UPDATE "requests" r SET "buyer_notified_event_id" = (SELECT max(e."id") FROM "request_events" e WHERE e."request_id" = r."id")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "requests" DROP COLUMN "buyer_notified_event_id"`);
    await queryRunner.query(`ALTER TABLE "requests" DROP COLUMN "tracking_token_sealed"`);
  }
}
