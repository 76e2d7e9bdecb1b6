import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { RequestsModule } from '../requests/requests.module';
import { BuyerNotificationsProcessor } from './buyer-notifications.processor';
import { BuyerNotificationsRepository } from './buyer-notifications.repository';
import { BuyerNotificationsService } from './buyer-notifications.service';
import { PrecisionRemindersService } from './precision-reminders.service';

@Module({
  imports: [RequestsModule, MailModule],
  providers: [BuyerNotificationsService, BuyerNotificationsRepository, BuyerNotificationsProcessor, PrecisionRemindersService],
  exports: [BuyerNotificationsService, BuyerNotificationsProcessor, PrecisionRemindersService],
})
export class BuyerNotificationsModule {}
