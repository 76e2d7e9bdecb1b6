import { AuditModule } from '../audit/audit.module';
import { AnswerDraftsModule } from '../answer-drafts/answer-drafts.module';
import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR, DiscoveryModule } from '@nestjs/core';
import { RepeatedActionInterceptor } from './repeated-action.interceptor';
import { StaffActionKeysRepository } from './staff-action-keys.repository';
import { FacilitatorsModule } from '../directory/facilitators.module';
import { MailModule } from '../mail/mail.module';
import { AccountPagesController } from './account-pages.controller';
import { AccountsRepository } from './accounts.repository';
import { AccountsService } from './accounts.service';
import { CsrfService } from './csrf.service';
import { DemoStaffService } from './demo-staff.service';
import { PageRoutes } from './page-routes';
import { PasswordHasher } from './password-hasher';
import { SignInPagesController } from './sign-in-pages.controller';
import { SignInService } from './sign-in.service';
import { StaffAuthService } from './staff-auth.service';
import { StaffGuard } from './staff.guard';
import { ThrottleService } from './throttle.service';

/**
 * Staff accounts, sign-in, sessions, API tokens and CSRF. Other modules import it for
 * @UseGuards(StaffGuard), @CurrentStaff() and CsrfService.
 */
@Module({
  imports: [MailModule, FacilitatorsModule, AuditModule, DiscoveryModule, AnswerDraftsModule],
  providers: [
    AccountsRepository,
    AccountsService,
    CsrfService,
    PageRoutes,
    PasswordHasher,
    SignInService,
    StaffAuthService,
    StaffGuard,
    ThrottleService,
    DemoStaffService,
    StaffActionKeysRepository,
    // Every staff write named by a form token or an Idempotency-Key acts once (whichever module's route it is).
    { provide: APP_INTERCEPTOR, useClass: RepeatedActionInterceptor },
  ],
  controllers: [SignInPagesController, AccountPagesController],
  // StaffActionKeysRepository: for the RepeatedActionInterceptor a route of another module runs itself (RepeatableUpload).
  exports: [
    AccountsService,
    CsrfService,
    PageRoutes,
    StaffAuthService,
    StaffGuard,
    ThrottleService,
    DemoStaffService,
    StaffActionKeysRepository,
  ],
})
export class AccountsModule {}
