import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How a survey was declined: a correction of the buyer's address puts back a survey the old (mistyped) mailbox refused
 * from its link, not one staff or an opt-out ended. And a reopening now drops the answers kept of a refused form.
 */
export class SurveyDeclinedVia1796564000000 implements MigrationInterface {
  name = 'SurveyDeclinedVia1796564000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "surveys" ADD "declined_via" character varying(10)`);
    // From the refusal line the request's history kept: the last one written with (or before) the survey's last change,
    // a buyer's from a link, staff's on their word. None (a step found the address opted out, or older data): unknown.
    await queryRunner.query(
      `UPDATE "surveys" s SET "declined_via" = (
         SELECT CASE WHEN e.type = 'survey_opt_out' AND e.actor_type = 'staff' THEN 'staff' ELSE 'link' END
           FROM "request_events" e
          WHERE e.request_id = s.request_id AND e.type IN ('survey_declined', 'survey_opt_out') AND e.created_at <= s.updated_at
          ORDER BY e.id DESC LIMIT 1)
        WHERE s.status = 'declined'`,
    );
    await queryRunner.query(
      `ALTER TABLE "surveys" ADD CONSTRAINT "surveys_declined_via_check"
         CHECK ("declined_via" IS NULL OR ("status" = 'declined' AND "declined_via" IN ('link', 'staff', 'opt_out')))`,
    );
    // Kept by surveys a reopening withdrew before it dropped them: sent again, their new link would show them.
    await queryRunner.query(
      `UPDATE "surveys" SET "partial_answers" = NULL
        WHERE "partial_answers" IS NOT NULL AND ("status" = 'cancelled' OR ("status" = 'scheduled' AND "sent_at" IS NOT NULL))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // The dropped partial answers stay dropped: they belonged to links that no longer open a form.
    await queryRunner.query(`ALTER TABLE "surveys" DROP CONSTRAINT "surveys_declined_via_check"`);
    await queryRunner.query(`ALTER TABLE "surveys" DROP COLUMN "declined_via"`);
  }
}
