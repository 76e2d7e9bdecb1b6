import { Injectable } from '@nestjs/common';
import { JobHandlers } from '../../queue/queue.registry';
import { JobProcessor } from '../../queue/worker-host';
import { AutoCloseService } from './auto-close.service';

@Injectable()
export class AutoCloseProcessor implements JobProcessor {
  constructor(private readonly autoClose: AutoCloseService) {}

  handlers(): JobHandlers {
    return { 'request.auto-close': async ({ requestId }) => void (await this.autoClose.closeIfDue(requestId)) };
  }
}
