import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A later question about the same purchase names the earlier request it follows (the buyer's choice, proven by that
 * request's tracking token). The earlier one may go (SET NULL): the later stands on its own. The partial index serves
 * the earlier request's page, which lists its follow-ups, without indexing the many requests that follow none.
 */
export class RequestFollowUps1796559000000 implements MigrationInterface {
  name = 'RequestFollowUps1796559000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "requests" ADD "follows_up_request_id" uuid`);
    await queryRunner.query(
      `CREATE INDEX "requests_follows_up_idx" ON "requests" ("follows_up_request_id") WHERE follows_up_request_id IS NOT NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "requests" ADD CONSTRAINT "FK_81e64c7799669a2bc7b01fe4395" FOREIGN KEY ("follows_up_request_id") REFERENCES "requests"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "requests" DROP CONSTRAINT "FK_81e64c7799669a2bc7b01fe4395"`);
    await queryRunner.query(`DROP INDEX "public"."requests_follows_up_idx"`);
    await queryRunner.query(`ALTER TABLE "requests" DROP COLUMN "follows_up_request_id"`);
  }
}
