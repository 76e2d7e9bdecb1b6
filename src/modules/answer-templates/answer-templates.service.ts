import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppError, NotFound, ValidationFailed } from '../../common/errors/app-errors';
import { isUuid } from '../../common/validation';
import { visibleNetworks } from '../accounts/access.policy';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { AnswerTemplate } from './answer-template.entity';
import { checkTemplate, etagOf, SaveCondition, TemplateInput, VERSION_UNREADABLE } from './answer-template.policy';
import { AnswerTemplatesRepository } from './answer-templates.repository';
import type { RequestKind } from '../requests/request.types';

/**
 * A save refused because the template changed, moved or was deleted since the person opened it: `current` is what it
 * is now for them (null: deleted, or `moved` to a network outside theirs), `editorName` who changed it, when known.
 * 409, or 412 for an API client's If-Match. Nothing typed is lost: the caller gives it back.
 */
export class TemplateChangedMeanwhile extends AppError {
  constructor(
    readonly current: AnswerTemplate | null,
    readonly editorName: string | null,
    readonly moved: boolean,
    refusal: SaveCondition['refusal'],
  ) {
    const message = moved
      ? 'Ce modèle a été déplacé depuis que vous l’avez ouvert : il n’est plus dans vos réseaux, vos modifications ne sont pas enregistrées.'
      : !current
        ? 'Ce modèle a été supprimé depuis que vous l’avez ouvert : vos modifications ne sont pas enregistrées.'
        : refusal === 'precondition_failed'
          ? `L’en-tête If-Match ne désigne pas la version actuelle de ce modèle (${etagOf(current.version)}, modifiée${editorName ? ` par ${editorName}` : ''}) : vos modifications ne sont pas enregistrées.`
          : `Ce modèle a été modifié${editorName ? ` par ${editorName}` : ''} depuis que vous l’avez ouvert (il en est à sa version ${current.version}) : vos modifications ne sont pas enregistrées. Relisez-le, puis enregistrez-les de nouveau.`;
    super(refusal, message, [{ field: 'version', message }]);
  }
}

/**
 * Answer templates: animators keep their networks' (admins any network's); a facilitator holding a request
 * starts an answer from one of its network's. A template outside someone's networks does not exist for them.
 */
@Injectable()
export class AnswerTemplatesService {
  constructor(private readonly templates: AnswerTemplatesRepository) {}

  list(staff: StaffPrincipal): Promise<AnswerTemplate[]> {
    return this.templates.list(visibleNetworks(staff));
  }

  /** The templates a facilitator may start this request's answer from: its network's, of its kind or for both. */
  forRequest(networkCode: string, kind: RequestKind): Promise<AnswerTemplate[]> {
    return this.templates.forRequest(networkCode, kind);
  }

  async get(staff: StaffPrincipal, id: string): Promise<AnswerTemplate> {
    const template = await this.findVisible(staff, id);
    if (!template) throw new NotFound();
    return template;
  }

  /** The template if it exists for this person (their networks'), else null: one outside them is never named. */
  async findVisible(staff: StaffPrincipal, id: unknown): Promise<AnswerTemplate | null> {
    const template = typeof id === 'string' && isUuid(id) ? await this.templates.find(id) : null;
    const networks = visibleNetworks(staff);
    return template && (networks === null || networks.includes(template.networkCode)) ? template : null;
  }

  async create(staff: StaffPrincipal, raw: Record<string, unknown>): Promise<AnswerTemplate> {
    const id = randomUUID();
    await this.templates.insert(id, this.checked(staff, raw), staff.id);
    return (await this.templates.find(id))!;
  }

  /** Whether a template this person no longer sees still exists: moved to a network outside theirs, not deleted. */
  async movedAway(id: string): Promise<boolean> {
    return isUuid(id) && (await this.templates.find(id)) !== null;
  }

  /**
   * `template` as get() gave it to this person; `condition`: the versions the change was prepared from (saveCondition,
   * undefined when unreadable), refused if it has changed, moved or gone since; none said, written over whatever it is now.
   */
  async update(
    staff: StaffPrincipal,
    template: AnswerTemplate,
    raw: Record<string, unknown>,
    condition: SaveCondition | undefined,
  ): Promise<AnswerTemplate> {
    if (!condition) throw new ValidationFailed([{ field: 'version', message: VERSION_UNREADABLE }]);
    if (!(await this.templates.update(template.id, this.checked(staff, raw), staff.id, condition.versions))) {
      const current = await this.findVisible(staff, template.id);
      throw new TemplateChangedMeanwhile(
        current,
        current && (await this.templates.editorName(current)),
        !current && (await this.movedAway(template.id)),
        condition.refusal,
      );
    }
    return (await this.templates.find(template.id))!;
  }

  /**
   * update() with only the fields sent (the API's PATCH): the others keep their value as read. With no version said,
   * the one read is the condition, so that a colleague's change made in between is not written back over.
   */
  patch(
    staff: StaffPrincipal,
    template: AnswerTemplate,
    changes: Partial<Omit<TemplateInput, 'kind'>> & { kind?: string | null },
    condition: SaveCondition | undefined,
  ): Promise<AnswerTemplate> {
    return this.update(
      staff,
      template,
      {
        networkCode: changes.networkCode ?? template.networkCode,
        title: changes.title ?? template.title,
        body: changes.body ?? template.body,
        // Sent as null: for both kinds again.
        kind: changes.kind === undefined ? template.kind : changes.kind,
      },
      condition?.versions === null ? { versions: [template.version], refusal: 'conflict' } : condition,
    );
  }

  async remove(staff: StaffPrincipal, id: string): Promise<void> {
    await this.templates.remove((await this.get(staff, id)).id);
  }

  private checked(staff: StaffPrincipal, raw: Record<string, unknown>) {
    const { value, errors } = checkTemplate(raw, visibleNetworks(staff));
    if (errors.length) throw new ValidationFailed(errors);
    return value;
  }
}
