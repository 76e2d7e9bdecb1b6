import { MigrationInterface, QueryRunner } from 'typeorm';

/** The lifecycle sweep's requests waiting on their buyer, found without reading every request each minute. */
export class RequestsOnBuyerIndex1796320442216 implements MigrationInterface {
  name = 'RequestsOnBuyerIndex1796320442216';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "requests_on_buyer_idx" ON "requests" ("status") WHERE status IN ('answered', 'awaiting_buyer')`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."requests_on_buyer_idx"`);
  }
}
