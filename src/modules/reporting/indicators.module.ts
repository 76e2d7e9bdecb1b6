import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { IndicatorsApiController } from './indicators-api.controller';
import { IndicatorsPagesController } from './indicators-pages.controller';
import { IndicatorsRepository } from './indicators.repository';
import { IndicatorsService } from './indicators.service';
import { StatisticsController } from './statistics.controller';

/** The desk's indicators and alerts (api role): the animators' dashboard page and its JSON API, the public statistics; the CLI's backfill. */
@Module({
  imports: [AccountsModule],
  providers: [IndicatorsRepository, IndicatorsService],
  controllers: [IndicatorsPagesController, IndicatorsApiController, StatisticsController],
  exports: [IndicatorsService],
})
export class IndicatorsModule {}
