import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * E-mails are rendered when they are sent, from their template's context: a submission no longer writes two
 * rendered bodies (PostgreSQL compressed them in its write). Rows queued earlier keep their bodies and are sent as is.
 */
export class MailContext1796320799766 implements MigrationInterface {
  name = 'MailContext1796320799766';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "mail_messages" ADD "context" jsonb`);
  }

  /** The previous version cannot render a context: it would lose the messages still waiting, so it waits for them. */
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DO $$ BEGIN
         IF EXISTS (SELECT 1 FROM mail_messages WHERE status <> 'sent' AND context IS NOT NULL AND text_body IS NULL) THEN
           RAISE EXCEPTION 'Des courriels en attente d’envoi n’ont que leur contexte : laissez-les partir avant de revenir en arrière.';
         END IF;
       END $$`,
    );
    await queryRunner.query(`ALTER TABLE "mail_messages" DROP COLUMN "context"`);
  }
}
