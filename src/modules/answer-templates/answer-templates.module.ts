import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { AnswerTemplatesApiController } from './answer-templates-api.controller';
import { AnswerTemplatesPagesController } from './answer-templates-pages.controller';
import { AnswerTemplatesRepository } from './answer-templates.repository';
import { AnswerTemplatesService } from './answer-templates.service';
import { DemoAnswerTemplatesService } from './demo-answer-templates.service';

/** Networks' answer templates: kept by animators, offered to facilitators on the answer form. */
@Module({
  imports: [AccountsModule, AuditModule],
  providers: [AnswerTemplatesRepository, AnswerTemplatesService, DemoAnswerTemplatesService],
  controllers: [AnswerTemplatesPagesController, AnswerTemplatesApiController],
  exports: [AnswerTemplatesService, DemoAnswerTemplatesService],
})
export class AnswerTemplatesModule {}
