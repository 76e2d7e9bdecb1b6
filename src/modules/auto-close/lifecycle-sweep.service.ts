import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { Clock } from '../../common/clock';
import { LOGGER } from '../../common/logging/logging.module';
import { IntervalSweep } from '../../queue/interval-sweep';
import { BuyerNotificationsService } from '../buyer-notifications/buyer-notifications.service';
import { PrecisionRemindersService } from '../buyer-notifications/precision-reminders.service';
import { AutoCloseService } from './auto-close.service';

const SWEEP_INTERVAL_MS = 60_000;
const BATCH = 500;

/**
 * Re-derives the buyer's side of the lifecycle from PostgreSQL, so a lost Redis loses no closure and no e-mail:
 * overdue reply windows close, buyers who still owe a precision are reminded, news the buyer was never e-mailed about is sent. Safe on several workers: each
 * step locks the request and re-checks.
 */
@Injectable()
export class LifecycleSweepService extends IntervalSweep {
  constructor(
    private readonly autoClose: AutoCloseService,
    private readonly notifications: BuyerNotificationsService,
    private readonly reminders: PrecisionRemindersService,
    private readonly clock: Clock,
    @Inject(LOGGER) logger: Logger,
  ) {
    super(SWEEP_INTERVAL_MS, logger, 'balayage des demandes interrompu, repris au prochain passage');
  }

  protected async sweep(): Promise<void> {
    await this.autoClose.closeOverdue(BATCH);
    await this.reminders.remindDue(BATCH);
    await this.notifications.sendOverdue(this.clock.now(), BATCH);
  }
}
