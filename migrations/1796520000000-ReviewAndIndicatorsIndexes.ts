import { MigrationInterface, QueryRunner } from 'typeorm';

/** What the indicators read of a request, plus its id in the network's index (see `indexes`). */
const FIGURES = `"status", "kind", "segment_code", "department_code", "deadline_misses", "take_charge_working_days", "answer_working_days", "answered_on_time"`;

/**
 * The evaluations' review lists the latest answered first across both waves, and counts them (reviewed or not),
 * from one index instead of reading every survey; a network's survey figures find its requests' ids in the index
 * they already read (not in the table, thousands of blocks over two years).
 */
export class ReviewAndIndicatorsIndexes1796520000000 implements MigrationInterface {
  name = 'ReviewAndIndicatorsIndexes1796520000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "surveys_review_idx" ON "surveys" ("completed_at" DESC, "id") INCLUDE ("reviewed_at", "request_id") WHERE completed_at IS NOT NULL`,
    );
    await this.indexes(queryRunner, `${FIGURES}, "id"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await this.indexes(queryRunner, FIGURES);
    await queryRunner.query(`DROP INDEX "public"."surveys_review_idx"`);
  }

  private async indexes(queryRunner: QueryRunner, included: string): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."requests_indicators_network_idx"`);
    await queryRunner.query(
      `CREATE INDEX "requests_indicators_network_idx" ON "requests" ("network_code", "created_at") INCLUDE (${included})`,
    );
  }
}
