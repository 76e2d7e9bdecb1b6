import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A facilitator who has not taken a request in charge is reminded one working day before the deadline: the moment is
 * kept on the assignment, computed with the working-day calendar when it is made. Assignments open before this
 * migration have none (the deadline itself still applies).
 */
export class TakeChargeReminders1796347045257 implements MigrationInterface {
  name = 'TakeChargeReminders1796347045257';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "request_assignments" ADD "take_charge_reminder_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `CREATE INDEX "request_assignments_reminder_idx" ON "request_assignments" ("take_charge_reminder_at") WHERE ended_at IS NULL AND taken_at IS NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."request_assignments_reminder_idx"`);
    await queryRunner.query(`ALTER TABLE "request_assignments" DROP COLUMN "take_charge_reminder_at"`);
  }
}
