import { Body, Controller, Get, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { renderConfirmAction } from '../../web/confirm-action';
import { formModel, FormModel, onFieldErrors } from '../../web/form-model';
import { noticeOf } from '../../web/notices';
import { visibleNetworks } from '../accounts/access.policy';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { CurrentStaff, StaffGuard, StaffRoles } from '../accounts/staff.guard';
import { KIND_LABELS, REQUEST_KINDS } from '../requests/request.types';
import { ReferenceService } from '../reference/reference.service';
import { AnswerTemplate } from './answer-template.entity';
import { STAFF_TEXT_MAX } from '../requests/request-message.types';
import { formCondition, TEMPLATE_TITLE_MAX, TemplateFate, templateKindLabel } from './answer-template.policy';
import { NotFound } from '../../common/errors/app-errors';
import { isUuid } from '../../common/validation';
import { AnswerTemplatesService, TemplateChangedMeanwhile, TemplateGone } from './answer-templates.service';

type Form = Record<string, unknown>;

const PAGE = '/espace/modeles';
/** The list's parameters naming a template a deletion found already gone: deleted, or moved out of the person's networks. */
const GONE_PARAM = 'deja-supprime';
const MOVED_PARAM = 'deplace';
const NOTICES: Record<string, string> = {
  creation: 'Le modèle est enregistré : les facilitateurs du réseau le trouvent sous leur formulaire de réponse.',
  modification: 'Le modèle est modifié.',
  'sans-changement': 'Rien n’a changé : le modèle est tel qu’il était.',
  suppression: 'Le modèle est supprimé.',
};

/** Animators' (and admins') pages for their networks' answer templates. */
@ApiExcludeController()
@UseGuards(StaffGuard)
@StaffRoles('admin', 'animator')
@Controller('espace/modeles')
export class AnswerTemplatesPagesController {
  constructor(
    private readonly templates: AnswerTemplatesService,
    private readonly reference: ReferenceService,
  ) {}

  /**
   * `?deja-supprime=<id>`: a deletion found the template already gone; the list says who deleted it, and when.
   * `?deplace`: it had been moved to a network outside the person's, said so (it still exists).
   */
  @Get()
  async list(@CurrentStaff() staff: StaffPrincipal, @Query() query: Record<string, unknown>, @Res() res: Response) {
    const networks = this.reference.networkOptions(visibleNetworks(staff));
    const goneId = query[GONE_PARAM];
    const gone =
      query[MOVED_PARAM] !== undefined
        ? { moved: true }
        : typeof goneId === 'string' && isUuid(goneId)
          ? ((await this.templates.deletion(staff, goneId)) ?? {})
          : null;
    await this.renderList(
      res,
      staff,
      200,
      formModel({ kind: '', ...(networks.length === 1 ? { networkCode: networks[0].value } : {}) }),
      query.fait,
      gone,
    );
  }

  @Post()
  async create(@CurrentStaff() staff: StaffPrincipal, @Body() body: Form = {}, @Res() res: Response) {
    await onFieldErrors(
      () => this.templates.create(staff, body),
      (errors, error) => this.renderList(res, staff, error.status, formModel(body, errors)),
      () => res.redirect(303, `${PAGE}?fait=creation`),
    );
  }

  @Get(':id')
  async edit(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @Res() res: Response) {
    const template = await this.templates.get(staff, id);
    this.renderEdit(
      res,
      staff,
      200,
      template,
      formModel({
        networkCode: template.networkCode,
        title: template.title,
        body: template.body,
        kind: template.kind ?? '',
        version: template.version,
      }),
    );
  }

  /**
   * The form carries the version it was opened from: changed since by someone else, the page shows the template as it
   * is now beside what was typed (409); deleted since, what was typed comes back to create it again; moved to a network
   * outside the person's, what was typed comes back to keep, said so; neither known to them, the same without a claim.
   */
  @Post(':id')
  async update(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @Body() body: Form = {}, @Res() res: Response) {
    const template = await this.templates.findVisible(staff, id);
    // Only an edit page sends a version: any other address stays « introuvable ».
    if (!template && (body.version === undefined || !isUuid(id))) throw new NotFound();
    if (!template) return this.renderGone(res, staff, body, await this.templates.fate(staff, id));
    try {
      await onFieldErrors(
        () => this.templates.update(staff, template, body, formCondition(body.version)),
        (errors, error) => {
          if (!(error instanceof TemplateChangedMeanwhile))
            return this.renderEdit(res, staff, error.status, template, formModel(body, errors));
          // Sent again from this page, the person's text goes over the version they now have before them.
          const form = formModel({ ...body, version: error.current.version });
          this.renderEdit(res, staff, error.status, error.current, form, this.changedBy(error, error.current));
        },
        (written) => res.redirect(303, `${PAGE}?fait=${written ? 'modification' : 'sans-changement'}`),
      );
    } catch (error) {
      if (!(error instanceof TemplateGone)) throw error;
      // Seen in their networks by this very request: gone since, it was moved or deleted, as the lock found it.
      this.renderGone(
        res,
        staff,
        body,
        error.moved ? { fate: 'moved' } : { fate: 'deleted', ...(await this.templates.deletion(staff, id)) },
      );
    }
  }

  /** A deletion cannot be undone: the list's « Supprimer » leads here first, the version it deletes in its form. */
  @Get(':id/suppression')
  async confirmRemoval(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @Res() res: Response) {
    const template = await this.templates.get(staff, id);
    renderConfirmAction(res, {
      hidden: { version: template.version },
      title: `Supprimer le modèle « ${template.title} »`,
      explanation: [
        'Les facilitateurs du réseau ne le trouveront plus sous leur formulaire de réponse. Les réponses déjà écrites à partir de lui ne changent pas. La suppression est définitive.',
      ],
      action: `${PAGE}/${template.id}/suppression`,
      confirmLabel: 'Oui, supprimer le modèle',
      back: { href: PAGE, label: 'Non, revenir aux modèles' },
    });
  }

  /**
   * Changed by a colleague since the confirmation was opened: not deleted, the template as it is now is shown with who
   * changed it, to delete anyway (that version) or keep (409). Already deleted: the list says by whom and when (303).
   */
  @Post(':id/suppression')
  async remove(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @Body() body: Form = {}, @Res() res: Response) {
    const template = await this.templates.findVisible(staff, id);
    // Only the confirmation page sends a version: any other address stays « introuvable ».
    if (!template && (body.version === undefined || !isUuid(id))) throw new NotFound();
    // Deleted by a colleague (or moved out of this person's networks) before or while this was sent: what they asked is
    // done or out of their hands, and the list says which rather than a bare « Page introuvable » (who deleted it if the
    // journal says so in their networks, else only that it no longer exists).
    const alreadyGone = async (moved: boolean) => res.redirect(303, moved ? `${PAGE}?${MOVED_PARAM}` : `${PAGE}?${GONE_PARAM}=${id}`);
    if (!template) return alreadyGone((await this.templates.fate(staff, id)).fate === 'moved');
    try {
      await onFieldErrors(
        () => this.templates.remove(staff, template, formCondition(body.version)),
        (_errors, error) => {
          if (!(error instanceof TemplateChangedMeanwhile)) throw error;
          res.status(error.status).render('answer-template', {
            ...this.formContext(staff, formModel({})),
            title: `Supprimer le modèle « ${error.current.title} »`,
            template: error.current,
            changed: this.changedBy(error, error.current),
            removal: true,
            refused: true,
          });
        },
        () => res.redirect(303, `${PAGE}?fait=suppression`),
      );
    } catch (error) {
      if (!(error instanceof TemplateGone)) throw error;
      await alreadyGone(error.moved);
    }
  }

  private async renderList(
    res: Response,
    staff: StaffPrincipal,
    status: number,
    form: FormModel,
    done?: unknown,
    gone: { by?: string; at?: Date; moved?: boolean } | null = null,
  ) {
    const templates = await this.templates.list(staff);
    res.status(status).render('answer-templates', {
      ...this.formContext(staff, form),
      title: 'Modèles de réponse',
      templates: templates.map((t) => ({
        id: t.id,
        title: t.title,
        network: this.networkName(t.networkCode),
        kind: templateKindLabel(t.kind),
        updatedAt: t.updatedAt,
      })),
      notice: noticeOf(NOTICES, done),
      gone,
    });
  }

  /** `changed`: set when the template changed since the person opened it, shown as it is now above their text. */
  private renderEdit(
    res: Response,
    staff: StaffPrincipal,
    status: number,
    template: AnswerTemplate,
    form: FormModel,
    changed?: { editorName: string | null; kind: string; network: string },
  ) {
    res.status(status).render('answer-template', {
      ...this.formContext(staff, form),
      title: `Modèle « ${template.title} »`,
      template,
      changed,
      refused: Boolean(changed),
    });
  }

  /**
   * Deleted while the person edited it: their text, in a form that creates it again (409). Moved to a network outside
   * theirs: their text to keep, with no form (creating it again would make a twin of the one moved). Neither known to
   * them (templateFate's `gone`): their text in the form too, only said to exist no more.
   */
  private renderGone(res: Response, staff: StaffPrincipal, body: Form, { fate, by, at }: { fate: TemplateFate; by?: string; at?: Date }) {
    res.status(409).render('answer-template', {
      ...this.formContext(staff, formModel(body)),
      title: { moved: 'Modèle hors de vos réseaux', deleted: 'Modèle supprimé', gone: 'Modèle introuvable' }[fate],
      gone: true,
      deletion: by && at ? { by, at } : null,
      moved: fate === 'moved',
      unknown: fate === 'gone',
      refused: true,
    });
  }

  /** The template as it is now, beside a refused save or deletion: who changed it, its network and kind as named. */
  private changedBy(error: TemplateChangedMeanwhile, current: AnswerTemplate) {
    return { editorName: error.editorName, kind: templateKindLabel(current.kind), network: this.networkName(current.networkCode) };
  }

  private formContext(staff: StaffPrincipal, form: FormModel) {
    const networks = this.reference.networkOptions(visibleNetworks(staff));
    const kinds = [
      ...REQUEST_KINDS.map((kind) => ({ value: kind, label: KIND_LABELS[kind] })),
      { value: '', label: templateKindLabel(null) },
    ];
    return { page: PAGE, form, networks, kinds, oneNetwork: networks.length === 1, titleMax: TEMPLATE_TITLE_MAX, bodyMax: STAFF_TEXT_MAX };
  }

  private networkName(code: string): string {
    return this.reference.network(code)?.name ?? code;
  }
}
