import { MigrationInterface, QueryRunner } from 'typeorm';

export class StaffAccounts1795325502442 implements MigrationInterface {
  name = 'StaffAccounts1795325502442';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "staff_users" ("id" uuid NOT NULL, "email" character varying(254) NOT NULL, "first_name" character varying(100) NOT NULL, "last_name" character varying(100) NOT NULL, "role" character varying(20) NOT NULL, "facilitator_id" uuid, "password_hash" text, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_sign_in_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "staff_users_facilitator_check" CHECK (("role" = 'facilitator') = ("facilitator_id" IS NOT NULL)), CONSTRAINT "staff_users_role_check" CHECK ("role" IN ('facilitator', 'animator', 'admin')), CONSTRAINT "PK_c6b167335377df69f7910c2c75e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_4f32dd66546226ea64f5573b77" ON "staff_users" ("email") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_8f3e871185bd25a538ae0eaf00" ON "staff_users" ("facilitator_id") WHERE facilitator_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "staff_user_networks" ("user_id" uuid NOT NULL, "network_code" character varying(32) NOT NULL, CONSTRAINT "PK_3ed41fe13a97302885b2c700620" PRIMARY KEY ("user_id", "network_code"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "staff_sessions" ("id" uuid NOT NULL, "token_hash" bytea NOT NULL, "user_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_b9be2467392ab95efaa3661cce2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_c435ca5b3c71d72635df8d4119" ON "staff_sessions" ("token_hash") `);
    await queryRunner.query(`CREATE INDEX "IDX_2dd2f0538f62962ddab52b9e8d" ON "staff_sessions" ("expires_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_2d3e82105bee50ac45fe3ed597" ON "staff_sessions" ("user_id") `);
    await queryRunner.query(
      `CREATE TABLE "api_tokens" ("id" uuid NOT NULL, "user_id" uuid NOT NULL, "label" character varying(100) NOT NULL, "token_hash" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_c587455266b5fa8dace7194caac" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_bbd687a104e1921e6702c6e3aa" ON "api_tokens" ("token_hash") `);
    await queryRunner.query(`CREATE INDEX "IDX_b74883f5884a42fd8496d389b2" ON "api_tokens" ("user_id") `);
    await queryRunner.query(
      `CREATE TABLE "account_links" ("id" uuid NOT NULL, "user_id" uuid NOT NULL, "purpose" character varying(20) NOT NULL, "token_hash" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "account_links_purpose_check" CHECK ("purpose" IN ('invitation', 'password_reset')), CONSTRAINT "PK_e03b1e79173941b176b58836ecd" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_0c2e20e8aa37ab904b00e4cd5b" ON "account_links" ("token_hash") `);
    await queryRunner.query(`CREATE INDEX "IDX_ddd09dffca8c148f0db27d6f19" ON "account_links" ("expires_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_d6c82edbecf4f6409b579e78b0" ON "account_links" ("user_id") `);
    await queryRunner.query(
      `CREATE TABLE "throttle_events" ("id" BIGSERIAL NOT NULL, "kind" character varying(20) NOT NULL, "account_key" character varying(254) NOT NULL, "client_address" character varying(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "throttle_events_kind_check" CHECK ("kind" IN ('sign_in_failure', 'password_reset')), CONSTRAINT "PK_acfad136c7a532b92a0ce50d115" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_04d5642b6d607bc5a2f5e1b135" ON "throttle_events" ("kind", "client_address", "created_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_a780fa88137e768389c1163756" ON "throttle_events" ("kind", "account_key", "created_at") `);
    await queryRunner.query(
      `ALTER TABLE "staff_users" ADD CONSTRAINT "FK_6f366b74f5f66e39cc6aafcccd0" FOREIGN KEY ("facilitator_id") REFERENCES "facilitators"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "staff_user_networks" ADD CONSTRAINT "FK_3dbf2c38133cfc327484115f268" FOREIGN KEY ("user_id") REFERENCES "staff_users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "staff_user_networks" ADD CONSTRAINT "FK_683abf552b3be8375f97c4c3751" FOREIGN KEY ("network_code") REFERENCES "networks"("code") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "staff_sessions" ADD CONSTRAINT "FK_2d3e82105bee50ac45fe3ed5975" FOREIGN KEY ("user_id") REFERENCES "staff_users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "api_tokens" ADD CONSTRAINT "FK_b74883f5884a42fd8496d389b25" FOREIGN KEY ("user_id") REFERENCES "staff_users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "account_links" ADD CONSTRAINT "FK_d6c82edbecf4f6409b579e78b0d" FOREIGN KEY ("user_id") REFERENCES "staff_users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "account_links" DROP CONSTRAINT "FK_d6c82edbecf4f6409b579e78b0d"`);
    await queryRunner.query(`ALTER TABLE "api_tokens" DROP CONSTRAINT "FK_b74883f5884a42fd8496d389b25"`);
    await queryRunner.query(`ALTER TABLE "staff_sessions" DROP CONSTRAINT "FK_2d3e82105bee50ac45fe3ed5975"`);
    await queryRunner.query(`ALTER TABLE "staff_user_networks" DROP CONSTRAINT "FK_683abf552b3be8375f97c4c3751"`);
    await queryRunner.query(`ALTER TABLE "staff_user_networks" DROP CONSTRAINT "FK_3dbf2c38133cfc327484115f268"`);
    await queryRunner.query(`ALTER TABLE "staff_users" DROP CONSTRAINT "FK_6f366b74f5f66e39cc6aafcccd0"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a780fa88137e768389c1163756"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_04d5642b6d607bc5a2f5e1b135"`);
    await queryRunner.query(`DROP TABLE "throttle_events"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_d6c82edbecf4f6409b579e78b0"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ddd09dffca8c148f0db27d6f19"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_0c2e20e8aa37ab904b00e4cd5b"`);
    await queryRunner.query(`DROP TABLE "account_links"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b74883f5884a42fd8496d389b2"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_bbd687a104e1921e6702c6e3aa"`);
    await queryRunner.query(`DROP TABLE "api_tokens"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_2d3e82105bee50ac45fe3ed597"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_2dd2f0538f62962ddab52b9e8d"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c435ca5b3c71d72635df8d4119"`);
    await queryRunner.query(`DROP TABLE "staff_sessions"`);
    await queryRunner.query(`DROP TABLE "staff_user_networks"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_8f3e871185bd25a538ae0eaf00"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4f32dd66546226ea64f5573b77"`);
    await queryRunner.query(`DROP TABLE "staff_users"`);
  }
}
