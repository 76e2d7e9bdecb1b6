import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AnswerDraftsModule } from '../answer-drafts/answer-drafts.module';
import { MailModule } from '../mail/mail.module';
import { RequestsModule } from '../requests/requests.module';
import { RoutingModule } from '../routing/routing.module';
import { WorkspaceModule } from '../workspace/workspace.module';
import { DispatchApiController } from './dispatch-api.controller';
import { DispatchPagesController } from './dispatch-pages.controller';
import { DispatchRepository } from './dispatch.repository';
import { DispatchService } from './dispatch.service';

/** Moving requests between people (api role); who sees what comes from the workspace's StaffRequestsRepository. */
@Module({
  imports: [AccountsModule, AnswerDraftsModule, MailModule, RequestsModule, RoutingModule, WorkspaceModule],
  providers: [DispatchService, DispatchRepository],
  controllers: [DispatchPagesController, DispatchApiController],
  exports: [DispatchService],
})
export class DispatchModule {}
