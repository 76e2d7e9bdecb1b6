import { MigrationInterface, QueryRunner } from 'typeorm';

export class RequestsWaitingIndex1795325555087 implements MigrationInterface {
  name = 'RequestsWaitingIndex1795325555087';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "requests_waiting_idx" ON "requests" ("created_at") WHERE status = 'submitted'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."requests_waiting_idx"`);
  }
}
