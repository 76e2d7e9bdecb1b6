import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { OutboxRepository } from '../../queue/outbox.repository';
import { FacilitatorsRepository } from './facilitators.repository';

/** Changes to a facilitator that routing must hear of, written in the caller's transaction. */
@Injectable()
export class FacilitatorChangesService {
  constructor(
    private readonly facilitators: FacilitatorsRepository,
    private readonly outbox: OutboxRepository,
  ) {}

  /** Routing looks again at what the facilitator holds and at the pools they serve (routing.facilitator-changed). */
  async announce(manager: EntityManager, facilitatorId: string): Promise<void> {
    const statement = this.outbox.addStatement(
      'routing.facilitator-changed',
      { facilitatorId },
      `facilitator-changed-${facilitatorId}-${randomUUID()}`,
    );
    await manager.query(statement.sql, statement.params);
  }

  /**
   * « Reçoit des demandes » unchecked, as on the record: no new request comes to them, and those not yet taken in
   * charge go back to routing. False when the record was already so.
   */
  async stopRouting(manager: EntityManager, facilitatorId: string): Promise<boolean> {
    const facilitator = await this.facilitators.lockById(manager, facilitatorId);
    if (!facilitator?.active) return false;
    await this.facilitators.update(manager, facilitatorId, { active: false });
    await this.announce(manager, facilitatorId);
    return true;
  }
}
