import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditPagesController } from './audit-pages.controller';
import { AuditModule } from './audit.module';

/** The api role adds the journal's page (a module of its own: AccountsModule itself writes to the journal). */
@Module({ imports: [AuditModule, AccountsModule], controllers: [AuditPagesController] })
export class AuditPagesModule {}
