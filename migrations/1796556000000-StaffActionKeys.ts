import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Staff actions sent with a one-time form token or an API Idempotency-Key: a repeat answers as the first did instead of
 * acting twice (a reassignment, a closure… retried by a proxy or sent from two tabs).
 */
export class StaffActionKeys1796556000000 implements MigrationInterface {
  name = 'StaffActionKeys1796556000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "staff_action_keys" ("key_hash" bytea NOT NULL, "fingerprint" bytea NOT NULL, "outcome" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2979537a5b2f7d30afafd775b29" PRIMARY KEY ("key_hash"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_146c855ea0951090597cd36b37" ON "staff_action_keys" ("created_at")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_146c855ea0951090597cd36b37"`);
    await queryRunner.query(`DROP TABLE "staff_action_keys"`);
  }
}
