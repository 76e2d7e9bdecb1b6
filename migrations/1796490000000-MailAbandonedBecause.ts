import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Why a message was given up: refused for good by the mail server, or not sent in time. `mail:resend` without ids
 * leaves the refused ones (they would be refused again). Messages given up before it keep no cause: resent as before.
 */
export class MailAbandonedBecause1796490000000 implements MigrationInterface {
  name = 'MailAbandonedBecause1796490000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "mail_messages" ADD "abandoned_because" character varying(10)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "mail_messages" DROP COLUMN "abandoned_because"`);
  }
}
