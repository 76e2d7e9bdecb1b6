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
  ConditionRefusal,
  conditionRefusal,
  etagOf,
  isUnreadable,
  orAsRead,
  SaveCondition,
  TEMPLATE_ACTIONS,
  templateFate,
  TemplateInput,
  templateJournalLine,
  UnreadableCondition,
} from './answer-template.policy';
import { AnswerTemplatesRepository } from './answer-templates.repository';
import type { RequestKind } from '../requests/request.types';

/**
 * A save (or a deletion, `deleting`) refused because the template changed since the person read it: `current` is what
 * it is now, `editorName` who changed it, when known. 409 for a stale `version`, 412 for an API client's If-Match (not
 * current, or not listing the `version` sent with it). Nothing typed is lost: the caller gives it back.
 */
export class TemplateChangedMeanwhile extends AppError {
  constructor(
    readonly current: AnswerTemplate,
    readonly editorName: string | null,
    refusal: ConditionRefusal,
    deleting = false,
  ) {
    const kept = deleting ? 'il n’est pas supprimé' : 'vos modifications ne sont pas enregistrées';
    const by = editorName ? ` par ${editorName}` : '';
    const etag = etagOf(current.version);
    const message = {
      stale_if_match: `L’en-tête If-Match ne désigne pas la version actuelle de ce modèle (${etag}, modifiée${by}) : ${kept}.`,
      versions_differ: `L’en-tête If-Match désigne la version actuelle de ce modèle (${etag}), le champ version une autre : ${kept}. Envoyez l’un ou l’autre, ou les deux pour la même version.`,
      stale_version: `Ce modèle a été modifié${by} depuis que vous l’avez ouvert (il en est à sa version ${current.version}) : ${kept}. ${
        deleting ? 'Relisez-le, puis supprimez-le de nouveau si besoin.' : 'Relisez-le, puis enregistrez-les de nouveau.'
      }`,
    }[refusal];
    const stale = refusal === 'stale_version';
    super(stale ? 'conflict' : 'precondition_failed', message, [{ field: stale ? 'version' : 'If-Match', message }]);
  }
}

/**
 * A save or deletion whose template was deleted, or `moved` to a network outside the person's, since they read it: for
 * them it no longer exists (404, as reading it now answers); a page gives back what was typed.
 */
