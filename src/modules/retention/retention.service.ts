import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock';
import { LOGGER } from '../../common/logging/logging.module';
import { AppConfig } from '../../config/app-config';
import { retentionCutoff } from './retention.policy';
import { RetentionRepository } from './retention.repository';

const BATCH = 500;
/** A first run on years of closed requests spreads over several passes rather than holding one for long. */
const MAX_BATCHES_PER_PASS = 20;

/** Keeps the privacy notice's promise: personal data go once the retention period after closure is over. */
@Injectable()
export class RetentionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly retention: RetentionRepository,
    private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Anonymises the requests due, a batch per transaction (all or nothing for each request); returns how many. */
  async anonymiseDue(): Promise<number> {
    const now = this.clock.now();
    const cutoff = retentionCutoff(now, this.config.PERSONAL_DATA_RETENTION_YEARS);
    let total = 0;
    for (let batch = 0; batch < MAX_BATCHES_PER_PASS; batch++) {
      const count = await this.dataSource.transaction(async (manager) => {
        const ids = await this.retention.lockDue(manager, cutoff, BATCH);
        // One after the other, not joined into one statement: a file can go only once no answer points at it.
        for (const { sql, params } of ids.length ? this.retention.anonymiseStatements(ids, now) : []) await manager.query(sql, params);
        return ids.length;
      });
      total += count;
      if (count < BATCH) break;
    }
    if (total) this.logger.info({ count: total }, 'données personnelles effacées : durée de conservation écoulée');
    return total;
  }
}
