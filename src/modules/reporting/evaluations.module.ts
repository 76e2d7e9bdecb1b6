import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { MailModule } from '../mail/mail.module';
import { RequestsModule } from '../requests/requests.module';
import { RoutingModule } from '../routing/routing.module';
import { IndicatorsModule } from './indicators.module';
import { EvaluationsApiController } from './evaluations-api.controller';
import { EvaluationsPagesController } from './evaluations-pages.controller';
import { EvaluationsRepository } from './evaluations.repository';
import { EvaluationsService } from './evaluations.service';
import { EvaluationsViews } from './evaluations-views';
import { ExportController } from './export.controller';
import { ExportRepository } from './export.repository';
import { ExportService } from './export.service';

/** The animators' review of evaluations and the CSV exports of requests, evaluations and indicators (api role). */
@Module({
  imports: [AccountsModule, IndicatorsModule, MailModule, RequestsModule, RoutingModule],
  providers: [EvaluationsRepository, EvaluationsService, EvaluationsViews, ExportRepository, ExportService],
  controllers: [EvaluationsPagesController, EvaluationsApiController, ExportController],
})
export class EvaluationsModule {}
