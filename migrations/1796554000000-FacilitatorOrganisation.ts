import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The structure a facilitator works for (a PLIE, a maison de l’emploi, a Département…), named to the buyer instead of
 * the regional network a social-clause facilitator is not part of. Null for every existing record: the network, as before.
 */
export class FacilitatorOrganisation1796554000000 implements MigrationInterface {
  name = 'FacilitatorOrganisation1796554000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "facilitators" ADD "organisation" character varying(150)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "facilitators" DROP COLUMN "organisation"`);
  }
}
