import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppError, NotFound, ValidationFailed } from '../../common/errors/app-errors';
import { isUuid } from '../../common/validation';
import { visibleNetworks } from '../accounts/access.policy';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { AnswerTemplate } from './answer-template.entity';
import { checkTemplate, TemplateInput, VERSION_UNREADABLE, versionSeen } from './answer-template.policy';
import { AnswerTemplatesRepository } from './answer-templates.repository';
import type { RequestKind } from '../requests/request.types';

/**
 * A save refused (409) because the template changed or was deleted since the person opened it: `current` is what it is
 * now (null: deleted), `editorName` who changed it, when known. Nothing typed is lost: the caller gives it back.
 */
export class TemplateChangedMeanwhile extends AppError {
  constructor(
    readonly current: AnswerTemplate | null,
    readonly editorName: string | null,
  ) {
    const message = current
      ? `Ce modèle a été modifié${editorName ? ` par ${editorName}` : ''} depuis que vous l’avez ouvert (il en est à sa version ${current.version}) : vos modifications ne sont pas enregistrées. Relisez-le, puis enregistrez-les de nouveau.`
      : 'Ce modèle a été supprimé depuis que vous l’avez ouvert : vos modifications ne sont pas enregistrées.';
    super('conflict', message, [{ field: 'version', message }]);
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

  /**
   * `template` as get() gave it to this person; `version`: the one the change was prepared from (versionSeen), refused
   * if it has changed or gone since; none said, the change is written over whatever it is now.
   */
  async update(staff: StaffPrincipal, template: AnswerTemplate, raw: Record<string, unknown>, version?: unknown): Promise<AnswerTemplate> {
    const seen = versionSeen(version);
    if (seen === undefined) throw new ValidationFailed([{ field: 'version', message: VERSION_UNREADABLE }]);
    if (!(await this.templates.update(template.id, this.checked(staff, raw), staff.id, seen))) {
      const current = await this.findVisible(staff, template.id);
      throw new TemplateChangedMeanwhile(current, current && (await this.templates.editorName(current)));
    }
    return (await this.templates.find(template.id))!;
  }

  /** update() with only the fields sent (the API's PATCH): the others keep their value (as of the version seen, if said). */
  patch(
    staff: StaffPrincipal,
    template: AnswerTemplate,
    changes: Partial<Omit<TemplateInput, 'kind'>> & { kind?: string | null },
    version?: unknown,
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
      version,
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
