import { Module } from '@nestjs/common';
import { RequestsModule } from '../requests/requests.module';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsRepository } from './attachments.repository';
import { AttachmentsService } from './attachments.service';

@Module({
  imports: [RequestsModule],
  providers: [AttachmentsService, AttachmentsRepository],
  controllers: [AttachmentsController],
  exports: [AttachmentsService],
})
export class AttachmentsModule {}
