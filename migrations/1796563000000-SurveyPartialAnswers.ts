import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A survey form refused for a missing or wrong answer keeps its valid part for the buyer to complete with the same link:
 * no answer yet (counted nowhere), erased with the request's personal data and when the survey expires.
 */
export class SurveyPartialAnswers1796563000000 implements MigrationInterface {
  name = 'SurveyPartialAnswers1796563000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "surveys" ADD "partial_answers" jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "surveys" DROP COLUMN "partial_answers"`);
  }
}
