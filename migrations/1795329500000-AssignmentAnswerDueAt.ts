import { MigrationInterface, QueryRunner } from 'typeorm';
import { loadConfig } from '../src/config/app-config';
import { answerDueAt, pausesFromHistory } from '../src/modules/requests/answer-deadline.policy';

/**
 * The answer deadline kept on the assignment, so that the workspace queue sorts and pages in SQL. Current
 * assignments taken in charge get theirs computed here, by the same rule the service applies from now on.
 */
export class AssignmentAnswerDueAt1795329500000 implements MigrationInterface {
  name = 'AssignmentAnswerDueAt1795329500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "request_assignments" ADD "answer_due_at" TIMESTAMP WITH TIME ZONE`);
    const days = loadConfig(process.env).ANSWER_WORKING_DAYS;
    const taken: Array<{ id: string; requestId: string; takenAt: Date; departmentCode: string }> = await queryRunner.query(
      `SELECT ra.id, ra.request_id AS "requestId", ra.taken_at AS "takenAt", r.department_code AS "departmentCode"
         FROM request_assignments ra JOIN requests r ON r.id = ra.request_id
        WHERE ra.ended_at IS NULL AND ra.taken_at IS NOT NULL`,
    );
    for (const assignment of taken) {
      const events = await queryRunner.query(
        `SELECT from_status AS "fromStatus", to_status AS "toStatus", created_at AS "createdAt" FROM request_events
          WHERE request_id = $1 AND (from_status = 'awaiting_buyer' OR to_status = 'awaiting_buyer') ORDER BY id`,
        [assignment.requestId],
      );
      const dueAt = answerDueAt(assignment.takenAt, pausesFromHistory(events), assignment.departmentCode, days);
      await queryRunner.query(`UPDATE request_assignments SET answer_due_at = $2 WHERE id = $1`, [assignment.id, dueAt]);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "request_assignments" DROP COLUMN "answer_due_at"`);
  }
}
