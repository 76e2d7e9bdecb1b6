import { Controller, Get, Query, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { CurrentStaff, StaffGuard, StaffRoles } from '../accounts/staff.guard';
import { csvSeparator } from './csv-format.policy';
import { filtersRefused, parseEvaluationFilters } from './evaluations.policy';
import { parseRequestExportFilters } from './export.policy';
import { ExportService } from './export.service';

type Query = Record<string, unknown>;

/** The CSV downloads behind the lists' buttons: what the person sees, with the list's filters. */
@ApiExcludeController()
@UseGuards(StaffGuard)
@Controller('espace/export')
export class ExportController {
  constructor(private readonly exports: ExportService) {}

  @Get('demandes.csv')
  async requests(@CurrentStaff() staff: StaffPrincipal, @Query() query: Query, @Res() res: Response) {
    const { filters, errors } = parseRequestExportFilters(query);
    if (errors.length) throw filtersRefused(errors);
    await this.exports.requests(res, staff, filters, csvSeparator(query));
  }

  @Get('evaluations.csv')
  async evaluations(@CurrentStaff() staff: StaffPrincipal, @Query() query: Query, @Res() res: Response) {
    const { filters, errors } = parseEvaluationFilters(query);
    if (errors.length) throw filtersRefused(errors);
    await this.exports.evaluations(res, staff, filters, csvSeparator(query));
  }

  /** The dashboard's figures, with the page's filters (`reseau`, `type`, `du`, `au`): the dashboard's own readers. */
  @Get('indicateurs.csv')
  @StaffRoles('admin', 'animator')
  async indicators(@CurrentStaff() staff: StaffPrincipal, @Query() query: Query, @Res() res: Response) {
    await this.exports.indicators(
      res,
      staff,
      { network: query.reseau, kind: query.type, from: query.du, to: query.au },
      csvSeparator(query),
    );
  }
}
