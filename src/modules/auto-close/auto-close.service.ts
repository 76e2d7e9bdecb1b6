import { draftsDeletedStatement } from '../answer-drafts/answer-drafts.repository';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { LOGGER } from '../../common/logging/logging.module';
import { AppConfig } from '../../config/app-config';
import { eachApart } from '../../queue/interval-sweep';
import { Clock } from '../../common/clock';
import { runAsOne, SqlStatement } from '../../database/sql-statement';
import { OutboxRepository, timerDelayMs } from '../../queue/outbox.repository';
import { BuyerNotificationsService } from '../buyer-notifications/buyer-notifications.service';
import { nextStatus } from '../requests/request-state.policy';
import { autoClose, replyWindowEnd } from '../requests/reply-window.policy';
import { RequestsRepository } from '../requests/requests.repository';
import { RoutingService } from '../routing/routing.service';
import { SurveysService } from '../surveys/surveys.service';

/**
 * Closes the requests that waited on the buyer for the whole reply window: an answered one as `answered`, a
 * precision never given as `no_reply`. A timer per request, and a sweep for the timers Redis lost.
 */
@Injectable()
export class AutoCloseService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly requests: RequestsRepository,
    private readonly routing: RoutingService,
    private readonly notifications: BuyerNotificationsService,
    private readonly surveys: SurveysService,
    private readonly outbox: OutboxRepository,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** When a request entered at `since` (answered, precision asked) closes by itself, for its department's calendar. */
  dueAt(since: Date, departmentCode: string): Date {
    return replyWindowEnd(since, departmentCode, this.config.REPLY_WINDOW_WORKING_DAYS);
  }

  /** To run in the transaction that moves the request to `answered` or `awaiting_buyer`: its closing timer. */
  scheduleStatements(requestId: string, dueAt: Date): SqlStatement[] {
    const delayMs = timerDelayMs(dueAt, this.clock.now());
    return [this.outbox.addStatement('request.auto-close', { requestId }, `auto-close-${requestId}-${dueAt.getTime()}`, delayMs)];
  }

  /** Idempotent: a request no longer waiting, or whose window is still open, is left as it is. */
  async closeIfDue(requestId: string): Promise<boolean> {
    const freed = await this.dataSource.transaction(async (manager) => {
      const request = await this.requests.lockForChange(manager, requestId);
      if (!request) return null;
      const now = this.clock.now();
      const since = await this.requests.enteredStatusAt(manager, requestId, request.status);
      const decision = autoClose(request.status, since, now, request.departmentCode, this.config.REPLY_WINDOW_WORKING_DAYS);
      if (!decision.close) return null;
      const to = nextStatus(request, 'close', decision.reason);
      const release = await this.routing.releaseStatements(manager, requestId);
      await runAsOne(manager, [
        this.requests.statusStatement(requestId, to, decision.reason),
        draftsDeletedStatement([requestId]),
        this.requests.eventStatement({
          requestId,
          type: 'auto_closed',
          fromStatus: request.status,
          toStatus: to,
          actorType: 'system',
          actorId: null,
          reason: decision.reason,
          isPublic: true,
        }),
        ...release.statements,
        ...this.notifications.scheduleAutoClosureStatements(requestId, now, request.departmentCode),
        ...this.surveys.scheduleStatements(request, decision.reason, release.facilitatorId ?? request.assignedFacilitatorId),
      ]);
      return { facilitatorId: release.facilitatorId };
    });
    if (freed?.facilitatorId) await this.routing.scheduleDrains(freed.facilitatorId);
    return freed !== null;
  }

  /** Every request whose window is over, whatever became of its timer. */
  async closeOverdue(limit: number): Promise<number> {
    // A window is at least as many calendar days as working days: older entries are the only candidates.
    const earliest = new Date(this.clock.now().getTime() - this.config.REPLY_WINDOW_WORKING_DAYS * 86_400_000);
    return eachApart(
      await this.requests.waitingOnBuyerSince(earliest, limit),
      (requestId) => this.closeIfDue(requestId),
      this.logger,
      'clôture automatique impossible pour cette demande, réessayée au prochain passage',
    );
  }
}
