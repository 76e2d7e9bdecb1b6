import { Body, Controller, Get, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { FormModel, formModel, onFieldErrors } from '../../web/form-model';
import { noticeOf } from '../../web/notices';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { CurrentStaff, StaffGuard, StaffRoles } from '../accounts/staff.guard';
import type { NetworkOverview } from './networks.repository';
import { NetworksService } from './networks.service';

const PAGE = '/espace/reseaux';
const NOTICES: Record<string, string> = {
  contact: 'L’adresse de contact est enregistrée : les alertes du réseau sans animateur et les pages publiques la donnent dès maintenant.',
};

/** « Réseaux »: admins and animators read their networks' territory and people, and keep each one's contact address. */
@ApiExcludeController()
@UseGuards(StaffGuard)
@StaffRoles('admin', 'animator')
@Controller('espace/reseaux')
export class NetworksPagesController {
  constructor(private readonly networks: NetworksService) {}

  @Get()
  async list(@CurrentStaff() staff: StaffPrincipal, @Query('fait') done: unknown, @Res() res: Response) {
    res.render('networks', { title: 'Réseaux', networks: await this.networks.overview(staff), notice: noticeOf(NOTICES, done) });
  }

  @Get(':code')
  async edit(@CurrentStaff() staff: StaffPrincipal, @Param('code') code: string, @Res() res: Response) {
    const network = await this.networks.get(staff, code);
    renderEdit(res, 200, network, formModel({ contactEmail: network.contactEmail ?? '' }));
  }

  @Post(':code')
  async save(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('code') code: string,
    @Body() body: Record<string, unknown> = {},
    @Res() res: Response,
  ) {
    const network = await this.networks.get(staff, code);
    await onFieldErrors(
      () => this.networks.changeContact(staff, network.code, body.contactEmail),
      (errors, error) => renderEdit(res, error.status, network, formModel(body, errors)),
      () => res.redirect(303, `${PAGE}?fait=contact`),
    );
  }
}

function renderEdit(res: Response, status: number, network: NetworkOverview, form: FormModel): void {
  res.status(status).render('network-edit', { title: `Adresse de contact — ${network.name}`, network, form, page: PAGE });
}
