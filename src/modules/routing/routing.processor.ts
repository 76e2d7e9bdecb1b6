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
      'routing.pool-alert': ({ networkCode }) => this.routing.poolAlert(networkCode),
      'routing.escalation-digest': ({ networkCode }) => this.escalations.announce(networkCode),
    };
  }
}
