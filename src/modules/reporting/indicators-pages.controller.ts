import { Controller, Get, Query, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AppError } from '../../common/errors/app-errors';
import { formModel } from '../../web/form-model';
import { isRequestKind, KIND_LABELS, REQUEST_KINDS } from '../requests/request.types';
import type { StaffPrincipal } from '../accounts/accounts.types';
import { CurrentStaff, StaffGuard, StaffRoles } from '../accounts/staff.guard';
import { barChart } from './charts';
import { FIGURE_LABELS } from './indicator-labels';
import { ALL_NETWORKS, IndicatorsService, PAGE_PERIOD_FIELDS } from './indicators.service';

/** Both kinds (the page reads an unknown value as both), or one. */
const KIND_OPTIONS = [{ value: '', label: 'Les deux' }, ...REQUEST_KINDS.map((kind) => ({ value: kind, label: KIND_LABELS[kind] }))];

/** The animators' dashboard: a GET form (network, period), figures, charts and alerts; no script needed. */
@ApiExcludeController()
@UseGuards(StaffGuard)
@StaffRoles('admin', 'animator')
@Controller('espace/indicateurs')
export class IndicatorsPagesController {
  constructor(private readonly indicators: IndicatorsService) {}

  @Get()
  async show(
    @CurrentStaff() staff: StaffPrincipal,
    @Query('reseau') network: unknown,
    @Query('type') kind: unknown,
    @Query('du') from: unknown,
    @Query('au') to: unknown,
    @Res() res: Response,
  ) {
    const networks = this.indicators.choices(staff);
    const shortcuts = this.indicators.periodShortcuts();
    const scope = this.indicators.scope(staff, network);
    const values = { reseau: scope ?? ALL_NETWORKS, type: isRequestKind(kind) ? kind : '', du: from ?? '', au: to ?? '' };
    try {
      const dashboard = await this.indicators.dashboard(staff, { network, kind, from, to }, PAGE_PERIOD_FIELDS);
      res.render('indicators', {
        title: 'Indicateurs',
        networks,
        kinds: KIND_OPTIONS,
        shortcuts,
        form: formModel({ ...values, du: dashboard.period.from, au: dashboard.period.to }),
        dashboard,
        labels: FIGURE_LABELS,
        // The figures shown, in a file: the same network, kind and period.
        exportUrl: `/espace/export/indicateurs.csv?${new URLSearchParams({
          reseau: values.reseau,
          ...(values.type ? { type: values.type } : {}),
          du: dashboard.period.from,
          au: dashboard.period.to,
        }).toString()}`,
        charts: {
          status: barChart(dashboard.requests.byStatus),
          kind: barChart(dashboard.requests.byKind),
          segment: barChart(dashboard.requests.bySegment),
        },
      });
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'validation_failed') throw error;
      res.status(400).render('indicators', {
        title: 'Indicateurs',
        networks,
        kinds: KIND_OPTIONS,
        shortcuts,
        form: formModel(values, error.errors),
        dashboard: null,
      });
    }
  }
}
