import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { MailModule } from '../mail/mail.module';
import { RoutingModule } from '../routing/routing.module';
import { DemoFacilitatorsService } from './demo-facilitators.service';
import { DirectoryPagesController } from './directory-pages.controller';
import { DirectoryViews } from './directory-views';
import { DirectoryController } from './directory.controller';
import { DirectoryService } from './directory.service';
import { FacilitatorImportService } from './facilitator-import.service';
import { FacilitatorsRepository } from './facilitators.repository';

/** Facilitators, their coverage and absences: JSON API, workspace pages, CSV import and demo data. */
@Module({
  imports: [AccountsModule, MailModule, RoutingModule],
  providers: [FacilitatorsRepository, DirectoryService, DirectoryViews, FacilitatorImportService, DemoFacilitatorsService],
  controllers: [DirectoryController, DirectoryPagesController],
  exports: [DirectoryService, FacilitatorImportService, DemoFacilitatorsService],
})
export class DirectoryModule {}
