import { afterNetworkWord, requestInSubject } from '../../common/french-format';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock';
import { LOGGER } from '../../common/logging/logging.module';
import { latestWorkingDayAt } from '../../common/working-days.policy';
import { AppConfig } from '../../config/app-config';
import { runAsOne } from '../../database/sql-statement';
import { MailService } from '../mail/mail.service';
import { ReferenceService } from '../reference/reference.service';
import { KIND_LABELS } from '../requests/request.types';
import { dailyDigestGoesAt, DIGEST_NAMED, networkDigestMails } from './network-digest.policy';
import { RoutingRepository } from './routing.repository';

/** The digest's hour on working days, in the network's time: animators find it with the morning's mail. */
const DIGEST_HOUR = 8;

/**
 * Answers past their deadline, told once a working day to the network's animators and to the facilitators concerned:
 * the facilitator had a reminder the day before (reminders.policy); past the deadline, the network steps in. Each
 * answer is told once per deadline.
 */
@Injectable()
export class OverdueAnswersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly routing: RoutingRepository,
    private readonly mail: MailService,
    private readonly reference: ReferenceService,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * The digest of every network with answers overdue at this morning's digest hour (or the last working day's), each
   * network on its own clock and calendar (clockDepartmentOf: La Réunion's at 08:00 there). A run missed at its hour
   * goes in the network's office hours only (dailyDigestGoesAt).
   */
  async announceAll(): Promise<void> {
    const now = this.clock.now();
    const cutOf = (networkCode: string) => latestWorkingDayAt(now, DIGEST_HOUR, this.reference.clockDepartmentOf(networkCode));
    const cuts = new Map(this.reference.allNetworks().map((network) => [network.code, cutOf(network.code)]));
    const latest = new Date(Math.max(...[...cuts.values()].map((cut) => cut.getTime())));
    for (const networkCode of await this.routing.networksWithUntoldOverdueAnswers(latest)) {
      if (!dailyDigestGoesAt(now, DIGEST_HOUR, this.reference.clockDepartmentOf(networkCode))) continue;
      await this.announce(networkCode, cuts.get(networkCode) ?? cutOf(networkCode));
    }
  }

  /**
   * One message to the network's animators naming the answers overdue at `dueBefore` not told yet, and one to each
   * facilitator holding some of them. Idempotent.
   */
  async announce(networkCode: string, dueBefore: Date): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const overdue = await this.routing.lockUntoldOverdueAnswers(manager, networkCode, dueBefore);
      if (!overdue.length) return;
      const network = await this.routing.networkRecipients(manager, networkCode);
      if (!network?.emails.length) {
        this.logger.warn(
          { networkCode },
          'réseau sans animateur ni adresse de contact : réponses en retard signalées aux seuls facilitateurs',
        );
      }
      const now = this.clock.now();
      const listed = overdue.map((answer) => ({
        reference: answer.reference,
        subject: answer.subject,
        kindLabel: KIND_LABELS[answer.kind],
        department: this.reference.departmentLabel(answer.departmentCode),
        facilitatorName: answer.facilitatorName,
        dueAt: answer.dueAt,
        departmentCode: answer.departmentCode,
        requestUrl: `${this.config.PUBLIC_URL}/espace/demandes/${encodeURIComponent(answer.reference)}`,
      }));
      const queueUrl = `${this.config.PUBLIC_URL}/espace?late=1`;
      const byFacilitator = new Map<string, number[]>();
      overdue.forEach((answer, i) => byFacilitator.set(answer.facilitatorId, [...(byFacilitator.get(answer.facilitatorId) ?? []), i]));
      const toAnimators = networkDigestMails(network, ({ networkName }) => ({
        requestId: overdue.length === 1 ? overdue[0].requestId : null,
        template: 'network-overdue-answers',
        subject:
          overdue.length === 1
            ? `Demande ${requestInSubject(overdue[0].reference, overdue[0].subject)} : réponse en retard`
            : `${overdue.length} réponses en retard dans le réseau ${afterNetworkWord(networkName)}`,
        context: { total: overdue.length, requests: listed.slice(0, DIGEST_NAMED), queueUrl },
      }));
      // Each facilitator hears of their own overdue answers the same morning, in one message.
      const toFacilitators = [...byFacilitator.values()].map((indexes) => {
        const first = overdue[indexes[0]];
        return {
          requestId: indexes.length === 1 ? first.requestId : null,
          template: 'facilitator-overdue-answers',
          recipient: first.facilitatorEmail,
          subject:
            indexes.length === 1
              ? `Demande ${requestInSubject(first.reference, first.subject)} : votre réponse est en retard`
              : `${indexes.length} de vos réponses sont en retard`,
          context: { firstName: first.facilitatorFirstName, requests: indexes.map((i) => listed[i]), queueUrl },
        };
      });
      await runAsOne(manager, [
        ...this.mail.prepareMany([...toAnimators, ...toFacilitators]),
        this.routing.overdueAnnouncedStatement(
          overdue.map((answer) => answer.assignmentId),
          now,
        ),
      ]);
    });
  }
}
