import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An absence a facilitator declares far ahead is announced to the network's animators once it comes within the
 * announcement window: who declared it, and whether it was announced, are kept on the absence. Earlier absences
 * count as not self-declared (nobody knows), so none is announced late.
 */
export class AbsenceAnnouncements1796345403350 implements MigrationInterface {
  name = 'AbsenceAnnouncements1796345403350';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "facilitator_absences" ADD "self_declared" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "facilitator_absences" ADD "announced_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `CREATE INDEX "facilitator_absences_unannounced_idx" ON "facilitator_absences" ("starts_on") WHERE "self_declared" AND "announced_at" IS NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."facilitator_absences_unannounced_idx"`);
    await queryRunner.query(`ALTER TABLE "facilitator_absences" DROP COLUMN "announced_at"`);
    await queryRunner.query(`ALTER TABLE "facilitator_absences" DROP COLUMN "self_declared"`);
  }
}
