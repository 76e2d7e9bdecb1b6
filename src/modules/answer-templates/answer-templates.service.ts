import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AppError, NotFound, ValidationFailed } from '../../common/errors/app-errors';
import { isUuid } from '../../common/validation';
import { visibleNetworks } from '../accounts/access.policy';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { AuditActor, AuditService } from '../audit/audit.service';
import { ReferenceService } from '../reference/reference.service';
import { AnswerTemplate } from './answer-template.entity';
import {
  checkTemplate,
  etagOf,
  orAsRead,
  SaveCondition,
  TemplateInput,
  templateJournalLine,
  VERSION_UNREADABLE,
} from './answer-template.policy';
import { AnswerTemplatesRepository } from './answer-templates.repository';
import type { RequestKind } from '../requests/request.types';

/**
 * A save (or a deletion, `deleting`) refused because the template changed, moved or was deleted since the person opened
 * it: `current` is what it is now for them (null: deleted, or `moved` to a network outside theirs), `editorName` who
 * changed it, when known. 409, or 412 for an API client's If-Match. Nothing typed is lost: the caller gives it back.
 */
export class TemplateChangedMeanwhile extends AppError {
  constructor(
    readonly current: AnswerTemplate | null,
    readonly editorName: string | null,
    readonly moved: boolean,
    refusal: SaveCondition['refusal'],
    deleting = false,
  ) {
    const kept = deleting ? 'il n’est pas supprimé' : 'vos modifications ne sont pas enregistrées';
    const by = editorName ? ` par ${editorName}` : '';
    const message = moved
      ? `Ce modèle a été déplacé depuis que vous l’avez ouvert : il n’est plus dans vos réseaux, ${kept}.`
      : !current
        ? deleting
          ? 'Ce modèle a déjà été supprimé, depuis que vous l’avez ouvert.'
          : `Ce modèle a été supprimé depuis que vous l’avez ouvert : ${kept}.`
        : refusal === 'precondition_failed'
          ? `L’en-tête If-Match ne désigne pas la version actuelle de ce modèle (${etagOf(current.version)}, modifiée${by}) : ${kept}.`
          : `Ce modèle a été modifié${by} depuis que vous l’avez ouvert (il en est à sa version ${current.version}) : ${kept}. ${
              deleting ? 'Relisez-le, puis supprimez-le de nouveau si besoin.' : 'Relisez-le, puis enregistrez-les de nouveau.'
            }`;
    super(refusal, message, [{ field: 'version', message }]);
  }
}

/** Why a template chosen on a request's page is not offered there: kept for the other kind, deleted, or in another network. */
export type TemplateNotOffered =
  { reason: 'reserved'; title: string } | { reason: 'deleted'; by: string; at: Date } | { reason: 'elsewhere' };

/**
 * Answer templates: animators keep their networks' (admins any network's); a facilitator holding a request
 * starts an answer from one of its network's. A template outside someone's networks does not exist for them.
 */
@Injectable()
export class AnswerTemplatesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly templates: AnswerTemplatesRepository,
    private readonly audit: AuditService,
    private readonly reference: ReferenceService,
  ) {}

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
    const input = this.checked(staff, raw);
    const id = randomUUID();
    await this.dataSource.transaction(async (manager) => {
      await this.templates.insert(manager, id, input, staff.id);
      await this.journal(manager, staff, id, null, input);
    });
    return (await this.templates.find(id))!;
  }

  /** Written unless the network already has a template of that title (the demo's seed, no author); whether it was. */
  seedUnlessTitled(input: TemplateInput): Promise<boolean> {
    const id = randomUUID();
    return this.dataSource.transaction(async (manager) => {
      const written = await this.templates.insertUnlessTitled(manager, id, input);
      if (written) await this.journal(manager, null, id, null, input);
      return written;
    });
  }

  /**
   * Why a template chosen on a page left open is not among the request's: still seen by this person (kept for the
   * other kind of request), deleted in their networks (by whom, when), or in a network outside theirs (moved there);
   * undefined when no such template exists nor was deleted in their networks (or that line has expired).
   */
  async notOffered(staff: StaffPrincipal, id: unknown): Promise<TemplateNotOffered | undefined> {
    if (typeof id !== 'string' || !isUuid(id)) return undefined;
    const seen = await this.findVisible(staff, id);
    if (seen) return { reason: 'reserved', title: seen.title };
    const deletion = await this.audit.latestAbout(id, 'template_deleted', visibleNetworks(staff));
    if (deletion) return { reason: 'deleted', by: deletion.actorName, at: deletion.createdAt };
    return (await this.movedAway(id)) ? { reason: 'elsewhere' } : undefined;
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
    const input = this.checked(staff, raw);
    await this.writeOrRefuse(staff, template.id, condition, false, async (manager, before) => {
      if (!(await this.templates.update(manager, template.id, input, staff.id, condition.versions))) return false;
      await this.journal(manager, staff, template.id, before, input);
      return true;
    });
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
      orAsRead(condition, template.version),
    );
  }

  /**
   * `template` as get() gave it to this person, deleted if still at one of the condition's versions (saveCondition; none
   * said: the one read, as patch() does); refused as update() is when it changed, moved or went meanwhile.
   */
  async remove(staff: StaffPrincipal, template: AnswerTemplate, condition: SaveCondition | undefined): Promise<void> {
    const checked = orAsRead(condition, template.version);
    if (!checked) throw new ValidationFailed([{ field: 'version', message: VERSION_UNREADABLE }]);
    await this.writeOrRefuse(staff, template.id, checked, true, async (manager, before) => {
      if (!(await this.templates.remove(manager, template.id, checked.versions))) return false;
      await this.journal(manager, staff, template.id, before, null);
      return true;
    });
  }

  /**
   * `write` in a transaction holding the template as it was, with its journal line (false: not at the condition's
   * versions); refused with the template as it is now for this person when not written.
   */
  private async writeOrRefuse(
    staff: StaffPrincipal,
    id: string,
    condition: SaveCondition,
    deleting: boolean,
    write: (manager: EntityManager, before: AnswerTemplate) => Promise<boolean>,
  ): Promise<void> {
    const written = await this.dataSource.transaction(async (manager) => {
      const before = await this.templates.lock(manager, id);
      return before !== null && (await write(manager, before));
    });
    if (written) return;
    const current = await this.findVisible(staff, id);
    throw new TemplateChangedMeanwhile(
      current,
      current && (await this.templates.editorName(current)),
      !current && (await this.movedAway(id)),
      condition.refusal,
      deleting,
    );
  }

  /** One line in the networks' journal, before and after (null: created, deleted): its networks' animators read it. */
  private async journal(
    manager: EntityManager,
    actor: AuditActor,
    id: string,
    before: TemplateInput | null,
    after: TemplateInput | null,
  ): Promise<void> {
    const line = templateJournalLine(before, after, (code) => this.reference.network(code)?.name ?? code);
    const action = !before ? 'template_created' : !after ? 'template_deleted' : 'template_updated';
    const networks = [before?.networkCode, after?.networkCode].filter((code) => code !== undefined);
    await this.audit.record(manager, actor, action, networks, line, id);
  }

  private checked(staff: StaffPrincipal, raw: Record<string, unknown>) {
    const { value, errors } = checkTemplate(raw, visibleNetworks(staff));
    if (errors.length) throw new ValidationFailed(errors);
    return value;
  }
}
