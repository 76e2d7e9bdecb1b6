import { Controller, Get, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { MetricsTokenGuard } from './metrics-token.guard';
import { MetricsService } from './metrics.service';

/**
 * Prometheus scrape endpoint: counts only, never personal data. Open like /health for a scraper on a
 * private network; behind METRICS_TOKEN where the api's port faces the Internet.
 */
@ApiExcludeController()
@UseGuards(MetricsTokenGuard)
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  async scrape(@Res() res: Response): Promise<void> {
    const body = await this.metrics.scrape();
    res.setHeader('Content-Type', this.metrics.contentType);
    // A Buffer, so that Express sends the content type as is (with a string it would move the charset).
    res.send(Buffer.from(body));
  }
}
