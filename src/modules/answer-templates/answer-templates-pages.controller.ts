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
import { TEMPLATE_TITLE_MAX } from './answer-template.policy';
import { AnswerTemplatesService } from './answer-templates.service';

type Form = Record<string, unknown>;

const PAGE = '/espace/modeles';
const NOTICES: Record<string, string> = {
  creation: 'Le modèle est enregistré : les facilitateurs du réseau le trouvent sous leur formulaire de réponse.',
  modification: 'Le modèle est modifié.',
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

  @Get()
  async list(@CurrentStaff() staff: StaffPrincipal, @Query('fait') done: unknown, @Res() res: Response) {
    const networks = this.reference.networkOptions(visibleNetworks(staff));
    await this.renderList(
      res,
      staff,
      200,
      formModel({ kind: '', ...(networks.length === 1 ? { networkCode: networks[0].value } : {}) }),
      done,
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
      formModel({ networkCode: template.networkCode, title: template.title, body: template.body, kind: template.kind ?? '' }),
    );
  }

  @Post(':id')
  async update(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @Body() body: Form = {}, @Res() res: Response) {
    const template = await this.templates.get(staff, id);
    await onFieldErrors(
      () => this.templates.update(staff, template, body),
      (errors, error) => this.renderEdit(res, staff, error.status, template, formModel(body, errors)),
      () => res.redirect(303, `${PAGE}?fait=modification`),
    );
  }

  /** A deletion cannot be undone: the list's « Supprimer » leads here first. */
  @Get(':id/suppression')
  async confirmRemoval(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @Res() res: Response) {
    const template = await this.templates.get(staff, id);
    renderConfirmAction(res, {
      title: `Supprimer le modèle « ${template.title} »`,
      explanation: [
        'Les facilitateurs du réseau ne le trouveront plus sous leur formulaire de réponse. Les réponses déjà écrites à partir de lui ne changent pas. La suppression est définitive.',
      ],
      action: `${PAGE}/${template.id}/suppression`,
      confirmLabel: 'Oui, supprimer le modèle',
      back: { href: PAGE, label: 'Non, revenir aux modèles' },
    });
  }

  @Post(':id/suppression')
  async remove(@CurrentStaff() staff: StaffPrincipal, @Param('id') id: string, @Res() res: Response) {
    await this.templates.remove(staff, id);
    res.redirect(303, `${PAGE}?fait=suppression`);
  }

  private async renderList(res: Response, staff: StaffPrincipal, status: number, form: FormModel, done?: unknown) {
    const templates = await this.templates.list(staff);
    res.status(status).render('answer-templates', {
      ...this.formContext(staff, form),
      title: 'Modèles de réponse',
      templates: templates.map((t) => ({
        id: t.id,
        title: t.title,
        network: this.networkName(t.networkCode),
        kind: t.kind ? KIND_LABELS[t.kind] : 'Les deux types',
        updatedAt: t.updatedAt,
      })),
      notice: noticeOf(NOTICES, done),
    });
  }

  private renderEdit(res: Response, staff: StaffPrincipal, status: number, template: AnswerTemplate, form: FormModel) {
    res.status(status).render('answer-template', { ...this.formContext(staff, form), title: `Modèle « ${template.title} »`, template });
  }

  private formContext(staff: StaffPrincipal, form: FormModel) {
    const networks = this.reference.networkOptions(visibleNetworks(staff));
    const kinds = [...REQUEST_KINDS.map((kind) => ({ value: kind, label: KIND_LABELS[kind] })), { value: '', label: 'Les deux types' }];
    return { page: PAGE, form, networks, kinds, oneNetwork: networks.length === 1, titleMax: TEMPLATE_TITLE_MAX, bodyMax: STAFF_TEXT_MAX };
  }

  private networkName(code: string): string {
    return this.reference.network(code)?.name ?? code;
  }
}