export class TemplateGone extends NotFound {
  constructor(readonly moved: boolean) {
    super();
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
    return template && this.visibleTo(staff, template) ? template : null;
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
   * Why a template chosen on a page left open is not among the request's (of `requestNetwork`): still seen by this
   * person, in the request's network (kept for the other kind of request) or another of theirs, deleted in their
   * networks (by whom, when), or moved out of them (templateFate); undefined when nothing about it may be told them.
   */
  async notOffered(staff: StaffPrincipal, id: unknown, requestNetwork: string): Promise<TemplateNotOffered | undefined> {
    if (typeof id !== 'string' || !isUuid(id)) return undefined;
    const seen = await this.findVisible(staff, id);
    if (seen) return seen.networkCode === requestNetwork ? { reason: 'reserved', title: seen.title } : { reason: 'elsewhere' };
    const gone = await this.fate(staff, id);
    return gone.fate === 'deleted'
      ? { reason: 'deleted', by: gone.by, at: gone.at }
      : gone.fate === 'moved'
        ? { reason: 'elsewhere' }
        : undefined;
  }

  /** Who deleted this template, and when, if it was in this person's networks and the journal still says so. */
  async deletion(staff: StaffPrincipal, id: string): Promise<{ by: string; at: Date } | null> {
    const line = isUuid(id) ? await this.audit.latestAbout(id, ['template_deleted'], visibleNetworks(staff)) : null;
    return line && { by: line.actorName, at: line.createdAt };
  }

  /**
   * What became of a template this person does not see (templateFate), from what really happened: whether it still
   * exists, and the journal's last line about it in their networks; deleted, by whom and when.
   */
  async fate(staff: StaffPrincipal, id: string): Promise<{ fate: 'deleted'; by: string; at: Date } | { fate: 'moved' | 'gone' }> {
    if (!isUuid(id)) return { fate: 'gone' };
    const [template, line] = await Promise.all([
      this.templates.find(id),
      this.audit.latestAbout(id, TEMPLATE_ACTIONS, visibleNetworks(staff)),
    ]);
    const fate = templateFate(template !== null, line?.action ?? null);
    return fate === 'deleted' ? { fate, by: line!.actorName, at: line!.createdAt } : { fate };
  }

  /**
   * `template` as get() gave it to this person; `condition`: the versions the change was prepared from (saveCondition),
   * refused if it has changed, moved or gone since; none said, written over whatever it is now. A change that changes
   * nothing (an empty PATCH, a page saved as it was) writes nothing: no new version, which would fail colleagues'
   * If-Match, and no journal line. Whether it wrote.
   */
  update(
    staff: StaffPrincipal,
    template: AnswerTemplate,
    raw: Record<string, unknown>,
    condition: SaveCondition | UnreadableCondition,
  ): Promise<boolean> {
    return this.save(staff, template, () => raw, condition);
  }

  /**
   * update() with only the fields sent (the API's PATCH): the others keep the value they have when it is written. With
   * no version said, the one read is the condition, so that a colleague's change made in between is not written over.
   */
  async patch(
    staff: StaffPrincipal,
    template: AnswerTemplate,
    changes: Partial<Omit<TemplateInput, 'kind'>> & { kind?: string | null },
    condition: SaveCondition | UnreadableCondition,
  ): Promise<AnswerTemplate> {
    const merged = (current: AnswerTemplate) => ({
      networkCode: changes.networkCode ?? current.networkCode,
      title: changes.title ?? current.title,
      body: changes.body ?? current.body,
      // Sent as null: for both kinds again.
      kind: changes.kind === undefined ? current.kind : changes.kind,
    });
    await this.save(staff, template, merged, orAsRead(condition, template.version));
    return (await this.templates.find(template.id))!;
  }

  /**
   * The change `inputOf` makes of the template: checked first against the copy read, so that bad input is refused by
   * field before any lock; then made of the locked row, so that an If-Match listing several versions never writes an
   * older one's fields back over a colleague's change. Whether it wrote.
   */
  private async save(
    staff: StaffPrincipal,
    template: AnswerTemplate,
    inputOf: (current: AnswerTemplate) => Record<string, unknown>,
    condition: SaveCondition | UnreadableCondition,
  ): Promise<boolean> {
    const checked = readOrThrow(condition);
    this.checked(staff, inputOf(template));
    let written = false;
    await this.writeOrRefuse(staff, template.id, checked, false, async (manager, before) => {
      const input = this.checked(staff, inputOf(before));
      written = await this.journal(manager, staff, template.id, before, input);
      if (written) await this.templates.update(manager, template.id, input, staff.id);
    });
    return written;
  }

  /**
   * `template` as get() gave it to this person, deleted if the condition holds (saveCondition; none said: the version
   * read, as patch() does); refused as update() is when it changed, moved or went meanwhile.
   */
  async remove(staff: StaffPrincipal, template: AnswerTemplate, condition: SaveCondition | UnreadableCondition): Promise<void> {
    const checked = readOrThrow(orAsRead(condition, template.version));
    await this.writeOrRefuse(staff, template.id, checked, true, async (manager, before) => {
      await this.templates.remove(manager, template.id);
      await this.journal(manager, staff, template.id, before, null);
    });
  }

  /**
   * `write` in a transaction holding the template as it was, if it still is this person's and the condition holds
   * (conditionRefusal: If-Match first, then the version); refused otherwise, with the template as it is now.
   */
  private async writeOrRefuse(
    staff: StaffPrincipal,
    id: string,
    condition: SaveCondition,
    deleting: boolean,
    write: (manager: EntityManager, before: AnswerTemplate) => Promise<void>,
  ): Promise<void> {
    const refused = await this.dataSource.transaction(async (manager) => {
      const before = await this.templates.lock(manager, id);
      if (!before || !this.visibleTo(staff, before)) return new TemplateGone(before !== null);
      const refusal = conditionRefusal(condition, before.version);
      if (refusal) return new TemplateChangedMeanwhile(before, await this.templates.editorName(before), refusal, deleting);
      await write(manager, before);
      return null;
    });
    if (refused) throw refused;
  }

  /**
   * The change's line in the networks' journal, before and after (null: created, deleted), that its networks' animators
   * read; false, nothing written, when the change moves nothing.
   */
  private async journal(
    manager: EntityManager,
    actor: AuditActor,
    id: string,
    before: TemplateInput | null,
    after: TemplateInput | null,
  ): Promise<boolean> {
    const line = templateJournalLine(before, after, (code) => this.reference.network(code)?.name ?? code);
    if (line === null) return false;
    const action = !before ? 'template_created' : !after ? 'template_deleted' : 'template_updated';
    const networks = [before?.networkCode, after?.networkCode].filter((code) => code !== undefined);
    await this.audit.record(manager, actor, action, networks, line, id);
    return true;
  }

  private visibleTo(staff: StaffPrincipal, template: AnswerTemplate): boolean {
    const networks = visibleNetworks(staff);
    return networks === null || networks.includes(template.networkCode);
  }

  private checked(staff: StaffPrincipal, raw: Record<string, unknown>) {
    const { value, errors } = checkTemplate(raw, visibleNetworks(staff));
    if (errors.length) throw new ValidationFailed(errors);
    return value;
  }
}

/** The condition saveCondition could read, else refused on the field or header that holds it (400). */
function readOrThrow(condition: SaveCondition | UnreadableCondition): SaveCondition {
  if (isUnreadable(condition)) throw new ValidationFailed([condition.error]);
  return condition;
}
