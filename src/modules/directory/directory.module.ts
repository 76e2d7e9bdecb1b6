import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { MailModule } from '../mail/mail.module';
import { RoutingModule } from '../routing/routing.module';
import { AbsenceAnnouncementsService } from './absence-announcements.service';
import { AbsenceSweepService } from './absence-sweep.service';
import { DemoFacilitatorsService } from './demo-facilitators.service';
import { DirectoryPagesController } from './directory-pages.controller';
import { DirectoryViews } from './directory-views';
import { DirectoryController } from './directory.controller';
import { DirectoryService } from './directory.service';
import { FacilitatorImportService } from './facilitator-import.service';
import { FacilitatorsRepository } from './facilitators.repository';

/** The records and the announcements of absences to the networks: what both roles need. */
@Module({
  imports: [MailModule, RoutingModule],
  providers: [FacilitatorsRepository, AbsenceAnnouncementsService],
  exports: [FacilitatorsRepository, AbsenceAnnouncementsService],
})
export class FacilitatorsModule {}

/** Facilitators, their coverage and absences: JSON API, workspace pages, CSV import and demo data. */
@Module({
  imports: [AccountsModule, FacilitatorsModule],
  providers: [DirectoryService, DirectoryViews, FacilitatorImportService, DemoFacilitatorsService],
  controllers: [DirectoryController, DirectoryPagesController],
  exports: [DirectoryService, FacilitatorImportService, DemoFacilitatorsService],
})
export class DirectoryModule {}

/** The worker role adds the sweep that announces absences declared ahead. */
@Module({ imports: [FacilitatorsModule], providers: [AbsenceSweepService] })
export class DirectoryWorkerModule {}
