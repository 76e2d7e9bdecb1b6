import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AttachmentsModule } from '../attachments/attachments.module';
import { MailModule } from '../mail/mail.module';
import { RoutingModule } from '../routing/routing.module';
import { SurveysModule } from '../surveys/surveys.module';
import { RequestsModule } from './requests.module';
import { TrackingActionsService } from './tracking-actions.service';
import { TrackingLinksController } from './tracking-links.controller';
import { TrackingLinksService } from './tracking-links.service';
import { TrackingController } from './tracking.controller';

/** The buyer's private pages and API, and their links sent again: apart from RequestsModule because the actions reach routing (capacity). */
@Module({
  imports: [AccountsModule, AttachmentsModule, RequestsModule, RoutingModule, MailModule, SurveysModule],
  providers: [TrackingActionsService, TrackingLinksService],
  controllers: [TrackingController, TrackingLinksController],
})
export class TrackingModule {}
