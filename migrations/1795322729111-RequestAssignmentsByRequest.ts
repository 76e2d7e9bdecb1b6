import { MigrationInterface, QueryRunner } from 'typeorm';

export class RequestAssignmentsByRequest1795322729111 implements MigrationInterface {
  name = 'RequestAssignmentsByRequest1795322729111';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "request_assignments_request_idx" ON "request_assignments" ("request_id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."request_assignments_request_idx"`);
  }
}
