import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { MailModule } from '../mail/mail.module';
import { RequestsModule } from '../requests/requests.module';
import { RoutingModule } from '../routing/routing.module';
import { StaffRequestsRepository } from '../workspace/staff-requests.repository';
import { DispatchApiController } from './dispatch-api.controller';
import { DispatchPagesController } from './dispatch-pages.controller';
import { DispatchRepository } from './dispatch.repository';
import { DispatchService } from './dispatch.service';

/** Moving requests between people (api role). StaffRequestsRepository is provided here until a WorkspaceModule exports it. */
@Module({
  imports: [AccountsModule, MailModule, RequestsModule, RoutingModule],
  providers: [DispatchService, DispatchRepository, StaffRequestsRepository],
  controllers: [DispatchPagesController, DispatchApiController],
  exports: [DispatchService],
})
export class DispatchModule {}
