import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { Clock } from '../../common/clock';
import { AppConfig } from '../../config/app-config';
import { LOGGER } from '../../common/logging/logging.module';
import { IntervalSweep } from '../../queue/interval-sweep';
import { ReferenceService } from '../reference/reference.service';
import { EscalationDigestService } from './escalation-digest.service';
import { DIGEST_JOB_LOST_AFTER_MS, lostDigestGoesAt } from './network-digest.policy';
import { OverdueAnswersService } from './overdue-answers.service';
import { RoutingRepository } from './routing.repository';
import { RoutingService } from './routing.service';

const SWEEP_INTERVAL_MS = 60_000;
const BATCH = 500;
/** A submitted request still unrouted after this long has lost its job. */
const STALE_SUBMISSION_MS = 60_000;

/**
 * Re-derives routing work from PostgreSQL, so a lost Redis loses no deadline and no request: unrouted submissions,
 * overdue deadlines, reminders due, answers overdue, absences that began, pools that can drain, digests whose job was
 * lost. Safe on any number of workers: every step locks the request and re-checks before acting.
 */
@Injectable()
export class RoutingSweepService extends IntervalSweep {
  constructor(
    private readonly routing: RoutingService,
    private readonly repository: RoutingRepository,
    private readonly overdueAnswers: OverdueAnswersService,
    private readonly escalations: EscalationDigestService,
    private readonly reference: ReferenceService,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    super(SWEEP_INTERVAL_MS, logger, 'balayage du routage interrompu, repris au prochain passage');
  }

  protected async sweep(): Promise<void> {
    const now = this.clock.now();
    await this.routing.routeAll(await this.repository.staleSubmitted(new Date(now.getTime() - STALE_SUBMISSION_MS), BATCH));
    // Together: a facilitator whose deadlines passed for several requests hears of them in one e-mail (per routing batch).
    await this.routing.deadlinesReached(await this.repository.overdueAssignments(now, BATCH));
    // Together: a facilitator with several reminders due gets them in one e-mail.
    await this.routing.remind([
      ...(await this.repository.dueTakeChargeReminders(now, BATCH)),
      ...(await this.repository.dueAnswerReminders(now, BATCH)),
    ]);
    await this.overdueAnswers.announceAll();
    for (const facilitatorId of await this.repository.unavailableHolders(this.reference.networkDays(now))) {
      await this.routing.facilitatorChanged(facilitatorId);
    }
    for (const networkCode of await this.repository.networksWithPool()) await this.routing.drainPool(networkCode);
    // A digest job lost with Redis: the requests it would have announced are still unannounced, in one message.
    const period = this.config.POOL_ALERT_DIGEST_SECONDS * 1000;
    const lostBefore = new Date(now.getTime() - period - DIGEST_JOB_LOST_AFTER_MS);
    const lost = (networkCode: string) => lostDigestGoesAt(now, period, this.reference.clockDepartmentOf(networkCode));
    for (const networkCode of (await this.repository.networksWithUnannouncedEscalations(lostBefore)).filter(lost)) {
      await this.escalations.announce(networkCode);
    }
    for (const networkCode of (await this.repository.networksWithUnannouncedPool(lostBefore)).filter(lost)) {
      await this.routing.poolAlert(networkCode);
    }
  }
}
