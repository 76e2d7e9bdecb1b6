import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { ofPhrase } from '../../common/french-format';
import { AppConfig } from '../../config/app-config';
import { runAsOne } from '../../database/sql-statement';
import { MailService } from '../mail/mail.service';
import { ReferenceService } from '../reference/reference.service';
import { RoutingRepository } from '../routing/routing.repository';
import { announcementHorizon, shouldAnnounceAbsence } from './absence.policy';
import type { AbsenceDto } from './dto/absence.dto';
import { FacilitatorsRepository, StoredFacilitator } from './facilitators.repository';
import { STAFF_STATUS_LABELS } from '../requests/request.types';

/**
 * Tells a network's animators (else its contact address) that a facilitator holding open requests will be away, so
 * they can hand those requests on: when the facilitator declares it, if it begins soon; else once it comes that close.
 * Each absence is announced once, in the transaction that records it so.
 */
@Injectable()
export class AbsenceAnnouncementsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly facilitators: FacilitatorsRepository,
    private readonly routing: RoutingRepository,
    private readonly mail: MailService,
    private readonly reference: ReferenceService,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /**
   * Within the transaction that holds the facilitator's row: announces the absence if it is due today
   * (shouldAnnounceAbsence, on the facilitator's network's day) and records it; returns whether it did.
   */
  async announceIfDue(manager: EntityManager, facilitator: StoredFacilitator, absence: AbsenceDto): Promise<boolean> {
    const today = this.reference.networkDay(facilitator.networkCode, this.clock.now());
    // Once the absence has begun, routing moves what is not yet taken in charge: only the rest is the animators' to check.
    const held = await this.facilitators.heldRequests(manager, facilitator.id, absence.startsOn <= today);
    if (!shouldAnnounceAbsence(absence, today, held.length)) return false;
    const network = await this.routing.networkRecipients(manager, facilitator.networkCode);
    const name = `${facilitator.firstName} ${facilitator.lastName}`;
    if (network) {
      await runAsOne(
        manager,
        this.mail.prepareMany(
          network.emails.map((recipient) => ({
            requestId: null,
            template: 'network-absence',
            recipient,
            subject: `Absence ${ofPhrase(name)} : ${held.length} demande${held.length > 1 ? 's' : ''} à vérifier`,
            context: {
              name,
              networkName: network.networkName,
              toNetworkContact: network.toContact,
              startsOn: absence.startsOn,
              endsOn: absence.endsOn,
              reason: absence.reason,
              requests: held.map((request) => ({
                reference: request.reference,
                subject: request.subject,
                statusLabel: STAFF_STATUS_LABELS[request.status],
                dueAt: request.dueAt,
                departmentCode: request.departmentCode,
                url: `${this.config.PUBLIC_URL}/espace/demandes/${request.reference}`,
              })),
              loadsUrl: `${this.config.PUBLIC_URL}/espace/facilitateurs`,
            },
          })),
        ),
      );
    }
    await this.facilitators.markAbsenceAnnounced(manager, absence.id);
    return true;
  }

  /**
   * The absences declared further ahead that are now due (the sweep): each in a transaction of its own, the
   * facilitator's row locked first as the directory's writes do, so concurrent workers announce it once.
   */
  async announceComing(): Promise<number> {
    // From the earliest network's day to the latest's horizon: announceIfDue decides each on its facilitator's day.
    const days = Object.values(this.reference.networkDays(this.clock.now())).sort();
    const [earliest, latest] = [days[0], days[days.length - 1]];
    let announced = 0;
    for (const { id, facilitatorId } of await this.facilitators.comingUnannouncedAbsences(earliest, announcementHorizon(latest))) {
      await this.dataSource.transaction(async (manager) => {
        const facilitator = await this.facilitators.lockById(manager, facilitatorId);
        const absence = facilitator && (await this.facilitators.lockUnannouncedAbsence(manager, id));
        if (absence && (await this.announceIfDue(manager, facilitator, absence))) announced++;
      });
    }
    return announced;
  }
}
