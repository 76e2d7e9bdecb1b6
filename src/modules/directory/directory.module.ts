import { AuditModule } from '../audit/audit.module';
import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AbsenceSweepService } from './absence-sweep.service';
import { DemoFacilitatorsService } from './demo-facilitators.service';
import { DirectoryPagesController } from './directory-pages.controller';
import { DirectoryViews } from './directory-views';
import { DirectoryController } from './directory.controller';
import { DirectoryService } from './directory.service';
import { FacilitatorImportService } from './facilitator-import.service';
import { FacilitatorsModule } from './facilitators.module';

/** Facilitators, their coverage and absences: JSON API, workspace pages, CSV import and demo data. */
@Module({
  imports: [AccountsModule, FacilitatorsModule, AuditModule],
  providers: [DirectoryService, DirectoryViews, FacilitatorImportService, DemoFacilitatorsService],
  controllers: [DirectoryController, DirectoryPagesController],
  exports: [DirectoryService, FacilitatorImportService, DemoFacilitatorsService],
})
export class DirectoryModule {}

/** The worker role adds the sweep that announces absences declared ahead. */
@Module({ imports: [FacilitatorsModule], providers: [AbsenceSweepService] })
export class DirectoryWorkerModule {}
