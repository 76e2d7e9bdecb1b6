import { Module } from '@nestjs/common';
import { MailProcessor } from './mail.processor';
import { MailRepository } from './mail.repository';
import { MailService } from './mail.service';
import { MailTransport } from './mail-transport';

@Module({
  providers: [MailRepository, MailService, MailTransport, MailProcessor],
  exports: [MailService, MailProcessor, MailRepository],
})
export class MailModule {}
