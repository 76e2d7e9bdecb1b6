import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * unaccent (PostgreSQL's contrib, a trusted extension since PostgreSQL 13): the queue's search finds « éclairage »
 * when a facilitator types « eclairage », as French is often typed.
 */
export class SearchWithoutAccents1796420000000 implements MigrationInterface {
  name = 'SearchWithoutAccents1796420000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS unaccent`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP EXTENSION IF EXISTS unaccent`);
  }
}
