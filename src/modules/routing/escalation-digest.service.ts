import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { afterNetworkWord, requestInSubject } from '../../common/french-format';
import { Clock } from '../../common/clock';
import { LOGGER } from '../../common/logging/logging.module';
import { AppConfig } from '../../config/app-config';
import { runAsOne } from '../../database/sql-statement';
import { MailService } from '../mail/mail.service';
import { ReferenceService } from '../reference/reference.service';
import { KIND_LABELS, STAFF_STATUS_LABELS } from '../requests/request.types';
import { DIGEST_NAMED, networkDigestGoesAt, networkDigestMails } from './network-digest.policy';
import { RoutingRepository } from './routing.repository';

/**
 * Requests that missed their take-charge deadline again, told to the network's animators (or its contact address) in
 * one message per digest period, not one per request: which ones, who let each deadline pass, where each is now.
 */
@Injectable()
export class EscalationDigestService {
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
   * The network's escalations not announced yet, in one message to each of its recipients, within the network's office
   * hours only, or just before the time its job was planned `at` (networkDigestGoesAt). Idempotent.
   */
  async announce(networkCode: string, at?: Date): Promise<void> {
    const now = this.clock.now();
    if (!networkDigestGoesAt(now, this.reference.clockDepartmentOf(networkCode), at)) return;
    await this.dataSource.transaction(async (manager) => {
      const escalated = await this.routing.lockUnannouncedEscalations(manager, networkCode);
      if (!escalated.length) return;
      const network = await this.routing.networkRecipients(manager, networkCode);
      if (!network?.emails.length) {
        this.logger.warn({ networkCode }, 'réseau sans animateur ni adresse de contact : escalade non envoyée');
      }
      const [first] = escalated;
      // Where each is as the message leaves: saying it waits in the pool announces it there, the pool digest says no more.
      const inPool = escalated.filter((r) => r.status === 'unassigned').map((r) => r.requestId);
      await runAsOne(manager, [
        ...this.mail.prepareMany(
          networkDigestMails(network, ({ networkName }) => ({
            requestId: escalated.length === 1 ? first.requestId : null,
            template: 'network-escalation',
            subject:
              escalated.length === 1
                ? `Demande ${requestInSubject(first.reference, first.subject)} : délai de prise en charge dépassé ${first.misses} fois`
                : `${escalated.length} demandes en retard de prise en charge dans le réseau ${afterNetworkWord(networkName)}`,
            context: {
              total: escalated.length,
              requests: escalated.slice(0, DIGEST_NAMED).map((r) => ({
                reference: r.reference,
                subject: r.subject,
                kindLabel: KIND_LABELS[r.kind],
                department: this.reference.departmentLabel(r.departmentCode),
                misses: r.misses,
                missedBy: r.missedBy,
                nowWith: r.holder,
                inPool: r.status === 'unassigned',
                // Neither held nor pooled (closed meanwhile, being routed): its status says where it is.
                statusLabel: r.holder || r.status === 'unassigned' ? null : STAFF_STATUS_LABELS[r.status],
                requestUrl: `${this.config.PUBLIC_URL}/espace/demandes/${encodeURIComponent(r.reference)}`,
              })),
              queueUrl: this.escalatedQueueUrl(networkCode),
            },
          })),
        ),
        this.routing.escalationsAnnouncedStatement(
          escalated.flatMap((r) => r.escalationIds),
          now,
        ),
        ...(inPool.length ? [this.routing.poolAnnouncedStatement(inPool, now)] : []),
      ]);
    });
  }

  /**
   * The queue listing the network's escalated requests (the workspace's `escalated` filter, pool and held ones alike).
   * The network narrows an animator's of several.
   */
  private escalatedQueueUrl(networkCode: string): string {
    const query = new URLSearchParams({ network: networkCode, escalated: '1' });
    return `${this.config.PUBLIC_URL}/espace?${query.toString()}`;
  }
}
