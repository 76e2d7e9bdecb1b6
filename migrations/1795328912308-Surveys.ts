import { MigrationInterface, QueryRunner } from 'typeorm';

export class Surveys1795328912308 implements MigrationInterface {
  name = 'Surveys1795328912308';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "surveys" ("id" uuid NOT NULL, "request_id" uuid NOT NULL, "wave" character varying(20) NOT NULL, "status" character varying(20) NOT NULL, "facilitator_id" uuid, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "sent_at" TIMESTAMP WITH TIME ZONE, "reminded_at" TIMESTAMP WITH TIME ZONE, "expires_at" TIMESTAMP WITH TIME ZONE, "completed_at" TIMESTAMP WITH TIME ZONE, "answered_at" TIMESTAMP WITH TIME ZONE, "token_hash" bytea, "token_sealed" bytea, "usefulness" character varying(10), "quick_enough" boolean, "comment" text, "contract_outcome" character varying(10), "contract_date" date, "contract_reference" character varying(100), "levers" character varying array NOT NULL DEFAULT '{}', "award_criterion_weight" smallint, "insertion_hours" integer, "themes" character varying array NOT NULL DEFAULT '{}', "environmental_considerations" character varying array NOT NULL DEFAULT '{}', "social_considerations" character varying array NOT NULL DEFAULT '{}', "contract_amount" bigint, "obstacles" character varying array NOT NULL DEFAULT '{}', "would_use_again" boolean, "reuse_consent" boolean, "reviewed_at" TIMESTAMP WITH TIME ZONE, "reviewed_by" uuid, "review_note" text, "shared_with_facilitator_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_1b5e3d4aaeb2321ffa98498c971" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "surveys_token_hash_idx" ON "surveys" ("token_hash") WHERE token_hash IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "surveys_completed_idx" ON "surveys" ("wave", "completed_at") WHERE completed_at IS NOT NULL`);
    await queryRunner.query(
      `CREATE INDEX "surveys_pending_idx" ON "surveys" ("status", "due_at") WHERE status IN ('scheduled', 'sent', 'reminded')`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "surveys_request_wave_idx" ON "surveys" ("request_id", "wave") `);
    await queryRunner.query(
      `ALTER TABLE "surveys" ADD CONSTRAINT "FK_ef877d7a7ca2a4a1adea5875d87" FOREIGN KEY ("request_id") REFERENCES "requests"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "surveys" DROP CONSTRAINT "FK_ef877d7a7ca2a4a1adea5875d87"`);
    await queryRunner.query(`DROP INDEX "public"."surveys_request_wave_idx"`);
    await queryRunner.query(`DROP INDEX "public"."surveys_pending_idx"`);
    await queryRunner.query(`DROP INDEX "public"."surveys_completed_idx"`);
    await queryRunner.query(`DROP INDEX "public"."surveys_token_hash_idx"`);
    await queryRunner.query(`DROP TABLE "surveys"`);
  }
}
