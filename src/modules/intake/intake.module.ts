import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { IndicatorsModule } from '../reporting/indicators.module';
import { RequestsModule } from '../requests/requests.module';
import { DemoRequestsService } from './demo-requests.service';
import { IdempotencyRepository } from './idempotency.repository';
import { IntakeApiController } from './intake-api.controller';
import { IntakePagesController } from './intake-pages.controller';
import { IntakeRateLimiter } from './intake-rate-limiter';
import { IntakeService } from './intake.service';
import { RequestValidator } from './request-validator';

@Module({
  imports: [RequestsModule, MailModule, IndicatorsModule],
  providers: [IntakeService, RequestValidator, IdempotencyRepository, IntakeRateLimiter, DemoRequestsService],
  exports: [DemoRequestsService],
  controllers: [IntakeApiController, IntakePagesController],
})
export class IntakeModule {}
