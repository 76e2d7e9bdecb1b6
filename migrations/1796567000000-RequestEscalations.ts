import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A request missing its take-charge deadline again is told to the network's animators in a digest, not at once: each
 * escalation is kept until its digest announces it; the partial index serves the digest and the sweep's search for
 * those not told yet.
 */
export class RequestEscalations1796567000000 implements MigrationInterface {
  name = 'RequestEscalations1796567000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "request_escalations" ("id" uuid NOT NULL, "request_id" uuid NOT NULL, "misses" integer NOT NULL, "escalated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "announced_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_ea68e88ec2b6ed7409faf45df5f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "request_escalations_unannounced_idx" ON "request_escalations" ("request_id") WHERE announced_at IS NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "request_escalations" ADD CONSTRAINT "FK_b804056d65cd8c0d96d1a0e6e30" FOREIGN KEY ("request_id") REFERENCES "requests"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "request_escalations"`);
  }
}
