import { MigrationInterface, QueryRunner } from 'typeorm';

/** What the indicators read of a request (see ReviewAndIndicatorsIndexes). */
const FIGURES = `"status", "kind", "segment_code", "department_code", "deadline_misses", "take_charge_working_days", "answer_working_days", "answered_on_time"`;

/**
 * The shares compared with the PNAD targets count public contracts only: the survey figures read each request's
 * organisation type, from the covering indexes (the national one gains the id its join with the surveys needs).
 */
export class PublicContractsInIndicators1796550000000 implements MigrationInterface {
  name = 'PublicContractsInIndicators1796550000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await this.indexes(queryRunner, `${FIGURES}, "organisation_type", "id"`, `${FIGURES}, "organisation_type", "id"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await this.indexes(queryRunner, FIGURES, `${FIGURES}, "id"`);
  }

  private async indexes(queryRunner: QueryRunner, national: string, network: string): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."requests_indicators_network_idx"`);
    await queryRunner.query(`DROP INDEX "public"."requests_indicators_created_idx"`);
    await queryRunner.query(`CREATE INDEX "requests_indicators_created_idx" ON "requests" ("created_at") INCLUDE (${national})`);
    await queryRunner.query(
      `CREATE INDEX "requests_indicators_network_idx" ON "requests" ("network_code", "created_at") INCLUDE (${network})`,
    );
  }
}
