import { MigrationInterface, QueryRunner } from 'typeorm';

export class RequestsPoolAlertedAt1795326920112 implements MigrationInterface {
  name = 'RequestsPoolAlertedAt1795326920112';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "requests" ADD "pool_alerted_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "requests" DROP COLUMN "pool_alerted_at"`);
  }
}
