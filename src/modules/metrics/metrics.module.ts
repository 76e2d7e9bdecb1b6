import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { MetricsRepository } from './metrics.repository';
import { MetricsService } from './metrics.service';

/** GET /metrics for Prometheus: queue depths, outbox backlog, pools, routing latency (api role). */
@Module({ providers: [MetricsRepository, MetricsService], controllers: [MetricsController] })
export class MetricsModule {}
