import { Module } from '@nestjs/common';
import { RequestsRepository } from './requests.repository';
import { TrackingController } from './tracking.controller';
import { TrackingService } from './tracking.service';

@Module({
  providers: [RequestsRepository, TrackingService],
  controllers: [TrackingController],
  exports: [RequestsRepository],
})
export class RequestsModule {}
