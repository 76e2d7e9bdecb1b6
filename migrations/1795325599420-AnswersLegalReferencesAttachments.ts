import { MigrationInterface, QueryRunner } from 'typeorm';

export class AnswersLegalReferencesAttachments1795325599420 implements MigrationInterface {
  name = 'AnswersLegalReferencesAttachments1795325599420';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "legal_references" ("code" character varying(40) NOT NULL, "label" character varying(300) NOT NULL, "url" character varying(500) NOT NULL, "position" smallint NOT NULL, CONSTRAINT "PK_f3f590d83246ce2789f4930b7b1" PRIMARY KEY ("code"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "attachments" ("id" uuid NOT NULL, "request_id" uuid NOT NULL, "message_id" uuid, "file_name" character varying(200) NOT NULL, "media_type" character varying(100) NOT NULL, "size" integer NOT NULL, "sha256" bytea NOT NULL, "uploaded_by_type" character varying(10) NOT NULL, "uploaded_by_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5e1f050bcff31e3084a1d662412" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_623e10eec51ada466c5038979e" ON "attachments" ("message_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_761904bb6ccba320d8c20c9c79" ON "attachments" ("request_id", "created_at") `);
    await queryRunner.query(
      `CREATE TABLE "attachment_contents" ("attachment_id" uuid NOT NULL, "content" bytea NOT NULL, CONSTRAINT "PK_1b424a72de833edc0a5e28a94c6" PRIMARY KEY ("attachment_id"))`,
    );
    // PDFs, images and office files are already compressed: TOAST compression would only cost CPU.
    await queryRunner.query(`ALTER TABLE "attachment_contents" ALTER COLUMN "content" SET STORAGE EXTERNAL`);
    await queryRunner.query(
      `CREATE TABLE "request_messages" ("id" uuid NOT NULL, "request_id" uuid NOT NULL, "kind" character varying(30) NOT NULL, "author_type" character varying(10) NOT NULL, "author_id" uuid, "body" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2c46c29c5bd12025b30863202dc" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_9da4c8834583934bc3975d696f" ON "request_messages" ("request_id", "created_at") `);
    await queryRunner.query(
      `CREATE TABLE "answer_help_items" ("id" uuid NOT NULL, "message_id" uuid NOT NULL, "position" smallint NOT NULL, "type" character varying(20) NOT NULL, "title" character varying(200), "url" character varying(2000), "attachment_id" uuid, "legal_reference_code" character varying(40), "peer_name" character varying(200), "peer_organisation" character varying(200), "peer_contact" character varying(254), "peer_consent" boolean, "referral_target" character varying(30), "details" text, CONSTRAINT "PK_7e877a8f35278ab091b8c16bdfd" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_1d8de8b6ec030ed2d310b36ead" ON "answer_help_items" ("message_id", "position") `);
    await queryRunner.query(`ALTER TABLE "requests" ADD "close_reason" character varying(20)`);
    await queryRunner.query(`ALTER TABLE "requests" ADD "closed_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `ALTER TABLE "attachments" ADD CONSTRAINT "FK_dcbe694cf3a439b06e0c7b6a73c" FOREIGN KEY ("request_id") REFERENCES "requests"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "attachments" ADD CONSTRAINT "FK_623e10eec51ada466c5038979e3" FOREIGN KEY ("message_id") REFERENCES "request_messages"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "attachment_contents" ADD CONSTRAINT "FK_1b424a72de833edc0a5e28a94c6" FOREIGN KEY ("attachment_id") REFERENCES "attachments"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "request_messages" ADD CONSTRAINT "FK_41626149ddfb759408a1c66ed30" FOREIGN KEY ("request_id") REFERENCES "requests"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "answer_help_items" ADD CONSTRAINT "FK_d66e25304b24c07276d9705535b" FOREIGN KEY ("message_id") REFERENCES "request_messages"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "answer_help_items" ADD CONSTRAINT "FK_26d3d3c43feb55d23e2e3ba02dd" FOREIGN KEY ("attachment_id") REFERENCES "attachments"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "answer_help_items" ADD CONSTRAINT "FK_70366b7eb72640497318ac5ff6d" FOREIGN KEY ("legal_reference_code") REFERENCES "legal_references"("code") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "answer_help_items" DROP CONSTRAINT "FK_70366b7eb72640497318ac5ff6d"`);
    await queryRunner.query(`ALTER TABLE "answer_help_items" DROP CONSTRAINT "FK_26d3d3c43feb55d23e2e3ba02dd"`);
    await queryRunner.query(`ALTER TABLE "answer_help_items" DROP CONSTRAINT "FK_d66e25304b24c07276d9705535b"`);
    await queryRunner.query(`ALTER TABLE "request_messages" DROP CONSTRAINT "FK_41626149ddfb759408a1c66ed30"`);
    await queryRunner.query(`ALTER TABLE "attachment_contents" DROP CONSTRAINT "FK_1b424a72de833edc0a5e28a94c6"`);
    await queryRunner.query(`ALTER TABLE "attachments" DROP CONSTRAINT "FK_623e10eec51ada466c5038979e3"`);
    await queryRunner.query(`ALTER TABLE "attachments" DROP CONSTRAINT "FK_dcbe694cf3a439b06e0c7b6a73c"`);
    await queryRunner.query(`ALTER TABLE "requests" DROP COLUMN "closed_at"`);
    await queryRunner.query(`ALTER TABLE "requests" DROP COLUMN "close_reason"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_1d8de8b6ec030ed2d310b36ead"`);
    await queryRunner.query(`DROP TABLE "answer_help_items"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_9da4c8834583934bc3975d696f"`);
    await queryRunner.query(`DROP TABLE "request_messages"`);
    await queryRunner.query(`DROP TABLE "attachment_contents"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_761904bb6ccba320d8c20c9c79"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_623e10eec51ada466c5038979e"`);
    await queryRunner.query(`DROP TABLE "attachments"`);
    await queryRunner.query(`DROP TABLE "legal_references"`);
  }
}
