import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { barChart } from './charts';
import { PublicStatisticsDto } from './dto/public-statistics.dto';
import { IndicatorsService } from './indicators.service';
import { FIGURE_LABELS } from './indicator-labels';

/** The desk's public statistics, for everyone and without sign-in: the page, and the same figures as open data. */
@ApiTags('Statistiques publiques')
@Controller()
export class StatisticsController {
  constructor(private readonly indicators: IndicatorsService) {}

  @Get('statistiques')
  @ApiExcludeEndpoint()
  async page(@Res() res: Response) {
    const statistics = await this.indicators.publicStatistics();
    res.render('statistics', {
      title: 'Statistiques',
      statistics,
      labels: FIGURE_LABELS,
      kindChart: barChart(statistics.requests.byKind),
      monthChart: barChart(statistics.requests.byMonth),
    });
  }

  @Get('api/v1/statistics')
  @ApiOperation({ summary: 'Statistiques nationales du guichet sur les douze derniers mois complets, avec les douze précédents' })
  @ApiOkResponse({
    type: PublicStatisticsDto,
    description: 'Demandes reçues, délais (jours ouvrés), utilité des réponses, marchés suivis (parts entre 0 et 1)',
  })
  api() {
    return this.indicators.publicStatistics();
  }
}
