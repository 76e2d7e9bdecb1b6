import { MigrationInterface, QueryRunner } from 'typeorm';

/** When an operator sent an abandoned message again: its retry time counts from then. Nullable: no rewrite of the table. */
export class MailResentAt1796456971458 implements MigrationInterface {
  name = 'MailResentAt1796456971458';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "mail_messages" ADD "resent_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "mail_messages" DROP COLUMN "resent_at"`);
  }
}
