import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { RoutingModule } from '../routing/routing.module';
import { AbsenceAnnouncementsService } from './absence-announcements.service';
import { FacilitatorChangesService } from './facilitator-changes.service';
import { FacilitatorsRepository } from './facilitators.repository';

/** The records and the announcements of absences to the networks: what both roles need. */
@Module({
  imports: [MailModule, RoutingModule],
  providers: [FacilitatorsRepository, AbsenceAnnouncementsService, FacilitatorChangesService],
  exports: [FacilitatorsRepository, AbsenceAnnouncementsService, FacilitatorChangesService],
})
export class FacilitatorsModule {}
