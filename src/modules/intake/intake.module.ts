import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { RequestsModule } from '../requests/requests.module';
import { IdempotencyRepository } from './idempotency.repository';
import { IntakeApiController } from './intake-api.controller';
import { IntakePagesController } from './intake-pages.controller';
import { IntakeRateLimiter } from './intake-rate-limiter';
import { IntakeService } from './intake.service';
import { RequestValidator } from './request-validator';

@Module({
  imports: [RequestsModule, MailModule],
  providers: [IntakeService, RequestValidator, IdempotencyRepository, IntakeRateLimiter],
  controllers: [IntakeApiController, IntakePagesController],
})
export class IntakeModule {}
