import { MigrationInterface, QueryRunner } from 'typeorm';

/** The assignments' e-mailed action token, unused since the workspace (which needs sign-in) replaced the token pages. */
export class DropAssignmentActionToken1796328547787 implements MigrationInterface {
  name = 'DropAssignmentActionToken1796328547787';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "request_assignments" DROP COLUMN "action_token_hash"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Each row gets the hash of a token nobody holds, as the code before this migration wrote.
    await queryRunner.query(`ALTER TABLE "request_assignments" ADD "action_token_hash" bytea`);
    await queryRunner.query(`UPDATE "request_assignments" SET "action_token_hash" = sha256(convert_to(gen_random_uuid()::text, 'UTF8'))`);
    await queryRunner.query(`ALTER TABLE "request_assignments" ALTER COLUMN "action_token_hash" SET NOT NULL`);
  }
}
