import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../../common/logging/logging.module';
import { IntervalSweep } from '../../queue/interval-sweep';
import { AuditService } from '../audit/audit.service';
import { RetentionService } from './retention.service';

/** Retention counts in years: an hourly pass is precise enough and costs an index probe when nothing is due. */
const SWEEP_INTERVAL_MS = 60 * 60 * 1000;

/** Erases what has outlived its retention period. Safe on several workers: each batch locks its requests, skipping locked ones. */
@Injectable()
export class RetentionSweepService extends IntervalSweep {
  constructor(
    private readonly retention: RetentionService,
    private readonly audit: AuditService,
    @Inject(LOGGER) logger: Logger,
  ) {
    super(SWEEP_INTERVAL_MS, logger, 'effacement des données échues interrompu, repris au prochain passage');
  }

  protected async sweep(): Promise<void> {
    await this.retention.anonymiseDue();
    await this.audit.purgeExpired();
  }
}
