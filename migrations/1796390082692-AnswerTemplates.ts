import { MigrationInterface, QueryRunner } from 'typeorm';

/** Networks' answer templates, kept by animators and offered to facilitators under the answer form. */
export class AnswerTemplates1796390082692 implements MigrationInterface {
  name = 'AnswerTemplates1796390082692';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "answer_templates" ("id" uuid NOT NULL, "network_code" character varying(32) NOT NULL, "title" character varying(120) NOT NULL, "body" text NOT NULL, "updated_by_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b283d2a7b286f49dd4c3e53f422" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_798609f5cf26ae94a5ec81e8f1" ON "answer_templates" ("network_code", "title") `);
    await queryRunner.query(
      `ALTER TABLE "answer_templates" ADD CONSTRAINT "FK_ae91bea4d9f1012084ed1671bef" FOREIGN KEY ("network_code") REFERENCES "networks"("code") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "answer_templates" DROP CONSTRAINT "FK_ae91bea4d9f1012084ed1671bef"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_798609f5cf26ae94a5ec81e8f1"`);
    await queryRunner.query(`DROP TABLE "answer_templates"`);
  }
}
