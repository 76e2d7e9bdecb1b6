import { Injectable } from '@nestjs/common';
import { JobHandlers } from '../../queue/queue.registry';
import { JobProcessor } from '../../queue/worker-host';
import { BuyerNotificationsService } from './buyer-notifications.service';

@Injectable()
export class BuyerNotificationsProcessor implements JobProcessor {
  constructor(private readonly notifications: BuyerNotificationsService) {}

  handlers(): JobHandlers {
    return { 'buyer.notify': async ({ requestId }) => void (await this.notifications.notify(requestId)) };
  }
}
