import { MigrationInterface, QueryRunner } from 'typeorm';

export class FacilitatorDirectoryAndAssignments1795319330851 implements MigrationInterface {
  name = 'FacilitatorDirectoryAndAssignments1795319330851';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "facilitators" ("id" uuid NOT NULL, "email" character varying(254) NOT NULL, "first_name" character varying(100) NOT NULL, "last_name" character varying(100) NOT NULL, "kind" character varying(20) NOT NULL, "network_code" character varying(32) NOT NULL, "is_coordinator" boolean NOT NULL DEFAULT false, "capacity" integer NOT NULL, "open_count" integer NOT NULL DEFAULT '0', "active" boolean NOT NULL DEFAULT true, "segments" text array NOT NULL DEFAULT '{}', "last_assigned_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "facilitators_open_count_check" CHECK ("open_count" >= 0), CONSTRAINT "facilitators_capacity_check" CHECK ("capacity" >= 0), CONSTRAINT "PK_2222c8a431ee84effea7e6d8430" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_6c1b4f44ab5aba3f2d3170ca8f" ON "facilitators" ("email") `);
    await queryRunner.query(`CREATE INDEX "IDX_d0fa769956adb71e8e5a6452c2" ON "facilitators" ("network_code") `);
    await queryRunner.query(
      `CREATE TABLE "facilitator_departments" ("facilitator_id" uuid NOT NULL, "department_code" character varying(3) NOT NULL, CONSTRAINT "PK_c4d251140d98e73b79234540d66" PRIMARY KEY ("facilitator_id", "department_code"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_073ba537eb2f31717fc6d56574" ON "facilitator_departments" ("department_code") `);
    await queryRunner.query(
      `CREATE TABLE "facilitator_absences" ("id" uuid NOT NULL, "facilitator_id" uuid NOT NULL, "starts_on" date NOT NULL, "ends_on" date NOT NULL, "reason" character varying(200), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "facilitator_absences_range_check" CHECK ("ends_on" >= "starts_on"), CONSTRAINT "PK_60e06d4b4de80f3a0cb77a7a125" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_eb587b74263f704b48742358d4" ON "facilitator_absences" ("facilitator_id", "ends_on") `);
    await queryRunner.query(
      `CREATE TABLE "request_assignments" ("id" uuid NOT NULL, "request_id" uuid NOT NULL, "facilitator_id" uuid NOT NULL, "assigned_at" TIMESTAMP WITH TIME ZONE NOT NULL, "take_charge_due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "taken_at" TIMESTAMP WITH TIME ZONE, "action_token_hash" bytea NOT NULL, "ended_at" TIMESTAMP WITH TIME ZONE, "end_reason" character varying(20), "decline_reason" character varying(20), CONSTRAINT "PK_73f368cc202fa9f06e1092cd21b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "request_assignments_due_idx" ON "request_assignments" ("take_charge_due_at") WHERE ended_at IS NULL AND taken_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "request_assignments_open_by_facilitator_idx" ON "request_assignments" ("facilitator_id") WHERE ended_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "request_assignments_current_idx" ON "request_assignments" ("request_id") WHERE ended_at IS NULL`,
    );
    await queryRunner.query(`ALTER TABLE "requests" ADD "assigned_facilitator_id" uuid`);
    await queryRunner.query(`ALTER TABLE "requests" ADD "deadline_misses" smallint NOT NULL DEFAULT '0'`);
    await queryRunner.query(`CREATE INDEX "requests_pool_idx" ON "requests" ("network_code", "created_at") WHERE status = 'unassigned'`);
    await queryRunner.query(
      `ALTER TABLE "facilitators" ADD CONSTRAINT "FK_d0fa769956adb71e8e5a6452c2f" FOREIGN KEY ("network_code") REFERENCES "networks"("code") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "facilitator_departments" ADD CONSTRAINT "FK_9c2b58d831e3b6aaf18967f4098" FOREIGN KEY ("facilitator_id") REFERENCES "facilitators"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "facilitator_departments" ADD CONSTRAINT "FK_073ba537eb2f31717fc6d565742" FOREIGN KEY ("department_code") REFERENCES "departments"("code") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "facilitator_absences" ADD CONSTRAINT "FK_42c26f50bda78d31174bc1cb617" FOREIGN KEY ("facilitator_id") REFERENCES "facilitators"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "request_assignments" ADD CONSTRAINT "FK_0453fdaac3841a1a7805ce1ed82" FOREIGN KEY ("request_id") REFERENCES "requests"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "request_assignments" ADD CONSTRAINT "FK_e60f1cf911a625338be32b53818" FOREIGN KEY ("facilitator_id") REFERENCES "facilitators"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "request_assignments" DROP CONSTRAINT "FK_e60f1cf911a625338be32b53818"`);
    await queryRunner.query(`ALTER TABLE "request_assignments" DROP CONSTRAINT "FK_0453fdaac3841a1a7805ce1ed82"`);
    await queryRunner.query(`ALTER TABLE "facilitator_absences" DROP CONSTRAINT "FK_42c26f50bda78d31174bc1cb617"`);
    await queryRunner.query(`ALTER TABLE "facilitator_departments" DROP CONSTRAINT "FK_073ba537eb2f31717fc6d565742"`);
    await queryRunner.query(`ALTER TABLE "facilitator_departments" DROP CONSTRAINT "FK_9c2b58d831e3b6aaf18967f4098"`);
    await queryRunner.query(`ALTER TABLE "facilitators" DROP CONSTRAINT "FK_d0fa769956adb71e8e5a6452c2f"`);
    await queryRunner.query(`DROP INDEX "public"."requests_pool_idx"`);
    await queryRunner.query(`ALTER TABLE "requests" DROP COLUMN "deadline_misses"`);
    await queryRunner.query(`ALTER TABLE "requests" DROP COLUMN "assigned_facilitator_id"`);
    await queryRunner.query(`DROP INDEX "public"."request_assignments_current_idx"`);
    await queryRunner.query(`DROP INDEX "public"."request_assignments_open_by_facilitator_idx"`);
    await queryRunner.query(`DROP INDEX "public"."request_assignments_due_idx"`);
    await queryRunner.query(`DROP TABLE "request_assignments"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_eb587b74263f704b48742358d4"`);
    await queryRunner.query(`DROP TABLE "facilitator_absences"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_073ba537eb2f31717fc6d56574"`);
    await queryRunner.query(`DROP TABLE "facilitator_departments"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_d0fa769956adb71e8e5a6452c2"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6c1b4f44ab5aba3f2d3170ca8f"`);
    await queryRunner.query(`DROP TABLE "facilitators"`);
  }
}
