import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { RoutingModule } from '../routing/routing.module';
import { SurveysModule } from '../surveys/surveys.module';
import { RequestsModule } from './requests.module';
import { TrackingActionsService } from './tracking-actions.service';
import { TrackingController } from './tracking.controller';

/** The buyer's private pages and API: apart from RequestsModule because the actions reach routing (capacity). */
@Module({
  imports: [RequestsModule, RoutingModule, MailModule, SurveysModule],
  providers: [TrackingActionsService],
  controllers: [TrackingController],
})
export class TrackingModule {}
