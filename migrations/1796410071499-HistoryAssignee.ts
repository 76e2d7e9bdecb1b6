import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The facilitator each assignment event gave the request to, so the history names them. Existing events are
 * filled in: every assignment was written with exactly one event going to `assigned` (routed, reassigned by
 * staff, taken from the pool), so the n-th such event of a request matches its n-th assignment.
 */
export class HistoryAssignee1796410071499 implements MigrationInterface {
  name = 'HistoryAssignee1796410071499';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "request_events" ADD "assignee_id" uuid`);
    await queryRunner.query(
      `WITH given AS (
         SELECT id, request_id, row_number() OVER (PARTITION BY request_id ORDER BY id) AS n
           FROM request_events
          WHERE to_status = 'assigned' AND type IN ('assigned', 'reassigned', 'taken_from_pool')
       ), held AS (
         SELECT facilitator_id, request_id, row_number() OVER (PARTITION BY request_id ORDER BY assigned_at, id) AS n
           FROM request_assignments
       )
       UPDATE request_events e SET assignee_id = held.facilitator_id
         FROM given JOIN held ON held.request_id = given.request_id AND held.n = given.n
        WHERE e.id = given.id`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "request_events" DROP COLUMN "assignee_id"`);
  }
}
