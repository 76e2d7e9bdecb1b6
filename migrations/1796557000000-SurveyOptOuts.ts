import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Addresses that refused every follow-up survey (the buyer's own choice, or staff on their word): an HMAC of the
 * normalised address, no address, so the objection survives the erasure of the buyer's requests.
 */
export class SurveyOptOuts1796557000000 implements MigrationInterface {
  name = 'SurveyOptOuts1796557000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "survey_opt_outs" ("email_hash" bytea NOT NULL, "source" character varying(10) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "survey_opt_outs_source_check" CHECK ("source" IN ('buyer', 'staff')), CONSTRAINT "PK_681d8fcbdde1c9414e0f1d4acde" PRIMARY KEY ("email_hash"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "survey_opt_outs"`);
  }
}
