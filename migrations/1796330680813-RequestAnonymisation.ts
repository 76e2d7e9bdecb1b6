import { MigrationInterface, QueryRunner } from 'typeorm';

/** Marks the requests whose personal data the retention sweep erased, and finds the ones still due without a full scan. */
export class RequestAnonymisation1796330680813 implements MigrationInterface {
  name = 'RequestAnonymisation1796330680813';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "requests" ADD "anonymised_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `CREATE INDEX "requests_retention_idx" ON "requests" ("closed_at") WHERE status = 'closed' AND anonymised_at IS NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."requests_retention_idx"`);
    await queryRunner.query(`ALTER TABLE "requests" DROP COLUMN "anonymised_at"`);
  }
}
