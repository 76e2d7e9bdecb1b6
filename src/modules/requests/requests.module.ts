import { Module } from '@nestjs/common';
import { RequestMessagesRepository } from './request-messages.repository';
import { RequestsRepository } from './requests.repository';
import { TrackingService } from './tracking.service';

@Module({
  providers: [RequestsRepository, RequestMessagesRepository, TrackingService],
  exports: [RequestsRepository, RequestMessagesRepository, TrackingService],
})
export class RequestsModule {}
