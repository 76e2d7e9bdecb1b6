import { Injectable } from '@nestjs/common';
import { JobHandlers } from '../../queue/queue.registry';
import { JobProcessor } from '../../queue/worker-host';
import { EscalationDigestService } from './escalation-digest.service';
import { RoutingService } from './routing.service';

@Injectable()
export class RoutingProcessor implements JobProcessor {
  constructor(
    private readonly routing: RoutingService,
    private readonly escalations: EscalationDigestService,
  ) {}

  handlers(): JobHandlers {
    return {
      'request.submitted': async ({ requestId }) => void (await this.routing.route(requestId)),
      'request.submitted-batch': ({ requestIds }) => this.routing.routeAll(requestIds),
      'routing.deadline': ({ assignmentId }) => this.routing.deadlineReached(assignmentId),
      'routing.facilitator-changed': ({ facilitatorId }) => this.routing.facilitatorChanged(facilitatorId),
      'routing.drain-pool': async ({ networkCode }) => void (await this.routing.drainPool(networkCode)),
      'routing.pool-alert': ({ networkCode, at }) => this.routing.poolAlert(networkCode, plannedAt(at)),
      'routing.escalation-digest': ({ networkCode, at }) => this.escalations.announce(networkCode, plannedAt(at)),
    };
  }
}

/** When a digest's job was planned for (networkDigestGoesAt): unknown for a job queued by an earlier version. */
function plannedAt(at: number | undefined): Date | undefined {
  return at === undefined ? undefined : new Date(at);
}
