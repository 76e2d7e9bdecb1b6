import { Module } from '@nestjs/common';
import { BuyerNotificationsModule } from '../buyer-notifications/buyer-notifications.module';
import { MailModule } from '../mail/mail.module';
import { RequestsModule } from '../requests/requests.module';
import { EscalationDigestService } from './escalation-digest.service';
import { OverdueAnswersService } from './overdue-answers.service';
import { RoutingRepository } from './routing.repository';
import { RoutingService } from './routing.service';
import { RoutingProcessor } from './routing.processor';
import { RoutingSweepService } from './routing-sweep.service';

/** Routing logic; the worker role adds the processor and sweep. */
@Module({
  imports: [RequestsModule, MailModule, BuyerNotificationsModule],
  providers: [RoutingRepository, RoutingService, EscalationDigestService, RoutingProcessor],
  exports: [RoutingService, RoutingRepository, EscalationDigestService, RoutingProcessor],
})
export class RoutingModule {}

@Module({
  imports: [RoutingModule, MailModule],
  providers: [RoutingSweepService, OverdueAnswersService],
  exports: [RoutingSweepService, OverdueAnswersService, RoutingModule],
})
export class RoutingWorkerModule {}
