import { Module } from '@nestjs/common';
import { AutoCloseModule } from '../auto-close/auto-close.module';
import { AccountsModule } from '../accounts/accounts.module';
import { AttachmentsModule } from '../attachments/attachments.module';
import { AnswerDraftsModule } from '../answer-drafts/answer-drafts.module';
import { AnswerTemplatesModule } from '../answer-templates/answer-templates.module';
import { MailModule } from '../mail/mail.module';
import { RequestsModule } from '../requests/requests.module';
import { RetentionModule } from '../retention/retention.module';
import { RoutingModule } from '../routing/routing.module';
import { SurveysModule } from '../surveys/surveys.module';
import { LeftDraftsApiController } from './left-drafts-api.controller';
import { LeftDraftsPagesController } from './left-drafts-pages.controller';
import { RequestPageRenderer } from './request-page.renderer';
import { StaffRequestsRepository } from './staff-requests.repository';
import { StalePageForms } from './stale-page-forms';
import { WorkspaceApiController } from './workspace-api.controller';
import { WorkspacePagesController } from './workspace-pages.controller';
import { WorkspaceRepository } from './workspace.repository';
import { WorkspaceService } from './workspace.service';
import { WorkspaceViews } from './workspace-views';

/** The facilitators' workspace: queue, request page and actions, as pages and as JSON API. */
@Module({
  imports: [
    AccountsModule,
    AnswerDraftsModule,
    AnswerTemplatesModule,
    AttachmentsModule,
    AutoCloseModule,
    MailModule,
    RequestsModule,
    RetentionModule,
    RoutingModule,
    SurveysModule,
  ],
  providers: [StaffRequestsRepository, WorkspaceRepository, WorkspaceService, WorkspaceViews, RequestPageRenderer, StalePageForms],
  controllers: [WorkspacePagesController, WorkspaceApiController, LeftDraftsPagesController, LeftDraftsApiController],
  exports: [StaffRequestsRepository, WorkspaceService, RequestPageRenderer],
})
export class WorkspaceModule {}
