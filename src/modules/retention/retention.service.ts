import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { ActionRefused, NotFound } from '../../common/errors/app-errors';
import { LOGGER } from '../../common/logging/logging.module';
import { AppConfig } from '../../config/app-config';
import { RequestsRepository } from '../requests/requests.repository';
import { retentionCutoff } from './retention.policy';
import { RetentionRepository } from './retention.repository';

const BATCH = 500;
/** A first run on years of closed requests spreads over several passes rather than holding one for long. */
const MAX_BATCHES_PER_PASS = 20;
/** Who erased, for the history: the sweep once the period is over, or staff acting on the buyer's request. */
type ErasureActor =
  { actorType: 'system'; actorId: null; reason: 'retention_period' } | { actorType: 'staff'; actorId: string; reason: 'buyer_request' };
const BY_RETENTION: ErasureActor = { actorType: 'system', actorId: null, reason: 'retention_period' };

/** Keeps the privacy notice's promise: personal data go once the retention period after closure is over. */
@Injectable()
export class RetentionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly retention: RetentionRepository,
    private readonly requests: RequestsRepository,
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
        if (ids.length) await this.erase(manager, ids, now, BY_RETENTION);
        return ids.length;
      });
      total += count;
      if (count < BATCH) break;
    }
    if (total) this.logger.info({ count: total }, 'données personnelles effacées : durée de conservation écoulée');
    return total;
  }

  /**
   * The buyer asked for erasure (the privacy notice tells them how): staff erase a closed request's personal data
   * at once. Refused while the request is open (its data still serve the answer) or when already erased.
   * Returns when it was done.
   */
  async eraseOnRequest(requestId: string, staffId: string): Promise<Date> {
    return this.dataSource.transaction(async (manager) => {
      const state = await this.retention.lockState(manager, requestId);
      if (!state) throw new NotFound();
      if (state.anonymisedAt) {
        throw new ActionRefused('Les données personnelles de cette demande sont déjà effacées.');
      }
      if (state.status !== 'closed') {
        throw new ActionRefused('Clôturez d’abord la demande : ses données personnelles servent encore à y répondre.');
      }
      const now = this.clock.now();
      await this.erase(manager, [requestId], now, { actorType: 'staff', actorId: staffId, reason: 'buyer_request' });
      return now;
    });
  }

  /** The erasure, then a private history line per request saying who erased and why (never what). */
  private async erase(manager: EntityManager, ids: string[], now: Date, by: ErasureActor): Promise<void> {
    const history = this.requests.eventsStatement(
      ids.map((requestId) => ({ requestId, type: 'personal_data_erased', fromStatus: null, toStatus: null, isPublic: false, ...by })),
    );
    // One after the other, not joined into one statement: a file can go only once no answer points at it.
    for (const { sql, params } of [...this.retention.anonymiseStatements(ids, now), history]) await manager.query(sql, params);
  }
}
