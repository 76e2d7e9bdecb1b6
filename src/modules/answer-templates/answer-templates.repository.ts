import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import type { RequestKind } from '../requests/request.types';
import { AnswerTemplate } from './answer-template.entity';
import type { TemplateInput } from './answer-template.policy';

@Injectable()
export class AnswerTemplatesRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get templates() {
    return this.dataSource.getRepository(AnswerTemplate);
  }

  /** The templates of these networks (null: every network), by network then title. */
  list(networks: readonly string[] | null): Promise<AnswerTemplate[]> {
    return this.templates.find({
      where: networks === null ? {} : { networkCode: In([...networks]) },
      order: { networkCode: 'ASC', title: 'ASC' },
    });
  }

  /** A network's templates for a request of this kind: that kind's, then those for both, each by title. */
  forRequest(networkCode: string, kind: RequestKind): Promise<AnswerTemplate[]> {
    return this.templates.find({
      where: [
        { networkCode, kind },
        { networkCode, kind: IsNull() },
      ],
      order: { kind: { direction: 'ASC', nulls: 'LAST' }, title: 'ASC' },
    });
  }

  find(id: string): Promise<AnswerTemplate | null> {
    return this.templates.findOneBy({ id });
  }

  /** Held until the transaction ends: what a change or deletion goes over, for the journal's line (null: gone). */
  lock(manager: EntityManager, id: string): Promise<AnswerTemplate | null> {
    return manager.findOne(AnswerTemplate, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async insert(manager: EntityManager, id: string, input: TemplateInput, byId: string): Promise<void> {
    await manager.insert(AnswerTemplate, { id, ...input, updatedById: byId });
  }

  /** Written unless the network already has a template of that title (no author: seeded); whether it was. */
  async insertUnlessTitled(manager: EntityManager, id: string, input: TemplateInput): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO answer_templates (id, network_code, title, body, kind)
       SELECT $1::uuid, $2::varchar, $3::varchar, $4::text, $5::varchar
        WHERE NOT EXISTS (SELECT 1 FROM answer_templates WHERE network_code = $2 AND title = $3)
       RETURNING id`,
      [id, input.networkCode, input.title, input.body, input.kind],
    );
    return rows.length > 0;
  }

  /** Written, one version more: the caller holds it (lock) and has checked the version it goes over. */
  async update(manager: EntityManager, id: string, input: TemplateInput, byId: string): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(AnswerTemplate)
      .set({ ...input, updatedById: byId, version: () => 'version + 1' })
      .where('id = :id', { id })
      .execute();
  }

  /** Deleted: the caller holds it (lock) and has checked the version it deletes. */
  async remove(manager: EntityManager, id: string): Promise<void> {
    await manager.delete(AnswerTemplate, { id });
  }

  /** The name of who last changed it, if known (null for a seeded template or an account gone). */
  async editorName(template: AnswerTemplate): Promise<string | null> {
    if (!template.updatedById) return null;
    const [row]: Array<{ name: string }> = await this.dataSource.query(
      `SELECT first_name || ' ' || last_name AS name FROM staff_users WHERE id = $1`,
      [template.updatedById],
    );
    return row?.name ?? null;
  }
}
