import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795316335851 implements MigrationInterface {
  name = 'Initial1795316335851';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "networks" ("code" character varying(32) NOT NULL, "name" character varying(200) NOT NULL, "contact_email" character varying(254), "is_national" boolean NOT NULL DEFAULT false, CONSTRAINT "PK_f820172634ddbb5fd48463cb718" PRIMARY KEY ("code"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "regions" ("code" character varying(3) NOT NULL, "name" character varying(100) NOT NULL, "network_code" character varying(32) NOT NULL, CONSTRAINT "PK_4f6dc5a464961e7c65a395ea4c6" PRIMARY KEY ("code"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "departments" ("code" character varying(3) NOT NULL, "name" character varying(100) NOT NULL, "region_code" character varying(3) NOT NULL, CONSTRAINT "PK_91fddbe23e927e1e525c152baa3" PRIMARY KEY ("code"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "segments" ("code" character varying(40) NOT NULL, "label" character varying(120) NOT NULL, "cpv_code" character varying(8), "position" smallint NOT NULL, CONSTRAINT "PK_79693a9921ae70e676c0949e238" PRIMARY KEY ("code"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "requests" ("id" uuid NOT NULL, "reference" character varying(20) NOT NULL, "status" character varying(20) NOT NULL, "kind" character varying(20) NOT NULL, "buyer_first_name" character varying(100) NOT NULL, "buyer_last_name" character varying(100) NOT NULL, "buyer_email" character varying(254) NOT NULL, "buyer_phone" character varying(30), "organisation_name" character varying(200) NOT NULL, "organisation_type" character varying(30) NOT NULL, "siret" character(14), "internal_referent_consulted" boolean, "department_code" character varying(3) NOT NULL, "network_code" character varying(32) NOT NULL, "segment_code" character varying(40) NOT NULL, "subject" character varying(200) NOT NULL, "question" text NOT NULL, "purchase_stage" character varying(30) NOT NULL, "estimated_amount" bigint, "needed_by" date, "consented_at" TIMESTAMP WITH TIME ZONE NOT NULL, "tracking_token_hash" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0428f484e96f9e6a55955f29b5f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_d475a5fed59d8ce5df073db58d" ON "requests" ("reference") `);
    await queryRunner.query(`CREATE INDEX "IDX_2c767fa839f774c3d08e8bc737" ON "requests" ("network_code", "status") `);
    await queryRunner.query(
      `CREATE TABLE "request_events" ("id" BIGSERIAL NOT NULL, "request_id" uuid NOT NULL, "type" character varying(40) NOT NULL, "from_status" character varying(20), "to_status" character varying(20), "actor_type" character varying(10) NOT NULL, "actor_id" uuid, "reason" text, "is_public" boolean NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_bf9333ddb0c34f1533239fc9cb0" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_65a2b783f619e82cfceb8407fd" ON "request_events" ("request_id", "id") `);
    await queryRunner.query(
      `CREATE TABLE "mail_messages" ("id" uuid NOT NULL, "request_id" uuid, "template" character varying(60) NOT NULL, "recipient" character varying(254) NOT NULL, "subject" character varying(250) NOT NULL, "text_body" text, "html_body" text, "status" character varying(10) NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "last_error" text, "locked_until" TIMESTAMP WITH TIME ZONE, "sent_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_1bd6e76ef3b3d4aff7d0510a509" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_a856d947c20dc8bfc8026712f5" ON "mail_messages" ("request_id") `);
    await queryRunner.query(
      `CREATE INDEX "mail_messages_undelivered_idx" ON "mail_messages" ("status", "updated_at") WHERE status <> 'sent'`,
    );
    await queryRunner.query(
      `CREATE TABLE "idempotency_keys" ("key_hash" bytea NOT NULL, "fingerprint" bytea NOT NULL, "request_id" uuid, "sealed_response" bytea, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8e2f1786ab85509bef7f08d9d1f" PRIMARY KEY ("key_hash"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_5e72f040fdc5efc8eef52a388c" ON "idempotency_keys" ("created_at") `);
    await queryRunner.query(
      `CREATE TABLE "outbox_events" ("id" BIGSERIAL NOT NULL, "queue" character varying(40) NOT NULL, "job_name" character varying(60) NOT NULL, "job_id" character varying(120) NOT NULL, "payload" jsonb NOT NULL, "delay_ms" integer NOT NULL DEFAULT '0', "attempts" integer NOT NULL DEFAULT '0', "last_error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "published_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_6689a16c00d09b8089f6237f1d2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "outbox_events_pending_idx" ON "outbox_events" ("id") WHERE published_at IS NULL`);
    await queryRunner.query(
      `ALTER TABLE "regions" ADD CONSTRAINT "FK_1e3ff37578550cc459a4aa46d82" FOREIGN KEY ("network_code") REFERENCES "networks"("code") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "departments" ADD CONSTRAINT "FK_d9417ef8cf2e5b90c7879eccf63" FOREIGN KEY ("region_code") REFERENCES "regions"("code") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "requests" ADD CONSTRAINT "FK_613a49be36c9c1719626da85e92" FOREIGN KEY ("department_code") REFERENCES "departments"("code") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "requests" ADD CONSTRAINT "FK_224c01a94aff9c68bbd9f056bdf" FOREIGN KEY ("network_code") REFERENCES "networks"("code") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "requests" ADD CONSTRAINT "FK_5f968504f5f6737e8a2746c3ba8" FOREIGN KEY ("segment_code") REFERENCES "segments"("code") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "request_events" ADD CONSTRAINT "FK_e8b717bcc3e01fbd300f4e97e56" FOREIGN KEY ("request_id") REFERENCES "requests"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "request_events" DROP CONSTRAINT "FK_e8b717bcc3e01fbd300f4e97e56"`);
    await queryRunner.query(`ALTER TABLE "requests" DROP CONSTRAINT "FK_5f968504f5f6737e8a2746c3ba8"`);
    await queryRunner.query(`ALTER TABLE "requests" DROP CONSTRAINT "FK_224c01a94aff9c68bbd9f056bdf"`);
    await queryRunner.query(`ALTER TABLE "requests" DROP CONSTRAINT "FK_613a49be36c9c1719626da85e92"`);
    await queryRunner.query(`ALTER TABLE "departments" DROP CONSTRAINT "FK_d9417ef8cf2e5b90c7879eccf63"`);
    await queryRunner.query(`ALTER TABLE "regions" DROP CONSTRAINT "FK_1e3ff37578550cc459a4aa46d82"`);
    await queryRunner.query(`DROP INDEX "public"."outbox_events_pending_idx"`);
    await queryRunner.query(`DROP TABLE "outbox_events"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_5e72f040fdc5efc8eef52a388c"`);
    await queryRunner.query(`DROP TABLE "idempotency_keys"`);
    await queryRunner.query(`DROP INDEX "public"."mail_messages_undelivered_idx"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a856d947c20dc8bfc8026712f5"`);
    await queryRunner.query(`DROP TABLE "mail_messages"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_65a2b783f619e82cfceb8407fd"`);
    await queryRunner.query(`DROP TABLE "request_events"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_2c767fa839f774c3d08e8bc737"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_d475a5fed59d8ce5df073db58d"`);
    await queryRunner.query(`DROP TABLE "requests"`);
    await queryRunner.query(`DROP TABLE "segments"`);
    await queryRunner.query(`DROP TABLE "departments"`);
    await queryRunner.query(`DROP TABLE "regions"`);
    await queryRunner.query(`DROP TABLE "networks"`);
  }
}
